/**
 * The extension's manifest against the code: a setting for every diagnostic code, activation for
 * every language the client selects, and an injection grammar that colours the paper's citations
 * and nothing the checker must not flag.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../../server/src/core';
import { CODES } from '../../server/src/lsp/settings';
import { FIXTURES, ROOT } from '../helpers/paths';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const props: Record<string, { enum?: string[]; default?: unknown; scope?: string }> = pkg.contributes.configuration.properties;

describe('extension manifest', function () {
  it('has a citecheck.severity.<code> setting for every code, defaulting to the check\'s own severity', () => {
    const settings = Object.keys(props).filter((k) => k.startsWith('citecheck.severity.')).map((k) => k.slice('citecheck.severity.'.length));
    assert.deepEqual([...settings].sort(), [...CODES].sort());
    for (const c of CHECKS) {
      const p = props[`citecheck.severity.${c.code}`];
      assert.deepEqual(p.enum, ['error', 'warning', 'information', 'hint', 'off']);
      assert.equal(p.default, c.defaultSeverity, c.code);
      assert.equal(p.scope, 'resource');
    }
    assert.ok(props['citecheck.bibliographies'] && props['citecheck.referenceFiles']);
  });

  it('activates on every language the client selects, and registers .qmd and .Rmd', () => {
    const client = fs.readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
    const langs = JSON.parse(/LANGUAGES = (\[[^\]]*\])/.exec(client)![1].replace(/'/g, '"')) as string[];
    assert.deepEqual([...pkg.activationEvents].sort(), langs.map((l) => `onLanguage:${l}`).sort());
    const ids = pkg.contributes.languages.map((l: { id: string; extensions: string[] }) => `${l.id}:${l.extensions.join(',')}`);
    assert.ok(ids.includes('quarto:.qmd') && ids.some((x: string) => x.startsWith('rmd:.Rmd')));
    for (const c of pkg.contributes.commands) assert.match(client, new RegExp(`registerCommand\\('${c.command.replace('.', '\\.')}'`));
  });

  it('declares untrusted-workspace support (it only reads files) and limited virtual-workspace support, with a reason', () => {
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces, { supported: true });
    const v = pkg.capabilities.virtualWorkspaces;
    assert.equal(v.supported, 'limited');
    assert.match(v.description, /read from disk/);
    assert.match(v.description, /bibliograph/);
    // Nothing in the client or server writes a file or runs a program: the claim above holds.
    for (const dir of ['client/src', 'server/src']) {
      for (const f of walk(path.join(ROOT, dir))) {
        const src = fs.readFileSync(f, 'utf8');
        assert.doesNotMatch(src, /\b(?:writeFile|appendFile|createWriteStream|rmSync|unlink|mkdir|execSync|execFile|spawnSync)\b|child_process/, path.relative(ROOT, f));
      }
    }
  });

  it('points main, bin and grammars at files that exist', () => {
    assert.ok(fs.existsSync(path.join(ROOT, pkg.main)), pkg.main);
    const bin = fs.readFileSync(path.join(ROOT, pkg.bin['citecheck-language-server']), 'utf8');
    assert.match(bin, /^#!\/usr\/bin\/env node\n/);
    for (const g of pkg.contributes.grammars) JSON.parse(fs.readFileSync(path.join(ROOT, g.path), 'utf8'));
  });
});

describe('citation injection grammar', function () {
  const g = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes/citecheck.injection.json'), 'utf8'));
  const paper = fs.readFileSync(path.join(FIXTURES, 'rok-japan-working-paper.md'), 'utf8');
  const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'rok-japan-working-paper.expected.json'), 'utf8'));

  /** Every regular expression in the grammar, as JavaScript reads it (Oniguruma's syntax as used here is a subset). */
  function regexes(o: unknown, out: string[] = []): string[] {
    if (o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') out.push(v);
        else regexes(v, out);
      }
    }
    return out;
  }

  it('is an injection into Markdown, LaTeX and plain text, and every pattern compiles', () => {
    assert.equal(g.scopeName, 'citecheck.citations.injection');
    for (const s of ['L:text.html.markdown', 'L:text.tex.latex', 'L:text.plain.citecheck']) assert.ok(g.injectionSelector.includes(s), s);
    for (const r of regexes(g)) assert.doesNotThrow(() => new RegExp(r, 'u'), r);
  });

  it('colours each parenthetical citation of the paper, and no other parenthesis', () => {
    const begin = new RegExp(g.repository.parenthetical.begin, 'gu');
    const found: string[] = [];
    for (const line of paper.split('\n')) {
      for (let m = begin.exec(line); m; m = begin.exec(line)) found.push(line.slice(m.index + 1, line.indexOf(')', m.index)));
    }
    const cited = expected.citations.filter((c: { line: number }) => c.line !== 64).map((c: { text: string }) => c.text);
    assert.deepEqual(found.flatMap((f) => f.split(/;\s*/)), cited);
  });

  it('colours narrative citations without the sentence word before them', () => {
    const re = new RegExp(g.repository.narrative.match, 'gu');
    const s = 'As Kim (2015) shows, Drezner et al. (2021) and Kissinger and Allison’s (2023) agree with Office of the President (2023a).';
    assert.deepEqual([...s.matchAll(re)].map((m) => m[0]), ['Kim (2015)', 'Drezner et al. (2021)', 'Kissinger and Allison’s (2023)', 'Office of the President (2023a)']);
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.ts$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

/**
 * `citecheck ch1.md ch2.md --bib refs.bib`: a bibliography several files use is checked across
 * them — an entry is uncited only when none of them cites it, and it is reported once.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../helpers/paths';

const bin = path.join(ROOT, 'bin/citecheck.js');

function citecheck(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BIB = [
  '@book{a, author = {Alpha, Ann}, title = {First Book}, publisher = {Press}, year = {2001}}',
  '@book{b, author = {Beta, Ben}, title = {Second Book}, publisher = {Press}, year = {2002}}',
  '@book{c, author = {Gamma, Gus}, title = {Third Book}, publisher = {Press}, year = {2003}}',
  '@book{a, author = {Alpha, Ann}, title = {Again}, publisher = {Press}, year = {2001}}',
  '',
].join('\n');

interface JsonDiagnostic { code: string; path?: string; line: number; message: string }

describe('citecheck CLI: a bibliography shared by several files', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-chapters-'));
    fs.writeFileSync(path.join(dir, 'refs.bib'), BIB);
    fs.writeFileSync(path.join(dir, 'ch1.md'), '# One\n\nAs first shown [@a].\n');
    fs.writeFileSync(path.join(dir, 'ch2.md'), '# Two\n\nThen again [@b].\n');
    fs.writeFileSync(path.join(dir, 'notes.md'), '# Notes\n\nNo citations here.\n');
    fs.writeFileSync(path.join(dir, 'ch3.md'), '---\nbibliography: refs.bib\n---\n\nNamed in front matter [@b].\n');
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports an entry uncited only when no file cites it, once, with the first file', () => {
    const r = citecheck(['ch1.md', 'ch2.md', '--bib', 'refs.bib', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { files: { path: string; diagnostics: JsonDiagnostic[] }[] };
    assert.deepEqual(out.files.map((f) => f.path), ['ch1.md', 'ch2.md']);
    const uncited = out.files.flatMap((f) => f.diagnostics.filter((d) => d.code === 'uncited-reference').map((d) => `${f.path} ${d.path}:${d.line} ${d.message}`));
    assert.deepEqual(uncited, ['ch1.md refs.bib:3 Gamma 2003 is never cited.']);
    // The .bib's own problem (a duplicate key) is said once too.
    const dup = out.files.flatMap((f) => f.diagnostics.filter((d) => d.path === 'refs.bib' && d.code !== 'uncited-reference').map((d) => `${f.path} ${d.code}`));
    assert.equal(dup.length, 1, JSON.stringify(dup));
    assert.match(dup[0], /^ch1\.md /);
  });

  it('leaves out files without citations, and counts a bibliography named in front matter as the same file', () => {
    const r = citecheck(['notes.md', 'ch1.md', 'ch3.md', '--bib', 'refs.bib'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').filter((l) => l.includes('uncited-reference'));
    // notes.md cites nothing: it neither silences the entries nor carries them.
    assert.deepEqual(lines, ['refs.bib:3:1: information uncited-reference: Gamma 2003 is never cited.']);
    const text = r.stdout.trim().split('\n');
    assert.match(text[text.length - 1], /^3 files, 2 citations, .*1 warning, 1 note$/);
  });

  it('still reports each file\'s own uncited entries alone', () => {
    const r = citecheck(['ch2.md', '--bib', 'refs.bib', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout) as { files: { diagnostics: JsonDiagnostic[] }[] };
    assert.deepEqual(out.files[0].diagnostics.filter((d) => d.code === 'uncited-reference').map((d) => d.message).sort(), ['Alpha 2001 is never cited.', 'Gamma 2003 is never cited.']);
  });
});

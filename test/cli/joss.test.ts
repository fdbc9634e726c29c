/**
 * A JOSS-style paper (`paper.md` + `paper.bib`, key citations) and a Quarto project
 * (`_quarto.yml` naming the bibliography), checked by the `citecheck` command as a user runs it.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, FIXTURES } from '../helpers/paths';

const bin = path.join(ROOT, 'bin/citecheck.js');
const JOSS = path.join(FIXTURES, 'joss');

function citecheck(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('citecheck CLI on a JOSS paper (paper.md + paper.bib)', () => {
  it('reports the unknown key with the nearest key as its fix, the incomplete entry and the uncited entry', () => {
    const r = citecheck(['paper.md'], JOSS);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      [
        'paper.bib:34:1: information uncited-reference: Virtanen et al. 2020 is never cited.',
        "paper.md:22:3: error unknown-key: Unknown citation key 'Pedregosa2012'; did you mean 'Pedregosa2011'?",
        "paper.md:28:9: warning incomplete-entry: 'astropy' is cited with its authors and year, but its entry in paper.bib has no author or editor and no year or date.",
        '1 file, 7 citations, 5 references: 1 error, 1 warning, 1 note',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(citecheck(['--format', 'json', 'paper.md'], JOSS).stdout);
    const key = json.files[0].diagnostics.find((d: { code: string }) => d.code === 'unknown-key');
    assert.deepEqual(key.fixes, [{ title: "Change to 'Pedregosa2011'", edits: [{ line: 22, column: 3, endLine: 22, endColumn: 16, newText: 'Pedregosa2011' }] }]);
  });

  it('reads the bibliography a _quarto.yml names for a document of its project', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-quarto-'));
    try {
      fs.mkdirSync(path.join(dir, 'chapters'));
      fs.mkdirSync(path.join(dir, 'refs'));
      fs.copyFileSync(path.join(JOSS, 'paper.bib'), path.join(dir, 'refs', 'main.bib'));
      fs.writeFileSync(path.join(dir, '_quarto.yml'), 'project:\n  type: book\nformat:\n  html:\n    bibliography: refs/main.bib\n');
      fs.writeFileSync(path.join(dir, 'chapters', 'intro.qmd'), '# Introduction\n\nArrays [@Harris2020] and models [@Gelman2031].\n');
      const r = citecheck(['chapters/intro.qmd'], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /chapters\/intro\.qmd:3:35: error unknown-key: Unknown citation key 'Gelman2031'; did you mean 'Gelman2013'\?/);
      assert.doesNotMatch(r.stdout, /Harris2020/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

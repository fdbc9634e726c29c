/**
 * The `citecheck` command as a user runs it: a child process on real files.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../server/src/core';
import { ROOT } from '../helpers/paths';

const root = ROOT;
const bin = path.join(root, 'bin/citecheck.js');
const fixtures = path.join(root, 'test/fixtures');
const paper = path.join(fixtures, 'rok-japan-working-paper.md');
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'rok-japan-working-paper.expected.json'), 'utf8'));

/** A paper written to a file of its own in a fresh temporary folder. */
function paperFile(name: string, text: string): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-')), name);
  fs.writeFileSync(f, text);
  return f;
}

const CLEAN_PAPER = 'As shown before (Kim 2015).\n\n# References\n\nKim, Dae. 2015. A Title. Seoul: Press.\n';

function citecheck(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('citecheck CLI on the shared working paper', () => {
  it('reports exactly the three expected diagnostics, with the 2024 -> 2023 fix on line 30', () => {
    const r = citecheck(['--format', 'json', paper]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.files.length, 1);
    const f = out.files[0];
    assert.equal(f.references, expected.references.count);
    const got = f.diagnostics.map((d: { line: number; code: string; severity: string }) => ({ line: d.line, code: d.code, severity: d.severity }));
    const want = expected.expected_diagnostics.map((d: { line: number; code: string; severity: string }) => ({ line: d.line, code: d.code, severity: d.severity }));
    assert.deepEqual(got.sort(byLine), want.sort(byLine));
    const ym = f.diagnostics.find((d: { code: string }) => d.code === 'year-mismatch');
    assert.match(ym.message, /MIC 2024/);
    assert.match(ym.message, /2023/);
    assert.deepEqual(ym.fixes[0].edits, [{ line: 30, column: ym.column, endLine: 30, endColumn: ym.column + 4, newText: '2023' }]);
    const line30 = fs.readFileSync(paper, 'utf8').split('\n')[29];
    assert.equal(line30.slice(ym.column - 1, ym.column + 3), '2024');
  });

  it('resolves every citation of the expected list to its entry line', () => {
    const text = fs.readFileSync(paper, 'utf8');
    const a = analyze({ uri: paper, text });
    const line = (o: number) => a.lines.lineAt(o) + 1;
    assert.equal(a.citations.length, expected.citations.length);
    for (const c of expected.citations) {
      const i = a.citations.findIndex((x) => line(x.range.start) === c.line && x.text.replace(/[()]/g, '').includes(c.text));
      assert.ok(i >= 0, `citation ${c.text} on line ${c.line} found`);
      const r = a.resolutions[i];
      if (c.resolves_to_line === null) {
        assert.equal(r.status, c.problem);
        assert.equal(line(a.references[r.entry!].range.start), c.nearest_reference_line);
      } else {
        assert.equal(r.status, 'resolved', `${c.text}: ${r.status}`);
        assert.equal(line(a.references[r.entry!].range.start), c.resolves_to_line, c.text);
      }
    }
    // Nothing after the list is an entry: the footnote (64) and footer (65-75).
    const lastEntry = Math.max(...a.references.map((e) => line(e.range.start)));
    assert.equal(lastEntry, expected.references.last_line);
    assert.equal(Math.min(...a.references.map((e) => line(e.range.start))), expected.references.first_line);
  });

  it('prints path:line:column: severity code: message lines and a summary', () => {
    const r = citecheck([path.relative(root, paper)]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0], /^test\/fixtures\/rok-japan-working-paper\.md:30:\d+: error year-mismatch: 'MIC 2024'/);
    assert.match(lines[3], /^1 file, 20 citations, 21 references: 1 error, 1 warning, 1 note$/);
  });

  it('writes SARIF 2.1.0 with rules and one result per finding', () => {
    const r = citecheck(['--format=sarif', paper]);
    const s = JSON.parse(r.stdout);
    assert.equal(s.version, '2.1.0');
    const run = s.runs[0];
    assert.equal(run.tool.driver.name, 'citecheck');
    assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === 'year-mismatch'));
    assert.equal(run.results.length, 3);
    const ym = run.results.find((x: { ruleId: string }) => x.ruleId === 'year-mismatch');
    assert.equal(ym.level, 'error');
    assert.equal(ym.locations[0].physicalLocation.region.startLine, 30);
    assert.equal(ym.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '2023');
  });

  it('exits 0 on a clean paper, and severities can be turned off', () => {
    const r = citecheck([paperFile('clean.md', CLEAN_PAPER)]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /0 errors, 0 warnings/);
    const r2 = citecheck(['--severity', 'year-mismatch=off', paper]);
    assert.equal(r2.code, 0);
    assert.doesNotMatch(r2.stdout, /year-mismatch/);
  });

  it('says when a paper with citations has no reference list to check them against', () => {
    const r = citecheck([paperFile('nolist.md', 'Work shows this (Adams 2011; Baker and Cole 2012).\n\n# Refs\n\nAdams, R. 2010. Tillage.\n')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /nolist\.md: no reference list found .*its 2 citations were not checked/);
    assert.doesNotMatch(citecheck([paperFile('clean.md', CLEAN_PAPER)]).stderr, /no reference list/);
  });

  it('exits 2 with a clear message on usage and read errors', () => {
    const none = citecheck([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no file given/);
    const bad = citecheck(['--format', 'xml', paper]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown format 'xml'/);
    const missing = citecheck(['does-not-exist.md']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read does-not-exist\.md: no such file/);
    const dir = citecheck([fixtures]);
    assert.equal(dir.code, 2);
    assert.match(dir.stderr, /is a directory/);
  });

  it('never writes a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-'));
    const f = path.join(dir, 'p.md');
    fs.copyFileSync(paper, f);
    const before = fs.readdirSync(dir).map((n) => [n, fs.statSync(path.join(dir, n)).mtimeMs]);
    citecheck(['--format', 'json', f], dir);
    citecheck(['--format', 'sarif', f], dir);
    const after = fs.readdirSync(dir).map((n) => [n, fs.statSync(path.join(dir, n)).mtimeMs]);
    assert.deepEqual(after, before);
  });
});

function byLine(a: { line: number; code: string }, b: { line: number; code: string }) {
  return a.line - b.line || a.code.localeCompare(b.code);
}

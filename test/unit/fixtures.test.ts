/**
 * Annotated fixtures: small papers in test/fixtures/forms/ whose expected diagnostics and
 * resolutions are written in the fixture itself. The harness runs analyze() on each and asserts
 * the exact set of diagnostics (code, line, columns) and every `ok:` resolution.
 *
 * Annotations are comments under the line they describe (the nearest line above that is neither
 * blank nor an annotation):
 *
 *   Markdown, .qmd, .Rmd   <!-- ^^^^ year-mismatch -->      carets under the diagnostic's columns
 *   LaTeX                  % ^^^^ year-mismatch
 *   reStructuredText       .. ^^^^ year-mismatch
 *
 *   ... cols 1-16 uncited-reference     1-based inclusive columns, for ranges the comment opener would cover
 *   ... line uncited-reference          the whole line (without trailing spaces)
 *   ... ok: Kim 2015 -> 12; Lee (2019) -> 14
 *                                       the citation with that text on the line above resolves to the
 *                                       entry on line 12 (lines are 1-based)
 *
 * Plain-text fixtures (.txt) keep theirs in a sibling `<name>.expected.json`:
 *   { "diagnostics": [{ "line": 3, "cols": "7-14", "code": "year-mismatch" }],
 *     "ok": [{ "line": 3, "text": "Kim 2015", "entry": 12 }] }
 *
 * Fixtures the core gets wrong today live in test/fixtures/forms/pending/: the harness lists them
 * as pending (run them with CITECHECK_PENDING=1) and they move up once the core is fixed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core';
import type { Analysis } from '../../server/src/core';
import { FIXTURES } from '../helpers/paths';

const FORMS = path.join(FIXTURES, 'forms');
const PENDING = path.join(FORMS, 'pending');
const EXTS = new Set(['.md', '.tex', '.rst', '.txt', '.qmd', '.rmd']);

interface ExpectedDiag {
  line: number;
  /** 0-based start column; end exclusive. */
  start: number;
  end: number;
  code: string;
}

interface ExpectedOk {
  line: number;
  text: string;
  entry: number;
}

export interface FixtureExpectations {
  diagnostics: ExpectedDiag[];
  ok: ExpectedOk[];
}

const COMMENT: Record<string, RegExp> = {
  markdown: /^\s*<!--\s?(.*?)\s*-->\s*$/,
  latex: /^\s*%\s?(.*?)\s*$/,
  rst: /^\s*\.\.\s(.*?)\s*$/,
};

const CODE = '([a-z][a-z-]*)';

/** Reads the expectations written in a fixture (or its .expected.json). */
export function readExpectations(file: string, text: string, format: string): FixtureExpectations {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (format === 'plaintext') {
    const json = JSON.parse(fs.readFileSync(file.replace(/\.txt$/, '.expected.json'), 'utf8')) as {
      diagnostics?: { line: number; cols?: string; code: string }[];
      ok?: ExpectedOk[];
    };
    const diagnostics = (json.diagnostics ?? []).map((d) => {
      const lineText = lines[d.line - 1] ?? '';
      if (!d.cols || d.cols === 'line') return { line: d.line, start: 0, end: lineText.trimEnd().length, code: d.code };
      const [a, b] = d.cols.split('-').map(Number);
      return { line: d.line, start: a - 1, end: b, code: d.code };
    });
    return { diagnostics, ok: json.ok ?? [] };
  }
  const re = COMMENT[format];
  const out: FixtureExpectations = { diagnostics: [], ok: [] };
  let target = -1;
  lines.forEach((raw, i) => {
    const m = re.exec(raw);
    const inner = m?.[1].trim();
    let a: RegExpExecArray | null = null;
    if (inner !== undefined && (a = new RegExp(`^(\\^+)\\s+${CODE}$`).exec(inner))) {
      const col = raw.indexOf(a[1]);
      out.diagnostics.push({ line: target + 1, start: col, end: col + a[1].length, code: a[2] });
    } else if (inner !== undefined && (a = new RegExp(`^cols\\s+(\\d+)-(\\d+)\\s+${CODE}$`).exec(inner))) {
      out.diagnostics.push({ line: target + 1, start: Number(a[1]) - 1, end: Number(a[2]), code: a[3] });
    } else if (inner !== undefined && (a = new RegExp(`^line\\s+${CODE}$`).exec(inner))) {
      out.diagnostics.push({ line: target + 1, start: 0, end: lines[target].trimEnd().length, code: a[1] });
    } else if (inner !== undefined && (a = /^ok:\s*(.+)$/.exec(inner))) {
      for (const part of a[1].split(/\s*;\s*/)) {
        const p = /^(.+?)\s*->\s*(\d+)$/.exec(part);
        if (!p) throw new Error(`${path.basename(file)}:${i + 1}: cannot read ok annotation '${part}'`);
        out.ok.push({ line: target + 1, text: p[1].replace(/\s+/g, ' '), entry: Number(p[2]) });
      }
    } else if (raw.trim() !== '') {
      target = i;
    }
  });
  return out;
}

function fmtDiag(d: ExpectedDiag): string {
  return `${d.line}:${d.start + 1}-${d.end} ${d.code}`;
}

/** Compares a fixture's analysis with its expectations; returns what differs. */
export function compareFixture(a: Analysis, exp: FixtureExpectations): { missing: string[]; unexpected: string[]; badOk: string[] } {
  const got: string[] = [];
  const notes = new Map<string, string>();
  for (const d of a.diagnostics) {
    const p = a.lines.position(d.range.start);
    const q = a.lines.position(d.range.end);
    const k = q.line === p.line ? fmtDiag({ line: p.line + 1, start: p.character, end: q.character, code: d.code }) : `${p.line + 1}:${p.character + 1}-${q.line + 1}:${q.character} ${d.code}`;
    got.push(k);
    notes.set(k, d.message);
  }
  const want = exp.diagnostics.map(fmtDiag);
  const rest = [...got];
  const missing: string[] = [];
  for (const w of want) {
    const i = rest.indexOf(w);
    if (i === -1) missing.push(w); else rest.splice(i, 1);
  }
  const unexpected = rest.map((k) => `${k}  (${notes.get(k)})`);
  const badOk: string[] = [];
  for (const o of exp.ok) {
    const onLine = a.citations.map((c, i) => ({ c, r: a.resolutions[i] })).filter(({ c }) => a.lines.lineAt(c.range.start) + 1 === o.line || a.lines.lineAt(c.yearRange.start) + 1 === o.line);
    const hit = onLine.filter(({ c }) => c.text.replace(/\s+/g, ' ') === o.text);
    if (hit.length === 0) {
      badOk.push(`line ${o.line}: no citation '${o.text}' (found: ${onLine.map(({ c }) => `'${c.text}'`).join(', ') || 'none'})`);
      continue;
    }
    for (const { r } of hit) {
      const line = r.entry !== undefined ? a.lines.lineAt(a.references[r.entry].range.start) + 1 : undefined;
      if (r.status !== 'resolved' || line !== o.entry) badOk.push(`line ${o.line}: '${o.text}' is ${r.status}${line ? ` -> ${line}` : ''}, expected resolved -> ${o.entry}`);
    }
  }
  return { missing, unexpected, badOk };
}

function fixtureFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => EXTS.has(path.extname(f).toLowerCase())).sort().map((f) => path.join(dir, f));
}

function runFixture(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const uri = `file://${file}`;
  const a = analyze({ uri, text });
  const exp = readExpectations(file, text, a.format);
  assert.ok(exp.diagnostics.length + exp.ok.length > 0, `${path.basename(file)} has no annotations`);
  const { missing, unexpected, badOk } = compareFixture(a, exp);
  const report = [
    ...missing.map((m) => `missing     ${m}`),
    ...unexpected.map((u) => `unexpected  ${u}`),
    ...badOk.map((b) => `resolution  ${b}`),
  ];
  assert.deepEqual(report, [], `${path.relative(FIXTURES, file)} (${a.format}):\n  ${report.join('\n  ')}`);
}

describe('annotated fixtures (test/fixtures/forms)', () => {
  const files = fixtureFiles(FORMS);
  const pending = fixtureFiles(PENDING);
  before(() => {
    if (pending.length) console.log(`      ${pending.length} fixture(s) pending in forms/pending/ (known core bugs): ${pending.map((f) => path.basename(f)).join(', ')}`);
  });
  it('has fixtures', () => assert.ok(files.length > 0, `no fixtures in ${FORMS}`));
  for (const f of files) it(path.basename(f), () => runFixture(f));
  for (const f of pending) (process.env.CITECHECK_PENDING ? it : it.skip)(`pending: ${path.basename(f)}`, () => runFixture(f));
});

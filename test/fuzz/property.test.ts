/**
 * Property tests on generated papers (test/helpers/generate.ts).
 *
 * (a) A paper whose citations all match its reference list gets no diagnostic at all, and every
 *     citation the generator wrote is found, once, and resolves to its own entry.
 * (b) One injected fault — a changed year in one citation, two adjacent letters swapped in one
 *     cited name, or one entry deleted — is reported where it is (year-mismatch on the year,
 *     author-mismatch on the name, unresolved-citation on each citation of the deleted entry),
 *     and nothing else changes.
 *
 * Each run draws a fresh fast-check seed, printed at the start; replay a run with
 * `CITECHECK_SEED=<seed> npm test` (and `CITECHECK_FUZZ_RUNS=<n>` for a longer soak).
 * A failure message also names the generator's own seed and options, which rebuild the paper:
 * `generatePaper({ seed, entries, style, wrap, listLayout })`.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../server/src/core';
import type { Analysis, Diagnostic } from '../../server/src/core';
import { foldName, generatePaper, type CitationForm, type GeneratedPaper, type GenerateOptions, type PaperStyle } from '../helpers/generate';

const SEED = process.env.CITECHECK_SEED !== undefined ? Number(process.env.CITECHECK_SEED) : (Date.now() ^ (process.pid << 8)) >>> 0;
const RUNS = Number(process.env.CITECHECK_FUZZ_RUNS ?? 60);

/**
 * Forms the core gets wrong today (see the lead's bug list); the main properties leave them out
 * and a pending test per form says so. Remove a form from here once the core handles it.
 */
const KNOWN_BAD_FORMS: { form: CitationForm; bug: string }[] = [];
const WITHOUT = KNOWN_BAD_FORMS.map((k) => k.form);

const paperArb = fc.record({
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
  entries: fc.integer({ min: 1, max: 45 }),
  style: fc.constantFrom<PaperStyle>('markdown', 'plaintext', 'rst', 'latex'),
  wrap: fc.constantFrom(0, 0, 72, 100),
  listLayout: fc.constantFrom<GenerateOptions['listLayout']>(undefined, 'consecutive', 'blank', 'bullets'),
}).map((o) => ({ ...o, listLayout: o.style === 'rst' || o.style === 'latex' ? 'blank' as const : o.listLayout }));

type PaperOpts = GenerateOptions & { style: PaperStyle };

function make(o: PaperOpts): { paper: GeneratedPaper; a: Analysis } {
  const paper = generatePaper({ ...o, without: o.without ?? WITHOUT });
  return { paper, a: run(paper, paper.text) };
}

function run(paper: GeneratedPaper, text: string): Analysis {
  return analyze({ uri: paper.uri, text, format: paper.style });
}

function describeDiag(a: Analysis, d: Diagnostic): string {
  const p = a.lines.position(d.range.start);
  return `${d.code} at ${p.line + 1}:${p.character + 1} '${a.text.slice(d.range.start, d.range.end).slice(0, 60)}': ${d.message}`;
}

function replay(o: PaperOpts): string {
  return `generatePaper(${JSON.stringify({ seed: o.seed, entries: o.entries, style: o.style, wrap: o.wrap, listLayout: o.listLayout })})`;
}

/** Checks property (a) and returns a list of problems (empty when the paper passes). */
function cleanPaperProblems(paper: GeneratedPaper, a: Analysis): string[] {
  const problems: string[] = [];
  if (a.references.length !== paper.entries.length) problems.push(`found ${a.references.length} entries, the list has ${paper.entries.length}`);
  for (const d of a.diagnostics) problems.push(`unexpected ${describeDiag(a, d)}`);
  const byYear = new Map<number, number[]>();
  a.citations.forEach((c, i) => byYear.set(c.yearRange.start, [...(byYear.get(c.yearRange.start) ?? []), i]));
  for (const c of paper.citations) {
    const found = byYear.get(c.yearStart) ?? [];
    if (found.length !== 1) { problems.push(`citation '${c.text}' (line ${c.line + 1}) found ${found.length} times`); continue; }
    const i = found[0];
    const r = a.resolutions[i];
    const got = a.citations[i];
    const line = r.entry !== undefined ? a.lines.lineAt(a.references[r.entry].range.start) : -1;
    if (r.status !== 'resolved' || line !== c.entryLine) {
      problems.push(`citation '${c.text}' (line ${c.line + 1}): ${r.status}, entry on line ${line + 1}; expected resolved to line ${c.entryLine + 1}`);
    }
    if (got.text !== c.text) problems.push(`citation '${c.text}' (line ${c.line + 1}) reported as '${got.text}'`);
  }
  const written = new Set(paper.citations.map((c) => c.yearStart));
  for (const c of a.citations) {
    if (!written.has(c.yearRange.start)) problems.push(`not a citation: '${c.text}' (line ${a.lines.lineAt(c.range.start) + 1})`);
  }
  return problems;
}

describe('property: generated papers', function () {
  this.timeout(60_000);

  before(() => {
    console.log(`      property seed ${SEED}, ${RUNS} runs (replay: CITECHECK_SEED=${SEED} npm test)`);
  });

  it('(a) a paper whose citations all match gets no diagnostic, and every citation resolves to its entry', () => {
    fc.assert(
      fc.property(paperArb, (o) => {
        const { paper, a } = make(o);
        const problems = cleanPaperProblems(paper, a);
        assert.deepEqual(problems, [], `${replay(o)}:\n  ${problems.slice(0, 15).join('\n  ')}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  const crlfProperty = (bom: boolean) => () => {
    fc.assert(
      fc.property(paperArb, (o) => {
        const { paper, a } = make(o);
        const crlf = (bom ? '\ufeff' : '') + paper.text.replace(/\n/g, '\r\n');
        const b = run(paper, crlf);
        const summary = (x: Analysis) => ({
          references: x.references.length,
          citations: x.citations.map((c, i) => `${c.text}|${x.resolutions[i].status}|${x.resolutions[i].entry !== undefined ? x.lines.lineAt(x.references[x.resolutions[i].entry!].range.start) : -1}|${x.lines.lineAt(c.range.start)}`),
          diagnostics: x.diagnostics.map((d) => `${d.code}@${x.lines.lineAt(d.range.start)}`),
        });
        assert.deepEqual(summary(b), summary(a), `${replay(o)} with CRLF${bom ? ' and BOM' : ''}`);
      }),
      { seed: SEED, numRuns: Math.max(10, Math.round(RUNS / 3)) },
    );
  };

  it('(a) the same with CRLF line ends', crlfProperty(false));
  it('(a) the same with CRLF and a byte-order mark', crlfProperty(true));

  type Fault = 'year' | 'name' | 'delete';
  const faultArb = fc.record({ paper: paperArb, fault: fc.constantFrom<Fault>('year', 'name', 'delete'), pick: fc.nat(), pick2: fc.nat() });

  const faultProperty = (without = WITHOUT) => () => {
    fc.assert(
      fc.property(faultArb, ({ paper: o, fault, pick, pick2 }) => {
        const { paper, a } = make({ ...o, without });
        const injected = inject(paper, fault, pick, pick2);
        fc.pre(injected !== undefined);
        const { text, expect: expected, shift } = injected!;
        const b = run(paper, text);
        const key = (d: Diagnostic, off = 0) => `${d.code}@${d.range.start + off}-${d.range.end + off}`;
        // Diagnostics before the fault, moved to where they are after it.
        const before = new Map<string, number>();
        for (const d of a.diagnostics) {
          const k = key(d, shift && d.range.start >= shift.at ? -shift.by : 0);
          before.set(k, (before.get(k) ?? 0) + 1);
        }
        const added: Diagnostic[] = [];
        for (const d of b.diagnostics) {
          const k = key(d);
          const n = before.get(k) ?? 0;
          if (n > 0) before.set(k, n - 1); else added.push(d);
        }
        const removed = [...before].filter(([, n]) => n > 0).map(([k]) => k);
        const msg = `${replay(o)} with fault ${injected!.about}:\n  added: ${added.map((d) => describeDiag(b, d)).join('\n         ') || '-'}\n  removed: ${removed.join(', ') || '-'}`;
        assert.deepEqual(removed, [], msg);
        const want = expected.map((e) => `${e.code}@${e.line}${e.range ? `:${e.range.start}-${e.range.end}` : ''}`).sort();
        const got = added.map((d) => {
          const line = b.lines.lineAt(d.range.start);
          const e = expected.find((x) => x.code === d.code && x.line === line);
          return `${d.code}@${line}${e?.range ? `:${d.range.start}-${d.range.end}` : ''}`;
        }).sort();
        assert.deepEqual(got, want, msg);
      }),
      { seed: SEED, numRuns: Math.round(RUNS * 1.5) },
    );
  };

  it('(b) one injected fault is reported on its own line and nothing else changes', faultProperty());

  for (const k of KNOWN_BAD_FORMS) {
    // Pending until the core handles the form; run it with CITECHECK_KNOWN_BAD=1.
    (process.env.CITECHECK_KNOWN_BAD ? it : it.skip)(`(a) and (b) with the form '${k.form}' (known core bug: ${k.bug})`, () => {
      const without = WITHOUT.filter((f) => f !== k.form);
      fc.assert(
        fc.property(paperArb, (o) => {
          const { paper, a } = make({ ...o, without });
          const problems = cleanPaperProblems(paper, a);
          assert.deepEqual(problems, [], `${replay(o)}:\n  ${problems.slice(0, 15).join('\n  ')}`);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      faultProperty(without)();
    });
  }
});

interface Expected {
  code: string;
  /** 0-based line. */
  line: number;
  /** Exact range, when the check reports a well-defined token. */
  range?: { start: number; end: number };
}

/** Applies one fault; undefined when the paper has no place for it. */
function inject(paper: GeneratedPaper, fault: 'year' | 'name' | 'delete', pick: number, pick2: number):
  { text: string; expect: Expected[]; shift?: { at: number; by: number }; about: string } | undefined {
  const text = paper.text;
  const cs = paper.citations;
  const firstFamily = (i: number) => foldName(paper.entries[i].authors[0]);
  if (fault === 'year') {
    // A numeric year whose change no other citation inherits (`2015a, b`).
    const ok = cs.filter((c) => /^\d{4}/.test(text.slice(c.yearStart, c.yearEnd)) && !cs.some((d) => d.continuationOf === c.index && d.suffixOnly));
    if (!ok.length) return undefined;
    const c = ok[pick % ok.length];
    const old = text.slice(c.yearStart, c.yearStart + 4);
    // A year one off (the usual slip) that none of the entries with this first author has. (A
    // year further off, for authors with several works, may rightly read as a missing work.)
    const taken = new Set(paper.entries.filter((e) => firstFamily(e.index) === firstFamily(c.entry)).map((e) => e.year.slice(0, 4)));
    const tries = pick2 % 2 ? [Number(old) + 1, Number(old) - 1] : [Number(old) - 1, Number(old) + 1];
    const y = tries.find((t) => !taken.has(String(t)));
    if (y === undefined) return undefined;
    return {
      text: text.slice(0, c.yearStart) + String(y) + text.slice(c.yearStart + 4),
      expect: [{ code: 'year-mismatch', line: c.line, range: { start: c.yearStart, end: c.yearEnd } }],
      about: `year ${old} -> ${y} in '${c.text}' (line ${c.line + 1})`,
    };
  }
  if (fault === 'name') {
    // A word of 5+ letters in a cited name; letters k and k+1 swapped (never the first letter).
    const spots: { c: number; n: number; at: number }[] = [];
    for (const c of cs) {
      if (c.continuationOf !== undefined) continue;
      c.names.forEach((nm, n) => {
        for (const w of nm.text.matchAll(/\p{L}{5,}/gu)) {
          const word = w[0];
          for (let k = 1; k + 1 < word.length; k++) {
            if (foldName(word[k]) !== foldName(word[k + 1])) spots.push({ c: c.index, n, at: nm.start + w.index! + k });
          }
        }
      });
    }
    if (!spots.length) return undefined;
    const s = spots[pick % spots.length];
    const c = cs[s.c];
    const nm = c.names[s.n];
    const swapped = text.slice(0, s.at) + text[s.at + 1] + text[s.at] + text.slice(s.at + 2);
    // One misspelled name, one diagnostic, also when further years share it (`Smith 2019, 2021`);
    // the works of those years still count as cited.
    return {
      text: swapped,
      expect: [{ code: 'author-mismatch', line: c.line, range: { start: nm.start, end: nm.end } }],
      about: `'${nm.text}' -> '${swapped.slice(nm.start, nm.end)}' in '${c.text}' (line ${c.line + 1})`,
    };
  }
  // Delete an entry whose first author starts no other entry (else its citations would rightly
  // become year-mismatches against the author's other works) and that no ditto dash leans on.
  if (paper.entries.length < 2) return undefined;
  const ok = paper.entries.filter((e) => {
    const next = paper.entries[e.index + 1];
    if (next?.ditto || e.ditto) return false;
    if (paper.entries.some((o) => o !== e && firstFamily(o.index) === firstFamily(e.index))) return false;
    return cs.some((c) => c.entry === e.index);
  });
  if (!ok.length) return undefined;
  const e = ok[pick % ok.length];
  const lineStart = text.lastIndexOf('\n', e.start - 1) + 1;
  const nl = text.indexOf('\n', e.end);
  const lineEnd = nl === -1 ? text.length : nl + 1;
  return {
    text: text.slice(0, lineStart) + text.slice(lineEnd),
    expect: cs.filter((c) => c.entry === e.index).map((c) => ({ code: 'unresolved-citation', line: c.line })),
    shift: { at: lineStart, by: lineEnd - lineStart },
    about: `deleted entry on line ${e.line + 1} '${e.text.slice(0, 60)}'`,
  };
}


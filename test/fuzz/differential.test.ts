/**
 * Differential tests of incremental checking: the same edits fed to one long-lived `Analyzer`
 * (as the language server does) and to a fresh `analyze()` must give the same answer.
 *
 * (a) core: random edits — inserts, deletes and replacements of random spans, with citation
 *     fragments (`(Kim 2015`, `)`, `; `), newlines and blank lines, code fences, `<!--`, `$`,
 *     `# References`, spans copied from elsewhere in the paper, and undos — applied to generated
 *     papers of every format through ONE Analyzer; after each edit its diagnostics, citations,
 *     resolutions, references and sections deep-equal those of `analyze()` on the same text.
 * (b) server: random incremental didChange edits sent to the real language server over stdio; after
 *     the last edit of each batch, the diagnostics it publishes for that version equal `analyze()`
 *     from scratch, converted to LSP positions here (not with the server's own converter).
 *
 * The seed is printed; `CITECHECK_SEED=<seed> npm test` replays a run (the same variable replays
 * test/fuzz/property.test.ts). `CITECHECK_DIFF_RUNS` / `CITECHECK_DIFF_EDITS` scale part (a).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Diagnostic as LspDiagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { analyze, Analyzer, type Analysis, type DocumentFormat } from '../../server/src/core';
import { generatePaper, Rng, type PaperStyle } from '../helpers/generate';
import { applyEdit, concrete, FRAGMENTS, knownBad, randomOp, type EditOp, type Ins } from '../helpers/edits';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../lsp/lspClient';
import { SERVER_CODES } from '../../server/src/lsp/analyses';

/** Offset -> LSP position as the protocol defines it (`\n`, `\r\n` and `\r` end lines). */
function positionOf(text: string, offset: number) {
  return TextDocument.create('file:///x', 'plaintext', 0, text).positionAt(offset);
}

const SEED = process.env.CITECHECK_SEED !== undefined ? Number(process.env.CITECHECK_SEED) : (Date.now() ^ (process.pid << 9)) >>> 0;
const RUNS = Number(process.env.CITECHECK_DIFF_RUNS ?? 8);
const EDITS = Number(process.env.CITECHECK_DIFF_EDITS ?? 250);
/** Papers stay small, so thousands of fresh analyses take seconds. */
const MAX_LENGTH = 3_000;

type Op = EditOp | { kind: 'undo'; back: number };

const fraction = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000);
const insArb: fc.Arbitrary<Ins> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Ins>({ kind: 'none' }) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: FRAGMENTS.length - 1 }).map((i): Ins => ({ kind: 'fragment', i })) },
  { weight: 3, arbitrary: fc.record({ from: fraction, len: fc.integer({ min: 1, max: 400 }) }).map((r): Ins => ({ kind: 'copy', ...r })) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abcKim (2015);,.\n-#`$[]{}@\\%éa '.split('')), maxLength: 12 }).map((s): Ins => ({ kind: 'chars', s })) },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('edit' as const), at: fraction, del: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 300 })), ins: insArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), back: fc.integer({ min: 1, max: 6 }) }) },
);
const paperArb = fc.record({
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
  entries: fc.integer({ min: 1, max: 6 }),
  paragraphs: fc.integer({ min: 1, max: 4 }),
  style: fc.constantFrom<PaperStyle>('markdown', 'markdown', 'latex', 'rst', 'plaintext'),
  wrap: fc.constantFrom(0, 72),
});

/** What must not depend on the analysis history. */
function observable(a: Analysis) {
  return { diagnostics: a.diagnostics, citations: a.citations, resolutions: a.resolutions, references: a.references, sections: a.sections, bibliographyPaths: a.bibliographyPaths };
}

/** The first difference between two analyses, short enough for a failure message. */
export function firstDifference(got: Analysis, want: Analysis): string | undefined {
  const g = observable(got);
  const w = observable(want);
  for (const k of Object.keys(w) as (keyof typeof w)[]) {
    const gs = g[k] as unknown[];
    const ws = w[k] as unknown[];
    for (let i = 0; i < Math.max(gs.length, ws.length); i++) {
      const a = JSON.stringify(gs[i]);
      const b = JSON.stringify(ws[i]);
      if (a !== b) return `${k}[${i}] (incremental has ${gs.length}, fresh ${ws.length}):\n      incremental: ${a?.slice(0, 400)}\n      fresh:       ${b?.slice(0, 400)}`;
    }
  }
  try {
    assert.deepStrictEqual(g, w);
  } catch (e) {
    return (e as Error).message.slice(0, 800);
  }
  return undefined;
}

describe('differential: incremental analysis equals a fresh analysis', function () {
  this.timeout(120_000);
  let edits = 0;
  let slowest = { ms: 0, style: '', length: 0 };

  before(() => {
    console.log(`      differential seed ${SEED} (replay: CITECHECK_SEED=${SEED} npm test)`);
  });

  it(`(a) core: ${RUNS} generated papers x ${EDITS} random edits through one Analyzer each`, () => {
    const started = Date.now();
    fc.assert(
      fc.property(paperArb, fc.array(opArb, { minLength: EDITS, maxLength: EDITS }), (o, ops) => {
        const paper = generatePaper({ seed: o.seed, entries: o.entries, paragraphs: o.paragraphs, style: o.style, wrap: o.wrap });
        const format: DocumentFormat = o.style;
        const uri = paper.uri;
        const analyzer = new Analyzer();
        const history: string[] = [paper.text];
        let text = paper.text;
        analyzer.analyze({ uri, text, format });
        for (let k = 0; k < ops.length; k++) {
          const op = ops[k];
          const prev = text;
          if (op.kind === 'undo') text = history[Math.max(0, history.length - 1 - op.back)];
          else text = applyEdit(text, concrete(op, text, MAX_LENGTH));
          if (knownBad(text, false, prev)) {
            text = prev;
            continue;
          }
          history.push(text);
          edits++;
          const got = analyzer.analyze({ uri, text, format, version: k + 2 });
          const t0 = performance.now();
          const want = analyze({ uri, text, format, version: k + 2 });
          const dt = performance.now() - t0;
          if (dt > slowest.ms) slowest = { ms: dt, style: o.style, length: text.length };
          const diff = firstDifference(got, want);
          if (diff) {
            // A two-step reproduction, when the difference needs no longer history.
            const two = new Analyzer();
            two.analyze({ uri, text: prev, format });
            const short = firstDifference(two.analyze({ uri, text, format, version: k + 2 }), want) !== undefined;
            assert.fail(
              `generatePaper(${JSON.stringify({ seed: o.seed, entries: o.entries, paragraphs: o.paragraphs, style: o.style, wrap: o.wrap })}), edit #${k + 1} (${JSON.stringify(op)}):\n    ${diff}\n` +
              (short ? `    reproduces with two analyses: new Analyzer(); analyze(prev); analyze(text) with\n    prev = ${JSON.stringify(prev)}\n    text = ${JSON.stringify(text)}` : '    needs the longer history (no two-step reproduction)'),
            );
          }
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`      ${edits} edits compared in ${((Date.now() - started) / 1000).toFixed(1)} s; slowest fresh analyze ${slowest.ms.toFixed(0)} ms (${slowest.style}, ${slowest.length} chars)`);
  });

  it('(c) core: edits inside a long reference list and in the prose above it, through one Analyzer', () => {
    // The Analyzer keeps entries, the reference index, the list checks' findings and paragraph
    // resolutions while the list is unchanged, and re-resolves only the citations of changed names:
    // each kind of list edit must still give what a fresh analysis gives.
    for (const style of ['markdown', 'latex', 'rst', 'plaintext'] as const) {
      const paper = generatePaper({ seed: 99, entries: 60, paragraphs: 30, style, wrap: 0 });
      const uri = paper.uri;
      const analyzer = new Analyzer();
      let text = paper.text;
      let a = analyzer.analyze({ uri, text, format: style });
      const rng = new Rng(7);
      const steps: { what: string; edit: (t: string, a: Analysis) => string }[] = [
        { what: 'a letter in a name', edit: (t, x) => { const e = x.references[rng.int(0, x.references.length - 1)]; const at = (e.authorRange ?? e.range).start + 1; return t.slice(0, at) + 'q' + t.slice(at + 1); } },
        { what: 'a letter in a title', edit: (t, x) => { const e = x.references[rng.int(0, x.references.length - 1)]; return t.slice(0, e.range.end - 3) + 'z' + t.slice(e.range.end - 3); } },
        { what: 'an entry repeated', edit: (t, x) => { const e = x.references[rng.int(0, x.references.length - 1)]; return t.slice(0, e.range.end) + '\n\n' + t.slice(e.range.start, e.range.end) + t.slice(e.range.end); } },
        { what: 'an entry deleted', edit: (t, x) => { const e = x.references[rng.int(0, x.references.length - 1)]; return t.slice(0, e.range.start) + t.slice(e.range.end); } },
        { what: 'a letter typed in the prose', edit: (t, x) => { const at = Math.max(0, (x.sections[0]?.range.start ?? t.length) - 200); return t.slice(0, at) + 'e' + t.slice(at); } },
        { what: 'a line added in the prose', edit: (t, x) => { const at = t.indexOf('\n', Math.floor((x.sections[0]?.range.start ?? t.length) / 3)); return at < 0 ? t : t.slice(0, at) + '\n' + t.slice(at); } },
        { what: 'a cited year changed', edit: (t, x) => { const c = x.citations[rng.int(0, Math.max(1, x.citations.length) - 1)]; if (!c) return t; const at = c.yearRange.start + 3; return t.slice(0, at) + (t[at] === '1' ? '2' : '1') + t.slice(at + 1); } },
      ];
      for (let k = 0; k < 60; k++) {
        const step = rng.pick(steps);
        if (!a.references.length) break;
        text = step.edit(text, a);
        a = analyzer.analyze({ uri, text, format: style, version: k + 2 });
        const diff = firstDifference(a, analyze({ uri, text, format: style, version: k + 2 }));
        if (diff) assert.fail(`${style}, step ${k + 1} (${step.what}):\n    ${diff}`);
      }
    }
  });

  it('(d) core: typing within a line, with the change range an editor sends, in prose, citations and every list layout', () => {
    // An edit within one line is patched onto the last version (Analyzer.patch): only its
    // paragraph, and its entry in a list, are read again; everything after it is moved in place.
    // Letters, deleted characters, year digits, name letters (also of an entry a ditto entry
    // repeats), a line duplicated elsewhere (two paragraphs of one text), inline comments and
    // letters typed beside their markers, and lines made into headings or list items must all
    // give what a fresh analysis gives.
    const rng = new Rng((SEED ^ 0xd1) >>> 0);
    let compared = 0;
    for (const style of ['markdown', 'markdown', 'markdown', 'plaintext', 'latex', 'latex', 'rst'] as const) {
      const layout = rng.pick(['consecutive', 'blank', 'bullets'] as const);
      const paper = generatePaper({ seed: rng.int(0, 0x7fffffff), entries: 40, paragraphs: 25, style, wrap: rng.pick([0, 72]), listLayout: style === 'markdown' ? layout : undefined });
      const uri = paper.uri;
      const analyzer = new Analyzer();
      let text = paper.text;
      let version = 1;
      let a = analyzer.analyze({ uri, text, format: style, version });
      /** Replaces `del` characters at `at` by `ins`, telling the Analyzer where, as an editor does. */
      const type = (at: number, del: number, ins: string): string => {
        const before = version;
        text = text.slice(0, at) + ins + text.slice(at + del);
        version++;
        a = analyzer.analyze({ uri, text, format: style, version }, { change: { since: before, start: at, oldEnd: at + del, newEnd: at + ins.length } });
        return text;
      };
      const somewhere = () => rng.int(0, Math.max(0, text.length - 1));
      const wordEnd = (from: number) => {
        const m = /[a-z](?=[\s.,;)])/g;
        m.lastIndex = from;
        const r = m.exec(text);
        return r ? r.index + 1 : from;
      };
      const steps: { what: string; run: () => void }[] = [
        { what: 'a letter typed at the end of a word', run: () => type(wordEnd(somewhere()), 0, rng.pick(['e', 's', 'x'])) },
        { what: 'a character deleted', run: () => { const at = somewhere(); if (!/[\r\n]/.test(text[at] ?? '\n')) type(at, 1, ''); } },
        { what: 'a cited year changed', run: () => { const c = a.citations.length ? a.citations[rng.int(0, a.citations.length - 1)] : undefined; if (c && /^\d{4}/.test(c.year)) type(c.yearRange.start + 3, 1, String(rng.int(0, 9))); } },
        { what: 'a letter in an entry\'s name', run: () => { const e = a.references.length ? a.references[rng.int(0, a.references.length - 1)] : undefined; if (e) type((e.authorRange ?? e.range).start + 1, rng.int(0, 1), rng.pick(['q', 'e', ''])); } },
        { what: 'a letter in an entry\'s title', run: () => { const e = a.references.length ? a.references[rng.int(0, a.references.length - 1)] : undefined; if (e && e.range.end - e.range.start > 8) type(e.range.end - 4, 0, 'z'); } },
        { what: 'a year typed in an entry', run: () => { const e = a.references.length ? a.references[rng.int(0, a.references.length - 1)] : undefined; if (e?.yearRange) type(e.yearRange.end - 1, 1, String(rng.int(0, 9))); } },
        { what: 'a citation typed', run: () => type(wordEnd(somewhere()), 0, rng.pick([' (Kim 2015)', ' (see Lee et al. 2019: 4)', ' Nye (2024)', ' (', ')', '; '])) },
        { what: 'a line start made a heading or an item, and back', run: () => { const ls = text.lastIndexOf('\n', somewhere()) + 1; type(ls, 0, rng.pick(['# ', '- ', '1. ', 'References ', '***'])); } },
        { what: 'a letter typed in a heading', run: () => { const hs = [...text.matchAll(/^#{1,6} .*$/gm)]; if (hs.length) { const h = rng.pick(hs); type(h.index! + h[0].length - rng.int(0, Math.min(3, h[0].length - 3)), 0, rng.pick(['e', 's', ' ', '#', ' References'])); } } },
        { what: 'an inline comment typed', run: () => type(wordEnd(somewhere()), 0, rng.pick([' <!-- note -->', ' <!-- citecheck-ignore -->', '<!--', '-->', ' <!-- (Kim 2015) -->'])) },
        { what: 'a letter typed beside a comment marker', run: () => { const marks = [...text.matchAll(/<!--|-->/g)]; if (marks.length) { const m = rng.pick(marks); const at = Math.max(0, Math.min(text.length, m.index! + rng.int(-2, 5))); if (rng.chance(0.5)) type(at, 0, rng.pick(['e', '-', '!', ' '])); else if (!/[\r\n]/.test(text[at] ?? '\n')) type(at, 1, ''); } } },
        { what: 'a LaTeX or math marker typed', run: () => { const at = rng.chance(0.3) ? text.lastIndexOf('\n', somewhere()) + 1 : wordEnd(somewhere()); type(at, 0, rng.pick(['\\', '$', '$$', '%', '\\%', '\\[', '\\]', '\\(', '\\)', '\\begin{verbatim}', '\\end{verbatim}', '@ ', '<<a>>=', '{', '}', '\\cite{kim}', '\\section{Notes}', '`', '*', '_', '['])); } },
        { what: 'text typed at the very end (into a comment left open there)', run: () => type(text.length, 0, rng.pick(['<!--', ' [@kim2015]', ' (Kim 2015)', 'e', '-->', '\\begin{verbatim}', '%'])) },
        { what: 'typing inside a comment', run: () => { const cs = [...text.matchAll(/<!--[^\n]*?-->/g)]; if (cs.length) { const c = rng.pick(cs); const at = c.index! + rng.int(4, c[0].length - 3); if (rng.chance(0.7)) type(at, 0, rng.pick(['e', ' note', ' citecheck-ignore', '-'])); else if (at < c.index! + c[0].length - 3) type(at, 1, ''); } } },
        { what: 'a copy of a paragraph elsewhere', run: () => { if (a.citations.length) { const c = a.citations[rng.int(0, a.citations.length - 1)]; const ls = text.lastIndexOf('\n', c.range.start) + 1; const le = text.indexOf('\n', c.range.end); const line = text.slice(ls, le < 0 ? text.length : le); const at = text.lastIndexOf('\n', somewhere()) + 1; if (!/[\r\n]/.test(line)) type(at, 0, line); } } },
      ];
      for (let k = 0; k < 80; k++) {
        const step = rng.pick(steps);
        step.run();
        compared++;
        const diff = firstDifference(a, analyze({ uri, text, format: style, version }));
        if (diff) assert.fail(`${style} (${layout}), step ${k + 1} (${step.what}), seed ${SEED}:\n    ${diff}\n    text ends ${JSON.stringify(text.slice(-300))}`);
      }
    }
    assert.ok(compared > 0);
  });

  it('(e) core: a backtick typed in a list written as one paragraph hides the lines after it, as from scratch', () => {
    // Found by (a) with seed 32: the code span a backtick opens runs on into the next lines of the
    // paragraph, so the entry's next line reads as blank and the entry ends; a patch that re-read
    // only the edited line kept the old cut.
    const text = '# Paper\n\nAs Kim (2015) and Lee (2019) show.\n\n## References\n\nKim, D. 2015. A title that runs on\nover two lines. Press.`\nLee, J. 2019. Another title. Journal.\n';
    const at = text.indexOf('runs on') + 4;
    const analyzer = new Analyzer();
    analyzer.analyze({ uri: 'file:///e.md', text, format: 'markdown', version: 1 });
    for (const typed of ['`', '`x', '<!--']) {
      const next = text.slice(0, at) + typed + text.slice(at);
      const got = analyzer.analyze({ uri: 'file:///e.md', text: next, format: 'markdown', version: 2 }, { change: { since: 1, start: at, oldEnd: at, newEnd: at + typed.length } });
      const diff = firstDifference(got, analyze({ uri: 'file:///e.md', text: next, format: 'markdown', version: 2 }));
      if (diff) assert.fail(`typed ${JSON.stringify(typed)}:\n    ${diff}`);
      analyzer.analyze({ uri: 'file:///e.md', text, format: 'markdown', version: 1 });
    }
  });

  describe('(b) the language server over stdio', function () {
    let client: LspClient;
    before(async () => {
      client = await LspClient.start();
    });
    after(async () => {
      await client?.stop();
    });

    const STYLES: PaperStyle[] = ['markdown', 'latex'];
    for (const style of STYLES) {
      it(`publishes, for the last version of each batch of random didChange edits, what analyze() finds from scratch (${style})`, async () => {
        const rng = new Rng((SEED ^ (style === 'markdown' ? 0x51 : 0xa7)) >>> 0);
        const paper = generatePaper({ seed: rng.int(0, 0x7fffffff), entries: 20, paragraphs: 14, style });
        const uri = `file:///fuzz/differential/${paper.uri.replace(/^.*\//, '')}`;
        const languageId = style === 'latex' ? 'latex' : 'markdown';
        const opened = await client.open(uri, paper.text, languageId);
        assertSameAsFresh(opened, uri, paper.text, style, 'the opened paper');
        const BATCHES = 40;
        let sent = 0;
        for (let b = 0; b < BATCHES; b++) {
          const n = rng.int(1, 12);
          for (let k = 0; k < n; k++) {
            const text = client.text(uri);
            const e = concrete(randomOp(rng), text);
            if (knownBad(applyEdit(text, e), true, text)) continue;
            const change: TextDocumentContentChangeEvent = { range: { start: positionOf(text, e.start), end: positionOf(text, e.start + e.del) }, text: e.text };
            // Now and then two changes in one notification (each applies to the result of the one before).
            if (rng.chance(0.2)) {
              const mid = applyEdit(text, e);
              const e2 = concrete(randomOp(rng), mid);
              if (knownBad(applyEdit(mid, e2), true, mid)) {
                await client.change(uri, [change]);
                sent++;
                continue;
              }
              await client.change(uri, [change, { range: { start: positionOf(mid, e2.start), end: positionOf(mid, e2.start + e2.del) }, text: e2.text }]);
              sent += 2;
            } else {
              await client.change(uri, [change]);
              sent++;
            }
          }
          const version = client.version(uri);
          const published = await client.diagnosticsFor(uri, version);
          assertSameAsFresh(published.diagnostics, uri, client.text(uri), style, `batch ${b + 1}, version ${version}`);
        }
        console.log(`      ${style}: ${sent} edits in ${BATCHES} batches, each batch's last version compared`);
        await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      });
    }
  });
});

const SERVER_ONLY = new Set(Object.values(SERVER_CODES) as string[]);

/** The server's published diagnostics against `analyze()` on the same text, mapped to LSP here. */
function assertSameAsFresh(got: LspDiagnostic[], uri: string, text: string, format: DocumentFormat, where: string): void {
  const a = analyze({ uri, text, format });
  const severity = { error: 1, warning: 2, information: 3, hint: 4 } as const;
  const range = (r: { start: number; end: number }) => ({ start: positionOf(text, r.start), end: positionOf(text, r.end) });
  const want = a.diagnostics.map((d) => ({
    code: d.code,
    severity: severity[d.severity],
    message: d.message,
    range: range(d.range),
    fixes: d.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ range: range(e.range), newText: e.newText })) })),
  }));
  // The server's own diagnostics (a named bibliography not found) are not the core's.
  const have = got.filter((d) => !SERVER_ONLY.has(String(d.code))).map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    range: d.range,
    fixes: ((d.data as { fixes?: { title: string; edits: { range: unknown; newText: string }[] }[] })?.fixes ?? []).map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ range: e.range, newText: e.newText })) })),
  }));
  assert.deepStrictEqual(have, want, `${where}: the server's diagnostics differ from a fresh analyze() (seed ${SEED})`);
}

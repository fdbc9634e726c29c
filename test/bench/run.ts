/**
 * `npm run bench`: how long the core takes to check generated papers of about 100 KB, 1 MB
 * (2,000 entries) and 10 MB (10,000 entries), and what a one-character edit costs.
 * Prints markdown tables for the README. Run with `node --expose-gc` (the npm script does) so
 * retained memory is measured after a full collection.
 *
 * Options: `--sizes=100KB,1MB` (default all three), `--no-bib` (skip the bibliography benchmark),
 * `--no-lsp` (skip the language-server benchmark).
 */
import * as path from 'node:path';
import * as core from '../../server/src/core';
import { analyze } from '../../server/src/core';
import type { Analysis } from '../../server/src/core';
import { generatePaper, PAPER_SIZES, type GeneratedPaper } from '../helpers/generate';

type SizeName = keyof typeof PAPER_SIZES;

interface Row {
  size: SizeName;
  bytes: number;
  entries: number;
  citationsWritten: number;
  runs: number;
  /** The first check of this paper in the process, right after a full collection (as a command-line run pays it). */
  firstMs: number;
  warmups: number;
  medianMs: number;
  minMs: number;
  mbPerS: number;
  retainedMB: number;
  peakRssMB: number;
  rssDeltaMB: number;
  refsFound: number;
  citationsFound: number;
  diagnostics: number;
  editMs: number;
  /** Median re-check through the core's incremental Analyzer, when it has one. */
  incrementalMs?: number;
}

type IncrementalAnalyzer = new () => { analyze(doc: { uri: string; text: string; format?: 'markdown'; version?: number }): Analysis };

/** The core's incremental API (`new Analyzer().analyze(doc)` per version), when it exports one. */
function incrementalAnalyzer(): IncrementalAnalyzer | undefined {
  const c = (core as Record<string, unknown>).Analyzer;
  return typeof c === 'function' ? (c as IncrementalAnalyzer) : undefined;
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(x: number, d = 1): number {
  const k = 10 ** d;
  return Math.round(x * k) / k;
}

function time(f: () => void): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function maxRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** A one-character edit in the middle of the prose: a year digit of a citation, changed. */
function edited(paper: GeneratedPaper): string {
  const c = paper.citations[paper.citations.length >> 1];
  const at = c.yearStart + 3;
  const d = paper.text[at] === '9' ? '8' : String.fromCharCode(paper.text.charCodeAt(at) + 1);
  return paper.text.slice(0, at) + d + paper.text.slice(at + 1);
}

function benchSize(size: SizeName, runs: number, warmups: number): Row {
  const paper = generatePaper({ seed: 2025, ...PAPER_SIZES[size], style: 'markdown', wrap: 0 });
  const doc = { uri: paper.uri, text: paper.text, format: 'markdown' as const };
  const bytes = Buffer.byteLength(paper.text);
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  // The first check (timed on its own), more warm-up (V8 optimises the hot paths and sizes its
  // heap over the first few checks of a large paper), then the timed runs.
  let a: Analysis | undefined;
  const firstMs = time(() => { a = analyze(doc); });
  a = undefined;
  for (let k = 1; k < warmups; k++) analyze(doc);
  const times: number[] = [];
  for (let k = 0; k < runs; k++) times.push(time(() => { a = analyze(doc); }));
  const rssAfter = process.memoryUsage().rss;
  // Memory the result keeps alive: heap after a collection with it, then without it (nothing runs
  // in between, so the caches of pure functions are the same in both).
  a = undefined;
  gc?.();
  a = analyze(doc);
  // Twice: one full collection may leave part of a large heap's garbage to the next.
  gc?.();
  gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  const found = { references: a!.references.length, citations: a!.citations.length, diagnostics: a!.diagnostics.length };
  a = undefined;
  gc?.();
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  // What a one-character edit costs: the whole document again with analyze(), and through the
  // core's incremental Analyzer when it has one (alternating between the two versions, each
  // re-check one character away from the one before).
  const text2 = edited(paper);
  const editTimes: number[] = [];
  for (let k = 0; k < Math.min(runs, 5); k++) editTimes.push(time(() => { analyze({ ...doc, text: text2 }); }));
  const incTimes: number[] = [];
  const Inc = incrementalAnalyzer();
  if (Inc) {
    const an = new Inc();
    an.analyze(doc);
    for (let k = 0; k < Math.max(5, runs); k++) incTimes.push(time(() => { an.analyze({ ...doc, text: k % 2 ? paper.text : text2, version: k + 2 }); }));
  }
  const med = median(times);
  return {
    size,
    bytes,
    entries: paper.entries.length,
    citationsWritten: paper.citations.length,
    runs,
    firstMs: round(firstMs),
    warmups,
    medianMs: round(med),
    minMs: round(Math.min(...times)),
    mbPerS: round(bytes / 1e6 / (med / 1000), 2),
    retainedMB: round((heap1 - heap0) / 1e6),
    peakRssMB: round(maxRssMB()),
    rssDeltaMB: round((rssAfter - rssBefore) / 1e6),
    refsFound: found.references,
    citationsFound: found.citations,
    diagnostics: found.diagnostics,
    editMs: round(median(editTimes)),
    incrementalMs: incTimes.length ? round(median(incTimes), 2) : undefined,
  };
}

function table(rows: Row[]): string {
  const head = '| paper | bytes | entries (found / listed) | citations (found / written) | diagnostics | first check ms | warm-up checks | runs | median ms | min ms | MB/s | retained heap MB | RSS growth MB | peak RSS MB |';
  const sep = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) => `| ${r.size} | ${r.bytes.toLocaleString('en-US')} | ${r.refsFound} / ${r.entries} | ${r.citationsFound} / ${r.citationsWritten} | ${r.diagnostics} | ${r.firstMs} | ${r.warmups} | ${r.runs} | ${r.medianMs} | ${r.minMs} | ${r.mbPerS} | ${r.retainedMB} | ${r.rssDeltaMB} | ${r.peakRssMB} |`);
  return [head, sep, ...lines].join('\n');
}

function editTable(rows: Row[]): string {
  const head = '| paper | one-character edit: incremental re-check (Analyzer) | one-character edit: full re-check (analyze) |';
  const sep = '|---|---:|---:|';
  const inc = (r: Row) => (r.incrementalMs !== undefined ? `${r.incrementalMs} ms` : 'not available: the core exposes no incremental API');
  return [head, sep, ...rows.map((r) => `| ${r.size} | ${inc(r)} | ${r.editMs} ms |`)].join('\n');
}

async function main(): Promise<void> {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const sizes = (arg('sizes')?.split(',') ?? Object.keys(PAPER_SIZES)) as SizeName[];
  const runsFor: Record<SizeName, number> = { '100KB': 21, '1MB': 15, '10MB': 3 };
  // Checks before the timed ones, the first included (timed on its own): the hot paths are
  // optimised and the heap sized over the first few checks of a large paper.
  const warmupsFor: Record<SizeName, number> = { '100KB': 5, '1MB': 5, '10MB': 1 };
  if (!gc) console.log('(run with node --expose-gc for retained-heap numbers)\n');
  console.log(`citecheck core benchmark — node ${process.version}, ${process.platform}/${process.arch}; generated Markdown papers (test/helpers/generate.ts, seed 2025); the first check of each paper timed on its own, then the median of N runs after the warm-up checks\n`);
  const rows: Row[] = [];
  for (const s of sizes) {
    if (!(s in PAPER_SIZES)) throw new Error(`unknown size ${s}; sizes are ${Object.keys(PAPER_SIZES).join(', ')}`);
    rows.push(benchSize(s, runsFor[s], warmupsFor[s]));
    process.stderr.write(`  ${s} done\n`);
  }
  console.log('### Checking a paper\n');
  console.log(table(rows));
  console.log('\n### What an edit costs\n');
  console.log(editTable(rows));

  if (!process.argv.includes('--no-bib')) await bibliographyTables();
  if (!process.argv.includes('--no-lsp')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { benchLanguageServer } = require('./lsp') as typeof import('./lsp.js');
    console.log('\n### Language server (stdio)\n');
    await benchLanguageServer();
  }
}

async function bibliographyTables(): Promise<void> {
  try {
    // Another benchmark, if present; loaded by a computed path so the build does not need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bib = require(path.join(__dirname, 'bib.js')) as { benchBibliography?: () => Promise<unknown[]>; markdownTable?: (rows: unknown[]) => string };
    if (typeof bib.benchBibliography === 'function') {
      console.log('\n### Bibliography files\n');
      const rows = await bib.benchBibliography();
      if (typeof bib.markdownTable === 'function') console.log(bib.markdownTable(rows));
      else console.log(JSON.stringify(rows, null, 2));
    }
  } catch (err) {
    console.log(`\n(bibliography benchmark skipped: ${(err as Error).message.split('\n')[0]})`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

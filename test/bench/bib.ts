/**
 * Bibliography indexing benchmark: our BibTeX reader + toEntries against
 * citation-js (@citation-js/plugin-bibtex) and @retorquere/bibtex-parser on
 * generated .bib files of 1,000, 10,000 and 70,000 entries (~260 bytes each,
 * 70,000 ≈ 18 MB).
 *
 * Standalone: `node --expose-gc test/out/test/bench/bib.js` (works without the
 * flag too). Options: `--sizes=1000,10000`, `--no-others` (ours only),
 * `--no-peak` (skip the peak-RSS runs in child processes).
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parseBibtex } from '../../server/src/core/bibliography/bibtex';
import { toEntries } from '../../server/src/core/bibliography/entries';
import { generateBib } from './bibGen';

export interface Row {
  suite: 'bibliography';
  entries: number;
  sizeMB: number;
  parser: string;
  /** Median wall time of the timed runs. */
  medianMs: number;
  minMs: number;
  /** Median CPU time (user + system, all threads) of the timed runs: steadier than wall time on a busy machine. */
  cpuMs: number;
  runs: number;
  /** Heap still held by the result, after a full GC. */
  heapMB: number;
  /** Peak resident memory of a fresh process reading the file once, over one that only made the text. */
  peakMB?: number;
  /** This parser's median time over ours (ours = 1). */
  vsOurs: number;
  /** Whether it met its goal (ours: 70,000 < 1,000 ms, 10,000 < 200 ms). */
  goal?: string;
}

type GcFn = () => void;

function getGc(): GcFn {
  const g = (globalThis as { gc?: GcFn }).gc;
  if (g) return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as GcFn;
  } catch {
    return () => undefined;
  }
}

const gc = getGc();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

interface Measured {
  times: number[];
  cpu: number[];
  heapMB: number;
}

/** Times `run` `runs` times after `warm` untimed runs (GC before each), then measures the heap its result holds. */
async function measure(run: () => unknown | Promise<unknown>, runs: number, warm: number): Promise<Measured> {
  for (let i = 0; i < warm; i++) await run();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const c0 = process.cpuUsage();
    const t0 = now();
    const r = await run();
    times.push(now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    void r;
  }
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = await run();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  void (kept as { length?: number })?.length;
  return { times, cpu, heapMB: Math.max(0, (after - before) / 2 ** 20) };
}

type ParseFn = (text: string) => unknown;

/** citation-js: BibTeX text to CSL-JSON, without the graph. Undefined when not installed. */
function loadCitationJs(): ParseFn | undefined {
  try {
    // The no-network stubs must be in place before core loads.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fmt = require('../../server/src/bibliography/format') as { installNoNetworkStubs(): void };
    fmt.installNoNetworkStubs();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const core = require('@citation-js/core') as { plugins: { input: { chain(t: string, o: object): unknown[] } } };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@citation-js/plugin-bibtex');
    return (text) => core.plugins.input.chain(text, { generateGraph: false, forceType: '@biblatex/text' });
  } catch {
    return undefined;
  }
}

/** @retorquere/bibtex-parser's parse (its ES module build: the CommonJS one needs tslib). */
async function loadRetorquere(): Promise<ParseFn | undefined> {
  const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<{ parse: ParseFn }>;
  try {
    const cjs = require.resolve('@retorquere/bibtex-parser');
    const esm = path.join(path.dirname(cjs), '..', 'esm', 'index.js');
    const m = await importEsm(pathToFileURL(esm).href);
    return (text) => m.parse(text);
  } catch {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require('@retorquere/bibtex-parser') as { parse: ParseFn };
      return (text) => m.parse(text);
    } catch {
      return undefined;
    }
  }
}

/** Runs one parser once in a fresh process on the file and returns its peak RSS (MB). */
function peakRss(parser: string, file: string): number | undefined {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', parser, file], { encoding: 'utf8', timeout: 300000 });
  const m = /^peak (\d+)/m.exec(r.stdout ?? '');
  return m ? Number(m[1]) / 1024 : undefined;
}

async function child(parser: string, file: string): Promise<void> {
  const text = fs.readFileSync(file, 'utf8');
  gc();
  let fn: ParseFn | undefined;
  if (parser === 'ours') fn = ours;
  else if (parser === 'citation-js') fn = loadCitationJs();
  else if (parser === 'retorquere') fn = await loadRetorquere();
  else fn = () => text.length;
  if (!fn) throw new Error(`parser ${parser} not available`);
  const kept = fn(text);
  gc();
  console.log(`peak ${process.resourceUsage().maxRSS}`);
  void kept;
}

export function ours(text: string): unknown {
  const r = parseBibtex(text, 'file:///bench.bib');
  return toEntries(r.records, 'file:///bench.bib');
}

export async function benchBibliography(options: { sizes?: number[]; others?: boolean; peak?: boolean } = {}): Promise<Row[]> {
  const sizes = options.sizes ?? [1000, 10000, 70000];
  const others = options.others ?? true;
  const cite = others ? loadCitationJs() : undefined;
  const retorquere = others ? await loadRetorquere() : undefined;
  const rows: Row[] = [];
  for (const n of sizes) {
    const text = generateBib(n);
    const sizeMB = Math.round((text.length / 2 ** 20) * 10) / 10;
    const runs = n <= 1000 ? 15 : n <= 10000 ? 9 : 5;
    const m = await measure(() => ours(text), runs, n <= 10000 ? 3 : 1);
    const ourMedian = median(m.times);
    const file = path.join(os.tmpdir(), `citecheck-bench-${process.pid}-${n}.bib`);
    if (options.peak) fs.writeFileSync(file, text);
    const base = options.peak ? peakRss('none', file) : undefined;
    const peak = (p: string): number | undefined => {
      if (base === undefined) return undefined;
      const v = peakRss(p, file);
      return v === undefined ? undefined : round(v - base);
    };
    const limit = n >= 70000 ? 1000 : n >= 10000 ? 200 : undefined;
    rows.push({
      suite: 'bibliography',
      entries: n,
      sizeMB,
      parser: 'citecheck parseBibtex+toEntries',
      medianMs: round(ourMedian),
      minMs: round(Math.min(...m.times)),
      cpuMs: round(median(m.cpu)),
      runs,
      heapMB: round(m.heapMB),
      peakMB: peak('ours'),
      vsOurs: 1,
      goal: limit === undefined ? undefined : `${ourMedian < limit ? 'ok' : 'MISSED'} < ${limit} ms`,
    });
    const theirRuns = n <= 1000 ? 5 : n <= 10000 ? 3 : 1;
    for (const [name, fn, id] of [
      ['citation-js (plugin-bibtex)', cite, 'citation-js'],
      ['@retorquere/bibtex-parser', retorquere, 'retorquere'],
    ] as [string, ParseFn | undefined, string][]) {
      if (!fn) continue;
      try {
        const t = await measure(() => fn(text), theirRuns, 1);
        const med = median(t.times);
        rows.push({
          suite: 'bibliography',
          entries: n,
          sizeMB,
          parser: name,
          medianMs: round(med),
          minMs: round(Math.min(...t.times)),
          cpuMs: round(median(t.cpu)),
          runs: theirRuns,
          heapMB: round(t.heapMB),
          peakMB: peak(id),
          vsOurs: round(med / ourMedian),
        });
      } catch (e) {
        rows.push({ suite: 'bibliography', entries: n, sizeMB, parser: `${name} (failed: ${String(e).slice(0, 60)})`, medianMs: NaN, minMs: NaN, cpuMs: NaN, runs: 0, heapMB: NaN, vsOurs: NaN });
      }
    }
    if (options.peak) fs.rmSync(file, { force: true });
  }
  return rows;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

export function markdownTable(rows: Row[]): string {
  const head = '| entries | MB | parser | median ms | min ms | CPU ms | runs | retained heap MB | peak RSS MB | × ours | goal |';
  const sep = '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|';
  const lines = rows.map((r) => `| ${r.entries} | ${r.sizeMB} | ${r.parser} | ${r.medianMs} | ${r.minMs} | ${r.cpuMs} | ${r.runs} | ${r.heapMB} | ${r.peakMB ?? ''} | ${r.vsOurs} | ${r.goal ?? ''} |`);
  return [head, sep, ...lines].join('\n');
}

if (require.main === module && process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else if (require.main === module) {
  const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const sizes = arg('sizes')?.split(',').map(Number);
  const others = !process.argv.includes('--no-others');
  const peak = !process.argv.includes('--no-peak');
  benchBibliography({ sizes, others, peak })
    .then((rows) => {
      console.log(markdownTable(rows));
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}

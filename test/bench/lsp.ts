/**
 * Language-server benchmark: the REAL server (`node bin/citecheck-language-server.js --stdio`, or
 * $CITECHECK_LSP_SERVER, e.g. `dist/server.js`), driven over stdio by a JSON-RPC client, on a
 * generated 300-page thesis (about 1 MB of Markdown, 2,000 reference entries,
 * `PAPER_SIZES['1MB']` of test/helpers/generate.ts, seed 300).
 *
 * Measured, as an editor sees it (wall time in this process, from sending to receiving):
 * - start-up: spawn -> the `initialize` result;
 * - first diagnostics: `didOpen` -> `publishDiagnostics` of version 1;
 * - edit -> diagnostics: a one-character incremental `didChange` -> the `publishDiagnostics` of
 *   that version, over 200 edits spread evenly through the document (in document order; every
 *   other one types a letter at the end of a lowercase word (`the` -> `thee`: no name or year
 *   changes), the others change the last digit of a citation's year, as a writer makes a typo
 *   and fixes it: one year edit makes the typo (2015 -> 2016, at the next citation), the next
 *   one puts the digit back, so at most one such error is open at a time (where no citation
 *   follows, i.e. in the reference list, a letter is typed instead);
 * - before those 200, a warm-up of 22 edits (10 letters typed in the prose, 10 in the list, a
 *   year typo and its fix), timed on a row of its own: the first edit of each kind pays for V8
 *   compiling its code path, once per session;
 * - the same with many errors open: 100 year typos are made and left (not timed), then 50 letters
 *   typed in the prose are timed: every publish then carries those 100 diagnostics;
 * - hover and completion: 100 requests each at citation positions (hover on the cited name;
 *   completion after the name's first two letters) on an analysed document, and 100 completions
 *   sent right behind a one-letter edit (the analysis of the new version is part of the answer);
 * - memory: VmRSS and VmHWM (peak) of the server from /proc/<pid>/status at the end.
 *
 * The server's debounce is set to 0 ms through initializationOptions (`debounceMs`, the default),
 * so the edit latency is the server's own work plus the JSON-RPC round trip.
 *
 * Standalone: `node test/out/test/bench/lsp-main.js` (after `npx tsc -b`).
 */

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { generatePaper, PAPER_SIZES, type GeneratedPaper } from '../helpers/generate';
import { ROOT } from '../helpers/paths';

export interface LspBenchOptions {
  /** Server script run with this Node and `--stdio` (default: $CITECHECK_LSP_SERVER or bin/citecheck-language-server.js). */
  server?: string;
  seed?: number;
  edits?: number;
  requests?: number;
  /** Print the table (default true). */
  print?: boolean;
}

export interface LspBenchRow {
  what: string;
  n: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  goal?: string;
}

export interface LspBenchResult {
  server: string;
  bytes: number;
  lines: number;
  entries: number;
  citations: number;
  startupMs: number;
  firstDiagnosticsMs: number;
  firstDiagnostics: number;
  rows: LspBenchRow[];
  /** The server's CPU time (all its threads) per edit, averaged over the edits: steadier than wall time on a busy machine. */
  editCpuMs?: number;
  rssMB?: number;
  peakRssMB?: number;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

function row(what: string, xs: number[], goalMs?: number, goalOf: 'p95' | 'median' = 'p95'): LspBenchRow {
  const r: LspBenchRow = { what, n: xs.length, medianMs: r1(median(xs)), p95Ms: r1(quantile(xs, 0.95)), maxMs: r1(Math.max(...xs)) };
  if (goalMs !== undefined) {
    const v = goalOf === 'p95' ? r.p95Ms : r.medianMs;
    r.goal = `${goalOf} < ${goalMs} ms: ${v < goalMs ? 'met' : 'NOT met'}`;
  }
  return r;
}

/** A latency of empty answers proves nothing: say so instead of claiming a goal. */
function emptyIf(empty: boolean, r: LspBenchRow): LspBenchRow {
  return empty ? { ...r, goal: 'NOT measured: every answer was empty' } : r;
}

/** VmRSS and VmHWM of a process, in MB (Linux only). */
function procMemory(pid: number): { rssMB?: number; peakRssMB?: number } {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => {
      const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s);
      return m ? r1(Number(m[1]) / 1024) : undefined;
    };
    return { rssMB: kb('VmRSS'), peakRssMB: kb('VmHWM') };
  } catch {
    return {};
  }
}

/** User + system CPU time of a process in ms, from /proc/<pid>/stat (clock ticks of 10 ms; Linux only). */
function procCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime, stime (fields 14, 15)
  } catch {
    return undefined;
  }
}

/** Line starts of a text, for offset -> LSP position (UTF-16 columns, as the generator's offsets). */
class Lines {
  readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
}

/** The generated thesis: ~1 MB of Markdown, 2,000 entries. */
export function thesis(seed = 300): GeneratedPaper {
  return generatePaper({ seed, ...PAPER_SIZES['1MB'], style: 'markdown', wrap: 0 });
}

/** Runs the benchmark; prints a markdown table (unless `print: false`) and returns the numbers. */
export async function runLspBench(opts: LspBenchOptions = {}): Promise<LspBenchResult> {
  const server = opts.server ?? (process.env.CITECHECK_LSP_SERVER ? path.resolve(ROOT, process.env.CITECHECK_LSP_SERVER) : path.join(ROOT, 'bin', 'citecheck-language-server.js'));
  const nEdits = opts.edits ?? 200;
  const nRequests = opts.requests ?? 100;
  const paper = thesis(opts.seed ?? 300);
  let text = paper.text;
  const uri = 'file:///bench/thesis.md';

  // ------------------------------------------------------------ start-up
  const t0 = now();
  const child = spawn(process.execPath, [server, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
  const stderr: string[] = [];
  child.stderr.on('data', (b: Buffer) => stderr.push(b.toString()));
  let exited: string | undefined;
  const waiters: { version: number; resolve: (t: number) => void; reject: (e: Error) => void }[] = [];
  const published = new Map<number, { at: number; count: number }>();
  child.on('exit', (code, signal) => {
    exited = `the server exited (${code ?? signal}); stderr: ${stderr.join('')}`;
    for (const w of waiters.splice(0)) w.reject(new Error(exited));
  });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const at = now();
    if (p.uri !== uri || p.version === undefined) return;
    published.set(p.version, { at, count: p.diagnostics.length });
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].version === p.version) waiters.splice(i, 1)[0].resolve(at);
    }
  });
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('citecheck/statusChanged', () => undefined);
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  /** When the diagnostics of `version` arrived (now or later). */
  const diagnosticsAt = (version: number): Promise<number> => {
    const done = published.get(version);
    if (done) return Promise.resolve(done.at);
    if (exited) return Promise.reject(new Error(exited));
    return new Promise((resolve, reject) => waiters.push({ version, resolve, reject }));
  };

  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: {
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'] } },
        },
        workspace: { configuration: false },
      },
      initializationOptions: { debounceMs: 0 },
    });
    const startupMs = now() - t0;
    await conn.sendNotification('initialized', {});
    const progress = (m: string) => process.stderr.write(`  lsp bench: ${m} (${((now() - t0) / 1000).toFixed(0)} s)\n`);

    // ---------------------------------------------------------- first diagnostics
    let version = 1;
    const tOpen = now();
    const first = diagnosticsAt(1);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
    const firstDiagnosticsMs = (await first) - tOpen;
    const firstDiagnostics = published.get(1)!.count;
    progress('opened');

    // ---------------------------------------------------------- hover and completion (analysed document)
    let lines = new Lines(text);
    const cites = paper.citations.filter((c) => c.names.length > 0 && c.names[0].end - c.names[0].start >= 3);
    const pick = (k: number, n: number) => cites[Math.floor(((k + 0.5) * cites.length) / n)];
    const hovers: number[] = [];
    let hoverHits = 0;
    for (let k = 0; k < nRequests; k++) {
      const c = pick(k, nRequests);
      const position = lines.position(c.names[0].start + 1);
      const t = now();
      const h = await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      hovers.push(now() - t);
      if (h) hoverHits++;
    }
    const completions: number[] = [];
    let completionItems = 0;
    for (let k = 0; k < nRequests; k++) {
      const c = pick(k, nRequests);
      const position = lines.position(c.names[0].start + 2);
      const t = now();
      const r = await conn.sendRequest<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 1 } });
      completions.push(now() - t);
      completionItems += Array.isArray(r) ? r.length : r?.items.length ?? 0;
    }

    progress('hover and completion done');

    // ---------------------------------------------------------- 200 one-character edits
    // Offsets below are into the original text (paper.text); `cur` maps one to the text as edited
    // (letters are only inserted, years only have a digit replaced).
    const editTimes: number[] = [];
    const editKinds: ('prose letter' | 'year digit' | 'reference-list letter')[] = [];
    const listStart = paper.entries.length ? Math.min(...paper.entries.map((e) => e.start)) : Infinity;
    const inserted: number[] = [];
    const cur = (orig: number) => orig + inserted.filter((x) => x <= orig).length;
    /** The end of a lowercase word at or after `from` (before `limit`), else before `from`: typing there touches no name or year. */
    const wordEnd = (from: number, limit: number, floor: number): number => {
      const ok = (i: number) => /[a-z]/.test(paper.text[i - 1] ?? '') && /\s/.test(paper.text[i] ?? '');
      for (let i = Math.max(from, floor + 1); i < limit; i++) if (ok(i)) return i;
      for (let i = from; i > floor + 1; i--) if (ok(i)) return i;
      return Math.max(from, floor + 1);
    };
    let lastOffset = -1;
    let yearEdits = 0;
    const citeByStart = [...paper.citations].filter((c) => /^\d{4}/.test(paper.text.slice(c.yearStart, c.yearEnd))).sort((a, b) => a.yearStart - b.yearStart);
    let ci = 0;
    /** The year typo made by the last year edit, put right by the next one. */
    let typo: number | undefined;
    const apply = (offset: number, del: number, ins: string) => {
      const start = lines.position(offset);
      const end = lines.position(offset + del);
      text = text.slice(0, offset) + ins + text.slice(offset + del);
      lines = new Lines(text);
      return { range: { start, end }, text: ins };
    };
    const typeLetter = (orig: number) => {
      const change = apply(cur(orig), 0, 'e');
      inserted.push(orig);
      return change;
    };
    /** Sends one change as the next version; ms until that version's diagnostics arrive. */
    const timedChange = async (change: TextDocumentContentChangeEvent): Promise<number> => {
      version++;
      const p = diagnosticsAt(version);
      const t = now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      return (await p) - t;
    };
    // Warm-up, not in the rows below (but shown on its own): 10 letters typed in the prose, 10 in
    // the reference list and a year typo made and fixed, each at its own place, so that the
    // measured edits do not include V8 compiling each code path on its first use.
    const warmUp: number[] = [];
    const warmAt: number[] = [];
    for (let k = 0; k < 10; k++) warmAt.push(wordEnd(Math.floor(((k + 0.25) * listStart) / 10), listStart, -1));
    for (let k = 0; k < 10; k++) warmAt.push(wordEnd(listStart + Math.floor(((k + 0.25) * (paper.text.length - listStart)) / 10), paper.text.length, listStart));
    const warmChanges = warmAt.map((at) => () => typeLetter(at));
    const warmCite = citeByStart[Math.floor(citeByStart.length / 3)];
    if (warmCite) {
      const at = warmCite.yearStart + 3;
      warmChanges.push(() => apply(cur(at), 1, String((Number(paper.text[at]) + 1) % 10)), () => apply(cur(at), 1, paper.text[at]));
    }
    for (const make of warmChanges) warmUp.push(await timedChange(make()));

    const cpuBefore = procCpuMs(child.pid!);
    for (let k = 0; k < nEdits; k++) {
      const target = Math.max(lastOffset + 1, Math.floor(((k + 0.5) * paper.text.length) / nEdits));
      while (ci < citeByStart.length && citeByStart[ci].yearStart < target) ci++;
      const c = citeByStart[ci];
      const nextTarget = Math.floor(((k + 1.5) * paper.text.length) / nEdits);
      let change;
      if (k % 2 === 1 && typo !== undefined) {
        // The typo of the last year edit put right: 2016 -> 2015.
        change = apply(cur(typo), 1, paper.text[typo]);
        typo = undefined;
        yearEdits++;
        editKinds.push('year digit');
      } else if (k % 2 === 1 && c && c.yearStart < nextTarget) {
        // Change the last digit of the year: 2015 -> 2016 (a typo an author makes, and fixes at the next year edit).
        const at = c.yearStart + 3;
        change = apply(cur(at), 1, String((Number(paper.text[at]) + 1) % 10));
        typo = at;
        lastOffset = at;
        ci++;
        yearEdits++;
        editKinds.push('year digit');
      } else {
        // Type a letter at the end of a lowercase word near the target (`the` -> `thee`).
        const at = wordEnd(target, nextTarget, lastOffset);
        change = typeLetter(at);
        lastOffset = at;
        editKinds.push(at >= listStart ? 'reference-list letter' : 'prose letter');
      }
      editTimes.push(await timedChange(change));
    }

    const cpuAfter = procCpuMs(child.pid!);
    const editCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? r1((cpuAfter - cpuBefore) / nEdits) : undefined;
    progress(`${nEdits} edits done`);

    // ---------------------------------------------------------- completion right behind an edit
    // Type one letter in the prose a little before a citation, then at once ask for completion
    // after the first two letters of the citation's name: the answer waits for the analysis of
    // the new version.
    const typedCompletions: number[] = [];
    let typedItems = 0;
    for (let k = 0; k < nRequests; k++) {
      const c = pick(k, nRequests);
      const nameStart = c.names[0].start;
      const change = typeLetter(wordEnd(Math.max(0, nameStart - 40), nameStart, -1));
      version++;
      const p = diagnosticsAt(version);
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const t = now();
      const r = await conn.sendRequest<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position: lines.position(cur(nameStart) + 2), context: { triggerKind: 1 } });
      typedCompletions.push(now() - t);
      typedItems += Array.isArray(r) ? r.length : r?.items.length ?? 0;
      await p;
    }

    // ---------------------------------------------------------- with 100 errors open
    // 100 year typos made and left (not timed), then 50 letters typed in the prose, timed.
    const manyErrors: number[] = [];
    let open = 0;
    for (const c of citeByStart) {
      if (open >= 100) break;
      if (typo !== undefined && c.yearStart + 3 === typo) continue;
      const at = c.yearStart + 3;
      await timedChange(apply(cur(at), 1, String((Number(paper.text[at]) + 1) % 10)));
      open++;
    }
    const errorsOpen = published.get(version)?.count ?? 0;
    for (let k = 0; k < 50; k++) {
      const target = Math.floor(((k + 0.5) * listStart) / 50);
      manyErrors.push(await timedChange(typeLetter(wordEnd(target, Math.min(listStart, target + 2000), -1))));
    }

    const mem = procMemory(child.pid!);
    const rows = [
      row(`warm-up edits, first of the session (${warmUp.length}: letters in the prose and the list, a year typo and its fix; not in the row below)`, warmUp),
      row(`edit → diagnostics (1-char incremental didChange; ${nEdits - yearEdits} letters typed, ${yearEdits} year digits changed)`, editTimes, 20, 'p95'),
      ...(['prose letter', 'year digit', 'reference-list letter'] as const)
        .map((kind) => [kind, editTimes.filter((_, i) => editKinds[i] === kind)] as const)
        .filter(([, xs]) => xs.length > 0)
        .map(([kind, xs]) => row(`  of which: ${kind}`, xs)),
      row(`edit → diagnostics with ${errorsOpen} diagnostics open (a letter typed in the prose; each publish carries them all)`, manyErrors),
      emptyIf(hoverHits === 0, row(`hover at a citation (${hoverHits}/${nRequests} answered)`, hovers)),
      emptyIf(completionItems === 0, row(`completion at a citation (analysed document; ${r1(completionItems / nRequests)} items on average)`, completions, 30, 'p95')),
      emptyIf(typedItems === 0, row(`completion sent right behind a 1-letter edit (waits for the re-analysis; ${r1(typedItems / Math.max(1, typedCompletions.length))} items on average)`, typedCompletions, 30, 'p95')),
    ];
    const result: LspBenchResult = {
      server: path.relative(ROOT, server) || server,
      bytes: Buffer.byteLength(paper.text),
      lines: new Lines(paper.text).starts.length,
      entries: paper.entries.length,
      citations: paper.citations.length,
      startupMs: r1(startupMs),
      firstDiagnosticsMs: r1(firstDiagnosticsMs),
      firstDiagnostics,
      rows,
      editCpuMs,
      ...mem,
    };
    if (opts.print !== false) console.log(lspMarkdown(result));
    return result;
  } finally {
    const gone = new Promise<void>((resolve) => (exited ? resolve() : child.once('exit', () => resolve())));
    try {
      await Promise.race([conn.sendRequest('shutdown').then(() => conn.sendNotification('exit')), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // answered below
    }
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(kill);
    conn.dispose();
  }
}

export function lspMarkdown(r: LspBenchResult): string {
  const out = [
    `Language server over stdio (\`${r.server}\`, Node ${process.version}), generated thesis: ${(r.bytes / 1e6).toFixed(2)} MB, ${r.lines} lines, ${r.entries} entries, ${r.citations} citations; debounce 0 ms.`,
    '',
    '| measure | n | median ms | p95 ms | max ms | goal |',
    '|---|---:|---:|---:|---:|---|',
    `| start-up (spawn → initialize result) | 1 | ${r.startupMs} | | | |`,
    `| didOpen → first diagnostics (${r.firstDiagnostics} diagnostics) | 1 | ${r.firstDiagnosticsMs} | | | |`,
    ...r.rows.map((x) => `| ${x.what} | ${x.n} | ${x.medianMs} | ${x.p95Ms} | ${x.maxMs} | ${x.goal ?? ''} |`),
    `| server CPU time per edit (mean over the edits, all threads, /proc/<pid>/stat) | | ${r.editCpuMs ?? '?'} | | | |`,
    `| server memory at the end: RSS ${r.rssMB ?? '?'} MB, peak RSS ${r.peakRssMB ?? '?'} MB | | | | | |`,
  ];
  return out.join('\n');
}

/** For test/bench/run.ts: prints the language-server table. */
export async function benchLanguageServer(): Promise<void> {
  await runLspBench({ print: true });
}

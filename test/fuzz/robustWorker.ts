/**
 * Runs one hostile input through the core in a worker thread, so that the test can stop a hang.
 * Message in: { name, format, seed, knownBad? }; message out: { ok, ms, length, problems, error }.
 */
import { parentPort } from 'node:worker_threads';
import { analyze } from '../../server/src/core';
import type { Analysis, DocumentFormat } from '../../server/src/core';
import { Rng } from '../helpers/generate';
import { CASES, KNOWN_BAD_CASES } from './robustCases';

export interface RobustRequest {
  name: string;
  format: DocumentFormat;
  seed: number;
  knownBad?: boolean;
}

export interface RobustResult {
  ok: boolean;
  ms: number;
  length: number;
  problems: string[];
  error?: string;
}

/** What any Analysis must satisfy, whatever the input. */
export function checkAnalysis(a: Analysis, text: string): string[] {
  const problems: string[] = [];
  const n = text.length;
  const inRange = (r: { start: number; end: number } | undefined, what: string) => {
    if (!r) return;
    if (!(Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end <= n)) problems.push(`${what}: bad range ${JSON.stringify(r)} (length ${n})`);
  };
  if (a.text !== text) problems.push('analysis.text differs from the input');
  if (a.citations.length !== a.resolutions.length) problems.push(`${a.citations.length} citations but ${a.resolutions.length} resolutions`);
  a.references.forEach((e, i) => {
    if (e.index !== i) problems.push(`reference ${i} has index ${e.index}`);
    if (e.uri === a.uri) { inRange(e.range, `reference ${i}`); inRange(e.yearRange, `reference ${i} year`); inRange(e.authorRange, `reference ${i} authors`); }
  });
  a.citations.forEach((c, i) => {
    if (c.index !== i) problems.push(`citation ${i} has index ${c.index}`);
    inRange(c.range, `citation ${i}`);
    inRange(c.yearRange, `citation ${i} year`);
    for (const nm of c.authors) inRange(nm.range, `citation ${i} name`);
    const r = a.resolutions[i];
    for (const k of [r?.entry, ...(r?.candidates ?? [])]) if (k !== undefined && !(k >= 0 && k < a.references.length)) problems.push(`resolution ${i} points at entry ${k}`);
  });
  for (const d of a.diagnostics) {
    if (d.uri === a.uri) inRange(d.range, `diagnostic ${d.code}`);
    if (typeof d.message !== 'string' || d.message === '') problems.push(`diagnostic ${d.code} without a message`);
    for (const f of d.fixes) for (const e of f.edits) if (d.uri === a.uri) inRange(e.range, `fix of ${d.code}`);
  }
  for (let k = 1; k < a.diagnostics.length; k++) if (a.diagnostics[k].range.start < a.diagnostics[k - 1].range.start) { problems.push('diagnostics out of order'); break; }
  try { JSON.stringify({ c: a.citations, r: a.resolutions, d: a.diagnostics, e: a.references }); } catch (err) { problems.push(`not serialisable: ${(err as Error).message}`); }
  if (a.lines.lineCount !== text.split('\n').length) problems.push(`lineCount ${a.lines.lineCount}, text has ${text.split('\n').length} lines`);
  return problems.slice(0, 10);
}

export function runCase(req: RobustRequest): RobustResult {
  const build = req.knownBad ? KNOWN_BAD_CASES[req.name].build : CASES[req.name];
  const text = build(new Rng(req.seed));
  const t = process.hrtime.bigint();
  try {
    const a = analyze({ uri: `file:///robust/${req.name.replace(/\W+/g, '-')}`, text, format: req.format });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    return { ok: true, ms, length: text.length, problems: checkAnalysis(a, text) };
  } catch (err) {
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    return { ok: false, ms, length: text.length, problems: [], error: (err as Error)?.stack ?? String(err) };
  }
}

parentPort?.on('message', (req: RobustRequest) => {
  parentPort!.postMessage(runCase(req));
});

/**
 * An hour-long editing session, compressed: 20,000 operations — edits, hovers, completions — over
 * stdio on a ~1 MB generated paper, against the real language server (run with --expose-gc so
 * that `citecheck/memory` can collect before it measures).
 *
 *   npm run soak                         # defaults
 *   CITECHECK_SOAK_OPS=5000 CITECHECK_SOAK_BYTES=300000 CITECHECK_SEED=7 npm run soak
 *
 * Operations come in bursts, as from a writer: a run of edits (sent as didChange notifications,
 * each applying to the text the one before left), then hovers and completions at random places
 * (pipelined, as an editor sends them while the user moves about). Every 2,000 operations it asks
 * the server for its memory after a collection, and waits for the diagnostics of the current
 * version. Prints RSS and heap at the start, every 2,000 operations and at the end, and the
 * throughput; exits 1 if RSS after the last operation is more than 30% above RSS after warm-up
 * (the first 2,000 operations), or if the server failed or a request got an internal error.
 */
import type { CompletionList, Hover } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generatePaper, Rng } from '../helpers/generate';
import { applyEdit, concrete, knownBad, randomOp } from '../helpers/edits';
import { LspClient } from '../lsp/lspClient';

const OPS = Number(process.env.CITECHECK_SOAK_OPS ?? 20_000);
const BYTES = Number(process.env.CITECHECK_SOAK_BYTES ?? 1_000_000);
const SEED = process.env.CITECHECK_SEED !== undefined ? Number(process.env.CITECHECK_SEED) : (Date.now() >>> 0);
const BURST = Number(process.env.CITECHECK_SOAK_BURST ?? 200);
const SAMPLE_EVERY = 2_000;
const MAX_GROWTH = 0.3;

interface Memory { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

async function main(): Promise<number> {
  const rng = new Rng(SEED);
  const paper = generatePaper({ seed: rng.int(0, 0x7fffffff), entries: Math.max(20, Math.round(BYTES / 500)), targetBytes: BYTES, style: 'markdown' });
  const uri = 'file:///soak/paper.md';
  const maxLength = Math.round(paper.text.length * 1.05);
  console.log(`soak: seed ${SEED} (replay: CITECHECK_SEED=${SEED} npm run soak), ${OPS} operations on a ${(paper.text.length / 1e6).toFixed(2)} MB paper (${paper.entries.length} entries, ${paper.citations.length} citations), bursts of ${BURST}`);

  // The server's own debounce (200 ms, as the VS Code client sets it) lets a burst of edits be checked once.
  const client = await LspClient.start({ execArgv: ['--expose-gc'], initializationOptions: { debounceMs: 200 } });
  const memory = () => client.request<Memory>('citecheck/memory', { gc: true });
  const samples: { ops: number; seconds: number; mem: Memory }[] = [];
  const started = Date.now();
  const sample = async (ops: number) => {
    await client.diagnosticsFor(uri, client.version(uri));
    const mem = await memory();
    const seconds = (Date.now() - started) / 1000;
    samples.push({ ops, seconds, mem });
    console.log(`  ${String(ops).padStart(6)} ops  ${seconds.toFixed(1).padStart(7)} s  rss ${mb(mem.rss).padStart(9)}  heapUsed ${mb(mem.heapUsed).padStart(9)}  external ${mb(mem.external)}`);
  };

  let failures = 0;
  const counts = { edits: 0, hovers: 0, completions: 0, answered: 0, refused: 0, errors: 0 };
  try {
    const t0 = Date.now();
    await client.open(uri, paper.text);
    console.log(`  opened and checked in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await sample(0);
    // The client's copy, for positions (its line offsets are kept up to date on each edit).
    const mirror = TextDocument.create(uri, 'markdown', 1, paper.text);
    let ops = 0;
    while (ops < OPS) {
      const n = Math.min(BURST, OPS - ops);
      const edits = Math.round(n / 2);
      for (let k = 0; k < edits; k++) {
        const text = client.text(uri);
        const op = randomOp(rng);
        // Mostly typing: a few characters; now and then a paste or a cut.
        if (rng.chance(0.8)) {
          op.del = rng.chance(0.5) ? 0 : rng.int(1, 3);
          if (op.ins.kind === 'copy') op.ins.len = rng.int(1, 20);
        }
        const e = concrete(op, text, maxLength);
        if (knownBad(applyEdit(text, e), true, text)) continue;
        const change = { range: { start: mirror.positionAt(e.start), end: mirror.positionAt(e.start + e.del) }, text: e.text };
        TextDocument.update(mirror, [change], mirror.version + 1);
        await client.change(uri, [change]);
        counts.edits++;
      }
      const text = client.text(uri);
      const requests: Promise<void>[] = [];
      for (let k = edits; k < n; k++) {
        const position = mirror.positionAt(rng.int(0, text.length));
        const hover = rng.chance(0.5);
        if (hover) counts.hovers++; else counts.completions++;
        const p = hover
          ? client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position })
          : client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 1 } });
        requests.push(p.then(() => { counts.answered++; }, (e: { code?: number; message?: string }) => {
          // ContentModified / RequestCancelled are answers an editor expects; anything else is a failure.
          if (e?.code === -32801 || e?.code === -32800) counts.refused++;
          else {
            counts.errors++;
            if (counts.errors <= 5) console.error(`  request failed: ${e?.code} ${e?.message}`);
          }
        }));
      }
      await Promise.all(requests);
      const before = ops;
      ops += n;
      if (Math.floor(ops / SAMPLE_EVERY) > Math.floor(before / SAMPLE_EVERY) || ops >= OPS) await sample(ops);
    }
  } catch (err) {
    console.error(`soak: failed: ${(err as Error)?.stack ?? err}\nserver stderr: ${client.stderr.join('')}`);
    failures++;
  }
  const seconds = (Date.now() - started) / 1000;
  await client.stop().catch(() => undefined);

  const done = samples[samples.length - 1];
  const warm = samples.find((s) => s.ops >= SAMPLE_EVERY) ?? samples[0];
  console.log(`soak: ${done?.ops ?? 0} ops (${counts.edits} edits, ${counts.hovers} hovers, ${counts.completions} completions; ${counts.answered} answered, ${counts.refused} refused as modified/cancelled, ${counts.errors} errors) in ${seconds.toFixed(1)} s: ${((done?.ops ?? 0) / seconds).toFixed(0)} ops/s`);
  if (samples.length >= 2) {
    const growth = done.mem.rss / warm.mem.rss - 1;
    console.log(`soak: rss start ${mb(samples[0].mem.rss)}, after warm-up (${warm.ops} ops) ${mb(warm.mem.rss)}, end ${mb(done.mem.rss)} (${(growth * 100).toFixed(1)}% after warm-up; limit ${MAX_GROWTH * 100}%); heapUsed start ${mb(samples[0].mem.heapUsed)}, end ${mb(done.mem.heapUsed)}`);
    if (growth > MAX_GROWTH) {
      console.error(`soak: FAIL: RSS grew by ${(growth * 100).toFixed(1)}% after warm-up`);
      failures++;
    }
  }
  if (counts.errors) failures++;
  if (done?.ops !== OPS) failures++;
  console.log(failures ? 'soak: FAIL' : 'soak: OK');
  return failures ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});

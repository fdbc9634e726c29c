/**
 * The main thread's side of the bibliography worker (bibWorker.js next to this file, in
 * server/out/lsp or in dist/ when bundled). When no worker can be started, or it dies, the
 * same service runs inline: slower for the editor, never wrong.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BibService, type FormatParams, type FormatResult, type IndexParams, type IndexResult } from './bibService';

export class BibWorker {
  private worker: Worker | undefined;
  private inline: BibService | undefined;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly log: (m: string) => void, useWorker = true) {
    if (!useWorker) this.inline = new BibService();
  }

  index(p: IndexParams): Promise<IndexResult> {
    return this.call('index', p) as Promise<IndexResult>;
  }

  format(p: FormatParams): Promise<FormatResult> {
    return this.call('format', p) as Promise<FormatResult>;
  }

  forget(uri: string): void {
    void this.call('forget', { uri }).catch(() => undefined);
  }

  warm(): void {
    void this.call('warm', null).catch((e) => this.log(`citecheck: loading citation-js failed: ${e}`));
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }

  private call(method: string, params: unknown): Promise<unknown> {
    const w = this.inline ? undefined : this.start();
    if (!w) return this.callInline(method, params);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ id, method, params });
    });
  }

  private callInline(method: string, params: unknown): Promise<unknown> {
    const s = (this.inline ??= new BibService());
    try {
      switch (method) {
        case 'index': return Promise.resolve(s.index(params as IndexParams));
        case 'format': return Promise.resolve(s.formatEntries(params as FormatParams));
        case 'forget': s.forget((params as { uri: string }).uri); return Promise.resolve(null);
        case 'warm': return Promise.resolve(null); // inline, citation-js loads on first use
      }
    } catch (e) {
      return Promise.reject(e as Error);
    }
    return Promise.reject(new Error(`unknown method ${method}`));
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    const file = path.join(__dirname, 'bibWorker.js');
    if (!fs.existsSync(file)) {
      this.log(`citecheck: ${file} not found; reading bibliographies on the main thread`);
      this.inline = new BibService();
      return undefined;
    }
    let w: Worker;
    try {
      w = new Worker(file);
    } catch (e) {
      this.log(`citecheck: could not start the bibliography worker (${e}); reading bibliographies on the main thread`);
      this.inline = new BibService();
      return undefined;
    }
    w.unref();
    w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.waiting.get(m.id);
      if (!p) return;
      this.waiting.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    const fail = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.log(`citecheck: the bibliography worker stopped (${why}); reading bibliographies on the main thread`);
      this.inline = new BibService();
      const err = new Error(`the bibliography worker stopped (${why})`);
      for (const p of this.waiting.values()) p.reject(err);
      this.waiting.clear();
    };
    w.on('error', (e) => fail(String(e)));
    w.on('exit', (code) => fail(`exit ${code}`));
    this.worker = w;
    return w;
  }
}

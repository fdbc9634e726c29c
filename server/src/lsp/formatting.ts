/**
 * Bibliography entries as citation-js formats them in the user's CSL style
 * (`citecheck.citationStyle`: a citation-js template name such as `apa`, `vancouver`,
 * `harvard1`, or a `.csl` file, relative to the workspace folder or the document's folder).
 * Formatting runs in the bibliography worker; results are cached per file version, entry and
 * style. The features get a plain lookup function: they never see citation-js.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReferenceEntry } from '../core';
import type { BibWorker } from './bibWorkerClient';
import { uriToPath, type ExternalReferences } from './externalReferences';

export interface Style {
  /** Cache key part: the name, or the file and its mtime. */
  id: string;
  /** What the worker registers: a name or the XML. */
  style: string;
}

const MAX_CACHED = 20000;

export class EntryFormatter {
  private readonly cache = new Map<string, string | null>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly styleErrors = new Set<string>();
  /** The file version the worker holds for each uri. */
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly worker: BibWorker,
    private readonly external: ExternalReferences,
    private readonly log: (m: string) => void,
  ) {}

  /** The style a setting names, or undefined (logged once) when its file cannot be read. */
  async style(setting: string, docUri: string, roots: string[]): Promise<Style | undefined> {
    const s = setting.trim() || 'apa';
    if (!/\.csl$/i.test(s) && !s.includes('/') && !s.includes('\\')) return { id: s, style: s };
    const docPath = uriToPath(docUri);
    const q = s.startsWith('~/') ? path.join(os.homedir(), s.slice(2)) : s;
    const bases = path.isAbsolute(q) ? [''] : [...roots, ...(docPath ? [path.dirname(docPath)] : [])];
    for (const b of bases) {
      const file = path.resolve(b, q);
      try {
        const st = await fs.stat(file);
        const id = `${file}:${st.mtimeMs}:${st.size}`;
        const xml = await fs.readFile(file, 'utf8');
        return { id, style: xml };
      } catch {
        // next base
      }
    }
    this.warnOnce(`citecheck: the citation style '${s}' (citecheck.citationStyle) was not found; entries are shown as read.`);
    return undefined;
  }

  private key(e: ReferenceEntry, style: Style): string | undefined {
    if (e.source.kind !== 'bibliography' || !e.key) return undefined;
    const f = this.external.fileOf(e.source.uri);
    if (!f || f.kind !== 'bibliography') return undefined;
    return `${style.id}\0${f.uri}\0${f.stamp}\0${e.key}`;
  }

  /** The formatted Markdown of an entry, if it is in the cache. */
  cached(e: ReferenceEntry, style: Style | undefined): string | undefined {
    if (!style) return undefined;
    const k = this.key(e, style);
    const v = k === undefined ? undefined : this.cache.get(k);
    return v ?? undefined;
  }

  /** Formats the entries not yet cached; resolves when done or after `timeoutMs` (formatting goes on). */
  async ensure(entries: ReferenceEntry[], style: Style | undefined, timeoutMs: number): Promise<void> {
    if (!style) return;
    const byFile = new Map<string, { keys: string[]; cacheKeys: string[] }>();
    const waits: Promise<void>[] = [];
    for (const e of entries) {
      const k = this.key(e, style);
      if (k === undefined || this.cache.has(k)) continue;
      const pending = this.inflight.get(k);
      if (pending) { waits.push(pending); continue; }
      let g = byFile.get(e.source.uri);
      if (!g) byFile.set(e.source.uri, (g = { keys: [], cacheKeys: [] }));
      if (g.cacheKeys.includes(k)) continue;
      g.keys.push(e.key!);
      g.cacheKeys.push(k);
    }
    for (const [uri, g] of byFile) {
      const f = this.external.fileOf(uri);
      if (!f) continue;
      const text = this.sent.get(uri) === f.stamp ? undefined : f.lines.text;
      this.sent.set(uri, f.stamp);
      const p = this.worker.format({ uri, keys: g.keys, style: style.style, text }).then(
        (r) => {
          if (r.styleError) this.warnOnce(`citecheck: the citation style cannot be used: ${r.styleError}`);
          if (this.cache.size + g.cacheKeys.length > MAX_CACHED) this.cache.clear();
          g.cacheKeys.forEach((k, i) => this.cache.set(k, r.texts[i] ?? null));
        },
        (err) => {
          this.sent.delete(uri);
          this.log(`citecheck: formatting entries failed: ${err}`);
        },
      ).finally(() => {
        for (const k of g.cacheKeys) this.inflight.delete(k);
      });
      for (const k of g.cacheKeys) this.inflight.set(k, p);
      waits.push(p);
    }
    if (!waits.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise<void>((r) => { timer = setTimeout(r, timeoutMs); })]);
    clearTimeout(timer);
  }

  private warnOnce(m: string): void {
    if (this.styleErrors.has(m)) return;
    this.styleErrors.add(m);
    this.log(m);
  }
}

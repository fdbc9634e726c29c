/**
 * Entries from outside the document: the bibliography files it names (front matter
 * `bibliography:`, `\bibliography{}`, `.. bibliography::`, the Quarto project's `_quarto.yml`)
 * and those in the settings (`citecheck.bibliographies`, globs allowed; `citecheck.referenceFiles`).
 * The only file reading the server does.
 *
 * Bibliography files are parsed in the bibliography worker (bibWorker.ts) and cached by
 * modification time and size (or, for a file open in the editor, by its version: the editor's
 * text wins over the disk's). A large file (over BACKGROUND_BYTES) is read in the background:
 * `load` does not wait for it, says it is `pending` (keeping the entries of its last version, if
 * any), and `onLoaded` tells the server when it is in.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyze, formatFromUri, LineIndex, type Diagnostic, type ReferenceEntry } from '../core';
import { bibliographyFormatFromUri } from '../core/bibliography/read';
import type { BibWorker } from './bibWorkerClient';
import { BibService } from './bibService';
import { expandGlob, isGlob } from './glob';

/** Files at least this large are read in the background, with progress. */
export const BACKGROUND_BYTES = 512 * 1024;

export interface LoadedFile {
  stamp: string;
  /** Absolute path. */
  file: string;
  uri: string;
  lines: LineIndex;
  entries: ReferenceEntry[];
  /** The reader's problems (a bibliography file's syntax errors, duplicate keys). */
  diagnostics: Diagnostic[];
  /** A bibliography file (its records are in the worker, for formatting), or a document with a reference list. */
  kind: 'bibliography' | 'document';
}

export interface ExternalEntries {
  entries: ReferenceEntry[];
  /** Absolute paths of the files read. */
  files: string[];
  /** Their uris. */
  uris: string[];
  /** Paths that could not be read, as given, with the reason. */
  missing: { path: string; reason: string }[];
  /** Files still being read in the background (absolute paths). */
  pending: string[];
}

export interface ExternalHooks {
  /** A background read finished: analyses that used the file (or waited for it) are out of date. */
  onLoaded(file: string): void;
  /** A background read starts; the returned function ends its progress report. */
  progress(file: string, bytes: number): (message: string) => void;
}

interface Job {
  stamp: string;
  promise: Promise<LoadedFile | string>;
  background: boolean;
}

export class ExternalReferences {
  private readonly files = new Map<string, LoadedFile>();
  private readonly byUri = new Map<string, LoadedFile>();
  private readonly jobs = new Map<string, Job>();
  private readonly overlays = new Map<string, { text: string; version: number }>();
  /** Every path looked for (found or not): a change to one calls for new analyses. */
  private readonly wanted = new Set<string>();
  private readonly globs = new Map<string, Promise<string[]>>();

  constructor(
    private readonly log: (message: string) => void,
    private readonly worker?: BibWorker,
    private readonly hooks?: ExternalHooks,
  ) {}

  /** The line index of a file read here, for converting its entries' ranges. */
  linesOf(uri: string): LineIndex | undefined {
    return this.byUri.get(uri)?.lines;
  }

  /** The file read for `uri`, if any. */
  fileOf(uri: string): LoadedFile | undefined {
    return this.byUri.get(uri);
  }

  /** Whether a file (absolute path) has been read or looked for: a change to it calls for a new analysis. */
  isLoaded(file: string): boolean {
    const abs = path.resolve(file);
    return this.files.has(abs) || this.wanted.has(abs);
  }

  /** Files were created, changed or deleted: glob results are to be found again. */
  filesChanged(): void {
    this.globs.clear();
  }

  /** The editor holds this file open: its text replaces the disk's until `closeOverlay`. */
  setOverlay(file: string, text: string, version: number): void {
    this.overlays.set(path.resolve(file), { text, version });
  }

  closeOverlay(file: string): void {
    this.overlays.delete(path.resolve(file));
  }

  /**
   * Reads the entries for a document. `named` are paths the document names (relative to its
   * folder, or absolute); `configured` are paths or globs from the settings (relative to a
   * workspace folder, then the document's).
   */
  async load(docUri: string, named: string[], configured: string[], roots: string[]): Promise<ExternalEntries> {
    const docPath = uriToPath(docUri);
    const docDir = docPath ? path.dirname(docPath) : undefined;
    const out: ExternalEntries = { entries: [], files: [], uris: [], missing: [], pending: [] };
    const seen = new Set<string>();
    const wanted: { given: string; candidates: string[]; glob?: boolean }[] = [];
    for (const p of named) wanted.push({ given: p, candidates: candidatesFor(p, docDir ? [docDir, ...roots] : roots) });
    for (const p of configured) {
      const bases = docDir ? [...roots, docDir] : roots;
      if (isGlob(p) && !p.startsWith('file:')) {
        wanted.push({ given: p, candidates: await this.expand(p, bases), glob: true });
      } else wanted.push({ given: p, candidates: candidatesFor(p, bases) });
    }
    for (const w of wanted) {
      let found = false;
      let reason = w.glob ? 'matches no file' : 'not found';
      for (const file of w.candidates) {
        this.wanted.add(path.resolve(file));
        if (docPath && path.resolve(file) === path.resolve(docPath)) { reason = 'is the document itself'; continue; }
        const r = await this.read(file);
        if (r === 'pending') {
          found = true;
          if (!out.pending.includes(file)) out.pending.push(file);
          if (!w.glob) break;
          continue;
        }
        if (typeof r === 'string') { if (r !== 'not found') reason = r; continue; }
        found = true;
        if (!seen.has(r.file)) {
          seen.add(r.file);
          out.files.push(r.file);
          out.uris.push(r.uri);
          out.entries.push(...r.entries);
          const job = this.jobs.get(r.file);
          if (job?.background && !out.pending.includes(r.file)) out.pending.push(r.file);
        }
        if (!w.glob) break;
      }
      if (!found && (w.candidates.length || w.glob)) out.missing.push({ path: w.given, reason });
    }
    return out;
  }

  private expand(pattern: string, bases: string[]): Promise<string[]> {
    const key = `${pattern}\0${bases.join('\0')}`;
    let p = this.globs.get(key);
    if (!p) {
      const q = pattern.startsWith('~/') ? path.join(os.homedir(), pattern.slice(2)) : pattern;
      p = (async () => {
        if (path.isAbsolute(q)) {
          const root = path.parse(q).root;
          return expandGlob(path.relative(root, q), root);
        }
        for (const b of bases) {
          const found = await expandGlob(q, b);
          if (found.length) return found;
        }
        return [];
      })().catch(() => []);
      this.globs.set(key, p);
    }
    return p;
  }

  /** The file as last read (stale entries of a file being re-read count), 'pending', or why it cannot be read. */
  private async read(file: string): Promise<LoadedFile | string | 'pending'> {
    const abs = path.resolve(file);
    const overlay = this.overlays.get(abs);
    let stamp: string;
    let size: number;
    if (overlay) {
      stamp = `open:${overlay.version}:${overlay.text.length}`;
      size = overlay.text.length;
    } else {
      let stat;
      try {
        stat = await fs.stat(abs);
      } catch {
        return 'not found';
      }
      if (!stat.isFile()) return 'not a file';
      stamp = `${stat.mtimeMs}:${stat.size}`;
      size = stat.size;
    }
    const cached = this.files.get(abs);
    if (cached && cached.stamp === stamp) return cached;
    let job = this.jobs.get(abs);
    if (!job || job.stamp !== stamp) {
      const background = size >= BACKGROUND_BYTES && !!this.hooks;
      const end = background ? this.hooks!.progress(abs, size) : undefined;
      const promise = this.parse(abs, stamp, overlay?.text);
      job = { stamp, promise, background };
      const mine = job;
      this.jobs.set(abs, job);
      void promise.then((r) => {
        if (this.jobs.get(abs) === mine) this.jobs.delete(abs);
        if (typeof r !== 'string' && this.jobs.get(abs) === undefined) {
          this.files.set(abs, r);
          this.byUri.set(r.uri, r);
        }
        end?.(typeof r === 'string' ? `${path.basename(abs)} ${r}` : `${r.entries.length} entries in ${path.basename(abs)}`);
        if (background) this.hooks!.onLoaded(abs);
      });
    }
    if (job.background) return cached ?? 'pending';
    const r = await job.promise;
    return r;
  }

  private async parse(abs: string, stamp: string, overlayText: string | undefined): Promise<LoadedFile | string> {
    let text: string;
    if (overlayText !== undefined) text = overlayText;
    else {
      try {
        text = await fs.readFile(abs, 'utf8');
      } catch (e) {
        return `could not be read (${(e as Error).message})`;
      }
    }
    const uri = pathToFileURL(abs).href;
    let entries: ReferenceEntry[] = [];
    let diagnostics: Diagnostic[] = [];
    let kind: LoadedFile['kind'] = 'document';
    try {
      if (bibliographyFormatFromUri(abs)) {
        kind = 'bibliography';
        const worker = this.worker;
        const r = worker
          ? await worker.index({ uri, text, keep: false })
          : new BibService().index({ uri, text, keep: false });
        entries = r.entries;
        diagnostics = r.diagnostics;
      } else {
        // A document with a reference list of its own (`references.md`).
        const a = analyze({ uri, text, format: formatFromUri(uri) });
        entries = a.references
          .filter((e) => e.source.kind === 'list')
          .map((e) => ({ ...e, source: { kind: 'bibliography' as const, uri, key: e.key ?? '' } }));
      }
    } catch (e) {
      this.log(`citecheck: reading ${abs} failed: ${(e as Error).stack ?? e}`);
      return `could not be read (${(e as Error).message})`;
    }
    return { stamp, file: abs, uri, lines: new LineIndex(text), entries, diagnostics, kind };
  }
}

function candidatesFor(p: string, bases: string[]): string[] {
  let q = p.trim().replace(/^["']|["']$/g, '');
  if (!q) return [];
  if (q.startsWith('file://')) {
    const f = uriToPath(q);
    return f ? [f] : [];
  }
  if (q === '~' || q.startsWith('~/')) q = path.join(os.homedir(), q.slice(1));
  if (path.isAbsolute(q)) return [q];
  const out = bases.map((b) => path.resolve(b, q));
  return [...new Set(out)];
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

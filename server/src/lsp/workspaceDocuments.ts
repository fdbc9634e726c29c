/**
 * The workspace's documents that are not open in the editor (a thesis's other chapters), for
 * what is said across every file of a document: a bibliography entry is uncited only when no
 * file that uses the bibliography cites it, open or not.
 *
 * The files are found under the workspace folders (Markdown, Quarto, R Markdown, LaTeX, Sweave
 * and reST; not in `node_modules` or hidden folders; at most MAX_WORKSPACE_DOCUMENTS files of at
 * most MAX_WORKSPACE_DOCUMENT_BYTES each), read from disk in the background one at a time (the
 * server answers requests between them), and analysed as an open document is, by the host. Only
 * what the bibliography diagnostics need is kept: which bibliography files each used, whether it
 * has citations, and its entries it leaves uncited. A file is read again when its modification
 * time or size changes (or the client says it changed), and analysed again when the analyses are
 * invalidated (settings, bibliographies). Never writes; no network.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../core';
import type { DocumentAnalysis } from './analyses';

/** Extensions (lower case) of the document files looked for. */
export const DOCUMENT_EXTENSIONS = new Set(['.md', '.qmd', '.rmd', '.tex', '.rst', '.rnw']);
/** At most this many files are kept. */
export const MAX_WORKSPACE_DOCUMENTS = 2000;
/** Larger files are not read. */
export const MAX_WORKSPACE_DOCUMENT_BYTES = 5 * 1024 * 1024;
/** At most this many folders are looked through (a workspace folder that is a home directory). */
const MAX_FOLDERS = 20000;
const SKIPPED_FOLDERS = new Set(['node_modules']);

export function isDocumentPath(file: string): boolean {
  return DOCUMENT_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** What one document says about the bibliography files it uses. */
export interface BibliographyUse {
  /** Uris of the files whose entries it used. */
  externalUris: string[];
  /** Its citations (a document with none says nothing about which entries are cited). */
  citations: number;
  /** A bibliography it uses is still being read. */
  pending: boolean;
  /** Its `uncited-reference` diagnostics on those files: by file uri, then by the entry's offset. */
  uncited: Map<string, Map<number, Diagnostic>>;
}

export function bibliographyUse(r: DocumentAnalysis, intern: (d: Diagnostic) => Diagnostic = (d) => d): BibliographyUse {
  const uncited = new Map<string, Map<number, Diagnostic>>();
  for (const d of r.externalDiagnostics) {
    if (d.code !== 'uncited-reference') continue;
    let m = uncited.get(d.uri);
    if (!m) uncited.set(d.uri, (m = new Map()));
    m.set(d.range.start, intern(d));
  }
  return { externalUris: r.externalUris, citations: r.analysis.citations.length, pending: r.pending.length > 0, uncited };
}

export interface WorkspaceDocumentsHost {
  roots(): string[];
  /** Whether the file (absolute path) is open in the editor: its open version counts, not the disk's. */
  isOpen(file: string): boolean;
  /** Analyses the text of a closed file as an open document would be. */
  analyze(uri: string, text: string, file: string): Promise<DocumentAnalysis>;
  /** The closed files' uses changed, and every one found is analysed as things are now. */
  changed(): void;
  log(message: string): void;
}

interface Entry {
  file: string;
  uri: string;
  /** `mtime:size|generation` of what `use` was made from. */
  key?: string;
  use?: BibliographyUse;
  /** Bumped when the client says the file changed: a read begun before does not count as current. */
  changes: number;
}

export class WorkspaceDocuments {
  private readonly entries = new Map<string, Entry>();
  private readonly queue = new Set<string>();
  /** One copy of each uncited diagnostic, shared by the files that leave the entry uncited. */
  private readonly shared = new Map<string, Map<string, Diagnostic>>();
  private started = false;
  private scanned = false;
  private running = false;
  private generation = 0;
  private disposed = false;

  constructor(private readonly host: WorkspaceDocumentsHost) {}

  /** Looks for the workspace's documents (once) and analyses them in the background. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const roots = this.host.roots();
    if (!roots.length) {
      this.scanned = true;
      return;
    }
    this.scanThenCheck(roots);
  }

  /** Looks through `folders` in the background, then analyses what it found. */
  private scanThenCheck(folders: string[]): void {
    this.scanned = false;
    void this.scan(folders).then(
      () => {
        this.scanned = true;
        if (this.queue.size) this.kick();
        else this.host.changed();
      },
      (err) => {
        this.host.log(`citecheck: looking for the workspace's documents failed: ${(err as Error)?.stack ?? err}`);
        this.scanned = true;
        this.host.changed();
      },
    );
  }

  /** Whether every closed document found is analysed as things are now (nothing to read or analyse). */
  ready(): boolean {
    return !this.started || (this.scanned && !this.running && this.queue.size === 0);
  }

  /** The closed documents' uses, with their paths (a file opened since is still here: the caller prefers the open version). */
  uses(): { file: string; uri: string; use: BibliographyUse }[] {
    const out: { file: string; uri: string; use: BibliographyUse }[] = [];
    for (const e of this.entries.values()) if (e.use) out.push({ file: e.file, uri: e.uri, use: e.use });
    return out;
  }

  /** Settings or bibliographies changed: every closed document is analysed again. */
  invalidate(): void {
    this.generation++;
    this.shared.clear();
    if (!this.started) return;
    for (const f of this.entries.keys()) this.queue.add(f);
    this.kick();
  }

  /** The client says a file was created (1), changed (2) or deleted (3) on disk. */
  fileChanged(file: string, type: number): void {
    if (!this.started || !isDocumentPath(file)) return;
    const abs = path.resolve(file);
    if (!this.underRoots(abs)) return;
    if (type === 3) {
      this.queue.delete(abs);
      if (this.entries.delete(abs)) this.host.changed();
      return;
    }
    const e = this.entries.get(abs);
    if (e) {
      // Read it again, whatever its stamp says.
      e.key = undefined;
      e.changes++;
    }
    else if (!this.add(abs)) return;
    this.queue.add(abs);
    this.kick();
  }

  /**
   * The workspace's folders changed (`roots()` says how they are now): documents no longer under
   * one are forgotten, and the folders `added` are looked through for more.
   */
  rootsChanged(added: string[]): void {
    if (!this.started) return;
    let forgot = false;
    for (const f of [...this.entries.keys()]) {
      if (this.underRoots(f)) continue;
      this.entries.delete(f);
      this.queue.delete(f);
      forgot = true;
    }
    if (!added.length) {
      if (forgot) this.host.changed();
      return;
    }
    this.scanThenCheck(added);
  }

  /** A file was closed in the editor: the disk's version counts again. */
  closed(file: string): void {
    this.fileChanged(file, 2);
  }

  dispose(): void {
    this.disposed = true;
    this.queue.clear();
  }

  private underRoots(abs: string): boolean {
    return this.host.roots().some((r) => {
      const rel = path.relative(path.resolve(r), abs);
      return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).some((s) => s.startsWith('.') || SKIPPED_FOLDERS.has(s));
    });
  }

  private add(abs: string): boolean {
    if (this.entries.has(abs)) return true;
    if (this.entries.size >= MAX_WORKSPACE_DOCUMENTS) return false;
    this.entries.set(abs, { file: abs, uri: pathToFileURL(abs).href, changes: 0 });
    return true;
  }

  /** Breadth first, so that a capped workspace keeps the files nearest its folders. */
  private async scan(roots: string[]): Promise<void> {
    const folders = [...new Set(roots.map((r) => path.resolve(r)))];
    let seen = 0;
    while (folders.length && seen < MAX_FOLDERS && !this.disposed) {
      const dir = folders.shift()!;
      seen++;
      let items;
      try {
        items = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const it of items) {
        if (it.name.startsWith('.')) continue;
        const p = path.join(dir, it.name);
        if (it.isDirectory()) {
          if (!SKIPPED_FOLDERS.has(it.name)) folders.push(p);
        } else if (it.isFile() && isDocumentPath(it.name)) {
          if (!this.add(p)) return;
          this.queue.add(p);
        }
      }
    }
  }

  private kick(): void {
    if (this.running || this.disposed || !this.scanned) return;
    this.running = true;
    void (async () => {
      try {
        while (this.queue.size && !this.disposed) {
          const file = this.queue.values().next().value as string;
          this.queue.delete(file);
          try {
            await this.process(file);
          } catch (err) {
            this.host.log(`citecheck: checking ${file} failed: ${(err as Error)?.stack ?? err}`);
          }
          // Let requests and notifications in between two files.
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        this.running = false;
      }
      if (!this.disposed) this.host.changed();
    })();
  }

  private async process(file: string): Promise<void> {
    const e = this.entries.get(file);
    if (!e || this.host.isOpen(file)) return;
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      this.entries.delete(file);
      return;
    }
    const generation = this.generation;
    const changes = e.changes;
    const key = `${stat.mtimeMs}:${stat.size}|${generation}`;
    if (e.key === key) return;
    if (!stat.isFile() || stat.size > MAX_WORKSPACE_DOCUMENT_BYTES) {
      e.key = key;
      e.use = undefined;
      return;
    }
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      e.key = key;
      e.use = undefined;
      return;
    }
    if (text.includes('\u0000')) {
      e.key = key;
      e.use = undefined;
      return;
    }
    if (this.host.isOpen(file)) return;
    const r = await this.host.analyze(e.uri, text, file);
    if (this.entries.get(file) !== e) return;
    e.use = bibliographyUse(r, (d) => this.intern(d));
    // Analysed as things were when it started: if they changed since, it is in the queue again.
    e.key = e.changes === changes ? key : undefined;
  }

  private intern(d: Diagnostic): Diagnostic {
    let m = this.shared.get(d.uri);
    if (!m) this.shared.set(d.uri, (m = new Map()));
    const k = `${d.range.start}:${d.range.end}`;
    const old = m.get(k);
    if (old && old.message === d.message && old.severity === d.severity) return old;
    m.set(k, d);
    return d;
  }
}

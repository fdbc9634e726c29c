/**
 * Entries from outside the document: the bibliography files it names (front matter
 * `bibliography:`, `\bibliography{}`, `.. bibliography::`) and those in the settings
 * (`citecheck.bibliographies`, `citecheck.referenceFiles`). The only file reading the
 * server does; files are parsed by the core and cached by modification time and size.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyze, formatFromUri, LineIndex, type ReferenceEntry } from '../core';
import { parseBibtex } from '../core/bibliography/bibtex';
import { parseCslJson } from '../core/bibliography/cslJson';
import { parseCslYaml } from '../core/bibliography/cslYaml';
import { parseRis } from '../core/bibliography/ris';
import { toEntries } from '../core/bibliography/entries';

interface LoadedFile {
  stamp: string;
  uri: string;
  lines: LineIndex;
  entries: ReferenceEntry[];
}

export interface ExternalEntries {
  entries: ReferenceEntry[];
  /** Absolute paths of the files read. */
  files: string[];
  /** Paths that could not be read, as given, with the reason. */
  missing: { path: string; reason: string }[];
}

export class ExternalReferences {
  private readonly files = new Map<string, LoadedFile>();
  private readonly linesByUri = new Map<string, LineIndex>();

  constructor(private readonly log: (message: string) => void) {}

  /** The line index of a file read here, for converting its entries' ranges. */
  linesOf(uri: string): LineIndex | undefined {
    return this.linesByUri.get(uri);
  }

  /** Whether a file (absolute path) has been read: a change to it calls for a new analysis. */
  isLoaded(file: string): boolean {
    return this.files.has(path.resolve(file));
  }

  /**
   * Reads the entries for a document. `named` are paths the document names (relative to its
   * folder); `configured` are paths from the settings (relative to a workspace folder).
   */
  async load(docUri: string, named: string[], configured: string[], roots: string[]): Promise<ExternalEntries> {
    const docPath = uriToPath(docUri);
    const docDir = docPath ? path.dirname(docPath) : undefined;
    const out: ExternalEntries = { entries: [], files: [], missing: [] };
    const seen = new Set<string>();
    const wanted: { given: string; candidates: string[] }[] = [];
    for (const p of named) wanted.push({ given: p, candidates: candidatesFor(p, docDir ? [docDir, ...roots] : roots) });
    for (const p of configured) wanted.push({ given: p, candidates: candidatesFor(p, docDir ? [...roots, docDir] : roots) });
    for (const w of wanted) {
      let found: LoadedFile | undefined;
      let reason = 'not found';
      for (const file of w.candidates) {
        if (docPath && path.resolve(file) === path.resolve(docPath)) { reason = 'is the document itself'; continue; }
        const r = await this.read(file);
        if (typeof r === 'string') { if (r !== 'not found') reason = r; continue; }
        found = r;
        if (!seen.has(file)) {
          seen.add(file);
          out.files.push(file);
          out.entries.push(...r.entries);
        }
        break;
      }
      if (!found && w.candidates.length) out.missing.push({ path: w.given, reason });
    }
    return out;
  }

  private async read(file: string): Promise<LoadedFile | string> {
    const abs = path.resolve(file);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch {
      return 'not found';
    }
    if (!stat.isFile()) return 'not a file';
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    const cached = this.files.get(abs);
    if (cached && cached.stamp === stamp) return cached;
    let text: string;
    try {
      text = await fs.readFile(abs, 'utf8');
    } catch (e) {
      return `could not be read (${(e as Error).message})`;
    }
    const uri = pathToFileURL(abs).href;
    let entries: ReferenceEntry[];
    try {
      entries = parseFile(abs, uri, text);
    } catch (e) {
      this.log(`citecheck: reading ${abs} failed: ${(e as Error).stack ?? e}`);
      entries = [];
    }
    const loaded: LoadedFile = { stamp, uri, lines: new LineIndex(text), entries };
    this.files.set(abs, loaded);
    this.linesByUri.set(uri, loaded.lines);
    return loaded;
  }
}

function parseFile(file: string, uri: string, text: string): ReferenceEntry[] {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case '.bib': case '.bibtex': case '.biblatex':
      return toEntries(parseBibtex(text, uri).records, uri, 0, text);
    case '.json': case '.csljson':
      return toEntries(parseCslJson(text, uri).records, uri, 0, text);
    case '.yaml': case '.yml':
      return toEntries(parseCslYaml(text, uri).records, uri, 0, text);
    case '.ris':
      return toEntries(parseRis(text, uri).records, uri, 0, text);
    default: {
      // A document with a reference list of its own (`references.md`).
      const a = analyze({ uri, text, format: formatFromUri(uri) });
      return a.references
        .filter((e) => e.source.kind === 'list')
        .map((e) => ({ ...e, source: { kind: 'bibliography' as const, uri, key: e.key ?? '' } }));
    }
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

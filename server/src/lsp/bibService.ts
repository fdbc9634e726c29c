/**
 * The bibliography work the server keeps off its main thread: reading bibliography files
 * (BibTeX, CSL-JSON/YAML, RIS) into entries, and formatting entries with citation-js in a CSL
 * style. Runs inside the worker thread (bibWorker.ts) and, should no worker start, inline.
 *
 * It keeps each file's records by uri, so that an entry is formatted from its full record
 * (every field, crossref inherited) without the main thread holding CSL items for 10,000 entries.
 */
import type { Diagnostic, ReferenceEntry } from '../core';
import { readBibliography } from '../core/bibliography/read';
import { recordToCsl, type BibliographyRecord } from '../core/bibliography/entries';
import type { CslItem } from '../core/bibliography/csl';

export interface IndexParams {
  uri: string;
  text: string;
  /** Keep the records for formatting (the formatting worker does; the indexing one need not). */
  keep?: boolean;
}

export interface IndexResult {
  entries: ReferenceEntry[];
  diagnostics: Diagnostic[];
  unknownFormat?: boolean;
}

export interface FormatParams {
  uri: string;
  keys: string[];
  /** A built-in citation-js style name (`apa`, `vancouver`, `harvard1`) or the XML of a `.csl` file. */
  style: string;
  /** The file's text, when this service has not read this version of it yet. */
  text?: string;
}

export interface FormatResult {
  /** Markdown per key, or null when the entry could not be formatted. */
  texts: (string | null)[];
  /** Set when the style cannot be used (not CSL, dependent style, unknown name). */
  styleError?: string;
}

export class BibService {
  private readonly records = new Map<string, Map<string, BibliographyRecord>>();
  private format: typeof import('../bibliography/format') | undefined;

  index(p: IndexParams): IndexResult {
    const r = readBibliography(p.text, p.uri);
    if (p.keep === false) {
      this.records.delete(p.uri);
      return { entries: r.entries, diagnostics: r.diagnostics, unknownFormat: r.unknownFormat };
    }
    const byKey = new Map<string, BibliographyRecord>();
    for (const rec of r.records) if (rec.key !== '' && !byKey.has(rec.key)) byKey.set(rec.key, rec);
    this.records.set(p.uri, byKey);
    return { entries: r.entries, diagnostics: r.diagnostics, unknownFormat: r.unknownFormat };
  }

  forget(uri: string): void {
    this.records.delete(uri);
  }

  /** Loads citation-js (seconds on a slow machine), so that the first hover does not wait for it. */
  warm(): boolean {
    const f = this.formatter();
    f.formatReference({ id: 'warm', type: 'book', title: 'Warm', author: [{ family: 'Up', given: 'W.' }], issued: { 'date-parts': [[2000]] } }, 'apa', 'html');
    return true;
  }

  formatEntries(p: FormatParams): FormatResult {
    if (p.text !== undefined) this.index({ uri: p.uri, text: p.text });
    const recs = this.records.get(p.uri);
    const f = this.formatter();
    let style: string;
    try {
      style = f.registerStyle(p.style);
    } catch (e) {
      return { texts: p.keys.map(() => null), styleError: (e as Error).message };
    }
    const texts = p.keys.map((key) => {
      const rec = recs?.get(key);
      if (!rec) return null;
      try {
        const item = recordToCsl(rec);
        const html = f.formatReference({ ...item, id: key }, style, 'html');
        return html ? htmlToMarkdown(html, item) : null;
      } catch {
        return null;
      }
    });
    return { texts };
  }

  private formatter(): typeof import('../bibliography/format') {
    // Loaded on first use: citation-js is large.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.format ??= require('../bibliography/format') as typeof import('../bibliography/format');
    return this.format;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]<>#|~]/g, (c) => '\\' + c);
}

const URL_RE = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:)\]]/g;

function link(url: string): string {
  return `[${escapeMarkdown(url)}](${url.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
}

/** Text to Markdown: escaped, with every URL a link. */
function textToMarkdown(s: string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(URL_RE)) {
    out += escapeMarkdown(s.slice(last, m.index));
    out += link(m[0]);
    last = m.index! + m[0].length;
  }
  return out + escapeMarkdown(s.slice(last));
}

/**
 * citeproc's HTML for one entry as Markdown: italics and bold kept, the number column of
 * numeric styles dropped, DOIs and URLs as links (added at the end when the style leaves them out).
 */
export function htmlToMarkdown(html: string, item?: Pick<Partial<CslItem>, "DOI" | "URL">): string {
  const body = html.replace(/<div class="csl-left-margin">[\s\S]*?<\/div>/g, '');
  let out = '';
  let plain = '';
  for (const part of body.split(/(<[^>]*>)/)) {
    if (part.startsWith('<')) {
      const t = /^<\/?\s*([a-z]+)/i.exec(part)?.[1]?.toLowerCase();
      if (t === 'i' || t === 'em') out += '*';
      else if (t === 'b' || t === 'strong') out += '**';
      continue;
    }
    const text = decodeEntities(part).replace(/\s+/g, ' ');
    plain += text;
    out += textToMarkdown(text);
  }
  out = out.replace(/\s+/g, ' ').trim();
  const doi = typeof item?.DOI === 'string' ? item.DOI.trim() : '';
  const url = typeof item?.URL === 'string' ? item.URL.trim() : '';
  if (doi && !plain.toLowerCase().includes(doi.toLowerCase())) out += ` ${link(`https://doi.org/${doi}`)}`;
  else if (!doi && url && !plain.includes(url)) out += ` ${link(url)}`;
  return out;
}

/**
 * How this document writes its citations (`Kim 2015` or `Kim, 2015`; `A and B` or `A & B`;
 * `et al.` or `et al`), read from the citations it already has, and how an entry is named
 * in that style.
 */
import type { Analysis, ReferenceEntry } from '../core';

export interface CitationStyle {
  /** Between the names and the year in a parenthetical citation: `' '` or `', '`. */
  yearSeparator: string;
  /** Joins two authors: `' and '` or `' & '`. */
  twoAuthors: string;
  /** `'et al.'` or `'et al'`. */
  etAl: string;
}

export const DEFAULT_STYLE: CitationStyle = { yearSeparator: ' ', twoAuthors: ' and ', etAl: 'et al.' };

const styles = new WeakMap<Analysis['citations'], CitationStyle>();

/** The majority form among the document's author-year citations; the default where it has none. */
export function detectStyle(a: Analysis): CitationStyle {
  // Once per analysis (completion asks on every keystroke).
  let s = styles.get(a.citations);
  if (!s) {
    s = readStyle(a);
    styles.set(a.citations, s);
  }
  return s;
}

function readStyle(a: Analysis): CitationStyle {
  let comma = 0;
  let space = 0;
  let amp = 0;
  let and = 0;
  let dotted = 0;
  let bare = 0;
  for (const c of a.citations) {
    if (c.kind === 'key' || c.authors.length === 0 || c.ignored) continue;
    const last = c.authors[c.authors.length - 1];
    if (c.kind !== 'narrative') {
      const between = a.text.slice(last.range.end, c.yearRange.start);
      if (between.length < 12) {
        if (/,\s*$/.test(between)) comma++;
        else if (/^[\s.]*(?:et\.?\s*al\.?)?\s+$/.test(between) || /^\s+$/.test(between)) space++;
      }
    }
    if (c.authors.length === 2) {
      const join = a.text.slice(c.authors[0].range.end, c.authors[1].range.start);
      if (/&/.test(join)) amp++;
      else if (/\band\b/.test(join)) and++;
    }
    if (c.etAl) {
      const m = /et\.?\s*al(\.?)/.exec(c.text);
      if (m) {
        if (m[1]) dotted++;
        else bare++;
      }
    }
  }
  return {
    yearSeparator: comma > space ? ', ' : ' ',
    twoAuthors: amp > and ? ' & ' : ' and ',
    etAl: bare > dotted ? 'et al' : 'et al.',
  };
}

/** How a citation names the entry's authors: `Kim`, `Kissinger and Allison`, `Drezner et al.`, `METI`. */
export function citedNames(e: ReferenceEntry, style: CitationStyle = DEFAULT_STYLE): string {
  const a = e.authors;
  const name = (k: number) => a[k].alias ?? a[k].family ?? a[k].full;
  if (a.length === 0) return '';
  if (e.etAl || a.length > 2) return `${name(0)} ${style.etAl}`;
  if (a.length === 2) return `${name(0)}${style.twoAuthors}${name(1)}`;
  return name(0);
}

export function citedYear(e: ReferenceEntry): string {
  return (e.year || 'n.d.') + e.suffix;
}

/** `Kim 2015` (parenthetical) in the document's style. */
export function parentheticalLabel(e: ReferenceEntry, style: CitationStyle = DEFAULT_STYLE): string {
  return `${citedNames(e, style)}${style.yearSeparator}${citedYear(e)}`;
}

/** `Kim (2015)` (narrative). */
export function narrativeLabel(e: ReferenceEntry, style: CitationStyle = DEFAULT_STYLE): string {
  return `${citedNames(e, style)} (${citedYear(e)})`;
}

/** Where an entry is, for people: `line 50` in this document, or the file's name. */
export function entryWhere(a: Analysis, e: ReferenceEntry): string {
  if (e.uri !== a.uri) return decodeURIComponent(e.uri.replace(/^.*\//, ''));
  return `line ${a.lines.lineAt(e.range.start) + 1}`;
}

/** Escapes text for Markdown so an entry shows as written (`______.`, `*`, `[1]`). */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]<>#|~]/g, (c) => '\\' + c);
}

/** A citation's text in inline code, safe whatever backticks it holds. */
export function code(s: string): string {
  const ticks = /`+/g;
  let longest = 0;
  for (let m = ticks.exec(s); m; m = ticks.exec(s)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

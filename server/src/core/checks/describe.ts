/** How entries and citations are named in messages. */
import type { Citation, ReferenceEntry } from '../types';
import type { LineIndex } from '../text/lineIndex';
import { yearWithSuffix } from '../syntax/words';

export function entryLabel(e: ReferenceEntry): string {
  const a = e.authors;
  let who = a[0]?.alias ?? a[0]?.family ?? (e.source.kind === 'bibliography' && e.key ? `'${e.key}'` : '?');
  if (e.etAl || a.length > 2) who += ' et al.';
  else if (a.length === 2) who += ` and ${a[1].family}`;
  const year = e.year ? yearWithSuffix(e.year, e.suffix) : 'n.d.';
  return `${who} ${year}`;
}

export function entryLine(lines: LineIndex, e: ReferenceEntry): number {
  return lines.lineAt(e.range.start) + 1;
}

export function where(lines: LineIndex, e: ReferenceEntry, uri: string): string {
  if (e.uri !== uri) return `in ${e.uri.replace(/^.*\//, '')}`;
  return `line ${entryLine(lines, e)}`;
}

/** The citation as the writer sees it; a later year of a list (`2006` in `Lisdre 2001, 2006`) gets its names. */
export function citationLabel(c: Citation): string {
  if (c.kind === 'key' || c.authors.length === 0 || c.text.includes(c.authors[0].text)) return c.text;
  const names = c.authors.map((a) => a.text).join(c.authors.length === 2 ? ' and ' : ', ');
  return `${names}${c.etAl ? ' et al.' : ''} ${c.text}`;
}

/** The entry's first words as written, shortened. */
export function entryExcerpt(e: ReferenceEntry, max = 90): string {
  return e.text.length > max ? e.text.slice(0, max - 1).trimEnd() + '…' : e.text;
}

export function firstLineRange(text: string, e: ReferenceEntry): { start: number; end: number } {
  const nl = text.indexOf('\n', e.range.start);
  let end = nl === -1 || nl > e.range.end ? e.range.end : nl;
  if (end > e.range.start && text.charCodeAt(end - 1) === 13) end--;
  return { start: e.range.start, end };
}

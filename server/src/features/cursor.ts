/**
 * "What is under the cursor": the one query hover, definition, references, highlight and
 * rename share. Pure: works on an Analysis and UTF-16 offsets only.
 */
import type { Analysis, Citation, ReferenceEntry, Resolution } from '../core';

export type Target =
  | { kind: 'citation'; citation: Citation; resolution: Resolution }
  | { kind: 'entry'; entry: ReferenceEntry };

/** The citation whose text contains `offset` (its end counts, so a cursor just after it finds it). */
export function citationAt(a: Analysis, offset: number): Citation | undefined {
  let best: Citation | undefined;
  for (const c of a.citations) {
    if (c.range.start > offset) break;
    const r = c.keyRange ?? c.range;
    if (r.start <= offset && offset <= r.end) {
      // Prefer the narrowest (a key inside a group, the inner of nested readings).
      if (!best || r.end - r.start < (best.keyRange ?? best.range).end - (best.keyRange ?? best.range).start) best = c;
    }
  }
  return best;
}

/** The entry of this document's own reference list whose text contains `offset`. */
export function entryAt(a: Analysis, offset: number): ReferenceEntry | undefined {
  for (const s of a.sections) {
    if (offset < s.range.start || offset > s.range.end) continue;
    for (const i of s.entries) {
      const e = a.references[i];
      if (e.uri === a.uri && e.range.start <= offset && offset <= e.range.end) return e;
    }
  }
  return undefined;
}

export function targetAt(a: Analysis, offset: number): Target | undefined {
  const c = citationAt(a, offset);
  if (c) return { kind: 'citation', citation: c, resolution: a.resolutions[c.index] };
  const e = entryAt(a, offset);
  if (e) return { kind: 'entry', entry: e };
  return undefined;
}

/**
 * The entries a citation points to: exactly (resolved), one of several (ambiguous), or as
 * its nearest miss (a year or a name off). Unresolved citations point nowhere.
 */
export function entriesOf(r: Resolution): { entries: number[]; exact: boolean } {
  switch (r.status) {
    case 'resolved':
      return { entries: r.candidates?.length ? r.candidates : r.entry !== undefined ? [r.entry] : [], exact: true };
    case 'ambiguous':
      return { entries: r.candidates ?? (r.entry !== undefined ? [r.entry] : []), exact: false };
    case 'year-mismatch':
    case 'author-mismatch':
    case 'suffix-missing':
      return { entries: r.entry !== undefined ? [r.entry] : [], exact: false };
    default:
      return { entries: [], exact: false };
  }
}

export interface CitationOfEntry {
  citation: Citation;
  /** False for a near miss or an ambiguous citation that may mean this entry. */
  exact: boolean;
}

/** Every citation that points to entry `index`, in document order. */
export function citationsOf(a: Analysis, index: number): CitationOfEntry[] {
  const out: CitationOfEntry[] = [];
  a.citations.forEach((c, i) => {
    const { entries, exact } = entriesOf(a.resolutions[i]);
    if (entries.includes(index)) out.push({ citation: c, exact });
  });
  return out;
}

/** 1-based line of an offset, as people count. */
export function lineNumber(a: Analysis, offset: number): number {
  return a.lines.lineAt(offset) + 1;
}

/** The first line of an entry (its range may span lines), without the line break. */
export function firstLine(a: Analysis, e: ReferenceEntry): { start: number; end: number } {
  if (e.uri !== a.uri) return e.range;
  const line = a.lines.lineAt(e.range.start);
  return { start: e.range.start, end: Math.max(e.range.start, Math.min(e.range.end, a.lines.lineEnd(line))) };
}

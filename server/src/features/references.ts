/**
 * Find references and document highlight: from an entry (or a citation of it) to every
 * citation that points to it.
 */
import type { Analysis, Range } from '../core';
import { citationsOf, entriesOf, firstLine, targetAt } from './cursor';

export interface Reference {
  uri: string;
  range: Range;
  /** The entry itself (the declaration), not a citation. */
  declaration?: boolean;
  /** False for a near miss pointing to the entry. */
  exact: boolean;
}

/** The entries meant at `offset`: the entry under the cursor, or the entries a citation points to. */
export function entriesAt(a: Analysis, offset: number): number[] {
  const t = targetAt(a, offset);
  if (!t) return [];
  if (t.kind === 'entry') return [t.entry.index];
  return entriesOf(t.resolution).entries;
}

export function references(a: Analysis, offset: number, includeDeclaration: boolean): Reference[] {
  const out: Reference[] = [];
  for (const i of entriesAt(a, offset)) {
    const e = a.references[i];
    if (includeDeclaration) out.push({ uri: e.uri, range: firstLine(a, e), declaration: true, exact: true });
    for (const x of citationsOf(a, i)) out.push({ uri: a.uri, range: x.citation.range, exact: x.exact });
  }
  return dedupe(out);
}

/** What to highlight in this document: the entry's first line and its citations. */
export function highlights(a: Analysis, offset: number): Reference[] {
  return references(a, offset, true).filter((r) => r.uri === a.uri);
}

function dedupe(rs: Reference[]): Reference[] {
  const seen = new Set<string>();
  return rs.filter((r) => {
    const k = `${r.uri}#${r.range.start}:${r.range.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

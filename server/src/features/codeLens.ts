/** Code lens on each entry of the reference list: `cited 3 times` / `not cited`. */
import type { Analysis, Range } from '../core';
import { citationsOf, firstLine } from './cursor';
import { times } from './hover';

export interface EntryLens {
  range: Range;
  entry: number;
  title: string;
  /** The citations pointing to the entry (exact and near misses), for a "show references" command. */
  citations: Range[];
}

export function codeLenses(a: Analysis): EntryLens[] {
  const out: EntryLens[] = [];
  for (const s of a.sections) {
    for (const i of s.entries) {
      const e = a.references[i];
      if (e.uri !== a.uri) continue;
      const all = citationsOf(a, i);
      const exact = all.filter((x) => x.exact).length;
      const near = all.length - exact;
      let title = exact ? `cited ${times(exact)}` : 'not cited';
      if (near) title += ` · ${near} near ${near === 1 ? 'miss' : 'misses'}`;
      out.push({ range: firstLine(a, e), entry: i, title, citations: all.map((x) => x.citation.range) });
    }
  }
  return out;
}

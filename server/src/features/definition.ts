/** Go to definition: from a citation to the entry (or entries) it points to. */
import type { Analysis, Range } from '../core';
import { entriesOf, firstLine, targetAt } from './cursor';

export interface EntryLocation {
  uri: string;
  /** The whole entry. */
  range: Range;
  /** The part to select: the entry's first line in this document, its whole range elsewhere. */
  selection: Range;
  entry: number;
}

export interface DefinitionResult {
  /** The citation the request was made on. */
  origin: Range;
  targets: EntryLocation[];
}

export function definition(a: Analysis, offset: number): DefinitionResult | undefined {
  const t = targetAt(a, offset);
  if (!t || t.kind !== 'citation') return undefined;
  const targets = entriesOf(t.resolution).entries.map((i) => a.references[i]).filter(Boolean).map((e) => ({
    uri: e.uri,
    range: e.range,
    selection: firstLine(a, e),
    entry: e.index,
  }));
  if (targets.length === 0) return undefined;
  return { origin: t.citation.keyRange ?? t.citation.range, targets };
}

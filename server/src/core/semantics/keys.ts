/** Key citations (`\cite{key}`, `[@key]`) resolve by key. */
import type { Resolution } from '../types';
import { editDistance } from '../text/fold';
import type { ReferenceIndex } from './resolve';

export function resolveKey(index: ReferenceIndex, key: string): Resolution {
  const hits = index.entriesWithKey(key);
  if (hits.length === 1) return { status: 'resolved', entry: hits[0] };
  if (hits.length > 1) return { status: 'resolved', entry: hits[0], candidates: hits };
  return { status: 'unresolved', candidates: nearestKeys(index, key, 3) };
}

/** Entries whose keys are closest to `key` (case-insensitive edit distance), best first. */
export function nearestKeys(index: ReferenceIndex, key: string, n: number): number[] {
  const k = key.toLowerCase();
  const budget = Math.max(2, Math.floor(k.length / 3));
  const scored: { i: number; d: number }[] = [];
  index.entries.forEach((e, i) => {
    if (!e.key) return;
    const d = editDistance(k, e.key.toLowerCase(), budget);
    if (d <= budget) scored.push({ i, d });
  });
  return scored.sort((a, b) => a.d - b.d).slice(0, n).map((s) => s.i);
}

/**
 * What the list checks compare entries by, kept per entry's authors (a list check runs on every
 * edit of the list, over every entry; the authors of an unchanged entry are the same array).
 */
import type { Person } from '../types';
import { fold } from '../text/fold';

const FAMILIES = new WeakMap<readonly Person[], string>();

/** The authors' family names, folded and joined by spaces. */
export function familiesKey(authors: readonly Person[], once?: boolean): string {
  return byEntry(FAMILIES, authors, () => fold(authors.map((a) => a.family).join(' ')), once);
}

/**
 * `compute()`, kept in `map` by `key` (an entry, or its authors) unless the context is `once`: its
 * entries are seen again by no later check, and caching them would cost more than it saves.
 */
export function byEntry<K extends object, V>(map: WeakMap<K, V>, key: K, compute: () => V, once: boolean | undefined): V {
  if (once) return compute();
  let v = map.get(key);
  if (v === undefined) {
    v = compute();
    map.set(key, v);
  }
  return v;
}

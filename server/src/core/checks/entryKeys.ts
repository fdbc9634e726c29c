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

const PEOPLE = new WeakMap<readonly Person[], string>();

/**
 * The authors' family names with the first letter of each one's given names, folded: `Smith, J.`
 * and `Smith, K.` are two people (APA tells their works apart by initials, not year suffixes).
 */
export function peopleKey(authors: readonly Person[], once?: boolean): string {
  return byEntry(PEOPLE, authors, () => fold(authors.map((a) => {
    const given = a.corporate || !a.full.endsWith(a.family) ? '' : a.full.slice(0, a.full.length - a.family.length).trim();
    return given ? `${given[0]}_${a.family}` : a.family;
  }).join(' ')), once);
}

/** How often each key but '' occurs, and whether any occurs twice (most lists: none does). */
export function countKeys(keys: readonly string[]): { counts: Map<string, number>; repeats: boolean } {
  const counts = new Map<string, number>();
  let repeats = false;
  for (const k of keys) {
    if (k === '') continue;
    const n = counts.get(k);
    if (n === undefined) counts.set(k, 1);
    else { counts.set(k, n + 1); repeats = true; }
  }
  return { counts, repeats };
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

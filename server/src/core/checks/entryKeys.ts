/**
 * What the list checks compare entries by, kept per entry's authors (a list check runs on every
 * edit of the list, over every entry; the authors of an unchanged entry are the same array).
 */
import type { Person } from '../types';
import { fold } from '../text/fold';

const FAMILIES = new WeakMap<readonly Person[], string>();

/** The authors' family names, folded and joined by spaces. */
export function familiesKey(authors: readonly Person[]): string {
  let k = FAMILIES.get(authors);
  if (k === undefined) {
    k = fold(authors.map((a) => a.family).join(' '));
    FAMILIES.set(authors, k);
  }
  return k;
}

/**
 * A copy of a string that does not keep the string it was cut from alive.
 *
 * V8 represents a slice of 13 characters or more as a view into its parent, so a name cut from
 * a paragraph cut from a 1 MB document keeps the whole document in memory. Results an Analyzer
 * keeps from one version to the next (a paragraph's citations, an entry) would then keep every
 * version's text alive. Prepending a character makes a new string that slicing flattens into a
 * fresh copy; the copy is then cut back to the original.
 */
export function detach(s: string): string {
  return !copying || s.length < 13 ? s : (' ' + s).slice(1);
}

/** Always a copy (for what outlives every analysis: the caches of pure functions). */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

let copying = true;

/**
 * Runs `f` (synchronous, so nothing else runs meanwhile) with `detach` copying nothing: for an
 * analysis that keeps nothing for a next version (`analyze()`), whose results may well keep its
 * text alive. Copies made only to let go of the text cost a 1 MB paper megabytes of strings.
 */
export function withoutCopies<T>(f: () => T): T {
  const was = copying;
  copying = false;
  try {
    return f();
  } finally {
    copying = was;
  }
}

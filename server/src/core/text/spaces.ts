/** Whitespace other than a single space: what `collapseSpaces` would change. */
const NEEDS_COLLAPSE = /[^\S ]| {2}/;

/**
 * `s.replace(/\s+/g, ' ')`, without the replace when nothing would change (most entries and
 * citations are written with single spaces, and the global replace is costly on every one).
 */
export function collapseSpaces(s: string): string {
  return NEEDS_COLLAPSE.test(s) ? s.replace(/\s+/g, ' ') : s;
}

/**
 * `s.replace(/\s+/g, ' ')`, without the replace when nothing would change (most entries and
 * citations are written with single spaces, and the global replace is costly on every one).
 */
export function collapseSpaces(s: string): string {
  return needsCollapse(s) ? s.replace(/\s+/g, ' ') : s;
}

/** Whether `s` holds whitespace other than a single space (`/[^\S ]| {2}/`, read without a regex call). */
function needsCollapse(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (s.charCodeAt(i + 1) === 32) return true;
    } else if (c <= 13 ? c >= 9 : c >= 0xa0 && isOtherSpace(c)) return true;
  }
  return false;
}

/** Whether `\s` matches the character with this code. */
export function isSpaceCode(c: number): boolean {
  return c === 32 || (c <= 13 ? c >= 9 : c >= 0xa0 && isOtherSpace(c));
}

/** The characters `\s` matches besides the ASCII ones. */
function isOtherSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

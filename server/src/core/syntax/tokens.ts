/**
 * A small tokenizer for names and years over the prose view. NUL characters (see prose.ts)
 * are ignorable inside words. Dotted initials are merged into one token (`A.`, `D.W.`, `P.-C.`).
 */

export type TokenKind = 'word' | 'initial' | 'num' | 'punct' | 'break';

export interface Token {
  kind: TokenKind;
  /** Text with NULs removed. */
  text: string;
  start: number;
  end: number;
  /** Whitespace (or start of range) directly before the token. */
  spaceBefore: boolean;
}

function isLetterCode(c: number): boolean {
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && !(c >= 0x2000 && c <= 0x206f) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xff00 && c <= 0xff0f) && !(c >= 0xff1a && c <= 0xff20) && c !== 0xfeff && !(c >= 0x2460 && c <= 0x27bf) && !(c >= 0x25a0 && c <= 0x25ff);
}

const LETTER_RE = /[\p{L}\p{M}]/u;

/**
 * Whether a BMP code unit (not a surrogate) is a word character, memoised: 0 = not yet known,
 * 1 = yes, 2 = no. Saves a regex test per non-ASCII character.
 */
const BMP_WORD = new Uint8Array(0x10000);

function isWordChar(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c === 0) return true;
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c >= 0xd800 && c <= 0xdfff) return isLetterCode(c) && LETTER_RE.test(s.slice(i, i + 2));
  let known = BMP_WORD[c];
  if (known === 0) {
    known = isLetterCode(c) && LETTER_RE.test(s[i]) ? 1 : 2;
    BMP_WORD[c] = known;
  }
  return known === 1;
}

function isUpperLetter(ch: string): boolean {
  return ch.toUpperCase() === ch && ch.toLowerCase() !== ch;
}

/** Spaces that separate tokens (a newline is handled on its own: two make a break). */
function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0xa0 || c === 0x3000 || c === 0x2009 || c === 0x202f;
}

/** Where a raw scan is: the next position and whether whitespace (or the start) precedes it. */
interface ScanState {
  i: number;
  space: boolean;
}

/**
 * Appends the tokens (before merging initials) that start in `[state.i, stop)` to `out`; tokens
 * may look at and extend up to `to`. Resuming from the returned state gives the same tokens as
 * one longer scan, so a text can be scanned piecewise.
 */
function scanRaw(s: string, state: ScanState, stop: number, to: number, out: Token[]): void {
  let i = state.i;
  let space = state.space;
  while (i < stop) {
    const c = s.charCodeAt(i);
    if (isSpaceCode(c)) { space = true; i++; continue; }
    if (c === 10) {
      // A blank line is a hard break.
      let j = i + 1;
      while (j < to && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9 || s.charCodeAt(j) === 13)) j++;
      if (j < to && s.charCodeAt(j) === 10) {
        out.push({ kind: 'break', text: '\n\n', start: i, end: j + 1, spaceBefore: true });
        i = j + 1;
      } else i++;
      space = true;
      continue;
    }
    if (c === 0) { i++; continue; }
    if (isWordChar(s, i)) {
      let j = i;
      let hasNul = false;
      while (j < to) {
        const cj = s.charCodeAt(j);
        if (cj === 0) { hasNul = true; j++; continue; }
        // ASCII letters inline (the common case), then the full test.
        const lower = cj | 32;
        if ((lower >= 97 && lower <= 122) || (cj >= 128 && isWordChar(s, j))) { j++; continue; }
        // Apostrophes and hyphens inside a word: O'Brien, López-Vicente.
        if ((cj === 39 || cj === 0x2019 || cj === 45 || cj === 0x2010 || cj === 0x2011) && j + 1 < to && isWordChar(s, j + 1) && s.charCodeAt(j + 1) !== 0) { j++; continue; }
        break;
      }
      // The word is every character passed over except NULs.
      const text = hasNul ? s.slice(i, j).replace(/\0/g, '') : s.slice(i, j);
      if (text === '') { i = j; continue; }
      out.push({ kind: 'word', text, start: i, end: j, spaceBefore: space });
      i = j;
      space = false;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let j = i;
      while (j < to && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      out.push({ kind: 'num', text: s.slice(i, j), start: i, end: j, spaceBefore: space });
      i = j;
      space = false;
      continue;
    }
    // Surrogate pairs of non-letters count as one punctuation token.
    const w = c >= 0xd800 && c <= 0xdbff && i + 1 < to ? 2 : 1;
    out.push({ kind: 'punct', text: s.slice(i, i + w), start: i, end: i + w, spaceBefore: space });
    i += w;
    space = false;
  }
  state.i = i;
  state.space = space;
}

export function tokenize(s: string, from = 0, to = s.length): Token[] {
  const raw: Token[] = [];
  scanRaw(s, { i: from, space: true }, to, to, raw);
  return mergeInitials(raw);
}

/**
 * `tokenize(s, from, to)` for many windows of one text (the citation scanner looks at the 320
 * characters before each year), scanning each character of the text once instead of once per
 * window. The text is scanned lazily as far as the windows reach.
 *
 * The text is scanned in segments: a window that starts past the scanned part starts a new
 * segment, scanned from the window's start exactly as `tokenize` would. A later window
 * overlapping the segment has the segment's tokens except near its two ends:
 * - at `from`, the window may start inside a token. From the first token of the segment that
 *   follows a plain space inside the window, both scans are in the same state (just after a
 *   space), so only the part before it is scanned again;
 * - at `to`, a token of the segment may run past the end, which the window would cut short; then
 *   the window is scanned on its own.
 * Initials are merged over the window's tokens as `tokenize` does.
 */
export class WindowTokenizer {
  /** Tokens of the segment (initials not merged), in order, all starting before `state.i`. */
  private raw: Token[] = [];
  private segStart = 0;
  private state: ScanState = { i: 0, space: true };

  constructor(private readonly s: string) {}

  tokenize(from: number, to: number): Token[] {
    const s = this.s;
    if (from < this.segStart || from >= this.state.i) {
      this.raw = [];
      this.segStart = from;
      this.state = { i: from, space: true };
    }
    const raw = this.raw;
    if (this.state.i < to) scanRaw(s, this.state, to, s.length, raw);
    // Tokens starting before `to`: raw[0 .. end).
    const end = upperBound(raw, to);
    if (end > 0 && raw[end - 1].end > to) return tokenize(s, from, to);
    let first = 0;
    const win: Token[] = [];
    if (from > this.segStart) {
      first = upperBound(raw, from);
      for (; first < end; first++) {
        const q = raw[first].start;
        // In sync after a space that no token can have swallowed (a high surrogate before it
        // would make it part of a two-unit punctuation token).
        if (raw[first].kind !== 'break' && isSpaceCode(s.charCodeAt(q - 1)) && !(q >= 2 && isHighSurrogate(s.charCodeAt(q - 2)))) break;
      }
      if (first === end) return tokenize(s, from, to);
      scanRaw(s, { i: from, space: true }, raw[first].start, raw[first].start, win);
    }
    for (; first < end; first++) win.push(raw[first]);
    return mergeInitials(win);
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Index of the first token starting at or after `pos` (tokens sorted by start). */
function upperBound(t: Token[], pos: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid].start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `A` `.` `B` `.` -> `A.B.`; `P` `.` `-` `C` `.` -> `P.-C.`. */
function mergeInitials(t: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < t.length; i++) {
    const a = t[i];
    if (a.kind === 'word' && a.text.length === 1 && isUpperLetter(a.text) && t[i + 1]?.kind === 'punct' && t[i + 1].text === '.' && t[i + 1].start === a.end) {
      let text = a.text + '.';
      let end = t[i + 1].end;
      let j = i + 2;
      for (;;) {
        let k = j;
        let hy = '';
        if (t[k]?.kind === 'punct' && t[k].text === '-' && t[k].start === end) { hy = '-'; k++; }
        const b = t[k];
        if (b && b.kind === 'word' && b.text.length === 1 && isUpperLetter(b.text) && t[k + 1]?.kind === 'punct' && t[k + 1].text === '.' && t[k + 1].start === b.end && (b.start === end || (!hy && b.start - end <= 1))) {
          text += hy + b.text + '.';
          end = t[k + 1].end;
          j = k + 2;
          continue;
        }
        break;
      }
      out.push({ kind: 'initial', text, start: a.start, end, spaceBefore: a.spaceBefore });
      i = j - 1;
      continue;
    }
    out.push(a);
  }
  return out;
}

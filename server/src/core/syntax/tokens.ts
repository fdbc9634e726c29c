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

/** Token kinds in the flat buffers (the low three bits of a token's flags). */
const WORD = 0;
const INITIAL = 1;
const NUM = 2;
const PUNCT = 3;
const BREAK = 4;
const KIND_NAMES: TokenKind[] = ['word', 'initial', 'num', 'punct', 'break'];
/** Flag bits: whitespace (or the start of the range) before the token; a word containing NULs. */
const SPACE = 8;
const HAS_NUL = 16;

/**
 * Raw tokens (initials not merged) as flat arrays: a 1 MB paper has ~150k tokens and objects for
 * them cost more than finding them. Token `k` is `start[k]`, `end[k]`, `flags[k]`.
 */
class RawTokens {
  start = new Int32Array(64);
  end = new Int32Array(64);
  flags = new Uint8Array(64);
  length = 0;

  push(start: number, end: number, flags: number): void {
    if (this.length === this.start.length) this.grow();
    const k = this.length++;
    this.start[k] = start;
    this.end[k] = end;
    this.flags[k] = flags;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const start = new Int32Array(n);
    const end = new Int32Array(n);
    const flags = new Uint8Array(n);
    start.set(this.start);
    end.set(this.end);
    flags.set(this.flags);
    this.start = start;
    this.end = end;
    this.flags = flags;
  }
}

/** The text of a raw token: NULs removed from words; breaks read `\n\n`. */
function rawText(s: string, start: number, end: number, flags: number): string {
  const kind = flags & 7;
  if (kind === BREAK) return '\n\n';
  if (flags & HAS_NUL) return s.slice(start, end).replace(/\0/g, '');
  return s.slice(start, end);
}

/**
 * Appends the raw tokens that start in `[from, stop)`, scanning from `from` as from the start of
 * a range (as if after whitespace), to `out`; tokens may look at and extend up to `to`.
 */
function scanRaw(s: string, from: number, stop: number, to: number, out: RawTokens): void {
  let i = from;
  let space = SPACE;
  while (i < stop) {
    const c = s.charCodeAt(i);
    if (isSpaceCode(c)) { space = SPACE; i++; continue; }
    if (c === 10) {
      // A blank line is a hard break.
      let j = i + 1;
      while (j < to && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9 || s.charCodeAt(j) === 13)) j++;
      if (j < to && s.charCodeAt(j) === 10) {
        out.push(i, j + 1, BREAK | SPACE);
        i = j + 1;
      } else i++;
      space = SPACE;
      continue;
    }
    if (c === 0) { i++; continue; }
    if (isWordChar(s, i)) {
      // The word is every character passed over except NULs; it is never empty (s[i] is not NUL).
      let j = i;
      let hasNul = 0;
      while (j < to) {
        const cj = s.charCodeAt(j);
        if (cj === 0) { hasNul = HAS_NUL; j++; continue; }
        // ASCII letters inline (the common case), then the full test.
        const lower = cj | 32;
        if ((lower >= 97 && lower <= 122) || (cj >= 128 && isWordChar(s, j))) { j++; continue; }
        // Apostrophes and hyphens inside a word: O'Brien, López-Vicente.
        if ((cj === 39 || cj === 0x2019 || cj === 45 || cj === 0x2010 || cj === 0x2011) && j + 1 < to && isWordChar(s, j + 1) && s.charCodeAt(j + 1) !== 0) { j++; continue; }
        break;
      }
      out.push(i, j, WORD | space | hasNul);
      i = j;
      space = 0;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let j = i;
      while (j < to && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      out.push(i, j, NUM | space);
      i = j;
      space = 0;
      continue;
    }
    // Surrogate pairs of non-letters count as one punctuation token.
    const w = c >= 0xd800 && c <= 0xdbff && i + 1 < to ? 2 : 1;
    out.push(i, i + w, PUNCT | space);
    i += w;
    space = 0;
  }
}

/**
 * tokenize's raw tokens: one set of buffers serves every call (it returns before the next);
 * allocating three typed arrays a call cost more than the scan of an entry's head.
 */
let scratch = new RawTokens();

export function tokenize(s: string, from = 0, to = s.length): Token[] {
  // Buffers grown for a long text are not kept.
  if (scratch.start.length > 4096) scratch = new RawTokens();
  const raw = scratch;
  raw.length = 0;
  scanRaw(s, from, to, to, raw);
  const t: Token[] = [];
  for (let k = 0; k < raw.length; k++) {
    const f = raw.flags[k];
    t.push({ kind: KIND_NAMES[f & 7], text: rawText(s, raw.start[k], raw.end[k], f), start: raw.start[k], end: raw.end[k], spaceBefore: (f & SPACE) !== 0 });
  }
  return mergeInitials(t);
}

/** The shortest chunk scanned (characters), unless the window starts closer. */
const MIN_CHUNK = 24;

/**
 * The tokens of `tokenize(s, from, to)` read from the end backwards, produced only as far as they
 * are read. The citation scanner looks at the 320 characters before each year but mostly reads
 * just the few words before it, so most of the text is never tokenized.
 *
 * Raw tokens are found in chunks, right to left. A chunk starts at a sync point: a position `q`
 * just after whitespace that no token can contain. A scan of the whole window passes `q` between
 * tokens and just after a space, the same state in which a scan starting at `q` begins, so from
 * `q` on both give the same tokens; the chunk is scanned forwards from `q` up to where the
 * previous chunk began. The window's own start is always a sync point.
 *
 * Initials are merged over the raw tokens as `mergeInitials` does, also from the right: merged
 * initials are exactly the maximal runs of linked letter-period pairs (see `mergeInitials`), but
 * for hyphenated ones (`M.-E.`), which only reference entries are written with: here they stay
 * `M.`, `-`, `E.`.
 */
export class TokenTail {
  private s = '';
  private from = 0;
  private to = 0;
  /** Raw tokens found so far, the last token first. */
  private raw = new RawTokens();
  /** Raw tokens starting at or after this position are all in `raw`. */
  private rawLow = 0;
  /** Scratch for one chunk, in text order. */
  private chunk = new RawTokens();
  /** Merged tokens produced so far, the last token first: `merged[0 .. mergedLength)`. */
  private merged: Token[] = [];
  private mergedLength = 0;
  /** How many raw tokens `merged` covers. */
  private mergedRaw = 0;

  /**
   * Starts reading `tokenize(s, from, to)` from its end. One tail serves many windows (and texts):
   * its buffers are reused, which matters for the many short paragraphs of a paper.
   */
  reset(s: string, from: number, to: number): void {
    this.s = s;
    this.from = from;
    this.to = to;
    this.raw.length = 0;
    this.rawLow = to;
    this.mergedLength = 0;
    this.mergedRaw = 0;
  }

  /** The `k`-th token from the end (0 is the last), or undefined past the first. */
  at(k: number): Token | undefined {
    while (this.mergedLength <= k) {
      if (!this.mergeNext()) return undefined;
    }
    return this.merged[k];
  }

  /** Whether raw token `r` (from the end) exists, finding raw tokens as needed. */
  private hasRaw(r: number): boolean {
    while (this.raw.length <= r) {
      if (this.rawLow <= this.from) return false;
      this.scanChunk();
    }
    return true;
  }

  /** Finds the raw tokens of the chunk that ends where the found ones begin. */
  private scanChunk(): void {
    const s = this.s;
    const from = this.from;
    // Chunks of a few words: fewer, larger scans cost less than one per word.
    const q = this.syncAtOrBefore(this.rawLow - MIN_CHUNK);
    const chunk = this.chunk;
    chunk.length = 0;
    scanRaw(s, q, this.rawLow, this.to, chunk);
    for (let k = chunk.length - 1; k >= 0; k--) this.raw.push(chunk.start[k], chunk.end[k], chunk.flags[k]);
    this.rawLow = q;
  }

  /**
   * The last sync point at or before `q`, or the window's start: a position the scan of the window
   * passes just after whitespace and between tokens. Only breaks and two-unit punctuation contain
   * whitespace: a break (`\n`, spaces, tabs or CRs, `\n`) and a high surrogate followed by a
   * space. May pass over sync points when unsure.
   */
  private syncAtOrBefore(q: number): number {
    const s = this.s;
    const from = this.from;
    for (; q > from; q--) {
      const c = s.charCodeAt(q - 1);
      if (!isSpaceCode(c) || (q >= 2 && isHighSurrogate(s.charCodeAt(q - 2)))) continue;
      if (!isBreakSpace(c)) return q;
      // A run of spaces, tabs and CRs is inside a break only with a newline on both sides. All
      // positions in the run are alike: go on from its start either way (each run is read once).
      let a = q - 2;
      while (a >= from && isBreakSpace(s.charCodeAt(a))) a--;
      let inBreak = a >= from && s.charCodeAt(a) === 10;
      if (inBreak) {
        let b = q;
        while (b < this.to && isBreakSpace(s.charCodeAt(b))) b++;
        inBreak = b < this.to && s.charCodeAt(b) === 10;
      }
      // Just after the run's first space, unless a high surrogate before it may swallow it.
      if (!inBreak) return a >= 0 && isHighSurrogate(s.charCodeAt(a)) ? q : a + 2;
      q = a + 1;
    }
    return from;
  }

  /** Appends the next merged token (leftwards) to `merged`; false at the start of the window. */
  private mergeNext(): boolean {
    let r = this.mergedRaw;
    if (!this.hasRaw(r)) return false;
    const s = this.s;
    const raw = this.raw;
    if (!this.isInitialPair(r)) {
      const f = raw.flags[r];
      this.merged[this.mergedLength++] = { kind: KIND_NAMES[f & 7], text: rawText(s, raw.start[r], raw.end[r], f), start: raw.start[r], end: raw.end[r], spaceBefore: (f & SPACE) !== 0 };
      this.mergedRaw = r + 1;
      return true;
    }
    // `A.` ends at raw r; earlier pairs join while they directly precede it, at most one
    // character apart (`A.B.`, `A. B.`).
    const end = raw.end[r];
    let text = this.rawText(r + 1) + '.';
    while (this.isInitialPair(r + 2) && raw.start[r + 1] - raw.end[r + 2] <= 1) {
      r += 2;
      text = this.rawText(r + 1) + '.' + text;
    }
    const f = raw.flags[r + 1];
    this.merged[this.mergedLength++] = { kind: 'initial', text, start: raw.start[r + 1], end, spaceBefore: (f & SPACE) !== 0 };
    this.mergedRaw = r + 2;
    return true;
  }

  /** Whether raw tokens `r + 1`, `r` (from the end) are one capital letter and a period right after it. */
  private isInitialPair(r: number): boolean {
    if (!this.hasRaw(r + 1)) return false;
    const raw = this.raw;
    const s = this.s;
    if ((raw.flags[r] & 7) !== PUNCT || raw.end[r] - raw.start[r] !== 1 || s.charCodeAt(raw.start[r]) !== 46) return false;
    const f = raw.flags[r + 1];
    if ((f & 7) !== WORD || raw.end[r + 1] !== raw.start[r]) return false;
    // One letter, perhaps with NULs after it (`A\0.`).
    if (!(f & HAS_NUL)) return raw.end[r + 1] - raw.start[r + 1] === 1 && isUpperLetter(s[raw.start[r + 1]]);
    const text = this.rawText(r + 1);
    return text.length === 1 && isUpperLetter(text);
  }

  private rawText(r: number): string {
    const raw = this.raw;
    return rawText(this.s, raw.start[r], raw.end[r], raw.flags[r]);
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Spaces a break may contain between its two newlines. */
function isBreakSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
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
        // After a hyphen the next letter must follow it directly (`M.-E.`).
        let from = end;
        if (t[k]?.kind === 'punct' && t[k].text === '-' && t[k].start === end) { hy = '-'; from = t[k].end; k++; }
        const b = t[k];
        if (b && b.kind === 'word' && b.text.length === 1 && isUpperLetter(b.text) && t[k + 1]?.kind === 'punct' && t[k + 1].text === '.' && t[k + 1].start === b.end && (b.start === from || (!hy && b.start - end <= 1))) {
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

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

function isWordChar(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c === 0) return true;
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (!isLetterCode(c)) return false;
  if (c >= 0xd800 && c <= 0xdfff) return LETTER_RE.test(s.slice(i, i + 2));
  return LETTER_RE.test(s[i]);
}

function isUpperLetter(ch: string): boolean {
  return ch.toUpperCase() === ch && ch.toLowerCase() !== ch;
}

export function tokenize(s: string, from = 0, to = s.length): Token[] {
  const out: Token[] = [];
  let i = from;
  let space = true;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 0xa0 || c === 0x3000 || c === 0x2009 || c === 0x202f) { space = true; i++; continue; }
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
      let text = '';
      while (j < to) {
        const cj = s.charCodeAt(j);
        if (cj === 0) { j++; continue; }
        if (isWordChar(s, j)) { text += s[j]; j++; continue; }
        // Apostrophes and hyphens inside a word: O'Brien, López-Vicente.
        if ((cj === 39 || cj === 0x2019 || cj === 45 || cj === 0x2010 || cj === 0x2011) && j + 1 < to && isWordChar(s, j + 1) && s.charCodeAt(j + 1) !== 0) { text += s[j]; j++; continue; }
        break;
      }
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
  return mergeInitials(out);
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

/** Folding for matching: case, diacritics and punctuation do not count. */
import { BoundedCache } from './memo';

const SPECIAL: Record<string, string> = {
  'ß': 'ss', 'ø': 'o', 'Ø': 'o', 'æ': 'ae', 'Æ': 'ae', 'œ': 'oe', 'Œ': 'oe', 'ł': 'l', 'Ł': 'l',
  'đ': 'd', 'Đ': 'd', 'ð': 'd', 'þ': 'th', 'ı': 'i', 'ŀ': 'l',
};
const SPECIAL_RE = /[ßøØæÆœŒłŁđĐðþıŀ]/g;
const MARKS_RE = /\p{M}+/gu;
const NON_WORD_RE = /[^\p{L}\p{N}]+/gu;

const foldCache = new BoundedCache<string>(100_000);

/** `López-Vicente` -> `lopezvicente`; `O’Brien` -> `obrien`; `大東` stays `大東`. */
export function fold(s: string): string {
  return s.length > 512 ? foldUncached(s) : foldCache.get(s, foldUncached);
}

/** Whether `s` is all ASCII: then folding is just lower-casing and keeping letters and digits. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}
const ASCII_NON_WORD_RE = /[^a-z0-9]+/g;

function foldUncached(s: string): string {
  // No special letters, decompositions or marks in ASCII; its only letters and digits are [A-Za-z0-9].
  if (isAscii(s)) return s.toLowerCase().replace(ASCII_NON_WORD_RE, '');
  return s
    .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c)
    .normalize('NFD')
    .replace(MARKS_RE, '')
    .toLowerCase()
    .replace(NON_WORD_RE, '');
}

/** Lower-cases and drops punctuation but keeps diacritics: tells `Parn` from `Pärn`. */
const caseCache = new BoundedCache<string>(50_000);
export function foldCaseOnly(s: string): string {
  return caseCache.get(s, (x) => (isAscii(x) ? x.toLowerCase().replace(ASCII_NON_WORD_RE, '') : x.normalize('NFC').toLowerCase().replace(NON_WORD_RE, '')));
}

/** Damerau-Levenshtein (optimal string alignment) distance, capped: returns max+1 once over. */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  // Three rows of scratch, reused by every call (names are short; a long string gets its own).
  if (lb + 1 > ROWS[0].length) {
    if (lb + 1 > 4096) return editDistanceRows(a, b, max, new Int32Array(lb + 1), new Int32Array(lb + 1), new Int32Array(lb + 1));
    ROWS = [new Int32Array(2 * (lb + 1)), new Int32Array(2 * (lb + 1)), new Int32Array(2 * (lb + 1))];
  }
  const [r0, r1, r2] = ROWS;
  r0.fill(0, 0, lb + 1);
  return editDistanceRows(a, b, max, r0, r1, r2);
}

let ROWS = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** editDistance with its rows given: `prev2` filled with zeros; each at least `b.length + 1` long. */
function editDistanceRows(a: string, b: string, max: number, prev2: Int32Array, prev: Int32Array, cur: Int32Array): number {
  const la = a.length;
  const lb = b.length;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

/** How many edits a name of this length may be off and still be a near miss. */
export function nearMissBudget(len: number): number {
  if (len <= 2) return 0;
  if (len <= 8) return 1;
  return 2;
}

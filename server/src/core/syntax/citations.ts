/**
 * Author-year citations in prose, found from their years outwards.
 *
 * Every year-like token (`2015`, `2015a`, `n.d.`, `2023-11-10`) is an anchor; from it the scanner
 * reads names backwards (`Kim`, `Drezner et al.`, `Kissinger and Allison`, `Office of the
 * President`) and years and locators forwards. Whether the anchor is a citation is decided by its
 * shape: `Name (Year)` and a name-year that opens a part of a parenthesis are citations; a bare
 * name-year in running text counts only when the reference list knows the name (see resolve.ts).
 */
import type { Sliceable } from './prose';
import type { Range } from '../types';
import { TokenTail, type Token } from './tokens';
import { CORPORATE_INNER, PARTICLES, hasCjk, isCapitalized, isLowerWord, isNotName, isSaintWord, normalizeYearWord } from './words';

export interface NameReading {
  /** Names in order, as written. */
  names: { text: string; range: Range }[];
  /** Where the citation text starts under this reading. */
  start: number;
  /**
   * Names joined by `and` or `&` read as one (a body: `Centers for Disease Control and
   * Prevention`): used only if it finds the entry.
   */
  joined?: boolean;
}

export interface CitationCandidate {
  kind: 'parenthetical' | 'narrative' | 'bare';
  /** Readings of the names, longest first; the resolver picks one. */
  readings: NameReading[];
  etAl: boolean;
  etAlRange?: Range;
  year: string;
  suffix: string;
  yearRange: Range;
  /** End of the citation text (after the year, or the closing parenthesis for narrative). */
  end: number;
  /** Enclosing parentheses. */
  groupRange?: Range;
  /** Counted only if it resolves. */
  weak: boolean;
  /** Start of this part of the enclosing parenthesis (after `(`, `;` or an earlier citation). */
  partStart?: number;
  /** A second year for the same names (`Smith 2019, 2021`): the text shown is just the year. */
  continuation?: boolean;
  /**
   * Followed by `as cited in` (`Vygotsky, 1978, as cited in Nguyen, 2019`): a work read in
   * another, which the list need not have.
   */
  citedIn?: boolean;
}

// Tried only where ANCHOR_START_RE says a match can start (sticky: matches exactly there).
const ANCHOR_RE = /(?<![\p{L}\p{N}./\-–@#$])(?:(1[5-9]\d\d|20\d\d)(?:-(\d\d)-(\d\d)|\/(1[5-9]\d\d|20\d\d))?([a-z](?:\/[a-z])?)?(?![\p{L}\p{N}])|(n\.\s?d\.|in press|forthcoming|s\.\s?[fd]\.|o\.\s?j\.|no date)(?![\p{L}]))/iuy;

/**
 * Where an ANCHOR_RE match may start: a cheap superset of its openings without the lookbehind
 * or Unicode classes. ANCHOR_RE is case-insensitive with Unicode folding, under which the only
 * characters besides ASCII capitals that fold to ASCII letters are `ſ` (to `s`) and the Kelvin
 * sign (to `k`), hence `[sSſ]`. `n. d.`, `s. f.`, `s. d.` and `o. J.` are spelled out (`n. f.`,
 * which mixes them, is only a spare opening): `n.`, `s.` and `o.` alone end many sentences.
 */
const ANCHOR_START_RE = /(?:1[5-9]|20)\d\d|[nNsS\u017f]\.\s?[dDfF]\.|[oO]\.\s?[jJ]\.|[nN][oO] [dD][aA][tT][eE]|[iI][nN] [pP][rR][eE][sS\u017f][sS\u017f]|[fF][oO][rR][tT][hH][cC][oO][mM][iI][nN][gG]/g;

/** The first ANCHOR_RE match starting at or after `from`, as a global `exec` would find it. */
function nextAnchor(view: string, from: number): RegExpExecArray | null {
  ANCHOR_START_RE.lastIndex = from;
  for (let s = ANCHOR_START_RE.exec(view); s; s = ANCHOR_START_RE.exec(view)) {
    const k = s.index;
    // ANCHOR_RE's lookbehind fails after an ASCII letter, digit or `./-@#$` (`persons.`, `x2015`):
    // skip those cheaply, they are most openings.
    const b = k > 0 ? view.charCodeAt(k - 1) : 32;
    if (!(b < 128 && ((b >= 48 && b <= 57) || ((b | 32) >= 97 && (b | 32) <= 122) || b === 46 || b === 47 || b === 45 || b === 64 || b === 35 || b === 36))) {
      if (b < 128 && isDigitCode(view.charCodeAt(k)) && isPlainYearEnd(view.charCodeAt(k + 4))) return plainYear(view, k);
      ANCHOR_RE.lastIndex = k;
      const m = ANCHOR_RE.exec(view);
      if (m) return m;
    }
    // Openings may overlap (`1920 15`): try the next position.
    ANCHOR_START_RE.lastIndex = k + 1;
  }
  return null;
}

/**
 * Whether a year's four digits followed by this character (NaN at the end) match ANCHOR_RE
 * with nothing more (the common `2019)`, `2019,`, `2019 `), given the lookbehind passed: not a
 * `-` or `/` that could start a date or a second year, and ASCII but not a letter or digit
 * (so no suffix, which under case folding only letters or `ſ` and the Kelvin sign can be).
 */
function isPlainYearEnd(c: number): boolean {
  if (Number.isNaN(c)) return true;
  return c < 128 && c !== 45 && c !== 47 && !(c >= 48 && c <= 57) && !((c | 32) >= 97 && (c | 32) <= 122);
}

/** What `ANCHOR_RE.exec` gives for a plain four-digit year at `k`. */
function plainYear(view: string, k: number): RegExpExecArray {
  const year = view.slice(k, k + 4);
  const m = [year, year, undefined, undefined, undefined, undefined, undefined] as unknown as RegExpExecArray;
  m.index = k;
  return m;
}

/**
 * A further year after a comma: `2021` or `2021b` (groups 1, 2), a bare suffix `b` (group 3), or
 * APA's `n.d.-b`, `in press-b` (groups 4, 5).
 */
const MORE_YEAR_RE = /^[\s\0]*,[\s\0]*(?:((?:1[5-9]|20)\d\d)([a-z])?(?![\p{L}\p{N}\-–])|([a-z])(?=[\s\0]*[),;:\]])|(n\.[\s\0]?d\.|in press)-([a-z])(?![\p{L}\p{N}]))/u;

/** The hyphenated suffix after a year word (`-a` of `n.d.-a`). */
const WORD_SUFFIX_RE = /^-([a-z])(?![\p{L}\p{N}])/u;

function isNameWord(t: Token): boolean {
  return t.kind === 'word' && isCapitalized(t.text);
}

function stripPossessive(t: Token): { text: string; end: number } {
  const m = /^(.*?)(?:['’]s|['’])$/.exec(t.text);
  if (m && m[1].length > 0) return { text: m[1], end: t.end - (t.text.length - m[1].length) };
  return { text: t.text, end: t.end };
}

/**
 * A name as tokens counted from the end of the window (`t.at(0)` is the token just before the
 * year), so `from` >= `to`.
 */
interface NameSpan {
  /** Token indexes, inclusive: `from` is the first token of the name, `to` the last. */
  from: number;
  to: number;
  /** Token indexes at which the name may start (for the leftmost name), right to left. */
  starts: number[];
}

/** Reads one name ending at token `i` (inclusive), backwards. */
function readNameBackwards(t: TokenTail, i: number): NameSpan | undefined {
  const last = t.at(i);
  if (!last || last.kind !== 'word' || !isCapitalized(last.text)) return undefined;
  const starts = [i];
  let from = i;
  let j = i + 1;
  // Multi-word names: `The Japan Times`, `Office of the President`, `van der Berg`, `Le Lay`.
  while (j - i < 8) {
    const w = t.at(j);
    // `St. John`: the period of `St.` (Saint) is inside the name.
    if (w && w.kind === 'punct' && w.text === '.' && t.at(j - 1)!.spaceBefore) {
      const saint = t.at(j + 1);
      if (saint && saint.kind === 'word' && isSaintWord(saint.text) && saint.end === w.start) {
        from = j + 1;
        starts.push(j + 1);
        j += 2;
        continue;
      }
    }
    if (!w || w.kind !== 'word') break;
    // Words must be separated only by spaces.
    if (!t.at(j - 1)!.spaceBefore) break;
    if (isCapitalized(w.text)) {
      if (hasCjk(w.text)) break;
      from = j;
      starts.push(j);
      j++;
      continue;
    }
    const low = w.text.toLowerCase();
    if (PARTICLES.has(low) && isLowerWord(w.text)) {
      from = j;
      starts.push(j);
      j++;
      continue;
    }
    if (CORPORATE_INNER.has(low) && low !== 'and' && low !== 'und' && low !== 'y' && low !== 'et' && low !== '&') {
      const before = t.at(j + 1);
      if (before && before.kind === 'word' && (isCapitalized(before.text) || CORPORATE_INNER.has(before.text.toLowerCase()))) {
        j++;
        continue;
      }
    }
    break;
  }
  // A run of inner words not closed by a capitalised word does not belong to the name (`from`
  // is the last word that could start it).
  return { from, to: i, starts };
}

/**
 * `view.slice(start, end)` without NULs and with each run of whitespace as one space. Names
 * rarely have either, so the text is checked first and the replaces mostly skipped.
 */
function cleanNameText(view: string, start: number, end: number): string {
  const text = view.slice(start, end);
  for (let k = start; k < end; k++) {
    const c = view.charCodeAt(k);
    // Below 32: NUL and the control whitespace; a space after a space; other \s characters.
    if (c < 32 || (c === 32 && k > start && view.charCodeAt(k - 1) === 32) || (c >= 0xa0 && isUnicodeSpace(c))) {
      return text.replace(/\0/g, '').replace(/\s+/g, ' ');
    }
  }
  return text;
}

/** Whether the first character in `[from, to)` other than whitespace and NULs is a comma. */
function commaAhead(view: string, from: number, to: number): boolean {
  const stop = Math.min(to, view.length);
  for (let k = from; k < stop; k++) {
    const c = view.charCodeAt(k);
    if (c !== 0 && !isSpaceChar(c)) return c === 44;
  }
  return false;
}

/** Whether a character is one of `\s`. */
function isSpaceChar(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || (c >= 0xa0 && isUnicodeSpace(c));
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The characters of `\s` from U+00A0 up. */
function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isConnector(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'punct') return t.text === '&';
  if (t.kind !== 'word') return false;
  const l = t.text;
  return l === 'and' || l === 'y' || l === 'und' || l === 'e' || l === 'et' || l === 'und' || l === 'och' || l === 'en' || l === 'og' || l === 'i';
}

export interface ScanOptions {
  /** Ranges not to scan (the reference lists). */
  skip: Range[];
}

/**
 * Bracket searches for the citations of one text. The search for a closing bracket is repeated
 * for each citation of a group (`(Lee 2001; Kim 2002)`): the last one is remembered.
 */
class Brackets {
  private view = '';
  private closeFrom = -1;
  private closeChar = '';
  private closeAt = -1;
  // The last opening search: from `openPos`, not before `openFrom`, found `openAt`.
  private openPos = Infinity;
  private openFrom = 0;
  private openAt = -1;

  reset(view: string): void {
    this.view = view;
    this.closeFrom = -1;
    this.openPos = Infinity;
  }

  /**
   * The `(` or `[` that opens the group containing `pos`, or -1 (within the paragraph, 1000
   * chars). Only found at or after `from`: the caller passes the earliest opening that could
   * still matter.
   *
   * Searches come from increasing positions: once a search reaches the last one's start at depth
   * 0, it would go on exactly as that one did, only stopping no earlier, so its answer is the
   * last one's if that is not before this search's stop, else -1 (as it was -1 before).
   */
  findOpen(pos: number, from: number): number {
    const view = this.view;
    const stop = Math.max(0, pos - 1000, from);
    const resume = this.openPos <= pos && this.openFrom <= from ? this.openPos - 1 : -2;
    let depth = 0;
    let found = -1;
    for (let k = pos - 1; k >= stop; k--) {
      if (k === resume && depth === 0) {
        found = this.openAt >= stop ? this.openAt : -1;
        break;
      }
      const c = view.charCodeAt(k);
      if (c === 41 || c === 93 || c === FW_CLOSE) depth++;
      else if (c === 40 || c === 91 || c === FW_OPEN) {
        if (depth === 0) { found = k; break; }
        depth--;
      } else if (c === 10 && k > 0 && view.charCodeAt(k - 1) === 10) break;
    }
    this.openPos = pos;
    this.openFrom = from;
    this.openAt = found;
    return found;
  }

  findClose(from: number, close: string): number {
    if (from !== this.closeFrom || close !== this.closeChar) {
      this.closeFrom = from;
      this.closeChar = close;
      this.closeAt = findClose(this.view, from, close);
    }
    return this.closeAt;
  }
}


/**
 * Full-width parentheses `（` `）`, which Japanese and Chinese text puts around years
 * (`久保（2012）`, `Gelman et al.（2013）`): read as `(` and `)`, either closing the other.
 */
const FW_OPEN = 0xff08;
const FW_CLOSE = 0xff09;

/** Whether a token opens a group: `(`, `[` or `（` (read as `(`). */
function isOpenBracket(text: string): boolean {
  return text === '(' || text === '[' || text === '（';
}

/** The closing character searched for a group opened by `open` (`（` by `)`, which also finds `）`). */
function closerOf(open: string): string {
  return open === '[' ? ']' : ')';
}

function findClose(view: string, from: number, close: string): number {
  // Character codes, not one-character strings: this runs over every group a citation is in.
  const closeCode = close.charCodeAt(0);
  const openCode = close === ')' ? 40 : 91;
  // Mixed pairs (`（2013)`) are typos that still close.
  const fwClose = close === ')' ? FW_CLOSE : -1;
  const fwOpen = close === ')' ? FW_OPEN : -1;
  let depth = 0;
  const stop = Math.min(view.length, from + 600);
  for (let k = from; k < stop; k++) {
    const c = view.charCodeAt(k);
    if (c === openCode || c === fwOpen) depth++;
    else if (c === closeCode || c === fwClose) {
      if (depth === 0) return k;
      depth--;
    } else if (c === 10 && view.charCodeAt(k + 1) === 10) return -1;
  }
  return -1;
}

/** Reused by every scan (scans do not nest). */
const tail = new TokenTail();
const brackets = new Brackets();

export function scanCitations(view: string, opts: ScanOptions): CitationCandidate[] {
  const out: CitationCandidate[] = [];
  const skip = [...opts.skip].sort((a, b) => a.start - b.start);
  brackets.reset(view);
  let skipIdx = 0;
  let consumedUntil = -1;

  let next = 0;
  for (let m = nextAnchor(view, 0); m; m = nextAnchor(view, next)) {
    const p = m.index;
    next = p + m[0].length;
    while (skipIdx < skip.length && skip[skipIdx].end <= p) skipIdx++;
    if (skipIdx < skip.length && skip[skipIdx].start <= p) {
      next = Math.max(next, skip[skipIdx].end);
      continue;
    }
    if (p < consumedUntil) continue;
    // Ranges `1980-1989`, decades `1990s`, version-like `2015.1` (the patterns are tried only
    // where their first character is).
    const a0 = view.charCodeAt(next);
    if (m[1] && !m[2] && (a0 === 45 || a0 === 0x2013 || a0 === 0x2014 || a0 === 0 || isSpaceChar(a0)) && /^[\s\0]?(?:-{1,3}|[–—])[\s\0]?\d{2,4}(?!\d)/.test(view.slice(next, next + 9))) continue;
    if (m[5] === 's' && m[1].endsWith('0')) continue;
    if (m[1] && (a0 === 46 || a0 === 44) && isDigitCode(view.charCodeAt(next + 1))) continue;
    const c = readCitation(view, m, out, tail, brackets);
    if (!c) continue;
    out.push(c);
    // A narrative citation's parenthesis holds its years, or the work it was read in (`Piaget
    // (1952, as cited in Nguyen, 2019)`), to be read next.
    consumedUntil = c.citedIn ? c.yearRange.end : c.end;
    // Further years for the same names: `(Smith 2019, 2021)`, `(EPA 2007a,b)`.
    let pos = c.yearRange.end;
    let lastSuffix = c.suffix;
    let lastYear = c.year;
    for (let k = 0; k < 20; k++) {
      // Mostly no comma follows: skip the pattern then.
      if (!commaAhead(view, pos, pos + 40)) break;
      const more = MORE_YEAR_RE.exec(view.slice(pos, pos + 40));
      if (!more) break;
      const ys = pos + more[0].length - (more[1] ? more[1].length + (more[2]?.length ?? 0) : more[4] ? more[4].length + 2 : more[3].length);
      // `2007a,b`: a bare letter continues only a year that has a suffix itself.
      if (!more[1] && !more[4] && !lastSuffix) break;
      const year = more[1] ?? (more[4] ? normalizeYearWord(more[4]) : lastYear);
      const suffix = more[1] ? more[2] ?? '' : more[4] ? more[5] : more[3];
      const ye = pos + more[0].length;
      // `2019, 2021` continues only inside parentheses or a narrative year list.
      if (c.kind === 'bare' && !c.groupRange) break;
      // Spelled out (same keys in the same order as `{ ...c, ... }`): object spread is slow.
      out.push({
        kind: c.kind, readings: c.readings.map((r) => (r.joined ? { names: r.names, start: ys, joined: true } : { names: r.names, start: ys })), etAl: c.etAl, etAlRange: c.etAlRange,
        year, suffix, yearRange: { start: ys, end: ye }, end: ye, groupRange: c.groupRange, weak: c.weak, partStart: c.partStart,
        continuation: true,
      });
      lastSuffix = suffix;
      lastYear = year;
      pos = ye;
      consumedUntil = Math.max(consumedUntil, ye);
    }
    if (c.kind === 'narrative' && !c.citedIn) consumedUntil = Math.max(consumedUntil, c.end);
  }
  return out;
}

/**
 * The readings of `names` (in text order; `joins[k]` joins `names[k]` and `names[k + 1]`), added
 * to `out`: the leftmost name may start at any capitalised word in it; leading names joined by
 * commas may be prose (`Thus, Smith (2019)`). `joined`: the names are read with an `and` join
 * inside one of them.
 */
function addReadings(view: string, t: TokenTail, names: NameSpan[], joins: string[], possessiveEnd: number | undefined, out: NameReading[], joined: boolean): void {
  // The text of each name from its first word, made once (names after the lead recur in every
  // reading); each reading gets its own objects.
  const fullText: (string | undefined)[] = [];
  const nameText = (k: number, from: number): { text: string; range: Range } => {
    const s = names[k];
    const isLast = k === names.length - 1;
    const end = isLast && possessiveEnd !== undefined ? possessiveEnd : t.at(s.to)!.end;
    const start = t.at(from)!.start;
    let text = from === s.from ? fullText[k] : undefined;
    if (text === undefined) {
      text = cleanNameText(view, start, end);
      if (isLast && possessiveEnd === undefined) {
        // A trailing apostrophe (`Morris' (1975)`).
        const l = text.charCodeAt(text.length - 1);
        if (l === 39 || l === 0x2019) text = text.slice(0, -1);
      }
      if (from === s.from) fullText[k] = text;
    }
    return { text, range: { start, end } };
  };
  for (let first = 0; first < names.length; first++) {
    if (first > 0 && joins[first - 1] !== ',') continue;
    const lead = names[first];
    // Leftmost start first (`starts` runs right to left).
    for (let q = lead.starts.length - 1; q >= 0; q--) {
      const st = lead.starts[q];
      const ns: { text: string; range: Range }[] = [];
      for (let k = first; k < names.length; k++) ns.push(nameText(k, k === first ? st : names[k].from));
      out.push(joined ? { names: ns, start: t.at(st)!.start, joined } : { names: ns, start: t.at(st)!.start });
    }
    // CJK runs without spaces: every tail of the run is a possible name (`本書は馬場真哉`).
    const w = t.at(lead.from)!;
    // Up to a Japanese et al. written against the name (`possessiveEnd`, see readCitation).
    const wEnd = first === names.length - 1 && possessiveEnd !== undefined ? possessiveEnd : w.end;
    const wText = wEnd === w.end ? w.text : w.text.slice(0, wEnd - w.start);
    if (!joined && lead.from === lead.to && hasCjk(wText)) {
      const chars = Array.from(wText);
      for (let k = 1; k < chars.length - 1 && k < 12; k++) {
        const tail = chars.slice(k).join('');
        const off = wEnd - tail.length;
        const rest: { text: string; range: Range }[] = [];
        for (let kk = first + 1; kk < names.length; kk++) rest.push(nameText(kk, names[kk].from));
        out.push({ names: [{ text: tail, range: { start: off, end: wEnd } }, ...rest], start: off });
      }
    }
  }
}

/** Whether tokens `i`, `i + 1`, `i + 2` (backwards) are `[`, capitals, `]`: `[NIMH]`, `[UNESCO]`. */
function isAbbreviationInBrackets(t: TokenTail, i: number): boolean {
  const close = t.at(i);
  if (!close || close.text !== ']') return false;
  const w = t.at(i + 1);
  const open = t.at(i + 2);
  return !!w && w.kind === 'word' && w.text.length >= 2 && w.text.length <= 12 && /^\p{Lu}+$/u.test(w.text) && !!open && open.text === '[' && !close.spaceBefore && !w.spaceBefore;
}

/**
 * How many tokens ending at `i` (backwards) spell `et al.` or `et al` (also mistyped `et. al.`),
 * German `u. a.` (und andere, the same thing) or Spanish `y col.`, `y cols.`, `y colaboradores`,
 * `y otros`, or 0.
 */
function etAlTokens(t: TokenTail, i: number): number {
  const a = t.at(i)?.text;
  if (a === '.') {
    const b = t.at(i + 1)?.text;
    if (b === 'al') {
      const et = etTokens(t, i + 2);
      return et > 0 ? 2 + et : 0;
    }
    if (b === 'a' && t.at(i + 2)?.text === '.' && t.at(i + 3)?.text === 'u') return 4;
    if ((b === 'col' || b === 'cols') && t.at(i + 2)?.text === 'y') return 3;
    return 0;
  }
  if (a === 'col' || a === 'cols' || a === 'colaboradores' || a === 'otros') return t.at(i + 1)?.text === 'y' ? 2 : 0;
  if (a !== 'al' && a !== 'al.') return 0;
  const et = etTokens(t, i + 1);
  return et > 0 ? 1 + et : 0;
}

/** Japanese words for et al. (`Gelmanら`, `久保ほか`, `Smith他`, `田中等`). */
const JA_ET_AL = ['ほか', 'ら', '他', '等'];

/** The length of the Japanese et al. that ends `w` (the whole word or its end), or 0. */
function jaEtAlLength(w: string): number {
  const c = w.charCodeAt(w.length - 1);
  // ら U+3089, か U+304B, 他 U+4ED6, 等 U+7B49: most words end otherwise.
  if (c !== 0x3089 && c !== 0x304b && c !== 0x4ed6 && c !== 0x7b49) return 0;
  for (const m of JA_ET_AL) if (w.endsWith(m)) return m.length;
  return 0;
}

/** How many tokens ending at `i` (backwards) spell `et`, or `et.` (a common slip), or 0. */
function etTokens(t: TokenTail, i: number): number {
  const a = t.at(i)?.text;
  if (a === 'et') return 1;
  return a === '.' && t.at(i + 1)?.text === 'et' ? 2 : 0;
}

/**
 * APA's initials after a surname in a narrative list (`Park, J., & Lee, M. (2018)`): when token `k`
 * is an initial after a comma after a name, the name's index; else `k`.
 */
function pastInitials(t: TokenTail, k: number): number {
  const w = t.at(k);
  if (!w || !(w.kind === 'initial' || (w.kind === 'word' && w.text.length === 1 && /^\p{Lu}$/u.test(w.text)))) return k;
  const name = t.at(k + 2);
  return t.at(k + 1)?.text === ',' && name && isNameWord(name) && !isNotName(name.text) ? k + 2 : k;
}

function readCitation(view: string, m: RegExpExecArray, previous: CitationCandidate[], t: TokenTail, brackets: Brackets): CitationCandidate | undefined {
  const p = m.index;
  const yearText = m[0];
  let year: string;
  let suffix = '';
  let yearEnd = p + yearText.length;
  if (m[1]) {
    year = m[4] ? `${m[1]}/${m[4]}` : m[1];
    suffix = m[5] ?? '';
    if (m[2]) {
      // `2023-11-10`: the year is the first four digits.
      suffix = '';
    }
  } else {
    year = normalizeYearWord(m[6]);
    // APA's suffix of a year word: `n.d.-a`, `in press-b`.
    if ((year === 'n.d.' || year === 'in press') && view.charCodeAt(yearEnd) === 45) {
      const sfx = WORD_SUFFIX_RE.exec(view.slice(yearEnd, yearEnd + 3));
      if (sfx) {
        suffix = sfx[1];
        yearEnd += 2;
      }
    }
  }
  // The tokens of the 320 characters before the year, read backwards: token `i` is the i-th from
  // the end (`t.at(i)`, undefined past the window's start).
  t.reset(view, Math.max(0, p - 320), p);
  let i = 0;
  let kind: CitationCandidate['kind'] = 'bare';
  let openParen: Token | undefined;
  const lastTok = t.at(0);
  if (lastTok && isOpenBracket(lastTok.text)) {
    openParen = lastTok;
    kind = 'narrative';
    i++;
    if (t.at(i)?.text === ',') i++;
  } else if (lastTok && lastTok.text === ',') {
    i++;
  }
  // APA's abbreviation at a body's first citation: `(National Institute of Mental Health [NIMH],
  // 2021)`, `World Health Organization [WHO] (2020)`: the name is before it.
  if (isAbbreviationInBrackets(t, i)) {
    i += 3;
    if (t.at(i)?.text === ',') i++;
  }
  let ti = t.at(i);
  if (!ti) return undefined;
  if (ti.kind === 'break') return undefined;
  // Given initials after the name: `McElreath, R (2020)`, `Contreras, J. (2018)`.
  if ((ti.kind === 'initial' || (ti.kind === 'word' && ti.text.length <= 2 && /^\p{Lu}$/u.test(ti.text))) && t.at(i + 2) && t.at(i + 1)!.text === ',' && isNameWord(t.at(i + 2)!) && !isNotName(t.at(i + 2)!.text)) i += 2;
  ti = t.at(i)!;
  // `Smith et al.'s (2019)`: the possessive after `et al.`.
  if (ti.kind === 'word' && ti.text === 's' && t.at(i + 2) && (t.at(i + 1)!.text === "'" || t.at(i + 1)!.text === '’') && t.at(i + 1)!.start === t.at(i + 2)!.end) i += 2;
  ti = t.at(i)!;
  // Possessive `Morris's (1975)`, `Morris' (1975)`.
  let possessiveEnd: number | undefined;
  if (ti.kind === 'word' && /['’]s$/.test(ti.text)) possessiveEnd = stripPossessive(ti).end;
  else if (ti.kind === 'punct' && (ti.text === "'" || ti.text === '’')) {
    const w = t.at(i + 1);
    if (w && w.kind === 'word' && w.end === ti.start) i++;
  }
  // et al.
  let etAl = false;
  let etAlRange: Range | undefined;
  // Japanese `ら`, `ほか`, `他`, `等` (et al.), written against the name (`Gelmanら`, `久保ら`) or
  // apart (`Gelman ら`). Against it, the name is the word without it (kept in `possessiveEnd`,
  // which ends the last name).
  const ja = possessiveEnd === undefined ? t.at(i) : undefined;
  if (ja && ja.kind === 'word' && ja.end - ja.start === ja.text.length) {
    const n = jaEtAlLength(ja.text);
    const before = t.at(i + 1);
    if (n > 0 && n === ja.text.length && ja.spaceBefore && before && before.kind === 'word' && isCapitalized(before.text)) {
      etAl = true;
      etAlRange = { start: ja.start, end: ja.end };
      i++;
    } else if (n > 0 && n < ja.text.length) {
      etAl = true;
      etAlRange = { start: ja.end - n, end: ja.end };
      possessiveEnd = ja.end - n;
    }
  }
  if (!etAl) {
    const n = etAlTokens(t, i);
    if (n > 0) {
      etAl = true;
      etAlRange = { start: t.at(i + n - 1)!.start, end: t.at(i)!.end };
      let k = i + n;
      if (t.at(k)?.text === ',') k++;
      i = k;
    }
  }
  // Names, right to left (reversed below).
  const names: NameSpan[] = [];
  const joins: string[] = [];
  for (let guard = 0; guard < 12; guard++) {
    let span: NameSpan | undefined;
    const w = t.at(i);
    if (w && w.kind === 'word' && hasCjk(names.length === 0 && possessiveEnd !== undefined ? w.text.slice(0, possessiveEnd - w.start) : w.text)) {
      span = { from: i, to: i, starts: [i] };
    } else if (names.length === 0 && possessiveEnd !== undefined && w && w.kind === 'word') {
      // Let the name reader see the word without its possessive.
      span = isCapitalized(w.text) ? readNameBackwards(t, i) : undefined;
    } else span = readNameBackwards(t, i);
    if (!span) break;
    names.push(span);
    i = span.from + 1;
    // Connectors: `and`, `&`, `y`, `, and`, `,`.
    const conn = t.at(i);
    if (isConnector(conn)) {
      let k = i + 1;
      if (t.at(k)?.text === ',') k++;
      k = pastInitials(t, k);
      const before = t.at(k);
      if (before && (isNameWord(before) || (before.kind === 'word' && hasCjk(before.text)))) { joins.push(conn!.text); i = k; continue; }
      break;
    }
    if (conn?.text === ',') {
      const k = pastInitials(t, i + 1);
      const before = t.at(k);
      if (before && isNameWord(before) && !isNotName(before.text)) {
        joins.push(',');
        i = k;
        continue;
      }
    }
    break;
  }
  if (names.length === 0) return undefined;
  // A join read just before the guard ran out has no name on its left.
  if (joins.length === names.length) joins.pop();
  // In text order: `joins[k]` joins `names[k]` and `names[k + 1]`.
  names.reverse();
  joins.reverse();

  const readings: NameReading[] = [];
  addReadings(view, t, names, joins, possessiveEnd, readings, false);
  // A body's name with `and` or `&` in it (`Centers for Disease Control and Prevention`, `Bill &
  // Melinda Gates Foundation`) was split at the join: the names on both sides may be one name.
  for (let k = 0; k < joins.length; k++) {
    if (joins[k] === ',') continue;
    const merged = names.slice(0, k);
    merged.push({ from: names[k].from, to: names[k + 1].to, starts: names[k].starts });
    for (let q = k + 2; q < names.length; q++) merged.push(names[q]);
    addReadings(view, t, merged, joins.slice(0, k).concat(joins.slice(k + 1)), possessiveEnd, readings, true);
  }
  // Drop readings whose first name is a sentence word (`In`, `However`) and nothing else.
  // Sentence words (`In`, `However`, `May`) stay readings: the resolver uses them only if the
  // list has that name.
  if (readings.length === 0) return undefined;
  const finalReadings = readings.length > 1 ? readings.sort((a, b) => a.start - b.start) : readings;

  // Forward: for narrative `Name (Year...)`, the closing parenthesis ends the citation.
  let end = yearEnd;
  let groupRange: Range | undefined;
  let partStartOut: number | undefined;
  if (kind === 'narrative' && openParen) {
    const close = brackets.findClose(openParen.end, closerOf(openParen.text));
    if (close === -1) return undefined;
    end = close + 1;
    groupRange = { start: openParen.start, end: close + 1 };
  } else {
    // Parenthetical: the innermost open parenthesis before the names.
    const startPos = finalReadings[finalReadings.length - 1].start;
    // A group is one that closes at or after the year, and `findClose` looks 600 characters past
    // the opening: an opening before `yearEnd - 600` cannot be one, so the search stops there.
    const open = brackets.findOpen(startPos, yearEnd - 600);
    if (open !== -1) {
      const close = brackets.findClose(open + 1, closerOf(view[open]));
      if (close !== -1 && close >= yearEnd) {
        groupRange = { start: open, end: close + 1 };
        // The part of the group before the names: prefixes only, or earlier citations.
        let partStart = open + 1;
        // The last `;` after the part's start (searched only that far: linear time).
        for (let k = startPos; k > partStart; k--) {
          if (view.charCodeAt(k) === 59) { partStart = k + 1; break; }
        }
        const prev = previous[previous.length - 1];
        // In a narrative citation's parenthesis (`Piaget (1952, as cited in Nguyen, 2019)`), the
        // part starts after its year.
        if (prev && prev.groupRange && prev.groupRange.start === open && prev.end > partStart) partStart = prev.kind === 'narrative' ? prev.yearRange.end : prev.end;
        partStartOut = partStart;
        if (finalReadings.some((r) => isParentheticalPrefix(view, partStart, r.start))) kind = 'parenthetical';
      }
    }
  }
  // Readings must start after the prefix (prefix words are not names): keep all, resolver picks.
  const weak = kind === 'bare';
  const cand: CitationCandidate = {
    kind,
    readings: finalReadings,
    etAl,
    etAlRange,
    year,
    suffix,
    yearRange: { start: p, end: m[2] ? p + 4 : yearEnd },
    end,
    groupRange,
    weak,
    partStart: partStartOut,
  };
  if (commaAhead(view, yearEnd, yearEnd + 40) && CITED_IN_RE.test(view.slice(yearEnd, yearEnd + 60))) cand.citedIn = true;
  return cand;
}

/** `, as cited in`, `, cited in` (APA, Harvard), after a year and maybe its page. */
const CITED_IN_RE = /^[\s\0]*,[\s\0]*(?:pp?\.[\s\0]*[\d\-–]+[\s\0]*,[\s\0]*)?(?:as[\s\0]+)?cited[\s\0]+in[\s\0]/i;

const PREFIX_WORDS = new Set(['e.g.', 'i.e.', 'E.g.', 'I.e.', 'cf.', 'Cf.', 'cfr.', 'Cfr.', 'vgl.', 'Vgl.', 'See', 'Siehe', 'Véase', 'Ver', 'Voir', 'and', '&', 'also', 'Also']);
const LOWER_WORD_RE = /^\p{Ll}[\p{Ll}'’-]{0,20}\.?$/u;

/**
 * Is the text between a group part's start and a name only prefix words (`see`, `e.g.,`)?
 * Checked word by word (a single pattern over the run could backtrack exponentially).
 */
export function isParentheticalPrefix(view: Sliceable, partStart: number, nameStart: number): boolean {
  if (nameStart < partStart) return false;
  if (nameStart - partStart >= 120) return false;
  const prefix = view.slice(partStart, nameStart);
  for (const tok of prefix.split(/[\s\0,:;]+/)) {
    if (tok === '' || PREFIX_WORDS.has(tok) || LOWER_WORD_RE.test(tok)) continue;
    return false;
  }
  return true;
}


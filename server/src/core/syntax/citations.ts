/**
 * Author-year citations in prose, found from their years outwards.
 *
 * Every year-like token (`2015`, `2015a`, `n.d.`, `2023-11-10`) is an anchor; from it the scanner
 * reads names backwards (`Kim`, `Drezner et al.`, `Kissinger and Allison`, `Office of the
 * President`) and years and locators forwards. Whether the anchor is a citation is decided by its
 * shape: `Name (Year)` and a name-year that opens a part of a parenthesis are citations; a bare
 * name-year in running text counts only when the reference list knows the name (see resolve.ts).
 */
import type { Range } from '../types';
import { WindowTokenizer, type Token } from './tokens';
import { CORPORATE_INNER, NOT_NAMES, PARTICLES, hasCjk, isCapitalized, isLowerWord, normalizeYearWord } from './words';

export interface NameReading {
  /** Names in order, as written. */
  names: { text: string; range: Range }[];
  /** Where the citation text starts under this reading. */
  start: number;
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
}

// Tried only where ANCHOR_START_RE says a match can start (sticky: matches exactly there).
const ANCHOR_RE = /(?<![\p{L}\p{N}./\-–@#$])(?:(1[5-9]\d\d|20\d\d)(?:-(\d\d)-(\d\d)|\/(1[5-9]\d\d|20\d\d))?([a-z](?:\/[a-z])?)?(?![\p{L}\p{N}])|(n\.\s?d\.|in press|forthcoming|s\.\s?f\.)(?![\p{L}]))/iuy;

/**
 * Where an ANCHOR_RE match may start: a cheap superset of its openings without the lookbehind
 * or Unicode classes. ANCHOR_RE is case-insensitive with Unicode folding, under which the only
 * characters besides ASCII capitals that fold to ASCII letters are `ſ` (to `s`) and the Kelvin
 * sign (to `k`), hence `[sSſ]`.
 */
const ANCHOR_START_RE = /(?:1[5-9]|20)\d\d|[nNsS\u017f]\.|[iI][nN] [pP][rR][eE][sS\u017f][sS\u017f]|[fF][oO][rR][tT][hH][cC][oO][mM][iI][nN][gG]/g;

/** The first ANCHOR_RE match starting at or after `from`, as a global `exec` would find it. */
function nextAnchor(view: string, from: number): RegExpExecArray | null {
  ANCHOR_START_RE.lastIndex = from;
  for (let s = ANCHOR_START_RE.exec(view); s; s = ANCHOR_START_RE.exec(view)) {
    const k = s.index;
    ANCHOR_RE.lastIndex = k;
    const m = ANCHOR_RE.exec(view);
    if (m) return m;
    // Openings may overlap (`1920 15`): try the next position.
    ANCHOR_START_RE.lastIndex = k + 1;
  }
  return null;
}

const MORE_YEAR_RE = /^[\s\0]*,[\s\0]*(?:((?:1[5-9]|20)\d\d)([a-z])?(?![\p{L}\p{N}\-–])|([a-z])(?=[\s\0]*[),;:\]]))/u;

function isNameWord(t: Token): boolean {
  return t.kind === 'word' && isCapitalized(t.text);
}

function stripPossessive(t: Token): { text: string; end: number } {
  const m = /^(.*?)(?:['’]s|['’])$/.exec(t.text);
  if (m && m[1].length > 0) return { text: m[1], end: t.end - (t.text.length - m[1].length) };
  return { text: t.text, end: t.end };
}

interface NameSpan {
  /** Token indexes, inclusive. */
  from: number;
  to: number;
  /** Token indexes at which the name may start (for the leftmost name). */
  starts: number[];
}

/** Reads one name ending at token `i` (inclusive), backwards. */
function readNameBackwards(t: Token[], i: number): NameSpan | undefined {
  if (i < 0) return undefined;
  const last = t[i];
  if (last.kind !== 'word' || !isCapitalized(last.text)) return undefined;
  const starts = [i];
  let from = i;
  let j = i - 1;
  // Multi-word names: `The Japan Times`, `Office of the President`, `van der Berg`, `Le Lay`.
  while (j >= 0 && i - j < 8) {
    const w = t[j];
    if (w.kind !== 'word') break;
    // Words must be separated only by spaces.
    if (!t[j + 1].spaceBefore) break;
    if (isCapitalized(w.text)) {
      if (hasCjk(w.text)) break;
      from = j;
      starts.push(j);
      j--;
      continue;
    }
    const low = w.text.toLowerCase();
    if (PARTICLES.has(low) && isLowerWord(w.text)) {
      from = j;
      starts.push(j);
      j--;
      continue;
    }
    if (CORPORATE_INNER.has(low) && low !== 'and' && low !== 'y' && low !== 'et' && low !== '&' && j > 0 && t[j - 1].kind === 'word' && (isCapitalized(t[j - 1].text) || CORPORATE_INNER.has(t[j - 1].text.toLowerCase()))) {
      j--;
      continue;
    }
    break;
  }
  // A run of inner words not closed by a capitalised word does not belong to the name.
  return { from, to: i, starts: starts.filter((s) => s >= from) };
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

export function scanCitations(view: string, opts: ScanOptions): CitationCandidate[] {
  const out: CitationCandidate[] = [];
  const skip = [...opts.skip].sort((a, b) => a.start - b.start);
  let skipIdx = 0;
  let consumedUntil = -1;
  const windows = new WindowTokenizer(view);
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
    const after = view.slice(p + m[0].length, p + m[0].length + 8);
    // Ranges `1980-1989`, decades `1990s`, version-like `2015.1`.
    if (m[1] && !m[2] && /^[\s\0]?[-–—][\s\0]?\d{2,4}(?!\d)/.test(after)) continue;
    if (m[5] === 's' && m[1].endsWith('0')) continue;
    if (m[1] && /^[.,]\d/.test(after)) continue;
    const c = readCitation(view, m, out, windows);
    if (!c) continue;
    out.push(c);
    consumedUntil = c.end;
    // Further years for the same names: `(Smith 2019, 2021)`, `(EPA 2007a,b)`.
    let pos = c.yearRange.end;
    let lastSuffix = c.suffix;
    let lastYear = c.year;
    for (let k = 0; k < 20; k++) {
      const more = MORE_YEAR_RE.exec(view.slice(pos, pos + 40));
      if (!more) break;
      const ys = pos + more[0].length - (more[1] ? more[1].length + (more[2]?.length ?? 0) : more[3].length);
      // `2007a,b`: a bare letter continues only a year that has a suffix itself.
      if (!more[1] && !lastSuffix) break;
      const year = more[1] ?? lastYear;
      const suffix = more[1] ? more[2] ?? '' : more[3];
      const ye = pos + more[0].length;
      // `2019, 2021` continues only inside parentheses or a narrative year list.
      if (c.kind === 'bare' && !c.groupRange) break;
      // Spelled out (same keys in the same order as `{ ...c, ... }`): object spread is slow.
      out.push({
        kind: c.kind, readings: c.readings.map((r) => ({ names: r.names, start: ys })), etAl: c.etAl, etAlRange: c.etAlRange,
        year, suffix, yearRange: { start: ys, end: ye }, end: ye, groupRange: c.groupRange, weak: c.weak, partStart: c.partStart,
        continuation: true,
      });
      lastSuffix = suffix;
      lastYear = year;
      pos = ye;
      consumedUntil = Math.max(consumedUntil, ye);
    }
    if (c.kind === 'narrative') consumedUntil = Math.max(consumedUntil, c.end);
  }
  return out;
}

function readCitation(view: string, m: RegExpExecArray, previous: CitationCandidate[], windows: WindowTokenizer): CitationCandidate | undefined {
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
  }
  const winStart = Math.max(0, p - 320);
  const t = windows.tokenize(winStart, p);
  let i = t.length - 1;
  let kind: CitationCandidate['kind'] = 'bare';
  let openParen: Token | undefined;
  if (i >= 0 && (t[i].text === '(' || t[i].text === '[')) {
    openParen = t[i];
    kind = 'narrative';
    i--;
    if (i >= 0 && t[i].text === ',') i--;
  } else if (i >= 0 && t[i].text === ',') {
    i--;
  } else if (i >= 0 && t[i].kind === 'word' && t[i].end !== p && !t[i].spaceBefore && false) {
    return undefined;
  }
  if (i < 0) return undefined;
  if (t[i].kind === 'break') return undefined;
  // Given initials after the name: `McElreath, R (2020)`, `Contreras, J. (2018)`.
  if (i >= 2 && (t[i].kind === 'initial' || (t[i].kind === 'word' && /^\p{Lu}$/u.test(t[i].text))) && t[i - 1].text === ',' && isNameWord(t[i - 2]) && !NOT_NAMES.has(t[i - 2].text.toLowerCase())) i -= 2;
  // `Smith et al.'s (2019)`: the possessive after `et al.`.
  if (i >= 2 && t[i].kind === 'word' && t[i].text === 's' && (t[i - 1].text === "'" || t[i - 1].text === '’') && t[i - 1].start === t[i - 2].end) i -= 2;
  // Possessive `Morris's (1975)`, `Morris' (1975)`.
  let possessiveEnd: number | undefined;
  if (t[i].kind === 'word' && /['’]s$/.test(t[i].text)) possessiveEnd = stripPossessive(t[i]).end;
  else if (t[i].kind === 'punct' && (t[i].text === "'" || t[i].text === '’') && i > 0 && t[i - 1].kind === 'word' && t[i - 1].end === t[i].start) i--;
  // et al.
  let etAl = false;
  let etAlRange: Range | undefined;
  {
    let k = i;
    if (t[k]?.text === '.' && t[k - 1]?.text === 'al' && t[k - 2]?.text === 'et') { etAl = true; etAlRange = { start: t[k - 2].start, end: t[k].end }; k -= 3; }
    else if (t[k]?.text === 'al' && t[k - 1]?.text === 'et') { etAl = true; etAlRange = { start: t[k - 1].start, end: t[k].end }; k -= 2; }
    else if (t[k]?.text === 'al.' && t[k - 1]?.text === 'et') { etAl = true; etAlRange = { start: t[k - 1].start, end: t[k].end }; k -= 2; }
    if (etAl) {
      if (t[k]?.text === ',') k--;
      i = k;
    }
  }
  // Names, right to left.
  const names: NameSpan[] = [];
  const joins: string[] = [];
  for (let guard = 0; guard < 12; guard++) {
    let span: NameSpan | undefined;
    if (t[i] && t[i].kind === 'word' && hasCjk(t[i].text)) {
      span = { from: i, to: i, starts: [i] };
    } else {
      const w = t[i];
      if (names.length === 0 && possessiveEnd !== undefined && w && w.kind === 'word') {
        // Let the name reader see the word without its possessive.
        span = isCapitalized(w.text) ? readNameBackwards(t, i) : undefined;
      } else span = readNameBackwards(t, i);
    }
    if (!span) break;
    names.unshift(span);
    i = span.from - 1;
    // Connectors: `and`, `&`, `y`, `, and`, `,`.
    if (isConnector(t[i])) {
      const conn = t[i];
      let k = i - 1;
      if (t[k]?.text === ',') k--;
      if (k >= 0 && (isNameWord(t[k]) || (t[k].kind === 'word' && hasCjk(t[k].text)))) { joins.unshift(conn.text); i = k; continue; }
      break;
    }
    if (t[i]?.text === ',' && i > 0 && isNameWord(t[i - 1]) && !NOT_NAMES.has(t[i - 1].text.toLowerCase())) {
      joins.unshift(',');
      i--;
      continue;
    }
    break;
  }
  if (names.length === 0) return undefined;

  // Readings: the leftmost name may start at any capitalised word in it; leading names joined
  // by commas may be prose (`Thus, Smith (2019)`).
  const readings: NameReading[] = [];
  const nameText = (s: NameSpan, from: number, isLast: boolean): { text: string; range: Range } => {
    const end = isLast && possessiveEnd !== undefined ? possessiveEnd : t[s.to].end;
    let text = view.slice(t[from].start, end).replace(/\0/g, '').replace(/\s+/g, ' ');
    if (isLast && possessiveEnd === undefined) text = text.replace(/['’]$/, '');
    return { text, range: { start: t[from].start, end } };
  };
  for (let first = 0; first < names.length; first++) {
    if (first > 0 && joins[first - 1] !== ',') continue;
    const lead = names[first];
    const starts = [...lead.starts].sort((a, b) => a - b);
    for (const st of starts) {
      const ns = names.slice(first).map((s, k) => nameText(s, k === 0 ? st : s.from, first + k === names.length - 1));
      readings.push({ names: ns, start: t[st].start });
    }
    // CJK runs without spaces: every tail of the run is a possible name (`本書は馬場真哉`).
    if (hasCjk(t[lead.from].text) && lead.from === lead.to) {
      const w = t[lead.from];
      const chars = Array.from(w.text);
      for (let k = 1; k < chars.length - 1 && k < 12; k++) {
        const tail = chars.slice(k).join('');
        const off = w.end - tail.length;
        const rest = names.slice(first + 1).map((s, kk) => nameText(s, s.from, first + 1 + kk === names.length - 1));
        readings.push({ names: [{ text: tail, range: { start: off, end: w.end } }, ...rest], start: off });
      }
    }
  }
  // Drop readings whose first name is a sentence word (`In`, `However`) and nothing else.
  // Sentence words (`In`, `However`, `May`) stay readings: the resolver uses them only if the
  // list has that name.
  if (readings.length === 0) return undefined;
  const finalReadings = readings.sort((a, b) => a.start - b.start);

  // Forward: for narrative `Name (Year...)`, the closing parenthesis ends the citation.
  let end = yearEnd;
  let groupRange: Range | undefined;
  let partStartOut: number | undefined;
  if (kind === 'narrative' && openParen) {
    const close = findClose(view, openParen.end, openParen.text === '(' ? ')' : ']');
    if (close === -1) return undefined;
    // `Kim (2015)` / `Kim (2015, p. 4)`: nothing but years and locators inside.
    const inner = view.slice(yearEnd, close);
    if (/[;]/.test(inner) && /\p{Lu}\p{Ll}+[\s\0,]+(1[5-9]|20)\d\d/u.test(inner)) {
      // `Kim (2015; Lee 2016)` — treat as parenthetical from here.
    }
    end = close + 1;
    groupRange = { start: openParen.start, end: close + 1 };
  } else {
    // Parenthetical: the innermost open parenthesis before the names.
    const startPos = finalReadings[finalReadings.length - 1].start;
    const open = findOpen(view, startPos);
    if (open !== -1) {
      const close = findClose(view, open + 1, view[open] === '[' ? ']' : ')');
      if (close !== -1 && close >= yearEnd) {
        groupRange = { start: open, end: close + 1 };
        // The part of the group before the names: prefixes only, or earlier citations.
        let partStart = open + 1;
        // The last `;` after the part's start (searched only that far: linear time).
        for (let k = startPos; k > partStart; k--) {
          if (view.charCodeAt(k) === 59) { partStart = k + 1; break; }
        }
        const prev = previous[previous.length - 1];
        if (prev && prev.groupRange && prev.groupRange.start === open && prev.end > partStart) partStart = prev.end;
        partStartOut = partStart;
        if (finalReadings.some((r) => isParentheticalPrefix(view, partStart, r.start))) kind = 'parenthetical';
      }
    }
  }
  // Readings must start after the prefix (prefix words are not names): keep all, resolver picks.
  const weak = kind === 'bare';
  return {
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
}

const PREFIX_WORDS = new Set(['e.g.', 'i.e.', 'E.g.', 'I.e.', 'cf.', 'Cf.', 'cfr.', 'Cfr.', 'vgl.', 'Vgl.', 'See', 'Siehe', 'Véase', 'Ver', 'Voir', 'and', '&', 'also', 'Also']);
const LOWER_WORD_RE = /^\p{Ll}[\p{Ll}'’-]{0,20}\.?$/u;

/**
 * Is the text between a group part's start and a name only prefix words (`see`, `e.g.,`)?
 * Checked word by word (a single pattern over the run could backtrack exponentially).
 */
export function isParentheticalPrefix(view: string, partStart: number, nameStart: number): boolean {
  if (nameStart < partStart) return false;
  if (nameStart - partStart >= 120) return false;
  const prefix = view.slice(partStart, nameStart);
  for (const tok of prefix.split(/[\s\0,:;]+/)) {
    if (tok === '' || PREFIX_WORDS.has(tok) || LOWER_WORD_RE.test(tok)) continue;
    return false;
  }
  return true;
}

/** The `(` that opens the group containing `pos`, or -1 (within the paragraph, 400 chars). */
function findOpen(view: string, pos: number): number {
  let depth = 0;
  const stop = Math.max(0, pos - 1000);
  for (let k = pos - 1; k >= stop; k--) {
    const c = view.charCodeAt(k);
    if (c === 41 || c === 93) depth++;
    else if (c === 40 || c === 91) {
      if (depth === 0) return k;
      depth--;
    } else if (c === 10 && k > 0 && view.charCodeAt(k - 1) === 10) return -1;
  }
  return -1;
}

function findClose(view: string, from: number, close: string): number {
  const open = close === ')' ? '(' : '[';
  let depth = 0;
  const stop = Math.min(view.length, from + 600);
  for (let k = from; k < stop; k++) {
    const ch = view[k];
    if (ch === open) depth++;
    else if (ch === close) {
      if (depth === 0) return k;
      depth--;
    } else if (ch === '\n' && view[k + 1] === '\n') return -1;
  }
  return -1;
}

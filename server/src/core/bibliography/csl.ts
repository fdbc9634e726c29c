/**
 * CSL-JSON shapes (the citation-js / citeproc "data" format) and the record
 * shape the CSL-JSON, CSL-YAML and RIS readers produce.
 */

import type { Range } from '../types';
import type { BibProblem } from './bibtex';

export interface CslName {
  family?: string;
  given?: string;
  literal?: string;
  'non-dropping-particle'?: string;
  'dropping-particle'?: string;
  suffix?: string;
}

export interface CslDate {
  'date-parts'?: (number | string)[][];
  literal?: string;
  raw?: string;
  season?: number | string;
  circa?: boolean | number | string;
}

export interface CslItem {
  id: string;
  type: string;
  title?: string;
  author?: CslName[];
  editor?: CslName[];
  issued?: CslDate;
  'container-title'?: string;
  'collection-title'?: string;
  volume?: string;
  issue?: string;
  page?: string;
  number?: string;
  edition?: string;
  genre?: string;
  DOI?: string;
  URL?: string;
  ISBN?: string;
  ISSN?: string;
  publisher?: string;
  'publisher-place'?: string;
  note?: string;
  abstract?: string;
  'year-suffix'?: string;
  [key: string]: unknown;
}

/** One item read from CSL-JSON, CSL-YAML or RIS, with where its parts are. */
export interface CslRecord {
  format: 'csl-json' | 'csl-yaml' | 'ris';
  /** The item's id (RIS: the `ID` tag), '' when it has none. */
  key: string;
  /** CSL type (`article-journal`). */
  type: string;
  /** The whole item in the file. */
  range: Range;
  /** Range of the id value, when present. */
  keyRange?: Range;
  item: CslItem;
  /** Ranges of the values of top-level properties (CSL names; RIS tags are mapped to CSL names). */
  fieldRanges: Map<string, Range>;
}

export interface CslParseResult {
  records: CslRecord[];
  problems: BibProblem[];
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `January`, `jan`, `Jan.`, `1`, `01` -> 1..12; 0 when not a month. */
export function monthNumber(s: string): number {
  const t = s.trim().toLowerCase();
  if (/^\d{1,2}$/.test(t)) {
    const n = Number(t);
    return n >= 1 && n <= 12 ? n : 0;
  }
  const i = MONTH_NAMES.indexOf(t.slice(0, 3));
  return i >= 0 && /^[a-z]+\.?$/.test(t) ? i + 1 : 0;
}

/**
 * `2020`, `2020-05`, `2020-05-01`, `2020/05/01`, `2020-05-01/2020-06-01`,
 * `2020/2021` (EDTF/BibLaTeX/RIS forms) -> CSL date; undefined when no year.
 */
export function parseDateString(s: string): CslDate | undefined {
  const t = s.trim();
  if (!t) return undefined;
  const one = (part: string): (number | string)[] | undefined => {
    const m = /^(-?\d{1,4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?/.exec(part.trim());
    if (!m) return undefined;
    const out: number[] = [Number(m[1])];
    if (m[2]) {
      const mo = Number(m[2]);
      if (mo >= 1 && mo <= 12) {
        out.push(mo);
        if (m[3]) {
          const d = Number(m[3]);
          if (d >= 1 && d <= 31) out.push(d);
        }
      }
    }
    return out;
  };
  // A range: `2020-05-01/2020-06-01` or `2020/2021` (but not RIS `2020/05/01/`).
  const slash = t.indexOf('/');
  if (slash > 0 && /^\d{4}(-\d{1,2}){0,2}\/\d{4}(-\d{1,2}){0,2}$/.test(t)) {
    const a = one(t.slice(0, slash));
    const b = one(t.slice(slash + 1));
    if (a && b) return { 'date-parts': [a, b] };
  }
  const a = one(t);
  if (a) return { 'date-parts': [a] };
  const y = /\b(\d{4})\b/.exec(t);
  if (y) return { 'date-parts': [[Number(y[1])]], raw: t };
  return { literal: t };
}

function cslDateFrom(v: unknown): CslDate | undefined {
  if (v == null) return undefined;
  if (typeof v === 'number') return { 'date-parts': [[v]] };
  if (typeof v === 'string') return parseDateString(v);
  if (Array.isArray(v)) {
    // pandoc-citeproc's old form: [{year: 2020, month: 5}]
    const parts: (number | string)[][] = [];
    for (const x of v) {
      if (x && typeof x === 'object' && 'year' in x) {
        const o = x as Record<string, unknown>;
        const p: (number | string)[] = [Number(o.year)];
        if (o.month != null) p.push(Number(o.month));
        if (o.month != null && o.day != null) p.push(Number(o.day));
        parts.push(p);
      }
    }
    return parts.length ? { 'date-parts': parts } : undefined;
  }
  if (typeof v === 'object') {
    const o = v as CslDate;
    if (Array.isArray(o['date-parts']) || o.literal !== undefined) return o;
    if (typeof o.raw === 'string') return { ...parseDateString(o.raw), ...o };
    if ('year' in (o as Record<string, unknown>)) return cslDateFrom([o]);
    return o;
  }
  return undefined;
}

const DATE_FIELDS = ['issued', 'accessed', 'event-date', 'original-date', 'submitted', 'available-date'];
const NAME_FIELDS = ['author', 'editor', 'translator', 'container-author', 'collection-editor', 'composer', 'director', 'interviewer', 'recipient', 'reviewed-author', 'illustrator', 'editorial-director'];

/** Fixes the loose forms CSL-YAML and hand-written CSL-JSON allow: string dates, string names. */
export function normalizeCslItem(item: CslItem): CslItem {
  for (const f of DATE_FIELDS) {
    if (item[f] === undefined) continue;
    const d = cslDateFrom(item[f]);
    if (d) item[f] = d;
    else delete item[f];
  }
  for (const f of NAME_FIELDS) {
    const v = item[f];
    if (v === undefined) continue;
    const list = Array.isArray(v) ? v : [v];
    item[f] = list
      .map((n) => (typeof n === 'string' ? { literal: n } : n))
      .filter((n) => n && typeof n === 'object');
  }
  for (const f of ['volume', 'issue', 'page', 'number', 'edition']) {
    const v = item[f];
    if (typeof v === 'number') item[f] = String(v);
  }
  return item;
}

/** First year in a CSL date (`date-parts`, `raw` or `literal`), '' when none. */
export function cslYear(d: CslDate | undefined): string {
  if (!d) return '';
  const dp = d['date-parts'];
  if (Array.isArray(dp) && Array.isArray(dp[0]) && dp[0].length > 0 && dp[0][0] !== '' && dp[0][0] != null) {
    return String(dp[0][0]);
  }
  const s = typeof d.raw === 'string' ? d.raw : typeof d.literal === 'string' ? d.literal : '';
  const m = /\d{4}/.exec(s);
  if (m) return m[0];
  return s.trim();
}

/**
 * Bibliography records (BibTeX / BibLaTeX, CSL-JSON, CSL-YAML, RIS) to the
 * core's `ReferenceEntry`, and BibTeX records to CSL-JSON items (the
 * citeproc / citation-js "data" shape) so that formatting can be done later
 * without reading the file again. Pure; never throws on any record.
 */

import type { Person, Range, ReferenceEntry } from '../types';
import type { BibField, BibRecord } from './bibtex';
import { getField, pickFields } from './bibtex';
import type { CslDate, CslItem, CslName, CslRecord } from './csl';
import { cslYear, monthNumber, parseDateString } from './csl';
import { decodeLatex, isPlain, stripBraces } from './latex';

export type BibliographyRecord = BibRecord | CslRecord;

export function isCslRecord(r: BibliographyRecord): r is CslRecord {
  return (r as CslRecord).item !== undefined;
}

// ---------------------------------------------------------------------------
// BibTeX names

/** One BibTeX name split into its parts, still in LaTeX. */
export interface BibName {
  first: string;
  von: string;
  last: string;
  jr: string;
  /** The whole name was one brace group: `{World Health Organization}`. */
  corporate: boolean;
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 126; /* ~ */
}

/**
 * Splits a BibTeX name list on ` and ` at brace depth 0. A final `others`
 * (BibTeX's et al.) is dropped and reported.
 */
export function splitNameList(raw: string): { names: string[]; others: boolean } {
  if (raw.indexOf('{') < 0 && !/[\t\n\r]|  | AND | And | aND | anD | ANd | AnD | aNd |others|et al/.test(raw)) {
    // the common case: single spaces, lower-case `and`, no braces
    const names: string[] = [];
    let start = 0;
    for (;;) {
      const i = raw.indexOf(' and ', start);
      if (i < 0) break;
      if (i > start) names.push(raw.slice(start, i));
      start = i + 5;
    }
    if (start === 0) {
      const t = raw.trim();
      if (t !== '') names.push(t);
    } else if (start < raw.length) names.push(raw.slice(start).trim());
    return { names, others: false };
  }
  const names: string[] = [];
  const n = raw.length;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125) {
      if (depth > 0) depth--;
    } else if (depth === 0 && isWs(c) && c !== 126) {
      // whitespace, then `and` (any case), then whitespace
      let j = i + 1;
      while (j < n && isWs(raw.charCodeAt(j)) && raw.charCodeAt(j) !== 126) j++;
      const a = raw.charCodeAt(j) | 32;
      const b = raw.charCodeAt(j + 1) | 32;
      const d = raw.charCodeAt(j + 2) | 32;
      if (a === 97 && b === 110 && d === 100 && j + 3 < n && isWs(raw.charCodeAt(j + 3)) && raw.charCodeAt(j + 3) !== 126) {
        names.push(raw.slice(start, i));
        let k = j + 3;
        while (k < n && isWs(raw.charCodeAt(k))) k++;
        start = k;
        i = k - 1;
      } else {
        i = j - 1;
      }
    }
  }
  names.push(raw.slice(start));
  let others = false;
  let w = 0;
  for (let i = 0; i < names.length; i++) {
    const t = names[i].trim();
    if (t === '') continue;
    const c0 = t.charCodeAt(0);
    if ((c0 === 111 || c0 === 123 || c0 === 101 || c0 === 69) && (t === 'others' || t === '{others}' || /^et\.?\s*al\.?$/i.test(t))) {
      others = true;
      continue;
    }
    names[w++] = t;
  }
  names.length = w;
  return { names, others };
}

/** Splits on `sep` (a char code) at brace depth 0. */
function splitTop(s: string, sep: 'comma' | 'space'): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125) {
      if (depth > 0) depth--;
    } else if (depth === 0 && (sep === 'comma' ? c === 44 : isWs(c))) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  const r: string[] = [];
  for (const p of out) {
    const t = p.trim();
    if (t !== '' || sep === 'comma') r.push(t);
  }
  return r;
}

function letterCase(ch: string): 'lower' | 'upper' | undefined {
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  if (lo === up) return undefined;
  return ch === lo ? 'lower' : 'upper';
}

/** BibTeX's test for a `von` token: its first letter at brace depth 0 (or in a `{\…}` special character) is lower-case. */
function isVon(tok: string): boolean {
  let depth = 0;
  const n = tok.length;
  for (let i = 0; i < n; i++) {
    const c = tok.charCodeAt(i);
    if (c === 123) {
      if (depth === 0 && tok.charCodeAt(i + 1) === 92) {
        // special character `{\"u}` or `{\ss}`: its case decides
        let d = 0;
        let j = i;
        for (; j < n; j++) {
          const e = tok.charCodeAt(j);
          if (e === 123) d++;
          else if (e === 125 && --d === 0) break;
        }
        const dec = decodeLatex(tok.slice(i, j + 1));
        for (const ch of dec) {
          const lc = letterCase(ch);
          if (lc) return lc === 'lower';
        }
        return false;
      }
      depth++;
    } else if (c === 125) {
      if (depth > 0) depth--;
    } else if (depth === 0) {
      if (c === 92) {
        const dec = decodeLatex(tok.slice(i));
        for (const ch of dec) {
          const lc = letterCase(ch);
          if (lc) return lc === 'lower';
        }
        return false;
      }
      if (c >= 97 && c <= 122) return true;
      if (c >= 65 && c <= 90) return false;
      if (c > 127) {
        const lc = letterCase(tok[i]);
        if (lc) return lc === 'lower';
      }
    }
  }
  return false;
}

/** Parses one BibTeX name: `First von Last`, `von Last, First`, `von Last, Jr, First`, `{Corporate Name}`. */
export function parseBibtexName(raw: string): BibName {
  const s = raw.trim();
  // one brace group: a corporate name
  if (s.charCodeAt(0) === 123) {
    let d = 0;
    let end = -1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 123) d++;
      else if (c === 125 && --d === 0) {
        end = i;
        break;
      }
    }
    if (end === s.length - 1 && s.charCodeAt(1) !== 92) {
      return { first: '', von: '', last: s, jr: '', corporate: true };
    }
  }
  const parts = splitTop(s, 'comma');
  if (parts.length === 1) {
    const toks = splitTop(parts[0], 'space');
    const n = toks.length;
    if (n === 0) return { first: '', von: '', last: '', jr: '', corporate: false };
    if (n === 1) return { first: '', von: '', last: toks[0], jr: '', corporate: false };
    let f = -1;
    let l = -1;
    for (let i = 0; i < n - 1; i++) {
      if (isVon(toks[i])) {
        if (f < 0) f = i;
        l = i;
      }
    }
    if (f < 0) return { first: toks.slice(0, n - 1).join(' '), von: '', last: toks[n - 1], jr: '', corporate: false };
    return { first: toks.slice(0, f).join(' '), von: toks.slice(f, l + 1).join(' '), last: toks.slice(l + 1).join(' '), jr: '', corporate: false };
  }
  const vl = splitTop(parts[0], 'space');
  let von = '';
  let last = parts[0];
  if (vl.length > 1) {
    let l = -1;
    for (let i = 0; i < vl.length - 1; i++) if (isVon(vl[i])) l = i;
    if (l >= 0) {
      von = vl.slice(0, l + 1).join(' ');
      last = vl.slice(l + 1).join(' ');
    } else {
      last = vl.join(' ');
    }
  }
  if (parts.length === 2) return { first: parts[1], von, last, jr: '', corporate: false };
  return { first: parts.slice(2).join(', '), von, last, jr: parts[1], corporate: false };
}

function join2(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a} ${b}`;
}

export function bibNameToPerson(n: BibName): Person {
  if (n.corporate) {
    const name = decodeLatex(n.last);
    return { family: name, full: name, corporate: true };
  }
  const family = decodeLatex(join2(n.von, n.last));
  const given = n.first === '' ? '' : decodeLatex(n.first);
  let full = join2(given, family);
  if (n.jr !== '') full += ', ' + decodeLatex(n.jr);
  flat(full);
  return { family, full };
}

export function bibNameToCsl(n: BibName): CslName {
  if (n.corporate) return { literal: decodeLatex(n.last) };
  const out: CslName = { family: decodeLatex(n.last) };
  if (n.first !== '') out.given = decodeLatex(n.first);
  if (n.von !== '') out['non-dropping-particle'] = decodeLatex(n.von);
  if (n.jr !== '') out.suffix = decodeLatex(n.jr);
  return out;
}

function isLowerAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return c >= 97 && c <= 122;
  return letterCase(s[i]) === 'lower';
}

/**
 * The common case without LaTeX, braces or odd spacing (`Smith, John`,
 * `John Smith`, `Anna van der Berg`), without building token arrays.
 */
function plainPerson(s: string): Person | undefined {
  if (!isPlain(s)) return undefined;
  const comma = s.indexOf(',');
  if (comma >= 0) {
    if (s.indexOf(',', comma + 1) >= 0) return undefined;
    let a = comma;
    while (a > 0 && s.charCodeAt(a - 1) === 32) a--;
    let b = comma + 1;
    while (b < s.length && s.charCodeAt(b) === 32) b++;
    if (a === 0) return undefined;
    const family = s.slice(0, a);
    if (b >= s.length) return { family, full: family };
    return { family, full: flat(s.slice(b) + ' ' + family) };
  }
  const last = s.lastIndexOf(' ');
  if (last < 0) return { family: s, full: s };
  // the family name starts at the first lower-case token before the last one (von)
  let tok = 0;
  while (tok < last) {
    if (isLowerAt(s, tok)) return { family: s.slice(tok), full: s };
    const sp = s.indexOf(' ', tok);
    tok = sp + 1;
  }
  return { family: s.slice(last + 1), full: s };
}

/**
 * People from a BibTeX name-list field (`author`, `editor`). With a `cache`,
 * a name written the same way twice gives the same Person object (saving time
 * and memory on large files): treat Person objects as read-only.
 */
export function bibPeople(raw: string, cache?: Map<string, Person>): { people: Person[]; others: boolean } {
  const { names, others } = splitNameList(raw);
  const people: Person[] = [];
  for (const nm of names) {
    let p = cache !== undefined ? cache.get(nm) : undefined;
    if (p === undefined) {
      p = plainPerson(nm) ?? bibNameToPerson(parseBibtexName(nm));
      if (cache !== undefined && cache.size < 500000) cache.set(nm, p);
    }
    if (p.family !== '') people.push(p);
  }
  return { people, others };
}

// ---------------------------------------------------------------------------
// Years

/** `2020a` -> 2020 + a; `n.d.`, `in press`, `forthcoming` kept as words. */
export function splitYear(s: string): { year: string; suffix: string; index: number; length: number } | undefined {
  if (s.length === 4) {
    const a = s.charCodeAt(0);
    const b = s.charCodeAt(1);
    const c = s.charCodeAt(2);
    const d = s.charCodeAt(3);
    if (a >= 48 && a <= 57 && b >= 48 && b <= 57 && c >= 48 && c <= 57 && d >= 48 && d <= 57) return { year: s, suffix: '', index: 0, length: 4 };
  }
  const m = /(\d{4})([a-z](?:\/[a-z])?)?(?![\p{L}\d])/u.exec(s);
  if (m) return { year: m[1], suffix: m[2] ?? '', index: m.index, length: m[0].length };
  const t = s.trim();
  if (t === '') return undefined;
  const l = t.toLowerCase();
  if (/^n\.?\s?d\.?$/.test(l) || l === 'no date') return { year: 'n.d.', suffix: '', index: s.indexOf(t), length: t.length };
  if (l.includes('in press') || l === 'inpress') return { year: 'in press', suffix: '', index: s.indexOf(t), length: t.length };
  if (l.includes('forthcoming')) return { year: 'forthcoming', suffix: '', index: s.indexOf(t), length: t.length };
  return { year: l.replace(/[{}]/g, ''), suffix: '', index: s.indexOf(t), length: t.length };
}

// ---------------------------------------------------------------------------
// ReferenceEntry

/**
 * Makes a concatenated string flat (one sequential string instead of a tree
 * of pieces), which halves what a short built string holds in memory.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** A one-line description of the entry: `Kim, Park & Lee (2015a). Title`. */
function summary(authors: Person[], etAl: boolean, editors: boolean, year: string, suffix: string, title: string | undefined): string {
  let names = '';
  const n = authors.length;
  const shown = n > 3 ? 3 : n;
  for (let i = 0; i < shown; i++) {
    if (i > 0) names += i === n - 1 && !etAl ? ' & ' : ', ';
    names += authors[i].family;
  }
  if (etAl || n > shown) names += n > 0 ? ' et al.' : 'et al.';
  if (editors && n > 0) names += n > 1 ? ' (Eds.)' : ' (Ed.)';
  let s = names;
  s += s === '' ? '' : ' ';
  s += `(${year === '' ? 'n.d.' : year}${suffix})`;
  if (title) s += `. ${title.length > 150 ? title.slice(0, 149) + '…' : title}`;
  return flat(s);
}

function fieldRange(f: BibField | undefined): Range | undefined {
  if (!f || f.inheritedFrom !== undefined) return undefined;
  return f.range;
}

/** One BibTeX / BibLaTeX record as a reference entry. */
const ENTRY_FIELDS = ['author', 'editor', 'shortauthor', 'year', 'date', 'pubstate', 'title'] as const;
const picked: (BibField | undefined)[] = [];

export function bibRecordToEntry(rec: BibRecord, uri: string, index: number): ReferenceEntry {
  pickFields(rec, ENTRY_FIELDS, picked);
  const [authorF, editorF, shortF, yf, dateF, pubF, tf] = picked;
  let nameField = authorF;
  let editors = false;
  if (nameField === undefined || nameField.raw.trim() === '') {
    if (editorF !== undefined) {
      nameField = editorF;
      editors = true;
    }
  }
  let authors: Person[] = [];
  let etAl = false;
  if (nameField !== undefined) {
    const r = bibPeople(nameField.raw);
    authors = r.people;
    etAl = r.others;
  }
  if (shortF !== undefined && authors.length === 1 && authors[0].corporate) {
    const alias = shortF.value;
    if (alias !== '' && alias !== authors[0].family) authors[0] = { ...authors[0], alias };
  }

  let year = '';
  let suffix = '';
  let yearRange: Range | undefined;
  const yraw = yf === undefined ? '' : yf.raw;
  const df = yraw === '' || yraw.trim() === '' ? dateF : undefined;
  const src = df === undefined ? yf : df;
  if (src !== undefined) {
    const plain = src.exact ? src.raw : src.value;
    const y = splitYear(plain);
    if (y) {
      year = y.year;
      suffix = src === df ? '' : y.suffix;
      if (src.inheritedFrom === undefined) {
        const r = src.range;
        yearRange = src.exact ? { start: r.start + y.index, end: r.start + y.index + y.length } : r;
      }
    }
  }
  if (year === '' && pubF !== undefined) {
    const v = pubF.value.toLowerCase();
    if (v === 'inpress' || v === 'in press') year = 'in press';
    else if (v === 'forthcoming') year = 'forthcoming';
  }

  const title = tf !== undefined ? tf.value : undefined;
  const entry: ReferenceEntry = {
    index,
    uri,
    source: { kind: 'bibliography', uri, key: rec.key },
    range: rec.range,
    text: summary(authors, etAl, editors, year, suffix, title),
    authors,
    etAl,
    editors,
    year,
    suffix,
    key: rec.key,
  };
  if (yearRange) entry.yearRange = yearRange;
  const ar = fieldRange(nameField);
  if (ar) entry.authorRange = ar;
  if (title !== undefined && title !== '') entry.title = title;
  return entry;
}

function cslNameToPerson(n: CslName): Person | undefined {
  if (!n || typeof n !== 'object') return undefined;
  if (typeof n.literal === 'string' && n.literal.trim() !== '') {
    const lit = n.literal.trim();
    return { family: lit, full: lit, corporate: true };
  }
  const fam = typeof n.family === 'string' ? n.family.trim() : '';
  const ndp = typeof n['non-dropping-particle'] === 'string' ? n['non-dropping-particle'].trim() : '';
  const dp = typeof n['dropping-particle'] === 'string' ? n['dropping-particle'].trim() : '';
  const given = typeof n.given === 'string' ? n.given.trim() : '';
  const family = join2(ndp, fam);
  if (family === '') return given !== '' ? { family: given, full: given } : undefined;
  let full = join2(join2(given, dp), family);
  if (typeof n.suffix === 'string' && n.suffix.trim() !== '') full += ', ' + n.suffix.trim();
  flat(full);
  return { family, full };
}

/** Narrows `r` to the first occurrence of `needle` inside it in `text`, when text is given. */
function narrow(text: string | undefined, r: Range | undefined, needle: string): Range | undefined {
  if (!r || text === undefined || needle === '') return r;
  if (r.end - r.start > 10000) return r;
  // search only inside the range (a whole-text search could run far past it)
  const i = text.slice(r.start, r.end).indexOf(needle);
  if (i >= 0) return { start: r.start + i, end: r.start + i + needle.length };
  return r;
}

/** One CSL-JSON / CSL-YAML / RIS record as a reference entry. `text` (the file) narrows the year range to the year. */
export function cslRecordToEntry(rec: CslRecord, uri: string, index: number, text?: string): ReferenceEntry {
  const item = rec.item;
  let list = Array.isArray(item.author) ? item.author : undefined;
  let editors = false;
  let nameKey = 'author';
  if (!list || list.length === 0) {
    if (Array.isArray(item.editor) && item.editor.length > 0) {
      list = item.editor;
      editors = true;
      nameKey = 'editor';
    }
  }
  const authors: Person[] = [];
  let etAl = false;
  for (const n of list ?? []) {
    if (n && typeof n === 'object' && (n.literal === 'others' || n.family === 'others' || /^et\.? al\.?$/i.test(n.literal ?? ''))) {
      etAl = true;
      continue;
    }
    const p = cslNameToPerson(n);
    if (p) authors.push(p);
  }
  let year = '';
  let suffix = typeof item['year-suffix'] === 'string' ? item['year-suffix'] : '';
  const issued = item.issued as CslDate | undefined;
  const ys = cslYear(issued);
  let yearText = ys;
  if (ys !== '') {
    const y = splitYear(ys);
    if (y) {
      year = y.year;
      if (!suffix) suffix = y.suffix;
      yearText = ys.slice(y.index, y.index + y.length);
    }
  } else if (typeof item.status === 'string') {
    const v = item.status.toLowerCase();
    if (v.includes('press')) year = 'in press';
    else if (v.includes('forthcoming')) year = 'forthcoming';
  }
  const title = typeof item.title === 'string' ? item.title : undefined;
  const entry: ReferenceEntry = {
    index,
    uri,
    source: { kind: 'bibliography', uri, key: rec.key },
    range: rec.range,
    text: summary(authors, etAl, editors, year, suffix, title),
    authors,
    etAl,
    editors,
    year,
    suffix,
  };
  if (rec.key !== '') entry.key = rec.key;
  const yr = narrow(text, rec.fieldRanges.get('issued'), yearText);
  if (yr) entry.yearRange = yr;
  const ar = rec.fieldRanges.get(nameKey);
  if (ar) entry.authorRange = ar;
  if (title) entry.title = title;
  return entry;
}

/** Any records to reference entries, indexed from `startIndex`. `text` (the file) makes CSL year ranges exact. */
export function toEntries(records: ReadonlyArray<BibliographyRecord>, uri: string, startIndex = 0, text?: string): ReferenceEntry[] {
  const out: ReferenceEntry[] = new Array(records.length);
  let n = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    try {
      out[n] = isCslRecord(r) ? cslRecordToEntry(r, uri, startIndex + n, text) : bibRecordToEntry(r, uri, startIndex + n);
      n++;
    } catch {
      // a record that cannot be converted is left out
    }
  }
  out.length = n;
  return out;
}

// ---------------------------------------------------------------------------
// CSL-JSON from BibTeX

const TYPE_MAP: Record<string, string> = Object.assign(Object.create(null), {
  article: 'article-journal', book: 'book', mvbook: 'book', inbook: 'chapter', bookinbook: 'book',
  booklet: 'pamphlet', collection: 'book', mvcollection: 'book', incollection: 'chapter', dataset: 'dataset',
  manual: 'report', misc: 'document', online: 'webpage', patent: 'patent', periodical: 'periodical',
  proceedings: 'book', mvproceedings: 'book', inproceedings: 'paper-conference', reference: 'book',
  mvreference: 'book', inreference: 'entry', report: 'report', software: 'software', thesis: 'thesis',
  unpublished: 'manuscript', artwork: 'graphic', audio: 'song', image: 'figure', jurisdiction: 'legal_case',
  legislation: 'legislation', legal: 'treaty', letter: 'personal_communication', movie: 'motion_picture',
  music: 'musical_score', performance: 'performance', review: 'review', standard: 'standard',
  video: 'motion_picture', conference: 'paper-conference', electronic: 'webpage', mastersthesis: 'thesis',
  phdthesis: 'thesis', techreport: 'report', www: 'webpage',
});

function cslNames(f: BibField | undefined): CslName[] | undefined {
  if (!f) return undefined;
  const { names, others } = splitNameList(f.raw);
  const out = names.map((n) => bibNameToCsl(parseBibtexName(n)));
  if (others) out.push({ literal: 'others' });
  return out.length ? out : undefined;
}

function bibDate(fields: { get(name: string): BibField | undefined }): CslDate | undefined {
  const d = fields.get('date');
  if (d && d.value !== '') {
    const parsed = parseDateString(d.value);
    if (parsed) return parsed;
  }
  const y = fields.get('year');
  if (!y || y.value === '') return undefined;
  const m = /\d{4}/.exec(y.value);
  if (!m) return { literal: y.value };
  const parts: (number | string)[] = [Number(m[0])];
  const mo = fields.get('month');
  if (mo) {
    const n = monthNumber(mo.value);
    if (n) {
      parts.push(n);
      const day = fields.get('day');
      if (day && /^\d{1,2}$/.test(day.value)) parts.push(Number(day.value));
    }
  }
  return { 'date-parts': [parts] };
}

/** A BibTeX / BibLaTeX record as a CSL-JSON item (for citeproc / citation-js). */
export function bibRecordToCsl(rec: BibRecord): CslItem {
  const f = { get: (name: string): BibField | undefined => getField(rec, name) };
  const v = (name: string): string | undefined => {
    const x = f.get(name);
    if (!x) return undefined;
    const s = x.value;
    return s === '' ? undefined : s;
  };
  const verb = (name: string): string | undefined => {
    const x = f.get(name);
    if (!x) return undefined;
    const s = stripBraces(x.raw.replace(/\\(?:url|href|path|detokenize)\b\s*/g, '')).replace(/\\([_%&#$~])/g, '$1');
    return s === '' ? undefined : s;
  };
  let type = TYPE_MAP[rec.type] ?? 'document';
  const sub = v('entrysubtype');
  if (rec.type === 'article' && sub) {
    if (sub === 'magazine') type = 'article-magazine';
    else if (sub === 'newspaper') type = 'article-newspaper';
  }
  const item: CslItem = { id: rec.key, type, 'citation-key': rec.key };
  const put = (k: string, val: unknown): void => {
    if (val !== undefined && val !== '') item[k] = val;
  };
  let title = v('title');
  const subtitle = v('subtitle');
  if (title && subtitle) title = `${title}: ${subtitle}`;
  put('title', title);
  put('title-short', v('shorttitle'));
  put('author', cslNames(f.get('author')));
  put('editor', cslNames(f.get('editor')));
  put('translator', cslNames(f.get('translator')));
  if (type === 'chapter' || type === 'entry') put('container-author', cslNames(f.get('bookauthor')));
  put('issued', bibDate(f));
  let container: string | undefined;
  if (type.startsWith('article') || type === 'periodical' || type === 'review') container = v('journaltitle') ?? v('journal');
  else container = v('booktitle') ?? v('maintitle') ?? v('journaltitle') ?? v('journal');
  const bsub = v('booksubtitle');
  if (container && bsub && !type.startsWith('article')) container = `${container}: ${bsub}`;
  put('container-title', container);
  put('collection-title', v('series'));
  put('volume', v('volume'));
  if (type.startsWith('article')) put('issue', v('number') ?? v('issue'));
  else {
    put('issue', v('issue'));
    put('number', v('number'));
  }
  const pages = v('pages');
  if (pages) put('page', pages.replace(/\s*[\u2013\u2014-]+\s*/g, '-'));
  put('edition', v('edition'));
  let publisher = v('publisher');
  if (!publisher) {
    if (type === 'thesis') publisher = v('school') ?? v('institution');
    else if (type === 'report') publisher = v('institution') ?? v('organization');
    else publisher = v('organization') ?? v('institution');
  }
  put('publisher', publisher);
  put('publisher-place', v('location') ?? v('address'));
  const doi = verb('doi');
  put('DOI', doi ? doi.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '') : undefined);
  put('URL', verb('url') ?? verb('howpublished')?.match(/^https?:\/\/\S+$/)?.[0]);
  put('ISBN', verb('isbn'));
  put('ISSN', verb('issn'));
  put('note', v('note'));
  put('abstract', v('abstract'));
  put('language', v('langid') ?? v('language'));
  let genre = v('type');
  if (!genre && rec.type === 'phdthesis') genre = 'PhD thesis';
  if (!genre && rec.type === 'mastersthesis') genre = 'Master’s thesis';
  put('genre', genre);
  const urldate = v('urldate');
  if (urldate) put('accessed', parseDateString(urldate));
  put('event-title', v('eventtitle'));
  put('keyword', v('keywords'));
  return item;
}

/** Any record as a CSL-JSON item. */
export function recordToCsl(rec: BibliographyRecord): CslItem {
  return isCslRecord(rec) ? rec.item : bibRecordToCsl(rec);
}

/**
 * Finds the reference list(s) of a document and cuts them into entries.
 *
 * A list starts under a heading such as References / Bibliography / Works Cited (Markdown ATX or
 * setext, reST underline, LaTeX sectioning, `thebibliography`, or a plain line) and ends at the next
 * heading of the same or higher level, or where lines stop looking like entries.
 */
import type { DocumentFormat, Range } from '../types';
import type { Sliceable } from './prose';
import { detach } from '../text/detach';
import { fold } from '../text/fold';
import { isSpaceCode } from '../text/spaces';
import { isDittoLine, parseFreeTextEntry, parsedLooksLikeEntryStart, type ParsedEntry } from '../bibliography/freeTextEntry';

export interface RawEntry {
  range: Range;
  /** Where the entry's own text starts (after a list marker or `\bibitem{}`). */
  bodyStart: number;
  /** `\bibitem[label]{key}`. */
  key?: string;
  label?: string;
  keyRange?: Range;
  /** Entries numbered `[1]`, `1.`: their order is not alphabetical by design. */
  numbered?: boolean;
  /** A subheading comes before it within the list (`Secondary sources`): order starts again here. */
  afterSubheading?: boolean;
}

/** What a list cut read: text `start..end`, lines from `first` up to `limit` (-1 for `thebibliography`). */
export interface ListRead extends Range {
  first: number;
  limit: number;
}

export interface RawSection {
  heading?: Range;
  range: Range;
  entries: RawEntry[];
}

const HEADING_WORDS = new Set([
  'references', 'reference', 'bibliography', 'bibliographies', 'workscited', 'literaturecited', 'referencelist', 'sources',
  'citedliterature', 'literature', 'referencescited', 'selectedbibliography', 'bibliographyandreferences', 'notesandreferences',
  'referencesandnotes', 'sourcescited', 'citations', 'bibliografia', 'referencias', 'referenciasbibliograficas',
  'referencias bibliograficas', 'references bibliographiques', 'referencesbibliographiques', 'literatur', 'literaturverzeichnis',
  'quellen', 'quellenverzeichnis', 'bibliographie', 'riferimenti', 'riferimentibibliografici', 'referencias', 'referencje',
  'bibliografie', 'litteratur', 'kaynakca', 'worksconsulted', 'referencesandfurtherreading', 'sourcesandreferences',
  'bibliographyandfurtherreading', 'referencesandbibliography', 'primarysources', 'secondarysources', '参考文献', '引用文献', '文献', '참고문헌', '参考资料', 'литература', 'списоклитературы',
]);

/** Is this line's text a reference-list heading word? */
export function isReferenceHeading(text: string): boolean {
  let t = text.replace(/\0/g, '').trim();
  t = t.replace(/^#{1,6}\s+/, '').replace(/\s+#+$/, '');
  t = t.replace(/^(?:[0-9]+(?:\.[0-9]+)*\.?|[IVXLC]+\.|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]+\.?|[A-Z]\.)\s+/, '');
  // Pandoc attributes (`{-}`, `{.unnumbered}`, `{#refs}`) and a note on the style (`(APA 7th)`).
  t = t.replace(/\s*\{[^{}]*\}$/, '').replace(/\s*\([^()]*\)$/, '');
  t = t.replace(/[:：.]$/, '');
  if (t.length > 40) return false;
  return HEADING_WORDS.has(fold(t));
}

interface Heading {
  line: number;
  /** Lines the heading takes (setext and reST underlines take two or three). */
  span: number;
  level: number;
  text: string;
}

const ATX_RE = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const SETEXT_RE = /^ {0,3}(=+|-+)[ \t]*$/;
const RST_ADORN_RE = /^([=\-~^"'`#*+<>:._!$%&,;?@\\|/])\1{2,}\s*$/;
const LATEX_SEC_RE = /^\s*\\(part|chapter|section|subsection|subsubsection|paragraph)\*?\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}/;
const LATEX_LEVEL: Record<string, number> = { part: 0, chapter: 1, section: 2, subsection: 3, subsubsection: 4, paragraph: 5 };
const PLAIN_LEVEL = 100;

const LATEX_SECTIONING = ['part', 'chapter', 'section', 'subsection', 'subsubsection', 'paragraph'];
/** Characters an underline (setext or reST adornment) is made of. */
const ADORNMENT = new Uint8Array(128);
for (const ch of '=-~^"\'`#*+<>:._!$%&,;?@\\|/') ADORNMENT[ch.charCodeAt(0)] = 1;

function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Lines that may be headings. Char-code loops over line starts and over `#` signs, not patterns
 * tried at every character; each keeps the lines the pattern in its comment would find (with
 * `m`, `^` also matches after `\r`, U+2028 and U+2029, so line starts are found the same way).
 */
function headingCandidates(text: string, view: string, starts: number[], format: DocumentFormat): number[] {
  const found = new Set<number>();
  const lineOf = (o: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  if (format === 'latex') {
    // /^[ \t]*\\(?:part|chapter|section|subsection|subsubsection|paragraph)\b/gm over the source.
    const n = text.length;
    for (let p = 0; p < n;) {
      let q = p;
      while (q < n && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
      if (text.charCodeAt(q) === 92) {
        for (const name of LATEX_SECTIONING) {
          if (text.startsWith(name, q + 1) && !isWordChar(text.charCodeAt(q + 1 + name.length))) { found.add(lineOf(p)); break; }
        }
      }
      // The next line start.
      while (p < n && !isLineTerminator(text.charCodeAt(p))) p++;
      p++;
    }
  } else {
    if (format === 'markdown' || format === 'plaintext') {
      // /^ {0,3}#/gm over the view: a `#` after at most three spaces at a line start.
      for (let q = view.indexOf('#'); q !== -1; q = view.indexOf('#', q + 1)) {
        for (let p = q; ; p--) {
          if (p === 0 || isLineTerminator(view.charCodeAt(p - 1))) { found.add(lineOf(p)); break; }
          if (q - p === 3 || view.charCodeAt(p - 1) !== 32) break;
        }
      }
    }
    // Underlines: a line holding a run of three punctuation marks (/([=\-~^"'`#*+<>:._!$%&,;?@\\|/])\1\1/)
    // that `whole` accepts marks the line above. A line `whole` accepts is one mark repeated
    // between spaces or tabs, so it holds such a run only if its first three marks are one.
    const whole = /^[ \t]*([=\-~^"'`#*+<>:._!$%&,;?@\\|/])\1{2,}[ \t]*\r?$|^ {0,3}(?:=+|-+)[ \t]*\r?$/;
    for (let l = 1; l < starts.length; l++) {
      const s = starts[l];
      const e = l + 1 < starts.length ? starts[l + 1] - 1 : view.length;
      let k = s;
      while (k < e && (view.charCodeAt(k) === 32 || view.charCodeAt(k) === 9)) k++;
      const c = view.charCodeAt(k);
      if (k >= e || c >= 128 || ADORNMENT[c] !== 1 || view.charCodeAt(k + 1) !== c || view.charCodeAt(k + 2) !== c) continue;
      if (whole.test(view.slice(s, e))) found.add(l - 1);
    }
  }
  return [...found].sort((a, b) => a - b);
}

function findHeadings(lines: LineAt, viewLines: LineAt, format: DocumentFormat, candidates: number[]): Heading[] {
  const out: Heading[] = [];
  const rstStyles: string[] = [];
  let skipUntil = -1;
  for (const i of candidates) {
    if (i <= skipUntil) continue;
    const v = viewLines(i);
    if (v === undefined || v.trim() === '' || v.replace(/\0/g, '').trim() === '') continue;
    const raw = lines(i);
    if (format === 'latex') {
      const m = LATEX_SEC_RE.exec(raw);
      if (m) out.push({ line: i, span: 1, level: LATEX_LEVEL[m[1]], text: m[2] });
      continue;
    }
    if (format === 'markdown' || format === 'plaintext') {
      const a = ATX_RE.exec(v);
      if (a) { out.push({ line: i, span: 1, level: a[1].length, text: a[2] }); continue; }
      const next = viewLines(i + 1);
      if (next !== undefined && SETEXT_RE.test(next) && !/^\s*([-*+]|\d+[.)])\s/.test(v) && !SETEXT_RE.test(v)) {
        const prev = i > 0 ? viewLines(i - 1) : '';
        if (prev.trim() === '' || format === 'markdown') {
          out.push({ line: i, span: 2, level: next.trim()[0] === '=' ? 1 : 2, text: v.trim() });
          skipUntil = i + 1;
          continue;
        }
      }
    }
    if (format === 'rst' || format === 'plaintext') {
      const next = viewLines(i + 1);
      const prev = i > 0 ? viewLines(i - 1) : '';
      if (next !== undefined && RST_ADORN_RE.test(next) && !RST_ADORN_RE.test(v) && next.trim().length >= Math.min(v.trim().length, 3)) {
        const over = RST_ADORN_RE.test(prev) && prev.trim()[0] === next.trim()[0];
        const style = (over ? 'o' : 'u') + next.trim()[0];
        let lvl = rstStyles.indexOf(style);
        if (lvl === -1) { rstStyles.push(style); lvl = rstStyles.length - 1; }
        out.push({ line: over ? i - 1 : i, span: over ? 3 : 2, level: lvl + 1, text: v.trim() });
        skipUntil = i + 1;
        continue;
      }
    }
  }
  return out;
}

type LineAt = (i: number) => string;

/** A word of a reference-list heading (it cannot span lines). */
const HINT_RE = /(?:referen|consulted|r\u00e9f\u00e9ren|bibliogra|cited|literat|sources|quellen|riferiment|kaynak|\u53c2\u8003|\u5f15\u7528|\u6587\u732e|\ucc38\uace0|\u043b\u0438\u0442\u0435\u0440\u0430\u0442)/i;

/**
 * The level of the `#` heading this line is (its view), when it is one and is not a reference-list
 * heading; else undefined. An edit that keeps a line such a heading of the same level changes no
 * section: findSections reads of it only that it is a heading of that level (see Analyzer.patch).
 */
export function plainAtxLevel(viewLine: string, format: DocumentFormat): number | undefined {
  if (format !== 'markdown' && format !== 'plaintext') return undefined;
  if (/[\r\u2028\u2029]/.test(viewLine)) return undefined;
  const a = ATX_RE.exec(viewLine);
  if (!a || viewLine.trim() === '' || viewLine.replace(/\0/g, '').trim() === '') return undefined;
  if (isReferenceHeading(a[2]) || isReferenceHeading(viewLine) || HINT_RE.test(viewLine)) return undefined;
  return a[1].length;
}

/**
 * Could findReferenceSections read this line (its text and view, without its `\n`) as part of a
 * heading: a `#` heading, an underline or overline, a plain heading word, a LaTeX command, a
 * `thebibliography` or `\bibitem`? When neither version of an edited line, nor the lines beside
 * it, could, the headings are those of the last run (see Analyzer). Errs towards yes.
 */
export function mayBeHeadingLine(textLine: string, viewLine: string, format: DocumentFormat): boolean {
  if (/[\u2028\u2029]|\r(?!$)/.test(textLine)) return true;
  if (textLine.indexOf('thebibliography') !== -1 || textLine.indexOf('bibitem') !== -1) return true;
  // A plain heading is looked for on lines of at most 60 characters (see findSections).
  if (textLine.length - (textLine.endsWith('\r') ? 1 : 0) <= 60 && HINT_RE.test(viewLine)) return true;
  if (format === 'latex' && /^[ \t]*\\/.test(textLine)) return true;
  if (/^ {0,3}#/.test(viewLine)) return true;
  let k = 0;
  while (viewLine.charCodeAt(k) === 32 || viewLine.charCodeAt(k) === 9) k++;
  const c = viewLine.charCodeAt(k);
  return c < 128 && ADORNMENT[c] === 1 && viewLine.charCodeAt(k + 1) === c && viewLine.charCodeAt(k + 2) === c;
}

/** `s` without its NULs (the prose view's blanked characters inside words); most lines have none. */
function withoutNul(s: string): string {
  return s.indexOf('\0') === -1 ? s : s.replace(/\0/g, '');
}

/** What looksLikeEntryStart reads of a line: a ditto line starts an entry after another; any other is parsed. */
function readLine(s: string): { s: string; ditto: boolean; p: ParsedEntry | undefined; v: boolean } {
  const ditto = isDittoLine(s);
  const p = ditto ? undefined : parseFreeTextEntry(s, undefined);
  return { s, ditto, p, v: !ditto && parsedLooksLikeEntryStart(s, p) && !LABEL_LINE_RE.test(s) };
}

/** `Appendix A.`, `Table 2:`, `Figure 3.1.`: a label after the list, not an author called Appendix. */
const LABEL_LINE_RE = /^[\s\0]*(?:Appendix|Annex|Table|Figure|Fig\.)[\s\0]+(?:[A-Z][0-9]*|[0-9]+|[IVX]+)(?:[.\-][0-9]+)?[\s\0]*[.:\u2013\u2014-]/;

/** At most this many parses are kept between runs (see ReferenceListCache.parses). */
const PARSES_KEPT = 100_000;

/**
 * `looksLikeEntryStart` results kept between versions of one document (an Analyzer holds one), so
 * an edit re-parses only the lines whose text changed. Keyed by the text read (a line and the
 * wrapped lines after it); only results read by the last run are kept.
 */
export class ReferenceListCache {
  private prev: [Map<string, boolean>, Map<string, boolean>] = [new Map(), new Map()];
  private next: [Map<string, boolean>, Map<string, boolean>] = [new Map(), new Map()];

  /**
   * The text each list cut of the last run read (an edit outside them leaves every cut as it was),
   * with the first line and the limit it was cut with (none for a `thebibliography`).
   */
  reads: ListRead[] = [];

  /** While splitEntries runs: the questions it asked, kept with its result (see findSplit). */
  private asked: [string, number, boolean][] | undefined;

  /**
   * `oneRun`: the cache serves one run and nothing after it (`analyze()`): answers are kept by
   * where the text read starts, not by the text (no hashing of every line), and no split is kept.
   */
  constructor(private readonly oneRun = false) {}

  /** In a oneRun cache: by where the text read starts, that text, whether it is a ditto line, its parse and answer. */
  private byAt = new Map<number, { s: string; ditto: boolean; p: ParsedEntry | undefined; v: boolean }>();

  /** `at`: where `s` starts in the document (-1 if not known). */
  looksLikeEntryStart(s: string, hasPrevious: boolean, at = -1): boolean {
    if (this.oneRun && at >= 0) {
      let e = this.byAt.get(at);
      if (!e || e.s !== s) this.byAt.set(at, (e = readLine(s)));
      return e.ditto ? hasPrevious : e.v;
    }
    const k = hasPrevious ? 1 : 0;
    let v = this.next[k].get(s);
    if (v === undefined) {
      v = this.prev[k].size ? this.prev[k].get(s) : undefined;
      if (v === undefined) {
        // Parsed on a copy, and kept: the entry that starts here is often this very text (see takeParse).
        const e = readLine(detach(s));
        if (!e.ditto) {
          if (this.parses.size >= PARSES_KEPT) this.parses.clear();
          this.parses.set(e.s, e.p);
        }
        v = e.ditto ? hasPrevious : e.v;
      }
      this.next[k].set(detach(s), v);
    }
    this.asked?.push([s, k, v]);
    return v;
  }

  /**
   * Lines parsed by looksLikeEntryStart in this run (see startRun): an entry of one line (or whose
   * lines were read whole) is parsed once, not once to cut the list and again to read it.
   */
  private parses = new Map<string, ParsedEntry | undefined>();

  /** A new run: the parses of the last one are dropped (they are kept for its entries, read after the cut). */
  startRun(): void {
    this.parses.clear();
    this.byAt.clear();
  }

  /** The parse of `s` (no ditto line, starting at `at`) made by looksLikeEntryStart, if it made one: `null` if not. */
  takeParse(s: string, at = -1): ParsedEntry | undefined | null {
    if (this.oneRun && at >= 0) {
      const e = this.byAt.get(at);
      return e && !e.ditto && e.s === s ? e.p : null;
    }
    const p = this.parses.get(s);
    return p !== undefined || this.parses.has(s) ? p : null;
  }

  /** Drops the answers of this run when there are more than `limit` (a patch asks without rotating). */
  trim(limit: number): void {
    if (this.next[0].size + this.next[1].size > limit) this.next = [new Map(), new Map()];
    if (this.parses.size > limit) this.parses.clear();
  }

  startAsking(): void {
    if (!this.oneRun) this.asked = [];
  }

  stopAsking(): [string, number, boolean][] {
    const a = this.asked ?? [];
    this.asked = undefined;
    return a;
  }

  /** Lists cut by the last run (see splitEntriesOnce), and by this one. */
  private splitsPrev: SplitMemo[] = [];
  private splitsNext: SplitMemo[] = [];

  findSplit(text: string, view: string, starts: number[], first: number, limit: number, format: DocumentFormat): SplitMemo | undefined {
    const start = starts[first];
    for (const s of this.splitsPrev) {
      if (s.format !== format) continue;
      const lastRead = first + s.span - 1;
      if (s.toEnd ? lastRead !== starts.length - 1 : lastRead + 1 >= starts.length) continue;
      // `limit` is compared only with lines up to three past the last one read.
      if (limit - first !== s.limit && (limit - first <= s.span + 3 || s.limit <= s.span + 3)) continue;
      const end = s.toEnd ? text.length : starts[lastRead + 1];
      if (end - start !== s.text.length || text.slice(start, end) !== s.text || view.slice(start, end) !== s.view) continue;
      // The lines' answers stay known, for when one of them is edited.
      for (const [q, k, v] of s.asked) this.next[k].set(q, v);
      this.reads.push({ start, end, first, limit });
      this.splitsNext.push(s.start === start && s.first === first ? s : { ...s, start, first, entries: s.entries.map((e) => shiftEntry(e, start - s.start)), lastLine: s.lastLine - s.first + first });
      return this.splitsNext[this.splitsNext.length - 1];
    }
    return undefined;
  }

  addSplit(s: SplitMemo): void {
    if (!this.oneRun) this.splitsNext.push(s);
  }

  /** Ends a run: what it did not read is dropped. */
  rotate(): void {
    this.prev = this.next;
    this.next = [new Map(), new Map()];
    this.splitsPrev = this.splitsNext;
    this.splitsNext = [];
  }
}

/**
 * One list as splitEntries cut it, with the lines it read (`span` lines from `first`, their text
 * and view): the same lines, with the same `limit` or one far past them, are cut the same way.
 */
interface SplitMemo {
  format: DocumentFormat;
  first: number;
  span: number;
  /** The lines read run to the end of the text (and reads past it found none). */
  toEnd: boolean;
  /** `limit - first`. */
  limit: number;
  start: number;
  text: string;
  view: string;
  entries: RawEntry[];
  lastLine: number;
  /** The looksLikeEntryStart questions asked, by text and hasPrevious, with their answers. */
  asked: [string, number, boolean][];
}

function shiftEntry(e: RawEntry, d: number): RawEntry {
  const r = (x: Range) => ({ start: x.start + d, end: x.end + d });
  const out: RawEntry = { range: r(e.range), bodyStart: e.bodyStart + d, numbered: e.numbered };
  if (e.key !== undefined || 'key' in e) out.key = e.key;
  if (e.label !== undefined || 'label' in e) out.label = e.label;
  if (e.keyRange !== undefined || 'keyRange' in e) out.keyRange = e.keyRange && r(e.keyRange);
  if (e.afterSubheading) out.afterSubheading = true;
  return out;
}

/** splitEntries, or the cut of the same lines by the last run. */
function splitEntriesOnce(
  text: string, view: string, starts: number[], lines: LineAt, viewLines: LineAt,
  first: number, limit: number, format: DocumentFormat, memo: ReferenceListCache,
): { entries: RawEntry[]; lastLine: number } {
  const known = memo.findSplit(text, view, starts, first, limit, format);
  if (known) return known;
  let lastRead = first;
  const readLines: LineAt = (i) => { if (i > lastRead) lastRead = i; return lines(i); };
  const readView: LineAt = (i) => { if (i > lastRead) lastRead = i; return viewLines(i); };
  memo.startAsking();
  let out: { entries: RawEntry[]; lastLine: number };
  let asked: [string, number, boolean][];
  try {
    out = splitEntries(text, view, starts, readLines, readView, first, limit, format, memo);
  } finally {
    asked = memo.stopAsking();
  }
  if (first < starts.length) {
    const toEnd = lastRead >= starts.length - 1;
    const start = starts[first];
    const end = toEnd ? text.length : starts[lastRead + 1];
    const span = (toEnd ? starts.length - 1 : lastRead) - first + 1;
    memo.addSplit({ format, first, span, toEnd, limit: limit - first, start, text: text.slice(start, end), view: view.slice(start, end), entries: out.entries, lastLine: out.lastLine, asked });
    memo.reads.push({ start, end, first, limit });
  }
  return out;
}

/** Does line `i` start an entry (given an entry before it or not), and how? Reads lines i..i+2. */
function entryStartAt(lines: LineAt, viewLines: LineAt, i: number, hasPrev: boolean, limit: number, memo: ReferenceListCache, lineStart: number): { start: boolean; m: RegExpExecArray | null; bodyOffset: number; numbered: boolean; indent: number } {
  const v = viewLines(i);
  // List markers are read from the source: the prose view blanks `*` bullets as emphasis.
  const line = lines(i);
  const m = MARKER_RE.exec(line);
  let indent = 0;
  while (indent < line.length && (line.charCodeAt(indent) === 32 || line.charCodeAt(indent) === 9)) indent++;
  let body = v;
  let bodyOffset = 0;
  let numbered = false;
  if (m) {
    bodyOffset = m[0].length;
    body = v.slice(bodyOffset);
    numbered = m[3] !== undefined || m[4] !== undefined || m[5] !== undefined;
  }
  // Leading spaces and blanked characters are not the entry's.
  let lead = 0;
  while (lead < body.length && (body.charCodeAt(lead) === 0 || isSpaceCode(body.charCodeAt(lead)))) lead++;
  const bodyTrim = lead ? body.slice(lead) : body;
  bodyOffset += lead;
  // The year may sit on a wrapped line: look at this line and the next two of the paragraph.
  let lookahead = bodyTrim;
  for (let k = i + 1; k < Math.min(limit, i + 3); k++) {
    const next = viewLines(k).trim();
    if (next === '' || MARKER_RE.test(lines(k))) break;
    lookahead += ' ' + next;
  }
  const start = bodyTrim !== '' && memo.looksLikeEntryStart(lookahead, hasPrev, lineStart + bodyOffset);
  return { start, m, bodyOffset, numbered, indent };
}

/**
 * What splitEntries reads of lines `from..to` (with the list's `limit`) to cut a list: for each,
 * whether it is blank, has a year, its marker and indent, and whether it starts an entry with or
 * without one before it. Equal for two versions of a list that differ in line `to` only (and in
 * no line break), the two are cut at the same lines (see Analyzer.patch).
 */
export function entryLineFacts(text: string, view: Sliceable, starts: readonly number[], from: number, to: number, limit: number, memo: ReferenceListCache): string {
  const lineEnd = (i: number) => {
    const e = i + 1 < starts.length ? starts[i + 1] - 1 : text.length;
    return e > starts[i] && text.charCodeAt(e - 1) === 13 ? e - 1 : e;
  };
  const lines: LineAt = (i) => (i >= 0 && i < starts.length ? text.slice(starts[i], lineEnd(i)) : undefined as unknown as string);
  const viewLines: LineAt = (i) => (i >= 0 && i < starts.length ? view.slice(starts[i], lineEnd(i)) : undefined as unknown as string);
  const out: string[] = [];
  for (let i = from; i <= to; i++) {
    const clean = withoutNul(viewLines(i));
    const facts: (string | number | boolean)[] = [clean.trim() === '', YEARISH_RE.test(clean), entryShaped(clean), isSubheading(clean), endsWithConnector(clean)];
    for (const hasPrev of [true, false]) {
      const s = entryStartAt(lines, viewLines, i, hasPrev, limit, memo, starts[i]);
      facts.push(s.start, s.m?.[0] ?? '', s.bodyOffset, s.numbered, s.indent);
    }
    out.push(facts.join(','));
  }
  return out.join(';');
}

const YEARISH_RE = /(?<![\d])(1[5-9]\d\d|20\d\d)(?![\d])|n\.\s?d\./;

/**
 * A line written like an entry whose authors or year cannot be read (`Baker, John. 202. A title.`,
 * `Ministry of Health. Annual report. Tokyo.`): long, opening with a letter or a ditto dash, with
 * a sentence ending inside it. A subheading between entries (`Primary sources`) is not.
 */
export function entryShaped(clean: string): boolean {
  const t = clean.trim();
  if (t.length < 30) return false;
  if (!/^[\p{Lu}\p{Lo}_—―–-]/u.test(t)) return false;
  const dot = t.indexOf('. ', 2);
  return dot !== -1 && dot < t.length - 3;
}

/**
 * A subheading inside a reference list (`Primary sources`, `### Books`, `**Archival material**`):
 * a short line of a few words, no year, no sentence.
 */
export function isSubheading(clean: string): boolean {
  const t = clean.trim().replace(/^#{1,6}\s+/, '').replace(/^[*_\s]+|[*_:\s]+$/g, '');
  if (t.length < 3 || t.length > 60) return false;
  if (!/^[\p{Lu}\p{Lo}]/u.test(t) || /[,;]$/.test(t) || t.indexOf('. ') !== -1 || YEARISH_RE.test(t)) return false;
  return t.split(/\s+/).length <= 8;
}

/** Whether a line ends in the middle of an author list: with `and`, `&`, `und`, `y`, `et` or a comma. */
function endsWithConnector(line: string): boolean {
  return /(?:[,&]|\s(?:and|und|y|et|e))\s*$/.test(line);
}

/** The kind of a list marker (`-`, `1.`, `[1]`, `(1)`), to tell items of one list from others. */
function markerKind(m: RegExpExecArray | null | undefined): string {
  if (!m) return '';
  if (m[2] !== undefined) return m[2];
  if (m[3] !== undefined) return m[0].trimEnd().endsWith(')') ? '1)' : '1.';
  if (m[4] !== undefined) return '[1]';
  return '(1)';
}

const MARKER_RE = /^([ \t]*)(?:([-*+•‣◦▪])[ \t]+|(\d{1,4})[.)][ \t]+|\[(\d{1,4})\][ \t]*|\((\d{1,4})\)[ \t]+)/;

/** `starts`: where the text's lines start, when the caller has them (read, not changed). */
export function findReferenceSections(text: string, view: string, format: DocumentFormat, cache?: ReferenceListCache, starts?: readonly number[]): RawSection[] {
  // Without a cache, one for this run: a line read twice (a list's end is looked for ahead) is parsed once.
  const memo = cache ?? new ReferenceListCache();
  memo.reads = [];
  memo.startRun();
  try {
    return findSections(text, view, format, memo, starts);
  } finally {
    memo.rotate();
  }
}

function findSections(text: string, view: string, format: DocumentFormat, memo: ReferenceListCache, given?: readonly number[]): RawSection[] {
  let starts = given as number[] | undefined;
  if (!starts) {
    starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  }
  const lineEnd = (i: number) => {
    const e = i + 1 < starts.length ? starts[i + 1] - 1 : text.length;
    return e > starts[i] && text.charCodeAt(e - 1) === 13 ? e - 1 : e;
  };
  // Lines are sliced on demand: only the few around headings and lists are ever read.
  const lines: LineAt = (i) => (i >= 0 && i < starts.length ? text.slice(starts[i], lineEnd(i)) : undefined as unknown as string);
  const viewLines: LineAt = (i) => (i >= 0 && i < starts.length ? view.slice(starts[i], lineEnd(i)) : undefined as unknown as string);
  const lineCount = starts.length;
  const sections: RawSection[] = [];

  // LaTeX `thebibliography`.
  if ((format === 'latex' || format === 'markdown') && text.indexOf('\\begin{thebibliography}') !== -1) {
    const re = /\\begin\{thebibliography\}(?:\{[^{}\n]*\})?/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const endIdx = text.indexOf('\\end{thebibliography}', m.index);
      const end = endIdx === -1 ? text.length : endIdx;
      sections.push({ heading: { start: m.index, end: m.index + m[0].length }, range: { start: m.index, end: endIdx === -1 ? end : endIdx + 21 }, entries: bibitems(text, m.index + m[0].length, end) });
      memo.reads.push({ ...sections[sections.length - 1].range, first: -1, limit: -1 });
    }
    if (sections.length) return sections;
  }

  const headings = findHeadings(lines, viewLines, format, headingCandidates(text, view, starts, format));
  const headingAt = new Map<number, Heading>();
  for (const h of headings) headingAt.set(h.line, h);
  const candidates: Heading[] = headings.filter((h) => isReferenceHeading(h.text));
  // Plain-line headings: a short line that is only a heading word.
  // A hint word (it cannot span lines) on a line short enough to be a heading: only such lines
  // pass the test below, so only they are searched.
  const hint = HINT_RE;
  for (let i = 0; i < lineCount; i++) {
    if (lineEnd(i) - starts[i] > 60 || headingAt.has(i)) continue;
    const v = viewLines(i);
    if (!hint.test(v) || v.trim() === '') continue;
    // A heading word that ends a sentence running over from the line above is not a heading.
    const above = i > 0 ? withoutNul(viewLines(i - 1)).trimEnd() : '';
    if (above !== '' && /[\p{L}\p{N},;]$/u.test(above) && !headingAt.has(i - 1)) continue;
    if (isReferenceHeading(v)) {
      const h = { line: i, span: 1, level: PLAIN_LEVEL, text: v.trim() };
      candidates.push(h);
    }
  }
  candidates.sort((a, b) => a.line - b.line);

  let coveredUntil = -1;
  for (let ci = 0; ci < candidates.length; ci++) {
    const h = candidates[ci];
    if (h.line <= coveredUntil) continue;
    const bodyFirst = h.line + h.span;
    // Where the next heading of the same or a higher level is, or the next reference heading.
    let limit = lineCount;
    for (const o of headings) {
      if (o.line >= bodyFirst && (o.level <= h.level || h.level === PLAIN_LEVEL)) { limit = o.line; break; }
    }
    for (let cj = ci + 1; cj < candidates.length; cj++) {
      if (candidates[cj].line >= bodyFirst) { limit = Math.min(limit, candidates[cj].line); break; }
    }
    const entries = splitEntriesOnce(text, view, starts, lines, viewLines, bodyFirst, limit, format, memo);
    if (entries.entries.length === 0) continue;
    const lastLine = entries.lastLine;
    coveredUntil = lastLine;
    const headingRange = { start: starts[h.line], end: lineEnd(h.line + h.span - 1) };
    sections.push({ heading: headingRange, range: { start: headingRange.start, end: lineEnd(lastLine) }, entries: entries.entries });
  }
  // Without a heading: a trailing block of entry-like lines (at least three) is taken as the list.
  return sections;
}

function bibitems(text: string, from: number, to: number): RawEntry[] {
  const out: RawEntry[] = [];
  const re = /\\bibitem\s*(?:\[((?:[^\[\]{}]|\{[^{}]*\})*)\])?\s*\{([^{}]*)\}/g;
  re.lastIndex = from;
  const found: { at: number; end: number; label?: string; key: string; keyStart: number }[] = [];
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const keyStart = m.index + m[0].length - 1 - m[2].length;
    found.push({ at: m.index, end: m.index + m[0].length, label: m[1], key: m[2].trim(), keyStart });
  }
  for (let i = 0; i < found.length; i++) {
    const f = found[i];
    let end = i + 1 < found.length ? found[i + 1].at : to;
    while (end > f.end && /\s/.test(text[end - 1])) end--;
    out.push({ range: { start: f.at, end }, bodyStart: f.end, key: f.key, label: f.label, keyRange: { start: f.keyStart, end: f.keyStart + f.key.length }, numbered: false });
  }
  return out;
}

function endsEntry(line: string): boolean {
  return /[.)\]>»”"]\s*$/.test(withoutNul(line));
}

function splitEntries(
  text: string, view: string, starts: number[], lines: LineAt, viewLines: LineAt,
  first: number, limit: number, format: DocumentFormat, memo: ReferenceListCache,
): { entries: RawEntry[]; lastLine: number } {
  const entries: RawEntry[] = [];
  let cur: { startLine: number; endLine: number; bodyStart: number; indent: number; numbered: boolean; afterBlank: boolean; marker: string; afterSubheading?: boolean } | undefined;
  /** A subheading was passed over since the last entry. */
  let subheading = false;
  let blankBefore = false;
  let skipped = 0;
  let multiLine = false;
  let lastLine = first;
  const push = () => {
    if (!cur) return;
    const s = starts[cur.startLine];
    let e = starts[cur.endLine] + lines(cur.endLine).length;
    while (e > s && /\s/.test(text[e - 1])) e--;
    entries.push(cur.afterSubheading ? { range: { start: s, end: e }, bodyStart: cur.bodyStart, numbered: cur.numbered, afterSubheading: true } : { range: { start: s, end: e }, bodyStart: cur.bodyStart, numbered: cur.numbered });
    if (cur.endLine > cur.startLine) multiLine = true;
    lastLine = cur.endLine;
    cur = undefined;
  };
  const startAt = (i: number, hasPrev: boolean) => entryStartAt(lines, viewLines, i, hasPrev, limit, memo, starts[i]);
  /** Do entries go on after line i? (One odd entry does not end a list.) */
  const entriesFollow = (i: number, ahead = 3): boolean => {
    let seen = 0;
    let blank = false;
    for (let k = i + 1; k < limit && seen < ahead; k++) {
      if (withoutNul(viewLines(k)).trim() === '') { blank = true; continue; }
      if (!blank && !MARKER_RE.test(lines(k))) continue;
      blank = false;
      seen++;
      if (startAt(k, true).start) return true;
    }
    return false;
  };
  const YEARISH = YEARISH_RE;
  for (let i = first; i < limit; i++) {
    const v = viewLines(i);
    const clean = withoutNul(v);
    if (clean.trim() === '') { blankBefore = true; continue; }
    const { start, m, bodyOffset, numbered, indent } = startAt(i, entries.length > 0 || cur !== undefined);
    if (!cur) {
      if (start || (m && entryShaped(clean) && entriesFollow(i, 8))) {
        // A list item written like an entry, with entries after it, is the list's first entry
        // even when its authors or year cannot be read (an introduction is no list item).
        cur = { startLine: i, endLine: i, bodyStart: starts[i] + bodyOffset, indent, numbered, afterBlank: blankBefore, marker: markerKind(m), afterSubheading: subheading };
        subheading = false;
      } else if (entries.length === 0 && skipped < 4) {
        skipped++;
      } else {
        break;
      }
      blankBefore = false;
      continue;
    }
    if (!m && !blankBefore && endsWithConnector(withoutNul(viewLines(cur.endLine)))) {
      // An author list broken after `and`, `&` or a comma (`Adams, Robert, and` / `Helen Hall.
      // 2010.`): the line goes on with the entry, though it reads like an entry's start.
      cur.endLine = i;
    } else if (start && (m || indent <= cur.indent || blankBefore)) {
      push();
      cur = { startLine: i, endLine: i, bodyStart: starts[i] + bodyOffset, indent, numbered, afterBlank: blankBefore, marker: markerKind(m) };
    } else if (indent > cur.indent && !m) {
      cur.endLine = i;
    } else if (!m && !blankBefore && (cur.afterBlank || entries.length === 0 || multiLine || format === 'latex')) {
      // A wrapped line of a paragraph entry.
      cur.endLine = i;
    } else if ((blankBefore || m) && (YEARISH.test(clean) || (m ? markerKind(m) === cur.marker : entryShaped(clean))) && entriesFollow(i, m && markerKind(m) === cur.marker ? 8 : 3)) {
      // An entry whose authors or year we cannot read, between entries we can: a year, an item
      // of the same list, or a paragraph written like an entry.
      push();
      cur = { startLine: i, endLine: i, bodyStart: starts[i] + bodyOffset, indent, numbered, afterBlank: blankBefore, marker: markerKind(m) };
    } else if (!m && isSubheading(clean) && entriesFollow(i)) {
      // A subheading within the list (`Primary sources`): the list goes on after it.
      push();
      subheading = true;
    } else {
      // A list item that is not an entry (a footnote `[1] Regarding ...`), or prose: the list ends.
      break;
    }
    blankBefore = false;
  }
  push();
  return { entries, lastLine };
}

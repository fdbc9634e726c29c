/**
 * Finds the reference list(s) of a document and cuts them into entries.
 *
 * A list starts under a heading such as References / Bibliography / Works Cited (Markdown ATX or
 * setext, reST underline, LaTeX sectioning, `thebibliography`, or a plain line) and ends at the next
 * heading of the same or higher level, or where lines stop looking like entries.
 */
import type { DocumentFormat, Range } from '../types';
import { fold } from '../text/fold';
import { looksLikeEntryStart } from '../bibliography/freeTextEntry';

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
  'bibliografie', 'litteratur', 'kaynakca', '参考文献', '引用文献', '文献', '참고문헌', '参考资料', 'литература', 'списоклитературы',
]);

/** Is this line's text a reference-list heading word? */
export function isReferenceHeading(text: string): boolean {
  let t = text.replace(/\0/g, '').trim();
  t = t.replace(/^#{1,6}\s+/, '').replace(/\s+#+$/, '');
  t = t.replace(/^(?:[0-9]+(?:\.[0-9]+)*\.?|[IVXLC]+\.|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]+\.?|[A-Z]\.)\s+/, '');
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

/** Lines that may be headings, found by whole-text scans (so the cost does not grow per line). */
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
  const scan = (re: RegExp, src: string, delta: number) => {
    re.lastIndex = 0;
    for (let m = re.exec(src); m; m = re.exec(src)) {
      const l = lineOf(m.index) + delta;
      if (l >= 0) found.add(l);
      if (m[0].length === 0) re.lastIndex++;
    }
  };
  if (format === 'latex') scan(/^[ \t]*\\(?:part|chapter|section|subsection|subsubsection|paragraph)\b/gm, text, 0);
  else {
    if (format === 'markdown' || format === 'plaintext') scan(/^ {0,3}#/gm, view, 0);
    // Underlines: find runs of three punctuation marks, then check their whole line.
    const run = /([=\-~^"'`#*+<>:._!$%&,;?@\\|/])\1\1/g;
    const whole = /^[ \t]*([=\-~^"'`#*+<>:._!$%&,;?@\\|/])\1{2,}[ \t]*\r?$|^ {0,3}(?:=+|-+)[ \t]*\r?$/;
    for (let m = run.exec(view); m; m = run.exec(view)) {
      const l = lineOf(m.index);
      const e = l + 1 < starts.length ? starts[l + 1] - 1 : view.length;
      if (whole.test(view.slice(starts[l], e)) && l > 0) found.add(l - 1);
      run.lastIndex = Math.max(run.lastIndex, e);
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

const MARKER_RE = /^([ \t]*)(?:([-*+•‣◦▪])[ \t]+|(\d{1,4})[.)][ \t]+|\[(\d{1,4})\][ \t]*|\((\d{1,4})\)[ \t]+)/;

export function findReferenceSections(text: string, view: string, format: DocumentFormat): RawSection[] {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
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
  if (format === 'latex' || format === 'markdown') {
    const re = /\\begin\{thebibliography\}(?:\{[^{}\n]*\})?/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const endIdx = text.indexOf('\\end{thebibliography}', m.index);
      const end = endIdx === -1 ? text.length : endIdx;
      sections.push({ heading: { start: m.index, end: m.index + m[0].length }, range: { start: m.index, end: endIdx === -1 ? end : endIdx + 21 }, entries: bibitems(text, m.index + m[0].length, end) });
    }
    if (sections.length) return sections;
  }

  const headings = findHeadings(lines, viewLines, format, headingCandidates(text, view, starts, format));
  const headingAt = new Map<number, Heading>();
  for (const h of headings) headingAt.set(h.line, h);
  const candidates: Heading[] = headings.filter((h) => isReferenceHeading(h.text));
  // Plain-line headings: a short line that is only a heading word.
  const hint = /(?:referen|r\u00e9f\u00e9ren|bibliogra|cited|literat|sources|quellen|riferiment|kaynak|\u53c2\u8003|\u5f15\u7528|\u6587\u732e|\ucc38\uace0|\u043b\u0438\u0442\u0435\u0440\u0430\u0442)/gi;
  const plainLines = new Set<number>();
  for (let m = hint.exec(view); m; m = hint.exec(view)) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= m.index) lo = mid;
      else hi = mid - 1;
    }
    plainLines.add(lo);
  }
  for (const i of [...plainLines].sort((a, b) => a - b)) {
    if (headingAt.has(i)) continue;
    const v = viewLines(i);
    if (v.length > 60 || v.trim() === '') continue;
    // A heading word that ends a sentence running over from the line above is not a heading.
    const above = i > 0 ? viewLines(i - 1).replace(/\0/g, '').trimEnd() : '';
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
    const entries = splitEntries(text, view, starts, lines, viewLines, bodyFirst, limit, format);
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
  return /[.)\]>»”"]\s*$/.test(line.replace(/\0/g, ''));
}

function splitEntries(
  text: string, view: string, starts: number[], lines: LineAt, viewLines: LineAt,
  first: number, limit: number, format: DocumentFormat,
): { entries: RawEntry[]; lastLine: number } {
  const entries: RawEntry[] = [];
  let cur: { startLine: number; endLine: number; bodyStart: number; indent: number; numbered: boolean; afterBlank: boolean } | undefined;
  let blankBefore = false;
  let skipped = 0;
  let multiLine = false;
  let lastLine = first;
  const push = () => {
    if (!cur) return;
    const s = starts[cur.startLine];
    let e = starts[cur.endLine] + lines(cur.endLine).length;
    while (e > s && /\s/.test(text[e - 1])) e--;
    entries.push({ range: { start: s, end: e }, bodyStart: cur.bodyStart, numbered: cur.numbered });
    if (cur.endLine > cur.startLine) multiLine = true;
    lastLine = cur.endLine;
    cur = undefined;
  };
  const startAt = (i: number, hasPrev: boolean): { start: boolean; m: RegExpExecArray | null; bodyOffset: number; numbered: boolean; indent: number } => {
    const v = viewLines(i);
    // List markers are read from the source: the prose view blanks `*` bullets as emphasis.
    const m = MARKER_RE.exec(lines(i));
    const indent = /^[ \t]*/.exec(lines(i))![0].length;
    let body = v;
    let bodyOffset = 0;
    let numbered = false;
    if (m) {
      bodyOffset = m[0].length;
      body = v.slice(bodyOffset);
      numbered = m[3] !== undefined || m[4] !== undefined || m[5] !== undefined;
    }
    const bodyTrim = body.replace(/^[\s\0]+/, '');
    bodyOffset += body.length - bodyTrim.length;
    // The year may sit on a wrapped line: look at this line and the next two of the paragraph.
    let lookahead = bodyTrim;
    for (let k = i + 1; k < Math.min(limit, i + 3); k++) {
      if (viewLines(k).trim() === '' || MARKER_RE.test(lines(k))) break;
      lookahead += ' ' + viewLines(k).trim();
    }
    const start = bodyTrim !== '' && looksLikeEntryStart(lookahead, hasPrev);
    return { start, m, bodyOffset, numbered, indent };
  };
  /** Do entries go on after line i? (One odd entry does not end a list.) */
  const entriesFollow = (i: number): boolean => {
    let seen = 0;
    let blank = false;
    for (let k = i + 1; k < limit && seen < 3; k++) {
      if (viewLines(k).replace(/\0/g, '').trim() === '') { blank = true; continue; }
      if (!blank && !MARKER_RE.test(lines(k))) continue;
      blank = false;
      seen++;
      if (startAt(k, true).start) return true;
    }
    return false;
  };
  const YEARISH = /(?<![\d])(1[5-9]\d\d|20\d\d)(?![\d])|n\.\s?d\./;
  for (let i = first; i < limit; i++) {
    const v = viewLines(i);
    const clean = v.replace(/\0/g, '');
    if (clean.trim() === '') { blankBefore = true; continue; }
    const { start, m, bodyOffset, numbered, indent } = startAt(i, entries.length > 0 || cur !== undefined);
    if (!cur) {
      if (start) {
        cur = { startLine: i, endLine: i, bodyStart: starts[i] + bodyOffset, indent, numbered, afterBlank: blankBefore };
      } else if (entries.length === 0 && skipped < 4) {
        skipped++;
      } else {
        break;
      }
      blankBefore = false;
      continue;
    }
    if (start && (m || indent <= cur.indent || blankBefore)) {
      push();
      cur = { startLine: i, endLine: i, bodyStart: starts[i] + bodyOffset, indent, numbered, afterBlank: blankBefore };
    } else if (indent > cur.indent && !m) {
      cur.endLine = i;
    } else if (!m && !blankBefore && (cur.afterBlank || entries.length === 0 || multiLine || format === 'latex')) {
      // A wrapped line of a paragraph entry.
      cur.endLine = i;
    } else if ((blankBefore || m) && YEARISH.test(clean) && entriesFollow(i)) {
      // An entry whose authors we cannot read, between entries we can.
      push();
      cur = { startLine: i, endLine: i, bodyStart: starts[i] + bodyOffset, indent, numbered, afterBlank: blankBefore };
    } else {
      // A list item that is not an entry (a footnote `[1] Regarding ...`), or prose: the list ends.
      break;
    }
    blankBefore = false;
  }
  push();
  return { entries, lastLine };
}

/**
 * The prose view of a document: the same text, same length, with everything that is
 * not prose blanked out (code, math, URLs, link targets, comments, front matter, markup).
 *
 * Two fillers are used: a space where the removed text separated words, and NUL where it
 * sat inside a word (`L\'opez`, `\textit{et al}`), so tokenizers can glue across it.
 * Offsets in the view are offsets in the document.
 */
import type { DocumentFormat, Range } from '../types';
import { ParagraphMemo } from '../text/memo';

export const IGNORABLE = 0;

export interface KeyCitationSyntax {
  /** `\citep[p.~3]{a,b}` or `[@a, p. 3; @b]` as a whole. */
  range: Range;
  command: string;
  keys: { key: string; range: Range }[];
  /** `\nocite{*}`. */
  all?: boolean;
  nocite?: boolean;
  /** Author-only or year-only forms (`\citeauthor`, `[-@key]`). */
  form?: 'author' | 'year' | 'narrative';
}

export interface ProseView {
  text: string;
  /** Line numbers (0-based) on which citations are to be ignored. */
  ignoredLines: Set<number>;
  /** Key citations found while masking (`\cite{}`, `[@key]`); they are blanked in `text`. */
  keyCitations: KeyCitationSyntax[];
  /** Paths named in the document as its bibliography (front matter, `\bibliography{}`). */
  bibliographies: { path: string; range: Range }[];
}

// `ignoreBOM`: a leading byte-order mark stays in the view, so offsets stay the document's.
const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });

class Mask {
  private buf: Uint16Array | undefined;
  private cached: string | undefined;
  constructor(readonly src: string) {
    this.cached = src;
  }
  /** The code units, copied from the source on the first change (a text with no code costs nothing). */
  get codes(): Uint16Array {
    if (!this.buf) {
      const b = new Uint16Array(this.src.length);
      for (let i = 0; i < this.src.length; i++) b[i] = this.src.charCodeAt(i);
      this.buf = b;
    }
    return this.buf;
  }
  blank(from: number, to: number): void {
    if (to <= from) return;
    const c = this.codes;
    this.cached = undefined;
    for (let i = Math.max(0, from); i < to && i < c.length; i++) if (c[i] !== 10 && c[i] !== 13) c[i] = 32;
  }
  hide(from: number, to: number): void {
    if (to <= from) return;
    const c = this.codes;
    this.cached = undefined;
    for (let i = Math.max(0, from); i < to && i < c.length; i++) if (c[i] !== 10 && c[i] !== 13) c[i] = IGNORABLE;
  }
  set(i: number, ch: string): void {
    if (i >= 0 && i < this.src.length) {
      this.codes[i] = ch.charCodeAt(0);
      this.cached = undefined;
    }
  }
  toString(): string {
    if (this.cached === undefined) {
      // A lone surrogate becomes U+FFFD: one code unit for one, so offsets are unchanged.
      this.cached = UTF16.decode(this.codes);
    }
    return this.cached;
  }
}

export function formatFromUri(uri: string): DocumentFormat {
  const m = /\.([A-Za-z0-9]+)$/.exec(uri.replace(/[?#].*$/, ''));
  const ext = m ? m[1].toLowerCase() : '';
  switch (ext) {
    case 'md': case 'markdown': case 'qmd': case 'rmd': case 'mdx': case 'mkd': case 'rmarkdown':
      return 'markdown';
    case 'tex': case 'ltx': case 'latex': case 'rnw': case 'snw': case 'rtex':
      return 'latex';
    case 'rst': case 'rest':
      return 'rst';
    default:
      return 'plaintext';
  }
}

const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>"'`]{1,4000}|\bwww\.[A-Za-z0-9-]{1,200}\.[^\s<>"'`]{1,4000}|\bdoi:\s?10\.\d{3,9}\/[^\s<>"'`]{1,1000}|\b10\.\d{4,9}\/[^\s<>"'`]{1,1000}/gi;
const EMAIL_RE = /[A-Za-z0-9._%+-]{1,200}@[A-Za-z0-9-]{1,200}(?:\.[A-Za-z0-9-]{1,200}){1,10}/g;

/** Blanks URLs, DOIs and e-mail addresses; keeps a closing parenthesis that is not the URL's own. */
function maskUrls(m: Mask, view: string): void {
  URL_RE.lastIndex = 0;
  for (let r = URL_RE.exec(view); r; r = URL_RE.exec(view)) {
    let end = r.index + r[0].length;
    let s = r[0];
    // Trailing punctuation and unbalanced closing brackets are not part of the URL.
    for (;;) {
      const last = s[s.length - 1];
      if (/[.,;:!?'"»”’]/.test(last)) { s = s.slice(0, -1); end--; continue; }
      if (last === ')' || last === ']' || last === '}') {
        const open = last === ')' ? '(' : last === ']' ? '[' : '{';
        if (count(s, open) < count(s, last)) { s = s.slice(0, -1); end--; continue; }
      }
      break;
    }
    m.blank(r.index, end);
  }
  EMAIL_RE.lastIndex = 0;
  for (let r = EMAIL_RE.exec(view); r; r = EMAIL_RE.exec(view)) m.blank(r.index, r.index + r[0].length);
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const IGNORE_RE = /citecheck-ignore\b/g;

function collectIgnores(src: string, commentRanges: Range[], starts: number[], out: Set<number>): void {
  for (const c of commentRanges) {
    const body = src.slice(c.start, c.end);
    IGNORE_RE.lastIndex = 0;
    if (!IGNORE_RE.test(body)) continue;
    const line = lineAt(starts, c.start);
    out.add(line);
    // A comment alone on its line covers the next line.
    const ls = starts[line];
    const le = line + 1 < starts.length ? starts[line + 1] : src.length;
    const rest = (src.slice(ls, c.start) + src.slice(c.end, le)).trim();
    if (rest === '') out.add(line + 1);
  }
}

/** What one paragraph's inline pass produced, offsets relative to the paragraph. */
interface ParagraphMask {
  text: string;
  keyCitations: KeyCitationSyntax[];
  bibliographies: { path: string; range: Range }[];
}

/** Paragraph results of earlier views of the same document (see ParagraphMemo). */
export class ProseCache {
  readonly memo = new ParagraphMemo<ParagraphMask>();
  format: DocumentFormat | undefined;
}

/** Paragraphs of a view: runs of non-blank lines. */
export function paragraphs(view: string): Range[] {
  const out: Range[] = [];
  // Blank lines (only spaces, tabs, CR or NUL) separate paragraphs.
  const blank = /(?:^|\n)[ \t\r\0]*(?=\n|$)/g;
  let pos = 0;
  for (let m = blank.exec(view); m; m = blank.exec(view)) {
    const s = m.index === 0 && view[0] !== '\n' ? 0 : m.index;
    if (s > pos) pushTrimmed(view, pos, s, out);
    pos = m.index + m[0].length;
    if (pos >= view.length) break;
    blank.lastIndex = m[0].length === 0 ? pos + 1 : pos;
  }
  if (pos < view.length) pushTrimmed(view, pos, view.length, out);
  return out;
}

function pushTrimmed(view: string, start: number, end: number, out: Range[]): void {
  let s = start;
  let e = end;
  while (s < e && view.charCodeAt(s) === 10) s++;
  while (e > s && view.charCodeAt(e - 1) === 10) e--;
  if (e > s) out.push({ start: s, end: e });
}

function shiftRange(r: Range, d: number): Range {
  return { start: r.start + d, end: r.end + d };
}

export function proseView(text: string, format: DocumentFormat, cache?: ProseCache): ProseView & { paragraphs: Range[] } {
  const view: ProseView & { paragraphs: Range[] } = { text: '', ignoredLines: new Set(), keyCitations: [], bibliographies: [], paragraphs: [] };
  const m = new Mask(text);
  const starts = lineStarts(text);
  const comments: Range[] = [];
  try {
    switch (format) {
      case 'markdown': maskMarkdownBlocks(text, m, starts, comments, view); break;
      case 'latex': maskLatexBlocks(text, m, starts, comments, view); break;
      case 'rst': maskRstBlocks(text, m, starts, comments, view); break;
      default: break;
    }
  } catch {
    // Masking is best effort; a failure leaves the rest of the text as prose.
  }
  const blocked = m.toString();
  const paras = paragraphs(blocked);
  const bodies = paras.map((p) => blocked.slice(p.start, p.end));
  let memo = cache?.memo;
  if (cache && cache.format !== format) {
    cache.format = format;
    memo = undefined;
  }
  const masks = memo ? memo.run(bodies, (b) => maskParagraph(b, format)) : bodies.map((b) => maskParagraph(b, format));
  const pieces: string[] = [];
  let pos = 0;
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i];
    const pm = masks[i];
    pieces.push(blocked.slice(pos, p.start));
    pieces.push(pm.text);
    for (const k of pm.keyCitations) {
      view.keyCitations.push({ ...k, range: shiftRange(k.range, p.start), keys: k.keys.map((x) => ({ key: x.key, range: shiftRange(x.range, p.start) })) });
    }
    for (const b of pm.bibliographies) view.bibliographies.push({ path: b.path, range: shiftRange(b.range, p.start) });
    pos = p.end;
  }
  pieces.push(blocked.slice(pos));
  view.text = pieces.join('');
  view.paragraphs = paras;
  collectIgnores(text, comments, starts, view.ignoredLines);
  return view;
}

function maskParagraph(body: string, format: DocumentFormat): ParagraphMask {
  const pv: ProseView = { text: '', ignoredLines: new Set(), keyCitations: [], bibliographies: [] };
  const pm = new Mask(body);
  try {
    switch (format) {
      case 'markdown': maskMarkdownInline(pm, pv); break;
      case 'latex': maskLatexInline(pm, pv); break;
      case 'rst': maskRstInline(pm, pv); break;
      default: maskPlain(body, pm); break;
    }
  } catch {
    // Best effort, as above.
  }
  return { text: pm.toString(), keyCitations: pv.keyCitations, bibliographies: pv.bibliographies };
}

function maskPlain(text: string, m: Mask): void {
  maskUrls(m, text);
}

// ---------------------------------------------------------------- Markdown

const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;

/** Markdown blocks that may hold blank lines: front matter, fences, HTML comments, `$$` math. */
function maskMarkdownBlocks(text: string, m: Mask, starts: number[], comments: Range[], view: ProseView): void {
  const n = starts.length;
  const lineEnd = (i: number) => (i + 1 < n ? starts[i + 1] : text.length);
  let i = 0;
  // YAML front matter.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.startsWith('---', bom) && /^---\s*$/.test(text.slice(starts[0] + bom, lineEnd(0)).replace(/\r?\n$/, ''))) {
    for (let j = 1; j < n && j < 2000; j++) {
      const l = text.slice(starts[j], lineEnd(j)).replace(/\r?\n$/, '');
      if (/^(---|\.\.\.)\s*$/.test(l)) {
        readFrontMatterBibliography(text.slice(starts[0], starts[j]), starts[0], view);
        m.blank(0, lineEnd(j));
        i = j + 1;
        break;
      }
    }
  }
  // Fenced code blocks.
  for (; i < n; i++) {
    const l = text.slice(starts[i], Math.min(lineEnd(i), starts[i] + 200));
    const f = FENCE_RE.exec(l);
    if (!f) continue;
    const ch = f[1][0];
    const len = f[1].length;
    const closeAt = (minLen: number) => {
      for (let j = i + 1; j < n; j++) {
        const lj = text.slice(starts[j], Math.min(lineEnd(j), starts[j] + 200));
        const g = FENCE_RE.exec(lj);
        if (g && g[1][0] === ch && g[1].length >= minLen && lj.trim().replace(/[`~]/g, '') === '') return j;
      }
      return n;
    };
    // A fence that is never closed by one as long (R Markdown writers open with four and close
    // with three) closes at the first bare fence.
    let j = closeAt(len);
    if (j === n && len > 3) j = closeAt(3);
    m.blank(starts[i], j < n ? lineEnd(j) : text.length);
    i = j;
  }
  let cur = m.toString();
  // HTML comments.
  for (let s = cur.indexOf('<!--'); s !== -1; s = cur.indexOf('<!--', s + 4)) {
    const e = cur.indexOf('-->', s + 4);
    const end = e === -1 ? text.length : e + 3;
    comments.push({ start: s, end });
    m.blank(s, end);
    if (e === -1) break;
    s = end - 4;
  }
  cur = m.toString();
  maskDisplayDollars(cur, m);
  maskIndentedCode(m.toString(), m);
}

const MD_LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

/**
 * CommonMark indented code: lines indented four spaces (or a tab) after a blank line, when the
 * paragraph before is not a list item (whose continuation is indented too).
 */
function maskIndentedCode(cur: string, m: Mask): void {
  const re = /^(?: {4}|\t)[ \t]*\S/gm;
  let until = -1;
  for (let r = re.exec(cur); r; r = re.exec(cur)) {
    const ls = r.index;
    if (ls < until) continue;
    // The line before must be blank, and the last non-blank line before it at indent 0, not a list item.
    const prevEnd = ls - 1;
    if (prevEnd < 0) continue;
    const prevStart = cur.lastIndexOf('\n', prevEnd - 1) + 1;
    if (cur.slice(prevStart, prevEnd).trim() !== '') continue;
    let k = prevStart - 1;
    let lastNonBlank = '';
    while (k > 0) {
      const s0 = cur.lastIndexOf('\n', k - 1) + 1;
      const line = cur.slice(s0, k);
      if (line.trim() !== '') { lastNonBlank = line; break; }
      k = s0 - 1;
    }
    if (lastNonBlank !== '' && (/^[ \t]/.test(lastNonBlank) || MD_LIST_ITEM.test(lastNonBlank))) continue;
    // Extend over indented and blank lines.
    let end = ls;
    let pos = ls;
    while (pos < cur.length) {
      const nl = cur.indexOf('\n', pos);
      const le = nl === -1 ? cur.length : nl;
      const line = cur.slice(pos, le);
      if (line.trim() === '') { pos = le + 1; continue; }
      if (!/^(?: {4}|\t)/.test(line)) break;
      end = le;
      pos = le + 1;
      if (nl === -1) break;
    }
    m.blank(ls, end);
    until = end;
  }
}

/** Markdown within one paragraph: code spans, math, citations, links, URLs, emphasis. */
function maskMarkdownInline(m: Mask, view: ProseView): void {
  let cur = m.toString();
  maskInlineCode(cur, m);
  cur = m.toString();
  maskDollarMath(cur, m);
  cur = m.toString();
  // Pandoc citations `[@key; @other, p. 3]`, `[-@key]` and narrative `@key`.
  findPandocCitations(cur, m, view);
  cur = m.toString();
  // Images, links, reference links, link definitions, autolinks, footnote marks.
  const patterns: [RegExp, (r: RegExpExecArray) => void][] = [
    [/!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)/g, (r) => m.blank(r.index, r.index + r[0].length)],
    [/!\[[^\]\n]{0,500}\]\[[^\]\n]{0,200}\]/g, (r) => m.blank(r.index, r.index + r[0].length)],
    [/^ {0,3}\[[^\]\n]{1,200}\]:[ \t]*\S[^\n]*/gm, (r) => m.blank(r.index, r.index + r[0].length)],
    [/\[\^[^\]\n]{1,100}\]/g, (r) => m.blank(r.index, r.index + r[0].length)],
    [/\[([^\[\]\n]{0,1000})\]\(([^()\s]{0,2000}(?:\([^()\s]{0,500}\)[^()\s]{0,2000})?(?:\s+"[^"\n]{0,500}")?)\)/g, (r) => {
      m.blank(r.index, r.index + 1);
      m.blank(r.index + 1 + r[1].length, r.index + r[0].length);
    }],
    [/\[([^\[\]\n]{1,1000})\]\[[^\]\n]{0,200}\]/g, (r) => {
      m.blank(r.index, r.index + 1);
      m.blank(r.index + 1 + r[1].length, r.index + r[0].length);
    }],
    [/<(?:https?|ftp|mailto):[^>\s]{1,4000}>/gi, (r) => m.blank(r.index, r.index + r[0].length)],
    [/<\/?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>\n]{0,500})?\/?>/g, (r) => m.blank(r.index, r.index + r[0].length)],
  ];
  for (const [re, f] of patterns) {
    cur = m.toString();
    re.lastIndex = 0;
    for (let r = re.exec(cur); r; r = re.exec(cur)) f(r);
  }
  cur = m.toString();
  maskUrls(m, cur);
  // Emphasis markers and escapes: `*et al.*`, `**References**`, `\_`.
  cur = m.toString();
  for (let k = 0; k < cur.length; k++) {
    const c = cur.charCodeAt(k);
    if (c === 42 /* * */) m.set(k, ' ');
    else if (c === 95 /* _ */) {
      // Runs of three or more underscores are ditto dashes or rules, not emphasis.
      let run = 1;
      while (cur.charCodeAt(k + run) === 95) run++;
      if (run >= 3) { k += run - 1; continue; }
      const prev = k > 0 ? cur.charCodeAt(k - 1) : 32;
      const next = k + 1 < cur.length ? cur.charCodeAt(k + 1) : 32;
      if (!isWordCode(prev) || !isWordCode(next)) m.set(k, ' ');
    } else if (c === 92 /* \ */ && k + 1 < cur.length && /[\\`*_{}\[\]()#+\-.!|]/.test(cur[k + 1])) m.set(k, '\0');
  }
  // Raw LaTeX citations inside Markdown (R Markdown allows them).
  cur = m.toString();
  findLatexCitations(cur, m, view);
}

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

function readFrontMatterBibliography(yaml: string, base: number, view: ProseView): void {
  const lines = yaml.split('\n');
  let off = base;
  let inList = false;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    const key = /^bibliography:\s*(.*)$/.exec(line);
    if (key) {
      const v = key[1].trim();
      if (v === '' || v === '|' || v === '>') inList = true;
      else if (v.startsWith('[')) {
        const inner = v.replace(/^\[|\]$/g, '');
        let pos = line.indexOf('[') + 1;
        for (const part of inner.split(',')) {
          const p = unquote(part.trim());
          const at = line.indexOf(p, pos);
          if (p) view.bibliographies.push({ path: p, range: { start: off + Math.max(0, at), end: off + Math.max(0, at) + p.length } });
          pos = at + p.length;
        }
      } else {
        const p = unquote(v);
        const at = line.indexOf(p);
        view.bibliographies.push({ path: p, range: { start: off + at, end: off + at + p.length } });
      }
    } else if (inList) {
      const item = /^\s+-\s+(.+)$/.exec(line);
      if (item) {
        const p = unquote(item[1].trim());
        const at = line.indexOf(p);
        view.bibliographies.push({ path: p, range: { start: off + at, end: off + at + p.length } });
      } else if (/^\S/.test(line)) inList = false;
    }
    off += raw.length + 1;
  }
}

function unquote(s: string): string {
  return s.replace(/^["']|["']$/g, '');
}

function maskInlineCode(cur: string, m: Mask): void {
  let k = 0;
  const n = cur.length;
  while (k < n) {
    const s = cur.indexOf('`', k);
    if (s === -1) return;
    let e = s;
    while (e < n && cur.charCodeAt(e) === 96) e++;
    const run = e - s;
    // Find a closing run of the same length before a blank line.
    let j = e;
    let found = -1;
    while (j < n) {
      const t = cur.indexOf('`', j);
      if (t === -1) break;
      const para = cur.indexOf('\n\n', j);
      if (para !== -1 && para < t) break;
      let u = t;
      while (u < n && cur.charCodeAt(u) === 96) u++;
      if (u - t === run) { found = u; break; }
      j = u;
    }
    if (found === -1) { k = e; continue; }
    m.blank(s, found);
    k = found;
  }
}

/** `$$ … $$` only (display math may hold blank lines). */
function maskDisplayDollars(cur: string, m: Mask): void {
  for (let s = cur.indexOf('$$'); s !== -1; s = cur.indexOf('$$', s + 2)) {
    if (s > 0 && cur.charCodeAt(s - 1) === 92) continue;
    const e = cur.indexOf('$$', s + 2);
    if (e === -1) return;
    m.blank(s, e + 2);
    s = e;
  }
}

function maskDollarMath(cur: string, m: Mask): void {
  const n = cur.length;
  let k = 0;
  while (k < n) {
    const s = cur.indexOf('$', k);
    if (s === -1) return;
    if (s > 0 && cur.charCodeAt(s - 1) === 92) { k = s + 1; continue; }
    if (cur.charCodeAt(s + 1) === 36) {
      const e = cur.indexOf('$$', s + 2);
      if (e === -1) { k = s + 2; continue; }
      m.blank(s, e + 2);
      k = e + 2;
      continue;
    }
    const next = cur.charCodeAt(s + 1);
    if (next === 32 || next === 10 || next === 9 || Number.isNaN(next)) { k = s + 1; continue; }
    // Closing `$` on the same paragraph, not followed by a digit, not preceded by a space.
    let e = s + 1;
    let found = -1;
    const limit = Math.min(n, s + 2000);
    while (e < limit) {
      const c = cur.charCodeAt(e);
      if (c === 10 && cur.charCodeAt(e + 1) === 10) break;
      if (c === 92) { e += 2; continue; }
      if (c === 36) {
        const before = cur.charCodeAt(e - 1);
        const after = cur.charCodeAt(e + 1);
        if (before !== 32 && !(after >= 48 && after <= 57)) { found = e; break; }
      }
      e++;
    }
    if (found === -1) { k = s + 1; continue; }
    m.blank(s, found + 1);
    k = found + 1;
  }
}

const PANDOC_BRACKET_RE = /\[([^\[\]\n]{0,4000})\]/g;
const PANDOC_KEY_RE = /(-?)@([A-Za-z0-9_][\w:.#$%&\-+?<>~/]*[\w]|[A-Za-z0-9_]|\{[^{}\n]{1,300}\})/g;
const NARRATIVE_KEY_RE = /(^|[\s(;,])@([A-Za-z0-9_][\w:.#$%&\-+?<>~/]*\w|[A-Za-z0-9_])/g;

function findPandocCitations(cur: string, m: Mask, view: ProseView): void {
  PANDOC_BRACKET_RE.lastIndex = 0;
  for (let r = PANDOC_BRACKET_RE.exec(cur); r; r = PANDOC_BRACKET_RE.exec(cur)) {
    const body = r[1];
    if (body.indexOf('@') === -1) continue;
    const bodyStart = r.index + 1;
    // Each `;`-separated part must hold a key preceded by a word boundary.
    const keys: { key: string; range: Range }[] = [];
    let form: KeyCitationSyntax['form'];
    PANDOC_KEY_RE.lastIndex = 0;
    for (let k = PANDOC_KEY_RE.exec(body); k; k = PANDOC_KEY_RE.exec(body)) {
      const before = k.index > 0 ? body[k.index - 1] : ' ';
      if (/[A-Za-z0-9._%+-]/.test(before) && before !== '-') continue; // e-mail address
      const key = k[2].replace(/^\{|\}$/g, '');
      const at = bodyStart + k.index + k[1].length + 1 + (k[2].startsWith('{') ? 1 : 0);
      keys.push({ key, range: { start: at, end: at + key.length } });
      if (k[1] === '-') form = 'year';
    }
    if (keys.length === 0) continue;
    view.keyCitations.push({ range: { start: r.index, end: r.index + r[0].length }, command: '[@]', keys, form });
    m.blank(r.index, r.index + r[0].length);
  }
  const after = m.toString();
  NARRATIVE_KEY_RE.lastIndex = 0;
  for (let r = NARRATIVE_KEY_RE.exec(after); r; r = NARRATIVE_KEY_RE.exec(after)) {
    const at = r.index + r[1].length + 1;
    const key = r[2];
    // `@media`, `@Override`: decorators and CSS at-rules in prose stay prose only if they look like keys.
    view.keyCitations.push({ range: { start: at - 1, end: at + key.length }, command: '@', keys: [{ key, range: { start: at, end: at + key.length } }], form: 'narrative' });
    m.blank(at - 1, at + key.length);
  }
}

// ---------------------------------------------------------------- LaTeX

const CITE_RE = /\\((?:[Pp]aren|[Tt]ext|[Aa]uto|[Ff]oot|[Ss]mart|[Ss]uper)?cite[a-zA-Z]*|[Cc]ite[a-zA-Z]*|nocite|fullcite|footfullcite)\*?((?:\s*\[[^\]\n]{0,500}\]){0,2})\s*\{([^{}]{0,4000})\}/g;

function findLatexCitations(cur: string, m: Mask, view: ProseView): void {
  CITE_RE.lastIndex = 0;
  for (let r = CITE_RE.exec(cur); r; r = CITE_RE.exec(cur)) {
    const command = r[1];
    const keysText = r[3];
    const keysStart = r.index + r[0].length - 1 - keysText.length;
    const keys: { key: string; range: Range }[] = [];
    let all = false;
    let pos = 0;
    for (const part of keysText.split(',')) {
      const lead = part.length - part.trimStart().length;
      const key = part.trim();
      const at = keysStart + pos + lead;
      pos += part.length + 1;
      if (!key) continue;
      if (key === '*') { all = true; continue; }
      keys.push({ key, range: { start: at, end: at + key.length } });
    }
    const form = /author/i.test(command) ? 'author' : /year/i.test(command) ? 'year' : /^(?:[Tt]ext)?cite[tT]?$/.test(command) && /t$/.test(command) ? 'narrative' : undefined;
    view.keyCitations.push({ range: { start: r.index, end: r.index + r[0].length }, command: '\\' + command, keys, all, nocite: command === 'nocite', form });
    m.blank(r.index, r.index + r[0].length);
  }
}

const VERBATIM_ENVS = /^(?:verbatim\*?|Verbatim\*?|lstlisting|minted|comment|Sinput|Soutput|Scode|Schunk|code|alltt|filecontents\*?|equation\*?|align\*?|alignat\*?|gather\*?|multline\*?|eqnarray\*?|displaymath|math|flalign\*?|tikzpicture|tabular\*?)$/;

const ACCENTS: Record<string, Record<string, string>> = {
  "'": { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', y: 'ý', c: 'ć', n: 'ń', s: 'ś', z: 'ź', A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú', Y: 'Ý', C: 'Ć', N: 'Ń', S: 'Ś', Z: 'Ź' },
  '`': { a: 'à', e: 'è', i: 'ì', o: 'ò', u: 'ù', A: 'À', E: 'È', I: 'Ì', O: 'Ò', U: 'Ù' },
  '^': { a: 'â', e: 'ê', i: 'î', o: 'ô', u: 'û', A: 'Â', E: 'Ê', I: 'Î', O: 'Ô', U: 'Û' },
  '"': { a: 'ä', e: 'ë', i: 'ï', o: 'ö', u: 'ü', y: 'ÿ', A: 'Ä', E: 'Ë', I: 'Ï', O: 'Ö', U: 'Ü' },
  '~': { a: 'ã', n: 'ñ', o: 'õ', A: 'Ã', N: 'Ñ', O: 'Õ' },
  c: { c: 'ç', C: 'Ç', s: 'ş', S: 'Ş' },
  v: { c: 'č', s: 'š', z: 'ž', r: 'ř', e: 'ě', n: 'ň', C: 'Č', S: 'Š', Z: 'Ž', R: 'Ř', E: 'Ě', N: 'Ň' },
  u: { a: 'ă', g: 'ğ', A: 'Ă', G: 'Ğ' },
  '=': { a: 'ā', e: 'ē', i: 'ī', o: 'ō', u: 'ū' },
  H: { o: 'ő', u: 'ű', O: 'Ő', U: 'Ű' },
  r: { a: 'å', A: 'Å' },
};
const LETTER_CMDS: Record<string, string> = { ss: 'ß', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å', ae: 'æ', AE: 'Æ', l: 'ł', L: 'Ł', i: 'ı', oe: 'œ', OE: 'Œ' };

/** Replaces `\'{e}`, `{\'e}`, `\'e`, `\ss` by the letter, padding with NUL so the word stays whole. */
function maskLatexAccents(cur: string, m: Mask): void {
  const re = /\{?\\(['`^"~=.]|[cvuHr](?=[{\s]))\s*\{?\\?([A-Za-z])\}?\}?|\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i)(?![A-Za-z])\}?/g;
  for (let r = re.exec(cur); r; r = re.exec(cur)) {
    const start = r.index;
    const end = start + r[0].length;
    let letter: string | undefined;
    if (r[1] !== undefined) letter = ACCENTS[r[1]]?.[r[2]] ?? r[2];
    else letter = LETTER_CMDS[r[3]];
    if (!letter) continue;
    // Braces must balance for the pattern to be an accent group.
    const body = r[0];
    if (count(body, '{') !== count(body, '}')) {
      if (body.startsWith('{') && !body.endsWith('}')) continue;
    }
    m.hide(start, end - 1);
    m.set(end - 1, letter);
  }
}

/** LaTeX blocks: comments, Sweave chunks, verbatim and math environments, display math. */
function maskLatexBlocks(text: string, m: Mask, starts: number[], comments: Range[], view: ProseView): void {
  const n = starts.length;
  const lineEnd = (i: number) => (i + 1 < n ? starts[i + 1] : text.length);
  // Comments: `%` not escaped, to the end of the line (one pass over the `%` signs).
  for (let k = text.indexOf('%'); k !== -1; k = text.indexOf('%', k + 1)) {
    const ls = text.lastIndexOf('\n', k - 1) + 1;
    let bs = 0;
    for (let b = k - 1; b >= ls && text.charCodeAt(b) === 92; b--) bs++;
    if (bs % 2 !== 0) continue;
    const nl = text.indexOf('\n', k);
    let end = nl === -1 ? text.length : nl;
    if (end > k && text.charCodeAt(end - 1) === 13) end--;
    comments.push({ start: k, end });
    m.blank(k, end);
    if (nl === -1) break;
    k = nl;
  }
  // Sweave/knitr chunks `<<...>>=` ... `@`.
  for (let i = 0; i < n; i++) {
    const l = text.slice(starts[i], Math.min(lineEnd(i), starts[i] + 300));
    if (!/^\s*<<.*>>=\s*$/.test(l)) continue;
    let j = i + 1;
    for (; j < n; j++) {
      const lj = text.slice(starts[j], Math.min(lineEnd(j), starts[j] + 50));
      if (/^@\s*$/.test(lj) || /^@ /.test(lj)) break;
    }
    m.blank(starts[i], j < n ? lineEnd(j) : text.length);
    i = j;
  }
  let cur = m.toString();
  // Verbatim-like and math environments.
  const envRe = /\\begin\s*\{([A-Za-z*]{1,40})\}/g;
  for (let r = envRe.exec(cur); r; r = envRe.exec(cur)) {
    const name = r[1];
    if (!VERBATIM_ENVS.test(name)) continue;
    const endTok = `\\end{${name}}`;
    const e = cur.indexOf(endTok, r.index + r[0].length);
    const end = e === -1 ? cur.length : e + endTok.length;
    m.blank(r.index, end);
    envRe.lastIndex = end;
  }
  cur = m.toString();
  // Display and inline math.
  for (const [open, close] of [['\\[', '\\]'], ['\\(', '\\)']]) {
    for (let s = cur.indexOf(open); s !== -1; s = cur.indexOf(open, s + 2)) {
      if (s > 0 && cur[s - 1] === '\\') continue;
      const e = cur.indexOf(close, s + 2);
      if (e === -1) break;
      m.blank(s, e + 2);
      s = e;
    }
  }
  cur = m.toString();
  maskDollarMath(cur, m);
}

/** LaTeX within one paragraph: commands, citations, URLs, accents, braces. */
function maskLatexInline(m: Mask, view: ProseView): void {
  let cur = m.toString();
  // \Sexpr{...}, \url{...}, \href{url}, labels, refs, graphics, inputs, packages.
  const argCmd = /\\(Sexpr|url|label|ref|eqref|pageref|autoref|cref|Cref|includegraphics|input|include|usepackage|RequirePackage|documentclass|bibliographystyle|bibliography|addbibresource|VignetteIndexEntry|VignetteEngine|VignetteDepends|VignetteKeyword|VignetteEncoding|SweaveOpts|setcounter|setlength|newcommand|renewcommand|hypersetup|doi|email|path|verb)\*?(?:\s*\[[^\]\n]{0,500}\])?\s*\{([^{}]{0,4000})\}/g;
  for (let r = argCmd.exec(cur); r; r = argCmd.exec(cur)) {
    if (r[1] === 'bibliography' || r[1] === 'addbibresource') {
      const argStart = r.index + r[0].length - 1 - r[2].length;
      let pos = 0;
      for (const part of r[2].split(',')) {
        const p = part.trim();
        const at = argStart + pos + (part.length - part.trimStart().length);
        pos += part.length + 1;
        if (p) view.bibliographies.push({ path: r[1] === 'bibliography' && !/\.bib$/i.test(p) ? p + '.bib' : p, range: { start: at, end: at + p.length } });
      }
    }
    m.blank(r.index, r.index + r[0].length);
  }
  cur = m.toString();
  const href = /\\href\s*\{([^{}]{0,4000})\}/g;
  for (let r = href.exec(cur); r; r = href.exec(cur)) m.blank(r.index, r.index + r[0].length);
  const verb = /\\verb\*?([^A-Za-z\s])[^\n]*?\1/g;
  cur = m.toString();
  for (let r = verb.exec(cur); r; r = verb.exec(cur)) m.blank(r.index, r.index + r[0].length);
  cur = m.toString();
  findLatexCitations(cur, m, view);
  cur = m.toString();
  maskUrls(m, cur);
  cur = m.toString();
  maskLatexAccents(cur, m);
  cur = m.toString();
  // `\begin{env}[opt]{arg}` and `\end{env}` are structure, not prose.
  const beginEnd = /\\(?:begin|end)\s*\{[^{}\n]{0,60}\}(?:\s*\[[^\]\n]{0,200}\])?(?:\{[^{}\n]{0,60}\}){0,3}/g;
  for (let r = beginEnd.exec(cur); r; r = beginEnd.exec(cur)) m.blank(r.index, r.index + r[0].length);
  cur = m.toString();
  // Remaining commands: formatting commands taking an argument glue (`\textit{et al}`),
  // others separate (`\noindent`). Braces glue. `~` and `\,` are spaces. `\&` is `&`.
  for (let k = 0; k < cur.length; k++) {
    const c = cur.charCodeAt(k);
    if (c === 92 /* \ */) {
      let e = k + 1;
      while (e < cur.length && /[A-Za-z@]/.test(cur[e])) e++;
      if (e === k + 1) {
        const nx = cur[k + 1];
        if (nx === '&' || nx === '%' || nx === '$' || nx === '#' || nx === '_') { m.set(k, '\0'); k++; continue; }
        m.blank(k, k + 2);
        k++;
        continue;
      }
      const glue = cur[e] === '{';
      if (glue) m.hide(k, e);
      else m.blank(k, e);
      k = e - 1;
    } else if (c === 123 || c === 125) m.set(k, '\0');
    else if (c === 126 /* ~ */) m.set(k, ' ');
  }
}

// ---------------------------------------------------------------- reStructuredText

const RST_CODE_DIRECTIVE = /^(\s*)\.\.\s+(code-block|code|sourcecode|math|highlight|literalinclude|raw|csv-table|list-table|only|toctree|include|image|bibliography)::/;
const RST_DIRECTIVE = /^(\s*)\.\.\s+[A-Za-z][\w:-]*::/;
const RST_COMMENT = /^(\s*)\.\.(?:\s|$)/;
const RST_TARGET = /^\s*\.\.\s+_[^:]*:/;

function indentOf(s: string): number {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

/** reST blocks: directives, literal blocks, comments, link targets. */
function maskRstBlocks(text: string, m: Mask, starts: number[], comments: Range[], view: ProseView): void {
  const n = starts.length;
  const lineEnd = (i: number) => (i + 1 < n ? starts[i + 1] : text.length);
  const line = (i: number) => text.slice(starts[i], lineEnd(i)).replace(/\r?\n$/, '');
  // Skip an indented block after line i whose own indent is `base`; returns the last line of the block.
  const blockEnd = (i: number, base: number): number => {
    let j = i + 1;
    let last = i;
    for (; j < n; j++) {
      const l = line(j);
      if (l.trim() === '') continue;
      if (indentOf(l) <= base) break;
      last = j;
    }
    return last;
  };
  for (let i = 0; i < n; i++) {
    const l = line(i);
    let d: RegExpExecArray | null;
    if ((d = RST_CODE_DIRECTIVE.exec(l))) {
      const end = blockEnd(i, d[1].length);
      if (d[2] === 'bibliography') {
        /* sphinxcontrib-bibtex: `.. bibliography:: refs.bib` */
        const arg = l.slice(d[0].length).trim();
        if (arg) view.bibliographies.push({ path: arg, range: { start: starts[i] + l.indexOf(arg), end: starts[i] + l.indexOf(arg) + arg.length } });
      }
      m.blank(starts[i], lineEnd(end));
      i = end;
    } else if (RST_TARGET.test(l)) {
      m.blank(starts[i], lineEnd(i));
    } else if ((d = RST_DIRECTIVE.exec(l))) {
      // Other directives (figure, note): the directive line and its options are not prose; the body is.
      m.blank(starts[i], lineEnd(i));
      let j = i + 1;
      while (j < n && /^\s+:[\w-]+:/.test(line(j))) { m.blank(starts[j], lineEnd(j)); j++; }
      i = j - 1;
    } else if ((d = RST_COMMENT.exec(l))) {
      const end = blockEnd(i, d[1].length);
      comments.push({ start: starts[i], end: starts[i] + l.length });
      m.blank(starts[i], lineEnd(end));
      i = end;
    } else if (/::\s*$/.test(l) && !/^\s*\.\./.test(l)) {
      // Literal block after `::`.
      const base = indentOf(l);
      let j = i + 1;
      while (j < n && line(j).trim() === '') j++;
      if (j < n && indentOf(line(j)) > base) {
        const end = blockEnd(j - 1, base);
        m.blank(starts[j], lineEnd(end));
        i = end;
      }
    }
  }
}

/** reST within one paragraph: literals, roles, citations, hyperlinks, URLs, emphasis. */
function maskRstInline(m: Mask, view: ProseView): void {
  let cur = m.toString();
  // Inline literals, math and roles.
  const inline: RegExp[] = [/``[^`\n][\s\S]{0,2000}?``/g, /:(?:math|ref|doc|numref|eq|file|code|samp|kbd|term|envvar|command|program|option|download|py:[a-z]+|func|class|meth|mod|attr)?:`[^`]{0,2000}`/g];
  for (const re of inline) {
    cur = m.toString();
    for (let r = re.exec(cur); r; r = re.exec(cur)) m.blank(r.index, r.index + r[0].length);
  }
  // sphinxcontrib-bibtex roles `:cite:`key``, `:cite:p:`a,b``.
  cur = m.toString();
  const citeRole = /:(cite(?::[a-z]+)?|footcite(?::[a-z]+)?):`([^`]{1,2000})`/g;
  for (let r = citeRole.exec(cur); r; r = citeRole.exec(cur)) {
    const bodyStart = r.index + r[0].length - 1 - r[2].length;
    const keys: { key: string; range: Range }[] = [];
    let pos = 0;
    for (const part of r[2].split(',')) {
      const key = part.trim();
      const at = bodyStart + pos + (part.length - part.trimStart().length);
      pos += part.length + 1;
      if (key) keys.push({ key, range: { start: at, end: at + key.length } });
    }
    view.keyCitations.push({ range: { start: r.index, end: r.index + r[0].length }, command: ':' + r[1] + ':', keys, form: /:t$/.test(r[1]) ? 'narrative' : undefined });
    m.blank(r.index, r.index + r[0].length);
  }
  // Hyperlinks: `text <url>`_ keeps the text; `name`_ references keep the name.
  cur = m.toString();
  const link = /`([^`<\n]{0,1000}?)\s*<([^>\n]{0,4000})>`__?/g;
  for (let r = link.exec(cur); r; r = link.exec(cur)) {
    m.blank(r.index, r.index + 1);
    m.blank(r.index + 1 + r[1].length, r.index + r[0].length);
  }
  cur = m.toString();
  const ref = /`([^`\n]{1,500})`__?/g;
  for (let r = ref.exec(cur); r; r = ref.exec(cur)) {
    m.blank(r.index, r.index + 1);
    m.blank(r.index + 1 + r[1].length, r.index + r[0].length);
  }
  cur = m.toString();
  // Footnote and citation references `[1]_`, `[#]_`.
  const fn = /\[[#*\w.-]{1,60}\]_/g;
  for (let r = fn.exec(cur); r; r = fn.exec(cur)) m.blank(r.index, r.index + r[0].length);
  cur = m.toString();
  maskUrls(m, cur);
  // Emphasis markers.
  cur = m.toString();
  for (let k = 0; k < cur.length; k++) if (cur.charCodeAt(k) === 42) m.set(k, ' ');
}

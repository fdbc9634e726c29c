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
import { detach } from '../text/detach';

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

/** What reads a text by ranges: a string, or a view kept in pieces (see PiecewiseView). */
export interface Sliceable {
  slice(start: number, end: number): string;
}

/** What masking finds besides the text. */
export type ViewFindings = Omit<ProseView, 'text' | 'slice'>;

export interface ProseView {
  /** The whole view (made on first use when the view is kept in pieces). */
  readonly text: string;
  /** `text.slice(start, end)`, without making the whole text. */
  slice(start: number, end: number): string;
  /** Line numbers (0-based) on which citations are to be ignored. */
  ignoredLines: Set<number>;
  /** Key citations found while masking (`\cite{}`, `[@key]`); they are blanked in `text`. */
  keyCitations: KeyCitationSyntax[];
  /** Paths named in the document as its bibliography (front matter, `\bibliography{}`). */
  bibliographies: { path: string; range: Range }[];
}

// `ignoreBOM`: a leading byte-order mark stays in the view, so offsets stay the document's.
const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });

type WellFormed = { toWellFormed(): string };
/** `String.prototype.toWellFormed` (Node 20): lone surrogates to U+FFFD, as UTF16.decode does. */
const HAS_TO_WELL_FORMED = typeof (String.prototype as unknown as Partial<WellFormed>).toWellFormed === 'function';

/**
 * A text being masked. Blanking (the common case, and all a block pass does) is kept as a list of
 * ranges and applied with string slices when the text is next read; hiding and setting single
 * characters work on a copy of the code units, made on the first such change. Either way the text
 * read back is as if every change were made on the code units and they were decoded.
 */
class Mask {
  private buf: Uint16Array | undefined;
  private cached: string | undefined;
  /** The text before the pending blanks (while there is no code unit copy). */
  private base: string;
  private pending: number[] = [];
  /** When set, every blanked or hidden range is recorded here as a `from, to` pair. */
  log: number[] | undefined;
  /**
   * `wellFormed`: the text is known to hold no lone surrogate, so blanking it makes none unless
   * a blank splits a pair (checked), and the result needs no `toWellFormed` pass over it.
   */
  constructor(readonly src: string, private wellFormed = false) {
    this.cached = src;
    this.base = src;
  }
  /** The code units, copied on the first change that needs them (a text with no change costs nothing). */
  get codes(): Uint16Array {
    if (!this.buf) {
      const s = this.pending.length ? this.applyPending() : this.base;
      const b = new Uint16Array(s.length);
      for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
      this.buf = b;
    }
    return this.buf;
  }
  blank(from: number, to: number): void {
    if (to <= from) return;
    this.log?.push(from, to);
    this.cached = undefined;
    if (!this.buf && HAS_TO_WELL_FORMED) {
      this.pending.push(from, to);
      return;
    }
    const c = this.codes;
    for (let i = Math.max(0, from); i < to && i < c.length; i++) if (c[i] !== 10 && c[i] !== 13) c[i] = 32;
  }
  hide(from: number, to: number): void {
    if (to <= from) return;
    this.log?.push(from, to);
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
      this.cached = this.buf ? UTF16.decode(this.buf) : this.applyPending();
    }
    return this.cached;
  }
  /** The base text with the pending blanks applied (spaces, keeping CR and LF), well formed. */
  private applyPending(): string {
    const s = this.base;
    const r = this.pending;
    const order: number[] = [];
    for (let k = 0; k < r.length; k += 2) order.push(k);
    order.sort((a, b) => r[a] - r[b]);
    const pieces: string[] = [];
    let pos = 0;
    let split = false;
    for (const k of order) {
      const from = Math.max(pos, r[k]);
      const to = Math.min(s.length, r[k + 1]);
      if (to <= from) continue;
      const cut = s.slice(from, to);
      pieces.push(s.slice(pos, from), cut.indexOf('\n') === -1 && cut.indexOf('\r') === -1 ? spaces(to - from) : cut.replace(/[^\n\r]/g, ' '));
      // A blank that takes one half of a surrogate pair leaves the other alone.
      if (splitsPair(s, from) || splitsPair(s, to)) split = true;
      pos = to;
    }
    pieces.push(s.slice(pos));
    this.pending = [];
    const joined = pieces.join('');
    this.base = this.wellFormed && !split ? joined : (joined as unknown as WellFormed).toWellFormed();
    this.wellFormed = true;
    return this.base;
  }
}

/** Whether position `i` of `s` falls between the two halves of a surrogate pair. */
function splitsPair(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return false;
  const a = s.charCodeAt(i - 1);
  const b = s.charCodeAt(i);
  return a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff;
}

const SPACES = ' '.repeat(256);

/** `n` spaces. */
function spaces(n: number): string {
  return n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n);
}

/**
 * A view kept as the pieces it is made of: the text between paragraphs (`gaps[i]` before
 * paragraph i, the last after the last) and each paragraph's masked text. An edit replaces one
 * piece (see reuseView), so a keystroke does not copy a 1 MB view; the whole text is made only
 * when asked for. The arrays belong to the prose cache and change with the next version: a view
 * holds while it is the latest.
 */
class PiecewiseView implements Sliceable {
  private flat: string | undefined;
  constructor(
    private readonly gaps: string[],
    private readonly masks: ParagraphMask[],
    private readonly paras: Range[],
    private readonly length: number,
    flat?: string,
  ) {
    this.flat = flat;
  }

  get text(): string {
    if (this.flat === undefined) {
      const out: string[] = [this.gaps[0]];
      for (let i = 0; i < this.paras.length; i++) out.push(this.masks[i].text, this.gaps[i + 1]);
      this.flat = out.join('');
    }
    return this.flat;
  }

  slice(start: number, end: number): string {
    if (this.flat !== undefined) return this.flat.slice(start, end);
    const s = Math.max(0, Math.min(start, this.length));
    const e = Math.max(s, Math.min(end, this.length));
    const paras = this.paras;
    // The last paragraph starting at or before s (-1: none).
    let lo = 0;
    let hi = paras.length - 1;
    let i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (paras[mid].start <= s) { i = mid; lo = mid + 1; } else hi = mid - 1;
    }
    let out = '';
    let pos = s;
    while (pos < e) {
      if (i >= 0 && pos < paras[i].end) {
        const to = Math.min(e, paras[i].end);
        out += this.masks[i].text.slice(pos - paras[i].start, to - paras[i].start);
        pos = to;
      } else {
        const gs = i >= 0 ? paras[i].end : 0;
        const ge = i + 1 < paras.length ? paras[i + 1].start : this.length;
        const to = Math.min(e, ge);
        out += this.gaps[i + 1].slice(pos - gs, to - gs);
        pos = to;
        i++;
      }
    }
    return out;
  }
}

/**
 * The view before an edit, read after the edit was made: the same as `now` before `from`, the
 * old text of the one piece that changed in `from..to`, and `now` moved by `delta` after it.
 */
class ViewBefore implements Sliceable {
  constructor(private readonly now: Sliceable, private readonly from: number, private readonly to: number, private readonly piece: string, private readonly delta: number) {}

  slice(start: number, end: number): string {
    let out = '';
    if (start < this.from) out += this.now.slice(start, Math.min(end, this.from));
    if (end > this.from && start < this.to) out += this.piece.slice(Math.max(start, this.from) - this.from, Math.min(end, this.to) - this.from);
    if (end > this.to) out += this.now.slice(Math.max(start, this.to) + this.delta, end + this.delta);
    return out;
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
  // The patterns try a match at every character, so they run only on text that holds what
  // every match must contain: `://`, `10.` (DOIs) or `www.` for URLs, `@` for e-mail addresses.
  if (view.indexOf('://') !== -1 || view.indexOf('10.') !== -1 || hasWww(view)) maskUrlMatches(m, view);
  if (view.indexOf('@') === -1) return;
  EMAIL_RE.lastIndex = 0;
  for (let r = EMAIL_RE.exec(view); r; r = EMAIL_RE.exec(view)) m.blank(r.index, r.index + r[0].length);
}

/** Does `www.` occur, in any case (URL_RE is case-insensitive)? */
function hasWww(s: string): boolean {
  for (let k = s.indexOf('.', 3); k !== -1; k = s.indexOf('.', k + 1)) {
    if ((s.charCodeAt(k - 1) | 32) === 119 && (s.charCodeAt(k - 2) | 32) === 119 && (s.charCodeAt(k - 3) | 32) === 119) return true;
  }
  return false;
}

function maskUrlMatches(m: Mask, view: string): void {
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
const IGNORE_ONE_RE = /citecheck-ignore\b/;

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
  /** The last view and how it was made, for an edit within one line (see reuseView). */
  last: ViewState | undefined;
  /** How the last view differs from the one before it, when it was made by reuseView. */
  get edit(): ViewEdit | undefined {
    return this.last?.edit;
  }
}

/**
 * An edit within one line that reuseView took: the text before `lineStart` is the same, the text
 * after `lineEnd` (offsets before the edit) moved by `delta`, and so did the view, but for the one
 * paragraph masked again. `unchanged` when the text is the same.
 */
export interface ViewEdit {
  /** The text before the edit. */
  before: string;
  unchanged: boolean;
  /** The characters replaced: `start..oldEnd` before the edit (within the line). */
  start: number;
  oldEnd: number;
  lineStart: number;
  lineEnd: number;
  delta: number;
  /** The paragraph masked again (its index and range before the edit), when the line is in one. */
  paragraph?: { index: number; start: number; end: number };
  /** The view before the edit (readable after it). */
  viewBefore?: Sliceable;
}

/** What proseView keeps of a version to redo only the paragraph an edit falls in. */
interface ViewState {
  text: string;
  format: DocumentFormat;
  /** The text the block pass left in each paragraph (outside paragraphs it is the view's). */
  bodies: string[];
  /** The view between paragraphs (see PiecewiseView). */
  gaps: string[];
  /** Ranges the block pass blanked, as `from, to` pairs. */
  blanks: number[];
  comments: Range[];
  /** Edits before this offset may change front matter: the block pass is redone. */
  frontMatterEnd: number;
  masks: ParagraphMask[];
  view: ProseView & { paragraphs: Range[] };
  edit?: ViewEdit;
}

/**
 * Paragraphs of a view: runs of non-blank lines (blank: only spaces, tabs, CR or NUL).
 *
 * One pass over the line breaks. It keeps the exact boundaries of the pattern it replaced,
 * `/(?:^|\n)[ \t\r\0]*(?=\n|$)/g` (pieces between its matches, trimmed of `\n`), quirk included:
 * when the view starts with `\n`, the empty match at 0 moves the search past that `\n`, so the
 * line after it never counts as blank.
 */
export function paragraphs(view: string, listItems = false): Range[] {
  const out: Range[] = [];
  if (listItems) {
    for (const p of paragraphs(view, false)) splitListItems(view, p, out);
    return out;
  }
  const n = view.length;
  let pos = 0;
  let from = 0;
  const first = blankLineEnd(view, 0);
  if (first !== -1) {
    pos = first;
    if (pos >= n) return out;
    from = first === 0 ? 1 : first;
  }
  for (let k = view.indexOf('\n', from); k !== -1; k = view.indexOf('\n', k + 1)) {
    const e = blankLineEnd(view, k + 1);
    if (e === -1) continue;
    if (k > pos) pushTrimmed(view, pos, k, out);
    pos = e;
    if (pos >= n) break;
    k = e - 1;
  }
  if (pos < n) pushTrimmed(view, pos, n, out);
  return out;
}

/**
 * A Markdown list written as consecutive lines is one paragraph of the view, but each item is its
 * own block: an inline span (code, emphasis, a link) never runs from one item into the next. A
 * paragraph whose first line is a list item is cut before each line that starts an item, so an
 * edit in one entry of a long list re-reads that entry only. (Whether a line starts an item is
 * part of reuseView's blockSignature, so an edit that keeps it keeps the cut.)
 */
function splitListItems(view: string, p: Range, out: Range[]): void {
  if (!isListItemAt(view, p.start, p.end)) {
    out.push(p);
    return;
  }
  let from = p.start;
  for (let k = view.indexOf('\n', p.start); k !== -1 && k < p.end; k = view.indexOf('\n', k + 1)) {
    if (isListItemAt(view, k + 1, p.end)) {
      pushTrimmed(view, from, k, out);
      from = k + 1;
    }
  }
  pushTrimmed(view, from, p.end, out);
}

/** Does the line at `ls` (ending by `limit`) start a Markdown list item (MD_LIST_ITEM)? */
function isListItemAt(view: string, ls: number, limit: number): boolean {
  let le = view.indexOf('\n', ls);
  if (le === -1 || le > limit) le = limit;
  // The longest marker is 3 spaces, 9 digits and `.`; one more character decides.
  return MD_LIST_ITEM.test(view.slice(ls, Math.min(le, ls + 16)));
}

/** If the line from `p` holds only spaces, tabs, CR or NUL, where it ends (its `\n` or the end); else -1. */
function blankLineEnd(view: string, p: number): number {
  const n = view.length;
  let k = p;
  for (; k < n; k++) {
    const c = view.charCodeAt(k);
    if (c === 10) return k;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0) return -1;
  }
  return k;
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

/**
 * Where `text` differs from the text of the cache's last view, when the caller knows (an editor
 * sends its changes): the text before `start` is the same, `oldEnd..` of the old text is `newEnd..`
 * of the new one. The change itself may be smaller. Without it the two texts are compared.
 */
export interface ChangeHint {
  start: number;
  oldEnd: number;
  newEnd: number;
}

export function proseView(text: string, format: DocumentFormat, cache?: ProseCache, hint?: ChangeHint): ProseView & { paragraphs: Range[] } {
  if (cache?.last && cache.last.format === format && cache.format === format) {
    const reused = reuseView(cache.last, text, hint);
    if (reused) return reused.view;
  }
  if (cache) cache.last = undefined;
  const found: ViewFindings = { ignoredLines: new Set(), keyCitations: [], bibliographies: [] };
  // Known well formed, the text's blanked copies need no pass to make them so.
  const wellFormed = HAS_TO_WELL_FORMED && (text as unknown as { isWellFormed(): boolean }).isWellFormed();
  const m = new Mask(text, wellFormed);
  m.log = [];
  const starts = lineStarts(text);
  const comments: Range[] = [];
  let complete = true;
  try {
    switch (format) {
      case 'markdown': maskMarkdownBlocks(text, m, starts, comments, found); break;
      case 'latex': maskLatexBlocks(text, m, starts, comments, found); break;
      case 'rst': maskRstBlocks(text, m, starts, comments, found); break;
      default: break;
    }
  } catch {
    // Masking is best effort; a failure leaves the rest of the text as prose.
    complete = false;
  }
  const blocked = m.toString();
  // Blanked, it was made well formed; otherwise it is the text.
  const blockedWellFormed = wellFormed || blocked !== text;
  const paras = paragraphs(blocked, format === 'markdown');
  const bodies = paras.map((p) => blocked.slice(p.start, p.end));
  let memo = cache?.memo;
  if (cache && cache.format !== format) {
    cache.format = format;
    memo = undefined;
  }
  const masks = memo ? memo.run(bodies, (b) => maskParagraph(b, format, blockedWellFormed)) : bodies.map((b) => maskParagraph(b, format, blockedWellFormed));
  const pieces: string[] = [];
  const gaps: string[] = [];
  let pos = 0;
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i];
    const pm = masks[i];
    gaps.push(blocked.slice(pos, p.start));
    pieces.push(gaps[i]);
    pieces.push(pm.text);
    for (const k of pm.keyCitations) {
      found.keyCitations.push({ ...k, range: shiftRange(k.range, p.start), keys: k.keys.map((x) => ({ key: x.key, range: shiftRange(x.range, p.start) })) });
    }
    for (const b of pm.bibliographies) found.bibliographies.push({ path: b.path, range: shiftRange(b.range, p.start) });
    pos = p.end;
  }
  gaps.push(blocked.slice(pos));
  pieces.push(gaps[gaps.length - 1]);
  const view = makeView(found, new PiecewiseView(gaps, masks, paras, text.length, pieces.join('')), paras);
  collectIgnores(text, comments, starts, view.ignoredLines);
  if (cache && complete && (format === 'markdown' || format === 'plaintext' || format === 'latex')) {
    const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    // When the text starts with `---`, front matter is looked for in the first 2000 lines; once
    // found, it was blanked first, from 0 to the end of its closing line (nothing else can
    // blank from 0 in a text starting with `---`), and the lines after it do not matter.
    let frontMatterEnd = 0;
    if (text.startsWith('---', bom)) frontMatterEnd = m.log[0] === 0 ? m.log[1] : starts.length > 2001 ? starts[2001] : text.length;
    cache.last = { text, format, bodies, gaps, blanks: m.log, comments, frontMatterEnd, masks, view };
  }
  return view;
}

/** A ProseView reading its text from `pieces`. */
function makeView(found: ViewFindings, pieces: PiecewiseView, paragraphs: Range[]): ProseView & { paragraphs: Range[] } {
  return {
    get text() {
      return pieces.text;
    },
    slice: (start: number, end: number) => pieces.slice(start, end),
    ignoredLines: found.ignoredLines,
    keyCitations: found.keyCitations,
    bibliographies: found.bibliographies,
    paragraphs,
  };
}

/** Length of the common prefix of a and b, compared a block at a time. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  return i;
}

/** Length of the common suffix of a and b, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(a.length - i - step, a.length - i) === b.slice(b.length - i - step, b.length - i)) i += step;
  }
  return i;
}

const LINE_BREAK_RE = /[\n\r\u2028\u2029]/;
const INDENTED_RE = /^(?: {4}|\t)/;
const INDENTED_CODE_RE = /^(?: {4}|\t)[ \t]*\S/;

/**
 * What the Markdown block pass reads of a line (the line alone; it has no CR, U+2028, U+2029):
 * fence, comment and `$$` markers, and what the indented-code rule tests. Equal signatures of a
 * line before and after an edit leave every block where it was.
 */
function blockSignature(line: string, format: DocumentFormat): string | undefined {
  if (format === 'latex') {
    // The LaTeX block pass pairs `%`, `$`, `\[ \]`, `\( \)`, `\begin`/`\end` and Sweave chunks
    // across the text: a line with none of them, before and after, leaves every block alone.
    return LATEX_BLOCK_MARK_RE.test(line) || /^\s*@/.test(line) ? undefined : '';
  }
  if (format !== 'markdown') return '';
  // `$$` pairs are matched across the whole text (a `$` alone is inline math, masked per paragraph).
  if (line.indexOf('$$') !== -1) return undefined;
  if (/^ {0,3}(?:`{3}|~{3})/.test(line)) return undefined;
  // Comments pair their markers in order: the same markers on the line (and an edit outside every
  // comment, see reuseView) leave every comment where it was.
  const markers = line.indexOf('<!--') !== -1 || line.indexOf('-->') !== -1 ? `${count(line, '<!--')}/${count(line, '-->')}` : '';
  return [line.trim() === '', INDENTED_RE.test(line), INDENTED_CODE_RE.test(line), /^[ \t]/.test(line), MD_LIST_ITEM.test(line), markers].join();
}

/**
 * `line` with the `from, to` pairs of `parts` (offsets in the line before an edit at `cut`)
 * blanked as the block pass blanks (spaces, keeping CR); the parts from `cut` on are `delta` later,
 * and the part at index `grow` (one holding the edit) ends `delta` later.
 */
function blankParts(line: string, parts: number[], delta: number, cut: number, grow: number): string {
  let out = '';
  let pos = 0;
  for (let k = 0; k < parts.length; k += 2) {
    const d = parts[k] >= cut && k !== grow ? delta : 0;
    const from = Math.max(pos, parts[k] + d);
    const to = Math.min(line.length, parts[k + 1] + (k === grow ? delta : d));
    if (to <= from) continue;
    out += line.slice(pos, from) + line.slice(from, to).replace(/[^\n\r]/g, ' ');
    pos = to;
  }
  return out + line.slice(pos);
}

const LATEX_BLOCK_MARK_RE = /[%$]|\\[[\]()]|\\begin|\\end|<<|>>=/;

/** Does the line hold only spaces, tabs, CR or NUL (a paragraph break)? */
function isParagraphBreak(line: string): boolean {
  return blankLineEnd(line, 0) === line.length;
}

/**
 * The view of `text` made from the last one when they differ within one line and the change
 * leaves the block structure alone (no fence, comment or `$$` marker, the same blank and indent
 * tests, not in front matter): the block pass is not redone, only the paragraph holding the line
 * is masked again, and everything after it moves by the change in length. Undefined otherwise.
 */
function reuseView(last: ViewState, text: string, hint?: ChangeHint): ViewState | undefined {
  const old = last.text;
  if (old === text) {
    last.edit = { before: old, unchanged: true, start: 0, oldEnd: 0, lineStart: 0, lineEnd: 0, delta: 0 };
    return last;
  }
  const known = hint && hint.start >= 0 && hint.start <= hint.oldEnd && hint.start <= hint.newEnd && hint.oldEnd <= old.length && hint.newEnd <= text.length && old.length - hint.oldEnd === text.length - hint.newEnd;
  const pre = known ? hint.start : commonPrefix(old, text);
  const suf = known ? old.length - hint.oldEnd : commonSuffix(old, text, Math.min(old.length, text.length) - pre);
  const removedEnd = old.length - suf;
  const insertedEnd = text.length - suf;
  if (LINE_BREAK_RE.test(old.slice(pre, removedEnd)) || LINE_BREAK_RE.test(text.slice(pre, insertedEnd))) return undefined;
  const ls = old.lastIndexOf('\n', pre - 1) + 1;
  if (ls === 0 || ls < last.frontMatterEnd) return undefined;
  let le = old.indexOf('\n', removedEnd);
  if (le === -1) le = old.length;
  const delta = text.length - old.length;
  const oldLine = old.slice(ls, le);
  const newLine = text.slice(ls, le + delta);
  if (oldLine === '' || newLine === '' || LINE_BREAK_RE.test(oldLine) || LINE_BREAK_RE.test(newLine)) return undefined;
  const sig = blockSignature(oldLine, last.format);
  if (sig === undefined || sig !== blockSignature(newLine, last.format)) return undefined;
  // Does [a, b) hold the edit's characters (or, for an insertion, the point between two of its own)?
  // A range running to the end of the text (a comment or fence never closed) also holds what is
  // typed at its end.
  // (A text ending in `-->` may end in a closed comment: typed there, the block pass is redone.)
  if (pre === old.length && old.endsWith('-->')) return undefined;
  const atEnd = (a: number, b: number) => pre === old.length && b === old.length && a < pre;
  const holdsEdit = (a: number, b: number) => (pre < removedEnd ? a < removedEnd && b > pre : a < pre && b > pre) || atEnd(a, b);
  // An edit inside a comment (its markers kept: see blockSignature) changes only what the comment
  // says, which is blanked; unless it adds or removes a `citecheck-ignore`, which is read anew.
  let inComment: Range | undefined;
  for (const c of last.comments) {
    if (!holdsEdit(c.start, c.end)) continue;
    if (inComment || IGNORE_ONE_RE.test(old.slice(c.start, c.end)) || IGNORE_ONE_RE.test(text.slice(c.start, c.end + delta))) return undefined;
    inComment = c;
  }
  // Inside a block (whole lines: its markers are on other lines) the line is blanked; a comment
  // on the line (the edit outside it) is blanked where it is; the rest of the line is kept.
  let blanked = false;
  const parts: number[] = [];
  /** The part (index in parts) that holds the edit, or -1. */
  let grow = -1;
  for (let k = 0; k < last.blanks.length; k += 2) {
    const b0 = last.blanks[k];
    const b1 = last.blanks[k + 1];
    if (b1 <= ls || b0 >= le) continue;
    if (b0 <= ls && b1 >= le) { blanked = true; continue; }
    if (holdsEdit(b0, b1)) {
      // Only the comment the edit is in may hold it; it grows (or shrinks) with the edit.
      if (!inComment || b0 !== inComment.start || b1 !== inComment.end) return undefined;
      grow = parts.length;
    }
    parts.push(Math.max(b0, ls) - ls, Math.min(b1, le) - ls);
  }
  const prev = last.view;
  // The paragraph holding the line, if any.
  const paras = prev.paragraphs;
  let lo = 0;
  let hi = paras.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (paras[mid].start <= ls) lo = mid;
    else hi = mid - 1;
  }
  const at = paras.length > 0 && paras[lo].start <= ls && paras[lo].end >= le ? lo : -1;
  // The line as the block pass left it: in a paragraph's text, or outside paragraphs in the view.
  const oldBlockedLine = at === -1 ? prev.slice(ls, le) : last.bodies[at].slice(ls - paras[at].start, le - paras[at].start);
  // A LaTeX line inside a block (math across lines, verbatim) may change how it pairs (a `\` typed
  // before a line end): the block pass is redone.
  if (last.format === 'latex' && (blanked || parts.length)) return undefined;
  let newBlockedLine = blanked ? ' '.repeat(newLine.length) : newLine;
  if (!blanked && parts.length) {
    // The parts after the edit moved with it. Made the same way, the old line must be what the
    // block pass left; if not, the block pass is redone.
    const cut = pre - ls;
    if (blankParts(oldLine, parts, 0, cut, -1) !== oldBlockedLine) return undefined;
    newBlockedLine = blankParts(newLine, parts, delta, cut, grow);
  }
  if (isParagraphBreak(oldBlockedLine) !== isParagraphBreak(newBlockedLine)) return undefined;
  // (A line outside every paragraph is a break; were it not, the paragraphs would be redone.)
  if (at === -1 && !isParagraphBreak(newBlockedLine)) return undefined;

  // The last state is replaced by this one: its arrays are changed in place (a copy of each per
  // keystroke was most of what an edit allocated).
  // A range before the edit stays, one after it moves; one holding it (only a block around the
  // whole line can, see holdsEdit) grows at its end.
  const stays = (a: number, b: number) => b <= pre && !atEnd(a, b);
  const shift = (r: Range) => (stays(r.start, r.end) || !delta ? r : r.start >= removedEnd ? { start: r.start + delta, end: r.end + delta } : { start: r.start, end: r.end + delta });
  const blanks = last.blanks;
  if (delta) {
    for (let k = 0; k < blanks.length; k += 2) {
      if (stays(blanks[k], blanks[k + 1])) continue;
      if (blanks[k] >= removedEnd) blanks[k] += delta;
      blanks[k + 1] += delta;
    }
  }
  const comments = last.comments.map(shift);
  const found: ViewFindings = { ignoredLines: prev.ignoredLines, keyCitations: [], bibliographies: [] };
  const masks = last.masks;
  const bodies = last.bodies;
  const gaps = last.gaps;
  let from: number;
  let to: number;
  /** The view of from..to before the edit. */
  let piece: string;
  if (at === -1) {
    from = ls;
    to = le;
    piece = oldBlockedLine;
    // The line is in the gap before the first paragraph starting after it.
    const g = paras.length > 0 && paras[lo].start <= ls ? lo + 1 : 0;
    const gs = g === 0 ? 0 : paras[g - 1].end;
    // Copies, not slices: a slice of this version's text would keep the whole text alive.
    gaps[g] = detach(gaps[g].slice(0, ls - gs) + newBlockedLine + gaps[g].slice(le - gs));
    // The old view is not used again: its paragraph ranges are moved in place.
    if (delta) {
      for (let i = lo; i < paras.length; i++) {
        const r = paras[i];
        if (r.start >= le) { r.start += delta; r.end += delta; }
      }
    }
  } else {
    const p = paras[at];
    from = p.start;
    to = p.end;
    piece = masks[at].text;
    const was = bodies[at];
    const body = detach(was.slice(0, ls - p.start) + newBlockedLine + was.slice(le - p.start));
    const pm = maskParagraph(body, last.format);
    masks[at] = pm;
    bodies[at] = body;
    // The old view is not used again: its paragraph ranges are moved in place.
    if (delta) {
      p.end += delta;
      for (let i = at + 1; i < paras.length; i++) { const r = paras[i]; r.start += delta; r.end += delta; }
    }
    for (const k of pm.keyCitations) {
      found.keyCitations.push({ ...k, range: shiftRange(k.range, p.start), keys: k.keys.map((x) => ({ key: x.key, range: shiftRange(x.range, p.start) })) });
    }
    for (const b of pm.bibliographies) found.bibliographies.push({ path: b.path, range: shiftRange(b.range, p.start) });
  }
  // Results before the paragraph stay, those after it move; the paragraph's own were replaced.
  const before = <T extends { range: Range }>(xs: T[]) => xs.filter((x) => x.range.start < from);
  const keyCitations = before(prev.keyCitations);
  keyCitations.push(...found.keyCitations);
  for (const k of prev.keyCitations) {
    if (k.range.start >= to) keyCitations.push({ ...k, range: shiftRange(k.range, delta), keys: k.keys.map((x) => ({ key: x.key, range: shiftRange(x.range, delta) })) });
  }
  const bibliographies = before(prev.bibliographies);
  bibliographies.push(...found.bibliographies);
  for (const b of prev.bibliographies) if (b.range.start >= to) bibliographies.push({ path: b.path, range: shiftRange(b.range, delta) });
  found.keyCitations = keyCitations;
  found.bibliographies = bibliographies;
  const view = makeView(found, new PiecewiseView(gaps, masks, paras, text.length), paras);
  const edit: ViewEdit = {
    before: old, unchanged: false, start: pre, oldEnd: removedEnd, lineStart: ls, lineEnd: le, delta,
    paragraph: at === -1 ? undefined : { index: at, start: from, end: to },
    viewBefore: new ViewBefore(view, from, to, piece, delta),
  };
  const next: ViewState = { text, format: last.format, bodies, gaps, blanks, comments, frontMatterEnd: last.frontMatterEnd, masks, view, edit };
  Object.assign(last, next);
  return last;
}

/** `wellFormed`: the body holds no lone surrogate (see Mask). */
function maskParagraph(body: string, format: DocumentFormat, wellFormed = false): ParagraphMask {
  const pv: ViewFindings = { ignoredLines: new Set(), keyCitations: [], bibliographies: [] };
  const pm = new Mask(body, wellFormed);
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

/**
 * Could FENCE_RE match the line starting at `s`? Up to three spaces, then three backticks or
 * tildes; most lines fail at the first character, without being sliced.
 */
function mayBeFence(text: string, s: number): boolean {
  let k = s;
  while (k < s + 3 && text.charCodeAt(k) === 32) k++;
  const c = text.charCodeAt(k);
  return (c === 96 || c === 126) && text.charCodeAt(k + 1) === c && text.charCodeAt(k + 2) === c;
}

/** Markdown blocks that may hold blank lines: front matter, fences, HTML comments, `$$` math. */
function maskMarkdownBlocks(text: string, m: Mask, starts: number[], comments: Range[], view: ViewFindings): void {
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
    if (!mayBeFence(text, starts[i])) continue;
    const l = text.slice(starts[i], Math.min(lineEnd(i), starts[i] + 200));
    const f = FENCE_RE.exec(l);
    if (!f) continue;
    const ch = f[1][0];
    const len = f[1].length;
    const closeAt = (minLen: number) => {
      for (let j = i + 1; j < n; j++) {
        if (!mayBeFence(text, starts[j])) continue;
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
  let until = -1;
  const breaks = new LineBreaks(cur);
  for (let ls = nextIndentedLine(cur, 0, breaks); ls !== -1; ls = nextIndentedLine(cur, ls + 1, breaks)) {
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

type InlineAction = 'whole' | 'keepText';

/**
 * Images, links, reference links, link definitions, autolinks, footnote marks, HTML tags, each
 * with a string every match contains: a paragraph without it is not scanned (most are not).
 * `whole` blanks the match; `keepText` keeps the link text (group 1) and blanks the rest.
 */
const MD_INLINE_PATTERNS: [RegExp, string, InlineAction][] = [
  [/!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)/g, '![', 'whole'],
  [/!\[[^\]\n]{0,500}\]\[[^\]\n]{0,200}\]/g, '![', 'whole'],
  // Link reference definitions, not footnotes (`[^1]: See Jones (2012).` is prose).
  [/^ {0,3}\[(?!\^)[^\]\n]{1,200}\]:[ \t]*\S[^\n]*/gm, ']:', 'whole'],
  [/\[\^[^\]\n]{1,100}\]/g, '[^', 'whole'],
  [/\[([^\[\]\n]{0,1000})\]\(([^()\s]{0,2000}(?:\([^()\s]{0,500}\)[^()\s]{0,2000})?(?:\s+"[^"\n]{0,500}")?)\)/g, '](', 'keepText'],
  [/\[([^\[\]\n]{1,1000})\]\[[^\]\n]{0,200}\]/g, '][', 'keepText'],
  [/<(?:https?|ftp|mailto):[^>\s]{1,4000}>/gi, '<', 'whole'],
  [/<\/?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>\n]{0,500})?\/?>/g, '<', 'whole'],
];

/**
 * The next line start at or after `from` where `/^(?: {4}|\t)[ \t]*\S/m` matches: four spaces or a
 * tab, then spaces or tabs, then a character that is not white space. Like `^` with the `m` flag,
 * a line starts after any of `\n`, `\r`, U+2028 and U+2029. A loop over line breaks, not a
 * pattern tried at every character.
 */
function nextIndentedLine(cur: string, from: number, breaks: LineBreaks): number {
  const n = cur.length;
  let k = from;
  while (k < n) {
    if (k === 0 || isLineTerminator(cur.charCodeAt(k - 1))) {
      let p = -1;
      if (cur.charCodeAt(k) === 9) p = k + 1;
      else if (cur.charCodeAt(k) === 32 && cur.charCodeAt(k + 1) === 32 && cur.charCodeAt(k + 2) === 32 && cur.charCodeAt(k + 3) === 32) p = k + 4;
      if (p !== -1) {
        while (p < n && (cur.charCodeAt(p) === 32 || cur.charCodeAt(p) === 9)) p++;
        if (p < n && !isJsWhiteSpace(cur.charCodeAt(p))) return k;
      }
    }
    const t = breaks.next(k);
    k = t === -1 ? n : t + 1;
  }
  return -1;
}

/**
 * The line terminators of `^` with the `m` flag (`\n`, `\r`, U+2028, U+2029) in one string, for
 * queries at increasing positions: each kind is searched with indexOf, so the string is read once.
 */
class LineBreaks {
  private readonly at: number[];
  private static readonly CHARS = ['\n', '\r', '\u2028', '\u2029'];
  constructor(private readonly s: string) {
    this.at = LineBreaks.CHARS.map(() => -2);
  }
  /** The first terminator at or after `k` (k never decreases between calls), or -1. */
  next(k: number): number {
    let best = -1;
    for (let c = 0; c < 4; c++) {
      let a = this.at[c];
      if (a !== -1 && a < k) a = this.at[c] = this.s.indexOf(LineBreaks.CHARS[c], k);
      if (a !== -1 && (best === -1 || a < best)) best = a;
    }
    return best;
  }
}

function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** `\s` in a JavaScript pattern. */
function isJsWhiteSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Markdown within one paragraph: code spans, math, citations, links, URLs, emphasis. */
function maskMarkdownInline(m: Mask, view: ViewFindings): void {
  // Each step reads the text as the steps before left it; a step whose trigger character is
  // absent would find nothing, so it is skipped.
  let cur = m.toString();
  maskInlineCode(cur, m);
  cur = m.toString();
  maskDollarMath(cur, m);
  cur = m.toString();
  // Pandoc citations `[@key; @other, p. 3]`, `[-@key]` and narrative `@key`.
  if (cur.indexOf('@') !== -1) findPandocCitations(cur, m, view);
  for (const [re, needle, action] of MD_INLINE_PATTERNS) {
    cur = m.toString();
    if (cur.indexOf(needle) === -1) continue;
    re.lastIndex = 0;
    for (let r = re.exec(cur); r; r = re.exec(cur)) {
      if (action === 'whole') m.blank(r.index, r.index + r[0].length);
      else {
        m.blank(r.index, r.index + 1);
        m.blank(r.index + 1 + r[1].length, r.index + r[0].length);
      }
    }
  }
  cur = m.toString();
  maskUrls(m, cur);
  // Emphasis markers and escapes: `*et al.*`, `**References**`, `\_`. Each decision reads `cur`,
  // which these loops do not change, so the three characters are handled one after another.
  cur = m.toString();
  // Blanked as ranges (a run of asterisks at once), not set one by one: setting a character makes
  // a code-unit copy of the paragraph and a decode, and most paragraphs then need nothing else.
  for (let k = cur.indexOf('*'); k !== -1; k = cur.indexOf('*', k + 1)) {
    let run = 1;
    while (cur.charCodeAt(k + run) === 42) run++;
    m.blank(k, k + run);
    k += run - 1;
  }
  for (let k = cur.indexOf('_'); k !== -1; k = cur.indexOf('_', k + 1)) {
    // Runs of three or more underscores are ditto dashes or rules, not emphasis.
    let run = 1;
    while (cur.charCodeAt(k + run) === 95) run++;
    if (run >= 3) { k += run - 1; continue; }
    const prev = k > 0 ? cur.charCodeAt(k - 1) : 32;
    const next = k + 1 < cur.length ? cur.charCodeAt(k + 1) : 32;
    if (!isWordCode(prev) || !isWordCode(next)) m.blank(k, k + 1);
  }
  for (let k = cur.indexOf('\\'); k !== -1; k = cur.indexOf('\\', k + 1)) {
    if (k + 1 < cur.length && MD_ESCAPABLE[cur.charCodeAt(k + 1)] === 1) m.set(k, '\0');
  }
  // Raw LaTeX citations inside Markdown (R Markdown allows them); every command starts with `\`.
  cur = m.toString();
  if (cur.indexOf('\\') !== -1) findLatexCitations(cur, m, view);
}

/** Characters a Markdown backslash escapes: ``\`*_{}[]()#+-.!|``. */
const MD_ESCAPABLE = new Uint8Array(128);
for (const ch of '\\`*_{}[]()#+-.!|') MD_ESCAPABLE[ch.charCodeAt(0)] = 1;

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

function readFrontMatterBibliography(yaml: string, base: number, view: ViewFindings): void {
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

function findPandocCitations(cur: string, m: Mask, view: ViewFindings): void {
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

function findLatexCitations(cur: string, m: Mask, view: ViewFindings): void {
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

const VERBATIM_ENVS = /^(?:verbatim\*?|Verbatim\*?|lstlisting|minted|comment|Sinput|Soutput|Scode|Schunk|code|alltt|filecontents\*?|equation\*?|align\*?|alignat\*?|gather\*?|multline\*?|eqnarray\*?|displaymath|math|flalign\*?|tikzpicture)$/;
/** Tables: their cells are prose (`SPI & McKee et al. (1993) \\\\`), their column specs and `&` are not. */
const TABULAR_ENVS = /^(?:tabular\*?|tabularx|tabulary|longtable)$/;

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
function maskLatexBlocks(text: string, m: Mask, starts: number[], comments: Range[], view: ViewFindings): void {
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
  // Sweave/knitr chunks `<<...>>=` ... `@` (none without a `<<`).
  for (let i = text.indexOf('<<') === -1 ? n : 0; i < n; i++) {
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
    if (TABULAR_ENVS.test(name)) {
      const endTok = `\\end{${name}}`;
      const e = cur.indexOf(endTok, r.index + r[0].length);
      maskTabular(cur, m, r.index, r.index + r[0].length, e === -1 ? cur.length : e);
      continue;
    }
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

/**
 * A table from its `\begin` (at `begin`, its name ending at `after`) to its `\end` (at `end`): the
 * width and column spec arguments are blanked, and each column separator `&` (not `\&`) becomes
 * `|`, which no name runs across.
 */
function maskTabular(cur: string, m: Mask, begin: number, after: number, end: number): void {
  let k = after;
  for (let groups = 0; groups < 3; groups++) {
    let j = k;
    while (j < end && /\s/.test(cur[j])) j++;
    const open = cur[j];
    if (open !== '{' && open !== '[') break;
    const close = open === '{' ? '}' : ']';
    let depth = 0;
    for (; j < end; j++) {
      if (cur[j] === open) depth++;
      else if (cur[j] === close && --depth === 0) break;
    }
    if (j >= end) break;
    k = j + 1;
  }
  m.blank(begin, k);
  for (let a = cur.indexOf('&', k); a !== -1 && a < end; a = cur.indexOf('&', a + 1)) {
    if (cur.charCodeAt(a - 1) !== 92) m.set(a, '|');
  }
}

/** LaTeX within one paragraph: commands, citations, URLs, accents, braces. */
function maskLatexInline(m: Mask, view: ViewFindings): void {
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
  // `\item[]` (a list without labels, as reference lists are typed) and TeX dimensions
  // (`\hangindent=0.5in`, `\hspace{1em}`) are layout, not prose.
  const layout = /\\item\s*\[\s*\]|\\(?:hangindent|hangafter|parindent|leftskip|rightskip|parskip|hskip|vskip|hspace\*?|vspace\*?)\s*(?:=\s*)?(?:\{[^{}\n]{0,40}\}|-?[\d.]+\s*(?:in|cm|mm|pt|em|ex|bp|pc|sp)?)/g;
  for (let r = layout.exec(cur); r; r = layout.exec(cur)) m.blank(r.index, r.index + r[0].length);
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

// Tables (`list-table`, `csv-table`) and `only` hold prose: they are directives of the other kind.
const RST_CODE_DIRECTIVE = /^(\s*)\.\.\s+(code-block|code|sourcecode|math|highlight|literalinclude|raw|toctree|include|image|bibliography)::/;
const RST_DIRECTIVE = /^(\s*)\.\.\s+[A-Za-z][\w:-]*::/;
const RST_COMMENT = /^(\s*)\.\.(?:\s|$)/;
/** A footnote's marker: `.. [#]`, `.. [#name]`, `.. [1]`, `.. [*]` (not a citation `.. [Lee2001]`). */
const RST_FOOTNOTE = /^(\s*)\.\.[ \t]+\[(?:#[\w-]*|\d+|\*)\](?:[ \t]+|$)/;
const RST_TARGET = /^\s*\.\.\s+_[^:]*:/;

function indentOf(s: string): number {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

/** reST blocks: directives, literal blocks, comments, link targets. */
function maskRstBlocks(text: string, m: Mask, starts: number[], comments: Range[], view: ViewFindings): void {
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
  // Every rule below needs `..` (directives, comments, targets) or `::` (literal blocks) on the
  // line: the other lines are not read.
  const marked = new Uint8Array(n);
  for (const mark of ['..', '::']) {
    let i = 0;
    for (let k = text.indexOf(mark); k !== -1; k = text.indexOf(mark, k + 1)) {
      while (i + 1 < n && starts[i + 1] <= k) i++;
      marked[i] = 1;
    }
  }
  for (let i = 0; i < n; i++) {
    if (marked[i] === 0) continue;
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
    } else if ((d = RST_FOOTNOTE.exec(l))) {
      // A footnote (`.. [#f1] See Jones (2012).`) is prose: only its marker is not.
      m.blank(starts[i] + d[1].length, starts[i] + d[0].length);
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
function maskRstInline(m: Mask, view: ViewFindings): void {
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

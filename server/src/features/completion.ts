/**
 * Completion of citations: inside a citation's parentheses (`(Ki|` offers `Kim 2015`,
 * `Kimiya 2021`, `Kissinger and Allison 2023`), after an author's first letters in running
 * text (`Kiss|` offers `Kissinger and Allison (2023)`), and of keys in `[@|` and `\cite{|`.
 * Items are in the document's own style and carry the entry as written.
 */
import { fold, type Analysis, type Range, type ReferenceEntry } from '../core';
import { detectStyle, entryWhere, escapeMarkdown, narrativeLabel, parentheticalLabel, type CitationStyle } from './style';

export interface CompletionEntry {
  label: string;
  insertText: string;
  /** What the client filters on: the label, the authors' names, the year and the title's words. */
  filterText: string;
  /** Where the entry is (`line 50`, `refs.bib`). */
  detail: string;
  /** Markdown: the entry as written. */
  documentation: string;
  sortText: string;
  kind: 'citation' | 'key';
  /** Text the item replaces when inserted (from the start of what was typed to the cursor). */
  insert: Range;
  /** Text the item replaces in replace mode (the rest of the word after the cursor too). */
  replace: Range;
  entry: number;
}

export interface CompletionResult {
  items: CompletionEntry[];
  context: 'parenthetical' | 'narrative' | 'key';
  /** What was typed, as the server filtered on it. */
  prefix: string;
}

const LEAD_IN = /^(?:(?:see(?:\s+also)?|e\.\s?g\.,?|cf\.|also|i\.\s?e\.,?|for\s+example,?|for\s+instance,?|as\s+in|compare)\s+)+/i;
const NAME_PREFIX = /^[\p{L}\p{M}'’.\- &]*?(?:\s+(?:\d{1,4}[a-z]?|n\.?d?\.?))?$/u;

export interface CompletionOptions {
  /** A bibliography entry formatted in the user's citation style (Markdown), when the server has it. */
  formatted?: (e: ReferenceEntry) => string | undefined;
}

export function complete(a: Analysis, offset: number, opts: CompletionOptions = {}): CompletionResult | undefined {
  const text = a.text;
  if (offset < 0 || offset > text.length) return undefined;
  // Not inside the reference list itself.
  if (a.sections.some((s) => s.range.start <= offset && offset <= s.range.end && (s.heading ? offset > s.heading.end : true))) return undefined;
  const line = a.lines.lineAt(offset);
  const lineStart = a.lines.starts[line];
  const before = text.slice(Math.max(lineStart, offset - 400), offset);
  const style = detectStyle(a);

  const key = keyContext(a, before);
  if (key !== undefined) return keyItems(a, offset, key, opts);

  const paren = parenContext(before);
  if (paren === LINK_TARGET) return undefined;
  if (paren !== undefined) {
    const items = entryItems(a, offset, paren, style, 'parenthetical', opts);
    return { items, context: 'parenthetical', prefix: paren };
  }
  const word = /(?:^|[^\p{L}\p{M}\p{N}'’@\\-])([\p{Lu}][\p{L}\p{M}'’-]*)$/u.exec(before);
  if (word) {
    const items = entryItems(a, offset, word[1], style, 'narrative', opts);
    if (items.length) return { items, context: 'narrative', prefix: word[1] };
  }
  return undefined;
}

const LINK_TARGET = Symbol('link target');

/** The text typed since the citation's opening parenthesis or its last `;`, or undefined. */
function parenContext(before: string): string | typeof LINK_TARGET | undefined {
  let depth = 0;
  let open = -1;
  for (let i = before.length - 1; i >= 0; i--) {
    const ch = before[i];
    if (ch === ')' || ch === ']') depth++;
    else if (ch === '(' || ch === '[') {
      if (depth === 0) { open = i; break; }
      depth--;
    }
  }
  if (open === -1) return undefined;
  // A link's or an image's target, not prose: `](`.
  if (before[open] === '(' && before[open - 1] === ']') return LINK_TARGET;
  let seg = before.slice(open + 1);
  const semi = seg.lastIndexOf(';');
  if (semi !== -1) seg = seg.slice(semi + 1);
  // `(Kim, 2015, Ki|`: citations separated by commas after a year.
  const afterYear = /^.*\d{4}[a-z]?(?:,\s*(?:p|pp)\.\s*[\d–-]+)?\s*,\s*/su.exec(seg);
  if (afterYear) seg = seg.slice(afterYear[0].length);
  seg = seg.replace(/^\s+/, '').replace(LEAD_IN, '');
  if (seg.length > 80 || seg.split(/\s+/).length > 8) return undefined;
  if (!NAME_PREFIX.test(seg)) return undefined;
  return seg;
}

function keyContext(a: Analysis, before: string): string | undefined {
  if (!a.references.some((e) => e.key)) return undefined;
  if (a.format === 'latex') {
    const m = /\\[A-Za-z]*cite[A-Za-z]*\*?(?:\[[^\]]*\]){0,2}\{([^{}]*)$/.exec(before);
    if (m) return m[1].slice(m[1].lastIndexOf(',') + 1).trimStart();
  }
  if (a.format === 'markdown') {
    const m = /(?:^|[\s[;(-])@([\p{L}\p{N}_:.#$%&+?<>~/-]*)$/u.exec(before);
    if (m) return m[1];
  }
  if (a.format === 'rst') {
    const m = /:(?:foot)?cite(?::[a-z]+)?:`([^`]*)$/.exec(before);
    if (m) return m[1].slice(m[1].lastIndexOf(',') + 1).trimStart();
  }
  return undefined;
}

function restOfWord(text: string, offset: number): number {
  const m = /^[\p{L}\p{M}\p{N}'’._:-]*/u.exec(text.slice(offset, offset + 200));
  return offset + (m ? m[0].length : 0);
}

function entryItems(a: Analysis, offset: number, prefix: string, style: CitationStyle, context: 'parenthetical' | 'narrative', opts: CompletionOptions): CompletionEntry[] {
  const wanted = matcher(prefix, context === 'parenthetical');
  const insert = { start: offset - prefix.length, end: offset };
  const replace = { start: insert.start, end: restOfWord(a.text, offset) };
  const out: CompletionEntry[] = [];
  for (const e of a.references) {
    if (e.authors.length === 0) continue;
    if (!wanted(e)) continue;
    const label = context === 'parenthetical' ? parentheticalLabel(e, style) : narrativeLabel(e, style);
    out.push({
      label,
      insertText: label,
      filterText: [label, ...e.authors.map((p) => p.full), e.title ?? ''].join(' ').replace(/\s+/g, ' ').trim(),
      detail: entryWhere(a, e),
      documentation: opts.formatted?.(e) ?? escapeMarkdown(e.text),
      sortText: '',
      kind: 'citation',
      insert,
      replace,
      entry: e.index,
    });
  }
  sortItems(out);
  return out;
}

/**
 * Keys, found by what was typed after `@` or `\cite{`: the key's start, or the start of an
 * author's name, the year or a title word (`@gelm`, `@2007`, `@multilevel` all find
 * `gelman2007`). The client filters on filterText: key, authors, year and title.
 */
function keyItems(a: Analysis, offset: number, prefix: string, opts: CompletionOptions): CompletionResult {
  const insert = { start: offset - prefix.length, end: offset };
  const replace = { start: insert.start, end: restOfWord(a.text, offset) };
  const p = prefix.toLowerCase();
  const f = fold(prefix);
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  for (const e of a.references) {
    if (!e.key) continue;
    const label = e.authors.length ? parentheticalLabel(e) : '';
    const year = e.year ? e.year + e.suffix : '';
    if (p && !e.key.toLowerCase().startsWith(p) && !(year && year.startsWith(p)) && !keyWords(e).some((w) => w.startsWith(f))) continue;
    // The same key in two bibliographies: offered once (the first, as pandoc reads them).
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    out.push({
      label: e.key,
      insertText: e.key,
      filterText: [e.key, ...e.authors.map((x) => x.full || x.family), year, e.title ?? ''].join(' ').replace(/[{}]/g, '').replace(/\s+/g, ' ').trim(),
      detail: label ? `${label} (${entryWhere(a, e)})` : entryWhere(a, e),
      documentation: opts.formatted?.(e) ?? escapeMarkdown(e.text),
      sortText: '',
      kind: 'key',
      insert,
      replace,
      entry: e.index,
    });
  }
  sortItems(out);
  return { items: out, context: 'key', prefix };
}

function sortItems(items: CompletionEntry[]): void {
  items.sort((x, y) => (fold(x.label) < fold(y.label) ? -1 : fold(x.label) > fold(y.label) ? 1 : x.entry - y.entry));
  const w = String(items.length).length;
  items.forEach((it, k) => { it.sortText = String(k).padStart(w, '0'); });
}

/** Folded words a key can be found by: the authors' names and the title's words of three letters or more. */
function keyWords(e: ReferenceEntry): string[] {
  const out = searchWords(e, false);
  for (const w of (e.title ?? '').split(/[\s\p{P}]+/u)) {
    const x = fold(w);
    if (x.length > 2) out.push(x);
  }
  return out;
}

/**
 * Search words by author list (an entry's copies in later versions share it) and title: completion
 * runs on every keystroke over every entry.
 */
interface SearchWords {
  title: string | undefined;
  names: string[];
  all: string[];
  /** Each author's folded family name, full name and alias. */
  folded: string[][];
  /** Folded words of the family names and aliases. */
  authorWords: string[];
}
const wordsOf = new WeakMap<ReferenceEntry['authors'], SearchWords>();

function wordsFor(e: ReferenceEntry): SearchWords {
  let w = wordsOf.get(e.authors);
  if (!w || w.title !== e.title) {
    w = {
      title: e.title,
      names: computeSearchWords(e, false),
      all: computeSearchWords(e, true),
      folded: e.authors.map((p) => [fold(p.family), fold(p.full), ...(p.alias !== undefined ? [fold(p.alias)] : [])]),
      authorWords: e.authors.flatMap((p) => [p.family, p.alias ?? ''].join(' ').split(/\s+/).map(fold)),
    };
    wordsOf.set(e.authors, w);
  }
  return w;
}

/** Folded words an item can be found by: names, aliases, title words. */
function searchWords(e: ReferenceEntry, titles = true): string[] {
  const w = wordsFor(e);
  // A copy: callers add to it.
  return titles ? w.all.slice() : w.names.slice();
}

function computeSearchWords(e: ReferenceEntry, titles: boolean): string[] {
  const out: string[] = [];
  for (const p of e.authors) {
    for (const s of [p.family, p.alias, p.full]) if (s) out.push(...s.split(/[\s,]+/).map(fold).filter(Boolean));
    if (p.family) out.push(fold(p.family));
  }
  if (!titles) return out;
  for (const w of (e.title ?? '').split(/\s+/)) {
    const f = fold(w);
    if (f.length > 2) out.push(TITLE + f);
  }
  return out;
}

/** Marks a title word: found only by four letters or more (`Ki` is a name being typed, not a title). */
const TITLE = '\u0001';

/** What was typed, read as names (and a year being typed): `Ki`, `Kissinger and Al`, `Kim 20`. */
function matcher(prefix: string, titles: boolean): (e: ReferenceEntry) => boolean {
  const m = /^(.*?)(?:\s+(\d{1,4})[a-z]?)?$/su.exec(prefix.trim());
  const namePart = (m?.[1] ?? '').replace(/\bet\.?\s*al\.?/g, ' ');
  const year = m?.[2] ?? '';
  const names = namePart.split(/\s+|\band\b|&|,/).map(fold).filter((w) => w && w !== 'and');
  const whole = fold(namePart);
  return (e) => {
    if (year && !(e.year || '').startsWith(year)) return false;
    const w = wordsFor(e);
    const words = titles ? w.all : w.names;
    if (year && !(e.year || '').startsWith(year)) return false;
    if (names.length === 0) return true;
    // The first name typed must start an author's name or a title word; later ones an author's.
    // With a year begun (`Kim 20`), the names before it are whole: `Kim` is not `Kimiya`.
    const fits = (w: string, n: string) => (year ? w === n : w.startsWith(n));
    const first = names[0];
    const inTitle = first.length >= 4 && !year ? TITLE + first : undefined;
    if (!words.some((w) => fits(w, first) || (inTitle !== undefined && w.startsWith(inTitle)))) {
      // `Office of the Pr`: the whole typed name against a corporate author's folded name.
      return w.folded.some((forms) => forms.some((f) => fits(f, whole)));
    }
    return names.slice(1).every((n) => w.authorWords.some((x) => fits(x, n)));
  };
}

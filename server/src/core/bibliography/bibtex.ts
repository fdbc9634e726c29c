/**
 * A hand-written BibTeX / BibLaTeX reader.
 *
 * One pass over the text's char codes, no regular expressions on the hot path,
 * no backtracking. `@string` macros (with `#` concatenation and the month
 * macros), `@preamble`, `@comment`, text outside entries, `{`/`(` entry
 * delimiters, braced and quoted values with nesting, crossref and xdata
 * inheritance, duplicate keys.
 *
 * Recovery: an entry that does not parse gives a problem on that entry, keeps
 * the fields read so far (the record is marked `incomplete`), and reading goes
 * on at the next line that starts an entry (`@type{`). A braced or quoted value
 * never runs past such a line, so a missing `}` costs one entry, not the rest of
 * the file, and the whole read stays linear even on 10,000 unmatched braces.
 *
 * Pure: no Node or editor imports. Never throws.
 */

import type { Range } from '../types';
import { decodeLatex } from './latex';

export type BibProblemKind =
  | 'syntax'
  | 'duplicate-key'
  | 'duplicate-field'
  | 'missing-key'
  | 'undefined-macro'
  | 'missing-crossref'
  | 'invalid-json'
  | 'invalid-yaml'
  | 'missing-id'
  | 'invalid-item';

export interface BibProblem {
  range: Range;
  message: string;
  /** Key of the entry the problem is in, when known. */
  key?: string;
  kind: BibProblemKind;
  severity: 'error' | 'warning';
  /** Whole range of the entry the problem is in, when known. */
  entryRange?: Range;
  /** For duplicates: the first definition's key range. */
  related?: Range;
}

export interface BibField {
  /** Lower-cased field name. */
  name: string;
  /** LaTeX decoded to Unicode, braces removed, whitespace collapsed. */
  readonly value: string;
  /**
   * The value as BibTeX sees it: macros expanded, `#` parts joined, outer
   * delimiters removed, inner braces and LaTeX kept. Name lists are split on this.
   */
  raw: string;
  /** Range of the value: inside the delimiters for a single `{…}`/`"…"` part, else the whole expression. */
  range: Range;
  /** True when `raw` is exactly the source text at `range` (one literal part, no macro). */
  exact: boolean;
  /** Key of the entry the field was inherited from (crossref / xdata); its range is in that entry. */
  inheritedFrom?: string;
}

export interface BibRecord {
  key: string;
  /** Lower-cased entry type (`article`, `inproceedings`). */
  type: string;
  /** From the `@` to just past the closing delimiter. */
  range: Range;
  keyRange: Range;
  fields: Map<string, BibField>;
  /** The entry did not parse to its end; the fields read before the error are kept. */
  incomplete?: boolean;
}

export interface BibParseResult {
  records: BibRecord[];
  problems: BibProblem[];
  /** `@preamble` contents (raw). */
  preambles?: string[];
}

/** A field whose decoded value and range object are made on first use. */
class Field implements BibField {
  private decoded: string | undefined = undefined;
  constructor(
    public name: string,
    public raw: string,
    private readonly start: number,
    private readonly end: number,
    public exact: boolean,
    public inheritedFrom: string | undefined = undefined,
  ) {}
  get value(): string {
    let v = this.decoded;
    if (v === undefined) v = this.decoded = decodeLatex(this.raw);
    return v;
  }
  get range(): Range {
    return { start: this.start, end: this.end };
  }
  /** Own enumerable copy for JSON. */
  toJSON(): object {
    const o: Record<string, unknown> = { name: this.name, value: this.value, raw: this.raw, range: this.range, exact: this.exact };
    if (this.inheritedFrom !== undefined) o.inheritedFrom = this.inheritedFrom;
    return o;
  }
}

/** Ints per stored field: name id, value start, value end, raw string index (-1: the text at start..end), parent key index (-1: own). */
const FW = 5;

/**
 * All fields of one file in one Int32Array: a record is a run of fields in it.
 * Values that are exactly source text are not copied; only macro-expanded or
 * concatenated values keep a string. Field objects are made on demand.
 */
class FieldStore {
  data: Int32Array;
  n = 0;
  readonly strings: string[] = [];
  constructor(
    readonly text: string,
    readonly names: NameTable,
  ) {
    // about one field per 24 characters of a typical .bib file
    this.data = new Int32Array(Math.max(1 << 10, Math.ceil(text.length / 24) * FW));
  }

  push(nameId: number, start: number, end: number, raw: number, from: number): void {
    if (this.n + FW > this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    const d = this.data;
    const i = this.n;
    d[i] = nameId;
    d[i + 1] = start;
    d[i + 2] = end;
    d[i + 3] = raw;
    d[i + 4] = from;
    this.n = i + FW;
  }

  string(s: string): number {
    this.strings.push(s);
    return this.strings.length - 1;
  }

  /** Shrinks the buffer to what is used when much of it is not. */
  trim(): void {
    if (this.data.length > this.n + (this.n >> 2) + 1024) this.data = this.data.slice(0, this.n);
  }

  raw(i: number): string {
    const r = this.data[i + 3];
    return r < 0 ? this.text.slice(this.data[i + 1], this.data[i + 2]) : this.strings[r];
  }

  private slotCache: { names: readonly string[]; slots: Int32Array } | undefined = undefined;

  /** name id -> index in `names`, or -1. */
  slotsFor(names: readonly string[]): Int32Array {
    const c = this.slotCache;
    if (c !== undefined && c.names === names && c.slots.length === this.names.names.length) return c.slots;
    const slots = new Int32Array(this.names.names.length).fill(-1);
    for (let k = 0; k < names.length; k++) {
      const id = this.names.lookup(names[k]);
      if (id >= 0 && id < slots.length) slots[id] = k;
    }
    this.slotCache = { names, slots };
    return slots;
  }

  field(i: number): Field {
    const d = this.data;
    const from = d[i + 4];
    return new Field(this.names.names[d[i]], this.raw(i), d[i + 1], d[i + 2], d[i + 3] < 0, from < 0 ? undefined : this.strings[from]);
  }
}

/** A record backed by the field store; `fields` is built on first use. */
class StoredRecord implements BibRecord {
  incomplete: boolean | undefined = undefined;
  private map: Map<string, BibField> | undefined = undefined;
  constructor(
    public key: string,
    public type: string,
    public range: Range,
    public keyRange: Range,
    readonly store: FieldStore,
    /** Index of the first field's first int in the store. */
    public first: number,
    /** Number of fields. */
    public count: number,
  ) {}

  get fields(): Map<string, BibField> {
    let m = this.map;
    if (m === undefined) {
      m = new Map();
      const st = this.store;
      for (let i = this.first, e = this.first + this.count * FW; i < e; i += FW) {
        const f = st.field(i);
        m.set(f.name, f);
      }
      this.map = m;
    }
    return m;
  }

  set fields(m: Map<string, BibField>) {
    this.map = m;
  }

  hasMap(): boolean {
    return this.map !== undefined;
  }

  /** Index in the store of the field with this name id, or -1. */
  find(id: number): number {
    const d = this.store.data;
    for (let i = this.first, e = this.first + this.count * FW; i < e; i += FW) if (d[i] === id) return i;
    return -1;
  }

  get(name: string): BibField | undefined {
    if (this.map !== undefined) return this.map.get(name);
    const id = this.store.names.lookup(name);
    if (id < 0) return undefined;
    const i = this.find(id);
    return i < 0 ? undefined : this.store.field(i);
  }

  toJSON(): object {
    const o: Record<string, unknown> = { key: this.key, type: this.type, range: this.range, keyRange: this.keyRange, fields: Object.fromEntries(this.fields) };
    if (this.incomplete) o.incomplete = true;
    return o;
  }
}

/**
 * A field of a record without building its `fields` map (the fast path for
 * records from `parseBibtex`; works on any BibRecord).
 */
export function getField(rec: BibRecord, name: string): BibField | undefined {
  return rec instanceof StoredRecord ? rec.get(name) : rec.fields.get(name);
}

/**
 * Several fields of a record in one pass, in the order of `names` (lower-case).
 * Pass the same `names` array for every record: its lookup table is cached.
 */
export function pickFields(rec: BibRecord, names: readonly string[], out: (BibField | undefined)[]): void {
  out.length = names.length;
  if (!(rec instanceof StoredRecord) || rec.hasMap()) {
    for (let k = 0; k < names.length; k++) out[k] = rec.fields.get(names[k]);
    return;
  }
  const st = rec.store;
  const slots = st.slotsFor(names);
  for (let k = 0; k < names.length; k++) out[k] = undefined;
  const d = st.data;
  for (let i = rec.first, e = rec.first + rec.count * FW; i < e; i += FW) {
    const id = d[i];
    const k = id < slots.length ? slots[id] : -1;
    if (k >= 0 && out[k] === undefined) out[k] = st.field(i);
  }
}

/** Makes a field (for readers of other formats and tests). */
export function makeField(name: string, raw: string, range: Range, exact = false): BibField {
  return new Field(name, raw, range.start, range.end, exact);
}

const MONTHS: Record<string, string> = Object.assign(Object.create(null), {
  jan: 'January', feb: 'February', mar: 'March', apr: 'April', may: 'May', jun: 'June',
  jul: 'July', aug: 'August', sep: 'September', oct: 'October', nov: 'November', dec: 'December',
});

// Char codes
const AT = 64;
const LBRACE = 123;
const RBRACE = 125;
const LPAREN = 40;
const RPAREN = 41;
const QUOTE = 34;
const COMMA = 44;
const EQ = 61;
const HASH = 35;
const PERCENT = 37;
const NL = 10;
const CR = 13;

/** Characters allowed in entry types, field names and macro names. */
const IDENT = new Uint8Array(128);
for (let c = 33; c < 127; c++) IDENT[c] = 1;
for (const ch of '"#%\'(),={}@') IDENT[ch.charCodeAt(0)] = 0;

function isIdent(c: number): boolean {
  return c < 128 ? IDENT[c] === 1 : c !== 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029;
}

/** Characters allowed in keys: anything but whitespace, `,`, braces, `=`, `"`, `#`, `%`, `@`. */
const KEYCH = new Uint8Array(128);
for (let c = 33; c < 127; c++) KEYCH[c] = 1;
for (const ch of ',{}="#%@') KEYCH[ch.charCodeAt(0)] = 0;

function lower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return s.toLowerCase();
  }
  return s;
}

function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Interns lower-cased names (field names, entry types, macro names) as small
 * ids, straight from the text, so that reading a field name allocates nothing.
 */
class NameTable {
  readonly names: string[] = [];
  private readonly byString = new Map<string, number>();
  private slots = new Int32Array(1024).fill(-1);
  private mask = 1023;

  /** Id of an already lower-cased name, added when new. */
  intern(name: string): number {
    return this.byString.get(name) ?? this.add(name);
  }

  /** Id of an already lower-cased name; -1 when unknown. */
  lookup(name: string): number {
    return this.byString.get(name) ?? -1;
  }

  private add(name: string): number {
    const id = this.names.length;
    this.names.push(name);
    this.byString.set(name, id);
    if (this.names.length * 2 > this.mask) this.rehash();
    else this.place(name, id);
    return id;
  }

  private place(name: string, id: number): void {
    let idx = hashString(name) & this.mask;
    while (this.slots[idx] >= 0) idx = (idx + 1) & this.mask;
    this.slots[idx] = id;
  }

  private rehash(): void {
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array(this.mask + 1).fill(-1);
    for (let id = 0; id < this.names.length; id++) this.place(this.names[id], id);
  }

  /** Id of the text from s to e, lower-cased. */
  id(text: string, s: number, e: number): number {
    let h = 0;
    for (let i = s; i < e; i++) {
      let c = text.charCodeAt(i);
      if (c > 127) {
        const name = lower(text.slice(s, e));
        return this.byString.get(name) ?? this.add(name);
      }
      if (c >= 65 && c <= 90) c |= 32;
      h = (Math.imul(h, 31) + c) | 0;
    }
    const n = e - s;
    const names = this.names;
    const slots = this.slots;
    let idx = h & this.mask;
    for (;;) {
      const id = slots[idx];
      if (id < 0) break;
      const k = names[id];
      if (k.length === n) {
        let i = 0;
        for (; i < n; i++) {
          let c = text.charCodeAt(s + i);
          if (c >= 65 && c <= 90) c |= 32;
          if (c !== k.charCodeAt(i)) break;
        }
        if (i === n) return id;
      }
      idx = (idx + 1) & this.mask;
    }
    return this.add(lower(text.slice(s, e)));
  }

  get(text: string, s: number, e: number): string {
    return this.names[this.id(text, s, e)];
  }
}

/** Thrown inside the reader only, caught per entry. */
class EntryError {
  constructor(
    public pos: number,
    public message: string,
    public len = 1,
  ) {}
}

/** Fields never inherited through crossref (BibLaTeX's defaults). */
const NO_INHERIT = new Set([
  'ids', 'crossref', 'xref', 'xdata', 'entryset', 'entrysubtype', 'execute', 'label', 'options',
  'presort', 'related', 'relatedoptions', 'relatedstring', 'relatedtype', 'shorthand',
  'shorthandintro', 'sortkey',
]);

const BOOK_PART = new Set(['inbook', 'bookinbook', 'suppbook']);
const BOOK = new Set(['book', 'inbook', 'bookinbook', 'suppbook']);
const COLLECTION_PART = new Set(['incollection', 'inreference', 'suppcollection']);
const COLLECTION = new Set(['collection', 'reference', 'incollection', 'inreference', 'suppcollection']);
const PROCEEDINGS_PART = new Set(['inproceedings']);
const PROCEEDINGS = new Set(['proceedings', 'inproceedings']);
const PERIODICAL_PART = new Set(['article', 'suppperiodical']);
const TITLE_MAP: Record<string, [string, Set<string>]> = Object.assign(Object.create(null), {
  mvbook: ['main', BOOK],
  mvcollection: ['main', COLLECTION],
  mvreference: ['main', COLLECTION],
  mvproceedings: ['main', PROCEEDINGS],
  book: ['book', BOOK_PART],
  collection: ['book', COLLECTION_PART],
  reference: ['book', COLLECTION_PART],
  proceedings: ['book', PROCEEDINGS_PART],
  periodical: ['journal', PERIODICAL_PART],
});
const TITLE_DROPPED = ['shorttitle', 'sorttitle', 'indextitle', 'indexsorttitle'];

class Reader {
  readonly text: string;
  readonly len: number;
  pos = 0;
  readonly records: StoredRecord[] = [];
  readonly problems: BibProblem[] = [];
  readonly preambles: string[] = [];
  readonly macros = new Map<string, string>();
  readonly names = new NameTable();
  readonly store: FieldStore;
  readonly byKey = new Map<string, StoredRecord>();
  readonly xdata: StoredRecord[] = [];
  readonly crossrefId: number;
  readonly xdataId: number;
  needsInheritance = false;

  constructor(text: string) {
    this.text = text;
    this.len = text.length;
    this.store = new FieldStore(text, this.names);
    this.crossrefId = this.names.intern('crossref');
    this.xdataId = this.names.intern('xdata');
  }

  read(): void {
    const text = this.text;
    while (this.pos < this.len) {
      const at = text.indexOf('@', this.pos);
      if (at < 0) break;
      this.pos = at;
      this.entry(at);
      if (this.pos <= at) this.pos = at + 1; // always move on
    }
  }

  // ---- small scanners ----

  /** Skips whitespace and `%` comments. */
  private ws(p: number): number {
    const text = this.text;
    const len = this.len;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c <= 32) p++;
      else if (c === PERCENT) {
        while (p < len) {
          const d = text.charCodeAt(p);
          if (d === NL || d === CR) break;
          p++;
        }
      } else break;
    }
    return p;
  }

  private ident(p: number): number {
    const text = this.text;
    const len = this.len;
    while (p < len && isIdent(text.charCodeAt(p))) p++;
    return p;
  }

  /** True when only spaces or tabs stand between the line start and `at`. */
  private atLineStart(at: number): boolean {
    const text = this.text;
    for (let p = at - 1; p >= 0; p--) {
      const c = text.charCodeAt(p);
      if (c === NL || c === CR) return true;
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }

  /** `@word` followed (after whitespace) by `{` or `(`: what starts an entry. */
  private looksLikeEntry(at: number): boolean {
    const text = this.text;
    const len = this.len;
    let p = at + 1;
    while (p < len && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    const s = p;
    p = this.ident(p);
    if (p === s) return false;
    while (p < len && text.charCodeAt(p) <= 32) p++;
    const c = text.charCodeAt(p);
    return c === LBRACE || c === LPAREN;
  }

  /** After a newline at `p - 1`: does the line at `p` start an entry? */
  private entryLineAt(p: number): boolean {
    const text = this.text;
    const len = this.len;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9) p++;
      else break;
    }
    return p < len && text.charCodeAt(p) === AT && this.looksLikeEntry(p);
  }

  /** The next line after `from` that starts an entry (its `@`), or the text length. */
  private nextEntryLine(from: number): number {
    const text = this.text;
    let p = from;
    for (;;) {
      const at = text.indexOf('@', p);
      if (at < 0) return this.len;
      if (this.atLineStart(at) && this.looksLikeEntry(at)) return at;
      p = at + 1;
    }
  }

  private problem(kind: BibProblemKind, severity: 'error' | 'warning', start: number, end: number, message: string, key?: string, entryRange?: Range): void {
    const p: BibProblem = { range: { start, end: Math.max(end, start) }, message, kind, severity };
    if (key !== undefined && key !== '') p.key = key;
    if (entryRange) p.entryRange = entryRange;
    this.problems.push(p);
  }

  // ---- values ----

  /**
   * Reads a value (`{…}`, `"…"`, number, macro, joined with `#`) at `p`.
   * Sets `this.vEnd` to the index after it, `this.vRange` and `this.vExact`.
   */
  private vEnd = 0;
  private vStart = 0;
  private vStop = 0;
  private vExact = false;

  private value(p: number, key: string): void {
    const text = this.text;
    // The value's text is only copied when it is not one literal part.
    let raw: string | undefined = undefined;
    let parts = 0;
    let firstStart = -1;
    let firstEnd = -1;
    let lastEnd = -1;
    let exact = true;
    for (;;) {
      p = this.ws(p);
      if (p >= this.len) throw new EntryError(p, 'Expected a value, found the end of the file');
      const c = text.charCodeAt(p);
      let partStart: number;
      let partEnd: number;
      let macro: string | undefined = undefined;
      if (c === LBRACE) {
        partStart = p + 1;
        partEnd = this.braced(p);
        p = partEnd + 1;
      } else if (c === QUOTE) {
        partStart = p + 1;
        partEnd = this.quoted(p);
        p = partEnd + 1;
      } else if (isIdent(c)) {
        const e = this.ident(p);
        partStart = p;
        partEnd = e;
        p = e;
        if (!(c >= 48 && c <= 57)) {
          const name = this.names.get(text, partStart, partEnd);
          const m = this.macros.get(name);
          if (m !== undefined) macro = m;
          else if (MONTHS[name] !== undefined) macro = MONTHS[name];
          else {
            macro = '';
            this.problem('undefined-macro', 'warning', partStart, partEnd, `Undefined @string macro '${text.slice(partStart, partEnd)}'`, key);
          }
          exact = false;
        }
      } else {
        throw new EntryError(p, c === AT ? 'Expected a value; a new entry starts here' : `Expected a value, found '${text[p]}'`);
      }
      if (parts === 0) {
        firstStart = partStart;
        firstEnd = partEnd;
        if (macro !== undefined) raw = macro;
      } else {
        if (raw === undefined) raw = text.slice(firstStart, firstEnd);
        raw += macro !== undefined ? macro : text.slice(partStart, partEnd);
      }
      lastEnd = partEnd;
      parts++;
      const q = this.ws(p);
      if (q < this.len && text.charCodeAt(q) === HASH) {
        p = q + 1;
        continue;
      }
      this.vEnd = p;
      break;
    }
    if (parts > 1) {
      exact = false;
      // widen to include the delimiters of the first and last parts
      const fc = text.charCodeAt(firstStart - 1);
      if (fc === LBRACE || fc === QUOTE) firstStart--;
      const lc = text.charCodeAt(lastEnd);
      if (lc === RBRACE || lc === QUOTE) lastEnd++;
    }
    this.vStart = firstStart;
    this.vStop = lastEnd;
    this.vExact = exact;
    this.vRaw = raw;
  }

  /** The value just read, as a string. */
  private valueString(): string {
    return this.vExact ? this.text.slice(this.vStart, this.vStop) : (this.vRaw ?? '');
  }

  private vRaw: string | undefined = undefined;

  /** Index of the `}` closing the group opened at `open`. */
  private braced(open: number): number {
    const text = this.text;
    const len = this.len;
    let depth = 1;
    let p = open + 1;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === RBRACE) {
        if (--depth === 0) return p;
      } else if (c === LBRACE) depth++;
      else if (c === NL && this.entryLineAt(p + 1)) {
        throw new EntryError(open, 'Unclosed brace: the value runs into the next entry', 1);
      }
      p++;
    }
    throw new EntryError(open, 'Unclosed brace: the value runs to the end of the file', 1);
  }

  /** Index of the `"` closing the string opened at `open`. */
  private quoted(open: number): number {
    const text = this.text;
    const len = this.len;
    let depth = 0;
    let p = open + 1;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === QUOTE) {
        if (depth === 0) return p;
      } else if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        if (depth === 0) throw new EntryError(p, "Unbalanced '}' in a quoted value");
        depth--;
      } else if (c === NL && this.entryLineAt(p + 1)) {
        throw new EntryError(open, 'Unclosed quote: the value runs into the next entry', 1);
      }
      p++;
    }
    throw new EntryError(open, 'Unclosed quote: the value runs to the end of the file', 1);
  }

  // ---- entries ----

  private entry(at: number): void {
    const text = this.text;
    const len = this.len;
    let p = at + 1;
    while (p < len && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    const typeStart = p;
    p = this.ident(p);
    if (p === typeStart) {
      if (this.atLineStart(at) && p < len && text.charCodeAt(p) > 32) {
        this.problem('syntax', 'error', at, Math.min(len, p + 1), "Expected an entry type after '@'");
      }
      this.pos = at + 1;
      return;
    }
    const typeEnd = p;
    const type = this.names.get(text, typeStart, typeEnd);
    p = this.ws(p);
    const open = p < len ? text.charCodeAt(p) : 0;
    if (open !== LBRACE && open !== LPAREN) {
      if (type !== 'comment' && this.atLineStart(at)) {
        this.problem('syntax', 'error', at, typeEnd, `Expected '{' or '(' after '@${text.slice(typeStart, typeEnd)}'`);
      }
      this.pos = typeEnd;
      return;
    }
    const close = open === LBRACE ? RBRACE : RPAREN;
    p++;
    if (type === 'comment') {
      this.comment(at, p, open, close);
      return;
    }
    if (type === 'preamble') {
      this.preamble(at, p, close);
      return;
    }
    if (type === 'string') {
      this.string(at, p, close);
      return;
    }
    this.record(at, p, type, typeEnd, close);
  }

  /** `@comment{…}`: skipped when balanced; an unbalanced one is only the word. */
  private comment(at: number, p: number, open: number, close: number): void {
    const text = this.text;
    const len = this.len;
    if (at < this.commentFailedUntil) {
      // inside an unclosed @comment seen before: only the word counts (keeps this linear)
      this.pos = at + 1;
      return;
    }
    let depth = 1;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === close) {
        if (--depth === 0) {
          this.pos = p + 1;
          return;
        }
      } else if (c === open) depth++;
      else if (c === NL && this.entryLineAt(p + 1)) break;
      p++;
    }
    this.commentFailedUntil = p;
    this.pos = at + 1;
  }

  /** End of the scan of the last @comment that did not close. */
  private commentFailedUntil = -1;

  private fail(e: unknown, at: number, headerEnd: number, key: string | undefined, rec: StoredRecord | undefined): void {
    const recover = this.nextEntryLine(at + 1);
    let start: number;
    let end: number;
    let message: string;
    if (e instanceof EntryError) {
      message = e.message;
      if (e.pos >= recover || e.pos >= this.len) {
        start = at;
        end = headerEnd;
        if (/^Expected (',' or|a field name)/.test(message) || e.pos >= this.len) {
          message = `Entry${key ? ` '${key}'` : ''} is not closed: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
        }
      } else {
        start = e.pos;
        end = Math.min(this.len, e.pos + Math.max(1, e.len));
      }
    } else {
      start = at;
      end = headerEnd;
      message = 'Could not read this entry';
    }
    const entryEnd = Math.max(end, Math.min(recover, this.lastGood));
    const entryRange: Range = { start: at, end: trimEnd(this.text, at, entryEnd) };
    this.problem('syntax', 'error', start, end, message, key, entryRange);
    if (rec) {
      rec.incomplete = true;
      rec.range = entryRange;
    }
    this.pos = recover;
  }

  /** End of the last thing read successfully in the current entry. */
  private lastGood = 0;

  private preamble(at: number, p: number, close: number): void {
    try {
      this.value(p, '');
      const raw = this.valueString();
      p = this.ws(this.vEnd);
      if (p >= this.len || this.text.charCodeAt(p) !== close) {
        throw new EntryError(p, `Expected '${String.fromCharCode(close)}' to close @preamble`);
      }
      this.preambles.push(raw);
      this.pos = p + 1;
    } catch (e) {
      this.lastGood = at;
      this.fail(e, at, Math.min(this.len, at + 9), undefined, undefined);
    }
  }

  private string(at: number, p: number, close: number): void {
    const text = this.text;
    this.lastGood = at;
    try {
      for (;;) {
        p = this.ws(p);
        if (p < this.len && text.charCodeAt(p) === close) {
          this.pos = p + 1;
          return;
        }
        const ns = p;
        p = this.ident(p);
        if (p === ns) throw new EntryError(ns, 'Expected a macro name in @string');
        const name = lower(text.slice(ns, p));
        p = this.ws(p);
        if (p >= this.len || text.charCodeAt(p) !== EQ) throw new EntryError(p, `Expected '=' after '${text.slice(ns, p).trim()}'`);
        this.value(p + 1, '');
        const raw = this.valueString();
        this.macros.set(name, raw);
        p = this.ws(this.vEnd);
        this.lastGood = this.vEnd;
        const c = p < this.len ? text.charCodeAt(p) : -1;
        if (c === COMMA) {
          p++;
          continue;
        }
        if (c === close) {
          this.pos = p + 1;
          return;
        }
        throw new EntryError(p, `Expected '${String.fromCharCode(close)}' to close @string`);
      }
    } catch (e) {
      this.fail(e, at, Math.min(this.len, at + 7), undefined, undefined);
    }
  }

  private record(at: number, p: number, type: string, typeEnd: number, close: number): void {
    const text = this.text;
    const len = this.len;
    p = this.ws(p);
    const keyStart = p;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c < 128 ? KEYCH[c] !== 1 || c === close : c === 0xa0 || c === 0xfeff) break;
      p++;
    }
    let keyEnd = p;
    let key = text.slice(keyStart, keyEnd);
    let headerEnd = keyEnd > keyStart ? keyEnd : Math.min(len, typeEnd + 1);
    let rec: StoredRecord | undefined;
    this.lastGood = headerEnd;
    try {
      p = this.ws(p);
      const c = p < len ? text.charCodeAt(p) : -1;
      let noKey = false;
      if (c === EQ) {
        // `@article{title = …`: no key; what we read was a field name.
        noKey = true;
        this.problem('missing-key', 'error', at, Math.min(len, typeEnd + 1), `Entry @${type} has no key`, undefined);
        p = keyStart;
        keyEnd = keyStart;
        key = '';
        headerEnd = Math.min(len, typeEnd + 1);
      } else if (key === '') {
        if (c === COMMA) {
          noKey = true;
          this.problem('missing-key', 'error', at, Math.min(len, typeEnd + 1), `Entry @${type} has no key`, undefined);
          p++;
        } else {
          throw new EntryError(p, c === AT ? "Expected a key; a new entry starts here" : 'Expected a key');
        }
      } else if (c === COMMA) {
        p++;
      } else if (c !== close) {
        throw new EntryError(p, c === AT ? "Expected ',' or '}' after the key; a new entry starts here" : `Expected ',' after the key '${key}'`);
      }
      const store = this.store;
      const serial = ++this.serial;
      if (!noKey) rec = new StoredRecord(key, type, { start: at, end: at }, { start: keyStart, end: keyEnd }, store, store.n, 0);
      // fields
      for (;;) {
        p = this.ws(p);
        if (p >= len) throw new EntryError(p, `Expected ',' or '${String.fromCharCode(close)}'; found the end of the file`);
        let ch = text.charCodeAt(p);
        if (ch === close) {
          p++;
          break;
        }
        if (ch === COMMA) {
          p++;
          continue;
        }
        const ns = p;
        p = this.ident(p);
        if (p === ns) {
          throw new EntryError(ns, ch === AT ? `Expected a field name or '${String.fromCharCode(close)}'; a new entry starts here` : `Expected a field name, found '${text[ns]}'`);
        }
        const nameEnd = p;
        p = this.ws(p);
        if (p >= len || text.charCodeAt(p) !== EQ) {
          throw new EntryError(ns, `Expected '=' after the field name '${text.slice(ns, nameEnd)}'`, nameEnd - ns);
        }
        const nameId = this.names.id(text, ns, nameEnd);
        this.value(p + 1, key);
        if (rec) {
          if (this.stampOf(nameId) === serial) {
            this.problem('duplicate-field', 'warning', ns, nameEnd, `Field '${this.names.names[nameId]}' appears twice in '${key}'; the first is used`, key);
          } else {
            this.stamps[nameId] = serial;
            store.push(nameId, this.vStart, this.vStop, this.vExact ? -1 : store.string(this.vRaw ?? ''), -1);
            rec.count++;
          }
        }
        p = this.vEnd;
        this.lastGood = p;
        p = this.ws(p);
        ch = p < len ? text.charCodeAt(p) : -1;
        if (ch === COMMA) {
          p++;
          continue;
        }
        if (ch === close) {
          p++;
          break;
        }
        if (ch >= 0 && isIdent(ch) && ch !== AT) {
          // a missing comma between fields: report and read on
          const q = this.ws(this.ident(p));
          if (q < len && text.charCodeAt(q) === EQ) {
            this.problem('syntax', 'error', this.vStop, Math.min(len, this.vStop + 1), `Missing ',' after the field '${this.names.names[nameId]}'`, key);
            continue;
          }
        }
        throw new EntryError(p, ch === AT || ch < 0 ? `Expected ',' or '${String.fromCharCode(close)}'` : `Expected ',' or '${String.fromCharCode(close)}', found '${text[p]}'`);
      }
      this.pos = p;
      if (rec) {
        rec.range.end = p;
        this.add(rec);
      }
    } catch (e) {
      this.fail(e, at, headerEnd, key || undefined, rec);
      if (rec) this.add(rec);
    }
  }

  private serial = 0;
  private stamps = new Int32Array(256);

  private stampOf(id: number): number {
    if (id >= this.stamps.length) {
      const s = new Int32Array(Math.max(id + 1, this.stamps.length * 2));
      s.set(this.stamps);
      this.stamps = s;
    }
    return this.stamps[id];
  }

  private add(rec: StoredRecord): void {
    const prev = this.byKey.get(rec.key);
    if (prev !== undefined) {
      const p: BibProblem = {
        range: rec.keyRange,
        message: `Duplicate key '${rec.key}': it is already used by the entry at offset ${prev.range.start}; this one is ignored`,
        key: rec.key,
        kind: 'duplicate-key',
        severity: 'warning',
        entryRange: rec.range,
        related: prev.keyRange,
      };
      this.problems.push(p);
      return;
    }
    this.byKey.set(rec.key, rec);
    if (!this.needsInheritance && (rec.find(this.crossrefId) >= 0 || rec.find(this.xdataId) >= 0)) this.needsInheritance = true;
    if (rec.type === 'xdata') this.xdata.push(rec);
    else this.records.push(rec);
  }

  // ---- crossref / xdata ----

  private lowerKeys: Map<string, StoredRecord> | undefined;

  private lookup(key: string): StoredRecord | undefined {
    const r = this.byKey.get(key);
    if (r !== undefined) return r;
    if (!this.lowerKeys) {
      this.lowerKeys = new Map();
      for (const [k, v] of this.byKey) {
        const l = k.toLowerCase();
        if (!this.lowerKeys.has(l)) this.lowerKeys.set(l, v);
      }
    }
    return this.lowerKeys.get(key.toLowerCase());
  }

  inherit(): void {
    if (!this.needsInheritance) return;
    const store = this.store;
    const names = this.names;
    const noInherit = new Set<number>();
    for (const n of NO_INHERIT) noInherit.add(names.intern(n));
    const dropped = new Set<number>();
    for (const n of TITLE_DROPPED) dropped.add(names.intern(n));
    const authorId = names.intern('author');
    const bookauthorId = names.intern('bookauthor');
    const done = new Set<StoredRecord>();
    const active = new Set<StoredRecord>();

    const resolve = (rec: StoredRecord, depth: number): void => {
      if (done.has(rec) || active.has(rec) || depth > 32) return;
      active.add(rec);
      const have = new Set<number>();
      const own: number[] = [];
      for (let i = rec.first, e = rec.first + rec.count * FW; i < e; i += FW) {
        own.push(i);
        have.add(store.data[i]);
      }
      // [target name id, source position, parent key string index]
      const extra: number[] = [];
      const xi = rec.find(this.xdataId);
      if (xi >= 0) {
        const xd = store.field(xi);
        for (const k of xd.raw.split(',')) {
          const pk = k.trim();
          if (!pk) continue;
          const parent = this.lookup(pk);
          if (!parent || parent === rec) {
            this.problem('missing-crossref', 'warning', xd.range.start, xd.range.end, `xdata entry '${pk}' is not in this file`, rec.key);
            continue;
          }
          resolve(parent, depth + 1);
          let from = -1;
          for (let i = parent.first, e = parent.first + parent.count * FW; i < e; i += FW) {
            const id = store.data[i];
            if (noInherit.has(id) || have.has(id)) continue;
            if (from < 0) from = store.string(parent.key);
            extra.push(id, i, from);
            have.add(id);
          }
        }
      }
      const ci = rec.find(this.crossrefId);
      if (ci >= 0 && store.data[ci + 4] < 0) {
        const cr = store.field(ci);
        const pk = cr.raw.trim().replace(/[{}]/g, '');
        const parent = pk ? this.lookup(pk) : undefined;
        if (!parent) {
          this.problem('missing-crossref', 'warning', cr.range.start, cr.range.end, `crossref entry '${pk}' is not in this file`, rec.key);
        } else if (parent !== rec) {
          resolve(parent, depth + 1);
          const mapping = TITLE_MAP[parent.type];
          const mapTitles = mapping !== undefined && mapping[1].has(rec.type);
          const prefix = mapTitles ? mapping![0] : '';
          const bookAuthor = (parent.type === 'mvbook' || parent.type === 'book') && BOOK_PART.has(rec.type);
          let from = -1;
          for (let i = parent.first, e = parent.first + parent.count * FW; i < e; i += FW) {
            const id = store.data[i];
            if (noInherit.has(id)) continue;
            let target = id;
            if (mapTitles) {
              const name = names.names[id];
              if (name === 'title' || name === 'subtitle' || (name === 'titleaddon' && prefix !== 'journal')) target = names.intern(prefix + name);
              else if (dropped.has(id)) continue;
            }
            if (!have.has(target)) {
              if (from < 0) from = store.string(parent.key);
              extra.push(target, i, from);
              have.add(target);
            }
            if (bookAuthor && id === authorId && !have.has(bookauthorId)) {
              if (from < 0) from = store.string(parent.key);
              extra.push(bookauthorId, i, from);
              have.add(bookauthorId);
            }
          }
        }
      }
      if (extra.length > 0) {
        // Move the record's fields, own then inherited, to a new run at the end of the store.
        const first = store.n;
        for (const i of own) {
          const d = store.data;
          store.push(d[i], d[i + 1], d[i + 2], d[i + 3], d[i + 4]);
        }
        for (let k = 0; k < extra.length; k += 3) {
          const d = store.data;
          const i = extra[k + 1];
          store.push(extra[k], d[i + 1], d[i + 2], d[i + 3], d[i + 4] >= 0 ? d[i + 4] : extra[k + 2]);
        }
        rec.first = first;
        rec.count = own.length + extra.length / 3;
      }
      active.delete(rec);
      done.add(rec);
    };
    for (const rec of this.records) {
      if (rec.find(this.crossrefId) >= 0 || rec.find(this.xdataId) >= 0) resolve(rec, 0);
    }
  }
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  return end;
}

/** Reads a `.bib` file (BibTeX or BibLaTeX). Never throws. */
export function parseBibtex(text: string, uri = ''): BibParseResult {
  void uri;
  const r = new Reader(typeof text === 'string' ? text : '');
  try {
    r.read();
  } catch (e) {
    // Defensive: the reader catches its own errors per entry.
    r.problems.push({ range: { start: r.pos, end: r.pos }, message: `Could not read the rest of the file: ${String(e)}`, kind: 'syntax', severity: 'error' });
  }
  try {
    r.inherit();
  } catch {
    // keep what was read
  }
  r.store.trim();
  const out: BibParseResult = { records: r.records, problems: r.problems };
  if (r.preambles.length) out.preambles = r.preambles;
  return out;
}

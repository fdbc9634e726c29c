/**
 * CSL-JSON reader: an array of items, a single item, `{ "items": [...] }` or
 * `{ "references": [...] }`, or an object of items keyed by id.
 *
 * Uses its own small JSON reader so that every item and every top-level
 * property value has a range, and so that a syntax error has an exact
 * position. After an error inside an item of a pretty-printed array, reading
 * resumes at the next item that starts at the same indentation, so the rest of
 * the file still counts. Pure; never throws.
 */

import type { Range } from '../types';
import type { BibProblem } from './bibtex';
import type { CslItem, CslParseResult, CslRecord } from './csl';
import { normalizeCslItem } from './csl';

class JsonError {
  constructor(
    public pos: number,
    public message: string,
  ) {}
}

const MAX_DEPTH = 512;

class JsonReader {
  pos = 0;
  readonly len: number;
  constructor(readonly text: string) {
    this.len = text.length;
  }

  ws(): void {
    const t = this.text;
    let p = this.pos;
    while (p < this.len) {
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) p++;
      else break;
    }
    this.pos = p;
  }

  peek(): number {
    return this.pos < this.len ? this.text.charCodeAt(this.pos) : -1;
  }

  describe(p: number): string {
    if (p >= this.len) return 'the end of the file';
    const c = this.text[p];
    return `'${c}'`;
  }

  expect(c: number, what: string): void {
    this.ws();
    if (this.peek() !== c) throw new JsonError(this.pos, `Invalid JSON: expected ${what}, found ${this.describe(this.pos)}`);
    this.pos++;
  }

  value(depth: number): unknown {
    this.ws();
    const c = this.peek();
    if (depth > MAX_DEPTH) throw new JsonError(this.pos, 'Invalid JSON: nested too deeply');
    switch (c) {
      case 123:
        return this.object(depth, undefined);
      case 91:
        return this.array(depth);
      case 34:
        return this.string();
      case 116:
        return this.word('true', true);
      case 102:
        return this.word('false', false);
      case 110:
        return this.word('null', null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number();
        throw new JsonError(this.pos, `Invalid JSON: expected a value, found ${this.describe(this.pos)}`);
    }
  }

  word(w: string, v: unknown): unknown {
    if (this.text.startsWith(w, this.pos)) {
      this.pos += w.length;
      return v;
    }
    throw new JsonError(this.pos, `Invalid JSON: unexpected ${this.describe(this.pos)}`);
  }

  number(): number {
    const t = this.text;
    const s = this.pos;
    let p = s;
    if (t.charCodeAt(p) === 45) p++;
    const digitsStart = p;
    while (p < this.len) {
      const c = t.charCodeAt(p);
      if ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45) p++;
      else break;
    }
    const n = Number(t.slice(s, p));
    if (p === digitsStart || Number.isNaN(n)) throw new JsonError(s, `Invalid JSON: bad number '${t.slice(s, p)}'`);
    this.pos = p;
    return n;
  }

  string(): string {
    const t = this.text;
    const s = this.pos + 1;
    let p = s;
    while (p < this.len) {
      const c = t.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
        return t.slice(s, p);
      }
      if (c === 92) break;
      if (c < 32) throw new JsonError(p, 'Invalid JSON: control character in a string (a string may not span lines)');
      p++;
    }
    // slow path with escapes
    let out = t.slice(s, p);
    while (p < this.len) {
      const c = t.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
        return out;
      }
      if (c < 32) throw new JsonError(p, 'Invalid JSON: control character in a string (a string may not span lines)');
      if (c === 92) {
        const e = t[p + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = t.slice(p + 2, p + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonError(p, 'Invalid JSON: bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            p += 6;
            continue;
          }
          default:
            throw new JsonError(p, `Invalid JSON: bad escape '\\${e ?? ''}'`);
        }
        p += 2;
        continue;
      }
      out += t[p];
      p++;
    }
    throw new JsonError(s - 1, 'Invalid JSON: unclosed string');
  }

  array(depth: number): unknown[] {
    this.pos++; // [
    const out: unknown[] = [];
    this.ws();
    if (this.peek() === 93) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.peek();
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 93) {
        this.pos++;
        return out;
      }
      throw new JsonError(this.pos, `Invalid JSON: expected ',' or ']' after an array element, found ${this.describe(this.pos)}`);
    }
  }

  /** Reads an object; when `ranges` is given, records each property value's range. */
  object(depth: number, ranges: Map<string, Range> | undefined, onArray?: (key: string) => boolean): Record<string, unknown> {
    this.pos++; // {
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.peek() === 125) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.peek() !== 34) {
        throw new JsonError(this.pos, `Invalid JSON: expected a property name in double quotes, found ${this.describe(this.pos)}`);
      }
      const key = this.string();
      this.expect(58, "':'");
      this.ws();
      const vs = this.pos;
      let v: unknown;
      if (onArray && this.peek() === 91 && onArray(key)) v = undefined;
      else v = this.value(depth + 1);
      if (v !== undefined) {
        if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        else out[key] = v;
      }
      if (ranges) {
        let s = vs;
        let e = this.pos;
        if (this.text.charCodeAt(s) === 34 && e - s >= 2) {
          s++;
          e--;
        }
        ranges.set(key, { start: s, end: e });
      }
      this.ws();
      const c = this.peek();
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 125) {
        this.pos++;
        return out;
      }
      throw new JsonError(this.pos, `Invalid JSON: expected ',' or '}' after a property, found ${this.describe(this.pos)}`);
    }
  }
}

function lineIndent(text: string, p: number): string {
  let s = p;
  while (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) s--;
  const lead = text.slice(s, p);
  return /^[ \t]*$/.test(lead) ? lead : '\u0000';
}

/** Next `{` after `from` at the start of a line with exactly `indent` before it. */
function nextItemStart(text: string, from: number, indent: string): number {
  if (indent === '\u0000') return -1;
  let p = from;
  for (;;) {
    const nl = text.indexOf('\n', p);
    if (nl < 0) return -1;
    const s = nl + 1;
    if (text.startsWith(indent, s) && text.charCodeAt(s + indent.length) === 123) return s + indent.length;
    p = s;
  }
}

function errorRange(text: string, pos: number): Range {
  const start = Math.min(pos, text.length);
  return { start, end: Math.min(text.length, start + 1) };
}

/** Turns a parsed object into a record, reporting what is missing. */
export function cslRecordFromObject(
  obj: Record<string, unknown>,
  range: Range,
  ranges: Map<string, Range>,
  format: CslRecord['format'],
  problems: BibProblem[],
  fallbackId?: string,
): CslRecord {
  let id = obj.id;
  let key = '';
  if (typeof id === 'string' || typeof id === 'number') key = String(id);
  else if (fallbackId !== undefined) key = fallbackId;
  if (key === '') {
    problems.push({
      range: { start: range.start, end: Math.min(range.end, range.start + 1) },
      message: `This ${format === 'csl-yaml' ? 'CSL-YAML' : 'CSL-JSON'} item has no "id"; it cannot be cited by key`,
      kind: 'missing-id',
      severity: 'warning',
      entryRange: range,
    });
  }
  id = key;
  const type = typeof obj.type === 'string' && obj.type ? obj.type : 'document';
  const item = normalizeCslItem({ ...obj, id: key, type } as CslItem);
  const rec: CslRecord = { format, key, type, range, item, fieldRanges: ranges };
  const kr = ranges.get('id');
  if (kr) rec.keyRange = kr;
  return rec;
}

/** Reads CSL-JSON. Never throws. */
export function parseCslJson(text: string, uri = ''): CslParseResult {
  void uri;
  const records: CslRecord[] = [];
  const problems: BibProblem[] = [];
  if (typeof text !== 'string') return { records, problems };
  const r = new JsonReader(text);
  const seen = new Map<string, CslRecord>();
  const addItem = (obj: Record<string, unknown>, start: number, ranges: Map<string, Range>, fallbackId?: string): void => {
    const rec = cslRecordFromObject(obj, { start, end: r.pos }, ranges, 'csl-json', problems, fallbackId);
    if (rec.key !== '') {
      const prev = seen.get(rec.key);
      if (prev) {
        problems.push({
          range: rec.keyRange ?? { start, end: start + 1 },
          message: `Duplicate id '${rec.key}': it is already used by the item at offset ${prev.range.start}; this one is ignored`,
          key: rec.key,
          kind: 'duplicate-key',
          severity: 'warning',
          entryRange: rec.range,
          related: prev.keyRange,
        });
        return;
      }
      seen.set(rec.key, rec);
    }
    records.push(rec);
  };

  /** Reads an array of items at r.pos (a `[`), recovering after a broken item. */
  const itemArray = (): void => {
    r.pos++; // [
    r.ws();
    if (r.peek() === 93) {
      r.pos++;
      return;
    }
    let indent: string | undefined;
    for (;;) {
      r.ws();
      const start = r.pos;
      if (indent === undefined && r.peek() === 123) indent = lineIndent(text, start);
      try {
        if (r.peek() === 123) {
          const ranges = new Map<string, Range>();
          const obj = r.object(1, ranges);
          addItem(obj, start, ranges);
        } else {
          r.value(1);
          problems.push({ range: { start, end: Math.max(start + 1, r.pos) }, message: 'A CSL-JSON item must be an object', kind: 'invalid-item', severity: 'error' });
        }
        r.ws();
        const c = r.peek();
        if (c === 44) {
          r.pos++;
          continue;
        }
        if (c === 93) {
          r.pos++;
          return;
        }
        throw new JsonError(r.pos, `Invalid JSON: expected ',' or ']' after an item, found ${r.describe(r.pos)}`);
      } catch (e) {
        if (!(e instanceof JsonError)) throw e;
        problems.push({ range: errorRange(text, e.pos), message: e.message, kind: 'invalid-json', severity: 'error', entryRange: { start, end: Math.max(start, Math.min(e.pos + 1, text.length)) } });
        const next = indent === undefined ? -1 : nextItemStart(text, Math.max(e.pos, start + 1), indent);
        if (next < 0) {
          r.pos = text.length;
          return;
        }
        r.pos = next;
      }
    }
  };

  try {
    r.ws();
    const c = r.peek();
    if (c === -1) return { records, problems };
    if (c === 91) {
      itemArray();
    } else if (c === 123) {
      const start = r.pos;
      const ranges = new Map<string, Range>();
      let sawArray = false;
      const obj = r.object(0, ranges, (key) => {
        if (key === 'items' || key === 'references') {
          sawArray = true;
          itemArray();
          return true;
        }
        return false;
      });
      if (!sawArray) {
        if ('id' in obj || 'type' in obj || 'title' in obj || 'author' in obj) {
          addItem(obj, start, ranges);
        } else {
          // an object of items keyed by id
          for (const [k, v] of Object.entries(obj)) {
            if (v && typeof v === 'object' && !Array.isArray(v)) {
              const vr = ranges.get(k) ?? { start, end: r.pos };
              records.push(cslRecordFromObject(v as Record<string, unknown>, vr, new Map(), 'csl-json', problems, k));
            }
          }
        }
      }
    } else {
      throw new JsonError(r.pos, `Invalid JSON: a CSL-JSON file holds an array of items, found ${r.describe(r.pos)}`);
    }
    r.ws();
    if (r.pos < text.length) {
      problems.push({ range: errorRange(text, r.pos), message: `Invalid JSON: unexpected ${r.describe(r.pos)} after the end of the data`, kind: 'invalid-json', severity: 'error' });
    }
  } catch (e) {
    if (e instanceof JsonError) {
      problems.push({ range: errorRange(text, e.pos), message: e.message, kind: 'invalid-json', severity: 'error' });
    } else {
      problems.push({ range: { start: 0, end: 0 }, message: `Could not read the file: ${String(e)}`, kind: 'invalid-json', severity: 'error' });
    }
  }
  return { records, problems };
}

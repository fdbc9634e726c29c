/**
 * RIS reader. Records run from `TY  - ` to `ER  - `; each tag line is
 * `XX  - value` (lenient about the spaces); lines that are not tag lines
 * continue the previous value. Each record becomes a CSL item. Pure; never throws.
 */

import type { Range } from '../types';
import type { BibProblem } from './bibtex';
import type { CslItem, CslName, CslParseResult, CslRecord } from './csl';
import { parseDateString } from './csl';

const TYPES: Record<string, string> = Object.assign(Object.create(null), {
  ABST: 'article', ADVS: 'motion_picture', AGGR: 'dataset', ANCIENT: 'manuscript', ART: 'graphic',
  BILL: 'bill', BLOG: 'post-weblog', BOOK: 'book', CASE: 'legal_case', CHAP: 'chapter',
  CHART: 'graphic', CLSWK: 'musical_score', COMP: 'software', CONF: 'paper-conference',
  CPAPER: 'paper-conference', CTLG: 'book', DATA: 'dataset', DBASE: 'dataset', DICT: 'entry-dictionary',
  EBOOK: 'book', ECHAP: 'chapter', EDBOOK: 'book', EJOUR: 'article-journal', ELEC: 'webpage',
  ENCYC: 'entry-encyclopedia', EQUA: 'figure', FIGURE: 'figure', GEN: 'document', GOVDOC: 'report',
  GRANT: 'report', HEAR: 'hearing', ICOMM: 'personal_communication', INPR: 'article-journal',
  JFULL: 'periodical', JOUR: 'article-journal', LEGAL: 'legal_case', MANSCPT: 'manuscript', MAP: 'map',
  MGZN: 'article-magazine', MPCT: 'motion_picture', MULTI: 'webpage', MUSIC: 'song', NEWS: 'article-newspaper',
  PAMP: 'pamphlet', PAT: 'patent', PCOMM: 'personal_communication', RPRT: 'report', SER: 'book',
  SLIDE: 'graphic', SOUND: 'song', STAND: 'standard', STAT: 'legislation', THES: 'thesis',
  UNBILL: 'bill', UNPB: 'manuscript', VIDEO: 'motion_picture', WEB: 'webpage',
});

interface Tag {
  tag: string;
  value: string;
  range: Range;
}

/** `Smith, John A.`, `Smith, J., Jr.`, or a body (no comma). */
export function risName(s: string): CslName {
  const t = s.trim();
  const parts = t.split(',').map((p) => p.trim());
  if (parts.length === 1) return { literal: t };
  const n: CslName = { family: parts[0] };
  if (parts[1]) n.given = parts[1];
  if (parts[2]) n.suffix = parts[2];
  return n;
}

function tagLine(line: string): { tag: string; valueAt: number } | undefined {
  // `TY  - JOUR`, lenient: `TY - JOUR`, `TY  -`, `ER  -`
  if (line.length < 4) return undefined;
  const a = line.charCodeAt(0);
  const b = line.charCodeAt(1);
  if (!(a >= 65 && a <= 90)) return undefined;
  if (!((b >= 65 && b <= 90) || (b >= 48 && b <= 57))) return undefined;
  let p = 2;
  while (p < line.length && line.charCodeAt(p) === 32) p++;
  if (p === 2 || line.charCodeAt(p) !== 45) return undefined;
  p++;
  if (p < line.length && line.charCodeAt(p) === 32) p++;
  return { tag: line.slice(0, 2), valueAt: p };
}

function buildItem(tags: Tag[], problems: BibProblem[], range: Range): CslRecord {
  const item: CslItem = { id: '', type: 'article' };
  const ranges = new Map<string, Range>();
  let key = '';
  let keyRange: Range | undefined;
  let sp = '';
  let ep = '';
  let year: Range | undefined;
  const authors: CslName[] = [];
  const editors: CslName[] = [];
  let authorRange: Range | undefined;
  let editorRange: Range | undefined;
  const keywords: string[] = [];
  const cover = (r: Range | undefined, add: Range): Range => (r ? { start: Math.min(r.start, add.start), end: Math.max(r.end, add.end) } : add);
  const set = (field: string, v: string, r: Range): void => {
    if (v === '' || item[field] !== undefined) return;
    item[field] = v;
    ranges.set(field, r);
  };
  for (const t of tags) {
    const v = t.value.trim();
    switch (t.tag) {
      case 'TY':
        item.type = TYPES[v.toUpperCase()] ?? 'document';
        break;
      case 'ID':
        if (!key && v) {
          key = v;
          keyRange = t.range;
        }
        break;
      case 'AU':
      case 'A1':
        if (v) {
          authors.push(risName(v));
          authorRange = cover(authorRange, t.range);
        }
        break;
      case 'ED':
      case 'A2':
      case 'A3':
        if (v && (t.tag === 'ED' || (t.tag === 'A2' && !['JOUR', 'article-journal'].includes(item.type)))) {
          editors.push(risName(v));
          editorRange = cover(editorRange, t.range);
        }
        break;
      case 'TI':
      case 'T1':
      case 'CT':
        set('title', v, t.range);
        break;
      case 'T2':
      case 'JO':
      case 'JF':
      case 'BT':
        set('container-title', v, t.range);
        break;
      case 'JA':
      case 'J2':
        set('container-title-short', v, t.range);
        break;
      case 'T3':
        set('collection-title', v, t.range);
        break;
      case 'PY':
      case 'Y1':
      case 'DA':
      case 'Y2': {
        if (t.tag === 'Y2') break;
        if (item.issued === undefined || (t.tag === 'DA' && year === undefined)) {
          const d = parseDateString(v.replace(/\/+$/, ''));
          if (d) {
            item.issued = d;
            ranges.set('issued', t.range);
            if (/^\d{4}/.test(v)) year = t.range;
          }
        }
        break;
      }
      case 'VL':
        set('volume', v, t.range);
        break;
      case 'IS':
        set('issue', v, t.range);
        break;
      case 'SP':
        sp = v;
        break;
      case 'EP':
        ep = v;
        break;
      case 'DO':
        set('DOI', v.replace(/^https?:\/\/(dx\.)?doi\.org\//i, ''), t.range);
        break;
      case 'UR':
      case 'L2':
        set('URL', v, t.range);
        break;
      case 'PB':
        set('publisher', v, t.range);
        break;
      case 'CY':
      case 'PP':
        set('publisher-place', v, t.range);
        break;
      case 'SN':
        set(/^\d{4}-?\d{3}[\dxX]$/.test(v) ? 'ISSN' : 'ISBN', v, t.range);
        break;
      case 'AB':
      case 'N2':
        set('abstract', v, t.range);
        break;
      case 'N1':
        set('note', v, t.range);
        break;
      case 'ET':
        set('edition', v, t.range);
        break;
      case 'LA':
        set('language', v, t.range);
        break;
      case 'KW':
        if (v) keywords.push(v);
        break;
      case 'M3':
        set('genre', v, t.range);
        break;
      default:
        break;
    }
  }
  if (authors.length) {
    item.author = authors;
    if (authorRange) ranges.set('author', authorRange);
  }
  if (editors.length) {
    item.editor = editors;
    if (editorRange) ranges.set('editor', editorRange);
  }
  if (sp) item.page = ep && ep !== sp ? `${sp}-${ep}` : sp;
  if (keywords.length) item.keyword = keywords.join(', ');
  item.id = key;
  const rec: CslRecord = { format: 'ris', key, type: item.type, range, item, fieldRanges: ranges };
  if (keyRange) rec.keyRange = keyRange;
  void problems;
  return rec;
}

/** Reads RIS. Never throws. */
export function parseRis(text: string, uri = ''): CslParseResult {
  void uri;
  const records: CslRecord[] = [];
  const problems: BibProblem[] = [];
  if (typeof text !== 'string') return { records, problems };
  try {
    const len = text.length;
    let p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let tags: Tag[] | undefined;
    let recStart = 0;
    let recEnd = 0;
    let last: Tag | undefined;
    let strayStart = -1;
    let strayEnd = -1;
    const seen = new Map<string, CslRecord>();
    const flushStray = (): void => {
      if (strayStart >= 0) {
        problems.push({ range: { start: strayStart, end: strayEnd }, message: "Text outside a RIS record (records start with 'TY  - ')", kind: 'syntax', severity: 'warning' });
        strayStart = -1;
      }
    };
    const finish = (end: number): void => {
      if (!tags) return;
      const rec = buildItem(tags, problems, { start: recStart, end });
      if (rec.key) {
        const prev = seen.get(rec.key);
        if (prev) {
          problems.push({
            range: rec.keyRange ?? { start: recStart, end: recStart + 2 },
            message: `Duplicate ID '${rec.key}': it is already used by the record at offset ${prev.range.start}; this one is ignored`,
            key: rec.key,
            kind: 'duplicate-key',
            severity: 'warning',
            entryRange: rec.range,
            related: prev.keyRange,
          });
          tags = undefined;
          return;
        }
        seen.set(rec.key, rec);
      }
      records.push(rec);
      tags = undefined;
    };
    while (p < len) {
      let nl = text.indexOf('\n', p);
      if (nl < 0) nl = len;
      let lineEnd = nl;
      if (lineEnd > p && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      const line = text.slice(p, lineEnd);
      const t = tagLine(line);
      if (t) {
        const value = line.slice(t.valueAt);
        const range = { start: p + t.valueAt, end: lineEnd };
        if (t.tag === 'TY') {
          flushStray();
          if (tags) {
            problems.push({ range: { start: recStart, end: Math.min(recStart + 2, len) }, message: "This RIS record has no 'ER  - ' line before the next record", kind: 'syntax', severity: 'error', entryRange: { start: recStart, end: recEnd } });
            finish(recEnd);
          }
          tags = [];
          recStart = p;
          recEnd = lineEnd;
          last = { tag: 'TY', value, range };
          tags.push(last);
        } else if (t.tag === 'ER') {
          if (!tags) {
            problems.push({ range: { start: p, end: lineEnd }, message: "'ER' without a record: records start with 'TY  - '", kind: 'syntax', severity: 'error' });
          } else {
            finish(lineEnd);
          }
          last = undefined;
        } else if (tags) {
          last = { tag: t.tag, value, range };
          tags.push(last);
          recEnd = lineEnd;
        } else {
          if (strayStart < 0) strayStart = p;
          strayEnd = lineEnd;
        }
      } else if (line.trim() !== '') {
        if (tags && last) {
          last.value += ' ' + line.trim();
          last.range = { start: last.range.start, end: lineEnd };
          recEnd = lineEnd;
        } else if (!tags) {
          if (strayStart < 0) strayStart = p;
          strayEnd = lineEnd;
        }
      }
      p = nl + 1;
    }
    flushStray();
    if (tags) {
      problems.push({ range: { start: recStart, end: Math.min(recStart + 2, len) }, message: "This RIS record has no 'ER  - ' line", kind: 'syntax', severity: 'error', entryRange: { start: recStart, end: recEnd } });
      finish(recEnd);
    }
  } catch (e) {
    problems.push({ range: { start: 0, end: 0 }, message: `Could not read the file: ${String(e)}`, kind: 'syntax', severity: 'error' });
  }
  return { records, problems };
}

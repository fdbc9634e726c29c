/**
 * CSL-YAML reader (pandoc's `references:` list, in a YAML file or a
 * front-matter block, or a bare top-level list of items), built on the pure-JS
 * `yaml` package, which keeps node ranges (UTF-16 offsets) and goes on after
 * errors. Pure; never throws.
 */

import type * as YamlLib from 'yaml';
import type { Document, Node as YamlNode, YAMLMap, YAMLSeq } from 'yaml';

/**
 * The YAML library, loaded on first use: most runs read no YAML bibliography, and loading it costs
 * a command-line run about a fifth of its time.
 */
let yamlLib: typeof YamlLib | undefined;
function yaml(): typeof YamlLib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlLib ??= require('yaml') as typeof YamlLib);
}
import type { Range } from '../types';
import type { BibProblem } from './bibtex';
import type { CslParseResult, CslRecord } from './csl';
import { cslRecordFromObject } from './cslJson';

function nodeRange(n: YamlNode | null | undefined): Range | undefined {
  const r = n?.range;
  if (!r) return undefined;
  return { start: r[0], end: r[1] };
}

function itemsOf(doc: Document.Parsed): YAMLSeq | undefined {
  const c = doc.contents;
  if (yaml().isSeq(c)) return c;
  if (yaml().isMap(c)) {
    const refs = c.get('references', true);
    if (yaml().isSeq(refs)) return refs;
  }
  return undefined;
}

/** Reads CSL-YAML. Never throws. */
export function parseCslYaml(text: string, uri = ''): CslParseResult {
  void uri;
  const records: CslRecord[] = [];
  const problems: BibProblem[] = [];
  if (typeof text !== 'string' || text.trim() === '') return { records, problems };
  try {
    const docs = yaml().parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: false });
    const list = Array.isArray(docs) ? (docs as Document.Parsed[]) : [];
    let chosen: Document.Parsed | undefined;
    let seq: YAMLSeq | undefined;
    for (const d of list) {
      const s = itemsOf(d);
      if (s) {
        chosen = d;
        seq = s;
        break;
      }
    }
    const reportErrors = (d: Document.Parsed): void => {
      for (const e of d.errors) {
        const [s, en] = e.pos ?? [0, 0];
        problems.push({ range: { start: s, end: Math.max(en, s) }, message: `Invalid YAML: ${e.message.split('\n')[0]}`, kind: 'invalid-yaml', severity: 'error' });
      }
    };
    if (!chosen || !seq) {
      if (list[0]) reportErrors(list[0]);
      if (problems.length === 0) {
        problems.push({ range: { start: 0, end: 0 }, message: 'No CSL-YAML items found: expected a list of items or a `references:` list', kind: 'invalid-item', severity: 'warning' });
      }
      return { records, problems };
    }
    reportErrors(chosen);
    const seen = new Map<string, CslRecord>();
    for (const node of seq.items) {
      const n = node as YamlNode;
      const range = nodeRange(n) ?? { start: 0, end: 0 };
      if (!yaml().isMap(n)) {
        problems.push({ range, message: 'A CSL-YAML item must be a mapping (`- id: …`)', kind: 'invalid-item', severity: 'error' });
        continue;
      }
      const ranges = new Map<string, Range>();
      for (const pair of (n as YAMLMap).items) {
        const k = yaml().isScalar(pair.key) ? String(pair.key.value) : undefined;
        const vr = nodeRange(pair.value as YamlNode | null);
        if (k !== undefined && vr) ranges.set(k, vr);
      }
      let obj: unknown;
      try {
        obj = n.toJS(chosen, { maxAliasCount: 100 });
      } catch (e) {
        problems.push({ range, message: `Could not read this item: ${String(e)}`, kind: 'invalid-yaml', severity: 'error' });
        continue;
      }
      if (!obj || typeof obj !== 'object') continue;
      const rec = cslRecordFromObject(obj as Record<string, unknown>, range, ranges, 'csl-yaml', problems);
      if (rec.key !== '') {
        const prev = seen.get(rec.key);
        if (prev) {
          problems.push({
            range: rec.keyRange ?? range,
            message: `Duplicate id '${rec.key}': it is already used by the item at offset ${prev.range.start}; this one is ignored`,
            key: rec.key,
            kind: 'duplicate-key',
            severity: 'warning',
            entryRange: rec.range,
            related: prev.keyRange,
          });
          continue;
        }
        seen.set(rec.key, rec);
      }
      records.push(rec);
    }
  } catch (e) {
    problems.push({ range: { start: 0, end: 0 }, message: `Could not read the file: ${String(e)}`, kind: 'invalid-yaml', severity: 'error' });
  }
  return { records, problems };
}

import type { Check } from './check';
import { entryLabel, firstLineRange } from './describe';
import { fold } from '../text/fold';
import { byEntry, countKeys, familiesKey } from './entryKeys';
import type { ReferenceEntry } from '../types';

/** Two entries by the same first author whose text after the year is the same. */
export const duplicateReference: Check = {
  code: 'duplicate-reference',
  defaultSeverity: 'warning',
  description: 'The same entry twice in the reference list.',
  scope: 'list',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    // Entries repeat one another when they have the same key (first authors and title, folded,
    // kept per entry): count the keys, then pair the few entries whose key recurs.
    const list = ctx.listEntries;
    // Two entries with one key have the same first authors: only entries whose authors recur
    // need their title folded and their key made.
    const who = list.map((i) => (ctx.references[i].source.kind === 'list' ? familiesKey(ctx.references[i].authors, ctx.once) : ''));
    const byAuthors = countKeys(who);
    if (!byAuthors.repeats) return out;
    const keys = list.map((i, j) => (who[j] !== '' && byAuthors.counts.get(who[j])! >= 2 ? duplicateKey(ctx.references[i], ctx.once) : ''));
    const { counts, repeats } = countKeys(keys);
    if (!repeats) return out;
    const seen = new Map<string, number>();
    for (let j = 0; j < list.length; j++) {
      const i = list[j];
      const e = ctx.references[i];
      const k = keys[j];
      if (k === '' || counts.get(k)! < 2) continue;
      const prev = seen.get(k);
      if (prev === undefined) { seen.set(k, i); continue; }
      const p = ctx.references[prev];
      const pl = ctx.lines.lineAt(p.range.start) + 1;
      const sameYear = p.year + p.suffix === e.year + e.suffix;
      // Both entries are flagged, each pointing at the other.
      out.push({
        uri: p.uri,
        range: firstLineRange(ctx.text, p),
        message: `${entryLabel(p)} is repeated on line ${ctx.lines.lineAt(e.range.start) + 1}${sameYear ? '' : ` (${entryLabel(e)}), with another year`}.`,
        fixes: [],
        data: { entry: prev, duplicateOf: i },
        related: [{ uri: e.uri, range: e.range, message: 'repeated entry' }],
      });
      out.push({
        uri: e.uri,
        range: firstLineRange(ctx.text, e),
        message: `${entryLabel(e)} repeats the entry on line ${pl}${sameYear ? '' : ` (${entryLabel(p)}), with another year`}.`,
        fixes: sameYear ? [{ title: 'Remove this duplicate entry', edits: [{ range: { start: e.range.start, end: nextLineStart(ctx.text, e.range.end) }, newText: '' }] }] : [],
        data: { entry: i, duplicateOf: prev },
        related: [{ uri: p.uri, range: p.range, message: 'first entry' }],
      });
    }
    return out;
  },
};

function nextLineStart(text: string, end: number): number {
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

/** What makes two entries the same work: authors and title, folded ('' when an entry has too little to tell). Kept per entry. */
const KEYS = new WeakMap<ReferenceEntry, string>();

function duplicateKey(e: ReferenceEntry, once?: boolean): string {
  return byEntry(KEYS, e, () => {
    const who = e.source.kind === 'list' ? familiesKey(e.authors, once) : '';
    const rest = who ? fold(e.title ?? '') : '';
    return who && rest.length >= 8 ? `${who}\u0001${rest}` : '';
  }, once);
}

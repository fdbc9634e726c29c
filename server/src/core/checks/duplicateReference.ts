import type { Check } from './check';
import { entryLabel, firstLineRange } from './describe';
import { fold } from '../text/fold';
import { familiesKey } from './entryKeys';

/** Two entries by the same first author whose text after the year is the same. */
export const duplicateReference: Check = {
  code: 'duplicate-reference',
  defaultSeverity: 'warning',
  description: 'The same entry twice in the reference list.',
  scope: 'list',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    /** Folded authors -> folded title -> the first entry with them. */
    const seen = new Map<string, Map<string, number>>();
    // Only entries whose authors recur can repeat one another: count the authors first, so the
    // titles (long, and folded afresh on every run) are folded for those few entries alone.
    const whoOf = new Map<number, string>();
    const authorCount = new Map<string, number>();
    for (const i of ctx.listEntries) {
      const e = ctx.references[i];
      if (e.source.kind !== 'list') continue;
      const who = familiesKey(e.authors);
      if (!who) continue;
      whoOf.set(i, who);
      authorCount.set(who, (authorCount.get(who) ?? 0) + 1);
    }
    for (const i of ctx.listEntries) {
      const who = whoOf.get(i);
      if (who === undefined || authorCount.get(who)! < 2) continue;
      const e = ctx.references[i];
      const rest = fold(e.title ?? '');
      if (!who || rest.length < 8) continue;
      let byTitle = seen.get(who);
      if (!byTitle) seen.set(who, (byTitle = new Map()));
      const prev = byTitle.get(rest);
      if (prev === undefined) { byTitle.set(rest, i); continue; }
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

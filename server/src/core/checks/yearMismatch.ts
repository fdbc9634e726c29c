import type { Check } from './check';
import { entryExcerpt, entryLabel, where, citationLabel } from './describe';
import { yearWithSuffix } from '../syntax/words';

export const yearMismatch: Check = {
  code: 'year-mismatch',
  defaultSeverity: 'error',
  description: 'The authors match an entry, the year does not (`MIC 2024` vs `MIC 2023`).',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    for (const i of ctx.notable) {
      const c = ctx.citations[i];
      const r = ctx.resolutions[i];
      if (r.status !== 'year-mismatch' || r.entry === undefined || c.ignored) continue;
      const e = ctx.references[r.entry];
      const listed = yearWithSuffix(e.year, e.suffix);
      const cited = yearWithSuffix(c.year, c.suffix);
      const others = (r.candidates ?? []).filter((k) => k !== r.entry).map((k) => ctx.references[k]);
      const also = others.length ? ` (also ${others.map((o) => yearWithSuffix(o.year, o.suffix)).join(', ')})` : '';
      out.push({
        uri: ctx.uri,
        range: c.yearRange,
        // An entry without a year that can be read (`Baker, John. 202.`) is not `n.d.` to the writer.
        message: e.year === '' && !also
          ? `'${citationLabel(c)}': the reference list has ${entryLabel(e).replace(/ n\.d\.$/, '')} (${where(ctx.lines, e, ctx.uri)}) with no year that can be read, not ${cited}.`
          : `'${citationLabel(c)}': the reference list has ${entryLabel(e)}${also} (${where(ctx.lines, e, ctx.uri)}), not ${cited}.`,
        fixes: [e, ...others].filter((x) => x.year).map((x, k) => ({
          title: `Change ${cited} to ${yearWithSuffix(x.year, x.suffix)}`,
          edits: [{ range: c.yearRange, newText: yearWithSuffix(x.year, x.suffix) }],
          preferred: k === 0,
        })),
        data: { citation: i, entry: r.entry, cited, listed },
        related: [{ uri: e.uri, range: e.range, message: entryExcerpt(e) }],
      });
    }
    return out;
  },
};

import type { Check } from './check';
import { entryExcerpt, where, citationLabel } from './describe';

export const authorMismatch: Check = {
  code: 'author-mismatch',
  defaultSeverity: 'error',
  description: 'The year matches an entry, a name is a near miss (`Nigram` vs `Nigam`, `Parn` vs `Pärn`).',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    // `Maimkan (1999a, b)`: one name, several years: one diagnostic.
    const reported = new Set<number>();
    for (const i of ctx.notable) {
      const c = ctx.citations[i];
      const r = ctx.resolutions[i];
      if (r.status !== 'author-mismatch' || r.entry === undefined || !r.nameDiffers || c.ignored) continue;
      if (reported.has(r.nameDiffers.cited.range.start)) continue;
      reported.add(r.nameDiffers.cited.range.start);
      const e = ctx.references[r.entry];
      const { cited, listed } = r.nameDiffers;
      out.push({
        uri: ctx.uri,
        range: cited.range,
        message: `'${citationLabel(c)}': the reference list spells the name '${listed}' (${where(ctx.lines, e, ctx.uri)}), not '${cited.text}'.`,
        fixes: [{ title: `Change '${cited.text}' to '${listed}'`, edits: [{ range: cited.range, newText: listed }], preferred: true }],
        data: { citation: i, entry: r.entry, cited: cited.text, listed },
        related: [{ uri: e.uri, range: e.range, message: entryExcerpt(e) }],
      });
    }
    return out;
  },
};

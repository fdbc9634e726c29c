import type { Check } from './check';
import { entryExcerpt, where, citationLabel } from './describe';
import { yearWithSuffix } from '../syntax/words';

export const ambiguousCitation: Check = {
  code: 'ambiguous-citation',
  defaultSeverity: 'warning',
  description: 'More than one entry fits the citation (`Xie et al. 2020` with two such entries).',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    for (const i of ctx.notable) {
      const c = ctx.citations[i];
      const r = ctx.resolutions[i];
      if (r.status !== 'ambiguous' || !r.candidates || c.ignored) continue;
      const es = r.candidates.map((k) => ctx.references[k]);
      const withSuffix = es.filter((e) => e.suffix);
      out.push({
        uri: ctx.uri,
        range: c.range,
        message: `'${citationLabel(c)}' fits ${es.length} entries: ${es.map((e) => `${where(ctx.lines, e, ctx.uri)} '${entryExcerpt(e, 50)}'`).join('; ')}.${withSuffix.length ? '' : ' Give them year suffixes (a, b) to tell them apart.'}`,
        fixes: withSuffix.map((e) => ({
          title: `Cite ${yearWithSuffix(e.year, e.suffix)} (${entryExcerpt(e, 40)})`,
          edits: [{ range: c.yearRange, newText: yearWithSuffix(e.year, e.suffix) }],
        })),
        data: { citation: i, candidates: r.candidates },
        related: es.map((e) => ({ uri: e.uri, range: e.range, message: entryExcerpt(e) })),
      });
    }
    return out;
  },
};

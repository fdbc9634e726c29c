import type { Check } from './check';
import { entryLabel, where, citationLabel } from './describe';

export const unresolvedCitation: Check = {
  code: 'unresolved-citation',
  defaultSeverity: 'error',
  description: 'A citation that no entry of the reference list comes near.',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    if (ctx.references.length === 0) return out;
    for (const i of ctx.notable) {
      const c = ctx.citations[i];
      const r = ctx.resolutions[i];
      if (r.status !== 'unresolved' || c.ignored || c.kind === 'key') continue;
      const near = r.entry !== undefined ? ctx.references[r.entry] : undefined;
      const hint = near ? ` The nearest entry is ${entryLabel(near)} (${where(ctx.lines, near, ctx.uri)}).` : '';
      out.push({
        uri: ctx.uri,
        range: c.range,
        message: `'${citationLabel(c)}' is not in the reference list.${hint}`,
        fixes: [],
        data: { citation: i, nearest: r.entry },
      });
    }
    return out;
  },
};

import type { Check } from './check';
import { where, citationLabel } from './describe';

export const etAlMismatch: Check = {
  code: 'et-al-mismatch',
  defaultSeverity: 'information',
  description: '`et al.` for an entry with two authors, or one name for an entry with two.',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    for (const i of ctx.notable) {
      const c = ctx.citations[i];
      const r = ctx.resolutions[i];
      if (!r.etAlMismatch || r.entry === undefined || c.ignored) continue;
      if (r.status !== 'resolved') continue;
      const e = ctx.references[r.entry];
      const names = e.authors.map((a) => a.family);
      if (r.etAlMismatch === 'et-al-for-few' && c.etAl) {
        const etAlText = /et\.?\s*al\.?/.exec(c.text);
        const better = names.length === 2 ? `${names[0]} and ${names[1]}` : names[0];
        const fixes = [];
        const m = etAlText ? c.range.start + c.text.indexOf(etAlText[0]) : -1;
        if (m >= 0 && names.length === 1) {
          fixes.push({ title: `Cite as '${better}'`, edits: [{ range: { start: c.authors[0].range.end, end: m + etAlText![0].length }, newText: '' }] });
        } else if (m >= 0 && names.length === 2) {
          const before = ctx.text.slice(c.authors[0].range.end, m);
          fixes.push({ title: `Cite as '${better}'`, edits: [{ range: { start: c.authors[0].range.end, end: m + etAlText![0].length }, newText: before.startsWith(',') ? ` and ${names[1]}` : ` and ${names[1]}` }] });
        }
        out.push({
          uri: ctx.uri,
          range: c.range,
          message: `'${citationLabel(c)}' uses 'et al.' for an entry with ${names.length === 1 ? 'one author' : 'two authors'} (${where(ctx.lines, e, ctx.uri)}): cite it as '${better}'.`,
          fixes,
          data: { citation: i, entry: r.entry },
        });
      } else if (r.etAlMismatch === 'missing-et-al' && !c.etAl && c.authors.length === 1) {
        const a = c.authors[0];
        out.push({
          uri: ctx.uri,
          range: c.range,
          message: `'${citationLabel(c)}' names one author of an entry with two (${where(ctx.lines, e, ctx.uri)}): cite it as '${names[0]} and ${names[1]}'.`,
          fixes: [{ title: `Cite as '${a.text} and ${names[1]}'`, edits: [{ range: a.range, newText: `${a.text} and ${names[1]}` }] }],
          data: { citation: i, entry: r.entry },
        });
      }
    }
    return out;
  },
};

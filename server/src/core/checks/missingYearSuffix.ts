import type { Check } from './check';
import { entryLabel, firstLineRange } from './describe';
import { fold } from '../text/fold';

export const missingYearSuffix: Check = {
  code: 'missing-year-suffix',
  defaultSeverity: 'warning',
  description: 'Two entries share authors and year without a/b suffixes.',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    const groups = new Map<string, number[]>();
    for (const i of ctx.listEntries) {
      const e = ctx.references[i];
      if (!e.year || !/^\d{4}$/.test(e.year) || e.suffix) continue;
      const k = `${fold(e.authors.map((a) => a.family).join(' '))}|${e.etAl ? 'etal' : e.authors.length}|${e.year}`;
      const g = groups.get(k);
      if (g) g.push(i); else groups.set(k, [i]);
    }
    for (const all of groups.values()) {
      // Word-for-word repeats are duplicate-reference's business.
      const seen = new Set<string>();
      const g = all.filter((i) => {
        const k = ctx.references[i].text;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      if (g.length < 2) continue;
      const letters = 'abcdefghijklmnopqrstuvwxyz';
      const edits = g.map((i, k) => ({ range: ctx.references[i].yearRange!, newText: ctx.references[i].year + letters[k % 26] })).filter((e) => e.range);
      for (const i of g) {
        const e = ctx.references[i];
        const others = g.filter((k) => k !== i).map((k) => ctx.lines.lineAt(ctx.references[k].range.start) + 1);
        out.push({
          uri: e.uri,
          range: e.yearRange ?? firstLineRange(ctx.text, e),
          message: `${entryLabel(e)} shares its authors and year with the entry on line ${others.join(', ')}: add year suffixes (${e.year}a, ${e.year}b) and cite them apart.`,
          fixes: edits.length === g.length ? [{ title: `Add suffixes ${g.map((_, k) => e.year + letters[k]).join(', ')}`, edits }] : [],
          data: { entry: i, group: g },
        });
      }
    }
    return out;
  },
};

import type { Check } from './check';
import type { Citation } from '../types';

/**
 * What a key citation shows of its entry: `[@key]`, `@key`, `\citep`, `\citet` (author-date
 * styles) need the authors and the year; `[-@key]` and `\citeyear` only the year;
 * `\citeauthor` only the authors. Plain `\cite` and `\nocite` are left alone (the style may be numeric).
 */
function needs(c: Citation, text: string): { author: boolean; year: boolean } | undefined {
  const at = c.keyRange?.start ?? c.range.start;
  const cmd = /^\\([A-Za-z]+)/.exec(c.text)?.[1];
  if (cmd !== undefined) {
    if (/^(?:citeyear|citeyearpar|citedate)$/.test(cmd)) return { author: false, year: true };
    if (/^(?:citeauthor|Citeauthor)$/.test(cmd)) return { author: true, year: false };
    if (/^(?:citet|citep|Citet|Citep|citealt|citealp|textcite|Textcite|parencite|Parencite|autocite|Autocite)$/.test(cmd)) return { author: true, year: true };
    return undefined;
  }
  if (text.charCodeAt(at - 1) !== 64 /* @ */) return undefined;
  // `[-@key]`: the author is suppressed.
  if (text.charCodeAt(at - 2) === 45 /* - */) return { author: false, year: true };
  return { author: true, year: true };
}

export const incompleteEntry: Check = {
  code: 'incomplete-entry',
  defaultSeverity: 'warning',
  description: 'A key citation shows authors and year, but its bibliography entry has no author or editor, or no year or date.',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    for (const i of ctx.notable) {
      const c = ctx.citations[i];
      if (c.kind !== 'key' || !c.key || c.key === '*' || c.ignored) continue;
      const r = ctx.resolutions[i];
      if (r.status !== 'resolved' || r.entry === undefined || (r.candidates?.length ?? 0) > 1) continue;
      const e = ctx.references[r.entry];
      if (!e || e.source.kind !== 'bibliography') continue;
      const need = needs(c, ctx.text);
      if (!need) continue;
      const lacks: string[] = [];
      if (need.author && e.authors.length === 0) lacks.push('no author or editor');
      if (need.year && e.year === '') lacks.push('no year or date');
      if (!lacks.length) continue;
      const file = decodeURIComponent(e.uri.replace(/^.*\//, ''));
      out.push({
        uri: ctx.uri,
        range: c.keyRange ?? c.range,
        message: `'${c.key}' is cited with its authors and year, but its entry in ${file} has ${lacks.join(' and ')}.`,
        fixes: [],
        data: { citation: i, entry: r.entry, lacks },
        related: [{ uri: e.uri, range: e.range, message: `the entry '${e.key ?? c.key}'` }],
      });
    }
    return out;
  },
};

import type { Check } from './check';
import { entryLabel, firstLineRange } from './describe';

export const uncitedReference: Check = {
  code: 'uncited-reference',
  defaultSeverity: 'warning',
  description: 'An entry that no citation points to (a near-miss citation counts as pointing to it).',
  run(ctx) {
    const pointed = new Set<number>();
    ctx.resolutions.forEach((r, i) => {
      if (ctx.citations[i].ignored && r.entry === undefined) return;
      if (r.status === 'unresolved') return;
      if (r.entry !== undefined) pointed.add(r.entry);
      for (const k of r.candidates ?? []) pointed.add(k);
    });
    const out: ReturnType<Check['run']> = [];
    // A paper with no author-year or key citation at all is cited some other way (numbers, notes):
    // nothing can be said about its entries. A numbered list cited as `[3]` is the same.
    if (ctx.citations.length === 0) return out;
    // Counting `[3]`-style citations reads the whole text: only done once a numbered entry asks.
    let numericStyle: boolean | undefined;
    const isNumericStyle = () => (numericStyle ??= (ctx.text.match(/\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\](?!:)/g) ?? []).length >= 3);
    const nocite = ctx.citations.some((c) => c.kind === 'key' && c.key === '*');
    // A word-for-word repeat of a cited entry is reported as a duplicate, not as uncited.
    const pointedText = new Set([...pointed].map((i) => ctx.references[i].text));
    for (const i of ctx.listEntries) {
      if (pointed.has(i) || nocite) continue;
      if (ctx.references[i].numbered && isNumericStyle()) continue;
      if (pointedText.has(ctx.references[i].text)) continue;
      const e = ctx.references[i];
      out.push({
        uri: e.uri,
        range: e.uri === ctx.uri ? firstLineRange(ctx.text, e) : e.range,
        message: `${entryLabel(e)} is never cited.`,
        fixes: [],
        data: { entry: i },
        severity: e.source.kind === 'bibliography' ? 'information' : undefined,
      });
    }
    return out;
  },
};

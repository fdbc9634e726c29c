import type { Check } from './check';
import { entryLabel, firstLineRange } from './describe';

export const uncitedReference: Check = {
  code: 'uncited-reference',
  defaultSeverity: 'warning',
  description: 'An entry that no citation points to (a near-miss citation counts as pointing to it).',
  run(ctx) {
    // Entries some citation points to (a flag each: this runs on every keystroke).
    const pointed = new Uint8Array(ctx.references.length);
    let anyPointed = false;
    const { citations, resolutions } = ctx;
    for (let i = 0; i < resolutions.length; i++) {
      const r = resolutions[i];
      if (r.status === 'unresolved') continue;
      if (r.entry !== undefined) pointed[r.entry] = 1;
      else if (citations[i].ignored) continue;
      if (r.candidates) for (const k of r.candidates) pointed[k] = 1;
      anyPointed = true;
    }
    const out: ReturnType<Check['run']> = [];
    // A paper with no author-year or key citation at all is cited some other way (numbers, notes):
    // nothing can be said about its entries. A numbered list cited as `[3]` is the same.
    if (ctx.citations.length === 0) return out;
    // Counting `[3]`-style citations reads the whole text: only done once a numbered entry asks.
    let numericStyle: boolean | undefined;
    const isNumericStyle = () => (numericStyle ??= (ctx.text.match(/\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\](?!:)/g) ?? []).length >= 3);
    // `\nocite{*}` cites every entry.
    if (ctx.notable.some((i) => citations[i].kind === 'key' && citations[i].key === '*')) return out;
    // A word-for-word repeat of a cited entry is reported as a duplicate, not as uncited.
    let pointedText: Set<string> | undefined;
    for (const i of ctx.listEntries) {
      if (pointed[i]) continue;
      if (ctx.references[i].numbered && isNumericStyle()) continue;
      if (anyPointed && !pointedText) {
        pointedText = new Set();
        for (let k = 0; k < pointed.length; k++) if (pointed[k]) pointedText.add(ctx.references[k].text);
      }
      if (pointedText?.has(ctx.references[i].text)) continue;
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

import type { Check } from './check';
import { fold } from '../text/fold';
import { hasCjk } from '../syntax/words';

/** Entries compare by their first author's family name; each entry is compared with the one above. */
export const referenceOrder: Check = {
  code: 'reference-order',
  defaultSeverity: 'information',
  description: 'The reference list is out of alphabetical order.',
  scope: 'list',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    for (const s of ctx.sections) {
      const es = s.entries.map((i) => ctx.references[i]);
      if (es.some((e) => e.numbered)) continue;
      // Each entry's printed name serves twice (below its predecessor, above its successor).
      let bn = es.length ? printedName(ctx.text, es[0]) : '';
      for (let k = 1; k < es.length; k++) {
        const a = es[k - 1];
        const b = es[k];
        // The name as printed first sorts the entry (`Dijk, Teun A. van` under D).
        const an = bn;
        bn = printedName(ctx.text, b);
        if (!an || !bn || hasCjk(an) || hasCjk(bn) || b.ditto) continue;
        const ak = fold(an);
        const bk = fold(bn);
        if (bk < ak && !ak.startsWith(bk)) {
          const shownA = a.authors[0]?.family ?? an;
          const shownB = b.authors[0]?.family ?? bn;
          const line = ctx.lines.lineAt(a.range.start) + 1;
          const range = b.authorRange ?? b.range;
          out.push({
            uri: b.uri,
            range,
            message: `Reference list out of alphabetical order: ${shownB} sorts before ${shownA} (line ${line}).`,
            fixes: [],
            data: { entry: b.index, previous: a.index },
          });
        }
      }
    }
    return out;
  },
};

function printedName(text: string, e: import('../types').ReferenceEntry): string {
  // Surname first (`Dijk, Teun A. van`): the list sorts by what is printed before the comma.
  if (e.authorRange) {
    const written = text.slice(e.authorRange.start, e.authorRange.end).replace(/\\[A-Za-z]+\s*/g, '');
    const m = /^\s*([^,.(:]{2,60}),/.exec(written);
    if (m && /\p{L}{2}/u.test(m[1]) && !/^(?:\p{Lu}\.?\s*)+$/u.test(m[1].trim())) return m[1].trim();
  }
  return e.authors[0]?.family ?? '';
}

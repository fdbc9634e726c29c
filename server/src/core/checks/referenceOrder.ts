import type { Check } from './check';
import { fold } from '../text/fold';
import { hasCjk } from '../syntax/words';

/** Entries compare by their first author's family name; each entry is compared with the one above. */
export const referenceOrder: Check = {
  code: 'reference-order',
  defaultSeverity: 'information',
  description: 'The reference list is out of alphabetical order.',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    for (const s of ctx.sections) {
      const es = s.entries.map((i) => ctx.references[i]);
      if (es.some((e) => e.numbered)) continue;
      for (let k = 1; k < es.length; k++) {
        const a = es[k - 1];
        const b = es[k];
        const an = a.authors[0]?.family ?? '';
        const bn = b.authors[0]?.family ?? '';
        if (!an || !bn || hasCjk(an) || hasCjk(bn) || b.ditto) continue;
        const ak = fold(an);
        const bk = fold(bn);
        if (bk < ak && !ak.startsWith(bk)) {
          const line = ctx.lines.lineAt(a.range.start) + 1;
          const range = b.authorRange ?? b.range;
          out.push({
            uri: b.uri,
            range,
            message: `Reference list out of alphabetical order: ${bn} sorts before ${an} (line ${line}).`,
            fixes: [],
            data: { entry: b.index, previous: a.index },
          });
        }
      }
    }
    return out;
  },
};

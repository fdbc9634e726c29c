import type { Check } from './check';
import { fold } from '../text/fold';
import { hasCjk } from '../syntax/words';
import { BoundedCache } from '../text/memo';
import { ownCopy } from '../text/detach';
import type { ReferenceEntry } from '../types';
import { byEntry } from './entryKeys';

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
      let bn = es.length ? sortName(ctx.text, es[0], ctx.once) : NO_NAME;
      for (let k = 1; k < es.length; k++) {
        const a = es[k - 1];
        const b = es[k];
        // The name as printed first sorts the entry (`Dijk, Teun A. van` under D).
        const an = bn;
        bn = sortName(ctx.text, b, ctx.once);
        if (!an.name || !bn.name || an.cjk || bn.cjk || b.ditto) continue;
        // A subheading before it (`Secondary sources`) starts a list of its own order.
        if (s.restarts?.includes(b.index)) continue;
        if (outOfOrder(an, bn)) {
          const shownA = a.authors[0]?.family ?? an.name;
          const shownB = b.authors[0]?.family ?? bn.name;
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

interface SortName {
  name: string;
  /** The name folded, as it sorts. */
  key: string;
  cjk: boolean;
  /**
   * For a name written without a comma in two words (`Kim Dae-jung`, `Paolo Davini`), its first
   * word folded: the family name when it is written first, which the list then sorts by.
   */
  firstKey?: string;
}

/** Whether `b` sorts before `a` (and is not a prefix of it) whichever way each may sort. */
function outOfOrder(a: SortName, b: SortName): boolean {
  return sortsBefore(b.key, a.key) && (a.firstKey === undefined || sortsBefore(b.key, a.firstKey))
    && (b.firstKey === undefined || (sortsBefore(b.firstKey, a.key) && (a.firstKey === undefined || sortsBefore(b.firstKey, a.firstKey))));
}

function sortsBefore(bk: string, ak: string): boolean {
  return bk < ak && !ak.startsWith(bk);
}

const NO_NAME: SortName = { name: '', key: '', cjk: false };

/** The printed name and its sort key, by what decides them (this runs on every edit of the list). */
const SORT_NAMES = new BoundedCache<SortName>(50_000);

/** The same by entry: an entry's text does not change (an edit makes a new entry), only where it is. */
const BY_ENTRY = new WeakMap<ReferenceEntry, SortName>();

function sortName(text: string, e: ReferenceEntry, once?: boolean): SortName {
  return byEntry(BY_ENTRY, e, () => sortNameUncached(text, e), once);
}

function sortNameUncached(text: string, e: ReferenceEntry): SortName {
  const written = e.authorRange ? text.slice(e.authorRange.start, e.authorRange.end) : '';
  const family = e.authors[0]?.family ?? '';
  const first = e.authors[0];
  const direct = !!first?.direct;
  return SORT_NAMES.get(`${written}\u0001${family}\u0001${direct ? first.full : ''}`, () => {
    // A copy: the name is cut from the document's text, which the cache would keep alive.
    const name = ownCopy(printedName(written, e));
    const sn: SortName = { name, key: fold(name), cjk: hasCjk(name) };
    if (direct && name === family) sn.firstKey = fold(first.full.slice(0, first.full.indexOf(' ')));
    return sn;
  });
}

function printedName(written: string, e: ReferenceEntry): string {
  // Surname first (`Dijk, Teun A. van`): the list sorts by what is printed before the comma.
  if (e.authorRange) {
    written = written.replace(/\\[A-Za-z]+\s*/g, '');
    const m = /^\s*([^,.(:]{2,60}),/.exec(written);
    if (m && /\p{L}{2}/u.test(m[1]) && !/^(?:\p{Lu}\.?\s*)+$/u.test(m[1].trim())) return m[1].trim();
  }
  return e.authors[0]?.family ?? '';
}

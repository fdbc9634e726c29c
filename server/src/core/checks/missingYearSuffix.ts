import type { Check } from './check';
import { entryLabel, firstLineRange } from './describe';
import { byEntry, countKeys, peopleKey } from './entryKeys';
import type { ReferenceEntry } from '../types';

export const missingYearSuffix: Check = {
  code: 'missing-year-suffix',
  defaultSeverity: 'warning',
  description: 'Two entries share authors and year without a/b suffixes.',
  scope: 'list',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    // Most entries share their authors and year with none: count first, then gather the few that do.
    const list = ctx.listEntries;
    const keys = list.map((i) => yearGroup(ctx.references[i], ctx.once));
    const { counts, repeats } = countKeys(keys);
    if (!repeats) return out;
    const groups = new Map<string, number[]>();
    for (let j = 0; j < list.length; j++) {
      const i = list[j];
      const k = keys[j];
      if (k === '' || counts.get(k)! < 2) continue;
      const g = groups.get(k);
      if (g) g.push(i); else groups.set(k, [i]);
    }
    for (const all of groups.values()) {
      if (all.length < 2) continue;
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
      // Suffixes run a..z: a larger group gets the warning without a fix (and the cost stays linear).
      const fixable = g.length <= 26;
      const edits = fixable ? g.map((i, k) => ({ range: ctx.references[i].yearRange!, newText: ctx.references[i].year + letters[k] })).filter((e) => e.range) : [];
      const groupLines = g.slice(0, 4).map((k) => ctx.lines.lineAt(ctx.references[k].range.start) + 1);
      for (const i of g) {
        const e = ctx.references[i];
        const ownLine = ctx.lines.lineAt(e.range.start) + 1;
        const shown = groupLines.filter((l) => l !== ownLine).slice(0, 3);
        const others = g.length - 1 > shown.length ? [...shown.map(String), `${g.length - 1 - shown.length} more`] : shown;
        out.push({
          uri: e.uri,
          range: e.yearRange ?? firstLineRange(ctx.text, e),
          message: `${entryLabel(e)} shares its authors and year with the entry on line ${others.join(', ')}: add year suffixes (${e.year}a, ${e.year}b) and cite them apart.`,
          fixes: fixable && edits.length === g.length ? [{ title: `Add suffixes ${g.map((_, k) => e.year + letters[k]).join(', ')}`, edits }] : [],
          data: { entry: i, group: g },
        });
      }
    }
    return out;
  },
};

/** Entries with the same key share authors and a year with no suffix ('' for an entry that cannot). Kept per entry. */
const YEAR_GROUPS = new WeakMap<ReferenceEntry, string>();

function yearGroup(e: ReferenceEntry, once?: boolean): string {
  return byEntry(YEAR_GROUPS, e, () => (!e.year || !/^\d{4}$/.test(e.year) || e.suffix ? '' : `${peopleKey(e.authors, once)}|${e.etAl ? 'etal' : e.authors.length}|${e.year}`), once);
}

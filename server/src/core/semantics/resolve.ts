/**
 * Resolving citations to reference entries: exact matches, near misses (a year or a name off),
 * ambiguity, and et al. usage.
 */
import { collapseSpaces } from '../text/spaces';
import { BoundedCache } from '../text/memo';
import type { Citation, CitedName, Person, ReferenceEntry, Resolution } from '../types';
import { editDistance, fold, foldCaseOnly, isAscii, nearMissBudget } from '../text/fold';
import { isParentheticalPrefix, type CitationCandidate, type NameReading } from '../syntax/citations';
import type { Sliceable } from '../syntax/prose';
import { CORPORATE_KEYWORDS, NOT_AUTHOR_ABBREVIATIONS, NOT_NAMES, PLACE_NAMES, hasCjk, mayBeNotName, withoutLeadingPlace } from '../syntax/words';

export class ReferenceIndex {
  /** Folded name -> entries whose first author has that name. */
  private byName = new Map<string, number[]>();
  private byKey = new Map<string, number[]>();
  /** First-author names of three letters or more by length, with their letter masks (built on first use). */
  private byLength: Map<number, { key: string; mask: number }[]> | undefined;
  /** Near-miss answers by folded name (a paper cites the same few names many times). */
  private nearCache = new Map<string, { entry: number; distance: number }[]>();
  /**
   * Resolutions by reading: first name, then the rest (et al., year, suffix, other names). A paper
   * cites the same work many times; the first name is looked up as it is, the short rest as a key.
   */
  private readings = new Map<string, Map<string, Outcome>>();
  /** What matching needs of entry i's k-th author: `infos[i][k]`, made on first use. */
  private infos: (PersonInfo | undefined)[][] = [];
  /** Whether a person's info is also kept by the person, for other indexes (see personInfo). */
  private shared = true;

  /**
   * `opts.shared`: whether persons' keys are kept by the persons, for the next index over the
   * same entries (an Analyzer's); without, they are made for this index alone, which costs less
   * when nothing is reused (`analyze()`).
   */
  constructor(readonly entries: ReferenceEntry[], opts: { shared?: boolean } = {}) {
    this.shared = opts.shared ?? true;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const first = e.authors[0];
      if (first) {
        const keys = this.info(i, 0).keys;
        for (const k of keys) this.add(this.byName, k, i);
      }
      if (e.key) this.add(this.byKey, e.key, i);
    }
  }

  /** The info of entry `i`'s `k`-th author. */
  info(i: number, k: number): PersonInfo {
    const row = this.infos[i] ??= [];
    let info = row[k];
    if (!info) {
      const p = this.entries[i].authors[k];
      info = row[k] = this.shared ? personInfo(p) : { keys: computePersonKeys(p) };
    }
    return info;
  }

  /**
   * The index of `entries`, which are `prev`'s entries with those from `from` to `to` (exclusive)
   * replaced, one for one. The same as `new ReferenceIndex(entries)` (lists in entry order), made
   * by copying the maps and changing the replaced entries' names only.
   */
  static afterReplace(prev: ReferenceIndex, entries: ReferenceEntry[], from: number, to: number): ReferenceIndex {
    const idx = Object.create(ReferenceIndex.prototype) as ReferenceIndex;
    const fields = idx as unknown as { entries: ReferenceEntry[]; byName: Map<string, number[]>; byKey: Map<string, number[]>; byLength: undefined; nearCache: Map<string, unknown>; readings: Map<string, unknown> };
    fields.entries = entries;
    fields.byName = new Map(prev.byName);
    fields.byKey = new Map(prev.byKey);
    fields.byLength = undefined;
    fields.nearCache = new Map();
    fields.readings = new Map();
    const infos = prev.infos.slice();
    for (let i = from; i < to; i++) infos[i] = [];
    (idx as unknown as { infos: unknown }).infos = infos;
    (idx as unknown as { shared: boolean }).shared = prev.shared;
    const without = (map: Map<string, number[]>, k: string, i: number) => {
      const list = map.get(k);
      if (!list || !list.includes(i)) return;
      if (list.length === 1) map.delete(k);
      else map.set(k, list.filter((x) => x !== i));
    };
    const withIn = (map: Map<string, number[]>, k: string, i: number) => {
      if (!k) return;
      const list = map.get(k);
      if (!list) map.set(k, [i]);
      else if (!list.includes(i)) map.set(k, [...list, i].sort((a, b) => a - b));
    };
    for (let i = from; i < to; i++) {
      const old = prev.entries[i];
      if (old.authors[0]) for (const k of personKeys(old.authors[0])) without(fields.byName, k, i);
      if (old.key) without(fields.byKey, old.key, i);
    }
    for (let i = from; i < to; i++) {
      const e = entries[i];
      if (e.authors[0]) for (const k of personKeys(e.authors[0])) withIn(fields.byName, k, i);
      if (e.key) withIn(fields.byKey, e.key, i);
    }
    return idx;
  }

  private add(map: Map<string, number[]>, k: string, i: number): void {
    if (!k) return;
    const list = map.get(k);
    if (list) { if (!list.includes(i)) list.push(i); } else map.set(k, [i]);
  }

  hasName(name: string): boolean {
    return this.byName.has(fold(name));
  }

  /** Entries whose first author has this folded name (a key of personKeys). */
  entriesWithName(folded: string): readonly number[] {
    return this.byName.get(folded) ?? [];
  }

  entriesWithKey(key: string): number[] {
    return this.byKey.get(key) ?? [];
  }

  /** Entries whose first author is within a few edits of `name`. */
  nearNames(name: string): { entry: number; distance: number }[] {
    const f = fold(name);
    const budget = nearMissBudget(f.length);
    if (budget === 0) return [];
    const cached = this.nearCache.get(f);
    if (cached) return cached.map((x) => ({ ...x }));
    const result = this.nearNamesUncached(f, budget);
    this.nearCache.set(f, result);
    return result.map((x) => ({ ...x }));
  }

  /**
   * Names within `budget` edits of `f`. A scan of the names of nearby length, most of them
   * dismissed by their letter masks: an edit changes at most two bits of a mask (a letter out, a
   * letter in), so names whose masks differ from the query's in more than 2 * budget bits are
   * further than `budget` edits. A paper asks for few distinct near misses, so this is cheaper
   * than building a deletion index over every name, and needs nothing kept up to date.
   */
  private nearNamesUncached(f: string, budget: number): { entry: number; distance: number }[] {
    if (!this.byLength) {
      this.byLength = new Map();
      for (const key of this.byName.keys()) {
        if (key.length < 3) continue;
        let list = this.byLength.get(key.length);
        if (!list) this.byLength.set(key.length, (list = []));
        list.push({ key, mask: letterMask(key) });
      }
    }
    const fm = letterMask(f);
    const out: { entry: number; distance: number }[] = [];
    for (let len = f.length - budget; len <= f.length + budget; len++) {
      for (const { key, mask } of this.byLength.get(len) ?? []) {
        if (popcount(fm ^ mask) > 2 * budget) continue;
        if (f.length <= 4 && key[0] !== f[0]) continue;
        const d = editDistance(f, key, budget);
        if (d > 0 && d <= budget) for (const entry of this.byName.get(key)!) out.push({ entry, distance: d });
      }
    }
    return out.sort((a, b) => a.entry - b.entry || a.distance - b.distance);
  }

  /** `resolveReading` without the cited names' ranges, memoised by what decides it (their texts). */
  outcome(names: readonly { text: string }[], etAl: boolean, year: string, suffix: string): Outcome {
    const first = names[0].text;
    let byRest = this.readings.get(first);
    if (!byRest) {
      byRest = new Map();
      this.readings.set(first, byRest);
    }
    // Length-prefixed parts: no text can make two readings share a key. The usual reading (one
    // name, no et al., no suffix) is keyed by its year alone: no other key is without a colon.
    let key: string;
    if (names.length === 1 && !etAl && suffix === '' && year.indexOf(':') === -1) key = year;
    else {
      key = `${etAl ? 1 : 0}${year.length}:${year}${suffix.length}:${suffix}`;
      for (let k = 1; k < names.length; k++) key += `${names[k].text.length}:${names[k].text}`;
    }
    let o = byRest.get(key);
    if (!o) {
      o = resolveTexts(this, names.map((n) => n.text), etAl, year, suffix);
      byRest.set(key, o);
    }
    return o;
  }
}

/** One bit per letter (by its code modulo 32). */
export function letterMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) m |= 1 << (s.charCodeAt(i) & 31);
  return m;
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** What matching needs of a listed person, computed once per person (entries are not changed once read). */
export interface PersonInfo {
  keys: string[];
  /** Family, full name and alias, lower-cased with their diacritics (filled on first match). */
  forms?: string[];
  /** The same, folded. */
  formKeys?: string[];
  /** Family, full name and alias are all ASCII (made on first match). */
  ascii?: boolean;
}

const infoOf = new WeakMap<Person, PersonInfo>();

function personInfo(p: Person): PersonInfo {
  let info = infoOf.get(p);
  if (!info) {
    info = { keys: computePersonKeys(p) };
    infoOf.set(p, info);
  }
  return info;
}

/** The folded forms a citation may use for a person: family, full name, alias, initials of a body. */
export function personKeys(p: Person): string[] {
  return personInfo(p).keys;
}

function computePersonKeys(p: Person): string[] {
  const keys = [fold(p.family)];
  // `van der Berg` is also cited as `Berg` (a particle is followed by a space).
  const bare = /\s/.test(p.family) ? p.family.replace(/^(?:(?:van|von|der|den|de|del|della|di|da|dos|das|du|la|le|ten|ter|zu)\s+)+/, '') : p.family;
  if (bare !== p.family && bare) keys.push(fold(bare));
  if (p.full && p.full !== p.family) keys.push(fold(p.full));
  if (p.alias) keys.push(fold(p.alias));
  // `Kim Dae-jung`, `Maruyama Masao`: a name written without a comma may be family name first.
  if (p.direct) keys.push(fold(p.full.slice(0, p.full.indexOf(' '))));
  if (p.corporate) {
    const words = p.family.split(/[\s,]+/).filter((w) => /^\p{Lu}/u.test(w));
    if (words.length >= 2) keys.push(fold(words.map((w) => w[0]).join('')));
    // `The Japan Times` is cited as `Japan Times` too.
    if (/^The\s/.test(p.family)) keys.push(fold(p.family.slice(4)));
    // `U.S. Food and Drug Administration` is cited as `Food and Drug Administration` too.
    const local = withoutLeadingPlace(p.family);
    if (local) keys.push(fold(local));
  }
  if (hasCjk(p.family)) {
    // `大東健太郎` is cited as `大東`: family and given names run together in the list.
    const run = Array.from(fold(p.family.replace(/\s+/g, '')));
    if (run.length <= 8) for (let k = 1; k < run.length; k++) keys.push(run.slice(0, k).join(''));
    keys.push(run.join(''));
  }
  return [...new Set(keys.filter(Boolean))];
}

/** `f` is `fold(cited)`, folded once by the caller; `info` is p's. */
function nameMatches(cited: string, f: string, p: Person, info: PersonInfo): 'exact' | 'diacritics' | undefined {
  if (!info.keys.includes(f)) return undefined;
  // Without diacritics on either side none can differ (the usual case: no forms are made).
  const ascii = (info.ascii ??= isAscii(p.family) && isAscii(p.full ?? '') && isAscii(p.alias ?? ''));
  if (ascii && isAscii(cited)) return 'exact';
  // Same letters once folded; do the diacritics differ? (`Parn` for `Pärn`)
  // ASCII folds the same with or without diacritics (it has none): `f` is its foldCaseOnly.
  const c = isAscii(cited) ? f : foldCaseOnly(cited);
  const forms = (info.forms ??= [p.family, p.full, p.alias].filter(Boolean).map((x) => foldCaseOnly(x as string)));
  if (forms.includes(c)) return 'exact';
  // Only when the list has marks the citation dropped (`Parn` for `Pärn`); a list typed without
  // them (`Alvarez` for a cited `Álvarez`) is the list's business, not the citation's.
  for (let i = 0; i < forms.length; i++) {
    if ((info.formKeys ??= forms.map(fold))[i] === f && forms[i] !== c && marks(forms[i]) > marks(c)) return 'diacritics';
  }
  return 'exact';
}

/** Digits only (folding leaves such a string as it is). */
function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function marks(s: string): number {
  return (s.normalize('NFD').match(/\p{M}/gu) ?? []).length;
}

interface AuthorFit {
  /** 0 = all names match; otherwise the number of near-miss names. */
  near: { index: number; listed: string; distance: number; diacritics?: boolean }[];
  /** Shape: 2 = the citation's shape fits the entry's author count, 1 = acceptable, 0 = not. */
  shape: number;
  etAlMismatch?: 'et-al-for-few' | 'missing-et-al';
}

/** `folded[k]` is `fold(names[k])`; `e` is entry `i` of `index`. */
function fitAuthors(names: string[], folded: string[], etAl: boolean, index: ReferenceIndex, i: number, allowNearFirst: boolean): AuthorFit | undefined {
  const e = index.entries[i];
  const persons = e.authors;
  if (persons.length === 0) return undefined;
  const near: AuthorFit['near'] = [];
  let unverified = false;
  for (let k = 0; k < names.length; k++) {
    const p = persons[k];
    if (!p) {
      // More names cited than the list gives: fine only when the list wrote `et al.`.
      if (e.etAl) { unverified = true; continue; }
      return undefined;
    }
    const info = index.info(i, k);
    const m = nameMatches(names[k], folded[k], p, info);
    if (m === 'exact') continue;
    if (m === 'diacritics') { near.push({ index: k, listed: p.family, distance: 0, diacritics: true }); continue; }
    if (k === 0 && !allowNearFirst) return undefined;
    const f = folded[k];
    const budget = nearMissBudget(f.length);
    let best = budget + 1;
    for (const key of info.keys) best = Math.min(best, editDistance(f, key, budget));
    if (best > budget) return undefined;
    near.push({ index: k, listed: p.family, distance: best });
  }
  const count = e.etAl ? Math.max(persons.length, 3) : persons.length;
  let shape = 1;
  let etAlMismatch: AuthorFit['etAlMismatch'];
  if (etAl) {
    if (e.etAl) shape = 3;
    else if (count >= 3) shape = 2;
    else if (count === 2) { shape = 1; etAlMismatch = 'et-al-for-few'; }
    // One author cited with `et al.`: the entry is meant, worst of the shapes (et-al-mismatch says so).
    else { shape = 0.25; etAlMismatch = 'et-al-for-few'; }
  } else if (names.length === count) shape = 2;
  else if (names.length < count) {
    shape = names.length >= 2 ? 1 : 1;
    if (names.length === 1 && count === 2 && !persons[0].corporate) etAlMismatch = 'missing-et-al';
  }
  // Several names, each found in the list, fit better than names an `et al.` entry cannot confirm.
  if (names.length >= 2 && !unverified) shape += 0.5;
  return { near, shape, etAlMismatch };
}

function yearMatches(year: string, suffix: string, e: ReferenceEntry): 'exact' | 'suffix' | 'no' {
  if (year !== e.year && (isDigits(year) && isDigits(e.year) || fold(year) !== fold(e.year))) {
    // `Hume 1995` for `1995/1997`: either year of an original/reprint pair.
    // `James 1890/1983` for `1983` (APA: original and reprint years, the entry gives the latter).
    if (!(e.year.includes('/') && !year.includes('/') && e.year.split('/').includes(year))
      && !(year.includes('/') && !e.year.includes('/') && isDigits(e.year) && year.split('/').includes(e.year))) return 'no';
  }
  if (suffix === e.suffix) return 'exact';
  if (e.suffix.includes('/') && suffix && e.suffix.split('/').includes(suffix)) return 'exact';
  return 'suffix';
}

export interface ResolvedCandidate {
  reading: NameReading;
  resolution: Resolution;
  kind?: CitationCandidate['kind'];
  weak?: boolean;
}

const RANK: Record<Resolution['status'], number> = {
  resolved: 6, ambiguous: 5, 'suffix-missing': 4, 'year-mismatch': 3, 'author-mismatch': 2, unresolved: 0,
};

/**
 * A resolution with the cited name it blames given by position, so that one answer serves every
 * citation of the same reading (the names' ranges differ from citation to citation).
 */
type Outcome =
  | { shape: 'candidates'; status: 'ambiguous' | 'year-mismatch'; entry: number; candidates: number[] }
  | { shape: 'name'; entry: number; cited: number; listed: string; etAlMismatch: AuthorFit['etAlMismatch'] }
  | { shape: 'resolved'; entry: number; etAlMismatch: AuthorFit['etAlMismatch'] }
  | { shape: 'unresolved'; entry: number | undefined };

/** The Resolution for an outcome, with the same fields (in the same order) as ever. */
function resolutionOf(o: Outcome, names: CitedName[]): Resolution {
  switch (o.shape) {
    case 'candidates': return { status: o.status, entry: o.entry, candidates: o.candidates.slice() };
    case 'name': return { status: 'author-mismatch', entry: o.entry, nameDiffers: { cited: names[o.cited], listed: o.listed }, etAlMismatch: o.etAlMismatch };
    case 'resolved': return { status: 'resolved', entry: o.entry, etAlMismatch: o.etAlMismatch };
    case 'unresolved': return { status: 'unresolved', entry: o.entry };
  }
}

export function resolveReading(index: ReferenceIndex, names: CitedName[], etAl: boolean, year: string, suffix: string): Resolution {
  return resolutionOf(index.outcome(names, etAl, year, suffix), names);
}

function resolveTexts(index: ReferenceIndex, texts: string[], etAl: boolean, year: string, suffix: string): Outcome {
  const entries = index.entries;
  const folded = texts.map(fold);
  const exactNamed = index.entriesWithName(folded[0]);
  // 1. Authors match exactly (modulo case and diacritics).
  const fits: { entry: number; fit: AuthorFit }[] = [];
  for (const i of exactNamed) {
    const fit = fitAuthors(texts, folded, etAl, index, i, false);
    if (fit && fit.near.every((n) => n.diacritics) && fit.shape > 0) fits.push({ entry: i, fit });
    else if (fit && fit.near.length && fit.shape > 0) fits.push({ entry: i, fit });
  }
  // `et al.` for a one-author entry is believed only when no entry fits the names better (the
  // citation may mean a several-author work with another year).
  if (fits.some((f) => f.fit.shape < 1) && fits.some((f) => f.fit.shape >= 1)) {
    for (let k = fits.length - 1; k >= 0; k--) if (fits[k].fit.shape < 1) fits.splice(k, 1);
  }
  const cleanFits = fits.filter((f) => f.fit.near.length === 0);
  const pool = cleanFits.length ? cleanFits : fits;
  if (pool.length) {
    const sameYear = pool.filter((f) => yearMatches(year, suffix, entries[f.entry]) === 'exact');
    if (sameYear.length) {
      const best = distinctEntries(bestShape(sameYear), entries);
      const f = best[0];
      if (best.length > 1) return { shape: 'candidates', status: 'ambiguous', entry: f.entry, candidates: best.map((b) => b.entry) };
      if (f.fit.near.length) {
        const n = f.fit.near[0];
        return { shape: 'name', entry: f.entry, cited: n.index, listed: n.listed, etAlMismatch: f.fit.etAlMismatch };
      }
      return { shape: 'resolved', entry: f.entry, etAlMismatch: f.fit.etAlMismatch };
    }
    const suffixOnly = pool.filter((f) => yearMatches(year, suffix, entries[f.entry]) === 'suffix');
    if (suffixOnly.length) {
      const best = bestShape(suffixOnly, false);
      if (!suffix && best.length > 1) return { shape: 'candidates', status: 'ambiguous', entry: best[0].entry, candidates: best.map((b) => b.entry) };
      return { shape: 'candidates', status: 'year-mismatch', entry: best[0].entry, candidates: best.map((b) => b.entry) };
    }
    // Year differs: the nearest year among the author's entries.
    const y = parseInt(year, 10);
    const best = bestShape(pool, false).sort((a, b) => yearDistance(entries[a.entry].year, y) - yearDistance(entries[b.entry].year, y));
    // One work by these authors: a wrong year. Several: only a year one off is a slip; otherwise
    // the cited work is probably missing from the list.
    if (best.length > 1 && yearDistance(entries[best[0].entry].year, y) > 1) return { shape: 'unresolved', entry: best[0].entry };
    return { shape: 'candidates', status: 'year-mismatch', entry: best[0].entry, candidates: best.map((b) => b.entry) };
  }
  // 2. A name off by a letter or two, same year.
  const near = index.nearNames(texts[0]);
  const nearFits: { entry: number; fit: AuthorFit; d: number }[] = [];
  for (const n of near) {
    const e = entries[n.entry];
    if (yearMatches(year, suffix, e) === 'no') continue;
    const fit = fitAuthors(texts, folded, etAl, index, n.entry, true);
    if (fit && fit.shape > 0) nearFits.push({ entry: n.entry, fit, d: n.distance + fit.near.length * 0.01 + (yearMatches(year, suffix, e) === 'exact' ? 0 : 0.5) });
  }
  if (nearFits.length) {
    nearFits.sort((a, b) => a.d - b.d || b.fit.shape - a.fit.shape);
    const f = nearFits[0];
    const n = f.fit.near[0] ?? { index: 0, listed: entries[f.entry].authors[0].family };
    return { shape: 'name', entry: f.entry, cited: n.index, listed: n.listed, etAlMismatch: f.fit.etAlMismatch };
  }
  // 3. Nothing fits: name the nearest entry for the message, if any is close.
  const anyNear = near.sort((a, b) => a.distance - b.distance)[0];
  return { shape: 'unresolved', entry: anyNear?.entry };
}

/** The same entry written twice is one work (duplicate-reference reports the repeat). */
function distinctEntries<T extends { entry: number }>(list: T[], entries: ReferenceEntry[]): T[] {
  if (list.length < 2) return list;
  const seen = new Set<string>();
  return list.filter((f) => {
    const k = entries[f.entry].text;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function yearDistance(y: string, target: number): number {
  const n = parseInt(y, 10);
  if (Number.isNaN(n) || Number.isNaN(target)) return 1e6;
  return Math.abs(n - target);
}

function bestShape<T extends { fit: AuthorFit }>(list: T[], exact = true): T[] {
  // Outside exact-year matches, an entry that itself says `et al.` fits no better than a long list.
  if (list.length < 2) return list.slice();
  const shape = (f: T) => (exact ? f.fit.shape : Math.min(2, Math.floor(f.fit.shape)));
  const max = Math.max(...list.map(shape));
  return list.filter((f) => shape(f) === max);
}

/** Picks the reading that resolves best, and decides whether a weak candidate counts. */
/** `c0`'s offsets are `offset` characters before where they are in `view`. */
export function resolveCandidate(index: ReferenceIndex, c0: CitationCandidate, view: Sliceable, offset = 0): ResolvedCandidate | undefined {
  let best: ResolvedCandidate | undefined;
  const readings = c0.readings;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i];
    // A resolved reading is beaten only by one with more names: a shorter one need not be looked
    // up (the near misses of its names are costly to find).
    if (best && best.resolution.status === 'resolved' && r.names.length <= best.reading.names.length) continue;
    if (isSentenceWordReading(r) && !index.hasName(r.names[0].text)) continue;
    const res = resolveReading(index, r.names, c0.etAl, c0.year, c0.suffix);
    // Names read as one body across an `and` count only if the list has that body: a near miss
    // of `Smith and Jones` read as one name is no body's.
    if (r.joined && (res.status === 'unresolved' || res.status === 'author-mismatch')) continue;
    // Of two readings that resolve alike, the one with more names (`join('')` of the name
    // objects compared their counts, and does so still).
    if (!best || RANK[res.status] > RANK[best.resolution.status] || (RANK[res.status] === RANK[best.resolution.status] && res.status !== 'unresolved' && r.names.length > best.reading.names.length)) {
      best = { reading: r, resolution: res };
    }
  }
  if (!best) return undefined;
  // Whether the chosen reading opens its part of a parenthesis decides how strong it is.
  let kind = c0.kind;
  let weak = c0.weak;
  if (c0.kind !== 'narrative' && c0.partStart !== undefined) {
    const strong = isParentheticalPrefix(view, c0.partStart + offset, best.reading.start + offset);
    kind = strong ? 'parenthetical' : 'bare';
    weak = !strong;
  }
  best.kind = kind;
  best.weak = weak;
  const status = best.resolution.status;
  const first = best.reading.names[0].text;
  // Asked only of an unresolved or weak candidate (most resolve, in their own shape).
  const isStopWord = () => NOT_NAMES.has(first.toLowerCase()) && !/^\p{Lu}{2,}$/u.test(first) && !index.hasName(first);
  if (status === 'unresolved') {
    // An unknown name counts only in a citation's own shape, and never a sentence word.
    // The work a source was read in is the one the list needs (APA lists no original).
    if (weak || c0.citedIn || isStopWord()) return undefined;
    if (isQuantityYear(c0, best.reading, view, offset)) return undefined;
    return unresolvedPick(c0, best, kind, view, offset);
  }
  if (weak) {
    if (isStopWord()) return undefined;
    // A bare name-year in running text: a year or spelling near miss is only believed for a
    // citation-shaped name group (`A and B 2019`, `A et al. 2019`).
    if ((status === 'year-mismatch' || status === 'author-mismatch') && best.reading.names.length < 2 && !c0.etAl) return undefined;
  }
  return best;
}

/** Lower-case words that may follow a cited year: locators and connectors. */
const AFTER_YEAR_WORDS = new Set([
  'p', 'pp', 'para', 'ch', 'chap', 'sec', 'fig', 'vol', 'no', 'n', 'and', 'or', 'et', 'y', 'und', 'for', 'in', 'see', 'cf', 'also', 'among', 'with', 'on',
]);
const AFTER_YEAR_RE = /^[ \t\0]*(?:(=)|(\p{Ll}+))/u;

/**
 * A year that is a quantity's base or unit, not a work's: `(CPI, 2015 = 100)`, `(USD, 2019
 * prices)`, `(PPP, 2017 international dollars)`, `(FY 2020)`. Asked only of unresolved
 * candidates; a word after the year counts only after an abbreviation (`(Smith 2019 for a
 * review)` stays a citation).
 */
function isQuantityYear(c0: CitationCandidate, r: NameReading, view: Sliceable, offset: number): boolean {
  if (r.names.length !== 1 || c0.etAl) return false;
  const name = r.names[0].text;
  if (NOT_AUTHOR_ABBREVIATIONS.has(name)) return true;
  const m = AFTER_YEAR_RE.exec(view.slice(c0.yearRange.end + offset, c0.yearRange.end + offset + 24));
  if (!m) return false;
  if (m[1]) return true;
  return /^\p{Lu}{2,6}$/u.test(name) && !AFTER_YEAR_WORDS.has(m[2]);
}

/**
 * The reading an unresolved citation is reported with. Readings that join names across an `and`
 * are left out: they are only for finding a body the list has.
 */
function unresolvedPick(c0: CitationCandidate, best: ResolvedCandidate, kind: CitationCandidate['kind'], view: Sliceable, offset: number): ResolvedCandidate | undefined {
  const readings = c0.readings.some((r) => r.joined) ? c0.readings.filter((r) => !r.joined) : c0.readings;
  // Prefer the reading without leading prose for the message: the shortest.
  const shortest = [...readings].filter((r) => !isSentenceWordReading(r) && /^[\p{Lu}\p{Lo}]/u.test(r.names[0].text)).sort((a, b) => b.start - a.start);
  const multi = shortest.filter((r) => r.names.length > 1);
  // A body's name is shown whole (`Office of the Mining`, not `Mining`).
  const body = shortest.length > 1 ? [...shortest].reverse().find((r) => r.names.length === 1 && / /.test(r.names[0].text) && CORPORATE_KEYWORDS.has(r.names[0].text.split(' ')[0].toLowerCase())) : undefined;
  const pick = body ?? (readings.length > 1 ? (multi.length && multi[0].names.length === readings[0].names.length ? readings.find((r) => !NOT_NAMES.has(r.names[0].text.split(' ')[0].toLowerCase())) ?? shortest[0] : shortest[0]) : readings[0]);
  if (!pick) return undefined;
  // `Appendix B (2017)`, `Model A (2019)`: one capital letter is a label, not an author; nor is a
  // Roman numeral (`Title IX (1972)`, `World War II (1945)`, `Basel III (2010)`).
  if (pick.names.length === 1 && (pick.names[0].text.length === 1 || /^[IVX]{2,5}$/.test(pick.names[0].text))) return undefined;
  // `We compare Kenya (2014) and Uganda (2016)`, `Japan's (2015) policy`: places with years.
  if (pick.names.length === 1 && PLACE_NAMES.has(pick.names[0].text)) return undefined;
  // `Roe v. Wade (1973)`: a court case.
  if (/(?:^|[^\p{L}])vs?\.?[\s\0]+$/u.test(view.slice(Math.max(0, pick.start + offset - 6), pick.start + offset))) return undefined;
  // `(Equality Act 2010, s. 149)`, `Council Directive 2000/43/EC`: legislation, not an author.
  const lastName = pick.names[pick.names.length - 1].text;
  if (LAW_WORDS.has(lastName.slice(lastName.lastIndexOf(' ') + 1))) return undefined;
  // `the Paris Agreement (2015)`, `a Hurricane Katrina (2005)`: a noun phrase, not an author.
  const article = /(?:^|[^\p{L}])(?:the|a|an|this|that|these|those|our|its|their|his|her)\s+$/iu;
  if (kind === 'narrative') {
    // Before the whole name as read: an article inside it (`Office of the Mining’s (2018)`)
    // is part of a body's name. A reading that itself opens with one (`The Paris Agreement`)
    // is a noun phrase too.
    const start = Math.min(pick.start, ...readings.map((r) => r.start));
    const first = readings.find((r) => r.start === start) ?? pick;
    if (article.test(view.slice(Math.max(0, start + offset - 12), start + offset).replace(/\0/g, ' '))) return undefined;
    if (/^(?:the|a|an|this|that|these|those|our|its|their|his|her)\s/iu.test(first.names[0].text)) return undefined;
    // Japanese prose glosses any noun with a year in full-width brackets (`東京五輪（2020）`): a
    // name in CJK script there counts only if the list has it (near misses are still reported).
    if (c0.groupRange && view.slice(c0.groupRange.start + offset, c0.groupRange.start + offset + 1) === '（' && isCjkOnly(pick.names[0].text)) return undefined;
  }
  return { reading: pick, resolution: best.resolution, kind: best.kind, weak: best.weak };
}

/** The last word of the name of a law or treaty. */
const LAW_WORDS = new Set(['Act', 'Acts', 'Directive', 'Regulation', 'Regulations', 'Treaty', 'Convention', 'Protocol', 'Charter', 'Statute', 'Ordinance', 'Bill']);

/** Whether a name is written in CJK script only (no Latin letters). */
function isCjkOnly(name: string): boolean {
  return hasCjk(name) && !/[A-Za-z]/.test(name);
}

/** Answers by first name: the same few names open most readings. */
const sentenceWordCache = new BoundedCache<boolean>(50_000);

function isSentenceWordReading(r: NameReading): boolean {
  const first = r.names[0].text;
  // Most names are no sentence word, and tell so by their first word's shape.
  const space = first.indexOf(' ');
  if (!mayBeNotName(first, space === -1 ? first.length : space)) return false;
  return sentenceWordCache.get(first, isSentenceWord);
}

function isSentenceWord(first: string): boolean {
  const words = first.split(' ');
  // `AS`, `IT`: capitals are an abbreviation the text cites, not the word `as`.
  if (/^\p{Lu}{2,}$/u.test(words[0])) return false;
  if (NOT_NAMES.has(first.toLowerCase())) return true;
  if (words.length > 1 && words[0] === 'The') return false;
  return NOT_NAMES.has(words[0].toLowerCase());
}

/** The citation `c` resolved as `r`, its offsets moved by `offset`; it shares no range object with them. */
export function citationFromCandidate(text: string, c: CitationCandidate, r: ResolvedCandidate, index: number, offset = 0): Citation {
  const start = r.reading.start + offset;
  const end = (c.continuation ? c.yearRange.end : c.end) + offset;
  const names = r.reading.names;
  const authors: CitedName[] = new Array(names.length);
  for (let k = 0; k < names.length; k++) authors[k] = { text: names[k].text, range: { start: names[k].range.start + offset, end: names[k].range.end + offset } };
  return {
    index,
    kind: r.kind ?? c.kind,
    range: { start, end },
    text: collapseSpaces(text.slice(start, end)),
    authors,
    etAl: c.etAl,
    year: c.year,
    suffix: c.suffix,
    yearRange: { start: c.yearRange.start + offset, end: c.yearRange.end + offset },
    groupRange: c.groupRange && { start: c.groupRange.start + offset, end: c.groupRange.end + offset },
    weak: (r.weak ?? c.weak) || undefined,
  };
}

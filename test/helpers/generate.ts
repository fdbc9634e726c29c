/**
 * A deterministic generator of realistic author-year papers, for property tests and benchmarks.
 *
 * `generatePaper({ seed, entries, paragraphs | targetBytes, style })` writes a paper (Markdown,
 * plain text, reST or LaTeX) whose prose cites every entry of its own Chicago-style reference
 * list, in the forms writers use — `(Kim 2015)`, `(Kim, 2015)`, `(Kim 2015: 23)`,
 * `(Kim 2015, p. 4)`, `(see Kim 2015; Lee and Park 2019)`, `Kim (2015)`, `Drezner et al. (2021)`,
 * `Kim’s (2015)`, `(Smith 2019, 2021)`, `(MEP 2020a, b)` — among distractors a checker must never
 * flag (`since 1965`, `In 2015, when the G7`, `the late 1990s`, `2012 US dollars`,
 * `(hereafter, ROK)`, `(GGE)`, `(Accessed February 7, 2025)` and, per format, code, links, math,
 * comments). It returns the text and what a careful reader knows about it: where each entry is,
 * and where each citation is and which entry it means.
 *
 * No Math.random: a seeded PRNG, so a seed names a paper. Surnames are built from syllables and
 * no two (after folding case and diacritics) are within 2 edits of each other, so that a swapped
 * pair of letters in a cited name is a near miss of exactly one entry.
 *
 * Lines and columns in the result are 0-based (as in LSP and the core's LineIndex); offsets are
 * UTF-16 offsets into `text`.
 */

export type PaperStyle = 'markdown' | 'plaintext' | 'rst' | 'latex';

export interface GenerateOptions {
  seed: number;
  /** Number of reference entries (at least 1). */
  entries: number;
  /** Paragraphs of prose; when absent, enough for `targetBytes`, or 3 per 2 entries. */
  paragraphs?: number;
  /** Grow the prose until the paper is about this many bytes (UTF-8). */
  targetBytes?: number;
  style?: PaperStyle;
  /** Hard-wrap prose at this column (never inside a citation); 0 = one line per paragraph. */
  wrap?: number;
  /** Reference list layout; default chosen by the seed. */
  listLayout?: 'consecutive' | 'blank' | 'bullets';
  /** Include non-citation distractors (default true). */
  distractors?: boolean;
  /**
   * Citation forms to leave out (all are on by default). Property tests turn off a form the core
   * is known to get wrong, and keep a pending test that turns it back on.
   */
  without?: CitationForm[];
}

/**
 * Forms that can be switched off:
 * - `suffix-after-year-list`: a bare suffix after a later year of a list, `(Hipor 1999, 2019a, b)`.
 * - `short-alias-after-connector`: a two-letter corporate alias after a sentence connector,
 *   `However, UN (2019) finds`.
 * - `stopword-alias`: a corporate abbreviation that is also a sentence word, `(AS 1996)`.
 */
export type CitationForm = 'suffix-after-year-list' | 'short-alias-after-connector' | 'stopword-alias';

export interface GeneratedEntry {
  index: number;
  /** 0-based line of the entry's first line. */
  line: number;
  start: number;
  end: number;
  /** Names as cited: surnames, or the corporate abbreviation. */
  authors: string[];
  /** Year as cited, with its suffix (`2015`, `2015a`, `n.d.`). */
  year: string;
  corporate: boolean;
  /** The entry begins with a ditto dash (`———.`): same authors as the entry above. */
  ditto: boolean;
  text: string;
}

export interface GeneratedName {
  text: string;
  start: number;
  end: number;
}

export interface GeneratedCitation {
  index: number;
  /** 0-based line of the citation's year. */
  line: number;
  /** The citation text as the core reports it (`Kim 2015`, `Kim (2015, p. 4)`, `2021`). */
  text: string;
  entry: number;
  /** 0-based line of the entry it means. */
  entryLine: number;
  kind: 'parenthetical' | 'narrative';
  names: GeneratedName[];
  etAl: boolean;
  /** The year token as written (`2015a`, or `b` for a suffix-only continuation). */
  yearStart: number;
  yearEnd: number;
  /** The citation text's range (`text` is this slice, whitespace collapsed). */
  start: number;
  end: number;
  /** A further year for the names of the citation before it (`2021` in `Smith 2019, 2021`). */
  continuationOf?: number;
  /** `b` in `(EPA 2007a, b)`: year inherited from the citation before. */
  suffixOnly?: boolean;
}

export interface GeneratedPaper {
  text: string;
  style: PaperStyle;
  /** File name with the usual extension for the style. */
  uri: string;
  entries: GeneratedEntry[];
  citations: GeneratedCitation[];
  /** 0-based line of the References heading. */
  headingLine: number;
}

/** Presets for benchmarks: about 100 KB, 1 MB and 10 MB. */
export const PAPER_SIZES = {
  '100KB': { entries: 150, targetBytes: 100_000 },
  '1MB': { entries: 2_000, targetBytes: 1_000_000 },
  '10MB': { entries: 10_000, targetBytes: 10_000_000 },
} as const;

// ---------------------------------------------------------------- PRNG

/** sfc32, seeded through splitmix32. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
}

// ---------------------------------------------------------------- names

/** Case and diacritics folded, as the core compares names. */
export function foldName(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Damerau-Levenshtein (optimal string alignment) distance. */
export function osaDistance(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  const d: number[][] = [];
  for (let i = 0; i <= la; i++) d.push(new Array<number>(lb + 1).fill(0));
  for (let i = 0; i <= la; i++) d[i][0] = i;
  for (let j = 0; j <= lb; j++) d[0][j] = j;
  for (let i = 1; i <= la; i++) {
    for (let j = 1; j <= lb; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[la][lb];
}

/** Strings from `s` with up to two characters deleted. */
function deletions2(s: string): string[] {
  const out = new Set<string>([s]);
  for (let i = 0; i < s.length; i++) {
    const a = s.slice(0, i) + s.slice(i + 1);
    out.add(a);
    for (let j = i; j < a.length; j++) out.add(a.slice(0, j) + a.slice(j + 1));
  }
  return [...out];
}

/**
 * A set of folded names in which no two are within `minDistance - 1` edits (OSA). Two strings
 * within 2 edits share a string of their 2-deletion neighbourhoods, so candidates come from a
 * map of those, and only they are measured exactly.
 */
export class NameSpace {
  private byDeletion = new Map<string, string[]>();
  readonly names = new Set<string>();
  constructor(private readonly minDistance = 3) {}
  fits(folded: string): boolean {
    if (this.names.has(folded)) return false;
    const seen = new Set<string>();
    for (const v of deletions2(folded)) {
      for (const other of this.byDeletion.get(v) ?? []) {
        if (seen.has(other)) continue;
        seen.add(other);
        if (osaDistance(folded, other) < this.minDistance) return false;
      }
    }
    return true;
  }
  add(folded: string): void {
    this.names.add(folded);
    for (const v of deletions2(folded)) {
      const l = this.byDeletion.get(v);
      if (l) l.push(folded); else this.byDeletion.set(v, [folded]);
    }
  }
}

const ONSETS = ['b', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'dr', 'gr', 'kr', 'tr', 'st', 'sh', 'ch', 'pl', 'th'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'i', 'o', 'ai', 'ei', 'ou'];
const CODAS = ['', '', '', '', 'n', 'r', 'l', 's', 'k', 'm', 'nd', 'rt'];
const ACCENT: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ö', u: 'ü' };

/** Words a surname must not be: sentence words, months, particles, connectors, heading words. */
const NOT_A_SURNAME = new Set(`a an the in on at by for from since during after before until between around about circa through
per and or but so also both each all this that these those our we it its their his her they he she you see cf eg ie figure fig
table section sec chapter chap appendix eq equation version vol volume no number page pages part january february march april may
june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec spring summer fall autumn
winter mid late early however thus therefore moreover furthermore then hence indeed finally first second third similarly recently
here there following according unlike like as when while where which what who why how if although though because yet still even
only most many some several other others such more less new old year years today now later earlier last next note notes source
sources data accessed retrieved updated published revised edition ed eds summit conference act law report plan strategy
declaration agreement treaty windows release step steps example examples case cases model models era period century decade world
war cup olympics election elections census budget fiscal phase round wave cohort sample study studies en el la los las del y por
desde hasta durante entre der die das im seit bis und le les dans depuis et ou mais um von ver voir van von den de della di da dos
das du ten ter te zu zur al bin ibn af av lo mac st och og e i references reference bibliography literature citations works
sources press office team times news group board bank union fund forum trust house core post journal review eds editor
editors hrsg coord comp comps dir dirs trans transl`.split(/\s+/));

/** Words in the core's list of corporate-name words: a given name like `Fund` makes a person a body. */
const CORPORATE_WORDS = new Set(`ministry office organization organisation department institute institut instituto university universidad
association team agency commission council bureau committee society foundation bank government secretariat center centre program
programme times news service services board administration corporation inc ltd nations union fund forum network consortium project
authority court parliament congress senate academy laboratory survey panel group contributors developers community core press company
coalition federation alliance observatory statistics census house cabinet assembly league trust wiki journal post herald tribune
guardian reuters editors staff collaboration`.split(/\s+/));

function syllable(rng: Rng): string {
  return rng.pick(ONSETS) + rng.pick(VOWELS) + rng.pick(CODAS);
}

function capitalize(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

export function makeSurname(rng: Rng, space: NameSpace): string {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    let raw: string;
    if (rng.chance(0.06)) raw = rng.pick(ONSETS.filter((o) => o.length === 1)) + rng.pick(['a', 'e', 'i', 'o', 'u']) + rng.pick(['n', 'r', 'l', 'm', 'k', 's']);
    else {
      const n = rng.chance(0.55) ? 2 : 3;
      raw = '';
      for (let k = 0; k < n; k++) raw += syllable(rng);
    }
    if (raw.length < 3 || raw.length > 11 || NOT_A_SURNAME.has(raw) || CORPORATE_WORDS.has(raw)) continue;
    if (!space.fits(raw)) continue;
    space.add(raw);
    let shown = capitalize(raw);
    // Some names carry a diacritic (`Pärn`-like); citations spell them the same way.
    if (raw.length >= 5 && rng.chance(0.1)) {
      const idx = [...shown].map((c, i) => (ACCENT[c] && i > 0 ? i : -1)).filter((i) => i > 0);
      if (idx.length) {
        const i = rng.pick(idx);
        shown = shown.slice(0, i) + ACCENT[shown[i]] + shown.slice(i + 1);
      }
    }
    return shown;
  }
  throw new Error('name space exhausted');
}

function makeGiven(rng: Rng): string {
  if (rng.chance(0.2)) {
    const a = rng.pick(['A', 'B', 'C', 'D', 'E', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'W', 'Y']);
    return rng.chance(0.5) ? `${a}.` : `${a}. ${rng.pick(['A', 'B', 'H', 'J', 'K', 'M', 'S', 'W'])}.`;
  }
  for (;;) {
    let g = '';
    const n = rng.chance(0.6) ? 2 : 1;
    for (let k = 0; k < n; k++) g += syllable(rng);
    if (g.length >= 2 && !NOT_A_SURNAME.has(g) && !CORPORATE_WORDS.has(g)) return capitalize(g);
  }
}

const CORP_HEADS = ['Ministry of', 'Office of the', 'Agency for', 'Bureau of', 'Council on', 'Institute for', 'Commission on', 'Department of'];
const CORP_WORDS = ['Energy', 'Trade', 'Industry', 'Finance', 'Health', 'Labor', 'Transport', 'Culture', 'Science', 'Defense', 'Agriculture',
  'Fisheries', 'Justice', 'Welfare', 'Tourism', 'Communications', 'Education', 'Environment', 'Housing', 'Planning', 'Statistics',
  'Maritime', 'Aviation', 'Veterans', 'Forestry', 'Mining', 'Water', 'Security', 'Innovation', 'Development', 'Climate', 'Migration',
  'Competition', 'Standards', 'Research', 'Customs', 'Revenue', 'Budget', 'Pensions', 'Youth'];
const CORP_TAILS = ['', 'Policy', 'Affairs', 'Resources', 'Cooperation', 'Safety', 'Promotion', 'Administration'];

// ---------------------------------------------------------------- prose

const WORDS = `growth trade policy firms markets capital investment supply chains technology governance norms cooperation
security economic political regional global institutions states actors networks industrial strategic competition rules
relations exports imports production innovation diffusion alliances bargaining leverage dependence coordination outcomes
pressure incentives reform regulation standards agreements negotiations assistance development infrastructure finance
resilience vulnerability hedging rivalry order power legitimacy interests preferences coalitions domestic international
bilateral multilateral emerging advanced manufacturing services energy semiconductors materials data platforms diplomacy
the of and to in a that is was for on with as by are this be from at an which its has have not more their these been it
were or between also other can into such over than both most through however because while within across among toward
whose many different several often new significant important recent current long short early early broader narrower
strong weak higher lower direct indirect formal informal shared joint common distinct mutual structural gradual rapid`.split(/\s+/);

const VERBS = ['argues', 'shows', 'finds', 'suggests', 'notes', 'observes', 'contends', 'documents', 'describes', 'traces'];
const VERBS_PL = ['argue', 'show', 'find', 'suggest', 'note', 'observe', 'contend', 'document', 'describe', 'trace'];
const CONNECTORS = ['However', 'Similarly', 'Thus', 'Moreover', 'Indeed', 'Yet'];

function words(rng: Rng, n: number): string {
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(rng.pick(WORDS));
  return out.join(' ');
}

function sentenceStart(rng: Rng, n: number): string {
  return capitalize(words(rng, n));
}

const DISTRACTORS_COMMON = [
  'Since the normalization of diplomatic relations in 1965, capital and technology flowed across the strait.',
  'In 2015, when the G7 began discussing international norms, the agenda shifted toward cyber issues.',
  'The import-induced effect was very high in the late 1970s and declined in the late 1990s.',
  'All values are expressed in 2012 US dollars and deflated by the consumer price index.',
  'Relations between the Republic of Korea (hereafter, ROK) and Japan have changed.',
  'The Group of Governmental Experts (GGE) and the Open-Ended Working Group (OEWG) failed to agree.',
  'The “G7 Principles and Conduct on Cyber” document from the 2016 G7 Summit set the tone.',
  'At the summit in May 2023, the leaders agreed to launch a new process.',
  'Trade grew steadily between 1980 and 1989, and again from 2002–2007.',
  'Table 2 reports the estimates for the period 1995–2019 (see Section 4).',
  'The effect is small (p < 0.05) but robust across 2,015 firm-year observations.',
  'India took over the G20 chairmanship from Indonesia in late 2022.',
  'The three areas of cooperation include 1) supply chains, 2) emerging technologies, and 3) financial stability.',
  'Over the 2010s the share of bilateral trade fell by a third.',
  'The Fiscal Year 2021 budget cut research spending (Table 3).',
];
const DISTRACTORS_MD = [
  'The replication code calls `fit_model(2015, lag = 2)` on each panel.',
  'See the [2019 annual report](https://example.org/reports/2019/annual.pdf) for the raw series.',
  '![Exports, 1990–2020](figures/exports-2020.png)',
  'The estimates are in the appendix. <!-- TODO: check against Kim 2015 and the 2016 data -->',
  'The growth rate is $g_{2015} = 0.03$ in the baseline.',
];
const DISTRACTORS_RST = [
  'The replication code calls ``fit_model(2015, lag=2)`` on each panel.',
  'See the `2019 annual report <https://example.org/reports/2019/annual.pdf>`_ for the raw series.',
];
const DISTRACTORS_TEX = [
  'The growth rate is $g_{2015} = 0.03$ in the baseline. % checked against the 2016 data, Kim 2015\n',
  'See \\url{https://example.org/reports/2019/annual.pdf} for the raw series.',
];

// ---------------------------------------------------------------- references

interface Person {
  family: string;
  given: string;
}

interface Work {
  authors: Person[];
  corporate?: { name: string; alias: string };
  year: string;
  suffix: string;
  title: string;
  kind: 'article' | 'book' | 'web';
  /** Key of the author list, for suffixes and ditto. */
  who: string;
  index: number;
}

const TITLE_WORDS = `trade security alliance order power markets governance technology cooperation conflict rivalry reform
institutions development finance networks norms politics economy strategy diplomacy memory history identity region
hegemony supply chains statecraft integration competition dependence rules transition energy industry innovation`.split(/\s+/);
const JOURNAL_FIELDS = ['Asian', 'Economic', 'Political', 'International', 'Development', 'Strategic', 'Pacific', 'Regional', 'Policy', 'Security'];
const PLACES = ['Seoul', 'Tokyo', 'London', 'New York', 'Washington, D.C.', 'Oxford', 'Cambridge', 'Berlin', 'Singapore'];
const PUBLISHERS = ['History Space', 'Iwanami Shoten', 'Penguin', 'Brookings Institution Press', 'Oxford University Press', 'Routledge', 'Polity'];

function makeTitle(rng: Rng, used: Set<string>): string {
  for (;;) {
    const n = rng.int(3, 8);
    const ws: string[] = [];
    for (let k = 0; k < n; k++) ws.push(rng.pick(TITLE_WORDS));
    if (rng.chance(0.3)) ws.splice(rng.int(1, ws.length - 1), 0, rng.pick(['and', 'in', 'of', 'after', 'beyond']));
    const t = capitalize(ws.join(' ')) + (rng.chance(0.3) ? `: ${capitalize(rng.pick(TITLE_WORDS))} and ${rng.pick(TITLE_WORDS)}` : '');
    if (!used.has(t)) { used.add(t); return t; }
  }
}

function authorPart(w: Work): string {
  if (w.corporate) return `${w.corporate.name}: ${w.corporate.alias}.`;
  const [a, ...rest] = w.authors;
  const first = `${a.family}, ${a.given}`;
  if (rest.length === 0) return /\.$/.test(first) ? first : `${first}.`;
  const others = rest.map((p) => `${p.given} ${p.family}`);
  if (others.length === 1) return `${first}, and ${others[0]}.`;
  return `${first}, ${others.slice(0, -1).join(', ')}, and ${others[others.length - 1]}.`;
}

function entryBody(w: Work, rng: Rng, style: PaperStyle): string {
  const amp = style === 'latex' ? '\\&' : '&';
  let rest: string;
  if (w.kind === 'article') {
    const j = rng.chance(0.5) ? `Journal of ${rng.pick(JOURNAL_FIELDS)} Studies` : `${rng.pick(JOURNAL_FIELDS)} ${rng.pick(['Review', 'Affairs', 'Quarterly'])}`;
    const p = rng.int(1, 300);
    rest = `“${w.title}.” ${j} ${rng.int(1, 60)}${rng.chance(0.5) ? ` (${rng.int(1, 4)})` : ''}: ${p}–${p + rng.int(5, 30)}.`;
  } else if (w.kind === 'book') {
    rest = `${w.title}. ${rng.pick(PLACES)}: ${rng.pick(PUBLISHERS).replace('&', amp)}.`;
  } else {
    const slug = w.title.toLowerCase().replace(/[^a-z]+/g, '-').slice(0, 30);
    const url = `https://www.example.go.kr/press/${slug}`;
    const link = style === 'latex' ? `\\url{${url}}` : url;
    rest = `“${w.title}.” ${rng.pick(['Press release', 'Policy brief', 'News release'])}. ${rng.pick(['March', 'May', 'October'])} ${rng.int(1, 28)}. ${link} (Accessed February 7, 2025)`;
  }
  return rest;
}

// ---------------------------------------------------------------- the paper

interface Mark {
  /** Offsets relative to the paragraph. */
  start: number;
  end: number;
  kind: 'parenthetical' | 'narrative';
  entry: number;
  names: { text: string; start: number; end: number }[];
  etAl: boolean;
  yearStart: number;
  yearEnd: number;
  text: string;
  continuationOf?: number;
  suffixOnly?: boolean;
}

/** Builds a paragraph string while recording citation marks at their offsets. */
class ParaBuilder {
  s = '';
  marks: Mark[] = [];
  /** Ranges that must not be broken by wrapping. */
  keep: { start: number; end: number }[] = [];
  add(t: string): this {
    this.s += t;
    return this;
  }
}

export function generatePaper(opts: GenerateOptions): GeneratedPaper {
  const rng = new Rng(opts.seed);
  const style: PaperStyle = opts.style ?? 'markdown';
  const nEntries = Math.max(1, opts.entries);
  const distractors = opts.distractors !== false;
  const without = new Set(opts.without ?? []);
  const layout = opts.listLayout ?? (style === 'rst' || style === 'latex' ? 'blank' : rng.pick(['consecutive', 'blank', 'bullets'] as const));

  // 1. Works, grouped by author lists.
  const space = new NameSpace(3);
  const usedTitles = new Set<string>();
  const works: Omit<Work, 'index'>[] = [];
  const corpAliases = new Set<string>();
  const corpFull = new NameSpace(3);
  const singles: Person[] = [];
  while (works.length < nEntries) {
    let authors: Person[] = [];
    let corporate: Work['corporate'];
    const r = rng.next();
    if (r < 0.05) {
      for (let tries = 0; tries < 50 && !corporate; tries++) {
        const head = rng.pick(CORP_HEADS);
        const topic = rng.pick(CORP_WORDS);
        const tail = rng.pick(CORP_TAILS);
        const name = [head, topic, tail].filter(Boolean).join(' ');
        const alias = name.split(/\s+/).filter((w) => /^[A-Z]/.test(w)).map((w) => w[0]).join('');
        // An alias that is also a sentence word (`AS`, `IN`) is left out: see KNOWN_BAD_FORMS in property.test.ts.
        if (alias.length < 2 || corpAliases.has(alias) || space.names.has(alias.toLowerCase()) || !corpFull.fits(foldName(name))) continue;
        if (without.has('stopword-alias') && NOT_A_SURNAME.has(alias.toLowerCase())) continue;
        corpAliases.add(alias);
        corpFull.add(foldName(name));
        corporate = { name, alias };
      }
      if (!corporate) continue;
    } else {
      const n = r < 0.7 ? 1 : r < 0.88 ? 2 : 3;
      // Now and then a single author also writes with others (`Kim 2015` and `Kim and Park 2019`).
      const first = n > 1 && singles.length && rng.chance(0.1) ? rng.pick(singles) : { family: makeSurname(rng, space), given: makeGiven(rng) };
      authors = [first];
      for (let k = 1; k < n; k++) authors.push({ family: makeSurname(rng, space), given: makeGiven(rng) });
      if (n === 1) singles.push(first);
    }
    const who = corporate ? corporate.name : authors.map((p) => p.family).join('|');
    // One author list writes 1-3 works; sometimes two in one year (suffixes a, b).
    const count = Math.min(nEntries - works.length, rng.chance(0.7) ? 1 : rng.chance(0.7) ? 2 : 3);
    const years: string[] = [];
    for (let k = 0; k < count; k++) {
      const sameYear = k > 0 && years[k - 1] !== 'n.d.' && rng.chance(0.35);
      const y = sameYear ? years[k - 1] : k === 0 && rng.chance(0.015) ? 'n.d.' : String(rng.int(1965, 2024));
      years.push(y);
    }
    for (const y of years) {
      const kind = corporate ? (rng.chance(0.7) ? 'web' : 'book') : rng.pick(['article', 'article', 'book', 'web'] as const);
      works.push({ authors, corporate, year: y, suffix: '', title: makeTitle(rng, usedTitles), kind, who });
    }
  }
  // Suffixes for the same author list in the same year, in title order.
  const byWhoYear = new Map<string, Omit<Work, 'index'>[]>();
  for (const w of works) {
    const k = `${w.who}#${w.year}`;
    const g = byWhoYear.get(k);
    if (g) g.push(w); else byWhoYear.set(k, [w]);
  }
  for (const g of byWhoYear.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => (a.title < b.title ? -1 : 1)).forEach((w, k) => { w.suffix = 'abcdefghij'[k]; });
  }
  // Chicago order: first author (folded), then the rest of the author list, then year.
  const sortKey = (w: Omit<Work, 'index'>) => {
    const first = w.corporate ? w.corporate.name : w.authors[0].family;
    const rest = w.corporate ? '' : w.authors.slice(1).map((p) => foldName(p.family)).join(' ');
    return [foldName(first), String(w.corporate ? 0 : w.authors.length).padStart(2, '0'), rest, w.year === 'n.d.' ? '0000' : w.year, w.suffix];
  };
  const sorted = works.map((w) => ({ w, k: sortKey(w) })).sort((a, b) => {
    for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return a.k[i] < b.k[i] ? -1 : 1;
    return 0;
  }).map((x, index) => ({ ...x.w, index }));

  // 2. Citations: every entry at least once, then more at random.
  const citeOrder = rng.shuffle(sorted.map((w) => w.index));
  let queue = 0;
  const nextEntry = () => (queue < citeOrder.length ? citeOrder[queue++] : rng.int(0, sorted.length - 1));
  const byWho = new Map<string, Work[]>();
  for (const w of sorted) {
    const g = byWho.get(w.who);
    if (g) g.push(w); else byWho.set(w.who, [w]);
  }

  const yearText = (w: Work) => w.year + w.suffix;
  const nameForms = (w: Work, paren: boolean, afterConnector: boolean): { parts: string[]; etAl: boolean; joiners: string[] } => {
    if (w.corporate) {
      const alias = rng.chance(0.75) && !(afterConnector && w.corporate.alias.length <= 2 && without.has('short-alias-after-connector'));
      return { parts: [alias ? w.corporate.alias : w.corporate.name], etAl: false, joiners: [] };
    }
    const fams = w.authors.map((p) => p.family);
    if (fams.length === 1) return { parts: fams, etAl: false, joiners: [] };
    if (fams.length === 2) return { parts: fams, etAl: false, joiners: [paren && style !== 'latex' && rng.chance(0.2) ? ' & ' : ' and '] };
    if (rng.chance(0.6)) return { parts: [fams[0]], etAl: true, joiners: [] };
    return { parts: fams, etAl: false, joiners: [', ', ', and '] };
  };

  /** Writes names into the builder; returns their marks. */
  const writeNames = (b: ParaBuilder, f: { parts: string[]; etAl: boolean; joiners: string[] }, possessive: boolean) => {
    const names: Mark['names'] = [];
    f.parts.forEach((p, k) => {
      if (k > 0) b.add(f.joiners[k - 1]);
      const start = b.s.length;
      b.add(p);
      names.push({ text: p, start, end: b.s.length });
    });
    if (f.etAl) b.add(' et al.');
    if (possessive) b.add(/s$/.test(f.parts[f.parts.length - 1]) && !f.etAl ? '’' : '’s');
    return names;
  };

  /** The works cited with one set of names: `w` alone, or with others of the same author list in year order. */
  const yearList = (w: Work): Work[] => {
    const g = byWho.get(w.who) ?? [];
    if (g.length < 2 || w.year === 'n.d.' || !rng.chance(0.3)) return [w];
    const others = rng.shuffle(g.filter((o) => o !== w && o.year !== 'n.d.')).slice(0, 2);
    return [w, ...others].sort((a, b) => (yearText(a) < yearText(b) ? -1 : 1));
  };

  /**
   * Writes `2019, 2021a, b` for the works and returns their marks: the first carries the names
   * (its text starts at `start`), the others are continuations.
   */
  const writeYears = (b: ParaBuilder, list: Work[], kind: Mark['kind'], start: number, names: Mark['names'], etAl: boolean): Mark[] => {
    const marks: Mark[] = [];
    list.forEach((o, k) => {
      const prevWork = list[k - 1];
      if (k > 0) b.add(', ');
      const suffixOnly = !!prevWork && o.year === prevWork.year && !!o.suffix && !!prevWork.suffix && (k === 1 || !without.has('suffix-after-year-list'));
      const ys = b.s.length;
      b.add(suffixOnly ? o.suffix : yearText(o));
      marks.push({
        start: k === 0 ? start : ys, end: b.s.length, kind, entry: o.index, names, etAl, yearStart: ys, yearEnd: b.s.length,
        text: b.s.slice(k === 0 ? start : ys), continuationOf: k === 0 ? undefined : -1, suffixOnly: suffixOnly || undefined,
      });
    });
    return marks;
  };

  /** Adds marks to the paragraph, linking each continuation to the mark before it. */
  const pushMarks = (b: ParaBuilder, marks: Mark[]) => {
    for (const m of marks) {
      if (m.continuationOf !== undefined) m.continuationOf = b.marks.length - 1;
      b.marks.push(m);
    }
  };

  const locator = () => rng.pick([`: ${rng.int(1, 300)}`, `, p. ${rng.int(1, 300)}`, `, pp. ${rng.int(1, 50)}–${rng.int(51, 90)}`, `, chap. ${rng.int(1, 9)}`, `, ${rng.int(2, 299)}`]);

  const parenthetical = (b: ParaBuilder) => {
    const n = rng.chance(0.75) ? 1 : rng.int(2, 3);
    const groupStart = b.s.length;
    b.add('(');
    const prefix = rng.chance(0.15) ? rng.pick(['see ', 'e.g., ', 'cf. ', 'see also ']) : '';
    b.add(prefix);
    const usedWho = new Set<string>();
    for (let k = 0; k < n; k++) {
      let w = sorted[nextEntry()];
      for (let t = 0; t < 5 && usedWho.has(w.who); t++) w = sorted[rng.int(0, sorted.length - 1)];
      if (usedWho.has(w.who)) break;
      usedWho.add(w.who);
      if (k > 0) b.add('; ');
      const f = nameForms(w, true, false);
      const start = b.s.length;
      const names = writeNames(b, f, false);
      b.add(f.parts.length === 1 && !f.etAl && rng.chance(0.25) ? ', ' : ' ');
      const list = yearList(w);
      pushMarks(b, writeYears(b, list, 'parenthetical', start, names, f.etAl));
      // A locator points into one work: not after a list of years.
      if (n === 1 && list.length === 1 && rng.chance(0.25)) b.add(locator());
    }
    b.add(')');
    b.keep.push({ start: groupStart, end: b.s.length });
  };

  const narrative = (b: ParaBuilder, afterConnector: boolean) => {
    const w = sorted[nextEntry()];
    const f = nameForms(w, false, afterConnector);
    const possessive = !f.etAl && f.parts.length === 1 && rng.chance(0.15);
    const start = b.s.length;
    const names = writeNames(b, f, possessive);
    b.add(' (');
    const list = possessive ? [w] : yearList(w);
    const marks = writeYears(b, list, 'narrative', start, names, f.etAl);
    if (list.length === 1 && rng.chance(0.2)) b.add(rng.pick([`, ${rng.int(2, 300)}`, `: ${rng.int(2, 300)}`, `, p. ${rng.int(2, 300)}`]));
    b.add(')');
    // The core reports a narrative citation up to its closing parenthesis.
    marks[0].end = b.s.length;
    marks[0].text = b.s.slice(start);
    pushMarks(b, marks);
    b.keep.push({ start, end: b.s.length });
    const plural = f.parts.length > 1 || f.etAl;
    b.add(' ' + rng.pick(plural ? VERBS_PL : VERBS) + ' that');
  };

  const sentence = (b: ParaBuilder) => {
    const r = rng.next();
    if (r < 0.3) {
      // Narrative at the start, after a connector, or inside the sentence.
      const where = rng.next();
      if (where < 0.5) narrative(b, false);
      else if (where < 0.75) { b.add(rng.pick(CONNECTORS) + ', '); narrative(b, true); }
      else { b.add(sentenceStart(rng, rng.int(3, 8)) + ', as '); narrative(b, false); }
      b.add(' ' + words(rng, rng.int(5, 14)) + '.');
    } else if (r < 0.75) {
      b.add(sentenceStart(rng, rng.int(8, 20)) + ' ');
      parenthetical(b);
      b.add('.');
    } else if (r < 0.82 && distractors) {
      const pool = [...DISTRACTORS_COMMON, ...(style === 'markdown' ? DISTRACTORS_MD : style === 'rst' ? DISTRACTORS_RST : style === 'latex' ? DISTRACTORS_TEX : [])];
      const d = rng.pick(pool);
      b.add(d);
      // A distractor is kept whole (a comment or a link must not be wrapped apart).
      b.keep.push({ start: b.s.length - d.length, end: b.s.length });
    } else {
      b.add(sentenceStart(rng, rng.int(8, 22)) + '.');
    }
  };

  // 3. Layout.
  const out: string[] = [];
  let pos = 0;
  const citations: GeneratedCitation[] = [];
  const entriesOut: GeneratedEntry[] = [];
  const write = (s: string) => { out.push(s); pos += s.length; };

  if (style === 'markdown') {
    if (rng.chance(0.5)) write(`---\ntitle: "Cooperation in an Era of Competition"\nauthor: Jane Doe\ndate: 2025-02-18\n---\n\n`);
    write('# Cooperation in an Era of Competition\n\n## Introduction\n\n');
  } else if (style === 'rst') {
    write('Cooperation in an Era of Competition\n====================================\n\nIntroduction\n------------\n\n');
  } else if (style === 'latex') {
    write('\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n\n');
  } else {
    write('Cooperation in an Era of Competition\n\nI. Introduction\n\n');
  }

  const wrap = opts.wrap ?? 0;
  const layoutPara = (b: ParaBuilder): string => {
    if (!wrap) return b.s;
    // Offsets are UTF-16; replace break spaces by newlines in place (lengths unchanged).
    let s = b.s;
    let lineStart = 0;
    let lastSpace = -1;
    const kept = (i: number) => b.keep.some((k) => i > k.start && i < k.end);
    for (let i = 0; i < s.length; i++) {
      if (s[i] === ' ' && !kept(i)) {
        // A wrapped line must not start like a list item, heading or block.
        const next = s.slice(i + 1, i + 4);
        if (!/^(?:[-+*#>|=]|\d+[.)])/.test(next)) lastSpace = i;
      }
      if (i - lineStart >= wrap && lastSpace > lineStart) {
        s = s.slice(0, lastSpace) + '\n' + s.slice(lastSpace + 1);
        lineStart = lastSpace + 1;
        lastSpace = -1;
      }
    }
    return s;
  };

  const nParas = opts.paragraphs ?? (opts.targetBytes ? Infinity : Math.max(3, Math.ceil(nEntries * 1.5)));
  const targetProse = opts.targetBytes ? opts.targetBytes - estimateListBytes(sorted.length) : Infinity;
  let section = 1;
  for (let p = 0; p < nParas; p++) {
    const mustCite = queue < citeOrder.length;
    if (p >= (opts.paragraphs ?? 0) && !mustCite && pos >= targetProse) break;
    if (p > 0 && p % 12 === 0) {
      section++;
      const title = `${capitalize(rng.pick(TITLE_WORDS))} and ${rng.pick(TITLE_WORDS)}`;
      if (style === 'markdown') write(`## ${section}. ${title}\n\n`);
      else if (style === 'rst') write(`${title}\n${'-'.repeat(title.length)}\n\n`);
      else if (style === 'latex') write(`\\section{${title}}\n\n`);
      else write(`${'IVX'[section % 3]}. ${title}\n\n`);
    }
    const b = new ParaBuilder();
    const n = rng.int(3, 7);
    for (let k = 0; k < n; k++) {
      if (k > 0) b.add(' ');
      sentence(b);
    }
    const base = pos;
    const firstMark = citations.length;
    for (const m of b.marks) {
      citations.push({
        index: citations.length,
        line: -1,
        text: m.text,
        entry: m.entry,
        entryLine: -1,
        kind: m.kind,
        names: m.names.map((x) => ({ text: x.text, start: base + x.start, end: base + x.end })),
        etAl: m.etAl,
        yearStart: base + m.yearStart,
        yearEnd: base + m.yearEnd,
        start: base + m.start,
        end: base + m.end,
        continuationOf: m.continuationOf !== undefined ? firstMark + m.continuationOf : undefined,
        suffixOnly: m.suffixOnly || undefined,
      });
    }
    write(layoutPara(b) + '\n\n');
  }

  // 4. The reference list.
  const headingStart = pos;
  if (style === 'markdown') write(rng.chance(0.7) ? '## References\n\n' : 'References\n----------\n\n');
  else if (style === 'rst') write('References\n==========\n\n');
  else if (style === 'latex') write('\\section*{References}\n\n');
  else write('References\n');
  let prev: Work | undefined;
  for (const w of sorted) {
    const ditto = !!prev && prev.who === w.who && !w.corporate && w.authors.length === 1 && rng.chance(0.5);
    const head = ditto ? rng.pick(['———.', '______.']) : authorPart(w);
    const text = `${head} ${yearText(w)}. ${entryBody(w, rng, style)}`;
    const marker = layout === 'bullets' ? '- ' : '';
    const start = pos + marker.length;
    write(marker + text + '\n');
    if (layout === 'blank') write('\n');
    entriesOut.push({ index: w.index, line: -1, start, end: start + text.length, authors: w.corporate ? [w.corporate.alias] : w.authors.map((p) => p.family), year: yearText(w), corporate: !!w.corporate, ditto, text });
    prev = w;
  }
  if (style === 'latex') write('\n\\end{document}\n');

  const text = out.join('');
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (off: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= off) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  for (const e of entriesOut) e.line = lineOf(e.start);
  for (const c of citations) {
    c.line = lineOf(c.yearStart);
    c.entryLine = entriesOut[c.entry].line;
    c.text = text.slice(c.start, c.end).replace(/\s+/g, ' ');
  }
  const ext = { markdown: 'md', plaintext: 'txt', rst: 'rst', latex: 'tex' }[style];
  return { text, style, uri: `file:///generated/paper-${opts.seed}.${ext}`, entries: entriesOut, citations, headingLine: lineOf(headingStart) };
}

function estimateListBytes(n: number): number {
  return n * 190;
}

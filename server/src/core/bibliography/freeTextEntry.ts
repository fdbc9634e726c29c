/**
 * Authors and year of one free-text reference entry, as typed by a writer:
 * `Kissinger, Henry A. and Allison, Graham. 2023.`, `Lembo V, Lunkeit F (2019)`,
 * `Ministry of Economy, Trade and Industry: METI. 2024.`, `______. 2023b.`,
 * `Brient et al., Clim. Dyn., 47, 2016.` (year last).
 */
import type { Person } from '../types';
import { tokenize, type Token } from '../syntax/tokens';
import { CORPORATE_INNER, CORPORATE_KEYWORDS, GAELIC_PARTICLES, PARTICLES, PLACE_ABBREVIATIONS, hasCjk, isSaintWord, isCapitalized, isDottedInitial, isInitials, isLowerWord, normalizeYearWord } from '../syntax/words';

export interface ParsedEntry {
  authors: Person[];
  etAl: boolean;
  editors: boolean;
  ditto: boolean;
  year: string;
  suffix: string;
  /** Offsets within the parsed string. */
  yearStart: number;
  yearEnd: number;
  authorStart: number;
  authorEnd: number;
  /** `author-year` when the year follows the authors, `year-last` when it closes the entry. */
  shape: 'author-year' | 'year-last' | 'no-year';
  /** The text after the year (title, venue), for duplicate detection and completion. */
  rest: string;
}

const DITTO_RE = /^[\s\0]*(?:_{2,}|[—―]{1,}|–{2,}|-{2,}|\\?_{2,})[\s\0]*[.,]?/;
/** After a bracketed year, the year of the edition used: `(1912) 1995`, `[1905] 2001`. */
const REPRINT_RE = /^[)\]）][\s\0]+(1[5-9]\d\d|20\d\d)([a-z])?(?![\p{L}\d])/u;

/** A line of rule characters only (`---`, `___`, `* * *`): a horizontal rule, not a ditto entry. */
const RULE_LINE_RE = /^[\s\0]*([-_*=—―–])(?:[\s\0]*\1){2,}[\s\0]*$/;

/**
 * A year, or a word for none (`n.d.`; Harvard's `no date`, German `o. J.`, Spanish `s. f.`,
 * French `s. d.`) or for not yet. APA's suffixes of `n.d.` and `in press` follow a hyphen
 * (`n.d.-a`, `in press-b`): group 4.
 */
const YEAR_AT_RE = /^[\s\0]*[(\[（]?[\s\0]*((1[5-9]\d\d|20\d\d)(?:[/–-](?:1[5-9]\d\d|20\d\d|\d\d)(?![\d]))?([a-z](?:\/[a-z])?)?(?![\p{L}\d])|(?:n\.\s?d\.?|in press)-([a-z])(?![\p{L}\d])|n\.\s?d\.?|s\.\s?[fd]\.?|o\.\s?j\.|no date(?!\p{L})|in press|forthcoming|en prensa|im druck|sous presse)/iu;
const YEAR_ANY_RE = /(?<![\p{L}\d./-])(1[5-9]\d\d|20\d\d)([a-z](?:\/[a-z])?)?(?![\p{L}\d])/gu;

/**
 * Tokens that may stand between the authors and an author-year year; `（` is the full-width
 * parenthesis of Japanese and Chinese entries (`久保拓弥（2012）『…』`).
 */
function skipToYear(s: string, i: number): number {
  let j = i;
  while (j < s.length && /[\s\0.,:(\[（]/.test(s[j])) j++;
  return j;
}

interface Seg {
  tokens: Token[];
}

function classifyCorporate(words: string[]): boolean {
  if (words.length === 0) return false;
  if (words[0] === 'The' && words.length > 1) return true;
  for (const w of words) if (CORPORATE_KEYWORDS.has(w.toLowerCase())) return true;
  // Lowercase function words between capitalised words: `Office of the President`.
  for (let i = 1; i < words.length - 1; i++) {
    const w = words[i];
    if ((w === 'of' || w === 'for' || w === 'on' || w === 'the') && isCapitalized(words[i + 1] ?? '')) return true;
  }
  return false;
}

/** `Jr.`, `III`: not a name of its own. */
function suffixWord(w: string): boolean {
  return /^(Jr|Sr|II|III|IV)\.?$/.test(w);
}

function familyOf(words: string[]): string {
  // Family = last word, with the particles before it (`van der Berg`).
  let k = words.length - 1;
  while (k > 0 && ((PARTICLES.has(words[k - 1].toLowerCase()) && isLowerWord(words[k - 1])) || GAELIC_PARTICLES.has(words[k - 1]))) k--;
  return words.slice(k).join(' ');
}

/**
 * Reads an author list from the start of `s`. Returns the persons and where the list ends.
 */
export function readAuthors(s: string): { persons: Person[]; etAl: boolean; editors: boolean; end: number; stoppedAt: string; inverted: boolean } | undefined {
  // An author list is short, and the entry runs on: tokenize a head first, and twice as much
  // (up to the first 600 characters, all the reader ever looks at) each time it reads near the
  // head's end.
  const limit = Math.min(s.length, 600);
  let head = Math.min(limit, TOKEN_HEAD);
  let toks = tokenize(s, 0, head);
  /** Tokens before this index are the same as in the full tokenization. */
  let stable = head >= limit ? Infinity : stableTokens(toks, head);
  /** Makes toks[j] final (the reader looks at most a few tokens past the current one). */
  const need = (j: number) => {
    while (j >= stable && head < limit) {
      head = Math.min(limit, head * 2);
      toks = tokenize(s, 0, head);
      stable = head >= limit ? Infinity : stableTokens(toks, head);
    }
  };
  const persons: Person[] = [];
  let etAl = false;
  let editors = false;
  let seg: Token[] = [];
  let pending: { person: Person; words: string[]; direct: boolean } | undefined;
  let end = 0;
  let stoppedAt = '';
  /** Some name was written surname first with given names after a comma: a list of people. */
  let inverted = false;

  const finishPending = () => {
    if (!pending) return;
    if (pending.direct && pending.words.length > 1) {
      // Chinese, Japanese and Korean names in their own script are family name first
      // (`久保 拓弥`): the first word is the family name, and no other reading is kept.
      if (hasCjk(pending.words[0])) {
        pending.person.family = pending.words[0];
        pending = undefined;
        return;
      }
      pending.person.family = familyOf(pending.words);
      if (pending.words.length === 2 && pending.person.family === pending.words[1]) pending.person.direct = true;
    }
    pending = undefined;
  };

  const flush = (): boolean => {
    const t = seg;
    seg = [];
    if (t.length === 0) return true;
    const texts = t.map((x) => x.text);
    // A Gaelic particle before a capitalised word is a word of the surname (`Ó Gráda`), not an initial.
    const kinds = t.map((x, k) => (GAELIC_PARTICLES.has(x.text) && k + 1 < t.length && t[k + 1].kind === 'word' && isCapitalized(t[k + 1].text) ? 'W'
      : x.kind === 'initial' || (x.kind === 'word' && isDottedInitial(x.text)) ? 'I' : x.kind === 'word' && isInitials(x.text) && x.text.length <= 3 ? 'i' : 'W'));
    const allInitial = kinds.every((k) => k === 'I' || k === 'i');
    if (pending && !pending.person.corporate) {
      // `Kissinger, Henry A.` / `Kim, DH` / `Allison, Graham`: the given names of the pending surname.
      // Given names may end in particles (`Cruz, María de la`, `Dijk, Teun A. van`). A multi-word
      // surname takes given names when it opens the list or starts with a particle (`Le Lay, Yann`,
      // `van der Berg, Anna`); later on, `Jane Doe, John Smith` are two people.
      const cjkPending = hasCjk(pending.person.family);
      const givenWords = t.length <= 4 && isCapitalized(t[0].text) && (cjkPending ? t.length === 1 : !hasCjk(t[0].text))
        && t.every((x) => x.kind === 'initial' || (isCapitalized(x.text) && (cjkPending || !hasCjk(x.text))) || (PARTICLES.has(x.text.toLowerCase()) && isLowerWord(x.text)));
      const givenLike = allInitial || (givenWords && (pending.words.length === 1 || !pending.direct || persons.length === 1));
      if (givenLike) {
        // Particles after the given names belong to the family name: `Cruz, María de la`.
        let g = texts.length;
        while (g > 1 && PARTICLES.has(texts[g - 1].toLowerCase()) && isLowerWord(texts[g - 1])) g--;
        if (g < texts.length) pending.person.family = `${texts.slice(g).join(' ')} ${pending.person.family}`;
        pending.person.full = `${texts.slice(0, g).join(' ')} ${pending.person.family}`;
        pending.direct = false;
        pending = undefined;
        inverted = true;
        return true;
      }
      finishPending();
    }
    const words = texts.filter((w) => !suffixWord(w));
    if (words.length === 0) return true;
    // A lone all-capital word at a new person is a surname (`REX`, `WHO`), not initials.
    if (words.length === 1) {
      const p: Person = { family: words[0], full: words[0] };
      persons.push(p);
      pending = { person: p, words, direct: false };
      return true;
    }
    const k0 = kinds[0];
    const kl = kinds[kinds.length - 1];
    // `R Core Team`: a body whose name opens with a capital letter, not a person with an initial.
    if (t[0].kind === 'word' && t[0].text.length === 1 && !inverted && persons.length === 0 && classifyCorporate(words)) {
      const p: Person = { family: words.join(' '), full: words.join(' '), corporate: true };
      persons.push(p);
      pending = { person: p, words, direct: false };
      return true;
    }
    if (k0 === 'I' || (k0 === 'i' && kinds.slice(1).some((k) => k === 'W'))) {
      // `T.M. Smith`, `G. H. van der Berg`: given names first.
      let k = 0;
      while (k < kinds.length && kinds[k] !== 'W') k++;
      const fam = words.slice(k);
      if (fam.length === 0) return false;
      persons.push({ family: fam.join(' '), full: words.join(' ') });
      return true;
    }
    if (kl === 'I' || kl === 'i') {
      // `Lembo V`, `Austin M.P.`, `Bürkner P. C.`: surname then initials.
      let k = 0;
      while (k < kinds.length && kinds[k] === 'W') k++;
      persons.push({ family: words.slice(0, k).join(' '), full: words.join(' ') });
      return true;
    }
    // A body, unless it stands among people (`Bank, Steven, and Rachel Post`).
    if (!inverted && persons.length === 0 && classifyCorporate(words)) {
      const p: Person = { family: words.join(' '), full: words.join(' '), corporate: true };
      persons.push(p);
      pending = { person: p, words, direct: false };
      return true;
    }
    // `van der Berg` or `Le Lay` (surname, given follows) or `Paolo Davini` (direct): decided by what follows.
    const p: Person = { family: words.join(' '), full: words.join(' ') };
    persons.push(p);
    pending = { person: p, words, direct: !PARTICLES.has(words[0]) && !GAELIC_PARTICLES.has(words[0]) };
    return true;
  };

  for (let i = 0; ; i++) {
    need(i + LOOKAHEAD);
    if (i >= toks.length) break;
    const t = toks[i];
    // Only words as short as those it is compared with are lower-cased (they are at most five
    // letters: connectors, `et`, `the`, PARTICLES, CORPORATE_INNER); most names are longer.
    const low = t.text.length <= LOW_WORD_MAX ? t.text.toLowerCase() : '';
    const etAlLength = t.kind === 'word' ? etAlAt(toks, i, low) : 0;
    if (etAlLength > 0) {
      flush();
      finishPending();
      etAl = true;
      i += etAlLength - 1;
      end = toks[i].end;
      if (toks[i + 1]?.text === '.') { i++; end = toks[i].end; }
      // `et al.` closes the list, apart from an editor mark (`et al., eds.`).
      if (toks[i + 1]?.text === ',' && /^eds?$/i.test(toks[i + 2]?.text ?? '')) continue;
      stoppedAt = 'et al.';
      break;
    }
    if (t.kind === 'word' && (low === 'and' || low === 'y' || low === 'und' || low === 'e' || low === 'et')) {
      if (seg.length === 0 && persons.length === 0) { stoppedAt = t.text; break; }
      flush();
      finishPending();
      continue;
    }
    // `Eds.`, `eds`, `(Hrsg.)`: a capitalised `Dir` followed by a comma is a surname.
    if (t.kind === 'word' && /^(eds?|editors?|hrsg|coord|comp|comps|dir|dirs)$/i.test(t.text) && persons.length + (seg.length ? 1 : 0) > 0
      && (isLowerWord(t.text) || toks[i + 1]?.text === '.' || /^(eds?|editors?)$/i.test(t.text))) {
      flush();
      finishPending();
      editors = true;
      end = t.end;
      if (toks[i + 1]?.text === '.') { i++; end = toks[i].end; }
      if (toks[i + 1]?.text === ')') { i++; end = toks[i].end; }
      continue;
    }
    if (t.kind === 'punct') {
      if (t.text === '&' || t.text === ';' || t.text === '/') { flush(); finishPending(); continue; }
      if (t.text === ',') {
        // `Smith, J., Doe, J.` — a comma ends a segment.
        if (!flush()) break;
        continue;
      }
      if (t.text === '(' && /^(eds?|ed|hrsg|coord|comps?|dirs?)\.?$/i.test(toks[i + 1]?.text ?? '')) {
        flush();
        finishPending();
        editors = true;
        i++;
        need(Infinity);
        while (i + 1 < toks.length && (toks[i + 1].text === '.' || toks[i + 1].text === ')')) i++;
        end = toks[i].end;
        continue;
      }
      if (t.text === '.' && seg.length > 0) {
        // A period after a full word ends the author list (`Abe, Makoto. 2015`), unless it follows
        // a surname pending its given names (`Kim, DH. 2015` is handled as initials above).
        const last = seg[seg.length - 1];
        // `St. John, Mary`: the period of `St.` (Saint) is inside the surname.
        if (isSaintAbbreviation(last, t, toks[i + 1])) continue;
        // `松村優哉., 湯谷啓明., …`: a period before a comma does not end the list.
        if (last.kind === 'word' && !isInitials(last.text) && toks[i + 1]?.text !== ',') {
          flush();
          end = t.end;
          stoppedAt = '.';
          break;
        }
        flush();
        end = t.end;
        continue;
      }
      if (t.text === '.' || t.text === '’' || t.text === "'") continue;
      stoppedAt = t.text;
      break;
    }
    if (t.kind === 'initial') { seg.push(t); end = t.end; continue; }
    // `Molteni F. On the …`: a surname and its initials, then a capitalised word with no comma
    // between: the title has begun.
    if (t.kind === 'word' && seg.length >= 2 && seg[seg.length - 1].kind === 'initial' && seg[seg.length - 1].text.endsWith('.')
      && seg[0].kind === 'word' && !isInitials(seg[0].text) && t.spaceBefore
      && (toks[i + 1]?.kind === 'word' && isLowerWord(toks[i + 1].text) || /^(The|A|An|On|In|Of|Towards?|Why|How|What|When|Using|New|From|Is|Are|Do|Does)$/.test(t.text))) {
      flush();
      stoppedAt = t.text;
      break;
    }
    if (t.kind === 'word') {
      if (isCapitalized(t.text) || (PARTICLES.has(low) && isLowerWord(t.text)) || ((seg.length > 0 || low === 'the') && CORPORATE_INNER.has(low) && low !== 'and' && low !== 'y' && nextNonInnerCapitalized(toks, i + 1))) {
        seg.push(t);
        end = t.end;
        continue;
      }
      stoppedAt = t.text;
      break;
    }
    stoppedAt = t.text;
    break;
  }
  if (seg.length) {
    const last = seg[seg.length - 1];
    end = Math.max(end, last.end);
  }
  flush();
  finishPending();
  if (persons.length === 0) return undefined;
  // After a name written surname first (`Lee, Hana, and Minho Park`), the others are given name
  // first by the style's rule (Chicago, MLA): none is family name first.
  if (inverted) for (const p of persons) delete p.direct;
  return { persons, etAl, editors, end, stoppedAt, inverted };
}

/**
 * How many tokens from `i` spell `et al` (its period is read after), German `u. a.` (und
 * andere: et al.), Spanish `y col`, `y cols`, `y colaboradores`, `y otros`, or the AMS journals'
 * `and Coauthors` (their lists name the first author only when there are more than eight), or 0.
 * `low` is token `i` in lower case when it is short.
 */
function etAlAt(toks: Token[], i: number, low: string): number {
  if (low === 'et') return toks[i + 1]?.kind === 'word' && /^al\.?$/.test(toks[i + 1].text) ? 2 : 0;
  if (low === 'and') return toks[i + 1]?.kind === 'word' && /^coauthors$/i.test(toks[i + 1].text) ? 2 : 0;
  if (low === 'y') return toks[i + 1]?.kind === 'word' && /^(?:cols?|colaboradores|otros)$/.test(toks[i + 1].text) ? 2 : 0;
  if (toks[i].text === 'u') return toks[i + 1]?.text === '.' && toks[i + 2]?.text === 'a' && toks[i + 3]?.text === '.' ? 3 : 0;
  return 0;
}

/** `St.` or `Ste.` written against its period and followed by a capitalised word: a surname's first word. */
function isSaintAbbreviation(word: Token, period: Token, next: Token | undefined): boolean {
  return word.kind === 'word' && isSaintWord(word.text) && word.end === period.start
    && !!next && next.kind === 'word' && next.spaceBefore && isCapitalized(next.text);
}

/** The longest word readAuthors compares in lower case (see PARTICLES and CORPORATE_INNER). */
const LOW_WORD_MAX = Math.max(3, ...[...PARTICLES, ...CORPORATE_INNER].map((w) => w.length));

/** Characters tokenized before the rest of an entry is needed. */
const TOKEN_HEAD = 96;
/** How many tokens past the current one the author reader may look at (`nextNonInnerCapitalized` looks 4 ahead). */
const LOOKAHEAD = 6;

/**
 * How many leading tokens of `tokenize(s, 0, to)` are final: a word, an apostrophe or an initial
 * chain (`A.-B.`) cut at `to` changes only tokens ending within a few characters of it.
 */
function stableTokens(toks: Token[], to: number): number {
  let n = 0;
  while (n < toks.length && toks[n].end <= to - 8) n++;
  return n;
}

function nextNonInnerCapitalized(toks: Token[], i: number): boolean {
  for (let k = i; k < toks.length && k < i + 4; k++) {
    const t = toks[k];
    if (t.kind !== 'word') return false;
    if (isCapitalized(t.text)) return true;
    if (!CORPORATE_INNER.has(t.text.toLowerCase())) return false;
  }
  return false;
}

/**
 * Finds a corporate author with its abbreviation: `Name: ABBR.`, `Name (ABBR).` or APA's
 * `Name [ABBR].` (the form APA cites at a body's first use).
 */
const CORP_ABBR_RE = /^[\s\0]*([^:()[\]\n]{3,200}?)[\s\0]*(?::[\s\0]*([\p{Lu}][\p{L}&\d]{1,14})[\s\0]*[.,]|\([\s\0]*([\p{Lu}][\p{L}&\d]{1,14})[\s\0]*\)[\s\0]*[.,]?|\[[\s\0]*([\p{Lu}][\p{L}&\d]{1,14})[\s\0]*\][\s\0]*[.,]?)/u;

const SPACE_RE = /[\s\0]/;
const NOT_SPACE_RE = /[^\s\0]/;
/** CORP_ABBR_RE from its `:`, `(` or `[` on. */
const ALIAS_AT_RE = /:[\s\0]*[\p{Lu}][\p{L}&\d]{1,14}[\s\0]*[.,]|\([\s\0]*[\p{Lu}][\p{L}&\d]{1,14}[\s\0]*\)|\[[\s\0]*[\p{Lu}][\p{L}&\d]{1,14}[\s\0]*\]/uy;

/** An abbreviation, then the body's name in brackets: `WHO (World Health Organization).` */
const ABBR_FIRST_RE = /^[\s\0]*(\p{Lu}[\p{Lu}&\d]{1,14})[\s\0]+\([\s\0]*(\p{Lu}[^()\n\d]{2,200}?)[\s\0]*\)[\s\0]*[.,]?/u;

/**
 * A cheap necessary condition for CORP_ABBR_RE, which otherwise walks up to 200 characters of
 * every entry (and of every line `looksLikeEntryStart` tries), backtracking at each. Nothing
 * before its `:`, `(` or `[` may be one of `:()[]`, so that is the first of them in the string;
 * the name part holds no newline and at most 200 characters, so after a newline or past the
 * 200th character only spaces come before it; and the abbreviation must follow it.
 */
function mayHaveCorporateAlias(s: string): boolean {
  const i = s.search(NOT_SPACE_RE);
  if (i < 0) return false;
  // The longest name part CORP_ABBR_RE allows: up to 200 code points, none of `:()[]` or a newline.
  let q = i;
  for (let n = 0; n < 200 && q < s.length; n++) {
    const c = s.charCodeAt(q);
    if (c === 58 || c === 40 || c === 41 || c === 91 || c === 93 || c === 10) break;
    q += c >= 0xd800 && c <= 0xdbff && q + 1 < s.length && (s.charCodeAt(q + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  if (q >= s.length || s[q] === ')' || s[q] === ']') return false;
  if (!isAliasOpening(s[q])) {
    while (q < s.length && SPACE_RE.test(s[q])) q++;
    if (!isAliasOpening(s[q])) return false;
  }
  ALIAS_AT_RE.lastIndex = q;
  return ALIAS_AT_RE.test(s);
}

function isAliasOpening(c: string | undefined): boolean {
  return c === ':' || c === '(' || c === '[';
}

/**
 * Whether the words the reader put before a person's family name look like initials (`T.M.
 * Smith`, `DH Kim`), which make the list one of people; a place abbreviation opening the first
 * name (`U.S. Food`) is no initial.
 */
function hasGivenInitials(p: Person, k: number): boolean {
  const given = p.full.replace(p.family, '').trim();
  if (k === 0 && PLACE_ABBREVIATIONS.has(given)) return false;
  return /\p{Lu}\.|^\p{Lu}{1,3}$/u.test(given);
}

/** The length of the leading run of spaces (and blanked characters). */
function leadingSpace(s: string): number {
  const i = s.search(NOT_SPACE_RE);
  return i < 0 ? s.length : i;
}

export function parseFreeTextEntry(s: string, previousAuthors?: Person[]): ParsedEntry | undefined {
  let authors: Person[] = [];
  let etAl = false;
  let editors = false;
  let ditto = false;
  let authorStart = 0;
  let authorEnd = 0;
  let yearSearchFrom = 0;

  const d = RULE_LINE_RE.test(s) ? null : DITTO_RE.exec(s);
  if (!d && RULE_LINE_RE.test(s)) return undefined;
  if (d) {
    if (!previousAuthors || previousAuthors.length === 0) return undefined;
    ditto = true;
    authors = previousAuthors.map((p) => ({ ...p }));
    authorStart = leadingSpace(s);
    authorEnd = d.index + d[0].length;
    // `———, and David Barsamian. 2003.`: the dash stands for the first author, and co-authors follow.
    const co = dittoCoauthors(s, authorEnd);
    if (co) {
      authors = [{ ...previousAuthors[0] }, ...co.persons];
      etAl = co.etAl;
      authorEnd = co.end;
    }
    yearSearchFrom = authorEnd;
  } else {
    authorStart = leadingSpace(s);
    const corp = mayHaveCorporateAlias(s) ? CORP_ABBR_RE.exec(s) : null;
    let handled = false;
    // `UNEP (United Nations Environment Programme). 2015.`: the abbreviation first, the name after.
    const rev = !corp && s.indexOf('(') !== -1 ? ABBR_FIRST_RE.exec(s) : null;
    if (rev) {
      const name = rev[2].replace(/\0/g, '').trim();
      const words = name.split(/\s+/);
      if (words.length >= 2 && words.every((w) => isCapitalized(w) || CORPORATE_INNER.has(w.toLowerCase()) || w === '&')) {
        authors = [{ family: name, full: name, alias: rev[1], corporate: true }];
        authorEnd = rev.index + rev[0].length;
        yearSearchFrom = authorEnd;
        handled = true;
      }
    }
    if (corp && !handled) {
      const name = corp[1].replace(/\0/g, '').trim();
      const abbr = corp[2] ?? corp[3] ?? corp[4];
      const words = name.split(/[\s,]+/).filter(Boolean);
      const looksCorporate = classifyCorporate(words) || (words.length >= 2 && !words.some((w) => isInitials(w) || isDottedInitial(w)));
      if (looksCorporate && words.every((w) => isCapitalized(w) || CORPORATE_INNER.has(w.toLowerCase()) || /^[&,]$/.test(w))) {
        authors = [{ family: name, full: name, alias: abbr, corporate: true }];
        authorEnd = corp.index + corp[0].length;
        yearSearchFrom = authorEnd;
        handled = true;
      }
    }
    if (!handled) {
      const r = readAuthors(s);
      if (!r) return undefined;
      authors = r.persons;
      etAl = r.etAl;
      editors = r.editors;
      authorEnd = r.end;
      yearSearchFrom = r.end;
      // A corporate author written in full, whose words the person reader split (never a list
      // with a name written surname first, or with initials).
      if (!r.inverted && !r.persons.some((p, k) => hasGivenInitials(p, k))) {
        const head = s.slice(authorStart, authorEnd).replace(/\0/g, '').replace(/[.,\s]+$/, '');
        const headWords = head.split(/\s+/).filter(Boolean);
        if (classifyCorporate(headWords.filter((w) => w !== ',')) && !/,\s*\p{Lu}\.|\band\b.*,/u.test(head)) {
          authors = [{ family: head.replace(/,\s*/g, ', '), full: head, corporate: true }];
        }
      }
    }
  }

  // Year right after the authors (author-year styles).
  const at = skipToYear(s, yearSearchFrom);
  const y = YEAR_AT_RE.exec(s.slice(at, at + 60));
  if (y && at - yearSearchFrom <= 6) {
    const ys = at + y.index + y[0].length - y[1].length;
    const raw = y[1];
    // `Durkheim, Émile. (1912) 1995.`: the original year in brackets, then the edition's.
    const reprint = y[2] && !y[3] && raw.length === 4 ? REPRINT_RE.exec(s.slice(ys + 4, ys + 16)) : null;
    if (reprint) {
      return {
        authors, etAl, editors, ditto,
        year: `${raw}/${reprint[1]}`,
        suffix: reprint[2] ?? '',
        yearStart: ys,
        yearEnd: ys + reprint[0].length + 4,
        authorStart, authorEnd,
        shape: 'author-year',
        rest: s.slice(ys + 4 + reprint[0].length),
      };
    }
    const year = y[2] ? raw.replace(/[a-z](?:\/[a-z])?$/, '') : normalizeYearWord(y[4] ? raw.slice(0, -2) : raw);
    return {
      authors, etAl, editors, ditto,
      // `1995/1997` (original/reprint) is kept whole; `2015a/b` is a year with two suffixes.
      year: y[2] ? (/^\d{4}\/\d{4}/.test(raw) ? raw.slice(0, 9) : y[2]) : year,
      suffix: y[3] ?? y[4] ?? '',
      yearStart: ys,
      yearEnd: ys + raw.length,
      authorStart, authorEnd,
      shape: 'author-year',
      rest: s.slice(ys + raw.length),
    };
  }
  // Year last: the last year in the entry (URLs and DOIs are already blanked).
  let last: RegExpExecArray | undefined;
  YEAR_ANY_RE.lastIndex = yearSearchFrom;
  for (let m = YEAR_ANY_RE.exec(s); m; m = YEAR_ANY_RE.exec(s)) last = m;
  if (last) {
    return {
      authors, etAl, editors, ditto,
      year: last[1],
      suffix: last[2] ?? '',
      yearStart: last.index,
      yearEnd: last.index + last[0].length,
      authorStart, authorEnd,
      shape: 'year-last',
      rest: s.slice(authorEnd),
    };
  }
  const nd = /\b(n\.\s?d\.|in press|forthcoming)/i.exec(s.slice(yearSearchFrom));
  if (nd) {
    const ys = yearSearchFrom + nd.index;
    return { authors, etAl, editors, ditto, year: normalizeYearWord(nd[1]), suffix: '', yearStart: ys, yearEnd: ys + nd[1].length, authorStart, authorEnd, shape: 'year-last', rest: s.slice(authorEnd) };
  }
  return { authors, etAl, editors, ditto, year: '', suffix: '', yearStart: -1, yearEnd: -1, authorStart, authorEnd, shape: 'no-year', rest: s.slice(authorEnd) };
}

/** `and` or `&` after a ditto dash: co-authors of the author it repeats follow. */
const DITTO_AND_RE = /^[\s\0]*(?:and|&)[\s\0]+/;

/** The co-authors after a ditto dash ending at `from`, and where they end in `s`. */
function dittoCoauthors(s: string, from: number): { persons: Person[]; etAl: boolean; end: number } | undefined {
  const c = DITTO_AND_RE.exec(s.slice(from, from + 12));
  if (!c) return undefined;
  const at = from + c[0].length;
  const r = readAuthors(s.slice(at));
  if (!r) return undefined;
  // Written after a name inverted with a comma (the one the dash repeats): given names first.
  for (const p of r.persons) delete p.direct;
  return { persons: r.persons, etAl: r.etAl, end: at + r.end };
}

/**
 * A line that opens with a ditto dash (`———.`) starts an entry when there is one before it, whose
 * authors it repeats; whether another line does is told by its parse (parsedLooksLikeEntryStart).
 */
export function isDittoLine(s: string): boolean {
  return DITTO_RE.test(s) && !RULE_LINE_RE.test(s);
}

/**
 * Does a line that is no ditto line look like the start of a reference entry, given its parse
 * (`parseFreeTextEntry(s)`, made once: it is also the entry's parse when the entry is this line)?
 */
export function parsedLooksLikeEntryStart(s: string, p: ParsedEntry | undefined): boolean {
  if (!p || p.shape === 'no-year') return false;
  const first = p.authors[0];
  if (!first || !first.family) return false;
  // The author list must end at punctuation, not run into lowercase prose.
  const after = s.slice(p.authorEnd).replace(/^[\s\0]+/, '');
  // `Lee (2016) replied to …` is prose that starts with a citation; an entry goes on with a title,
  // after a period or colon (which may start lowercase: `Wickham, H. (2016). ggplot2: Elegant …`).
  if (p.shape === 'author-year' && /^[\s\0)\],;]*\p{Ll}{2,}/u.test(s.slice(p.yearEnd))) return false;
  if (p.shape === 'year-last') {
    // `Tibaldi S, Molteni F.: On ...`, `Brient et al., Clim. Dyn., ...`: the author part ends at punctuation.
    const stop = s.slice(p.authorStart, p.authorEnd).trimEnd();
    if (!/[.,:;]$/.test(stop) && !/^[.,:;(]/.test(after)) return false;
    if (p.authors.length === 1 && !p.etAl && !first.corporate && !/[,.]/.test(s.slice(p.authorStart, p.authorEnd))) return false;
  }
  return true;
}


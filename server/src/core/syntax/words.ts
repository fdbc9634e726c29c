/** Word-level vocabulary shared by the entry parser and the citation scanner. */

/** Lowercase name particles that belong to a family name (`van der Berg`, `de la Cruz`). */
export const PARTICLES = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'dos', 'das', 'du', 'la', 'le', 'les',
  'ten', 'ter', 'te', 'zu', 'zur', 'al', 'el', 'bin', 'ibn', 'af', 'av', 'lo', "d'", 'mac', 'st',
]);

/**
 * Capitalised particles of Irish and Scottish Gaelic surnames (`Ó Gráda`, `Ní Dhomhnaill`,
 * `Nic Giolla`, `Uí Bhriain`): part of the family name, and `Ó` is no initial.
 */
export const GAELIC_PARTICLES = new Set(['Ó', 'Ní', 'Nic', 'Uí', 'Ua', 'Mhic']);

/** Lowercase words that may sit inside a corporate name (`Office of the President`). */
export const CORPORATE_INNER = new Set(['of', 'the', 'for', 'on', 'and', 'in', 'at', 'to', 'für', 'und', 'de', 'des', 'du', 'la', 'el', 'y', 'del', 'et', '&']);

const CORPORATE_WORDS = [
  'ministry', 'office', 'organization', 'organisation', 'department', 'institute', 'institut', 'instituto', 'university', 'universidad',
  'association', 'team', 'agency', 'commission', 'council', 'bureau', 'committee', 'society', 'foundation',
  'bank', 'government', 'secretariat', 'center', 'centre', 'program', 'programme', 'times', 'news', 'service',
  'services', 'board', 'administration', 'corporation', 'inc', 'ltd', 'nations', 'union', 'fund', 'forum', 'network',
  'consortium', 'project', 'authority', 'court', 'parliament', 'congress', 'senate', 'academy', 'laboratory',
  'survey', 'panel', 'group', 'contributors', 'developers', 'community', 'core', 'press', 'company', 'coalition',
  'federation', 'alliance', 'observatory', 'statistics', 'census', 'house', 'cabinet', 'assembly', 'league', 'trust',
  'wiki', 'journal', 'post', 'herald', 'tribune', 'guardian', 'reuters', 'editors', 'staff', 'collaboration',
];
export const CORPORATE_KEYWORDS = new Set(CORPORATE_WORDS);

/**
 * Capitalised words that start sentences or name months and places far more often than they
 * name authors. A citation whose only name is one of these counts only if the list has that name.
 */
export const NOT_NAMES = new Set([
  // Tags of primary sources in qualitative and archival work: `(Interview, 2019)`, `(Diary, 1945)`.
  'interview', 'interviews', 'interviewee', 'respondent', 'minutes', 'letter', 'diary', 'memo', 'memorandum',
  'speech', 'transcript', 'questionnaire', 'survey', 'fieldnotes',
  'a', 'an', 'the', 'in', 'on', 'at', 'by', 'for', 'from', 'since', 'during', 'after', 'before', 'until', 'till',
  'between', 'around', 'about', 'circa', 'through', 'per', 'and', 'or', 'but', 'so', 'also', 'both', 'each', 'all',
  'this', 'that', 'these', 'those', 'our', 'we', 'it', 'its', 'their', 'his', 'her', 'they', 'he', 'she', 'i', 'you',
  'see', 'cf', 'eg', 'ie', 'figure', 'fig', 'figs', 'table', 'tables', 'section', 'sections', 'sec', 'chapter', 'chap',
  'appendix', 'eq', 'equation', 'equations', 'version', 'vol', 'volume', 'no', 'number', 'page', 'pages', 'part',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november',
  'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'spring', 'summer', 'fall', 'autumn', 'winter', 'mid', 'late', 'early', 'however', 'thus', 'therefore',
  'moreover', 'furthermore', 'then', 'hence', 'indeed', 'finally', 'first', 'second', 'third', 'similarly',
  'recently', 'here', 'there', 'following', 'according', 'unlike', 'like', 'as', 'when', 'while', 'where', 'which',
  'what', 'who', 'why', 'how', 'if', 'although', 'though', 'because', 'since', 'yet', 'still', 'even', 'only',
  'most', 'many', 'some', 'several', 'other', 'others', 'such', 'more', 'less', 'new', 'old', 'year', 'years',
  'today', 'now', 'later', 'earlier', 'today', 'last', 'next', 'monday', 'tuesday', 'wednesday', 'thursday',
  'friday', 'saturday', 'sunday', 'note', 'notes', 'source', 'sources', 'data', 'accessed', 'retrieved',
  'updated', 'published', 'revised', 'edition', 'ed', 'eds', 'summit', 'conference', 'act', 'law', 'report',
  'plan', 'strategy', 'declaration', 'agreement', 'treaty', 'since', 'windows', 'release', 'step', 'steps',
  'example', 'examples', 'case', 'cases', 'model', 'models', 'era', 'period', 'century', 'decade', 'world',
  'war', 'cup', 'olympics', 'election', 'elections', 'census', 'budget', 'fiscal', 'fy', 'q', 'phase', 'round',
  'wave', 'cohort', 'sample', 'study', 'studies', 'en', 'el', 'la', 'los', 'las', 'del', 'y', 'por', 'desde',
  'hasta', 'durante', 'entre', 'año', 'años', 'der', 'die', 'das', 'im', 'seit', 'bis', 'und', 'le', 'les',
  'dans', 'depuis', 'et', 'ou', 'mais', 'um', 'und', 'von', 'ver', 'véase', 'vgl', 'siehe', 'voir',
]);

/**
 * A country or union that opens a body's name (`U.S. Food and Drug Administration`, `UK Health
 * Security Agency`): no initials of a person, and often left out when the body is cited.
 */
export const PLACE_ABBREVIATIONS = new Set(['U.S.', 'US', 'U.S.A.', 'USA', 'U.K.', 'UK', 'U.N.', 'UN', 'E.U.', 'EU']);

/** The body's name without a place abbreviation opening it (`Food and Drug Administration`), or ''. */
export function withoutLeadingPlace(name: string): string {
  const sp = name.indexOf(' ');
  return sp > 0 && PLACE_ABBREVIATIONS.has(name.slice(0, sp)) ? name.slice(sp + 1).trimStart() : '';
}

/** Capitals that abbreviate no author (`FY 2020`: fiscal year). */
export const NOT_AUTHOR_ABBREVIATIONS = new Set(['FY']);

/** Length, first and last letter (lower-cased ASCII) of each of NOT_NAMES, as one number. */
const NOT_NAME_SHAPES = new Set<number>();
let longestNotName = 0;
for (const w of NOT_NAMES) {
  NOT_NAME_SHAPES.add(shapeOf(w.length, w.charCodeAt(0), w.charCodeAt(w.length - 1)));
  longestNotName = Math.max(longestNotName, w.length);
}

function shapeOf(length: number, first: number, last: number): number {
  return (length * 65536 + (first | 32)) * 256 + (last | 32);
}

/**
 * A cheap necessary condition for `NOT_NAMES.has(s.slice(0, end).toLowerCase())`, asked of every
 * name a citation is read with: no string made, nothing hashed. Unsure (true) past ASCII.
 */
export function mayBeNotName(s: string, end: number): boolean {
  if (end === 0 || end > longestNotName) return false;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(end - 1);
  if (a >= 128 || b >= 128) return true;
  return NOT_NAME_SHAPES.has(shapeOf(end, a, b));
}

/** `NOT_NAMES.has(w.toLowerCase())`, most words told apart by their shape first. */
export function isNotName(w: string): boolean {
  return mayBeNotName(w, w.length) && NOT_NAMES.has(w.toLowerCase());
}

/** `St` or `Ste` (Saint), which with its period opens a surname (`St. John`). */
export function isSaintWord(w: string): boolean {
  return w === 'St' || w === 'Ste';
}

const INITIAL_RE = /^(?:\p{Lu}\.?(?:-\p{Lu}\.?)?){1,4}$/u;
const DOTTED_INITIAL_RE = /^(?:\p{Lu}\.(?:-?\p{Lu}\.)*|\p{Lu})$/u;

/** `A.`, `A.B.`, `P.-C.`, `A` — initials written with periods, or one capital. */
export function isDottedInitial(w: string): boolean {
  return DOTTED_INITIAL_RE.test(w);
}

/** Also `DH`, `BG` (capitals without periods, at most three). */
export function isInitials(w: string): boolean {
  return w.length <= 8 && INITIAL_RE.test(w);
}

const CJK_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** No character of these scripts is below U+1100 (Hangul Jamo), so most words skip the regex. */
const FIRST_CJK = 0x1100;
export function hasCjk(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= FIRST_CJK) return CJK_RE.test(s);
  return false;
}

const UPPER_START_RE = /^[\p{Lu}\p{Lt}]/u;
export function isCapitalized(w: string): boolean {
  // ASCII: only A-Z are upper-case or title-case letters.
  const c = w.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return UPPER_START_RE.test(w) || hasCjk(w[0] ?? '');
}

export function isLowerWord(w: string): boolean {
  const c = w.charCodeAt(0);
  if (c < 128) return c >= 97 && c <= 122;
  return /^\p{Ll}/u.test(w);
}

const MONTHS = /^(january|february|march|april|may|june|july|august|september|october|november|december)$/i;
export function isMonth(w: string): boolean {
  return MONTHS.test(w);
}

/** Year-like tokens: `2015`, `2015a`, `2015a/b`, `1995/1997`, `n.d.`, `in press`, `forthcoming`. */
export const YEAR_WORDS_RE = /^(?:n\.\s?d\.?|nd|s\.\s?[fd]\.?|o\.\s?j\.|no date|in press|forthcoming|im druck|en prensa|sous presse|under review|submitted)$/i;

/**
 * A year with its suffix as written: `2015a`, but APA's `n.d.-a` and `in press-b` (a word for
 * the year takes its suffix after a hyphen).
 */
export function yearWithSuffix(year: string, suffix: string): string {
  if (!suffix) return year;
  const c = year.charCodeAt(year.length - 1);
  return c >= 48 && c <= 57 ? year + suffix : `${year}-${suffix}`;
}

export function normalizeYearWord(y: string): string {
  const l = y.toLowerCase().replace(/\s+/g, ' ');
  // No date: `n.d.`, Harvard's `no date`, German `o. J.` (ohne Jahr), Spanish `s. f.` (sin fecha),
  // French `s. d.` (sans date).
  if (/^(?:n\.?\s?d|s\.?\s?[fd]|o\.\s?j)\.?$/.test(l) || l === 'no date') return 'n.d.';
  if (l === 'in press' || l === 'im druck' || l === 'en prensa' || l === 'sous presse') return 'in press';
  return l;
}

/**
 * Countries, regions and large cities: `We compare Kenya (2014) and Uganda (2016)` names places
 * with years, not authors. Used only for a name the reference list does not have. Places that are
 * also common surnames (England, Ireland, London, Paris, Berlin, Washington, Jordan, Israel) are left out.
 */
export const PLACE_NAMES = new Set([
  'Afghanistan', 'Albania', 'Algeria', 'Andorra', 'Angola', 'Argentina', 'Armenia', 'Australia', 'Austria', 'Azerbaijan',
  'Bahamas', 'Bahrain', 'Bangladesh', 'Barbados', 'Belarus', 'Belgium', 'Belize', 'Benin', 'Bhutan', 'Bolivia', 'Bosnia',
  'Botswana', 'Brazil', 'Brunei', 'Bulgaria', 'Burundi', 'Cambodia', 'Cameroon', 'Canada', 'Chile', 'China', 'Colombia',
  'Comoros', 'Congo', 'Croatia', 'Cuba', 'Cyprus', 'Czechia', 'Denmark', 'Djibouti', 'Dominica', 'Ecuador', 'Egypt',
  'Eritrea', 'Estonia', 'Eswatini', 'Ethiopia', 'Fiji', 'Finland', 'France', 'Gabon', 'Gambia', 'Germany', 'Ghana',
  'Greece', 'Grenada', 'Guatemala', 'Guinea', 'Guyana', 'Haiti', 'Honduras', 'Hungary', 'Iceland', 'India', 'Indonesia',
  'Iran', 'Iraq', 'Italy', 'Jamaica', 'Japan', 'Kazakhstan', 'Kenya', 'Kiribati', 'Korea', 'Kosovo', 'Kuwait',
  'Kyrgyzstan', 'Laos', 'Latvia', 'Lebanon', 'Lesotho', 'Liberia', 'Libya', 'Liechtenstein', 'Lithuania', 'Luxembourg',
  'Madagascar', 'Malawi', 'Malaysia', 'Maldives', 'Mali', 'Malta', 'Mauritania', 'Mauritius', 'Mexico', 'Micronesia',
  'Moldova', 'Monaco', 'Mongolia', 'Montenegro', 'Morocco', 'Mozambique', 'Myanmar', 'Namibia', 'Nauru', 'Nepal',
  'Netherlands', 'Nicaragua', 'Niger', 'Nigeria', 'Norway', 'Oman', 'Pakistan', 'Palau', 'Palestine', 'Panama',
  'Paraguay', 'Peru', 'Philippines', 'Poland', 'Portugal', 'Qatar', 'Romania', 'Russia', 'Rwanda', 'Samoa', 'Senegal',
  'Serbia', 'Seychelles', 'Singapore', 'Slovakia', 'Slovenia', 'Somalia', 'Spain', 'Sudan', 'Suriname', 'Sweden',
  'Switzerland', 'Syria', 'Taiwan', 'Tajikistan', 'Tanzania', 'Thailand', 'Togo', 'Tonga', 'Tunisia', 'Turkey', 'Türkiye',
  'Turkmenistan', 'Tuvalu', 'Uganda', 'Ukraine', 'Uruguay', 'Uzbekistan', 'Vanuatu', 'Venezuela', 'Vietnam', 'Yemen',
  'Zambia', 'Zimbabwe', 'Africa', 'Asia', 'Europe', 'America', 'Oceania', 'Antarctica', 'Scotland',
  'Tokyo', 'Seoul', 'Beijing', 'Shanghai', 'Moscow', 'Rome', 'Madrid', 'Delhi', 'Mumbai',
  'Rio', 'Sydney', 'Toronto', 'Nairobi', 'Lagos', 'Cairo', 'Istanbul', 'Jakarta', 'Manila', 'Bangkok', 'Hanoi',
  'Fukushima', 'Chernobyl', 'Hiroshima', 'Nagasaki', 'Okinawa', 'Pyongyang', 'Taipei', 'Hong Kong',
]);

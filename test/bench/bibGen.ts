/**
 * Generates realistic .bib text for benchmarks: ~250 bytes an entry, authors
 * with accents and particles, titles with protected words, @string journal
 * macros, a mix of entry types. Deterministic for a given seed.
 */

const FAMILIES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garc{\\\'\\i}a', 'Miller', 'Davis', 'Rodr{\\\'\\i}guez',
  'Mart{\\\'\\i}nez', 'Hern{\\\'a}ndez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore',
  'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis',
  'M{\\"u}ller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Sch{\\"a}fer',
  'Nowak', 'Kowalski', 'Wi{\\\'s}niewski', 'W{\\\'o}jcik', '{\\O}stergaard', 'Str{\\o}m', '{\\AA}berg',
  'Dvo{\\v{r}}{\\\'a}k', '{\\v{S}}koda', 'Ko{\\v{c}}i', 'Tanaka', 'Suzuki', 'Watanabe', 'Kim', 'Park', 'Chen',
  'Wang', 'Li', 'Zhang', 'Liu', 'Yang', 'Huang', 'Nguyen', 'Tran', 'Kumar', 'Singh', 'Sharma', 'Patel',
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Dubois', 'Lef{\\`e}vre', 'Fran{\\c{c}}ois', 'Moreau',
];
const PARTICLES = ['van der', 'de', 'von', 'van', 'da', 'del'];
/** Endings that make the family names many (real bibliographies have thousands of distinct authors). */
const ENDINGS = ['', '', '', '', 'son', 'sen', 'ski', 'er', 'ová', 'ini', 'ez', 'berg', 'mann', 'i', 'o', 'a', 'ell', 'ton', 'ley', 'ford'];
const GIVEN = ['John', 'Mary', 'J.', 'A. B.', 'Hans', 'Anna', 'Jos{\\\'e}', 'Ren{\\\'e}e', 'Bj{\\"o}rn', 'Li', 'Wei', 'M.', 'K. L.', 'Sarah', 'Peter', '{\\\'E}milie', 'Jürgen', 'Zoë'];
const WORDS = [
  'analysis', 'of', 'the', 'effect', 'on', 'a', 'study', 'model', 'network', 'learning', 'deep', 'climate',
  'change', 'evidence', 'from', 'large', 'scale', 'data', 'in', 'and', 'for', 'with', 'dynamics', 'theory',
  'protein', 'structure', 'policy', 'market', 'urban', 'regional', 'growth', 'sustainable', 'energy', 'systems',
  'neural', 'inference', 'Bayesian', 'estimation', 'robust', 'optimal', 'control', 'towards', 'review',
  '{DNA}', '{COVID}-19', '{Bayesian}', 'role', 'impact', 'trade', 'health', 'outcomes', 'children',
];
const JOURNALS = [
  ['jgr', 'Journal of Geophysical Research'], ['nat', 'Nature'], ['sci', 'Science'], ['pnas', 'Proceedings of the National Academy of Sciences'],
  ['aer', 'American Economic Review'], ['jfe', 'Journal of Financial Economics'], ['plos', 'PLOS ONE'],
  ['tpami', '{IEEE} Transactions on Pattern Analysis and Machine Intelligence'], ['jasa', 'Journal of the American Statistical Association'],
  ['cell', 'Cell'], ['lancet', 'The Lancet'], ['nejm', 'New England Journal of Medicine'],
];
const PUBLISHERS = ['Springer', 'Elsevier', 'Wiley', 'Oxford University Press', 'Cambridge University Press', '{MIT} Press', 'Routledge'];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A .bib text of `n` entries. */
export function generateBib(n: number, seed = 42): string {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const parts: string[] = [];
  for (const [m, j] of JOURNALS) parts.push(`@string{${m} = {${j}}}\n`);
  parts.push('\n% Generated bibliography\n\n');
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    const na = 1 + Math.floor(r() * r() * 5);
    const names: string[] = [];
    for (let k = 0; k < na; k++) {
      const fam = (r() < 0.06 ? pick(PARTICLES) + ' ' : '') + pick(FAMILIES) + pick(ENDINGS);
      const initial = String.fromCharCode(65 + Math.floor(r() * 26));
      const given = r() < 0.5 ? pick(GIVEN) : r() < 0.5 ? `${pick(GIVEN)} ${initial}.` : `${initial}.`;
      names.push(r() < 0.8 ? `${fam}, ${given}` : `${given} ${fam}`);
    }
    const nt = 4 + Math.floor(r() * 8);
    const tw: string[] = [];
    for (let k = 0; k < nt; k++) tw.push(pick(WORDS));
    tw[0] = tw[0].charAt(0).toUpperCase() + tw[0].slice(1);
    const year = 1950 + Math.floor(r() * 75);
    const first = names[0].replace(/[^A-Za-z]/g, '').slice(0, 8).toLowerCase();
    let key = `${first}${year}`;
    let sfx = 0;
    while (used.has(key)) key = `${first}${year}${String.fromCharCode(97 + (sfx++ % 26))}${sfx > 26 ? sfx : ''}`;
    used.add(key);
    const t = r();
    const authors = names.join(' and ');
    const title = tw.join(' ');
    if (t < 0.62) {
      const [macro] = pick(JOURNALS);
      const sp = 1 + Math.floor(r() * 900);
      parts.push(
        `@article{${key},\n  author = {${authors}},\n  title = {${title}},\n  journal = ${macro},\n  year = ${year},\n  volume = {${1 + Math.floor(r() * 60)}},\n  pages = {${sp}--${sp + Math.floor(r() * 30)}},\n  doi = {10.${1000 + Math.floor(r() * 9000)}/${key}},\n}\n\n`,
      );
    } else if (t < 0.77) {
      parts.push(
        `@book{${key},\n  author = {${authors}},\n  title = {${title}},\n  publisher = {${pick(PUBLISHERS)}},\n  year = {${year}},\n  edition = {${1 + Math.floor(r() * 3)}},\n  isbn = {978-${Math.floor(r() * 1e9)}},\n}\n\n`,
      );
    } else if (t < 0.92) {
      parts.push(
        `@inproceedings{${key},\n  author = "${authors}",\n  title = "${title}",\n  booktitle = {Proceedings of the ${1 + Math.floor(r() * 40)}th Conference on ${pick(WORDS)} ${pick(WORDS)}},\n  year = {${year}},\n  month = ${pick(['jan', 'mar', 'jun', 'sep', 'dec'])},\n  pages = {${Math.floor(r() * 500)}--${500 + Math.floor(r() * 20)}},\n}\n\n`,
      );
    } else {
      parts.push(
        `@techreport{${key},\n  author = {${authors}},\n  title = {${title}},\n  institution = {{National Bureau of Economic Research}},\n  type = {Working Paper},\n  number = {${10000 + Math.floor(r() * 20000)}},\n  year = {${year}},\n  url = {https://example.org/papers/w${Math.floor(r() * 1e5)}},\n}\n\n`,
      );
    }
  }
  return parts.join('');
}

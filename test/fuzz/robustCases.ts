/**
 * Hostile inputs for the core, built by name so a worker thread can make its own copy
 * (see robustWorker.ts). Every builder is deterministic for a seed.
 */
import { NameSpace, Rng, generatePaper, makeSurname } from '../helpers/generate';

export type Builder = (rng: Rng) => string;

function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rng.next() * 256);
  return b;
}

/** Random UTF-16 code units, lone surrogates included, biased toward the characters citations use. */
function randomUnicode(rng: Rng, n: number): string {
  const special = ['(', ')', '[', ']', ';', ',', '.', ' ', '\n', '\r\n', '2015', 'a', 'et al.', '&', '’s', 'n.d.', '\\cite{', '@', '`', '$', '<!--', '-->', '---', '%', '..', '=='];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.3) out.push(rng.pick(special));
    else if (r < 0.4) out.push(String.fromCharCode(0xd800 + rng.int(0, 0x7ff))); // lone surrogate
    else if (r < 0.5) out.push(String.fromCodePoint(rng.int(0x10000, 0x10ffff)));
    else if (r < 0.75) out.push(String.fromCharCode(rng.int(0, 0xffff)));
    else out.push(String.fromCharCode(rng.int(65, 122)));
  }
  return out.join('');
}

const FORMS = [
  '(Kim 2015)', '(Kim, 2015)', '(Kim 2015: 23)', '(Kim 2015, p. 4)', '(Kim 2015, pp. 3–5)', '(see Kim 2015; Lee and Park 2019)',
  'Kim (2015)', 'Drezner et al. (2021)', 'Kim’s (2015)', "Kim's (2015)", '(Smith 2019, 2021)', '(EPA 2007a,b)', '(EPA 2007a, b)',
  '(e.g., Kim 2015)', '(cf. Lee & Park 2019)', '(The Japan Times 2023-11-10)', '(Kim n.d.)', '(Kim in press)', '(Kim forthcoming)',
  '([Tarvainen & Valpola, 2017](https://arxiv.org/abs/1703.01780))', 'see Aggarwal and Reddie 2021; Mazzucato 2021',
  '(Office of the President 2023c)', '(METI 2024)', '(Kim 2015a/b)', '(Kim 1995/1997)', '[@kim2015]', '\\citep{kim2015}', ':cite:`kim2015`',
];
const NOISE = ['(', ')', '((', '))', '[', ']', ';', ',', '.', ' ', '  ', '\n', '\n\n', '\r\n', '\t', '—', '–', '-', '’', "'", '"', '“', '”', '&',
  'et', 'al', 'and', 'A.', 'B. C.', '2015', '1999a', 'n.d.', '#', '*', '_', '`', '$', '%', '\\', '{', '}', '<!--', '-->', '..', '::', '\u00a0', '\ufeff', '\u200b'];

function formsWithNoise(rng: Rng, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(rng.chance(0.5) ? rng.pick(FORMS) : rng.pick(NOISE));
    if (rng.chance(0.3)) out.push(rng.pick(NOISE));
  }
  out.push('\n\nReferences\n\n');
  const entries = ['Kim, Ji. 2015. “T.” J 1: 1–9.', 'Lee, A., and B. Park. 2019. T.', 'Drezner, D. W., Farrell, H., and Newman, A. L. Eds. 2021. T.',
    'Ministry of Economy, Trade and Industry: METI. 2024. T.', '______. 2023b. T.', '———. n.d. T.', 'Smith, J. (2019). T.', '[12] A. Author et al. Title. Venue 2019.'];
  for (let i = 0; i < n / 10; i++) out.push(rng.pick(entries) + (rng.chance(0.3) ? rng.pick(NOISE) : '') + '\n');
  return out.join('');
}

export const CASES: Record<string, Builder> = {
  'random bytes as UTF-8': (rng) => randomBytes(rng, 300_000).toString('utf8'),
  'random bytes as latin1': (rng) => randomBytes(rng, 300_000).toString('latin1'),
  'random Unicode with lone surrogates': (rng) => randomUnicode(rng, 200_000),
  'generated paper with CRLF and BOM': (rng) => '\ufeff' + generatePaper({ seed: rng.int(0, 1e9), entries: 40, style: 'markdown' }).text.replace(/\n/g, '\r\n'),
  'a 10 MB single line': () => ('Growth and trade in the region grew steadily over the decade while policy coordination improved. '.repeat(10)
    + 'Growth (Kim 2015) and trade, as Lee (2019) shows; since 1965 (hereafter, ROK) ').repeat(9_400),
  'ten thousand unmatched (': () => 'Text ' + '('.repeat(10_000) + ' Kim 2015 and (Lee 2019)\n\nReferences\n\nKim, A. 2015. T.\n',
  'ten thousand )': () => 'Text ' + ')'.repeat(10_000) + ' Kim (2015) and (Lee 2019)\n\nReferences\n\nKim, A. 2015. T.\n',
  'deep nesting ((((…': () => '('.repeat(100_000) + 'Kim 2015' + ')'.repeat(100_000),
  'deep nesting ([[({': () => '([{'.repeat(30_000) + 'Kim 2015' + '}])'.repeat(30_000),
  'thousands of initials': () => 'A. B. C. D. E. F. G. H. '.repeat(5_000) + '(2015)\n\nReferences\n\n' + 'A. B. C. D. E. F. Kim. 2015. T.\n'.repeat(200),
  'a line of 100,000 `Kim 2015; `': () => 'Kim 2015; '.repeat(100_000),
  'the same inside parentheses': () => '(' + 'Kim 2015; '.repeat(100_000) + ')\n\nReferences\n\nKim, A. 2015. T.\n',
  'every citation form with noise': (rng) => formsWithNoise(rng, 10_000),
  'a long run of names': () => 'Kim Lee Park '.repeat(50_000) + '(2015)',
  'a long run of `and`': () => 'Kim and '.repeat(100_000) + 'Lee (2015)',
  'a long run of et al.': () => 'Kim et al. '.repeat(50_000) + '(2015)',
  'only newlines': () => '\n'.repeat(200_000),
  'only CRs': () => '\r'.repeat(200_000) + 'Kim (2015)',
  'markup openers': () => '`$[@<!--\\cite{**_ '.repeat(20_000),
  'a long reference list of odd entries': (rng) => {
    const space = new NameSpace(1);
    const lines = ['Text (Kim 2015).', '', 'References', ''];
    for (let i = 0; i < 3_000; i++) lines.push(`${makeSurname(rng, space)}, ${rng.pick(['A.', 'B. C.', 'Given'])} ${rng.pick(['2015', '(2015)', '2015a', 'n.d.', 'in press', '1995/1997', ''])}. ${rng.pick(['T.', '“T.” J 1.', 'Eds. T.', ''])}`);
    return lines.join('\n');
  },
  'repeated References headings over one list': () => 'References\nKim, A. 2015. T.\n'.repeat(400),
  'empty': () => '',
  'one character': () => '(',
  'many entries sharing author and year': () => 'Text (Kim 2015).\n\nReferences\n\n' + Array.from({ length: 8_000 }, (_, i) => `Kim, A. 2015. Title number ${i}.`).join('\n'),
  'a long run of lowercase letters before a citation in parentheses': () => `(${'a'.repeat(60)}1, Kim 1965)\n\nReferences\n\nKim, A. 1965. T.\n`,
};

/**
 * Inputs the core is known to mishandle today; the robustness test lists them as pending (see the
 * lead's bug list) and runs them with CITECHECK_KNOWN_BAD=1.
 */
export const KNOWN_BAD_CASES: Record<string, { build: Builder; bug: string; formats?: string[] }> = {};

/**
 * Random edits of a paper for differential, fault and soak tests: inserts, deletes and
 * replacements of random spans, with fragments that open, close or move the structures the core
 * reads (citations, code fences, comments, math, reference-list headings).
 */
import type { Rng } from './generate';

/** Fragments that open, close or move the structures the core reads. */
export const FRAGMENTS = [
  '(Kim 2015', '(Kim 2015)', 'Kim (2015)', ')', '(', '; ', ', ', ' and ', ' et al.', '2015', '2015a', ', b', 'n.d.',
  '\n', '\n\n', '\n\n\n', '  ', '```\n', '\n```\n', '~~~', '`', '<!--', '-->', '<!-- citecheck-ignore -->', '$', '$$', '\\(', '\\)',
  '# References\n', '\n# References\n\n', '## Bibliography\n', 'References\n==========\n', '\n---\n', '---\nbibliography: refs.bib\n---\n',
  '\\section{References}\n', '\\begin{thebibliography}{9}\n', '\\end{thebibliography}\n', '\\bibitem{k}', '\\cite{kim2015}', '[@kim2015]',
  '% ', '.. ', '::\n\n', '- ', '1. ', '[1] ', '______. ', 'Kim, D. 2015. A Title. Seoul: Press.\n', 'Smith, J., and A. Lee. 2019a. ',
  '[link](http://x.org/(2015))', '![img](a(2019).png)', 'é', 'Ö', '\u0000', '\r\n', '\t', '“', '”', '’s', '—',
];

export type Ins =
  | { kind: 'none' }
  | { kind: 'fragment'; i: number }
  | { kind: 'copy'; from: number; len: number }
  | { kind: 'chars'; s: string };

/** An edit in relative terms (positions as fractions of the text), so it applies to any text. */
export interface EditOp { kind: 'edit'; at: number; del: number; ins: Ins }

/** One concrete edit: replace `del` characters at `start` with `text`. */
export interface Edit { start: number; del: number; text: string }

/** Turns an op into a concrete edit of `text`; a text over `maxLength` only shrinks. */
export function concrete(op: EditOp, text: string, maxLength = 12_000): Edit {
  const start = Math.min(text.length, Math.floor(op.at * (text.length + 1)));
  const del = Math.min(op.del, text.length - start);
  let ins = '';
  if (op.ins.kind === 'fragment') ins = FRAGMENTS[op.ins.i % FRAGMENTS.length];
  else if (op.ins.kind === 'chars') ins = op.ins.s;
  else if (op.ins.kind === 'copy') {
    const from = Math.floor(op.ins.from * text.length);
    ins = text.slice(from, from + op.ins.len);
  }
  if (text.length > maxLength && ins.length > del) ins = '';
  return { start, del, text: ins };
}

export function applyEdit(text: string, e: Edit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.start + e.del);
}

/** An op drawn from the seeded PRNG. */
export function randomOp(rng: Rng): EditOp {
  const r = rng.next();
  const ins: Ins = r < 0.45 ? { kind: 'fragment', i: rng.int(0, FRAGMENTS.length - 1) } : r < 0.8 ? { kind: 'copy', from: rng.next(), len: rng.int(1, 300) } : { kind: 'none' };
  const d = rng.next();
  return { kind: 'edit', at: rng.next(), del: d < 0.4 ? 0 : d < 0.8 ? rng.int(1, 8) : rng.int(1, 200), ins };
}

/**
 * Edits that lead to a known core bug, which random edits are kept away from (set
 * CITECHECK_KNOWN_BAD=1 to let them through). None today: the exponential prefix backtracking
 * (`(aaaaaaaaaaaaaaaaaaaaaaaa1, Kim 1965)`) is fixed and a robustness case keeps it fixed; a lone
 * `\r`, which LSP counts as a line end and the core's LineIndex does not, is converted by
 * server/src/lsp/lineIndex.ts.
 */
export function knownBad(_text: string, _lsp = false, _before?: string): string | undefined {
  return undefined;
}

/**
 * The editor features as pure functions over an Analysis: annotated text in (`‸` marks the
 * cursor), plain objects with offsets out. The LSP tests (test/lsp) cover the same features
 * through the real server; these cover the cases around them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis, type DocumentFormat, type TextEdit } from '../../server/src/core';
import { complete, fixAllOfKind, hover, ignoreCitation, rename, renameTarget, sortReferences, codeLenses, documentSymbols } from '../../server/src/features';
import { FIXTURES } from '../helpers/paths';

const PAPER = fs.readFileSync(path.join(FIXTURES, 'rok-japan-working-paper.md'), 'utf8');

/** Analyses `text` with its `‸` removed; returns the analysis and the cursor's offset. */
function at(text: string, format: DocumentFormat = 'markdown'): { a: Analysis; offset: number } {
  const offset = text.indexOf('‸');
  assert.ok(offset >= 0, 'no ‸ cursor in the text');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  return { a: analyze({ uri: `file:///t.${format === 'latex' ? 'tex' : format === 'rst' ? 'rst' : format === 'plaintext' ? 'txt' : 'md'}`, text: clean, format }), offset };
}

/** The paper with `insert` put at the end of its 10th line, cursor included. */
function paperWith(insert: string): { a: Analysis; offset: number } {
  const lines = PAPER.split('\n');
  lines[9] += insert;
  return at(lines.join('\n'));
}

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.range.start - x.range.start)) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

describe('features: completion', function () {
  const labels = (r: ReturnType<typeof complete>) => r?.items.map((i) => i.label) ?? [];

  it('reads what was typed after the parenthesis, a `;`, a lead-in or a cited year', () => {
    assert.deepEqual(labels(complete(...args(paperWith(' (see Ki‸')))), ['Kim 2015', 'Kimiya 2021', 'Kissinger and Allison 2023']);
    assert.deepEqual(labels(complete(...args(paperWith(' (Nye 2024; Kim‸')))), ['Kim 2015', 'Kimiya 2021']);
    assert.deepEqual(labels(complete(...args(paperWith(' (Nye, 2024, Ki‸')))), ['Kim 2015', 'Kimiya 2021', 'Kissinger and Allison 2023']);
    assert.deepEqual(labels(complete(...args(paperWith(' (Kim 20‸')))), ['Kim 2015']);
    assert.deepEqual(labels(complete(...args(paperWith(' (Office of the Pr‸')))), ['Office of the President 2023a', 'Office of the President 2023b', 'Office of the President 2023c']);
    assert.deepEqual(labels(complete(...args(paperWith(' (Kissinger and Al‸')))), ['Kissinger and Allison 2023']);
  });

  it('finds an entry by a word of its title, and a corporate author by its short form', () => {
    assert.deepEqual(labels(complete(...args(paperWith(' (Weaponized‸')))), ['Drezner et al. 2021']);
    assert.deepEqual(labels(complete(...args(paperWith(' (ME‸')))), ['METI 2024']);
  });

  it('offers nothing in a link target, in the reference list, or in prose parentheses', () => {
    assert.equal(complete(...args(paperWith(' [see](Ki‸'))), undefined);
    const { a } = paperWith('‸');
    const inList = PAPER.indexOf('Kimiya, Tadashi') + 3;
    assert.equal(complete(a, inList), undefined);
    assert.equal(complete(...args(paperWith(' (this is a long aside that runs on and on with many words‸'))), undefined);
  });

  it('replaces from where the name starts to the cursor, or to the end of the word', () => {
    const { a, offset } = paperWith(' (Kim 20‸15)');
    const item = complete(a, offset)!.items[0];
    assert.equal(a.text.slice(item.insert.start, item.insert.end), 'Kim 20');
    assert.equal(a.text.slice(item.replace.start, item.replace.end), 'Kim 2015');
  });

  it('completes keys in \\citep{} and [@', () => {
    const tex = 'As shown \\citep{gel‸}.\n\n\\begin{thebibliography}{9}\n\\bibitem[Gelman and Hill(2007)]{gelman2007} Gelman, A. and Hill, J. 2007. Data Analysis. Cambridge.\n\\bibitem[Nye(2024)]{nye2024} Nye, J. 2024. AI. Syndicate.\n\\end{thebibliography}\n';
    const r = complete(...args(at(tex, 'latex')))!;
    assert.equal(r.context, 'key');
    assert.deepEqual(labels(r), ['gelman2007']);
    assert.equal(r.items[0].detail, 'Gelman and Hill 2007 (line 4)');
  });

  it('offers the narrative form after a capitalised name in running text, by author only', () => {
    assert.deepEqual(labels(complete(...args(paperWith(' As Kim‸')))), ['Kim (2015)', 'Kimiya (2021)']);
    // A title word is not an author: no offer.
    assert.equal(complete(...args(paperWith(' Weaponized‸'))), undefined);
  });
});

function args(x: { a: Analysis; offset: number }): [Analysis, number] {
  return [x.a, x.offset];
}

describe('features: hover', function () {
  it('lists every candidate of an ambiguous citation', () => {
    const text = 'Both (Xie et al. 2020‸) said so.\n\n## References\n\nXie, A., Li, B., and Wu, C. 2020. One title. Journal A.\n\nXie, A., Zhao, D., and Qi, E. 2020. Another title. Journal B.\n';
    const h = hover(...args(at(text)))!;
    assert.match(h.markdown, /^`Xie et al\. 2020` fits 2 entries; add a year suffix to tell them apart:/);
    assert.match(h.markdown, /- Xie, A\., Li, B\., and Wu, C\. 2020\. One title\. Journal A\. \(line 5\)/);
    assert.match(h.markdown, /- Xie, A\., Zhao, D\., and Qi, E\. 2020\. Another title\. Journal B\. \(line 7\)/);
  });

  it('escapes an entry\'s Markdown so it shows as written', () => {
    const h = hover(...args(at(PAPER.replace('(Office of the President 2023c)', '(Office of the President 2023b‸)'))))!;
    assert.match(h.markdown, /^\\_\\_\\_\\_\\_\\_\. 2023b\. “Joint Press Conference/);
    assert.match(h.markdown, /\(line 58; \\_\\_\\_\\_\\_\\_ = Office of the President\)$/);
  });
});

describe('features: rename', function () {
  it('renames a name written once for a group of `______.` entries, in all their citations', () => {
    const { a, offset } = at(PAPER.replace('(Office of the President 2023c)', '(Office of the Pres‸ident 2023c)'));
    const t = renameTarget(a, offset);
    assert.ok(!('error' in t) && t.kind === 'name' && t.listed === 'Office of the President');
    const r = rename(a, offset, 'Presidential Office');
    assert.ok(!('error' in r));
    const out = apply(a.text, r.edits);
    assert.match(out, /\(Presidential Office 2023c\)/);
    assert.match(out, /\(Presidential Office 2023a\)/);
    assert.match(out, /\nPresidential Office\. 2023a\. “Joint/);
    assert.match(out, /\n______\. 2023b\./);
    assert.equal(analyze({ uri: 'file:///t.md', text: out }).diagnostics.length, 3);
  });

  it('renames a corporate author\'s short form in the entry and its citations', () => {
    const { a, offset } = at(PAPER.replace('(METI 2024)', '(ME‸TI 2024)'));
    const r = rename(a, offset, 'METIJ');
    assert.ok(!('error' in r));
    const out = apply(a.text, r.edits);
    assert.match(out, /\(METIJ 2024\)/);
    assert.match(out, /Ministry of Economy, Trade and Industry: METIJ\. 2024/);
  });

  it('refuses what it cannot rename, with a reason', () => {
    const ditto = at(PAPER.replace('______. 2023b', '___‸___. 2023b'));
    assert.deepEqual(renameTarget(ditto.a, ditto.offset), { error: 'This entry takes its authors from the entry above; rename them there.' });
    const miss = at(PAPER.replace('(MIC 2024)', '(MIC 202‸4)'));
    assert.match((renameTarget(miss.a, miss.offset) as { error: string }).error, /does not match its entry's year/);
    const { a, offset } = at(PAPER.replace('Kim, DH. 2015', 'Kim, DH. 20‸15'));
    assert.match((rename(a, offset, 'soon') as { error: string }).error, /not a year/);
  });
});

describe('features: code actions', function () {
  it('sorts the list, keeping `______.` entries under their entry and numbered lists alone', () => {
    const a = analyze({ uri: 'file:///t.md', text: PAPER });
    const s = sortReferences(a)!;
    const out = apply(a.text, s.edits);
    const after = analyze({ uri: 'file:///t.md', text: out });
    assert.deepEqual(after.diagnostics.map((d) => d.code), ['year-mismatch', 'uncited-reference']);
    assert.equal(out.length, PAPER.length);
    assert.equal(sortReferences(after), undefined);
    const numbered = analyze({ uri: 'file:///n.md', text: 'See (Lee 2020) and (Abe 2019).\n\n## References\n\n1. Lee, J. 2020. Title one. Press.\n2. Abe, M. 2019. Title two. Press.\n' });
    assert.equal(sortReferences(numbered), undefined);
  });

  it('puts the ignore comment where each format reads it, and none in plain text', () => {
    const md = analyze({ uri: 'file:///t.md', text: PAPER });
    const c = md.citations.findIndex((x) => x.text === 'MIC 2024');
    assert.equal(ignoreCitation(md, c)!.edits[0].newText, ' <!-- citecheck-ignore -->');
    const txt = analyze({ uri: 'file:///t.txt', text: PAPER });
    assert.equal(ignoreCitation(txt, c), undefined);
    const rstText = 'Title\n=====\n\nFirst line (Kim 2016) of a paragraph\nsecond line (Kim 2016).\n\nReferences\n----------\n\nKim, DH. 2015. Growth. Seoul: Press.\n';
    const rst = analyze({ uri: 'file:///t.rst', text: rstText });
    const first = ignoreCitation(rst, 0)!;
    const fixed = apply(rstText, first.edits);
    assert.match(fixed, /\n\n\.\. citecheck-ignore\nFirst line \(Kim 2016\)/);
    assert.equal(analyze({ uri: 'file:///t.rst', text: fixed }).citations[0].ignored, true);
    // Inside a paragraph a `..` line would be text: nothing is offered.
    assert.equal(ignoreCitation(rst, 1), undefined);
  });

  it('fixes all of a kind at once, one edit per place', () => {
    const text = PAPER.replace('(Kim 2015)', '(Kim 2016)').replace('(Nye 2024;', '(Nye 2022;');
    const a = analyze({ uri: 'file:///t.md', text });
    const all = fixAllOfKind(a, 'year-mismatch')!;
    assert.equal(all.diagnostics.length, 3);
    assert.equal(apply(text, all.edits), PAPER.replace('(MIC 2024)', '(MIC 2023)'));
    assert.equal(fixAllOfKind(analyze({ uri: 'file:///t.md', text: PAPER }), 'year-mismatch'), undefined);
  });
});

describe('features: outline and lenses', function () {
  it('names each entry as it would be cited, and counts near misses apart', () => {
    const a = analyze({ uri: 'file:///t.md', text: PAPER });
    const syms = documentSymbols(a);
    assert.equal(syms[0].children.find((c) => c.name === 'Kim 2015')!.detail, 'Korea’s economic development and the development of economic relations between …');
    const lens = codeLenses(a);
    assert.deepEqual(lens.filter((l) => l.title !== 'cited once').map((l) => l.title), ['not cited · 1 near miss', 'not cited']);
  });
});

describe('features: layering', function () {
  it('the feature layer imports only the core: no LSP, no vscode, no node:*', () => {
    const dir = path.join(FIXTURES, '..', '..', 'server', 'src', 'features');
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/from '([^']+)'/g)) assert.match(m[1], /^\.\.?\/(?:core|[\w]+)$|^\.\/[\w]+$|^\.\.\/core$/, `${f} imports ${m[1]}`);
    }
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBibtex } from '../../../server/src/core/bibliography/bibtex';
import type { BibParseResult, BibRecord } from '../../../server/src/core/bibliography/bibtex';
import { decodeLatex } from '../../../server/src/core/bibliography/latex';
import { FIXTURES } from '../../helpers/paths';

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, 'bib', name), 'utf8');
}

function rec(r: BibParseResult, key: string): BibRecord {
  const found = r.records.find((x) => x.key === key);
  assert.ok(found, `no record '${key}' in ${r.records.map((x) => x.key).join(', ')}`);
  return found;
}

function field(r: BibRecord, name: string): string | undefined {
  return r.fields.get(name)?.value;
}

describe('bibliography: BibTeX reader', () => {
  describe('macros, concatenation, months, preamble, comments', () => {
    const text = fixture('macros.bib');
    const r = parseBibtex(text, 'file:///macros.bib');

    it('reads every entry and ignores text outside entries, @comment and @preamble', () => {
      assert.deepEqual(r.records.map((x) => x.key), ['kim2015', 'lee2019', 'undefinedmacro']);
      assert.equal(r.preambles?.length, 1);
    });

    it('expands @string macros joined with #, in both {} and () forms', () => {
      const kim = rec(r, 'kim2015');
      assert.equal(field(kim, 'journal'), 'Journal of Geophysical Research: Atmospheres');
      assert.equal(field(kim, 'author'), 'Kim, Jae-Won and Park, Soo');
      assert.equal(field(rec(r, 'lee2019'), 'journal'), 'American Economic Review');
    });

    it('expands month macros, bare numbers and lower-cases types and field names', () => {
      const kim = rec(r, 'kim2015');
      assert.equal(field(kim, 'month'), 'March');
      assert.equal(field(kim, 'year'), '2015');
      assert.equal(field(kim, 'pages'), '100–120');
      const lee = rec(r, 'lee2019');
      assert.equal(lee.type, 'article');
      assert.equal(field(lee, 'title'), 'Growth in Korea');
      assert.equal(lee.fields.get('title')?.raw, 'Growth in {Korea}');
    });

    it('gives ranges in the file: entry, key, and field values inside their delimiters', () => {
      const kim = rec(r, 'kim2015');
      assert.ok(text.slice(kim.range.start, kim.range.end).startsWith('@article{kim2015'));
      assert.ok(text.slice(kim.range.start, kim.range.end).endsWith('}'));
      assert.equal(text.slice(kim.keyRange.start, kim.keyRange.end), 'kim2015');
      const title = kim.fields.get('title')!;
      assert.equal(text.slice(title.range.start, title.range.end), 'Trade and {FDI} in {East Asia}');
      assert.equal(title.exact, true);
      const lee = rec(r, 'lee2019');
      assert.ok(text.slice(lee.range.start, lee.range.end).endsWith(')'));
    });

    it('warns about an undefined macro and keeps the entry', () => {
      const p = r.problems.find((x) => x.kind === 'undefined-macro');
      assert.ok(p);
      assert.equal(p.severity, 'warning');
      assert.equal(text.slice(p.range.start, p.range.end), 'nosuchmacro');
      assert.equal(field(rec(r, 'undefinedmacro'), 'title'), '');
    });
  });

  describe('crossref and xdata', () => {
    const r = parseBibtex(fixture('crossref.bib'), 'file:///crossref.bib');

    it('gives a child the fields its parent has and it lacks, mapping the title to booktitle', () => {
      const paper = rec(r, 'paper');
      assert.equal(field(paper, 'year'), '2018');
      assert.equal(field(paper, 'publisher'), 'ACM');
      assert.equal(field(paper, 'booktitle'), 'Proceedings of the Conference');
      assert.equal(field(paper, 'title'), 'A Paper');
      assert.equal(paper.fields.get('year')?.inheritedFrom, 'proc');
      assert.equal(paper.fields.get('pages')?.inheritedFrom, undefined);
    });

    it('resolves a parent defined after the child, and maps author to bookauthor for book parts', () => {
      const ch = rec(r, 'chapter');
      assert.equal(field(ch, 'booktitle'), 'The Whole Book');
      assert.equal(field(ch, 'author'), 'Author, Book');
      assert.equal(field(ch, 'bookauthor'), 'Author, Book');
      assert.equal(field(ch, 'date'), '2020-05-01');
    });

    it('copies xdata fields and does not list @xdata entries as records', () => {
      const x = rec(r, 'withxdata');
      assert.equal(field(x, 'publisher'), 'Oxford University Press');
      assert.equal(field(x, 'location'), 'Oxford');
      assert.ok(!r.records.some((e) => e.key === 'pubdata'));
    });

    it('warns about a missing crossref parent', () => {
      const p = r.problems.find((x) => x.kind === 'missing-crossref');
      assert.ok(p);
      assert.equal(p.key, 'orphan');
    });
  });

  describe('LaTeX decoding', () => {
    it('decodes accents in all their spellings', () => {
      assert.equal(decodeLatex('{\\"a}\\"{o}\\\'e\\\'{E}{\\\'\\i}\\`a\\^o\\~n\\=a\\.z'), 'äöéÉíàôñāż');
      assert.equal(decodeLatex('\\c{c}\\c c\\v{s}\\v s{\\v{S}}\\u{g}\\H{o}\\k{a}\\r{u}\\d{s}'), 'ççššŠğőąůṣ');
      assert.equal(decodeLatex('Ji{\\v r}{\\\'\\i}'), 'Jiří');
    });

    it('decodes named letters and escaped specials', () => {
      assert.equal(decodeLatex('\\ss{} {\\o} \\O{} {\\aa} {\\AA} {\\ae} {\\oe} {\\l} {\\L}'), 'ß ø Ø å Å æ œ ł Ł');
      // TeX: a control word eats the spaces after it
      assert.equal(decodeLatex('\\o \\O'), 'øØ');
      assert.equal(decodeLatex('Stra{\\ss}e'), 'Straße');
      assert.equal(decodeLatex('A \\& B 50\\% \\$5 \\#1 a\\_b'), 'A & B 50% $5 #1 a_b');
    });

    it('turns dashes, ties and quotes into their characters, strips braces and collapses space', () => {
      assert.equal(decodeLatex('1--2 a---b'), '1–2 a—b');
      assert.equal(decodeLatex('J.~R.~R. Tolkien'), 'J. R. R. Tolkien');
      assert.equal(decodeLatex("``quoted'' `single'"), '“quoted” ‘single\'');
      assert.equal(decodeLatex('  The {DNA}\n   of {{Things}}  '), 'The DNA of Things');
      assert.equal(decodeLatex('\\emph{new} \\textbf{bold} {\\em it}'), 'new bold it');
      assert.equal(decodeLatex('$\\alpha$-helix'), 'α-helix');
    });

    it('reads the accented fixture', () => {
      const r = parseBibtex(fixture('accents.bib'));
      const a = rec(r, 'accents');
      assert.equal(field(a, 'title'), 'Äpfel – & Co.: a “study” of cafés—and naïve résumés');
      assert.match(field(a, 'author')!, /^Müller, Jörg and García Márquez, Gabriel and François, Renée and Škoda, Jiří/);
    });
  });

  describe('recovery from broken entries', () => {
    const text = fixture('broken.bib');
    const r = parseBibtex(text, 'file:///broken.bib');

    it('still reads every entry after the broken ones', () => {
      for (const k of ['good1', 'good2', 'good3', 'good4', 'good5']) rec(r, k);
      assert.equal(field(rec(r, 'good2'), 'title'), 'Second');
      assert.equal(field(rec(r, 'good5'), 'year'), '2008');
    });

    it("reports an unclosed value on the broken entry's value, not on the next entry", () => {
      const broken = rec(r, 'broken');
      const p = r.problems.find((x) => x.key === 'broken');
      assert.ok(p, 'a problem for the broken entry');
      assert.equal(p.kind, 'syntax');
      assert.equal(p.severity, 'error');
      assert.ok(p.range.start >= broken.range.start && p.range.end <= text.indexOf('@article{good2'));
      assert.equal(text.slice(p.range.start, p.range.end), '{');
      assert.ok(p.range.start > text.indexOf('title = {This value'));
      assert.equal(broken.incomplete, true);
      assert.equal(field(broken, 'author'), 'Beta, B.');
    });

    it('reports a missing comma between fields and reads on inside the entry', () => {
      const p = r.problems.find((x) => x.key === 'nocomma');
      assert.ok(p);
      assert.match(p.message, /Missing ','/);
      const e = rec(r, 'nocomma');
      assert.equal(field(e, 'title'), 'Missing comma');
      assert.equal(field(e, 'year'), '2004');
    });

    it('reports an entry left open on its header', () => {
      const p = r.problems.find((x) => x.key === 'unclosed');
      assert.ok(p);
      assert.equal(text.slice(p.range.start, p.range.end), '@article{unclosed');
      assert.match(p.message, /not closed/);
      assert.equal(field(rec(r, 'unclosed'), 'year'), '2007');
    });
  });

  describe('duplicate keys', () => {
    const text = fixture('duplicates.bib');
    const r = parseBibtex(text);

    it('keeps the first entry and reports the second with a duplicate-key problem', () => {
      assert.deepEqual(r.records.map((x) => x.key), ['same', 'other']);
      assert.equal(field(r.records[0], 'title'), 'One');
      const p = r.problems.find((x) => x.kind === 'duplicate-key');
      assert.ok(p);
      assert.equal(p.key, 'same');
      assert.ok(p.range.start > text.indexOf('@book'));
      assert.equal(text.slice(p.range.start, p.range.end), 'same');
      assert.ok(p.related);
      assert.ok(p.related.start < text.indexOf('@article{other'));
    });
  });

  describe('robustness', () => {
    it('never throws on random bytes', () => {
      let seed = 12345;
      const rnd = (): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
        return seed;
      };
      const alphabet = '@{}()",=#%\\ \n\tabc123~-\'`^';
      for (let k = 0; k < 300; k++) {
        let s = '';
        const n = rnd() % 3000;
        for (let i = 0; i < n; i++) s += rnd() % 3 ? alphabet[rnd() % alphabet.length] : String.fromCharCode(rnd() % 0xffff);
        const r = parseBibtex(s, 'x');
        for (const e of r.records) for (const f of e.fields.values()) assert.equal(typeof f.value, 'string');
      }
    });

    it('stays fast on 10,000 unmatched braces, entries and comments', () => {
      const cases = [
        '@a{k, t={' + '{'.repeat(10000),
        Array.from({ length: 10000 }, (_, i) => `@a{k${i}, t={{`).join('\n'),
        '@a{k, t=' + '}'.repeat(10000),
        '@comment{'.repeat(10000),
        '@'.repeat(100000),
        '@a{k,\n t = {' + '\n@b{'.repeat(5000),
      ];
      for (const c of cases) {
        const t0 = Date.now();
        const r = parseBibtex(c);
        assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
        assert.ok(Array.isArray(r.records));
      }
    });

    it('reads an empty text, a text without entries and a lone @', () => {
      assert.deepEqual(parseBibtex('').records, []);
      assert.deepEqual(parseBibtex('just some words').records, []);
      assert.deepEqual(parseBibtex('@').records, []);
      assert.deepEqual(parseBibtex(undefined as unknown as string).records, []);
    });

    it('does not treat Object.prototype names as macros or symbols', () => {
      const r = parseBibtex('@misc{k, title = constructor # {\\constructor \\toString x}, year = __proto__}');
      const e = rec(r, 'k');
      assert.equal(field(e, 'title'), 'x');
      assert.equal(field(e, 'year'), '');
    });
  });
});

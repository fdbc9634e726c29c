import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBibtex } from '../../../server/src/core/bibliography/bibtex';
import { bibRecordToCsl, parseBibtexName, splitNameList, toEntries } from '../../../server/src/core/bibliography/entries';
import type { ReferenceEntry } from '../../../server/src/core/types';
import { FIXTURES } from '../../helpers/paths';

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, 'bib', name), 'utf8');
}

function byKey(es: ReferenceEntry[], key: string): ReferenceEntry {
  const e = es.find((x) => x.key === key);
  assert.ok(e, `no entry ${key}`);
  return e;
}

describe('bibliography: records to reference entries', () => {
  describe('BibTeX names', () => {
    it('splits name lists on "and" at brace depth 0 only', () => {
      assert.deepEqual(splitNameList('A and B AND C'), { names: ['A', 'B', 'C'], others: false });
      assert.deepEqual(splitNameList('{Barnes and Noble} and Smith, J. and others'), { names: ['{Barnes and Noble}', 'Smith, J.'], others: true });
      assert.deepEqual(splitNameList('Anderson, A. and Sandy Andrews'), { names: ['Anderson, A.', 'Sandy Andrews'], others: false });
    });

    it('reads First von Last, von Last, First, and von Last, Jr, First', () => {
      assert.deepEqual(parseBibtexName('Ludwig van Beethoven'), { first: 'Ludwig', von: 'van', last: 'Beethoven', jr: '', corporate: false });
      assert.deepEqual(parseBibtexName('de la Fontaine, Jean'), { first: 'Jean', von: 'de la', last: 'Fontaine', jr: '', corporate: false });
      assert.deepEqual(parseBibtexName('King, Jr., Martin Luther'), { first: 'Martin Luther', von: '', last: 'King', jr: 'Jr.', corporate: false });
      assert.deepEqual(parseBibtexName('{World Health Organization}'), { first: '', von: '', last: '{World Health Organization}', jr: '', corporate: true });
      assert.equal(parseBibtexName('Jean {de la} Fontaine').last, 'Fontaine');
      assert.equal(parseBibtexName('{\\"U}ber, Hans').last, '{\\"U}ber');
    });
  });

  describe('entries from the fixtures', () => {
    const text = fixture('accents.bib');
    const r = parseBibtex(text, 'file:///accents.bib');
    const es = toEntries(r.records, 'file:///accents.bib', 10);

    it('numbers entries from the start index and records the source', () => {
      assert.deepEqual(es.map((e) => e.index), [10, 11, 12, 13]);
      assert.deepEqual(es[0].source, { kind: 'bibliography', uri: 'file:///accents.bib', key: 'accents' });
      assert.equal(es[0].uri, 'file:///accents.bib');
      assert.equal(es[0].range, r.records[0].range);
    });

    it('decodes author names into family and full names', () => {
      const a = byKey(es, 'accents');
      assert.deepEqual(a.authors.slice(0, 3), [
        { family: 'Müller', full: 'Jörg Müller' },
        { family: 'García Márquez', full: 'Gabriel García Márquez' },
        { family: 'François', full: 'Renée François' },
      ]);
      assert.equal(a.authors.length, 10);
      assert.equal(a.authors[8].full, 'Łech Wałęsa');
      assert.equal(a.authors[9].family, 'Erdős');
      assert.equal(a.year, '2021');
      assert.equal(a.title, 'Äpfel – & Co.: a “study” of cafés—and naïve résumés');
      assert.equal(text.slice(a.yearRange!.start, a.yearRange!.end), '2021');
      assert.ok(text.slice(a.authorRange!.start, a.authorRange!.end).startsWith('M{\\"u}ller'));
    });

    it('reads corporate authors, particles, Jr., others, and year words and suffixes', () => {
      const c = byKey(es, 'corporate');
      assert.deepEqual(c.authors[0], { family: 'World Health Organization', full: 'World Health Organization', corporate: true });
      assert.equal(c.authors[1].family, 'Ministry of Economy, Trade and Industry');
      assert.equal(c.year, '2010');
      assert.equal(c.suffix, 'a');
      assert.equal(text.slice(c.yearRange!.start, c.yearRange!.end), '2010a');
      const n = byKey(es, 'names');
      assert.deepEqual(n.authors.map((p) => p.family), ['van Beethoven', 'de la Fontaine', 'de la Vallée Poussin', 'King']);
      assert.equal(n.authors[3].full, 'Martin Luther King, Jr.');
      assert.equal(n.etAl, true);
      assert.equal(n.year, 'n.d.');
      const ed = byKey(es, 'edited');
      assert.equal(ed.editors, true);
      assert.deepEqual(ed.authors.map((p) => p.family), ['Smith', 'Jones']);
      assert.equal(ed.year, 'forthcoming');
    });

    it('uses shortauthor as the alias of a single corporate author', () => {
      const r2 = parseBibtex('@report{who, author = {{World Health Organization}}, shortauthor = {WHO}, date = {2019-05-01}}');
      const [e] = toEntries(r2.records, 'u');
      assert.equal(e.authors[0].alias, 'WHO');
      assert.equal(e.year, '2019');
    });

    it('takes the year from the crossref parent, without a range in the child', () => {
      const r2 = parseBibtex(fixture('crossref.bib'));
      const es2 = toEntries(r2.records, 'u');
      const p = byKey(es2, 'paper');
      assert.equal(p.year, '2018');
      assert.equal(p.yearRange, undefined);
      const ch = byKey(es2, 'chapter');
      assert.equal(ch.year, '2020');
      assert.equal(ch.authors[0].family, 'Author');
    });
  });

  describe('CSL items from BibTeX', () => {
    it('maps types, names with particles, dates, containers and pages', () => {
      const r = parseBibtex(fixture('macros.bib') + fixture('crossref.bib'));
      const kim = bibRecordToCsl(r.records.find((x) => x.key === 'kim2015')!);
      assert.deepEqual(kim, {
        id: 'kim2015',
        type: 'article-journal',
        'citation-key': 'kim2015',
        title: 'Trade and FDI in East Asia',
        author: [
          { family: 'Kim', given: 'Jae-Won' },
          { family: 'Park', given: 'Soo' },
        ],
        issued: { 'date-parts': [[2015, 3]] },
        'container-title': 'Journal of Geophysical Research: Atmospheres',
        volume: '12',
        page: '100-120',
      });
      const paper = bibRecordToCsl(r.records.find((x) => x.key === 'paper')!);
      assert.equal(paper.type, 'paper-conference');
      assert.equal(paper['container-title'], 'Proceedings of the Conference');
      assert.equal(paper.publisher, 'ACM');
      assert.deepEqual(paper.editor, [{ family: 'Editor', given: 'Ed' }]);
      const book = bibRecordToCsl(r.records.find((x) => x.key === 'book')!);
      assert.deepEqual(book.issued, { 'date-parts': [[2020, 5, 1]] });
      const names = bibRecordToCsl(parseBibtex(fixture('accents.bib')).records.find((x) => x.key === 'names')!);
      assert.deepEqual(names.author?.[0], { family: 'Beethoven', given: 'Ludwig', 'non-dropping-particle': 'van' });
      assert.deepEqual(names.author?.[4], { literal: 'others' });
    });
  });
});

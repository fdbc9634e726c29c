import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRis } from '../../../server/src/core/bibliography/ris';
import { parseCslJson } from '../../../server/src/core/bibliography/cslJson';
import { parseCslYaml } from '../../../server/src/core/bibliography/cslYaml';
import { readBibliography, sniffBibliographyFormat } from '../../../server/src/core/bibliography/read';
import { FIXTURES } from '../../helpers/paths';

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, 'bib', name), 'utf8');
}

describe('bibliography: RIS, CSL-JSON and CSL-YAML readers', () => {
  describe('RIS', () => {
    const text = fixture('refs.ris');
    const r = parseRis(text, 'file:///refs.ris');

    it('reads records into CSL items', () => {
      assert.equal(r.records.length, 4);
      const kim = r.records[0];
      assert.equal(kim.key, 'kim2015');
      assert.equal(kim.type, 'article-journal');
      assert.deepEqual(kim.item.author, [
        { family: 'Kim', given: 'Jae-Won' },
        { family: 'Park', given: 'Soo' },
      ]);
      assert.deepEqual(kim.item.issued, { 'date-parts': [[2015, 3, 1]] });
      assert.equal(kim.item.page, '100-120');
      assert.equal(kim.item['container-title'], 'Journal of Geophysical Research');
      assert.equal(kim.item.DOI, '10.1000/xyz');
    });

    it('joins continuation lines and reads a body as a literal name', () => {
      const who = r.records[1];
      assert.equal(who.item.title, 'A report continued on the next line');
      assert.deepEqual(who.item.author, [{ literal: 'World Health Organization' }]);
    });

    it("reports a record without 'ER' and still reads it and the next one", () => {
      const p = r.problems.find((x) => x.kind === 'syntax');
      assert.ok(p);
      assert.equal(text.slice(p.range.start, p.range.end), 'TY');
      assert.ok(p.range.start === text.indexOf('TY  - CHAP'));
      assert.equal(r.records[2].item.title, 'No end record');
      assert.equal(r.records[3].item.title, 'After the broken one');
    });

    it('gives entries with years and author ranges', () => {
      const b = readBibliography(text, 'file:///refs.ris');
      assert.equal(b.entries.length, 4);
      const e = b.entries[0];
      assert.equal(e.year, '2015');
      assert.equal(e.key, 'kim2015');
      assert.equal(text.slice(e.yearRange!.start, e.yearRange!.end), '2015');
      assert.ok(text.slice(e.authorRange!.start, e.authorRange!.end).startsWith('Kim, Jae-Won'));
      assert.equal(b.entries[1].authors[0].corporate, true);
      assert.equal(b.entries[1].key, undefined);
    });
  });

  describe('CSL-JSON', () => {
    it('reads an array of items, with ranges', () => {
      const text = fixture('refs.json');
      const r = parseCslJson(text, 'file:///refs.json');
      assert.equal(r.records.length, 3);
      const kim = r.records[0];
      assert.equal(kim.key, 'kim2015');
      assert.equal(text.slice(kim.keyRange!.start, kim.keyRange!.end), 'kim2015');
      assert.equal(text[kim.range.start], '{');
      assert.equal(text[kim.range.end - 1], '}');
    });

    it('reports an item without id, with a range on that item, and keeps it', () => {
      const text = fixture('refs.json');
      const r = parseCslJson(text);
      const p = r.problems.find((x) => x.kind === 'missing-id');
      assert.ok(p);
      const item = r.records[1];
      assert.equal(p.range.start, item.range.start);
      assert.equal(item.item.title, 'Item without an id');
    });

    it('gives entries: particles in the family name, literal bodies, editors, raw dates', () => {
      const text = fixture('refs.json');
      const b = readBibliography(text, 'refs.json');
      assert.equal(b.format, 'csl-json');
      assert.equal(b.entries[0].authors[1].family, 'van der Berg');
      assert.equal(b.entries[0].authors[1].full, 'Anna van der Berg');
      assert.equal(text.slice(b.entries[0].yearRange!.start, b.entries[0].yearRange!.end), '2015');
      assert.equal(b.entries[1].authors[0].corporate, true);
      assert.equal(b.entries[2].editors, true);
      assert.equal(b.entries[2].year, '2019');
    });

    it('reports invalid JSON at its position and still reads the items after it', () => {
      const text = fixture('broken.json');
      const r = parseCslJson(text);
      const p = r.problems.find((x) => x.kind === 'invalid-json');
      assert.ok(p);
      const line = text.slice(0, p.range.start).split('\n').length;
      assert.equal(line, 13, p.message);
      assert.deepEqual(r.records.map((x) => x.key), ['good1', 'good2']);
    });

    it('reads a single item, an {items: [...]} wrapper, and reports non-JSON', () => {
      assert.equal(parseCslJson('{"id": "a", "type": "book", "title": "T"}').records[0].key, 'a');
      assert.equal(parseCslJson('{"items": [{"id": "a"}, {"id": "b"}]}').records.length, 2);
      const bad = parseCslJson('not json');
      assert.equal(bad.records.length, 0);
      assert.equal(bad.problems[0].kind, 'invalid-json');
      assert.equal(parseCslJson('[' + '['.repeat(100000)).problems.length > 0, true);
    });
  });

  describe('CSL-YAML', () => {
    it('reads a references: list, with ranges and loose dates', () => {
      const text = fixture('refs.yaml');
      const r = parseCslYaml(text, 'file:///refs.yaml');
      assert.deepEqual(r.problems, []);
      assert.deepEqual(r.records.map((x) => x.key), ['kim2015', 'who2010', 'lee2019a']);
      assert.deepEqual(r.records[1].item.issued, { 'date-parts': [[2010]] });
      assert.deepEqual(r.records[2].item.issued, { 'date-parts': [[2019, 5, 1]] });
      assert.equal(text.slice(r.records[0].keyRange!.start, r.records[0].keyRange!.end), 'kim2015');
      const b = readBibliography(text, 'refs.yaml');
      assert.equal(b.entries[0].authors[0].family, 'Kim');
      assert.equal(text.slice(b.entries[0].yearRange!.start, b.entries[0].yearRange!.end), '2015');
    });

    it('reads a bare list and reports YAML errors with a range', () => {
      assert.equal(parseCslYaml('- id: a\n  title: A\n- id: b\n').records.length, 2);
      const r = parseCslYaml('- id: a\n  title: [unclosed\n- id: b\n  title: ok\n');
      assert.ok(r.problems.some((p) => p.kind === 'invalid-yaml'));
    });
  });

  describe('robustness', () => {
    it('never throws on random input, in any format', () => {
      let seed = 99;
      const rnd = (): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
        return seed;
      };
      const alphabets = ['[]{}",:\\ \n0123456789eE.-truefalsn', '- :\n  id[]{}"\'#&*!|>', 'TYAUER  - \n12/'];
      const readers = [parseCslJson, parseCslYaml, parseRis];
      for (let k = 0; k < 300; k++) {
        const alpha = alphabets[k % 3];
        let s = '';
        const n = rnd() % 400;
        for (let i = 0; i < n; i++) s += rnd() % 4 ? alpha[rnd() % alpha.length] : String.fromCharCode(rnd() % 0xffff);
        for (const read of readers) {
          const r = read(s);
          assert.ok(Array.isArray(r.records) && Array.isArray(r.problems));
          readBibliography(s, k % 2 ? 'x.json' : 'x.yaml');
        }
      }
    });
  });

  describe('format detection', () => {
    it('goes by extension, then by content', () => {
      assert.equal(readBibliography('', 'x.bib').format, 'bibtex');
      assert.equal(readBibliography('', 'x.ris').format, 'ris');
      assert.equal(readBibliography('', 'x.yml').format, 'csl-yaml');
      assert.equal(sniffBibliographyFormat('@article{a, title={x}}'), 'bibtex');
      assert.equal(sniffBibliographyFormat('[{"id":"a"}]'), 'csl-json');
      assert.equal(sniffBibliographyFormat('TY  - JOUR\nER  - \n'), 'ris');
      assert.equal(readBibliography('hello', 'x.txt').unknownFormat, true);
    });

    it('turns problems into diagnostics on the bibliography file', () => {
      const b = readBibliography(fixture('duplicates.bib'), 'file:///dup.bib');
      assert.equal(b.diagnostics.length, 1);
      const d = b.diagnostics[0];
      assert.equal(d.code, 'bibliography-duplicate-key');
      assert.equal(d.uri, 'file:///dup.bib');
      assert.equal(d.related?.length, 1);
    });
  });
});

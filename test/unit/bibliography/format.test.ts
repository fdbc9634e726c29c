import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBibtex } from '../../../server/src/core/bibliography/bibtex';
import { bibRecordToCsl } from '../../../server/src/core/bibliography/entries';
import { CslStyleError, formatBibliography, formatReference, readWithCitationJs } from '../../../server/src/bibliography/format';
import { FIXTURES } from '../../helpers/paths';

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, 'bib', name), 'utf8');
}

describe('bibliography: formatting with citation-js', function () {
  this.timeout(30000);
  const bib = '@article{smith2020,\n author={Smith, John and van der Berg, Anna and {World Health Organization}},\n title={The {DNA} of M{\\"u}ller},\n journal={Journal of Things},\n year=2020, volume=12, number=3, pages={12--34}, doi={10.1000/xyz}}\n';
  const item = bibRecordToCsl(parseBibtex(bib).records[0]);

  it('formats an entry in APA', () => {
    assert.equal(
      formatReference(item, 'apa'),
      'Smith, J., van der Berg, A., & World Health Organization. (2020). The DNA of Müller. Journal of Things, 12(3), 12–34. https://doi.org/10.1000/xyz',
    );
  });

  it('formats HTML', () => {
    const html = formatReference(item, 'apa', 'html');
    assert.match(html, /<i>Journal of Things<\/i>/);
    assert.match(html, /&#38; World Health Organization/);
  });

  it("formats with a user's .csl style given as text", () => {
    const xml = fixture('minimal.csl');
    assert.equal(formatReference(item, xml), 'REF: Smith, J.; Berg, A. van der; and World Health Organization [2020] <<The DNA of Müller>>.');
    // a second call reuses the registered style
    assert.equal(formatBibliography([item, { ...item, id: 'b', title: 'Other' }], xml).length, 2);
  });

  it('rejects what cannot be a style', () => {
    assert.throws(() => formatReference(item, 'no-such-style'), CslStyleError);
    assert.throws(() => formatReference(item, '<notcsl/>'), CslStyleError);
  });

  it('never fetches: a URL input is not read, and the fetch modules are stubs', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const core = require('@citation-js/core') as { Cite: new (x: unknown) => unknown; util: { fetchFile(u: string): string } };
    assert.throws(() => new core.Cite('https://example.org/refs.bib'));
    assert.throws(() => core.util.fetchFile('https://example.org/'), /network access is disabled/);
  });

  it('reads the same BibTeX as our reader (cross-check)', () => {
    const text = fixture('crossref.bib');
    const ours = parseBibtex(text).records.map(bibRecordToCsl);
    // citation-js lists @xdata containers as items; we do not.
    const theirs = readWithCitationJs(text, 'bibtex').filter((x) => x.id !== 'pubdata');
    assert.deepEqual(theirs.map((x) => x.id), ours.map((x) => x.id));
    for (let i = 0; i < ours.length; i++) {
      assert.deepEqual(theirs[i].author, ours[i].author);
      assert.deepEqual(theirs[i].editor, ours[i].editor);
      assert.equal(theirs[i].title, ours[i].title);
      assert.equal(theirs[i]['container-title'], ours[i]['container-title']);
      assert.deepEqual(theirs[i].issued, ours[i].issued);
    }
  });

  it('recovers where citation-js gives up on a broken file', () => {
    assert.throws(() => readWithCitationJs(fixture('broken.bib'), 'bibtex'));
    assert.equal(parseBibtex(fixture('broken.bib')).records.length, 8);
  });
});

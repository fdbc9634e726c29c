/** Where bibliographies come from (globs, `_quarto.yml`), how an entry is shown (citeproc HTML -> Markdown), and `incomplete-entry`. */
import * as assert from 'node:assert/strict';
import { analyze } from '../../server/src/core';
import { readBibliography } from '../../server/src/core/bibliography/read';
import { globToRegExp } from '../../server/src/lsp/glob';
import { readConfig } from '../../server/src/bibliography/quarto';
import { htmlToMarkdown } from '../../server/src/lsp/bibService';
import { complete } from '../../server/src/features';

describe('bibliography sources and display', () => {
  it('matches globs: *, **, ?, [..], {a,b}', () => {
    const t = (g: string, p: string) => globToRegExp(g).test(p);
    assert.ok(t('*.bib', 'refs.bib'));
    assert.ok(!t('*.bib', 'sub/refs.bib'));
    assert.ok(t('**/*.bib', 'refs.bib'));
    assert.ok(t('**/*.bib', 'a/b/refs.bib'));
    assert.ok(t('refs/**/*.{bib,json}', 'refs/x/y.json'));
    assert.ok(!t('refs/**/*.{bib,json}', 'refs/x/y.yaml'));
    assert.ok(t('ref?.bib', 'ref1.bib'));
    assert.ok(t('[ab].bib', 'a.bib') && !t('[ab].bib', 'c.bib'));
    assert.ok(!t('*.bib', 'refs.bibx'));
  });

  it('reads bibliography: from _quarto.yml at the top, under project:, format: and a format', () => {
    assert.deepEqual(readConfig('bibliography: refs.bib\n'), ['refs.bib']);
    assert.deepEqual(readConfig('project:\n  type: book\n  bibliography: [a.bib, b.json]\n'), ['a.bib', 'b.json']);
    assert.deepEqual(readConfig('format:\n  html:\n    bibliography: h.bib\n  pdf:\n    bibliography:\n      - h.bib\n      - p.bib\n'), ['h.bib', 'p.bib']);
    assert.deepEqual(readConfig('title: x\n'), []);
    assert.deepEqual(readConfig(': : not yaml ['), []);
  });

  it('turns citeproc HTML into Markdown with italics and links, adding a DOI the style leaves out', () => {
    assert.equal(
      htmlToMarkdown('<div class="csl-entry">Kim, D. (2015). <i>Growth_and [trade]</i>. Press &#38; Co. https://doi.org/10.1/x</div>', { DOI: '10.1/x' }),
      'Kim, D. (2015). *Growth\\_and \\[trade\\]*. Press & Co. [https://doi.org/10.1/x](https://doi.org/10.1/x)',
    );
    assert.equal(
      htmlToMarkdown('<div class="csl-entry"><div class="csl-left-margin">1.</div><div class="csl-right-inline">Kim D. Growth. 2015.</div></div>', { DOI: '10.1/y' }),
      'Kim D. Growth. 2015. [https://doi.org/10.1/y](https://doi.org/10.1/y)',
    );
  });

  it('incomplete-entry: a key citation whose entry has no author or no year', () => {
    const bib = readBibliography('@misc{web, title = {A Site}}\n@book{ok, author = {Kim, D.}, title = {T}, year = 2015}\n@book{noyear, author = {Lee, A.}, title = {U}}\n', 'file:///r.bib');
    const text = 'See [@web], [@ok], @noyear and [-@noyear].\n';
    const a = analyze({ uri: 'file:///p.md', text }, { bibliographyEntries: bib.entries });
    const got = a.diagnostics.filter((d) => d.code === 'incomplete-entry').map((d) => `${text.slice(d.range.start, d.range.end)}: ${d.message}`);
    assert.deepEqual(got, [
      "web: 'web' is cited with its authors and year, but its entry in r.bib has no author or editor and no year or date.",
      "noyear: 'noyear' is cited with its authors and year, but its entry in r.bib has no year or date.",
      "noyear: 'noyear' is cited with its authors and year, but its entry in r.bib has no year or date.",
    ]);
    const latex = analyze({ uri: 'file:///p.tex', text: 'As \\citet{web} and \\cite{web} and \\citeyear{ok}.\n' }, { bibliographyEntries: bib.entries });
    assert.deepEqual(latex.diagnostics.filter((d) => d.code === 'incomplete-entry').length, 1);
  });

  it('completes keys in \\citep{ and after @ by author, year or title word, with the formatted entry when given', () => {
    const bib = readBibliography(
      '@book{Gelman2013, author = {Gelman, Andrew and Carlin, John B.}, title = {Bayesian Data Analysis}, year = 2013}\n' +
        '@article{Harris2020, author = {Harris, Charles R.}, title = {Array programming with {NumPy}}, year = 2020}\n',
      'file:///r.bib',
    );
    const keys = (text: string, format?: (e: { key?: string }) => string | undefined) => {
      const uri = text.includes('\\cite') ? 'file:///p.tex' : 'file:///p.md';
      const a = analyze({ uri, text }, { bibliographyEntries: bib.entries });
      return complete(a, text.length, { formatted: format })?.items.map((i) => `${i.label}|${i.documentation}`);
    };
    assert.deepEqual(keys('As \\citep{bayes'), ['Gelman2013|Gelman & Carlin (2013). Bayesian Data Analysis']);
    assert.deepEqual(keys('As \\citet{Harris2020, carl'), ['Gelman2013|Gelman & Carlin (2013). Bayesian Data Analysis']);
    assert.deepEqual(keys('See @2020'), ['Harris2020|Harris (2020). Array programming with NumPy']);
    assert.deepEqual(keys('See [@nump', (e) => `**${e.key}** formatted`), ['Harris2020|**Harris2020** formatted']);
  });
});

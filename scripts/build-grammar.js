#!/usr/bin/env node
'use strict';
// Writes syntaxes/citecheck.injection.json (a TextMate injection grammar colouring author-year
// citations in Markdown, LaTeX, reST and plain text) and syntaxes/citecheck.plaintext.json from the
// readable pieces below.  Run: node scripts/build-grammar.js
const fs = require('fs');
const path = require('path');
const OUT = path.join(__dirname, '..', 'syntaxes');
const NAME = "\\p{Lu}[\\p{L}\\p{M}'’\\-]*[\\p{L}\\p{M}]";
const LINKED = `(?:\\s+(?:(?:of|the|for|on|and|de|del|van|von|der|den|la|le|du|da|dos|y)\\s+)*${NAME})*`;
const SENTENCE_WORD = "(?!(?:As|In|See|And|But|For|While|According|Following|Like|Unlike|Both|Since|Thus|Then|Here|When|Where|If|Although|Though|Because|After|Before|To|With|By|From|On|At|Of|Also|Yet|So)\\s)";
const NAMES = `${SENTENCE_WORD}${NAME}${LINKED}(?:(?:,\\s*|\\s+(?:and|&)\\s+|,\\s+(?:and|&)\\s+)${NAME}${LINKED})*`;
const YEAR = "(?:1[5-9]|20)\\d\\d[a-z]?";
const NOT_CITATION_START = "(?!(?:Accessed|Retrieved|Updated|Published|Archived|January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\\b)";
const g = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'citecheck citations',
  scopeName: 'citecheck.citations.injection',
  injectionSelector:
    'L:text.html.markdown -markup.fenced_code -markup.inline.raw -markup.raw -comment -meta.link -markup.underline.link -meta.embedded, ' +
    'L:text.tex.latex -comment -string.other.math -meta.math -markup.raw -meta.embedded, ' +
    'L:text.tex -comment -string.other.math -meta.math, ' +
    'L:text.plain.citecheck, ' +
    'L:source.rst -comment -markup.raw -meta.embedded',
  patterns: [{ include: '#parenthetical' }, { include: '#narrative' }, { include: '#pandoc-key' }],
  repository: {
    parenthetical: {
      comment: '(Kim 2015), (see Nye 2024; Kissinger and Allison 2023), (Drezner et al. 2021, p. 4)',
      name: 'meta.citation.parenthetical.citecheck',
      begin: `(\\()(?=(?:(?:see|see also|e\\.g\\.,?|cf\\.|also|i\\.e\\.,?)\\s+)?${NOT_CITATION_START}\\p{Lu}[^()\\n]{0,300}?\\b${YEAR}\\b[^()\\n]{0,300}\\))`,
      beginCaptures: { 1: { name: 'punctuation.definition.citation.begin.citecheck' } },
      end: '\\)',
      endCaptures: { 0: { name: 'punctuation.definition.citation.end.citecheck' } },
      patterns: [{ include: '#year' }, { include: '#et-al' }, { include: '#name' }, { match: ';', name: 'punctuation.separator.citation.citecheck' }],
    },
    narrative: {
      comment: 'Kim (2015), Drezner et al. (2021), Kissinger and Allison’s (2023)',
      match: `(?<![\\p{L}\\p{M}\\p{N}])(${NAMES}(?:\\s+et\\s+al\\.?)?)(?:’s|'s)?\\s+(\\()(${YEAR}|n\\.\\s?d\\.)((?:[,:]\\s*(?:pp?\\.\\s*)?[\\d–-]+)?)(\\))`,
      name: 'meta.citation.narrative.citecheck',
      captures: {
        1: { patterns: [{ include: '#et-al' }, { include: '#name' }] },
        2: { name: 'punctuation.definition.citation.begin.citecheck' },
        3: { name: 'constant.numeric.year.citation.citecheck' },
        5: { name: 'punctuation.definition.citation.end.citecheck' },
      },
    },
    'pandoc-key': {
      comment: '[@kim2015], [see @kim2015, p. 3; @nye2024], @kim2015 says',
      match: "(?<=[\\[;\\s]|^)(-?@)([\\p{L}\\p{N}_][\\p{L}\\p{N}_:.#$%&+?<>~/\\-]*[\\p{L}\\p{N}_])",
      name: 'meta.citation.key.citecheck',
      captures: { 1: { name: 'punctuation.definition.citation.key.citecheck' }, 2: { name: 'variable.other.citation-key.citecheck' } },
    },
    year: { match: `\\b${YEAR}(?:[-–/]\\d{1,2}){0,2}\\b|\\bn\\.\\s?d\\.`, name: 'constant.numeric.year.citation.citecheck' },
    'et-al': { match: '\\bet\\s+al\\b\\.?', name: 'keyword.other.et-al.citation.citecheck' },
    name: { match: `(?<![\\p{L}\\p{M}])${NAME}`, name: 'entity.name.type.author.citation.citecheck' },
  },
};
fs.writeFileSync(path.join(OUT, 'citecheck.injection.json'), JSON.stringify(g, null, 2) + '\n');
fs.writeFileSync(path.join(OUT, 'citecheck.plaintext.json'), JSON.stringify({
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Plain Text (citecheck)',
  comment: 'An empty grammar for plain text, so that citecheck.injection.json has a scope to inject its citation colours into.',
  scopeName: 'text.plain.citecheck',
  patterns: [],
}, null, 2) + '\n');

/**
 * Bibliography files over the language server, as an editor sees them: a JOSS paper
 * (`paper.md` + `paper.bib`), the problems of a bibliography on the bibliography itself, entries
 * uncited across documents, `_quarto.yml` and glob settings, and a 10,000-entry `.bib` read in the
 * background while the paper keeps answering. The real server over stdio.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../helpers/paths';
import { generateBib } from '../bench/bibGen';
import { find, LspClient } from './lspClient';

const JOSS = path.join(FIXTURES, 'joss');
const uriIn = (dir: string, name: string) => pathToFileURL(path.join(dir, name)).href;

function hoverText(h: Hover | null): string {
  return (h?.contents as { value?: string } | undefined)?.value ?? '';
}

function summary(ds: Diagnostic[]): string[] {
  return ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`).sort();
}

function docText(item: CompletionItem): string {
  const d = item.documentation;
  return typeof d === 'string' ? d : d?.value ?? '';
}

describe('language server: a JOSS paper with paper.bib', function () {
  this.timeout(60000);
  let client: LspClient;
  const paperUri = uriIn(JOSS, 'paper.md');
  const bibUri = uriIn(JOSS, 'paper.bib');
  const text = fs.readFileSync(path.join(JOSS, 'paper.md'), 'utf8');

  before(async () => {
    client = await LspClient.start({ rootUri: pathToFileURL(JOSS).href, initializationOptions: { formatTimeoutMs: 30000 } });
  });
  after(async () => {
    await client?.stop();
  });

  it('flags the unknown key with the nearest key as a quick fix, and the entry without author or year', async () => {
    const bibDiagnostics = client.nextDiagnostics(bibUri);
    const ds = await client.open(paperUri, text);
    assert.deepEqual(summary(ds), [
      "22:3 unknown-key Unknown citation key 'Pedregosa2012'; did you mean 'Pedregosa2011'?",
      "28:9 incomplete-entry 'astropy' is cited with its authors and year, but its entry in paper.bib has no author or editor and no year or date.",
    ]);
    const key = ds.find((d) => d.code === 'unknown-key')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: paperUri }, range: key.range, context: { diagnostics: [key] } });
    const fix = actions.find((a) => a.title === "Change to 'Pedregosa2011'")!;
    assert.ok(fix?.isPreferred, JSON.stringify(actions.map((a) => a.title)));
    const edits = (fix.edit!.documentChanges![0] as { edits: { range: unknown; newText: string }[] }).edits;
    assert.deepEqual(edits, [{ range: key.range, newText: 'Pedregosa2011' }]);

    // On paper.bib itself: the entry no document cites, as information.
    const onBib = (await bibDiagnostics).diagnostics;
    assert.deepEqual(summary(onBib), ['34:1 uncited-reference Virtanen et al. 2020 is never cited.']);
    assert.equal(onBib[0].severity, 3);
  });

  it('shows a key citation\'s entry formatted in APA, with the DOI as a link', async () => {
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: paperUri }, position: find(text, '[@Harris2020]', 3) });
    assert.equal(
      hoverText(h),
      'Harris, C. R., Millman, K. J., & van der Walt, S. J. (2020). Array programming with NumPy. *Nature*, *585*(7825), 357–362. ' +
        '[https://doi.org/10.1038/s41586-020-2649-2](https://doi.org/10.1038/s41586-020-2649-2) (paper.bib)',
    );
    // A narrative `@key` too.
    const n = await client.request<Hover>('textDocument/hover', { textDocument: { uri: paperUri }, position: find(text, '@Pedregosa2011', 2) });
    assert.match(hoverText(n), /^Pedregosa, F\., Varoquaux, G\., Gramfort, A\., Michel, V\., & Thirion, B\. \(2011\)\. Scikit-learn: Machine Learning in Python\. \*Journal of Machine Learning Research\*, \*12\*, 2825–2830\. \(paper\.bib\)$/);
  });

  it('shows the entry in the citation style the settings name: a built-in one or a .csl file', async () => {
    await client.setSettings({ citationStyle: 'vancouver' });
    const at = { textDocument: { uri: paperUri }, position: find(text, '[@Harris2020]', 3) };
    assert.match(hoverText(await client.request<Hover>('textDocument/hover', at)), /^Harris CR, Millman KJ, van der Walt SJ\. Array programming with NumPy\. Nature\. 2020;585\(7825\):357–62\./);
    await client.setSettings({ citationStyle: path.join(FIXTURES, 'bib', 'minimal.csl') });
    try {
      assert.equal(
        hoverText(await client.request<Hover>('textDocument/hover', at)),
        'REF: Harris, C.R.; Millman, K.J.; and Walt, S.J. van der \\[2020\\] \\<\\<Array programming with NumPy\\>\\>. ' +
          '[https://doi.org/10.1038/s41586-020-2649-2](https://doi.org/10.1038/s41586-020-2649-2) (paper.bib)',
      );
    } finally {
      await client.setSettings({});
    }
  });

  it('completes keys after [@ found by author, year or title words, each with its formatted entry', async () => {
    const v = await client.change(paperUri, [{ range: { start: { line: 28, character: 0 }, end: { line: 28, character: 0 } }, text: 'See [@nump' }]);
    await client.diagnosticsFor(paperUri, v);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: paperUri }, position: { line: 28, character: 10 } });
    assert.deepEqual(list.items.map((i) => i.label), ['Harris2020']);
    const item = list.items[0];
    assert.match(item.filterText!, /^Harris2020 Charles R\. Harris K\. Jarrod Millman Stéfan J\. van der Walt 2020 Array programming with NumPy$/);
    assert.match(docText(item), /^Harris, C\. R\., Millman, K\. J\., & van der Walt, S\. J\. \(2020\)\. Array programming with NumPy\./);

    const v2 = await client.change(paperUri, [{ range: { start: { line: 28, character: 6 }, end: { line: 28, character: 10 } }, text: '' }]);
    await client.diagnosticsFor(paperUri, v2);
    const all = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: paperUri }, position: { line: 28, character: 6 } });
    assert.deepEqual(all.items.map((i) => i.label), ['astropy', 'Gelman2013', 'Harris2020', 'Pedregosa2011', 'Virtanen2020']);
    // Resolving an item gives its formatted entry.
    const resolved = await client.request<CompletionItem>('completionItem/resolve', all.items.find((i) => i.label === 'Virtanen2020'));
    assert.match(docText(resolved), /^Virtanen, P\., Gommers, R\., & Oliphant, T\. E\. \(2020\)\. SciPy 1\.0: .*\[https:\/\/doi\.org\/10\.1038\/s41592-019-0686-2\]/);
    const v3 = await client.change(paperUri, [{ range: { start: { line: 28, character: 0 }, end: { line: 28, character: 6 } }, text: '' }]);
    await client.diagnosticsFor(paperUri, v3);
  });

  it('counts an entry as cited when any open document that uses the .bib cites it', async () => {
    // (Publications on paper.bib follow each document's check: wait for the one that reflects the change.)
    const next = client.nextDiagnostics(bibUri, (p) => p.diagnostics.length === 0);
    const appendix = uriIn(JOSS, 'appendix.md');
    await client.open(appendix, '---\nbibliography: paper.bib\n---\n\nThe solvers come from SciPy [@Virtanen2020].\n');
    assert.deepEqual((await next).diagnostics, []);
    const again = client.nextDiagnostics(bibUri, (p) => p.diagnostics.length > 0);
    await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: appendix } });
    assert.deepEqual(summary((await again).diagnostics), ['34:1 uncited-reference Virtanen et al. 2020 is never cited.']);
  });

  it('reads an open .bib from the editor: its problems on it, its edits in the paper\'s check', async () => {
    const bibText = fs.readFileSync(path.join(JOSS, 'paper.bib'), 'utf8');
    const edited = bibText + '\n@article{Harris2020,\n  title = {Again},\n  author = {Harris, C.},\n  year = 2020\n}\n\n@book{Pedregosa2012, title = {A second scikit-learn}, author = {Pedregosa, Fabian}, year = {2012}}\n';
    const paperNext = client.nextDiagnostics(paperUri, (p) => !p.diagnostics.some((d) => d.code === 'unknown-key'));
    const bibNext = client.nextDiagnostics(bibUri, (p) => p.version === 1 && p.diagnostics.length === 2);
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: bibUri, languageId: 'bibtex', version: 1, text: edited } });
    // The paper is checked against the editor's text: Pedregosa2012 is now a key.
    const ds = (await paperNext).diagnostics;
    assert.deepEqual(ds.map((d) => d.code), ['incomplete-entry']);
    // On the .bib: its duplicate key (a warning), and the entry still uncited.
    const onBib = (await bibNext).diagnostics;
    assert.deepEqual(onBib.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.severity}`).sort(), [
      '34:1 uncited-reference 3',
      '44:10 bibliography-duplicate-key 2',
    ]);
    assert.match(String(onBib.find((d) => d.code === 'bibliography-duplicate-key')!.message), /Harris2020/);
    const closed = client.nextDiagnostics(paperUri, (p) => p.diagnostics.some((d) => d.code === 'unknown-key'));
    await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: bibUri } });
    assert.deepEqual((await closed).diagnostics.map((d) => d.code).sort(), ['incomplete-entry', 'unknown-key']);
  });
});

describe('language server: where bibliographies come from, and a large one', function () {
  this.timeout(120000);
  let dir: string;
  let client: LspClient;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-bibs-'));
    fs.mkdirSync(path.join(dir, 'book', 'chapters'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'bibs', 'extra'), { recursive: true });
    fs.copyFileSync(path.join(JOSS, 'paper.bib'), path.join(dir, 'book', 'main.bib'));
    fs.writeFileSync(path.join(dir, 'book', '_quarto.yml'), 'project:\n  type: book\nbibliography: main.bib\n');
    fs.writeFileSync(path.join(dir, 'bibs', 'extra', 'more.bib'), '@book{knuth1984, author = {Knuth, Donald E.}, title = {The {\\TeX}book}, publisher = {Addison-Wesley}, year = {1984}}\n');
    // 10,000 entries, and one the paper cites at the end.
    const big = generateBib(10000) + '@article{target2021,\n  author = {Target, Tamsin},\n  title = {Finding the Last Entry},\n  journal = {Journal of Large Files},\n  year = {2021},\n  doi = {10.5555/target}\n}\n';
    fs.writeFileSync(path.join(dir, 'big.bib'), big);
    client = await LspClient.start({ rootUri: pathToFileURL(dir).href, initializationOptions: { formatTimeoutMs: 30000 } });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the bibliography of the _quarto.yml of the document\'s project', async () => {
    const uri = uriIn(dir, 'book/chapters/intro.qmd');
    const ds = await client.open(uri, '# Intro\n\nArrays [@Harris2020] and models [@Gelman2031].\n', 'quarto');
    assert.deepEqual(summary(ds), ["3:35 unknown-key Unknown citation key 'Gelman2031'; did you mean 'Gelman2013'?"]);
  });

  it('expands globs in citecheck.bibliographies', async () => {
    const uri = uriIn(dir, 'notes.md');
    const text = 'As shown in [@knuth1984] and [@Harris2020].\n';
    const first = await client.open(uri, text);
    assert.deepEqual(first, []); // no bibliography: key citations are not checked
    const next = client.nextDiagnostics(uri);
    await client.setSettings({ bibliographies: ['bibs/**/*.bib', 'book/*.bib'] });
    assert.deepEqual((await next).diagnostics, []);
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: find(text, 'knuth1984', 1) });
    assert.equal(hoverText(h), 'Knuth, D. E. (1984). *The TeXbook*. Addison-Wesley. (more.bib)');
    await client.setSettings({});
  });

  it('keeps answering while a 10,000-entry .bib is read in the background, with progress', async function () {
    const uri = uriIn(dir, 'big-paper.md');
    const text = '---\nbibliography: big.bib\n---\n\nThe last entry [@target2021] and a typo [@target2012].\n';
    const diagnostics = client.diagnosticsFor(uri, 1);
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    await client.waitProgress((p) => p.value.kind === 'begin' && /big\.bib/.test(p.value.message ?? ''));
    const begun = client.progress.find((p) => p.value.kind === 'begin' && /big\.bib/.test(p.value.message ?? ''))!;
    // While it is read, a hover on the paper answers at once (the server is not blocked).
    const t0 = Date.now();
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: find(text, 'target2021', 1) });
    const took = Date.now() - t0;
    const ended = client.progress.find((p) => p.token === begun.token && p.value.kind === 'end');
    assert.ok(took < 500, `hover took ${took} ms`);
    if (!ended || ended.at > t0 + took) assert.match(hoverText(h), /Still reading `big\.bib`/);
    // Once read: the typo is found, the cited entry is shown formatted.
    const ds = (await diagnostics).diagnostics;
    assert.deepEqual(summary(ds), ["5:43 unknown-key Unknown citation key 'target2012'; did you mean 'target2021'?"]);
    await client.waitProgress((p) => p.token === begun.token && p.value.kind === 'end');
    const h2 = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: find(text, 'target2021', 1) });
    assert.equal(hoverText(h2), 'Target, T. (2021). Finding the Last Entry. *Journal of Large Files*. [https://doi.org/10.5555/target](https://doi.org/10.5555/target) (big.bib)');
    // Its problems and uncited entries go on big.bib, at most 500.
    const onBig = client.published.filter((p) => p.uri === uriIn(dir, 'big.bib')).pop();
    assert.ok(onBig && onBig.diagnostics.length === 500, String(onBig?.diagnostics.length));
  });

  it('shows the problems of an open .bib that no document uses', async () => {
    const uri = uriIn(dir, 'bibs/broken.bib');
    const text = fs.readFileSync(path.join(FIXTURES, 'bib', 'broken.bib'), 'utf8');
    const ds = await client.open(uri, text, 'bibtex');
    assert.ok(ds.length > 0);
    for (const d of ds) assert.match(String(d.code), /^bibliography-/);
    assert.ok(ds.some((d) => d.severity === 1), JSON.stringify(ds.map((d) => [d.code, d.severity])));
  });

  it('reads a .bib again when it changes on disk', async () => {
    const uri = uriIn(dir, 'big-paper.md');
    const big = path.join(dir, 'big.bib');
    fs.appendFileSync(big, '@misc{target2012, author = {Target, Tamsin}, title = {Early Work}, year = {2012}}\n');
    // (A check of the paper begun before, e.g. for the .bib opened above, may still publish the old
    // finding: wait for the publication that reflects the change.)
    const next = client.nextDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'unknown-key'));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriIn(dir, 'big.bib'), type: 2 }] });
    assert.deepEqual((await next).diagnostics, []);
  });
});

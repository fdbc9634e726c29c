/**
 * A bibliography's uncited entries across every file of a document: a thesis whose chapters all
 * name `refs.bib`, only one of them open. The closed chapters are read from disk, a chapter with
 * no citations takes no part, a chapter changed on disk is read again, and an open chapter counts
 * in its editor's version. The real server over stdio, on real files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const BIB = [
  '@book{a, author = {Alpha, Ann}, title = {First Book}, publisher = {Press}, year = {2001}}',
  '@book{b, author = {Beta, Ben}, title = {Second Book}, publisher = {Press}, year = {2002}}',
  '@book{c, author = {Gamma, Gus}, title = {Third Book}, publisher = {Press}, year = {2003}}',
  '',
].join('\n');

const chapter = (body: string) => `---\nbibliography: refs.bib\n---\n\n${body}\n`;

function uncited(ds: Diagnostic[]): string[] {
  return ds.filter((d) => d.code === 'uncited-reference').map((d) => `${d.range.start.line + 1} ${d.message}`).sort();
}

describe('language server: uncited bibliography entries across the workspace\'s files', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;
  const uri = (name: string) => pathToFileURL(path.join(dir, name)).href;

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-thesis-')));
    fs.writeFileSync(path.join(dir, 'refs.bib'), BIB);
    fs.writeFileSync(path.join(dir, 'ch1.md'), chapter('# One\n\nAs first shown [@a].'));
    fs.writeFileSync(path.join(dir, 'ch2.md'), chapter('# Two\n\nThen again [@b].'));
    // Uses the bibliography but cites nothing: says nothing about which entries are cited.
    fs.writeFileSync(path.join(dir, 'notes.md'), chapter('# Notes\n\nTo do: more reading.'));
    // Not looked at: hidden folders and node_modules.
    fs.mkdirSync(path.join(dir, '.hidden'));
    fs.writeFileSync(path.join(dir, '.hidden', 'old.md'), chapter('Old draft [@c].'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'node_modules', 'readme.md'), chapter('A package [@c].'));
    client = await LspClient.start({ rootUri: pathToFileURL(dir).href });
  });
  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports on the .bib only the entry no chapter cites, closed chapters included', async () => {
    const onBib = client.nextDiagnostics(uri('refs.bib'));
    const ds = await client.open(uri('ch1.md'), fs.readFileSync(path.join(dir, 'ch1.md'), 'utf8'));
    assert.deepEqual(ds, []);
    // The first publication on refs.bib already counts the closed ch2.md (b is cited there).
    const first = (await onBib).diagnostics;
    assert.deepEqual(uncited(first), ['3 Gamma 2003 is never cited.']);
    assert.equal(first.length, 1);
    assert.equal(first[0].severity, 3);
  });

  it('reads a closed chapter again when it changes on disk', async () => {
    fs.writeFileSync(path.join(dir, 'ch2.md'), chapter('# Two\n\nThen again [@b], and later [@c].'));
    const next = client.nextDiagnostics(uri('refs.bib'));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('ch2.md'), type: 2 }] });
    assert.deepEqual((await next).diagnostics, []);
  });

  it('counts an open chapter in its editor\'s version, and the disk\'s again once it is closed', async () => {
    // Opened with unsaved text that no longer cites c: c is uncited again.
    const again = client.nextDiagnostics(uri('refs.bib'), (p) => p.diagnostics.length > 0);
    await client.open(uri('ch2.md'), chapter('# Two\n\nThen again [@b].'));
    assert.deepEqual(uncited((await again).diagnostics), ['3 Gamma 2003 is never cited.']);
    // Closed without saving: the file on disk (which cites c) counts again.
    const back = client.nextDiagnostics(uri('refs.bib'));
    await client.close(uri('ch2.md'));
    assert.deepEqual((await back).diagnostics, []);
  });

  it('counts a chapter created on disk, and forgets a deleted one', async () => {
    // ch2.md cites b and c; ch1.md (open) a. Without ch2.md, b and c are uncited.
    const gone = client.nextDiagnostics(uri('refs.bib'), (p) => p.diagnostics.length > 0);
    fs.rmSync(path.join(dir, 'ch2.md'));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('ch2.md'), type: 3 }] });
    assert.deepEqual(uncited((await gone).diagnostics), ['2 Beta 2002 is never cited.', '3 Gamma 2003 is never cited.']);
    const sub = path.join(dir, 'part2');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'ch3.qmd'), '---\nbibliography: ../refs.bib\n---\n\nLast [@b; @c].\n');
    const back = client.nextDiagnostics(uri('refs.bib'));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(sub, 'ch3.qmd')).href, type: 1 }] });
    assert.deepEqual((await back).diagnostics, []);
  });
});

describe('language server: workspace folders added and removed after start-up', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;
  const folder = (name: string) => ({ uri: pathToFileURL(path.join(dir, name)).href, name });
  const bibUri = () => pathToFileURL(path.join(dir, 'refs.bib')).href;

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-folders-')));
    fs.writeFileSync(path.join(dir, 'refs.bib'), BIB);
    for (const sub of ['one', 'two']) fs.mkdirSync(path.join(dir, sub));
    fs.writeFileSync(path.join(dir, 'one', 'ch1.md'), '---\nbibliography: ../refs.bib\n---\n\nAs first shown [@a].\n');
    fs.writeFileSync(path.join(dir, 'two', 'ch2.md'), '---\nbibliography: ../refs.bib\n---\n\nThen [@b], and later [@c].\n');
    client = await LspClient.start({ rootUri: folder('one').uri, workspaceFolders: [folder('one')] });
  });
  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts the closed chapters of a folder added to the workspace, and forgets them when it is removed', async () => {
    // Only `one` is a folder of the workspace: the closed ch2.md in `two` is not looked at.
    const first = client.nextDiagnostics(bibUri(), (p) => p.diagnostics.length > 0);
    const ds = await client.open(folder('one').uri + '/ch1.md', fs.readFileSync(path.join(dir, 'one', 'ch1.md'), 'utf8'));
    assert.deepEqual(ds, []);
    assert.deepEqual(uncited((await first).diagnostics), ['2 Beta 2002 is never cited.', '3 Gamma 2003 is never cited.']);
    // `two` added: its chapter cites b and c.
    const added = client.nextDiagnostics(bibUri(), (p) => p.diagnostics.length === 0);
    await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder('two')], removed: [] } });
    assert.deepEqual((await added).diagnostics, []);
    // `two` removed again: b and c are uncited again.
    const removed = client.nextDiagnostics(bibUri(), (p) => p.diagnostics.length > 0);
    await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder('two')] } });
    assert.deepEqual(uncited((await removed).diagnostics), ['2 Beta 2002 is never cited.', '3 Gamma 2003 is never cited.']);
  });
});

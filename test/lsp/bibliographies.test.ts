/**
 * Entries from outside the document — a .bib named in front matter, `citecheck.bibliographies`,
 * `citecheck.referenceFiles` — and requests overtaken by edits.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionList, Diagnostic, Hover, LocationLink } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../helpers/paths';
import { find, LspClient } from './lspClient';

const DIR = path.join(FIXTURES, 'lsp');
const uriOf = (name: string) => pathToFileURL(path.join(DIR, name)).href;
const read = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');

function hoverText(h: Hover | null): string {
  const c = h?.contents as { value?: string } | undefined;
  return c?.value ?? '';
}

function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => `${d.range.start.line}:${d.code}`).sort();
}

describe('language server: bibliography files', function () {
  let client: LspClient;
  before(async () => {
    // Wait for citation-js however slow the machine (the editor's default falls back to the entry as read after 2.5 s).
    client = await LspClient.start({ rootUri: pathToFileURL(DIR).href, initializationOptions: { formatTimeoutMs: 30000 } });
  });
  after(async () => {
    await client?.stop();
  });

  it('checks key and author-year citations against the .bib the front matter names', async () => {
    const uri = uriOf('paper-with-bib.md');
    const text = read('paper-with-bib.md');
    const ds = await client.open(uri, text);
    assert.deepEqual(codes(ds), ['5:unknown-key', '5:year-mismatch']);
    const key = ds.find((d) => d.code === 'unknown-key')!;
    assert.match(String(key.message), /nye2023.*did you mean 'nye2024'/);
    const year = ds.find((d) => d.code === 'year-mismatch')!;
    assert.match(String(year.message), /Kim 2015 \(in refs\.bib\)/);
    // The related entry is in the .bib, at its own line.
    assert.equal(year.relatedInformation![0].location.uri, uriOf('refs.bib'));
    assert.equal(year.relatedInformation![0].location.range.start.line, 0);

    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: find(text, '@kim2015', 2) });
    // The entry as citation-js formats it in the default style (APA), and where it is.
    assert.equal(hoverText(h), 'Kim, D.-H. (2015). *Korea’s Economic Development*. History Space. (refs.bib)');

    const def = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: find(text, 'Nye (2024)', 1) });
    assert.equal(def[0].targetUri, uriOf('refs.bib'));
    assert.equal(def[0].targetRange.start.line, 7);
  });

  it('completes keys after [@', async () => {
    const uri = uriOf('paper-with-bib.md');
    const text = read('paper-with-bib.md');
    const at = find(text, '[@kim2015]', 2);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: at });
    assert.deepEqual(list.items.map((i) => i.label), ['kim2015', 'nye2024']);
    assert.equal(list.items[0].detail, 'Kim 2015 (refs.bib)');
  });

  it('reports a bibliography the document names that does not exist', async () => {
    const uri = uriOf('missing-bib.md');
    const text = '---\nbibliography: not-here.bib\n---\n\nText (Kim 2015).\n';
    const ds = await client.open(uri, text);
    const d = ds.find((x) => x.code === 'missing-bibliography')!;
    assert.ok(d, JSON.stringify(ds));
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 1, character: 14 }, end: { line: 1, character: 26 } });
    assert.match(String(d.message), /'not-here\.bib' not found/);
  });

  it('uses citecheck.bibliographies and citecheck.referenceFiles from the settings', async () => {
    const uri = uriOf('chapter.md');
    const text = read('chapter.md');
    // Without settings the chapter has no reference list: nothing to check against.
    assert.deepEqual(await client.open(uri, text), []);
    const next = client.nextDiagnostics(uri);
    await client.setSettings({ referenceFiles: ['references.md'] }, 'null');
    const ds = (await next).diagnostics;
    assert.deepEqual(codes(ds), ['2:year-mismatch']);
    const def = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: find(text, 'Kim 2015', 1) });
    assert.equal(def[0].targetUri, uriOf('references.md'));
    assert.equal(def[0].targetRange.start.line, 2);
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: find(text, 'Kim 2015', 1) });
    assert.match(hoverText(h), /^Kim, DH\. 2015\. Korea's economic development\. Seoul: History Space\. \(references\.md\)$/);

    // Editing the reference list in the editor re-checks the chapter against the unsaved text.
    const refsUri = uriOf('references.md');
    const refsText = read('references.md');
    await client.open(refsUri, refsText);
    const nextEdit = client.nextDiagnostics(uri);
    await client.change(refsUri, [{ text: refsText.replace('Nye, Joseph S. 2024.', 'Nye, Joseph S. 2023.') }]);
    assert.deepEqual((await nextEdit).diagnostics, []);
    // Closing it unsaved goes back to the file on disk: the year differs again.
    const nextClose = client.nextDiagnostics(uri);
    await client.close(refsUri);
    assert.deepEqual(codes((await nextClose).diagnostics), ['2:year-mismatch']);

    const next2 = client.nextDiagnostics(uri);
    await client.setSettings({ bibliographies: ['refs.bib'] }, 'null');
    const ds2 = (await next2).diagnostics;
    // refs.bib has Nye 2024 and Kim 2015 too: the same finding, now against the .bib.
    assert.deepEqual(codes(ds2), ['2:year-mismatch']);
    assert.match(String(ds2[0].message), /Nye 2024 \(in refs\.bib\)/);

    // A configured file that is not there is said once in the server's log, not as a diagnostic.
    const next3 = client.nextDiagnostics(uri);
    await client.setSettings({ bibliographies: ['nowhere/refs.bib'] }, 'null');
    assert.deepEqual((await next3).diagnostics, []);
    assert.ok(client.logs.some((l) => l.includes("the configured file 'nowhere/refs.bib' not found")), client.logs.join('\n'));
    await client.setSettings({}, 'null');
  });
});

describe('language server: a request overtaken by an edit', function () {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client?.stop();
  });

  it('answers ContentModified when the document changes while the request waits, and publishes only the newer version', async () => {
    const uri = 'file:///work/paper/overtaken.md';
    const text = 'Growth came from Japan (Kim 2016).\n\n## References\n\nKim, DH. 2015. Growth. Seoul: Press.\n';
    assert.deepEqual(codes(await client.open(uri, text)), ['0:year-mismatch']);
    // Keep the next analysis waiting on the settings the server asks for after a configuration change.
    const hold = client.holdConfiguration();
    await client.setSettings({}, 'null');
    await hold.requested;
    const pending = client.request('textDocument/hover', { textDocument: { uri }, position: find(text, 'Kim 2016', 1) });
    const published = client.published.length;
    const v2 = await client.change(uri, [{ range: { start: { line: 0, character: 28 }, end: { line: 0, character: 32 } }, text: '2015' }]);
    hold.release();
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32801);
    const after = await client.diagnosticsFor(uri, v2);
    assert.deepEqual(after.diagnostics, []);
    // Nothing was published for version 1 once version 2 had come in.
    assert.deepEqual(client.published.slice(published).filter((p) => p.uri === uri).map((p) => p.version), [v2]);
  });
});

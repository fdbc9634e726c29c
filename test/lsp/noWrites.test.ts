/**
 * The language server never writes a file: started in a temporary copy of the fixtures (its
 * working directory and workspace folder), it checks, hovers, completes, offers fixes and renames
 * there — and afterwards every file and folder is as it was, to the millisecond. (The CLI's side
 * is in test/cli/cli.test.ts.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES } from '../helpers/paths';
import { LspClient } from './lspClient';

/** Every entry under `dir`: relative path, kind, size and mtime. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      const st = fs.statSync(p);
      out.push(`${path.relative(dir, p)} ${e.isDirectory() ? 'dir' : 'file'} ${e.isDirectory() ? '' : st.size} ${st.mtimeMs}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe('language server: never writes a file', function () {
  this.timeout(60_000);

  it('leaves a workspace of fixtures exactly as it was after a session of every request', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-nowrite-'));
    fs.cpSync(FIXTURES, dir, { recursive: true, preserveTimestamps: true });
    const before = tree(dir);
    assert.ok(before.length > 10);
    const client = await LspClient.start({ rootUri: pathToFileURL(dir).href, cwd: dir, settings: { bibliographies: ['bib/refs.json', 'bib/refs.ris', 'missing.bib'], referenceFiles: ['lsp/references.md'] } });
    try {
      const docs = ['rok-japan-working-paper.md', 'lsp/paper-with-bib.md', 'lsp/chapter.md', 'lsp/references.md'];
      for (const name of docs) {
        const uri = pathToFileURL(path.join(dir, name)).href;
        const text = fs.readFileSync(path.join(dir, name), 'utf8');
        const ds = await client.open(uri, text);
        const lines = text.split('\n');
        for (let line = 0; line < lines.length; line += 3) {
          const position = { line, character: Math.min(lines[line].length, 12) };
          const td = { textDocument: { uri }, position };
          await client.request('textDocument/hover', td);
          await client.request('textDocument/completion', td);
          await client.request('textDocument/definition', td);
          await client.request('textDocument/references', { ...td, context: { includeDeclaration: true } });
          await client.request('textDocument/prepareRename', td).catch(() => undefined);
          await client.request('textDocument/rename', { ...td, newName: 'Renamed' }).catch(() => undefined);
        }
        await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } }, context: { diagnostics: ds } });
        await client.request('textDocument/documentSymbol', { textDocument: { uri } });
        await client.request('textDocument/codeLens', { textDocument: { uri } });
        await client.changeAndWait(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'As Kim (2015) shows.\n\n' }]);
        await client.conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
      }
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'lsp/refs.bib')).href, type: 2 }] });
      await client.setSettings({ bibliographies: ['bib/refs.yaml'] });
      await client.request('citecheck/status', { uri: pathToFileURL(path.join(dir, 'lsp/chapter.md')).href });
    } finally {
      await client.stop();
    }
    assert.deepEqual(tree(dir), before);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

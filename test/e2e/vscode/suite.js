'use strict';
// Extension-host tests of citecheck in a real VS Code (issue 3). Run by index.js with
// mocha, inside code-server (../run-code-server.js) or a downloaded VS Code
// (runTest.js, @vscode/test-electron). The first workspace folder must hold a copy of
// test/fixtures/rok-japan-working-paper.md; the document is reverted at the end, so the
// workspace file is never changed. Waits poll for a condition; there are no fixed sleeps.
const assert = require('assert');
const vscode = require('vscode');

const FILE = process.env.CITECHECK_E2E_FILE || 'rok-japan-working-paper.md';
const EXTENSION_ID = 'citecheck.citecheck';
const MISMATCH_LINE = 29; // 0-based; line 30 of the paper: "(MIC 2024)", the list has MIC 2023

async function poll(fn, { timeoutMs = 30000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const codeOf = (d) => (d.code && typeof d.code === 'object' ? d.code.value : d.code);

function yearMismatch(uri) {
  return vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'year-mismatch' && d.range.start.line === MISMATCH_LINE);
}

/** Position of `needle` (+ delta characters) on a 0-based line; UTF-16 columns, as VS Code. */
function positionOf(doc, line, needle, delta = 0) {
  const col = doc.lineAt(line).text.indexOf(needle);
  assert.ok(col >= 0, `"${needle}" is not on line ${line + 1}`);
  return new vscode.Position(line, col + delta);
}

function hoverText(hovers) {
  const parts = [];
  for (const h of hovers || []) {
    for (const c of h.contents) parts.push(typeof c === 'string' ? c : c.value);
  }
  return parts.join('\n');
}

const label = (item) => (typeof item.label === 'string' ? item.label : item.label.label);

describe('citecheck in a real VS Code', function () {
  this.timeout(60000);
  let doc;
  let editor;
  let uri;

  before(async function () {
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    assert.ok(folder, 'no workspace folder is open');
    uri = vscode.Uri.joinPath(folder.uri, FILE);
    doc = await vscode.workspace.openTextDocument(uri);
    editor = await vscode.window.showTextDocument(doc, { preview: false });
  });

  after(async function () {
    // Leave the paper as it is on disk (the quick fix test changed it in the buffer), with
    // its diagnostics back, and the editor on the problem: the code-server driver takes
    // its screenshots from here.
    if (!doc) return;
    await vscode.window.showTextDocument(doc, { preview: false });
    if (doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
    if (doc.isDirty) {
      // The revert command acts on the active editor; should that not be ours, put the
      // file's own text back and save it (same bytes as before).
      const disk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), disk);
      await vscode.workspace.applyEdit(edit);
      await doc.save();
    }
    await poll(() => !doc.isDirty && yearMismatch(uri), { what: 'the year-mismatch diagnostic after revert' }).catch((e) => {
      const ds = vscode.languages.getDiagnostics(uri).map((d) => [d.range.start.line + 1, codeOf(d)]);
      const at = doc.lineAt(MISMATCH_LINE).text;
      throw new Error(`${e.message}; dirty=${doc.isDirty} version=${doc.version} line 30 has ${JSON.stringify(at.slice(at.indexOf('(MIC')))}; diagnostics ${JSON.stringify(ds)}`);
    });
  });

  it('activates the citecheck extension for a Markdown file', async function () {
    assert.strictEqual(doc.languageId, 'markdown');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
    await poll(() => ext.isActive, { what: `${EXTENSION_ID} to activate` });
  });

  // Set by run-vsix.js: the extension must be the one code-server installed from the .vsix
  // (the bundled dist/), not a link to the repository.
  if (process.env.CITECHECK_E2E_EXPECT_VSIX) {
    it('runs the extension installed from the .vsix, not the repository', function () {
      const fs = require('fs');
      const path = require('path');
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
      const real = fs.realpathSync(ext.extensionPath);
      const repo = fs.realpathSync(path.resolve(__dirname, '..', '..', '..'));
      assert.ok(!real.startsWith(repo + path.sep) && real !== repo, `${ext.extensionPath} is the repository (${real})`);
      assert.ok(fs.existsSync(path.join(real, '.vsixmanifest')), `${real} has no .vsixmanifest: not installed from a .vsix`);
      assert.strictEqual(ext.packageJSON.main, './dist/extension.js');
      assert.ok(fs.existsSync(path.join(real, 'dist', 'server.js')), `${real}/dist/server.js missing`);
      const want = process.env.CITECHECK_E2E_EXPECT_VSIX;
      if (want !== '1') assert.strictEqual(path.dirname(real), fs.realpathSync(want), 'installed into another extensions dir');
    });
  }

  it('reports the year-mismatch of (MIC 2024) on line 30', async function () {
    const d = await poll(() => yearMismatch(uri), { timeoutMs: 45000, what: 'the year-mismatch diagnostic on line 30' });
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    const covered = doc.getText(d.range);
    assert.ok(/2024/.test(covered), `the diagnostic's range should cover the cited year, covers ${JSON.stringify(covered)}`);
    const codes = vscode.languages.getDiagnostics(uri).map(codeOf);
    assert.ok(!codes.includes('unresolved-citation'), `unexpected unresolved citations: ${JSON.stringify(codes)}`);
  });

  it('hovers (Kim 2015) with the reference entry as written', async function () {
    const pos = positionOf(doc, 7, 'Kim 2015)', 2);
    const text = await poll(
      async () => {
        const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, pos));
        return t.includes('Kim, DH. 2015') && t;
      },
      { timeoutMs: 15000, what: 'a hover with "Kim, DH. 2015"' },
    ).catch(async (e) => {
      const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, pos));
      throw new Error(`${e.message}; last hover: ${JSON.stringify(t)}`);
    });
    assert.ok(text.includes('line 50'), `hover should say where the entry is: ${JSON.stringify(text)}`);
  });

  it('completes (Ki with Kim 2015, Kimiya 2021 and Kissinger and Allison 2023', async function () {
    const line = 8; // running text without citations
    const end = doc.lineAt(line).range.end;
    assert.ok(await editor.edit((b) => b.insert(end, ' (Ki')), 'edit failed');
    const pos = end.translate(0, 4);
    try {
      assert.strictEqual(doc.getText(new vscode.Range(end, pos)), ' (Ki');
      const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, pos);
      const labels = list.items.map(label);
      for (const want of ['Kim 2015', 'Kimiya 2021', 'Kissinger and Allison 2023']) {
        assert.ok(labels.includes(want), `completion lacks ${JSON.stringify(want)}: ${JSON.stringify(labels)}`);
      }
      const kim = list.items.find((i) => label(i) === 'Kim 2015');
      const insert = typeof kim.insertText === 'string' ? kim.insertText : kim.insertText && kim.insertText.value;
      assert.ok(!insert || insert.includes('Kim 2015'), `Kim 2015 inserts ${JSON.stringify(insert)}`);
    } finally {
      assert.ok(await editor.edit((b) => b.delete(new vscode.Range(end, pos))), 'undoing the edit failed');
    }
  });

  it('fixes 2024 -> 2023 with the quick fix, and the diagnostic goes away', async function () {
    const d = await poll(() => yearMismatch(uri), { what: 'the year-mismatch diagnostic' });
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const describe = (a) => ({ title: a.title, kind: a.kind && a.kind.value, preferred: a.isPreferred, edit: !!a.edit, diagnostics: (a.diagnostics || []).map(codeOf) });
    const isQuickFix = (a) => a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind);
    const fixes = (actions || []).filter((a) => a.edit && isQuickFix(a) && !/^ignore/i.test(a.title));
    const fix = fixes.find((a) => a.isPreferred) || fixes.find((a) => /2023/.test(a.title)) || fixes[0];
    assert.ok(fix, `no quick fix for the year-mismatch; actions: ${JSON.stringify((actions || []).map(describe))}`);
    assert.ok(/2023/.test(fix.title), `quick fix title should name 2023: ${JSON.stringify(describe(fix))}`);
    // (vscode.executeCodeActionProvider drops the actions' diagnostics, so they are not checked)
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit failed');
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments || []));
    const text = doc.lineAt(MISMATCH_LINE).text;
    assert.ok(text.includes('(MIC 2023)'), `line 30 should now cite (MIC 2023): …${text.slice(text.indexOf('MIC') - 20, text.indexOf('MIC') + 20)}…`);
    assert.ok(!text.includes('MIC 2024'), 'line 30 still has MIC 2024');
    await poll(() => !yearMismatch(uri), { what: 'the year-mismatch diagnostic to go away' });
  });
});

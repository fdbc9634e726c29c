/**
 * The language server as an editor sees it: started over stdio, driven by a real JSON-RPC
 * client, on the real working paper (test/fixtures/rok-japan-working-paper.md).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentHighlight,
  DocumentSymbol,
  Hover,
  Location,
  LocationLink,
  TextDocumentContentChangeEvent,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { FIXTURES } from '../helpers/paths';
import { find, LspClient } from './lspClient';

const PAPER = fs.readFileSync(path.join(FIXTURES, 'rok-japan-working-paper.md'), 'utf8');
const URI = 'file:///work/paper/rok-japan-working-paper.md';

function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents as { value?: string } | string;
  return typeof c === 'string' ? c : c.value ?? '';
}

/** A workspace edit's edits for one document, as didChange events (last first, so each stays valid). */
function asChanges(edit: WorkspaceEdit | undefined, uri: string): TextDocumentContentChangeEvent[] {
  let edits: TextEdit[] = [];
  if (edit?.documentChanges) {
    for (const dc of edit.documentChanges) if ('textDocument' in dc && dc.textDocument.uri === uri) edits.push(...(dc.edits as TextEdit[]));
  } else if (edit?.changes?.[uri]) edits = edit.changes[uri];
  return [...edits]
    .sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)
    .map((e) => ({ range: e.range, text: e.newText }));
}

function summary(ds: Diagnostic[]): string[] {
  return ds.map((d) => `${d.range.start.line}:${d.code}`).sort();
}

describe('language server over stdio', function () {
  let client: LspClient;
  let initial: Diagnostic[];

  before(async () => {
    client = await LspClient.start();
    initial = await client.open(URI, PAPER);
  });
  after(async () => {
    await client?.stop();
  });

  it('publishes the paper\'s three problems, the year mismatch on line 30 first among them', () => {
    assert.deepEqual(summary(initial), ['29:year-mismatch', '47:reference-order', '57:uncited-reference']);
    const d = initial.find((x) => x.code === 'year-mismatch')!;
    assert.equal(d.source, 'citecheck');
    assert.equal(d.severity, 1);
    const lines = PAPER.split('\n');
    assert.equal(lines[29].slice(d.range.start.character, d.range.end.character), '2024');
    assert.match(typeof d.message === 'string' ? d.message : d.message.value, /MIC 2023/);
    // Related information points at the MIC entry (line 55, 0-based 54).
    assert.equal(d.relatedInformation?.[0].location.range.start.line, 54);
    // The fixes travel with the diagnostic.
    const data = d.data as { fixes: { title: string; edits: TextEdit[] }[] };
    assert.equal(data.fixes[0].edits[0].newText, '2023');
  });

  it('hover on (Kim 2015) shows the entry as written, with its line', async () => {
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: find(PAPER, 'Kim 2015)', 1) });
    const text = hoverText(h);
    assert.match(text, /^Kim, DH\. 2015\. “Korea’s economic development/);
    assert.match(text, /\(line 50\)$/);
  });

  it('hover on a near miss says what the list has instead and why it does not match', async () => {
    const text = hoverText(await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: find(PAPER, 'MIC 2024', 5) }));
    assert.match(text, /the year differs \(cited \*\*2024\*\*, listed \*\*2023\*\*\)/);
    assert.match(text, /Ministry of Internal Affairs and Communication: MIC\. 2023\./);
    assert.match(text, /\(line 55\)/);
  });

  it('hover on an entry tells how often and where it is cited', async () => {
    const kim = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: find(PAPER, 'Kim, DH. 2015', 2) });
    assert.match(hoverText(kim), /\*\*Kim 2015\*\* is cited once: line 8 `Kim 2015`/);
    const uncited = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: find(PAPER, '______. 2023b', 2) });
    assert.match(hoverText(uncited), /Office of the President 2023b\*\* is not cited/);
    const near = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: find(PAPER, 'Communication: MIC', 3) });
    assert.match(hoverText(near), /not cited[\s\S]*line 30 `MIC 2024` \(year differs\)/);
  });

  it('go to definition from a citation lands on its entry', async () => {
    const links = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: URI }, position: find(PAPER, 'Kim 2015)', 2) });
    assert.equal(links.length, 1);
    assert.equal(links[0].targetUri, URI);
    assert.equal(links[0].targetRange.start.line, 49);
    assert.equal(links[0].targetSelectionRange.start.line, 49);
    // `Office of the President 2023c` is a `______.` entry three lines below the name.
    const office = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: URI }, position: find(PAPER, 'Office of the President 2023c', 3) });
    assert.equal(office[0].targetRange.start.line, 58);
  });

  it('find references from an entry lists every citation of it; highlight marks them', async () => {
    const entry = find(PAPER, 'Office of the President. 2023a', 3);
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: URI }, position: entry, context: { includeDeclaration: false } });
    assert.deepEqual(refs.map((r) => r.range.start.line), [20]);
    const withDecl = await client.request<Location[]>('textDocument/references', { textDocument: { uri: URI }, position: entry, context: { includeDeclaration: true } });
    assert.deepEqual(withDecl.map((r) => r.range.start.line).sort((a, b) => a - b), [20, 56]);
    const hl = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri: URI }, position: find(PAPER, 'Kissinger and Allison 2023', 2) });
    assert.deepEqual(hl.map((h) => [h.range.start.line, h.kind]).sort(), [[27, 2], [46, 3]]);
  });

  it('lists the reference list as document symbols', async () => {
    const syms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.equal(syms.length, 1);
    assert.equal(syms[0].name, 'References');
    assert.equal(syms[0].range.start.line, 41);
    const names = syms[0].children!.map((c) => c.name);
    assert.equal(names.length, 21);
    assert.equal(names[0], 'Abe 2015');
    assert.ok(names.includes('Kissinger and Allison 2023'));
    assert.ok(names.includes('Drezner et al. 2021'));
    assert.ok(names.includes('Office of the President 2023b'));
    assert.ok(names.includes('METI 2024'));
    const kim = syms[0].children!.find((c) => c.name === 'Kim 2015')!;
    assert.equal(kim.selectionRange.start.line, 49);
  });

  it('shows a code lens on each entry: cited n times / not cited', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.equal(lenses.length, 21);
    const at = (line: number) => lenses.find((l) => l.range.start.line === line)!.command!.title;
    assert.equal(at(49), 'cited once');
    assert.equal(at(57), 'not cited');
    assert.equal(at(54), 'not cited · 1 near miss');
    const kim = lenses.find((l) => l.range.start.line === 49)!;
    assert.equal(kim.command!.command, 'citecheck.showReferences');
    const locs = kim.command!.arguments![2] as Location[];
    assert.deepEqual(locs.map((l) => l.range.start.line), [7]);
  });

  it('answers citecheck/status with the counts for the status bar', async () => {
    const s = await client.request<{ citations: number; problems: number; errors: number; warnings: number; references: number }>('citecheck/status', { textDocument: { uri: URI } });
    assert.equal(s.citations, 20);
    assert.equal(s.references, 21);
    assert.equal(s.problems, 3);
    assert.equal(s.errors, 1);
    assert.equal(s.warnings, 1);
    assert.ok(client.statuses.length >= 1, 'a citecheck/statusChanged notification came with the diagnostics');
  });

  it('answers requests on unknown documents and malformed requests with nothing, and keeps working', async () => {
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere.md' }, position: { line: 0, character: 0 } }), null);
    assert.equal(await client.request('textDocument/hover', {}), null);
    assert.equal(await client.request('textDocument/codeLens', { textDocument: { uri: URI, bogus: true }, extra: [1, 2] }).then((r) => Array.isArray(r)), true);
    assert.equal(await client.request('textDocument/definition', { textDocument: { uri: URI }, position: { line: 10_000, character: -5 } }), null);
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: find(PAPER, 'Kim 2015)', 1) });
    assert.match(hoverText(h), /Kim, DH\. 2015/);
  });
});

describe('language server: completion', function () {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client?.stop();
  });

  it('typing (Ki offers Kim 2015, Kimiya 2021 and Kissinger and Allison 2023, with the entry as documentation', async () => {
    const uri = 'file:///work/paper/completion.md';
    await client.open(uri, PAPER);
    // Type ` (Ki` at the end of line 10 (0-based 9).
    const line = PAPER.split('\n')[9];
    const end = { line: 9, character: line.length };
    const diags = await client.changeAndWait(uri, [{ range: { start: end, end }, text: ' (Ki' }]);
    assert.ok(diags.length >= 3);
    const pos = { line: 9, character: line.length + 4 };
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: pos });
    const labels = list.items.map((i) => i.label);
    for (const want of ['Kim 2015', 'Kimiya 2021', 'Kissinger and Allison 2023']) assert.ok(labels.includes(want), `${want} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('Nye 2024'), 'entries that do not start with Ki are not offered');
    const kim = list.items.find((i) => i.label === 'Kim 2015')!;
    assert.match((kim.documentation as { value: string }).value, /^Kim, DH\. 2015\. “Korea’s economic development/);
    assert.equal(kim.detail, 'line 50');
    // It replaces what was typed after the parenthesis.
    const edit = kim.textEdit as TextEdit;
    assert.deepEqual(edit.range, { start: { line: 9, character: line.length + 2 }, end: pos });
    assert.match(kim.filterText!, /^Kim 2015 .*DH Kim.*Korea/);
  });

  it('offers all entries right after an opening parenthesis, and et al. for three authors', async () => {
    const uri = 'file:///work/paper/completion2.md';
    await client.open(uri, PAPER);
    const line = PAPER.split('\n')[9];
    const end = { line: 9, character: line.length };
    await client.changeAndWait(uri, [{ range: { start: end, end }, text: ' (see Nye 2024; ' }]);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 9, character: line.length + 16 } });
    assert.equal(list.items.length, 21);
    assert.ok(list.items.some((i) => i.label === 'Drezner et al. 2021'));
    assert.ok(list.items.some((i) => i.label === 'METI 2024'));
  });

  it('writes items in the document\'s own style: `Kim, 2015` when its citations use a comma', async () => {
    const uri = 'file:///work/paper/comma.md';
    const text = [
      'Growth came from Japan (Kim, 2015; Abe & Lee, 2019). More (',
      '',
      '## References',
      '',
      'Abe, M., & Lee, J. 2019. Trade. Tokyo: Shoten.',
      '',
      'Kim, D. 2015. Growth. Seoul: Press.',
      '',
      'Kissinger, H., Allison, G., & Smith, J. 2023. Arms control. New York: Norton.',
    ].join('\n');
    await client.open(uri, text);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 59 } });
    const labels = list.items.map((i) => i.label).sort();
    assert.deepEqual(labels, ['Abe & Lee, 2019', 'Kim, 2015', 'Kissinger et al., 2023']);
  });

  it('after an author\'s first letters in running text offers the narrative form', async () => {
    const uri = 'file:///work/paper/narrative.md';
    await client.open(uri, PAPER);
    const line = PAPER.split('\n')[9];
    const end = { line: 9, character: line.length };
    await client.changeAndWait(uri, [{ range: { start: end, end }, text: ' As Kiss' }]);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 9, character: line.length + 8 } });
    assert.deepEqual(list.items.map((i) => i.label), ['Kissinger and Allison (2023)']);
  });
});

describe('language server: edits, fixes and settings', function () {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client?.stop();
  });

  it('the quick fix turns (MIC 2024) into (MIC 2023) and the diagnostic goes away', async () => {
    const uri = 'file:///work/paper/fix.md';
    const diags = await client.open(uri, PAPER);
    const d = diags.find((x) => x.code === 'year-mismatch')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.title === 'Change 2024 to 2023')!;
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [d]);
    const after = await client.changeAndWait(uri, asChanges(fix.edit, uri));
    assert.match(client.text(uri).split('\n')[29], /\(MIC 2023\)\.$/);
    assert.deepEqual(summary(after), ['47:reference-order', '57:uncited-reference']);
  });

  it('"ignore this citation" adds <!-- citecheck-ignore --> to the line and the checker honours it', async () => {
    const uri = 'file:///work/paper/ignore.md';
    const diags = await client.open(uri, PAPER);
    const d = diags.find((x) => x.code === 'year-mismatch')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const ignore = actions.find((a) => a.title.startsWith('Ignore'))!;
    assert.ok(ignore);
    const after = await client.changeAndWait(uri, asChanges(ignore.edit, uri));
    assert.match(client.text(uri).split('\n')[29], /\(MIC 2024\)\. <!-- citecheck-ignore -->$/);
    assert.ok(!after.some((x) => x.code === 'year-mismatch'));
  });

  it('offers no ignore comment in plain text (it has no comment syntax), and % citecheck-ignore in LaTeX', async () => {
    const plain = 'file:///work/paper/paper.txt';
    const pd = await client.open(plain, PAPER, 'plaintext');
    const d = pd.find((x) => x.code === 'year-mismatch')!;
    const acts = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: plain }, range: d.range, context: { diagnostics: [d] } });
    assert.ok(acts.some((a) => a.title === 'Change 2024 to 2023'));
    assert.ok(!acts.some((a) => a.title.startsWith('Ignore')));

    const tex = 'file:///work/paper/paper.tex';
    const texText = 'Growth came from Japan (Kim 2016).\n\n\\section*{References}\n\nKim, DH. 2015. Growth. Seoul: Press.\n';
    const td = await client.open(tex, texText, 'latex');
    const t = td.find((x) => x.code === 'year-mismatch')!;
    assert.ok(t, JSON.stringify(td));
    const tacts = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: tex }, range: t.range, context: { diagnostics: [t] } });
    const ig = tacts.find((a) => a.title.startsWith('Ignore'))!;
    const after = await client.changeAndWait(tex, asChanges(ig.edit, tex));
    assert.equal(client.text(tex).split('\n')[0], 'Growth came from Japan (Kim 2016). % citecheck-ignore');
    assert.ok(!after.some((x) => x.code === 'year-mismatch'));
  });

  it('the sort source action puts the list in order and the reference-order diagnostic goes away', async () => {
    const uri = 'file:///work/paper/sort.md';
    await client.open(uri, PAPER);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source'] },
    });
    const sort = actions.find((a) => a.kind === 'source.sortReferences.citecheck')!;
    assert.ok(sort, actions.map((a) => a.kind).join(' | '));
    const after = await client.changeAndWait(uri, asChanges(sort.edit, uri));
    const lines = client.text(uri).split('\n');
    assert.deepEqual(lines.slice(46, 51).map((l) => l.split('.')[0]), ['Huq, Aziz', 'Ito, Tory', 'Kim, DH', 'Kimiya, Tadashi', 'Kissinger, Henry A']);
    // `______.` entries stay under the entry whose authors they repeat.
    assert.match(lines[56], /^Office of the President\. 2023a/);
    assert.match(lines[57], /^______\. 2023b/);
    assert.equal(lines.length, PAPER.split('\n').length);
    assert.deepEqual(summary(after), ['29:year-mismatch', '57:uncited-reference']);
  });

  it('fixes all problems of one kind in the file at once', async () => {
    const uri = 'file:///work/paper/fixall.md';
    const text = PAPER.replace('(Kim 2015)', '(Kim 2016)').replace('(Nye 2024;', '(Nye 2022;');
    const diags = await client.open(uri, text);
    const ys = diags.filter((d) => d.code === 'year-mismatch');
    assert.equal(ys.length, 3);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: ys[0].range, context: { diagnostics: [ys[0]] } });
    const all = actions.find((a) => a.title === "Fix all 3 'year-mismatch' problems in this file")!;
    assert.ok(all, actions.map((a) => a.title).join(' | '));
    const after = await client.changeAndWait(uri, asChanges(all.edit, uri));
    assert.equal(client.text(uri), PAPER.replace('(MIC 2024)', '(MIC 2023)'));
    assert.ok(!after.some((d) => d.code === 'year-mismatch'));
  });

  it('renames an entry\'s year across its citations (prepareRename first)', async () => {
    const uri = 'file:///work/paper/rename.md';
    await client.open(uri, PAPER);
    const pos = find(PAPER, 'Kim, DH. 2015', 10);
    const prep = await client.request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position: pos });
    assert.equal(prep.placeholder, '2015');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: pos, newName: '2016' });
    const changes = asChanges(edit, uri);
    assert.deepEqual(changes.map((c) => ('range' in c ? c.range.start.line : -1)).sort((a, b) => a - b), [7, 49]);
    const after = await client.changeAndWait(uri, changes);
    assert.match(client.text(uri), /\(Kim 2016\)/);
    assert.match(client.text(uri), /\nKim, DH\. 2016\. “Korea’s/);
    // Still consistent: the same three problems as before.
    assert.deepEqual(summary(after), ['29:year-mismatch', '47:reference-order', '57:uncited-reference']);
  });

  it('renames an author from a citation, in the entry and every citation of it', async () => {
    const uri = 'file:///work/paper/rename-name.md';
    await client.open(uri, PAPER);
    const pos = find(PAPER, 'Kissinger and Allison 2023', 16);
    const prep = await client.request<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position: pos });
    assert.equal(prep.placeholder, 'Allison');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: pos, newName: 'Alison' });
    const after = await client.changeAndWait(uri, asChanges(edit, uri));
    assert.match(client.text(uri), /\(Nye 2024; Kissinger and Alison 2023\)/);
    assert.match(client.text(uri), /\nKissinger, Henry A\. and Alison, Graham\. 2023/);
    assert.deepEqual(summary(after), ['29:year-mismatch', '47:reference-order', '57:uncited-reference']);
    // Not a name or a year: refused with a reason.
    await assert.rejects(
      client.request('textDocument/prepareRename', { textDocument: { uri }, position: find(PAPER, 'Relations between', 3) }),
      /Put the cursor on a cited name or year/,
    );
  });

  it('setting a severity to off via didChangeConfiguration removes those diagnostics (pull)', async () => {
    const uri = 'file:///work/paper/settings.md';
    await client.open(uri, PAPER);
    const next = client.nextDiagnostics(uri);
    await client.setSettings({ severity: { 'year-mismatch': 'off', 'uncited-reference': 'hint' } }, 'null');
    const p = await next;
    assert.deepEqual(summary(p.diagnostics), ['47:reference-order', '57:uncited-reference']);
    assert.equal(p.diagnostics.find((d) => d.code === 'uncited-reference')!.severity, 4);
    const back = client.nextDiagnostics(uri);
    await client.setSettings({}, 'null');
    assert.deepEqual(summary((await back).diagnostics), ['29:year-mismatch', '47:reference-order', '57:uncited-reference']);
  });
});

describe('language server: settings pushed by a client without workspace/configuration', function () {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ pullConfiguration: false });
  });
  after(async () => {
    await client?.stop();
  });

  it('applies citecheck.severity.<code> = off from didChangeConfiguration without a restart', async () => {
    const uri = 'file:///work/paper/push.md';
    assert.equal((await client.open(uri, PAPER)).length, 3);
    const next = client.nextDiagnostics(uri);
    // The dotted form some clients send.
    await client.setSettings({ 'severity.year-mismatch': 'off', 'severity.reference-order': 'off' });
    assert.deepEqual(summary((await next).diagnostics), ['57:uncited-reference']);
  });
});

describe('language server: incremental edits', function () {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client?.stop();
  });

  it('diagnostics after a sequence of incremental edits equal those of the same text opened afresh', async () => {
    const uri = 'file:///work/paper/edits.md';
    await client.open(uri, PAPER);
    const lines = PAPER.split('\n');
    // Several edits in a row, faster than the debounce: only the last version needs to be checked.
    await client.change(uri, [{ range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, text: 'As Yoon (2021) shows, ' }]);
    await client.change(uri, [
      // Delete the whole `(Kojima 2000)` citation on line 14.
      { range: { start: find(PAPER, ' (Kojima 2000)'), end: find(PAPER, ' (Kojima 2000)', 14) }, text: '' },
      // A multi-line replacement across lines 19-20, then an insertion into it.
      { range: { start: { line: 19, character: lines[19].length - 1 }, end: { line: 20, character: 2 } }, text: ' (Scholvin and Wigel 2018).\n\nAt' },
    ]);
    await client.change(uri, [{ range: { start: { line: 29, character: 0 }, end: { line: 29, character: 0 } }, text: 'Astral 😀 text (Huq 2024) and ' }]);
    const v = await client.change(uri, [{ range: { start: { line: 45, character: 0 }, end: { line: 45, character: 0 } }, text: 'Ito, Tory. 2024. Another entry. Tokyo: Press.\n' }]);
    const incremental = (await client.diagnosticsFor(uri, v)).diagnostics;
    const finalText = client.text(uri);
    assert.ok(finalText.includes('As Yoon (2021) shows') && !finalText.includes('Kojima 2000)') && finalText.includes('😀'));
    const fresh = await client.open('file:///work/paper/edits-fresh.md', finalText);
    const norm = (ds: Diagnostic[]) => ds.map((d) => ({ range: d.range, code: d.code, severity: d.severity, message: d.message }));
    assert.deepEqual(norm(incremental), norm(fresh));
    // And the edits did produce new problems to compare: the year, the spelling, the ambiguity.
    const codes = new Set(incremental.map((d) => d.code));
    for (const c of ['year-mismatch', 'author-mismatch', 'uncited-reference']) assert.ok(codes.has(c), `${c} in ${[...codes].join(', ')}`);
  });
});

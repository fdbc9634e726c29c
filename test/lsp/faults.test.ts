/**
 * Faults injected into the real language server over stdio. After each one the server is still
 * running and a normal hover on the shared paper is still answered.
 *
 * - malformed JSON-RPC on stdin (a raw child process: garbage bytes with NULs, invalid JSON in a
 *   good frame, a Content-Length too short, too long, not a number, a body without a header);
 * - unknown methods (a request gets MethodNotFound, a notification is ignored);
 * - requests for a document never opened, or closed (empty answers);
 * - an edit racing a request made for the version before it;
 * - a 50 MB document (a `document-too-large` diagnostic, no check, no freeze);
 * - a binary file named `.md` (random bytes with NULs);
 * - odd params that make handlers throw.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCodes, ResponseError, type CompletionList, type Hover } from 'vscode-languageserver-protocol';
import { FIXTURES, ROOT } from '../helpers/paths';
import { Rng } from '../helpers/generate';
import { find, LspClient, SERVER_BIN } from './lspClient';

const PAPER = fs.readFileSync(path.join(FIXTURES, 'rok-japan-working-paper.md'), 'utf8');
const URI = 'file:///work/paper/rok-japan-working-paper.md';
const KIM = find(PAPER, 'Kim 2015)', 1);

function hoverText(h: Hover | null): string {
  const c = h?.contents as { value?: string } | string | undefined;
  return typeof c === 'string' ? c : c?.value ?? '';
}

/** The request's error, or undefined when it was answered. */
async function errorOf(p: Promise<unknown>): Promise<ResponseError<unknown> | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e as ResponseError<unknown>;
  }
}

function frame(body: string | Buffer): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`, 'latin1'), b]);
}

/**
 * The server as a raw child process: bytes in, the JSON-RPC answers with an `id` out. Tests write
 * whatever they like to its stdin.
 */
class RawServer {
  private readonly child = spawn(process.execPath, [SERVER_BIN, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
  private out = Buffer.alloc(0);
  private readonly answers = new Map<number | string, unknown>();
  private readonly waiting = new Map<number | string, (m: unknown) => void>();
  stderr = '';
  exit: number | string | null | undefined;

  constructor() {
    this.child.stderr.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.child.on('exit', (code, signal) => (this.exit = code ?? signal));
    this.child.stdout.on('data', (b: Buffer) => {
      this.out = Buffer.concat([this.out, b]);
      for (;;) {
        const end = this.out.indexOf('\r\n\r\n');
        if (end < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(this.out.toString('latin1', 0, end))![1]);
        if (this.out.length < end + 4 + len) return;
        const msg = JSON.parse(this.out.toString('utf8', end + 4, end + 4 + len)) as { id?: number | string };
        this.out = this.out.subarray(end + 4 + len);
        if (msg.id !== undefined && msg.id !== null) {
          this.answers.set(msg.id, msg);
          this.waiting.get(msg.id)?.(msg);
        }
      }
    });
  }

  write(b: Buffer | string): void {
    this.child.stdin.write(b);
  }

  send(msg: object): void {
    this.write(frame(JSON.stringify({ jsonrpc: '2.0', ...msg })));
  }

  answer(id: number | string, ms = 10_000): Promise<{ result?: unknown; error?: { code: number } }> {
    if (this.answers.has(id)) return Promise.resolve(this.answers.get(id) as { result?: unknown });
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer to request ${id} in ${ms} ms (exit ${this.exit}); stderr: ${this.stderr}`)), ms);
      this.waiting.set(id, (m) => {
        clearTimeout(t);
        resolve(m as { result?: unknown });
      });
    });
  }

  kill(): void {
    this.child.kill();
  }
}

describe('language server: faults', function () {
  this.timeout(60_000);

  describe('malformed JSON-RPC on stdin (raw process)', function () {
    let raw: RawServer;
    let id = 100;
    before(async () => {
      raw = new RawServer();
      raw.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      await raw.answer(1);
      raw.send({ method: 'initialized', params: {} });
      raw.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'markdown', version: 1, text: PAPER } } });
    });
    after(() => raw?.kill());

    /** A hover on the paper after the fault is answered with Kim's entry. */
    async function stillServes(): Promise<void> {
      const n = ++id;
      raw.send({ id: n, method: 'textDocument/hover', params: { textDocument: { uri: URI }, position: KIM } });
      const a = await raw.answer(n);
      assert.match(hoverText(a.result as Hover), /^Kim, DH\. 2015/);
      assert.equal(raw.exit, undefined, 'the server is running');
    }

    const rng = new Rng(7);
    const FAULTS: [string, () => Buffer | string][] = [
      ['garbage bytes with NULs and CRLFs', () => Buffer.from(Array.from({ length: 300 }, (_, i) => (i % 17 === 0 ? 0 : i % 29 === 0 ? 13 : i % 31 === 0 ? 10 : rng.int(0, 255))))],
      ['text without a header, ending in a blank line', () => 'hello world\r\n\r\n'],
      ['invalid JSON in a well-formed frame', () => frame('{"jsonrpc":"2.0","id":2,"method":')],
      ['a JSON array, a string, a number', () => Buffer.concat([frame('[1,2,3]'), frame('"x"'), frame('42')])],
      ['a Content-Length too short', () => 'Content-Length: 10\r\n\r\n{"jsonrpc":"2.0","id":3,"method":"shutdown"}'],
      ['a Content-Length too long', () => 'Content-Length: 80\r\n\r\n{"jsonrpc":"2.0","id":4,"method":"shutdown"}'],
      ['a Content-Length that is not a number', () => 'Content-Length: abc\r\n\r\n{}'],
      ['a Content-Length of 2^53', () => 'Content-Length: 9007199254740993\r\n\r\n{}'],
      ['a header without Content-Length', () => 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'],
      ['a body without a header', () => '{"jsonrpc":"2.0","id":5,"method":"shutdown"}\r\n\r\n'],
      ['a request without jsonrpc or params', () => frame(JSON.stringify({ id: 6, method: 'textDocument/hover' }))],
      ['a frame split byte by byte', () => frame(JSON.stringify({ jsonrpc: '2.0', method: '$/setTrace', params: { value: 'off' } }))],
    ];
    for (const [name, bytes] of FAULTS) {
      it(`survives ${name}, and answers the next request`, async () => {
        const b = Buffer.from(bytes() as Buffer);
        if (name.includes('byte by byte')) for (const x of b) raw.write(Buffer.from([x]));
        else raw.write(b);
        await stillServes();
      });
    }
    it('never answered a request hidden in a malformed frame (shutdown ids 3, 4, 5)', () => {
      for (const n of [3, 4, 5]) assert.ok(!(raw as unknown as { answers: Map<number, unknown> }).answers.has(n), `request ${n}`);
    });
  });

  describe('protocol faults (a JSON-RPC client)', function () {
    let client: LspClient;
    before(async () => {
      client = await LspClient.start();
      await client.open(URI, PAPER);
    });
    after(async () => {
      await client?.stop();
    });

    async function stillServes(): Promise<void> {
      const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: KIM });
      assert.match(hoverText(h), /^Kim, DH\. 2015/);
      assert.equal(client.child.exitCode, null, 'the server is running');
    }

    it('answers an unknown request with MethodNotFound, and ignores an unknown notification', async () => {
      const e = await errorOf(client.request('citecheck/noSuchMethod', { x: 1 }));
      assert.equal(e?.code, ErrorCodes.MethodNotFound);
      await client.conn.sendNotification('citecheck/noSuchNotification', { x: 1 });
      await client.conn.sendNotification('$/noSuchThing', {});
      await stillServes();
    });

    it('answers hover, completion, definition and the rest empty for a document never opened', async () => {
      const td = { uri: 'file:///never/opened.md' };
      const position = { line: 0, character: 0 };
      assert.equal(await client.request('textDocument/hover', { textDocument: td, position }), null);
      const c = await client.request<CompletionList | null>('textDocument/completion', { textDocument: td, position });
      assert.ok(c === null || (Array.isArray(c) ? c.length === 0 : c.items.length === 0));
      const d = await client.request<unknown[] | null>('textDocument/definition', { textDocument: td, position });
      assert.ok(d === null || d.length === 0);
      for (const m of ['textDocument/references', 'textDocument/documentHighlight', 'textDocument/documentSymbol', 'textDocument/codeLens', 'textDocument/prepareRename']) {
        const r = await client.request<unknown[] | null>(m, { textDocument: td, position, context: { includeDeclaration: true } });
        assert.ok(r === null || (Array.isArray(r) && r.length === 0), `${m}: ${JSON.stringify(r)}`);
      }
      await stillServes();
    });

    it('answers empty for a closed document, and clears its diagnostics', async () => {
      const uri = 'file:///work/paper/closed.md';
      await client.open(uri, PAPER);
      const cleared = client.nextDiagnostics(uri, (p) => p.diagnostics.length === 0);
      await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await cleared;
      assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: KIM }), null);
      const d = await client.request<unknown[] | null>('textDocument/definition', { textDocument: { uri }, position: KIM });
      assert.ok(d === null || d.length === 0);
      // A change to a closed document is ignored.
      await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 9 }, contentChanges: [{ text: 'x' }] });
      await stillServes();
    });

    it('answers requests sent right after an edit, for the version before it, without crashing', async () => {
      const uri = 'file:///work/paper/racing.md';
      await client.open(uri, PAPER);
      const answers: Promise<unknown>[] = [];
      for (let k = 0; k < 30; k++) {
        const text = client.text(uri);
        const at = find(text, 'Kim 2015)', 1);
        // An edit that moves everything after it, then requests at the old positions.
        void client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: k % 2 ? 'x\n' : '(Kim 2015; ' }]);
        answers.push(errorOf(client.request('textDocument/hover', { textDocument: { uri }, position: at })));
        answers.push(errorOf(client.request('textDocument/completion', { textDocument: { uri }, position: at })));
        answers.push(errorOf(client.request('textDocument/definition', { textDocument: { uri }, position: { line: 10_000, character: 10_000 } })));
      }
      const errs = (await Promise.all(answers)).filter((e): e is ResponseError<unknown> => e !== undefined);
      // Answered, or refused as ContentModified/RequestCancelled: never an internal error.
      for (const e of errs) assert.ok(e.code === -32801 || e.code === -32800, `${e.code} ${e.message}`);
      const last = await client.diagnosticsFor(uri, client.version(uri));
      assert.ok(Array.isArray(last.diagnostics));
      await stillServes();
    });

    it('says a 50 MB document is too large, does not check it, and keeps answering', async () => {
      const uri = 'file:///work/paper/huge.md';
      const unit = 'As shown by Kim (2015) and (Lee 2019), the numbers hold.\n\n';
      const text = unit.repeat(Math.ceil(50_000_000 / unit.length));
      const started = Date.now();
      const ds = await client.open(uri, text);
      const openMs = Date.now() - started;
      assert.deepEqual(ds.map((d) => d.code), ['document-too-large']);
      assert.match(String(ds[0].message), /50\.0 MB; citecheck checks documents up to 20 MB and skipped it/);
      // Requests on it answer at once, empty.
      assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 15 } }), null);
      // An edit to it is handled as quickly: still too large.
      const edited = await client.changeAndWait(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '(Kim 2016) ' }]);
      assert.deepEqual(edited.map((d) => d.code), ['document-too-large']);
      await stillServes();
      await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      assert.ok(openMs < 30_000, `opening took ${openMs} ms`);
    });

    it('checks a binary file named .md (random bytes with NULs) without failing', async () => {
      const rng = new Rng(42);
      const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i % 13 === 0 ? 0 : rng.int(0, 255))));
      for (const [name, text] of [['binary-utf8.md', bytes.toString('utf8')], ['binary-latin1.md', bytes.toString('latin1')]] as const) {
        const uri = `file:///work/paper/${name}`;
        const ds = await client.open(uri, text);
        assert.ok(Array.isArray(ds));
        await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 5 } });
        await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 1 } });
        await client.request('textDocument/documentSymbol', { textDocument: { uri } });
        await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
      await stillServes();
    });

    it('gives LSP positions after a lone CR (a line end for LSP, not for the core)', async () => {
      const uri = 'file:///work/paper/lone-cr.md';
      const text = 'Intro.\rAs Kim (2014) shows.\n\n# References\n\nKim, D. 2015. A Title. Seoul: Press.\n';
      const ds = await client.open(uri, text);
      assert.deepEqual(ds.map((d) => [d.code, d.range]), [['year-mismatch', { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } }]]);
      const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 5 } });
      assert.match(hoverText(h), /Kim, D\. 2015/);
      await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    });

    it('stays up when handlers get odd params', async () => {
      const odd: [string, unknown][] = [
        ['textDocument/hover', { textDocument: { uri: URI }, position: null }],
        ['textDocument/hover', { textDocument: { uri: URI }, position: { line: -5, character: 'x' } }],
        ['textDocument/hover', { textDocument: { uri: URI }, position: { line: 1e12, character: -1e12 } }],
        ['textDocument/hover', { textDocument: null, position: KIM }],
        ['textDocument/hover', { textDocument: { uri: 42 }, position: KIM }],
        ['textDocument/completion', { textDocument: { uri: URI }, position: KIM, context: { triggerKind: 99, triggerCharacter: {} } }],
        ['textDocument/definition', { textDocument: { uri: URI }, position: { line: NaN } }],
        ['textDocument/references', { textDocument: { uri: URI }, position: KIM }],
        ['textDocument/rename', { textDocument: { uri: URI }, position: KIM, newName: 42 }],
        ['textDocument/prepareRename', { textDocument: { uri: URI }, position: 'here' }],
        ['textDocument/codeAction', { textDocument: { uri: URI }, range: null, context: null }],
        ['textDocument/codeAction', { textDocument: { uri: URI }, range: { start: KIM, end: KIM }, context: { diagnostics: [{ data: 'nonsense', range: null }], only: [7] } }],
        ['textDocument/codeLens', { textDocument: { uri: URI, extra: [1] } }],
        ['textDocument/documentSymbol', {}],
        ['citecheck/status', null],
        ['citecheck/status', { uri: {} }],
        ['workspace/executeCommand', { command: 'citecheck.nothing', arguments: [null, 1, {}] }],
      ];
      for (const [method, params] of odd) {
        const e = await errorOf(client.request(method, params));
        if (e) assert.notEqual(e.code, undefined, `${method}: ${e.message}`);
        assert.equal(client.child.exitCode, null, `the server exited after ${method}`);
      }
      await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 99 }, contentChanges: [{ range: null, text: 7 }] });
      await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { citecheck: { severity: 'loud', bibliographies: 'x' } } });
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 5 }] });
      await client.setSettings({});
      await stillServes();
    });
  });
});

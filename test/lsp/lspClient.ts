/**
 * A real LSP client for tests: starts `node bin/citecheck-language-server.js --stdio` as a child
 * process and talks JSON-RPC to it over its stdin/stdout. No mocks, no sleeps: tests wait for
 * the notification they need (diagnostics for a given version).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT } from '../helpers/paths';

/**
 * What is started: the bin, or whatever $CITECHECK_LSP_SERVER names (e.g. `dist/server.js`, the
 * esbuild bundle that ships in the .vsix), so the same tests can run against the package.
 */
export const SERVER_BIN = process.env.CITECHECK_LSP_SERVER ? path.resolve(ROOT, process.env.CITECHECK_LSP_SERVER) : path.join(ROOT, 'bin', 'citecheck-language-server.js');

export interface ClientOptions {
  /** Answer `workspace/configuration` (pull) — otherwise settings only come by didChangeConfiguration. */
  pullConfiguration?: boolean;
  /** Settings the client holds (the `citecheck` section). */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  rootUri?: string | null;
  /** The workspace's folders: given, the client says it supports workspace folders. */
  workspaceFolders?: { uri: string; name: string }[];
  /** Node options for the server process (e.g. `--expose-gc` for the soak test). */
  execArgv?: string[];
  /** Environment of the server process (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Its working directory (default: the repository root). */
  cwd?: string;
}

interface Waiter {
  uri: string;
  test: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: PublishDiagnosticsParams) => void;
  reject: (e: Error) => void;
}

export const FULL_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'], insertReplaceSupport: false } },
    definition: { linkSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll', 'source.sortReferences'] } }, isPreferredSupport: true },
    rename: { prepareSupport: true },
  },
  workspace: { workspaceEdit: { documentChanges: true }, configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
  window: { workDoneProgress: true },
};

export class LspClient {
  readonly conn: ProtocolConnection;
  readonly child: ChildProcessWithoutNullStreams;
  readonly stderr: string[] = [];
  /** `window/logMessage` lines, for tests to read what the server logged. */
  readonly logs: string[] = [];
  /** Every publishDiagnostics, in order of arrival. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly statuses: unknown[] = [];
  /** `window/workDoneProgress/create` tokens and `$/progress` notifications, in order of arrival. */
  readonly progress: { token: string | number; value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string }; at: number }[] = [];
  private progressWaiters: { test: (p: LspClient['progress'][number]) => boolean; resolve: () => void }[] = [];
  settings: Record<string, unknown>;
  private readonly docs = new Map<string, TextDocument>();
  private waiters: Waiter[] = [];
  private held: { arrived: () => void; released: Promise<void> } | undefined;
  private exited = false;
  private readonly exitedPromise: Promise<Error>;

  private constructor(private readonly opts: ClientOptions) {
    this.settings = opts.settings ?? {};
    this.child = spawn(process.execPath, [...(opts.execArgv ?? []), SERVER_BIN, '--stdio'], { cwd: opts.cwd ?? ROOT, stdio: 'pipe', env: opts.env ?? process.env });
    this.child.stderr.on('data', (b: Buffer) => this.stderr.push(b.toString()));
    this.exitedPromise = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        const err = new Error(`the server exited (${code ?? signal}); stderr: ${this.stderr.join('')}`);
        for (const w of this.waiters) w.reject(err);
        this.waiters = [];
        resolve(err);
      });
    });
    this.conn = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      const ready = this.waiters.filter((w) => w.uri === p.uri && w.test(p));
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(p);
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.onNotification('citecheck/statusChanged', (p: unknown) => {
      this.statuses.push(p);
    });
    this.conn.onRequest('workspace/configuration', async (p: { items: { section?: string }[] }) => {
      const hold = this.held;
      if (hold) {
        hold.arrived();
        await hold.released;
      }
      return p.items.map((it) => (it.section === 'citecheck' ? this.settings : null));
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onNotification('$/progress', (p: { token: string | number; value: LspClient['progress'][number]['value'] }) => {
      const entry = { ...p, at: Date.now() };
      this.progress.push(entry);
      const ready = this.progressWaiters.filter((w) => w.test(entry));
      this.progressWaiters = this.progressWaiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve();
    });
    this.conn.listen();
  }

  static async start(opts: ClientOptions = {}): Promise<LspClient> {
    const c = new LspClient(opts);
    const capabilities: ClientCapabilities = opts.capabilities ?? {
      ...FULL_CAPABILITIES,
      workspace: { ...FULL_CAPABILITIES.workspace, configuration: opts.pullConfiguration ?? true, ...(opts.workspaceFolders ? { workspaceFolders: true } : {}) },
    };
    const init = c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: opts.rootUri === undefined ? null : opts.rootUri,
      capabilities,
      initializationOptions: opts.initializationOptions,
      workspaceFolders: opts.workspaceFolders ?? null,
    });
    await Promise.race([init, c.exitedPromise.then((e) => Promise.reject(e))]);
    await c.conn.sendNotification('initialized', {});
    return c;
  }

  text(uri: string): string {
    return this.docs.get(uri)!.getText();
  }

  version(uri: string): number {
    return this.docs.get(uri)!.version;
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(uri: string, text: string, languageId = 'markdown'): Promise<Diagnostic[]> {
    const doc = TextDocument.create(uri, languageId, 1, text);
    this.docs.set(uri, doc);
    const p = this.diagnosticsFor(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return (await p).diagnostics;
  }

  /** Sends incremental changes (in LSP order: each applies to the result of the previous). */
  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    TextDocument.update(doc, changes, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Changes the document and resolves with the diagnostics published for the new version. */
  async changeAndWait(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    const doc = this.docs.get(uri)!;
    const p = this.diagnosticsFor(uri, doc.version + 1);
    await this.change(uri, changes);
    return (await p).diagnostics;
  }

  /** Resolves with the first publishDiagnostics for `uri` with exactly `version` (already arrived or to come). */
  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    const done = this.published.find((p) => p.uri === uri && p.version === version);
    if (done) return Promise.resolve(done);
    return this.nextDiagnostics(uri, (p) => p.version === version);
  }

  /** Resolves with the next publishDiagnostics for `uri` (that passes `test`) from now on. */
  nextDiagnostics(uri: string, test: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      if (this.exited) reject(new Error(`the server exited; stderr: ${this.stderr.join('')}`));
      else this.waiters.push({ uri, test, resolve, reject });
    });
  }

  async setSettings(settings: Record<string, unknown>, send: 'section' | 'null' = 'section'): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: send === 'section' ? { citecheck: settings } : null });
  }

  /**
   * Holds the answers to `workspace/configuration` until `release()`: `requested` resolves when the
   * server has asked. Lets a test keep the server's analysis waiting, deterministically.
   */
  holdConfiguration(): { requested: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const requested = new Promise<void>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    this.held = { arrived, released };
    return {
      requested,
      release: () => {
        this.held = undefined;
        release();
      },
    };
  }

  /** Resolves when a `$/progress` notification passing `test` has arrived (or already had). */
  waitProgress(test: (p: LspClient['progress'][number]) => boolean): Promise<void> {
    if (this.progress.some(test)) return Promise.resolve();
    return new Promise((resolve) => this.progressWaiters.push({ test, resolve }));
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      this.child.kill();
    }
    await exited;
    this.conn.dispose();
  }
}

/** Offset -> LSP position in a text (UTF-16 columns). */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The position of the `n`th (0-based) occurrence of `needle`, plus `delta` characters. */
export function find(text: string, needle: string, delta = 0, n = 0): { line: number; character: number } {
  let at = -1;
  for (let k = 0; k <= n; k++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`'${needle}' (#${n}) not in the text`);
  }
  return positionOf(text, at + delta);
}

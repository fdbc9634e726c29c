/**
 * citecheck's language server: a thin layer over the core. It keeps the open documents
 * (incremental sync), reads settings, analyses each version once, and turns the features'
 * offsets into LSP positions. Every handler is guarded: an exception is logged and answered
 * empty, never thrown at the client or out of the process.
 *
 * Started by the VS Code client over IPC, or by any editor with `--stdio`
 * (`citecheck-language-server --stdio`); createConnection reads the transport from argv.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type TextDocumentIdentifier,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { Analyses, type DocumentAnalysis } from './analyses';
import { ExternalReferences, uriToPath } from './externalReferences';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './settings';
import { registerFeatures, SORT_REFERENCES_KIND, FIX_ALL_KIND } from './features';
import { toDiagnostic } from './convert';
import { documentStatus } from '../features';

export const STATUS_REQUEST = 'citecheck/status';
export const STATUS_NOTIFICATION = 'citecheck/statusChanged';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const log = (m: string) => connection.console.log(m);
  const logError = (m: string) => connection.console.error(m);

  let clientCapabilities: ClientCapabilities = {};
  let pullConfiguration = false;
  let dynamicConfiguration = false;
  let dynamicWatchers = false;
  let globalSettings: Settings = DEFAULT_SETTINGS;
  let roots: string[] = [];
  // Analysis is incremental (milliseconds for a 1 MB paper), so diagnostics follow each edit at
  // once; edits that arrive together are still analysed once.
  let debounceMs = 0;
  const settingsCache = new Map<string, Promise<Settings>>();
  const warned = new Set<string>();

  const external = new ExternalReferences(logError);

  function settingsFor(uri: string): Promise<Settings> {
    if (!pullConfiguration) return Promise.resolve(globalSettings);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'citecheck' }).then(
        (raw) => (raw == null ? globalSettings : parseSettings(raw)),
        (err) => {
          logError(`citecheck: workspace/configuration failed: ${err?.message ?? err}`);
          return globalSettings;
        },
      );
      settingsCache.set(uri, s);
    }
    return s;
  }

  const analyses = new Analyses(settingsFor, external, () => roots);

  // ---------------------------------------------------------------- lifecycle

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    clientCapabilities = caps;
    pullConfiguration = !!caps.workspace?.configuration;
    dynamicConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    dynamicWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    roots = folders.map(uriToPath).filter((p): p is string => !!p);
    if (!roots.length && params.rootPath) roots = [params.rootPath];
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown; settings?: unknown; citecheck?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    if (init.settings || init.citecheck) globalSettings = parseSettings(init.settings ?? init);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['(', ';', '@', '{', ','], resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'citecheck' },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, SORT_REFERENCES_KIND], resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: false } },
      },
      serverInfo: { name: 'citecheck', version: serverVersion() },
    };
  });

  connection.onInitialized(() => {
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'citecheck' }).catch(() => undefined);
    if (dynamicWatchers) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{bib,bibtex,biblatex,json,yaml,yml,ris,md,txt,tex,rst}' }] })
        .catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration(
    guardNotification('didChangeConfiguration', (params) => {
      const raw = (params?.settings ?? null) as Record<string, unknown> | null;
      if (raw && typeof raw === 'object' && 'citecheck' in raw) globalSettings = parseSettings(raw.citecheck);
      settingsCache.clear();
      analyses.invalidateAll();
      revalidateAll();
    }),
  );

  connection.onDidChangeWatchedFiles(
    guardNotification('didChangeWatchedFiles', (params) => {
      const touched = params.changes.some((c) => {
        const p = uriToPath(c.uri);
        return p !== undefined && external.isLoaded(p);
      });
      if (touched) {
        analyses.invalidateAll();
        revalidateAll();
      }
    }),
  );

  // ---------------------------------------------------------------- documents and diagnostics

  const timers = new Map<string, NodeJS.Timeout>();
  const openedAt = new Map<string, number>();

  documents.onDidOpen((e) => {
    openedAt.set(e.document.uri, e.document.version);
  });
  documents.onDidChangeContent((e) => {
    const doc = e.document;
    const first = openedAt.get(doc.uri) === doc.version;
    openedAt.delete(doc.uri);
    schedule(doc.uri, first ? 0 : debounceMs);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    openedAt.delete(uri);
    settingsCache.delete(uri);
    analyses.forget(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  /** Checks a document after `delay` ms; a newer edit replaces the pending check. */
  function schedule(uri: string, delay: number): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        void validate(uri);
      }, delay),
    );
  }

  function revalidateAll(): void {
    for (const d of documents.all()) schedule(d.uri, 0);
  }

  async function validate(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    try {
      const r = await analyses.get(doc);
      // An edit came in while this one was being checked: its own check will publish.
      if (documents.get(uri)?.version !== version) return;
      publish(r);
    } catch (err) {
      logError(`citecheck: checking ${uri} failed: ${(err as Error)?.stack ?? err}`);
    }
  }

  function publish(r: DocumentAnalysis): void {
    const a = r.analysis;
    const linesOf = (u: string) => (u === a.uri ? a.lines : external.linesOf(u));
    const diagnostics = a.diagnostics.map((d) => toDiagnostic(d, a.lines, linesOf, r.version));
    warnMissingConfigured(r);
    void connection.sendDiagnostics({ uri: a.uri, version: r.version, diagnostics });
    void connection.sendNotification(STATUS_NOTIFICATION, documentStatus(a));
  }

  function warnMissingConfigured(r: DocumentAnalysis): void {
    for (const m of r.missingConfigured) {
      if (warned.has(m.path)) continue;
      warned.add(m.path);
      connection.console.warn(`citecheck: the configured file '${m.path}' ${m.reason} (paths are resolved against the workspace folder, then the document's folder).`);
    }
  }

  // ---------------------------------------------------------------- requests

  /**
   * The analysis for a request, or an error the client knows: the request was cancelled, or the
   * document changed while it was being answered (its positions no longer hold).
   */
  async function analysisFor(td: TextDocumentIdentifier | undefined, token?: CancellationToken): Promise<DocumentAnalysis | undefined> {
    const doc = td?.uri ? documents.get(td.uri) : undefined;
    if (!doc) return undefined;
    const version = doc.version;
    const r = await analyses.get(doc);
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (documents.get(doc.uri)?.version !== version) throw new ResponseError(LSPErrorCodes.ContentModified, 'the document changed');
    return r;
  }

  connection.onRequest(
    STATUS_REQUEST,
    guardRequest(STATUS_REQUEST, null, async (params: { textDocument?: TextDocumentIdentifier; uri?: string }, token: CancellationToken) => {
      const r = await analysisFor(params?.textDocument ?? (params?.uri ? { uri: params.uri } : undefined), token);
      return r ? documentStatus(r.analysis) : null;
    }),
  );

  registerFeatures({ connection, analysisFor, linesOf: (uri) => external.linesOf(uri), guardRequest, log, capabilities: () => clientCapabilities });

  // ---------------------------------------------------------------- guards

  function guardRequest<P, R>(name: string, empty: R, fn: (params: P, token: CancellationToken) => Promise<R> | R) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await fn(params, token);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        logError(`citecheck: ${name} failed: ${(err as Error)?.stack ?? err}`);
        return empty;
      }
    };
  }

  function guardNotification<P>(name: string, fn: (params: P) => void) {
    return (params: P): void => {
      try {
        fn(params);
      } catch (err) {
        logError(`citecheck: ${name} failed: ${(err as Error)?.stack ?? err}`);
      }
    };
  }

  connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });

  documents.listen(connection);
  connection.listen();
}

export type GuardRequest = <P, R>(name: string, empty: R, fn: (params: P, token: CancellationToken) => Promise<R> | R) => (params: P, token: CancellationToken) => Promise<R>;

function serverVersion(): string {
  try {
    // server/out/lsp -> package.json at the root (or next to dist/server.js when bundled).
    for (const p of [path.join(__dirname, '..', '..', '..', 'package.json'), path.join(__dirname, '..', 'package.json')]) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const pkg = require(p) as { name?: string; version?: string };
        if (pkg.name === 'citecheck' && pkg.version) return pkg.version;
      } catch {
        // next
      }
    }
  } catch {
    // fall through
  }
  return '0.0.0';
}

/** Starts the server on the transport named in argv (`--stdio`, `--node-ipc`, `--socket=N`). */
export function main(): void {
  const connection = createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (err) => connection.console.error(`citecheck: uncaught: ${err?.stack ?? err}`));
  process.on('unhandledRejection', (err) => connection.console.error(`citecheck: unhandled rejection: ${(err as Error)?.stack ?? err}`));
  startServer(connection);
}

if (require.main === module) main();

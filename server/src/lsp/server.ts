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
  type WorkspaceFolder,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format as formatArgs } from 'node:util';
import { FrameGuard } from './framing';
import { Analyses, type DocumentAnalysis } from './analyses';
import { ExternalReferences, uriToPath } from './externalReferences';
import { WorkspaceDocuments, bibliographyUse, type BibliographyUse } from './workspaceDocuments';
import { BibWorker } from './bibWorkerClient';
import { EntryFormatter } from './formatting';
import { bibliographyFormatFromUri } from '../core/bibliography/read';
import type { Diagnostic as CoreDiagnostic } from '../core';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './settings';
import { registerFeatures, SORT_REFERENCES_KIND, FIX_ALL_KIND } from './features';
import { toDiagnostic } from './convert';
import { ChangeTracker } from './changes';
import { documentStatus } from '../features';

export const STATUS_REQUEST = 'citecheck/status';
export const STATUS_NOTIFICATION = 'citecheck/statusChanged';
/** The server process's `process.memoryUsage()` (after a collection when `{ gc: true }` and node runs with --expose-gc): for soak tests. */
export const MEMORY_REQUEST = 'citecheck/memory';

export function startServer(connection: Connection): void {
  // The documents, with each edit's range kept for the analysis (see changes.ts).
  const changes = new ChangeTracker();
  const documents = new TextDocuments({
    create: TextDocument.create,
    update: (doc, edits, version) => {
      changes.record(doc, edits);
      return TextDocument.update(doc, edits, version);
    },
  });
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

  // Two worker threads: one reads bibliography files, one formats entries with citation-js.
  let useWorkers = true;
  let formatTimeoutMs = 2500;
  let indexer: BibWorker | undefined;
  let formatWorker: BibWorker | undefined;
  const indexerWorker = () => (indexer ??= new BibWorker(logError, useWorkers));
  const formattingWorker = () => (formatWorker ??= new BibWorker(logError, useWorkers));
  const lazyIndexer = { index: (p: Parameters<BibWorker['index']>[0]) => indexerWorker().index(p) } as unknown as BibWorker;
  const lazyFormatter = {
    format: (p: Parameters<BibWorker['format']>[0]) => formattingWorker().format(p),
  } as unknown as BibWorker;

  const external = new ExternalReferences(logError, lazyIndexer, {
    onLoaded: () => {
      analyses.invalidateAll();
      revalidateAll();
    },
    progress: (file, bytes) => beginProgress(`Reading ${path.basename(file)} (${(bytes / 1e6).toFixed(1)} MB)`),
  });
  const formatter = new EntryFormatter(lazyFormatter, external, logError);

  /** LSP work-done progress for a background read (when the client takes server-made progress). */
  function beginProgress(message: string): (done: string) => void {
    if (!clientCapabilities.window?.workDoneProgress) return () => undefined;
    let ended: string | undefined;
    let reporter: { done(): void; report(message: string): void } | undefined;
    void connection.window.createWorkDoneProgress().then(
      (r) => {
        reporter = r;
        r.begin('citecheck', undefined, message, false);
        if (ended !== undefined) {
          r.report(ended);
          r.done();
        }
      },
      () => undefined,
    );
    return (done: string) => {
      ended = done;
      if (reporter) {
        reporter.report(done);
        reporter.done();
      }
    };
  }

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

  const analyses = new Analyses(settingsFor, external, () => roots, changes);

  /** Paths of the documents open in the editor (not bibliographies). */
  function openDocumentPaths(): Set<string> {
    const out = new Set<string>();
    for (const d of documents.all()) {
      const p = uriToPath(d.uri);
      if (p && !isBibliographyDocument(d)) out.add(path.resolve(p));
    }
    return out;
  }

  // The workspace's other documents (closed chapters), read from disk in the background: an
  // entry of a bibliography is uncited only when none of the files using it cites it.
  const workspaceDocuments = new WorkspaceDocuments({
    roots: () => roots,
    isOpen: (file) => openDocumentPaths().has(path.resolve(file)),
    analyze: (uri, text, file) => analyses.analyzeText(uri, text, pathToFileURL(path.dirname(file)).href),
    changed: () => scheduleBibliographyDiagnostics(),
    log: logError,
  });

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
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown; settings?: unknown; citecheck?: unknown; workers?: unknown; formatTimeoutMs?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    if (init.workers === false) useWorkers = false;
    if (typeof init.formatTimeoutMs === 'number' && init.formatTimeoutMs >= 0) formatTimeoutMs = init.formatTimeoutMs;
    if (init.settings || init.citecheck) globalSettings = parseSettings(init.settings ?? init);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['(', ';', '@', '{', ','], resolveProvider: true },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'citecheck' },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, SORT_REFERENCES_KIND], resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'citecheck', version: serverVersion() },
    };
  });

  connection.onInitialized(() => {
    // citation-js takes a while to load: load it in its worker now, not on the first hover.
    formattingWorker().warm();
    // Folders added to or removed from the workspace: bibliography globs, reference files and the
    // closed documents counted for uncited entries are looked for in the folders as they are now.
    if (clientCapabilities?.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guardNotification('didChangeWorkspaceFolders', (e: WorkspaceFoldersChangeEvent) => {
          const paths = (folders: readonly WorkspaceFolder[]) => folders.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p).map((p) => path.resolve(p));
          const removed = new Set(paths(e.removed));
          const kept = roots.map((r) => path.resolve(r)).filter((r) => !removed.has(r));
          const added = paths(e.added).filter((p) => !kept.includes(p));
          roots = [...kept, ...added];
          settingsCache.clear();
          external.filesChanged();
          workspaceDocuments.rootsChanged(added);
          analyses.invalidateAll();
          revalidateAll();
        }),
      );
    }
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'citecheck' }).catch(() => undefined);
    if (dynamicWatchers) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{bib,bibtex,biblatex,json,yaml,yml,ris,md,qmd,rmd,Rmd,txt,tex,rnw,Rnw,rst,csl}' }] })
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
      // Created or deleted files may match a glob of citecheck.bibliographies.
      if (params.changes.some((c) => c.type !== 2)) external.filesChanged();
      const touched = params.changes.some((c) => {
        const p = uriToPath(c.uri);
        return p !== undefined && (external.isLoaded(p) || /(^|[\\/])_quarto\.ya?ml$/.test(p) || /\.csl$/i.test(p) || (c.type !== 2 && isBibliographyPath(p)));
      });
      if (touched) {
        analyses.invalidateAll();
        revalidateAll();
      }
      // A closed chapter saved or changed on disk: read again for the bibliographies' uncited entries.
      for (const c of params.changes) {
        const p = uriToPath(c.uri);
        if (p) workspaceDocuments.fileChanged(p, c.type);
      }
    }),
  );

  // ---------------------------------------------------------------- documents and diagnostics

  /** Per document, how to cancel its pending check (a timeout or an immediate, see later). */
  const timers = new Map<string, () => void>();
  const openedAt = new Map<string, number>();

  documents.onDidOpen((e) => {
    openedAt.set(e.document.uri, e.document.version);
  });
  documents.onDidChangeContent((e) => {
    const doc = e.document;
    if (isBibliographyDocument(doc)) {
      // An open bibliography: the editor's text is what documents are checked against.
      const p = uriToPath(doc.uri);
      if (p) external.setOverlay(p, doc.getText(), doc.version);
      scheduleBibliography(doc.uri);
      return;
    }
    const first = openedAt.get(doc.uri) === doc.version;
    openedAt.delete(doc.uri);
    const own = uriToPath(doc.uri);
    if (own && external.isLoaded(own)) {
      // A reference list other files cite (`citecheck.referenceFiles`, e.g. a thesis's
      // references.md) is being edited: the chapters are checked against the editor's text.
      external.setOverlay(own, doc.getText(), doc.version);
      analyses.invalidateAll();
      revalidateAll();
      return;
    }
    schedule(doc.uri, first ? 0 : debounceMs);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    cancelScheduled(uri);
    openedAt.delete(uri);
    settingsCache.delete(uri);
    analyses.forget(uri);
    const closedPath = uriToPath(uri);
    if (isBibliographyDocument(e.document) || (closedPath && external.isLoaded(closedPath))) {
      // Back to the file on disk.
      if (closedPath) external.closeOverlay(closedPath);
      analyses.invalidateAll();
      revalidateAll();
      if (!isBibliographyDocument(e.document)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    } else {
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    // A chapter closed (perhaps unsaved): the file on disk counts again.
    if (closedPath && !isBibliographyDocument(e.document)) workspaceDocuments.closed(closedPath);
    scheduleBibliographyDiagnostics();
  });

  function isBibliographyPath(p: string): boolean {
    return bibliographyFormatFromUri(p) === 'bibtex' || bibliographyFormatFromUri(p) === 'ris';
  }

  /** A `.bib` or `.ris` open in the editor (or a bibtex document): read as a bibliography, not checked as prose. */
  function isBibliographyDocument(doc: TextDocument): boolean {
    if (doc.languageId === 'bibtex' || doc.languageId === 'biblatex' || doc.languageId === 'ris') return true;
    const p = uriToPath(doc.uri) ?? doc.uri;
    return isBibliographyPath(p);
  }

  /** An open bibliography changed: the documents that use it are checked again (after the usual pause). */
  function scheduleBibliography(uri: string): void {
    later(uri, Math.max(debounceMs, 50), () => {
      analyses.invalidateAll();
      revalidateAll();
      // Read it even when no open document uses it, to show its own problems.
      const p = uriToPath(uri);
      if (p) {
        void external.load('', [p], [], roots).then(
          () => scheduleBibliographyDiagnostics(),
          (err) => logError(`citecheck: reading ${p} failed: ${err}`),
        );
      } else scheduleBibliographyDiagnostics();
    });
  }

  // ---------------------------------------------------------------- diagnostics on bibliography files

  /** At most this many diagnostics are published on one bibliography file. */
  const MAX_BIBLIOGRAPHY_DIAGNOSTICS = 500;
  /** What was last published on each bibliography file (a signature of it). */
  const publishedBibliographies = new Map<string, string>();
  let bibTimer: NodeJS.Timeout | undefined;

  function scheduleBibliographyDiagnostics(): void {
    clearTimeout(bibTimer);
    bibTimer = setTimeout(() => {
      bibTimer = undefined;
      try {
        publishBibliographyDiagnostics();
      } catch (err) {
        logError(`citecheck: bibliography diagnostics failed: ${(err as Error)?.stack ?? err}`);
      }
    }, 20);
  }

  /**
   * On each bibliography file that is open or that an open document uses: its reader's problems,
   * then its entries that no document using it cites (`uncited-reference`, information): the open
   * documents and the workspace's closed ones (workspaceDocuments.ts), an open one in its editor's
   * version. A document with no citation at all takes no part (nothing is known of what it cites).
   */
  function publishBibliographyDiagnostics(): void {
    const openUses = new Map<string, BibliographyUse[]>();
    const openPaths = new Set<string>();
    const add = (to: Map<string, BibliographyUse[]>, use: BibliographyUse) => {
      for (const u of use.externalUris) {
        let list = to.get(u);
        if (!list) to.set(u, (list = []));
        list.push(use);
      }
    };
    for (const d of documents.all()) {
      if (isBibliographyDocument(d)) continue;
      const r = analyses.latest(d.uri);
      if (!r) continue;
      const p = uriToPath(d.uri);
      if (p) openPaths.add(path.resolve(p));
      add(openUses, bibliographyUse(r));
    }
    const open = new Map(documents.all().filter(isBibliographyDocument).map((d) => [d.uri, d] as const));
    // The closed documents are found once a bibliography is shown (and only in a workspace folder).
    if (openUses.size || open.size) workspaceDocuments.start();
    const closedReady = workspaceDocuments.ready();
    const users = new Map<string, BibliographyUse[]>();
    for (const [u, list] of openUses) users.set(u, [...list]);
    // A closed file opened since counts in its editor's version (once that is analysed).
    for (const c of workspaceDocuments.uses()) if (!openPaths.has(c.file)) add(users, c.use);
    const now = new Set<string>();
    for (const uri of new Set([...openUses.keys(), ...open.keys()])) {
      const f = external.fileOf(uri);
      const doc = open.get(uri);
      if (!f || f.kind !== 'bibliography') continue;
      if (doc && f.stamp !== `open:${doc.version}:${doc.getText().length}`) continue; // its own check will publish
      const using = (users.get(uri) ?? []).filter((u) => u.citations > 0);
      if (using.length && !closedReady) {
        // The closed documents are still being read: what was published stands until they are in.
        now.add(uri);
        continue;
      }
      const diags: CoreDiagnostic[] = f.diagnostics.slice(0, MAX_BIBLIOGRAPHY_DIAGNOSTICS);
      if (using.length && !using.some((u) => u.pending)) {
        // Uncited in every document that uses the file: the entry (by its place in the file) in all their lists.
        const lists = using.map((u) => u.uncited.get(uri) ?? new Map<number, CoreDiagnostic>()).sort((a, b) => a.size - b.size);
        for (const [start, d] of lists[0]) {
          if (diags.length >= MAX_BIBLIOGRAPHY_DIAGNOSTICS) break;
          if (lists.every((m) => m.has(start))) diags.push(d);
        }
      }
      now.add(uri);
      // Unchanged since the last publication (an edit in the paper that cites nothing new): not sent again.
      const signature = `${f.stamp}|${doc?.version}|${diags.map((d) => `${d.code}@${d.range.start}:${d.severity}`).join(',')}`;
      if (publishedBibliographies.get(uri) === signature) continue;
      publishedBibliographies.set(uri, signature);
      const linesOf = (u: string) => external.linesOf(u);
      const lsp = diags.map((d) => toDiagnostic(d, f.lines, linesOf, doc?.version));
      void connection.sendDiagnostics({ uri, version: doc?.version, diagnostics: lsp });
    }
    for (const uri of [...publishedBibliographies.keys()]) {
      if (now.has(uri)) continue;
      publishedBibliographies.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  /**
   * Checks a document after `delay` ms; a newer edit replaces the pending check. With no delay the
   * check runs once the messages already read are handled (setImmediate: a 0 ms timeout waits 1 ms),
   * so edits that arrive together are still checked once.
   */
  function schedule(uri: string, delay: number): void {
    later(uri, delay, () => void validate(uri));
  }

  /** Runs `run` for `uri` after `delay` ms (at once after the messages read, for 0), replacing one pending. */
  function later(uri: string, delay: number, run: () => void): void {
    cancelScheduled(uri);
    const go = () => {
      timers.delete(uri);
      run();
    };
    if (delay > 0) {
      const t = setTimeout(go, delay);
      timers.set(uri, () => clearTimeout(t));
    } else {
      const t = setImmediate(go);
      timers.set(uri, () => clearImmediate(t));
    }
  }

  function cancelScheduled(uri: string): void {
    timers.get(uri)?.();
    timers.delete(uri);
  }

  function revalidateAll(): void {
    for (const d of documents.all()) if (!isBibliographyDocument(d)) schedule(d.uri, 0);
    workspaceDocuments.invalidate();
  }

  async function validate(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    try {
      const r = await analyses.get(doc);
      // An edit came in while this one was being checked: its own check will publish.
      if (documents.get(uri)?.version !== version) return;
      // A bibliography is still being read: publishing now would call its keys unknown.
      if (r.pending.length) return;
      publish(r);
      scheduleBibliographyDiagnostics();
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
    if (!doc || isBibliographyDocument(doc)) return undefined;
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

  connection.onRequest(
    MEMORY_REQUEST,
    guardRequest(MEMORY_REQUEST, null, (params: { gc?: boolean } | null) => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (params?.gc === true && typeof gc === 'function') gc();
      return process.memoryUsage();
    }),
  );

  registerFeatures({
    connection,
    analysisFor,
    linesOf: (uri) => external.linesOf(uri),
    guardRequest,
    log,
    capabilities: () => clientCapabilities,
    formatter,
    styleFor: (r) => formatter.style(r.settings.citationStyle, r.analysis.uri, roots),
    formatTimeoutMs: () => formatTimeoutMs,
    pendingNote: (r) =>
      r.pending.length ? `*Still reading ${r.pending.map((p) => `\`${path.basename(p)}\``).join(', ')}: its entries are not yet known.*` : undefined,
  });

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
    for (const uri of [...timers.keys()]) cancelScheduled(uri);
    clearTimeout(bibTimer);
    workspaceDocuments.dispose();
    indexer?.dispose();
    formatWorker?.dispose();
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
  const connection = process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (err) => connection.console.error(`citecheck: uncaught: ${err?.stack ?? err}`));
  process.on('unhandledRejection', (err) => connection.console.error(`citecheck: unhandled rejection: ${(err as Error)?.stack ?? err}`));
  startServer(connection);
}

/**
 * `--stdio`, with a guard in front of the reader that skips malformed frames (see framing.ts), and,
 * as createConnection does for `--stdio`, console output sent to the client's log, never to stdout.
 */
function stdioConnection(): Connection {
  const guard = new FrameGuard((m) => process.stderr.write(`${m}\n`));
  process.stdin.pipe(guard);
  const connection = createConnection(ProposedFeatures.all, guard, process.stdout);
  const toLog = (send: (m: string) => void) => (...args: unknown[]) => send(formatArgs(...args));
  console.log = toLog((m) => connection.console.log(m));
  console.info = toLog((m) => connection.console.info(m));
  console.debug = toLog((m) => connection.console.log(m));
  console.warn = toLog((m) => connection.console.warn(m));
  console.error = toLog((m) => connection.console.error(m));
  return connection;
}

if (require.main === module) main();

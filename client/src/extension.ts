/**
 * The VS Code extension: starts citecheck's language server over IPC and shows a status bar
 * item. Everything else (diagnostics, hover, completion, fixes) comes from the server.
 */
import * as fs from 'node:fs';
import {
  commands,
  StatusBarAlignment,
  Uri,
  window,
  workspace,
  type ExtensionContext,
  type StatusBarItem,
  type TextEditor,
} from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type Location as LspLocation,
  type Position as LspPosition,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** The languages citecheck checks (R Markdown's id is `rmd`, Quarto's `quarto`). */
export const LANGUAGES = ['markdown', 'quarto', 'rmd', 'plaintext', 'restructuredtext', 'latex', 'tex'];

interface Status {
  uri: string;
  version?: number;
  citations: number;
  unmatched: number;
  references: number;
  problems: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
}

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  // Packaged: one bundled file; from the repository: the compiled server.
  const bundled = context.asAbsolutePath('dist/server.js');
  const module = fs.existsSync(bundled) ? bundled : context.asAbsolutePath('server/out/lsp/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const documentSelector = [
    ...LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    // Bibliography files: the server reads an open one from the editor (unsaved edits count) and
    // shows its problems (syntax, duplicate keys, uncited entries) on it.
    { scheme: 'file', pattern: '**/*.{bib,ris}' },
  ];
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    // Bibliography files changed on disk are read again, and so are closed chapters (for the
    // entries no file of the document cites); the server also registers this watcher itself when
    // the client allows dynamic registration.
    synchronize: { configurationSection: 'citecheck', fileEvents: workspace.createFileSystemWatcher('**/{*.bib,*.json,*.yaml,*.yml,*.ris,*.csl,_quarto.yml,*.md,*.qmd,*.Rmd,*.rmd,*.txt,*.rst,*.tex,*.Rnw,*.rnw}') },
    outputChannelName: 'citecheck',
  };
  client = new LanguageClient('citecheck', 'citecheck', serverOptions, clientOptions);

  const statuses = new Map<string, Status>();
  const item = window.createStatusBarItem('citecheck.status', StatusBarAlignment.Right, 100);
  item.name = 'citecheck';
  item.command = 'workbench.actions.view.problems';
  context.subscriptions.push(item);

  const update = () => void showStatus(item, statuses, window.activeTextEditor);

  context.subscriptions.push(
    commands.registerCommand('citecheck.showReferences', async (uri: string, position: LspPosition, locations: LspLocation[]) => {
      if (!client) return;
      const p2c = client.protocol2CodeConverter;
      await commands.executeCommand('editor.action.showReferences', Uri.parse(uri), p2c.asPosition(position), locations.map((l) => p2c.asLocation(l)));
    }),
    commands.registerCommand('citecheck.sortReferences', () =>
      commands.executeCommand('editor.action.sourceAction', { kind: 'source.sortReferences.citecheck', apply: 'first' }),
    ),
    commands.registerCommand('citecheck.fixAll', () => commands.executeCommand('editor.action.sourceAction', { kind: 'source.fixAll.citecheck', apply: 'first' })),
    commands.registerCommand('citecheck.restartServer', async () => {
      statuses.clear();
      await client?.restart();
      update();
    }),
    commands.registerCommand('citecheck.showOutput', () => client?.outputChannel.show(true)),
    window.onDidChangeActiveTextEditor(update),
  );

  await client.start();
  context.subscriptions.push(
    client.onNotification('citecheck/statusChanged', (s: Status) => {
      statuses.set(s.uri, s);
      if (window.activeTextEditor?.document.uri.toString() === s.uri) update();
    }),
  );
  update();
}

async function showStatus(item: StatusBarItem, statuses: Map<string, Status>, editor: TextEditor | undefined): Promise<void> {
  if (!editor || !client || !LANGUAGES.includes(editor.document.languageId)) {
    item.hide();
    return;
  }
  const uri = editor.document.uri.toString();
  let s = statuses.get(uri);
  if (!s) {
    try {
      s = (await client.sendRequest<Status | null>('citecheck/status', { textDocument: { uri } })) ?? undefined;
    } catch {
      s = undefined;
    }
    if (s) statuses.set(uri, s);
  }
  if (!s || window.activeTextEditor?.document.uri.toString() !== uri) {
    if (!s) item.hide();
    return;
  }
  const cites = `${s.citations} citation${s.citations === 1 ? '' : 's'}`;
  const icon = s.errors ? '$(error)' : s.warnings ? '$(warning)' : '$(check)';
  item.text = `${icon} ${cites}, ${s.problems} problem${s.problems === 1 ? '' : 's'}`;
  item.tooltip = `citecheck: ${cites} against ${s.references} reference${s.references === 1 ? '' : 's'}; ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.information + s.hints, 'note')}. Click for the Problems view.`;
  item.show();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/**
 * The LSP face of each feature: positions in, the pure feature over the Analysis, LSP types out.
 * Nothing here decides what to show; server/src/features does.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  DocumentHighlightKind,
  ErrorCodes,
  ResponseError,
  SymbolKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type DocumentHighlight,
  type DocumentSymbol,
  type Location,
  type LocationLink,
  type Range as LspRange,
  type SymbolInformation,
  type TextDocumentIdentifier,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Analysis, Diagnostic, LineIndex, TextEdit } from '../core';
import {
  codeLenses,
  complete,
  definition,
  documentSymbols,
  fixAll,
  fixAllOfKind,
  fixesFor,
  highlights,
  hover,
  ignoreCitation,
  references,
  rename,
  renameTarget,
  sortReferences,
  targetAt,
  entriesOf,
  type Action,
  type SymbolNode,
} from '../features';
import type { DocumentAnalysis } from './analyses';
import { toDiagnostic, toRange, toTextEdit, type DiagnosticData } from './convert';
import type { GuardRequest } from './server';
import type { EntryFormatter, Style } from './formatting';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.citecheck`;
export const SORT_REFERENCES_KIND = 'source.sortReferences.citecheck';
/** Client-side command a code lens runs to show an entry's citations. */
export const SHOW_REFERENCES_COMMAND = 'citecheck.showReferences';

export interface FeatureContext {
  connection: Connection;
  analysisFor(td: TextDocumentIdentifier | undefined, token?: CancellationToken): Promise<DocumentAnalysis | undefined>;
  linesOf(uri: string): LineIndex | undefined;
  guardRequest: GuardRequest;
  log(message: string): void;
  /** What the client said it supports, at initialize. */
  capabilities(): ClientCapabilities;
  /** Formats bibliography entries in the user's citation style (citation-js, in the worker). */
  formatter: EntryFormatter;
  /** The citation style for a document's settings. */
  styleFor(r: DocumentAnalysis): Promise<Style | undefined>;
  /** How long a hover waits for formatting before it shows the entry as read. */
  formatTimeoutMs(): number;
  /** A bibliography the document uses is still being read: say so rather than 'unknown key'. */
  pendingNote(r: DocumentAnalysis): string | undefined;
}

/** Completion items formatted at once (the rest on completionItem/resolve). */
const FORMAT_NOW = 30;

export function registerFeatures(ctx: FeatureContext): void {
  const { connection, analysisFor, guardRequest } = ctx;
  const capsOf = () => ctx.capabilities();
  const linesFor = (a: Analysis, uri: string) => (uri === a.uri ? a.lines : ctx.linesOf(uri));

  connection.onHover(
    guardRequest('hover', null, async (p, token) => {
      const r = await analysisFor(p.textDocument, token);
      if (!r) return null;
      const a = r.analysis;
      const offset = a.lines.offset(p.position);
      const t = targetAt(a, offset);
      if (!t) return null;
      const style = await ctx.styleFor(r);
      if (t.kind === 'citation') {
        const es = entriesOf(t.resolution).entries.map((i) => a.references[i]).filter(Boolean);
        await ctx.formatter.ensure(es, style, ctx.formatTimeoutMs());
        if (token.isCancellationRequested) return null;
      }
      const h = hover(a, offset, { formatted: (e) => ctx.formatter.cached(e, style) });
      if (!h) return null;
      let value = h.markdown;
      if (t.kind === 'citation' && t.resolution.status === 'unresolved') {
        const note = ctx.pendingNote(r);
        if (note) value = `${note}\n\n${value}`;
      }
      return { contents: { kind: 'markdown', value }, range: toRange(a.lines, h.range) };
    }),
  );

  connection.onCompletion(
    guardRequest('completion', null, async (p, token): Promise<CompletionList | null> => {
      const r = await analysisFor(p.textDocument, token);
      if (!r) return null;
      const a = r.analysis;
      const style = await ctx.styleFor(r);
      const formatted = (e: Parameters<typeof ctx.formatter.cached>[0]) => ctx.formatter.cached(e, style);
      let res = complete(a, a.lines.offset(p.position), { formatted });
      if (!res) return null;
      // Format the first items now (briefly), the others when the client resolves them.
      const first = res.items.slice(0, FORMAT_NOW).map((it) => a.references[it.entry]);
      if (first.some((e) => e.source.kind === 'bibliography' && formatted(e) === undefined)) {
        await ctx.formatter.ensure(first, style, Math.min(300, ctx.formatTimeoutMs()));
        res = complete(a, a.lines.offset(p.position), { formatted }) ?? res;
      }
      const insertReplace = !!capsOf().textDocument?.completion?.completionItem?.insertReplaceSupport;
      const markdown = capsOf().textDocument?.completion?.completionItem?.documentationFormat?.includes('markdown') ?? true;
      const items: CompletionItem[] = res.items.map((it) => ({
        label: it.label,
        kind: it.kind === 'key' ? CompletionItemKind.Constant : CompletionItemKind.Reference,
        detail: it.detail,
        documentation: markdown ? { kind: 'markdown', value: it.documentation } : it.documentation.replace(/\\(.)/g, '$1'),
        filterText: it.filterText,
        sortText: it.sortText,
        textEdit: insertReplace
          ? { newText: it.insertText, insert: toRange(a.lines, it.insert), replace: toRange(a.lines, it.replace) }
          : { newText: it.insertText, range: toRange(a.lines, it.insert) },
        data: { entry: it.entry, uri: a.uri, version: r.version },
      }));
      // The server filtered on what was typed: ask again as it changes (a shorter prefix offers more).
      return { isIncomplete: res.prefix.trim() !== '', items };
    }),
  );

  connection.onCompletionResolve(
    async (item: CompletionItem, token: CancellationToken): Promise<CompletionItem> => {
      try {
        return await resolveItem(item, token);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        ctx.log(`citecheck: completionItem/resolve failed: ${(err as Error)?.stack ?? err}`);
        return item;
      }
    },
  );

  async function resolveItem(item: CompletionItem, token: CancellationToken): Promise<CompletionItem> {
      const data = item.data as { entry?: number; uri?: string; version?: number } | undefined;
      if (!data?.uri || typeof data.entry !== 'number') return item;
      let r: DocumentAnalysis | undefined;
      try {
        r = await analysisFor({ uri: data.uri }, token);
      } catch {
        return item;
      }
      if (!r || r.version !== data.version) return item;
      const e = r.analysis.references[data.entry];
      if (!e || e.source.kind !== 'bibliography') return item;
      const style = await ctx.styleFor(r);
      await ctx.formatter.ensure([e], style, ctx.formatTimeoutMs());
      const f = ctx.formatter.cached(e, style);
      if (!f) return item;
      const markdown = capsOf().textDocument?.completion?.completionItem?.documentationFormat?.includes('markdown') ?? true;
      return { ...item, documentation: markdown ? { kind: 'markdown', value: f } : f.replace(/\\(.)/g, '$1') };
  }

  connection.onDefinition(
    guardRequest('definition', null, async (p, token): Promise<Location[] | LocationLink[] | null> => {
      const r = await analysisFor(p.textDocument, token);
      if (!r) return null;
      const a = r.analysis;
      const d = definition(a, a.lines.offset(p.position));
      if (!d) return null;
      const targets = d.targets.flatMap((t) => {
        const li = linesFor(a, t.uri);
        return li ? [{ t, li }] : [];
      });
      if (capsOf().textDocument?.definition?.linkSupport) {
        return targets.map(({ t, li }) => ({
          originSelectionRange: toRange(a.lines, d.origin),
          targetUri: t.uri,
          targetRange: toRange(li, t.range),
          targetSelectionRange: toRange(li, t.selection),
        }));
      }
      return targets.map(({ t, li }) => ({ uri: t.uri, range: toRange(li, t.selection) }));
    }),
  );

  connection.onReferences(
    guardRequest('references', null, async (p, token): Promise<Location[] | null> => {
      const r = await analysisFor(p.textDocument, token);
      if (!r) return null;
      const a = r.analysis;
      const refs = references(a, a.lines.offset(p.position), !!p.context?.includeDeclaration);
      return refs.flatMap((x) => {
        const li = linesFor(a, x.uri);
        return li ? [{ uri: x.uri, range: toRange(li, x.range) }] : [];
      });
    }),
  );

  connection.onDocumentHighlight(
    guardRequest('documentHighlight', null, async (p, token): Promise<DocumentHighlight[] | null> => {
      const r = await analysisFor(p.textDocument, token);
      if (!r) return null;
      const a = r.analysis;
      return highlights(a, a.lines.offset(p.position)).map((x) => ({
        range: toRange(a.lines, x.range),
        kind: x.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
      }));
    }),
  );

  connection.onPrepareRename(
    guardRequest('prepareRename', null, async (p, token) => {
      const r = await analysisFor(p.textDocument, token);
      if (!r) return null;
      const a = r.analysis;
      const t = renameTarget(a, a.lines.offset(p.position));
      if ('error' in t) throw new ResponseError(ErrorCodes.InvalidRequest, t.error);
      return { range: toRange(a.lines, t.range), placeholder: t.text };
    }),
  );

  connection.onRenameRequest(
    guardRequest('rename', null, async (p, token): Promise<WorkspaceEdit | null> => {
      const r = await analysisFor(p.textDocument, token);
      if (!r) return null;
      const a = r.analysis;
      const res = rename(a, a.lines.offset(p.position), p.newName);
      if ('error' in res) throw new ResponseError(ErrorCodes.InvalidRequest, res.error);
      return workspaceEdit(a, r.version, res.edits);
    }),
  );

  connection.onDocumentSymbol(
    guardRequest('documentSymbol', null, async (p, token): Promise<DocumentSymbol[] | SymbolInformation[] | null> => {
      const r = await analysisFor(p.textDocument, token);
      if (!r) return null;
      const a = r.analysis;
      const nodes = documentSymbols(a);
      if (capsOf().textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport) return nodes.map((n) => toSymbol(a.lines, n));
      const flat: SymbolInformation[] = [];
      for (const n of nodes) {
        flat.push({ name: n.name, kind: SymbolKind.Namespace, location: { uri: a.uri, range: toRange(a.lines, n.range) } });
        for (const c of n.children) flat.push({ name: c.name, kind: SymbolKind.Field, location: { uri: a.uri, range: toRange(a.lines, c.range) }, containerName: n.name });
      }
      return flat;
    }),
  );

  connection.onCodeLens(
    guardRequest('codeLens', null, async (p, token): Promise<CodeLens[] | null> => {
      const r = await analysisFor(p.textDocument, token);
      if (!r) return null;
      const a = r.analysis;
      return codeLenses(a).map((l) => {
        const range = toRange(a.lines, l.range);
        const locations: Location[] = l.citations.map((c) => ({ uri: a.uri, range: toRange(a.lines, c) }));
        return {
          range,
          command: locations.length
            ? { title: l.title, command: SHOW_REFERENCES_COMMAND, arguments: [a.uri, range.start, locations] }
            : { title: l.title, command: '' },
        };
      });
    }),
  );

  connection.onCodeAction(
    guardRequest('codeAction', null, async (p, token): Promise<CodeAction[] | null> => {
      const doc = p.textDocument;
      const r = await analysisFor(doc, token);
      if (!r) return null;
      return codeActions(r, p);
    }),
  );

  function codeActions(r: DocumentAnalysis, p: CodeActionParams): CodeAction[] {
    const a = r.analysis;
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
    const out: CodeAction[] = [];
    const seen = new Set<string>();
    const add = (x: CodeAction) => {
      const k = `${x.kind}|${x.title}`;
      if (seen.has(k)) return;
      seen.add(k);
      out.push(x);
    };
    const linesOf = (u: string) => linesFor(a, u);
    const lspOf = (d: Diagnostic) => toDiagnostic(d, a.lines, linesOf, r.version);

    if (wants(CodeActionKind.QuickFix)) {
      for (const cd of p.context.diagnostics) {
        if (cd.source !== 'citecheck') continue;
        const d = matchDiagnostic(a, cd);
        if (d) {
          for (const act of fixesFor(d)) add(toAction(a, r.version, act, [cd]));
          const citation = (d.data as { citation?: unknown } | undefined)?.citation;
          if (typeof citation === 'number') {
            const ign = ignoreCitation(a, citation);
            if (ign) add(toAction(a, r.version, ign, [cd]));
          }
          if (d.code === 'reference-order') {
            const s = sortReferences(a);
            if (s) add({ ...toAction(a, r.version, s, [cd]), kind: CodeActionKind.QuickFix });
          }
          const all = fixAllOfKind(a, d.code);
          if (all) add(toAction(a, r.version, all, all.diagnostics.map(lspOf)));
        } else {
          // The client's diagnostic is from an older check: its own fixes hold only for its version.
          const data = cd.data as DiagnosticData | undefined;
          if (data && data.version === r.version) {
            for (const f of data.fixes ?? []) {
              add({ title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [cd], isPreferred: f.preferred, edit: lspWorkspaceEdit(a.uri, r.version, f.edits) });
            }
          }
        }
      }
    }
    if (wants(FIX_ALL_KIND) && only) {
      const f = fixAll(a);
      if (f) add(toAction(a, r.version, f, f.diagnostics.map(lspOf)));
    }
    if (wants(SORT_REFERENCES_KIND)) {
      const s = sortReferences(a);
      if (s) add(toAction(a, r.version, s, []));
    }
    return out;
  }

  function workspaceEdit(a: Analysis, version: number, edits: TextEdit[]): WorkspaceEdit {
    return lspWorkspaceEdit(a.uri, version, edits.map((e) => toTextEdit(a.lines, e)));
  }

  function lspWorkspaceEdit(uri: string, version: number, edits: LspTextEdit[]): WorkspaceEdit {
    if (capsOf().workspace?.workspaceEdit?.documentChanges) return { documentChanges: [{ textDocument: { uri, version }, edits }] };
    return { changes: { [uri]: edits } };
  }

  function toAction(a: Analysis, version: number, act: Action, diagnostics: LspDiagnostic[]): CodeAction {
    const kind = act.kind === 'quickfix' ? CodeActionKind.QuickFix : act.kind === 'source.fixAll' ? FIX_ALL_KIND : SORT_REFERENCES_KIND;
    const out: CodeAction = { title: act.title, kind, edit: workspaceEdit(a, version, act.edits) };
    if (diagnostics.length) out.diagnostics = diagnostics;
    if (act.preferred) out.isPreferred = true;
    return out;
  }
}

/** The current analysis's diagnostic a client's diagnostic stands for: same code, same place. */
function matchDiagnostic(a: Analysis, cd: LspDiagnostic): Diagnostic | undefined {
  const start = a.lines.offset(cd.range.start);
  const end = a.lines.offset(cd.range.end);
  const same = a.diagnostics.filter((d) => d.code === cd.code);
  return (
    same.find((d) => d.range.start === start && d.range.end === end && d.message === cd.message) ??
    same.find((d) => d.range.start === start && d.range.end === end)
  );
}

function toSymbol(lines: LineIndex, n: SymbolNode): DocumentSymbol {
  const range: LspRange = toRange(lines, n.range);
  let selectionRange: LspRange = toRange(lines, n.selection);
  // The selection must lie inside the range.
  if (n.selection.start < n.range.start || n.selection.end > n.range.end) selectionRange = range;
  return {
    name: n.name || '(unnamed)',
    detail: n.detail,
    kind: n.kind === 'list' ? SymbolKind.Namespace : SymbolKind.Field,
    range,
    selectionRange,
    children: n.children.map((c) => toSymbol(lines, c)),
  };
}

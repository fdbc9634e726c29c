/**
 * One Analysis per document version: cached by uri + version (+ a generation that settings
 * and bibliography changes bump), computed once even when several requests ask at once.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, CHECKS, formatFromUri, type Analysis, type Diagnostic, type DocumentFormat, type SeveritySetting } from '../core';
import { uriToPath, type ExternalReferences } from './externalReferences';
import { quartoBibliographies } from '../bibliography/quarto';
import type { Settings } from './settings';
import { lspLines } from './lineIndex';
import type { ChangeSpan, ChangeTracker } from './changes';

/** Diagnostic codes the server reports itself (the core does no IO). */
export const SERVER_CODES = { missingBibliography: 'missing-bibliography' } as const;

const CHECK_CODES = new Set(CHECKS.map((c) => c.code));

export interface DocumentAnalysis {
  /** The core's analysis, its diagnostics joined by the server's own (a bibliography not found). */
  analysis: Analysis;
  version: number;
  settings: Settings;
  /** Configured files (`citecheck.bibliographies`, `citecheck.referenceFiles`) that could not be read. */
  missingConfigured: { path: string; reason: string }[];
  /** Bibliography files still being read in the background: the analysis lacks their entries. */
  pending: string[];
  /** Uris of the files whose entries the analysis used. */
  externalUris: string[];
  /** The core's diagnostics on those files (an uncited bibliography entry), published per file by the server. */
  externalDiagnostics: Diagnostic[];
}

const LANGUAGE_FORMATS: Record<string, DocumentFormat> = {
  markdown: 'markdown', quarto: 'markdown', rmd: 'markdown', rmarkdown: 'markdown', mdx: 'markdown', pandoc: 'markdown',
  latex: 'latex', tex: 'latex', plaintex: 'latex', context: 'latex', rnw: 'latex', rsweave: 'latex', sweave: 'latex',
  restructuredtext: 'rst', rst: 'rst',
  plaintext: 'plaintext', text: 'plaintext',
};

export function formatOf(languageId: string | undefined, uri: string): DocumentFormat {
  return (languageId && LANGUAGE_FORMATS[languageId.toLowerCase()]) || formatFromUri(uri);
}

export class Analyses {
  private readonly cache = new Map<string, { version: number; generation: number; result: Promise<DocumentAnalysis> }>();
  /** Bibliography paths each document named at its last analysis (so one pass usually suffices). */
  private readonly named = new Map<string, string[]>();
  private generation = 0;
  /** One incremental analyzer per open document: an edit re-reads only the paragraphs it changed. */
  private readonly analyzers = new Map<string, Analyzer>();
  /** The last finished analysis of each document (any version), for work across documents. */
  private readonly latestDone = new Map<string, DocumentAnalysis>();

  constructor(
    private readonly settingsFor: (uri: string) => Promise<Settings>,
    private readonly external: ExternalReferences,
    private readonly roots: () => string[],
    private readonly changes?: ChangeTracker,
  ) {}

  /** Settings or bibliographies changed: every analysis is to be made again. */
  invalidateAll(): void {
    this.generation++;
    this.cache.clear();
  }

  forget(uri: string): void {
    this.changes?.forget(uri);
    this.cache.delete(uri);
    this.analyzers.delete(uri);
    this.named.delete(uri);
    this.latestDone.delete(uri);
  }

  /** The last finished analysis of a document, whatever its version. */
  latest(uri: string): DocumentAnalysis | undefined {
    return this.latestDone.get(uri);
  }

  /** The analysis of the document as it is now. */
  get(doc: TextDocument): Promise<DocumentAnalysis> {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.generation) return hit.result;
    // The document object changes in place on edits: take its text now.
    const text = doc.getText();
    const { uri, version, languageId } = doc;
    const generation = this.generation;
    const change = this.changes?.take(uri, version);
    const result = this.compute(uri, text, version, languageId, { change });
    const entry = { version, generation, result };
    this.cache.set(uri, entry);
    result.then(
      (r) => {
        if (this.cache.get(uri) === entry) this.latestDone.set(uri, r);
      },
      () => {
        if (this.cache.get(uri) === entry) this.cache.delete(uri);
      },
    );
    return result;
  }

  /** The cached analysis of exactly this version, if it is done. */
  peek(uri: string, version: number): Promise<DocumentAnalysis> | undefined {
    const hit = this.cache.get(uri);
    return hit && hit.version === version && hit.generation === this.generation ? hit.result : undefined;
  }

  /**
   * A one-off analysis of a file that is not open (a chapter on disk), the same way as an open
   * document's: its bibliographies resolved alike. Nothing is cached but the bibliography paths it
   * names; `settingsUri` is the scope its settings are asked for (its folder, so that a workspace's
   * closed files do not each ask the client).
   */
  analyzeText(uri: string, text: string, settingsUri: string): Promise<DocumentAnalysis> {
    return this.compute(uri, text, 0, undefined, { transient: true, settingsUri });
  }

  private async compute(
    uri: string,
    text: string,
    version: number,
    languageId: string | undefined,
    opts: { transient?: boolean; settingsUri?: string; change?: ChangeSpan } = {},
  ): Promise<DocumentAnalysis> {
    const settings = await this.settingsFor(opts.settingsUri ?? uri);
    const format = formatOf(languageId, uri);
    const severities: Record<string, SeveritySetting> = settings.severity;
    // A Quarto project's `_quarto.yml` names bibliographies for its Markdown documents.
    const docPath = uriToPath(uri);
    let quarto: string[] = [];
    if (docPath && format === 'markdown') {
      try {
        quarto = quartoBibliographies(docPath, this.roots())?.paths ?? [];
      } catch {
        quarto = [];
      }
    }
    const run = async (named: string[]) => {
      const ext = await this.external.load(uri, [...named, ...quarto], [...settings.bibliographies, ...settings.referenceFiles], this.roots());
      // A transient check (a closed document of the workspace) keeps nothing for a next version.
      let analyzer = opts.transient ? new Analyzer(false) : this.analyzers.get(uri);
      if (!analyzer) {
        analyzer = new Analyzer();
        this.analyzers.set(uri, analyzer);
      }
      const a = analyzer.analyze({ uri, text, version, format }, { severities, bibliographyEntries: ext.entries, change: opts.change });
      return { a, ext };
    };
    const guess = this.named.get(uri) ?? [];
    let { a, ext } = await run(guess);
    const named = a.bibliographyPaths.map((p) => p.path);
    if (!sameList(named, guess)) {
      this.named.set(uri, named);
      ({ a, ext } = await run(named));
    }
    const own: Diagnostic[] = [];
    const level = severities[SERVER_CODES.missingBibliography];
    if (level !== 'off') {
      for (const m of ext.missing) {
        const at = a.bibliographyPaths.find((p) => p.path === m.path);
        if (!at) continue;
        own.push({
          code: SERVER_CODES.missingBibliography,
          severity: level ?? 'warning',
          uri,
          range: at.range,
          message: `Bibliography '${m.path}' ${m.reason}: its entries are not checked against.`,
          fixes: [],
          data: { path: m.path },
        });
      }
    }
    // Severities of codes the core reports outside its checks (`document-too-large`).
    const externalDiagnostics = a.diagnostics.filter((d) => d.uri !== uri);
    const core = a.diagnostics.flatMap((d): Diagnostic[] => {
      if (d.uri !== uri) return [];
      if (CHECK_CODES.has(d.code)) return [d];
      const level = severities[d.code];
      if (level === 'off') return [];
      return [level ? { ...d, severity: level } : d];
    });
    const diagnostics = [...core, ...own].sort((x, y) => x.range.start - y.range.start);
    const namedPaths = new Set(a.bibliographyPaths.map((p) => p.path));
    const missingConfigured = ext.missing.filter((m) => !namedPaths.has(m.path));
    return { analysis: { ...a, diagnostics, lines: lspLines(a.lines, a.text) }, version, settings, missingConfigured, pending: ext.pending, externalUris: ext.uris, externalDiagnostics };
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

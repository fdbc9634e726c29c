/** Offsets (the core's UTF-16 units) <-> LSP positions, and core types -> LSP types. */
import {
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type DiagnosticRelatedInformation,
  type Position,
  type Range as LspRange,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import type { Diagnostic, LineIndex, Range, Severity, TextEdit } from '../core';

/** Finds the line index of a uri: the analysed document's, or a bibliography file's. */
export type LinesOf = (uri: string) => LineIndex | undefined;

export function toPosition(lines: LineIndex, offset: number): Position {
  return lines.position(offset);
}

export function toRange(lines: LineIndex, r: Range): LspRange {
  return { start: lines.position(r.start), end: lines.position(r.end) };
}

export function toOffset(lines: LineIndex, p: Position): number {
  return lines.offset(p);
}

export function toTextEdit(lines: LineIndex, e: TextEdit): LspTextEdit {
  return { range: toRange(lines, e.range), newText: e.newText };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a published diagnostic carries in `data`: its facts and its fixes, in LSP terms. */
export interface DiagnosticData {
  /** Document version the fixes' ranges belong to. */
  version?: number;
  fixes: { title: string; preferred?: boolean; edits: LspTextEdit[] }[];
  facts?: Record<string, unknown>;
}

export function toDiagnostic(d: Diagnostic, lines: LineIndex, linesOf: LinesOf, version?: number): LspDiagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of d.related ?? []) {
    const li = linesOf(r.uri);
    if (li) related.push({ location: { uri: r.uri, range: toRange(li, r.range) }, message: r.message });
  }
  const data: DiagnosticData = {
    version,
    fixes: d.fixes.map((f) => ({ title: f.title, preferred: f.preferred, edits: f.edits.map((e) => toTextEdit(lines, e)) })),
    facts: d.data,
  };
  const out: LspDiagnostic = {
    range: toRange(lines, d.range),
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Warning,
    code: d.code,
    source: 'citecheck',
    message: d.message,
    data,
  };
  if (related.length) out.relatedInformation = related;
  return out;
}

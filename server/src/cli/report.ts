/** CLI output: text lines, the JSON shape, and SARIF 2.1.0. Lines and columns are 1-based. */
import type { Analysis, Diagnostic } from '../core';
import { LineIndex, CHECKS } from '../core';

export interface FileReport {
  path: string;
  analysis: Analysis;
  /** Diagnostics in other files (bibliography parse problems). */
  extra: Diagnostic[];
}

function pos(lines: LineIndex, offset: number): { line: number; column: number } {
  const p = lines.position(offset);
  return { line: p.line + 1, column: p.character + 1 };
}

function linesFor(r: FileReport, d: Diagnostic): LineIndex {
  return d.uri === r.analysis.uri ? r.analysis.lines : (bibLines.get(d.uri) ?? r.analysis.lines);
}

/** Line indexes of other files diagnostics point into (set by the bibliography loader). */
export const bibLines = new Map<string, LineIndex>();

function pathOf(r: FileReport, d: Diagnostic): string {
  return d.uri === r.analysis.uri ? r.path : d.uri;
}

export function toTextLines(r: FileReport): string[] {
  const all = [...r.analysis.diagnostics, ...r.extra];
  return all.map((d) => {
    const p = pos(linesFor(r, d), d.range.start);
    return `${pathOf(r, d)}:${p.line}:${p.column}: ${d.severity} ${d.code}: ${d.message}`;
  });
}

export function toJsonFile(r: FileReport) {
  const a = r.analysis;
  return {
    path: r.path,
    references: a.references.filter((e) => e.source.kind === 'list').length,
    citations: a.citations.length,
    diagnostics: [...a.diagnostics, ...r.extra].map((d) => {
      const lines = linesFor(r, d);
      const s = pos(lines, d.range.start);
      const e = pos(lines, d.range.end);
      return {
        code: d.code,
        severity: d.severity,
        message: d.message,
        ...(d.uri !== a.uri ? { path: d.uri } : {}),
        line: s.line,
        column: s.column,
        endLine: e.line,
        endColumn: e.column,
        fixes: d.fixes.map((f) => ({
          title: f.title,
          edits: f.edits.map((x) => {
            const xs = pos(lines, x.range.start);
            const xe = pos(lines, x.range.end);
            return { line: xs.line, column: xs.column, endLine: xe.line, endColumn: xe.column, newText: x.newText };
          }),
        })),
      };
    }),
  };
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(reports: FileReport[], version: string) {
  const rules = CHECKS.map((c) => ({
    id: c.code,
    name: c.code.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: c.description.replace(/`/g, "'") },
    defaultConfiguration: { level: SARIF_LEVEL[c.defaultSeverity] },
    helpUri: `https://github.com/citecheck/citecheck#${c.code}`,
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'citecheck', version, informationUri: 'https://github.com/citecheck/citecheck', rules } },
      results: reports.flatMap((r) => [...r.analysis.diagnostics, ...r.extra].map((d) => {
        const lines = linesFor(r, d);
        const s = pos(lines, d.range.start);
        const e = pos(lines, d.range.end);
        const region = { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
        const uri = pathOf(r, d).replace(/\\/g, '/');
        return {
          ruleId: d.code,
          ...(ruleIndex.has(d.code) ? { ruleIndex: ruleIndex.get(d.code) } : {}),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [{ physicalLocation: { artifactLocation: { uri }, region } }],
          ...(d.fixes.length ? {
            fixes: d.fixes.map((f) => ({
              description: { text: f.title },
              artifactChanges: [{
                artifactLocation: { uri },
                replacements: f.edits.map((x) => {
                  const xs = pos(lines, x.range.start);
                  const xe = pos(lines, x.range.end);
                  return { deletedRegion: { startLine: xs.line, startColumn: xs.column, endLine: xe.line, endColumn: xe.column }, insertedContent: { text: x.newText } };
                }),
              }],
            })),
          } : {}),
        };
      })),
    }],
  };
}

/**
 * Bibliography files shared by several of the files given (a thesis's chapters all naming
 * `refs.bib`): their findings are said once, for the set of files, not once per file.
 *
 * - An entry is `uncited-reference` only when no given file that uses the bibliography and has at
 *   least one citation cites it (a file with no citations says nothing about the entries: the
 *   core reports none for it). It is reported with the first such file.
 * - The bibliography's own problems (syntax, duplicate keys) are reported with the first file that
 *   uses it.
 */
import type { Diagnostic } from '../core';
import type { FileReport } from './report';

export interface BibliographyUse {
  report: FileReport;
  /** The names (as in the diagnostics' `uri`) of the bibliography files this file used. */
  bibliographies: string[];
}

export function reportAcrossFiles(uses: BibliographyUse[]): FileReport[] {
  const bibs = new Set(uses.flatMap((u) => u.bibliographies));
  if (!bibs.size) return uses.map((u) => u.report);
  const isUncited = (d: Diagnostic, bib: string) => d.uri === bib && d.code === 'uncited-reference';
  /** Per bibliography: the file its findings are reported with, and the entries (by offset) no file cites. */
  const carrier = new Map<string, FileReport>();
  const uncited = new Map<string, Set<number>>();
  const problemsWith = new Map<string, FileReport>();
  for (const bib of bibs) {
    const using = uses.filter((u) => u.bibliographies.includes(bib));
    problemsWith.set(bib, using[0].report);
    const citing = using.filter((u) => u.report.analysis.citations.length > 0);
    if (!citing.length) continue;
    let common: Set<number> | undefined;
    for (const u of citing) {
      const mine = new Set(u.report.analysis.diagnostics.filter((d) => isUncited(d, bib)).map((d) => d.range.start));
      common = common ? new Set([...common].filter((k) => mine.has(k))) : mine;
    }
    carrier.set(bib, citing[0].report);
    uncited.set(bib, common ?? new Set());
  }
  return uses.map(({ report }) => {
    const diagnostics = report.analysis.diagnostics.filter((d) => {
      if (d.code !== 'uncited-reference' || !bibs.has(d.uri)) return true;
      return carrier.get(d.uri) === report && !!uncited.get(d.uri)?.has(d.range.start);
    });
    const extra = report.extra.filter((d) => !bibs.has(d.uri) || problemsWith.get(d.uri) === report);
    if (diagnostics.length === report.analysis.diagnostics.length && extra.length === report.extra.length) return report;
    return { ...report, analysis: { ...report.analysis, diagnostics }, extra };
  });
}

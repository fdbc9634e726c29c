/** Counts for a status bar: citations, entries and problems by severity. */
import type { Analysis } from '../core';

export interface DocumentStatus {
  uri: string;
  version?: number;
  citations: number;
  /** Citations that match no entry exactly (near misses, ambiguous, unresolved), ignored ones aside. */
  unmatched: number;
  references: number;
  problems: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
}

export function documentStatus(a: Analysis): DocumentStatus {
  const own = a.diagnostics.filter((d) => d.uri === a.uri);
  const count = (s: string) => own.filter((d) => d.severity === s).length;
  return {
    uri: a.uri,
    version: a.version,
    citations: a.citations.length,
    unmatched: a.citations.filter((c, i) => !c.ignored && a.resolutions[i].status !== 'resolved').length,
    references: a.references.length,
    problems: own.length,
    errors: count('error'),
    warnings: count('warning'),
    information: count('information'),
    hints: count('hint'),
  };
}

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
    unmatched: countUnmatched(a),
    references: a.references.length,
    problems: own.length,
    errors: count('error'),
    warnings: count('warning'),
    information: count('information'),
    hints: count('hint'),
  };
}

/** Citations not plainly resolved, ignored ones aside (a loop, not a filter: this runs on every edit). */
function countUnmatched(a: Analysis): number {
  let n = 0;
  const { citations, resolutions } = a;
  for (let i = 0; i < resolutions.length; i++) if (resolutions[i].status !== 'resolved' && !citations[i].ignored) n++;
  return n;
}

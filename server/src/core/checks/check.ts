import type { Citation, Diagnostic, ReferenceEntry, ReferenceSection, Resolution, Severity } from '../types';
import type { LineIndex } from '../text/lineIndex';

/** What every check sees: the analysed document, read-only. */
export interface CheckContext {
  uri: string;
  text: string;
  lines: LineIndex;
  references: ReferenceEntry[];
  citations: Citation[];
  /** resolutions[i] belongs to citations[i]. */
  resolutions: Resolution[];
  sections: (ReferenceSection & { entries: number[]; restarts?: number[] })[];
  /** Entries of the paper's own list (not from bibliography files), by index. */
  listEntries: number[];
  /**
   * The citations a check of citations has to look at, in order: every key citation, and every
   * other one whose resolution is not plainly `resolved` (another status, or an et-al mismatch).
   * See notableCitations.
   */
  notable: number[];
  /**
   * Its entries are seen by no later context (`analyze()`): what a check compares per entry is
   * not cached by entry (see checks/entryKeys.ts).
   */
  once?: boolean;
}

/** CheckContext.notable: one pass, so that each check of citations reads only these. */
export function notableCitations(citations: readonly Citation[], resolutions: readonly Resolution[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < citations.length; i++) {
    const r = resolutions[i];
    if (r.status !== 'resolved' || r.etAlMismatch !== undefined || citations[i].kind === 'key') out.push(i);
  }
  return out;
}

export type DiagnosticDraft = Omit<Diagnostic, 'severity' | 'code'> & { severity?: Severity };

export interface Check {
  code: string;
  defaultSeverity: Severity;
  /** One line for the README and settings. */
  description: string;
  run(ctx: CheckContext): DiagnosticDraft[];
  /**
   * `list`: reads only the reference entries, the sections and the text within them (not the
   * citations). An incremental analysis then reuses its findings while the list is unchanged.
   */
  scope?: 'list';
}

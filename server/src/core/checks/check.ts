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
  sections: (ReferenceSection & { entries: number[] })[];
  /** Entries of the paper's own list (not from bibliography files), by index. */
  listEntries: number[];
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

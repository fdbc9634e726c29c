/**
 * The core's vocabulary. Everything is in editor terms: UTF-16 offsets into the
 * document's text (the same units JavaScript strings and LSP positions use).
 * Nothing here knows about LSP, files or Node.
 */

export interface Range {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export type DocumentFormat = 'markdown' | 'latex' | 'rst' | 'plaintext';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface SourceDocument {
  uri: string;
  text: string;
  /** When absent the format is guessed from the uri's extension. */
  format?: DocumentFormat;
  version?: number;
}

/** One person or body in an entry's author list. */
export interface Person {
  /** Family name as written (`van der Berg`, `Pärn`, `Office of the President`). */
  family: string;
  /** The whole name as written (`Henry A. Kissinger`, `Cabinet Secretariat`). */
  full: string;
  /** A short form the text may cite: `METI` for `Ministry of Economy, Trade and Industry: METI`. */
  alias?: string;
  corporate?: boolean;
  /**
   * Two words with no comma and no initials (`Paolo Davini`, `Kim Dae-jung`): read given name
   * first, but Chinese, Japanese and Korean names are written so family name first, so the first
   * word may be the family name too.
   */
  direct?: boolean;
}

/** Where an entry came from: the paper's own list, or a bibliography file. */
export type EntrySource =
  | { kind: 'list'; uri: string }
  | { kind: 'bibliography'; uri: string; key: string };

export interface ReferenceEntry {
  /** Index in Analysis.references. */
  index: number;
  /** Document (or bibliography file) the entry lives in. */
  uri: string;
  source: EntrySource;
  /** The entry's whole text range in `uri`. */
  range: Range;
  /** The entry as written, whitespace collapsed. */
  text: string;
  authors: Person[];
  /** The list itself wrote `et al.`: the entry has more authors than it names. */
  etAl: boolean;
  /** The authors are editors (`Eds.`, `(Ed.)`). */
  editors: boolean;
  /** `2015`, `n.d.`, `in press`, `forthcoming`, or '' when none was found. */
  year: string;
  /** `a`, `b`, `a/b` or ''. */
  suffix: string;
  /** Range of the year as written (e.g. `2023b`), when it was found. */
  yearRange?: Range;
  /** Range of the author part as written. */
  authorRange?: Range;
  /** The entry took its authors from the entry above (`______.`). */
  ditto?: boolean;
  /** Citation key (`\bibitem{key}`, BibTeX key), when the entry has one. */
  key?: string;
  /** Label as given by `\bibitem[Label(Year)]{key}`, when present. */
  label?: string;
  /** Title words, for completion filtering. */
  title?: string;
  /** The list numbers its entries (`[1]`, `1.`): their order is not alphabetical by design. */
  numbered?: boolean;
  /** For bibliography entries: the CSL-JSON item, for formatting. */
  csl?: Record<string, unknown>;
}

export type CitationKind = 'parenthetical' | 'narrative' | 'bare' | 'key';

export interface CitedName {
  /** As written in the text. */
  text: string;
  range: Range;
}

export interface Citation {
  /** Index in Analysis.citations. */
  index: number;
  kind: CitationKind;
  /** Whole citation text range (`Kim 2015`, `Drezner et al. (2021)`). */
  range: Range;
  /** The citation as it stands in the source. */
  text: string;
  /** Cited names in order; empty for key citations. */
  authors: CitedName[];
  etAl: boolean;
  /** Year as cited (`2015`, `n.d.`, `2023-11-10` -> `2023`). */
  year: string;
  suffix: string;
  /** The year token as written, including its suffix (`2023c`, `2023-11-10`). */
  yearRange: Range;
  /** Key for key citations (`\cite{key}`, `[@key]`). */
  key?: string;
  keyRange?: Range;
  /** Ranges of the enclosing parentheses/brackets, when any (for completion and hover). */
  groupRange?: Range;
  /** True when the checker only counts it because it resolved (a bare name-year in running text). */
  weak?: boolean;
  /** The writer asked to ignore this citation (`<!-- citecheck-ignore -->`). */
  ignored?: boolean;
}

export type ResolutionStatus =
  | 'resolved'
  | 'year-mismatch'
  | 'author-mismatch'
  | 'suffix-missing'
  | 'ambiguous'
  | 'unresolved';

export interface Resolution {
  status: ResolutionStatus;
  /** The entry the citation points to (exactly, or as its nearest miss). */
  entry?: number;
  /** Other entries that fit equally well (ambiguous). */
  candidates?: number[];
  /** For author-mismatch: the cited name that differs, and the entry's spelling. */
  nameDiffers?: { cited: CitedName; listed: string };
  /** et al. used for an entry with two authors, or two authors named for many. */
  etAlMismatch?: 'et-al-for-few' | 'missing-et-al';
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  /** Edits to the document the diagnostic belongs to. */
  edits: TextEdit[];
  /** Marks the fix that repairs the problem (LSP `isPreferred`). */
  preferred?: boolean;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** The document the diagnostic is in (the paper, or a bibliography file). */
  uri: string;
  range: Range;
  fixes: Fix[];
  /** Structured facts for hover and code actions. */
  data?: Record<string, unknown>;
  /** Where the related entry is (for LSP relatedInformation). */
  related?: { uri: string; range: Range; message: string }[];
}

export interface ReferenceSection {
  /** Range of the heading line, when there is one. */
  heading?: Range;
  range: Range;
}

/**
 * One entry point for bibliography files: picks the reader from the uri's
 * extension (or, failing that, from the text), reads the records, turns them
 * into reference entries and the reader's problems into diagnostics on the
 * bibliography file. Pure; never throws.
 */

import type { Diagnostic, ReferenceEntry, Severity } from '../types';
import type { BibProblem } from './bibtex';
import { parseBibtex } from './bibtex';
import { parseCslJson } from './cslJson';
import { parseCslYaml } from './cslYaml';
import { parseRis } from './ris';
import type { BibliographyRecord } from './entries';
import { toEntries } from './entries';

export type BibliographyFormat = 'bibtex' | 'csl-json' | 'csl-yaml' | 'ris';

/** `.bib` -> bibtex, `.json` -> csl-json, `.yaml`/`.yml` -> csl-yaml, `.ris` -> ris; undefined otherwise. */
export function bibliographyFormatFromUri(uri: string): BibliographyFormat | undefined {
  const m = /\.([A-Za-z0-9]+)$/.exec(uri.replace(/[?#].*$/, ''));
  const ext = m ? m[1].toLowerCase() : '';
  switch (ext) {
    case 'bib':
    case 'bibtex':
    case 'biblatex':
      return 'bibtex';
    case 'json':
    case 'csljson':
      return 'csl-json';
    case 'yaml':
    case 'yml':
      return 'csl-yaml';
    case 'ris':
      return 'ris';
    default:
      return undefined;
  }
}

/** Guesses the format from the first characters of the text. */
export function sniffBibliographyFormat(text: string): BibliographyFormat | undefined {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  const t = head.trimStart();
  if (t.startsWith('[') || t.startsWith('{')) return 'csl-json';
  if (/^TY {1,2}- /m.test(head)) return 'ris';
  if (/^(?:---\s*\n)?(?:[\s\S]*\n)?references:\s*$/m.test(head) || /^- (?:id|type|title):/m.test(head)) return 'csl-yaml';
  if (/(^|\n)\s*@[A-Za-z]+\s*[{(]/.test(head)) return 'bibtex';
  return undefined;
}

export interface BibliographyReadResult {
  format?: BibliographyFormat;
  records: BibliographyRecord[];
  entries: ReferenceEntry[];
  problems: BibProblem[];
  diagnostics: Diagnostic[];
  /** Neither the extension nor the text told the format; nothing was read. */
  unknownFormat?: boolean;
}

const CODE: Record<BibProblem['kind'], string> = {
  syntax: 'bibliography-syntax',
  'invalid-json': 'bibliography-syntax',
  'invalid-yaml': 'bibliography-syntax',
  'invalid-item': 'bibliography-invalid-item',
  'duplicate-key': 'bibliography-duplicate-key',
  'duplicate-field': 'bibliography-duplicate-field',
  'missing-key': 'bibliography-missing-key',
  'missing-id': 'bibliography-missing-id',
  'undefined-macro': 'bibliography-undefined-macro',
  'missing-crossref': 'bibliography-missing-crossref',
};

/** A reader's problem as a diagnostic on the bibliography file. */
export function problemToDiagnostic(p: BibProblem, uri: string): Diagnostic {
  const d: Diagnostic = {
    code: CODE[p.kind] ?? 'bibliography-syntax',
    severity: p.severity as Severity,
    message: p.message,
    uri,
    range: p.range,
    fixes: [],
    data: p.key !== undefined ? { kind: p.kind, key: p.key } : { kind: p.kind },
  };
  if (p.related) d.related = [{ uri, range: p.related, message: 'first definition' }];
  return d;
}

/** Reads a bibliography file of any supported format. */
export function readBibliography(text: string, uri: string, startIndex = 0, format?: BibliographyFormat): BibliographyReadResult {
  const src = typeof text === 'string' ? text : '';
  const fmt = format ?? bibliographyFormatFromUri(uri) ?? sniffBibliographyFormat(src);
  if (!fmt) return { records: [], entries: [], problems: [], diagnostics: [], unknownFormat: true };
  try {
    let records: BibliographyRecord[];
    let problems: BibProblem[];
    switch (fmt) {
      case 'bibtex': {
        const r = parseBibtex(src, uri);
        records = r.records;
        problems = r.problems;
        break;
      }
      case 'csl-json': {
        const r = parseCslJson(src, uri);
        records = r.records;
        problems = r.problems;
        break;
      }
      case 'csl-yaml': {
        const r = parseCslYaml(src, uri);
        records = r.records;
        problems = r.problems;
        break;
      }
      case 'ris': {
        const r = parseRis(src, uri);
        records = r.records;
        problems = r.problems;
        break;
      }
    }
    const entries = toEntries(records, uri, startIndex, fmt === 'bibtex' ? undefined : src);
    const diagnostics = problems.map((p) => problemToDiagnostic(p, uri));
    return { format: fmt, records, entries, problems, diagnostics };
  } catch (e) {
    const d: Diagnostic = { code: 'bibliography-syntax', severity: 'error', message: `Could not read this bibliography: ${String(e)}`, uri, range: { start: 0, end: 0 }, fixes: [] };
    return { format: fmt, records: [], entries: [], problems: [], diagnostics: [d] };
  }
}

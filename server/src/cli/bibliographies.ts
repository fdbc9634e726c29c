/** Reads bibliography files from disk for the CLI (the core parses; this only does the IO). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, ReferenceEntry } from '../core';
import { LineIndex } from '../core';
import { readBibliography } from '../core/bibliography/read';
import { bibLines } from './report';

export interface LoadProblem {
  file: string;
  message: string;
  /** The file could not be read at all. */
  fatal: boolean;
  diagnostic?: Diagnostic;
}

/**
 * `uris` are the names (paths relative to `cwd`) the entries and diagnostics of the files read
 * carry, one per file read.
 */
export function loadBibliographies(files: string[], cwd: string): { entries: ReferenceEntry[]; problems: LoadProblem[]; uris: string[] } {
  const entries: ReferenceEntry[] = [];
  const problems: LoadProblem[] = [];
  const uris: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file)) continue;
    seen.add(file);
    const shown = path.relative(cwd, file) || file;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ file, fatal: true, message: `cannot read bibliography ${shown}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}` });
      continue;
    }
    const r = readBibliography(text, shown, entries.length);
    if (r.unknownFormat) {
      problems.push({ file, fatal: true, message: `${shown}: unknown bibliography format (use .bib, .json, .yaml/.yml or .ris)` });
      continue;
    }
    bibLines.set(shown, new LineIndex(text));
    uris.push(shown);
    entries.push(...r.entries);
    for (const d of r.diagnostics) problems.push({ file, fatal: false, message: d.message, diagnostic: d });
  }
  return { entries, problems, uris };
}

/**
 * `citecheck [--format text|json|sarif] FILE…` — the core from the command line, for CI.
 * Exit 0: no error-level finding; 1: at least one; 2: usage or read error.
 * Never writes a file; never touches the network.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, formatFromUri, type Analysis, type Diagnostic, type SeveritySetting } from '../core';
import { quartoBibliographies } from '../bibliography/quarto';
import { toJsonFile, toSarif, toTextLines, type FileReport } from './report';
import { loadBibliographies } from './bibliographies';
import { reportAcrossFiles, type BibliographyUse } from './acrossFiles';

const USAGE = `Usage: citecheck [options] FILE...

Checks that every author-year citation in FILE matches its reference list.

Options:
  -f, --format text|json|sarif   output format (default: text)
  -b, --bib FILE                 a bibliography file (.bib, .json, .yaml, .ris) to check key
                                 citations against; may be repeated (those the document names
                                 in front matter, \\bibliography{} or _quarto.yml are read too)
  -s, --severity CODE=LEVEL      override a check's severity (error|warning|information|hint|off)
  -h, --help                     show this help
  -v, --version                  print the version

Exit status: 0 no error-level finding, 1 at least one, 2 usage or read error.`;

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

const defaultIO: CliIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
};

export async function run(argv: string[], io: CliIO = defaultIO): Promise<number> {
  let format = 'text';
  const files: string[] = [];
  const bibs: string[] = [];
  const severities: Record<string, SeveritySetting> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq !== -1) return a.slice(eq + 1);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') { io.stdout(USAGE + '\n'); return 0; }
    if (a === '-v' || a === '--version') { io.stdout(version() + '\n'); return 0; }
    if (a === '-f' || a === '--format' || a.startsWith('--format=')) {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') return usage(io, `unknown format '${v ?? ''}': use text, json or sarif`);
      format = v;
    } else if (a === '-b' || a === '--bib' || a.startsWith('--bib=')) {
      const v = value();
      if (!v) return usage(io, '--bib needs a file');
      bibs.push(v);
    } else if (a === '-s' || a === '--severity' || a.startsWith('--severity=')) {
      const v = value() ?? '';
      const m = /^([a-z-]+)=(error|warning|information|hint|off)$/.exec(v);
      if (!m) return usage(io, `--severity takes CODE=LEVEL, e.g. reference-order=off (got '${v}')`);
      severities[m[1]] = m[2] as SeveritySetting;
    } else if (a === '--') {
      files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      return usage(io, `unknown option '${a}'`);
    } else files.push(a);
  }
  if (files.length === 0) return usage(io, 'no file given');

  const checked: BibliographyUse[] = [];
  let readError = false;
  for (const f of files) {
    const abs = path.resolve(io.cwd, f);
    let text: string;
    try {
      const st = fs.statSync(abs);
      if (st.isDirectory()) throw new Error('is a directory');
      text = fs.readFileSync(abs, 'utf8');
    } catch (e) {
      io.stderr(`citecheck: cannot read ${f}: ${describeError(e)}\n`);
      readError = true;
      continue;
    }
    if (text.includes('\u0000') && !/\.(md|txt|tex|rst|qmd|rmd|rnw)$/i.test(f)) {
      io.stderr(`citecheck: ${f} looks like a binary file; skipped\n`);
      readError = true;
      continue;
    }
    const uri = f;
    // Bibliographies: the ones the document names, and --bib.
    const first = analyze({ uri, text }, { severities });
    const named = first.bibliographyPaths.map((b) => path.resolve(path.dirname(abs), b.path));
    // A Quarto project's `_quarto.yml` names bibliographies for its Markdown documents.
    if (formatFromUri(f) === 'markdown') named.push(...(quartoBibliographies(abs)?.paths ?? []));
    const bibFiles = [...bibs.map((b) => path.resolve(io.cwd, b)), ...named];
    let analysis: Analysis = first;
    const extra: Diagnostic[] = [];
    let bibliographies: string[] = [];
    if (bibFiles.length) {
      const loaded = loadBibliographies(bibFiles, io.cwd);
      for (const p of loaded.problems) {
        if (p.fatal) { io.stderr(`citecheck: ${p.message}\n`); if (bibs.some((b) => path.resolve(io.cwd, b) === p.file)) readError = true; }
        else extra.push(p.diagnostic!);
      }
      bibliographies = loaded.uris;
      if (loaded.entries.length) analysis = analyze({ uri, text }, { severities, bibliographyEntries: loaded.entries });
    }
    checked.push({ report: { path: f, analysis, extra }, bibliographies });
  }
  // A bibliography several files use: its entries uncited in all of them, its problems, once.
  const reports: FileReport[] = reportAcrossFiles(checked);
  if (format === 'json') io.stdout(JSON.stringify({ files: reports.map(toJsonFile) }, null, 2) + '\n');
  else if (format === 'sarif') io.stdout(JSON.stringify(toSarif(reports, version()), null, 2) + '\n');
  else {
    for (const r of reports) for (const l of toTextLines(r)) io.stdout(l + '\n');
    // Without a reference list nothing is flagged: say so, lest the paper look clean.
    for (const r of reports) {
      const cited = r.analysis.citations.filter((c) => c.kind !== 'key').length;
      if (cited > 0 && r.analysis.references.length === 0) io.stderr(`citecheck: ${r.path}: no reference list found (a heading such as References, then the entries); its ${cited} citation${cited === 1 ? ' was' : 's were'} not checked.\n`);
    }
    const all = reports.flatMap((r) => [...r.analysis.diagnostics, ...r.extra]);
    const count = (s: string) => all.filter((d) => d.severity === s).length;
    const cits = reports.reduce((n, r) => n + r.analysis.citations.length, 0);
    const refs = reports.reduce((n, r) => n + r.analysis.references.length, 0);
    const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
    io.stdout(`${n(reports.length, 'file')}, ${n(cits, 'citation')}, ${n(refs, 'reference')}: ${n(count('error'), 'error')}, ${n(count('warning'), 'warning')}, ${n(count('information') + count('hint'), 'note')}\n`);
  }
  if (readError) return 2;
  return reports.some((r) => [...r.analysis.diagnostics, ...r.extra].some((d) => d.severity === 'error')) ? 1 : 0;
}

function usage(io: CliIO, msg: string): number {
  io.stderr(`citecheck: ${msg}\n${USAGE}\n`);
  return 2;
}

function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file';
  if (err?.code === 'EACCES') return 'permission denied';
  if (err?.code === 'EISDIR') return 'is a directory';
  return err?.message ?? String(e);
}

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}

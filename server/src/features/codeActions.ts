/**
 * Code actions: the quick fixes each diagnostic carries, "fix all of this kind", sorting the
 * reference list, and "ignore this citation" (a comment the checker honours).
 */
import { fold, type Analysis, type Diagnostic, type ReferenceEntry, type TextEdit } from '../core';

export type ActionKind = 'quickfix' | 'source.fixAll' | 'source.sortReferences';

export interface Action {
  title: string;
  kind: ActionKind;
  /** Edits to the analysed document. */
  edits: TextEdit[];
  /** The diagnostics the action resolves. */
  diagnostics: Diagnostic[];
  preferred?: boolean;
}

/** The fixes of one diagnostic, as actions. */
export function fixesFor(d: Diagnostic): Action[] {
  return d.fixes.filter((f) => f.edits.length).map((f) => ({ title: f.title, kind: 'quickfix' as const, edits: f.edits, diagnostics: [d], preferred: f.preferred }));
}

/** The fix to apply when fixing many at once: the preferred one, or the only one. */
function mainFix(d: Diagnostic, preferredOnly: boolean): TextEdit[] | undefined {
  const p = d.fixes.find((f) => f.preferred && f.edits.length);
  if (p) return p.edits;
  if (!preferredOnly && d.fixes.length === 1 && d.fixes[0].edits.length) return d.fixes[0].edits;
  return undefined;
}

/** Joins the fixes of many diagnostics, dropping repeated and overlapping edits. */
function combine(ds: Diagnostic[], preferredOnly: boolean): { edits: TextEdit[]; fixed: Diagnostic[] } {
  const edits: TextEdit[] = [];
  const fixed: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const d of ds) {
    const es = mainFix(d, preferredOnly);
    if (!es) continue;
    const fresh = es.filter((e) => !seen.has(`${e.range.start}:${e.range.end}:${e.newText}`));
    if (fresh.some((e) => edits.some((x) => overlaps(x, e)))) continue;
    for (const e of fresh) {
      seen.add(`${e.range.start}:${e.range.end}:${e.newText}`);
      edits.push(e);
    }
    fixed.push(d);
  }
  edits.sort((x, y) => x.range.start - y.range.start);
  return { edits, fixed };
}

function overlaps(x: TextEdit, y: TextEdit): boolean {
  if (x.range.start === x.range.end && y.range.start === y.range.end) return x.range.start === y.range.start;
  return x.range.start < y.range.end && y.range.start < x.range.end;
}

/** "Fix all N problems of this kind in the file", when there is more than one. */
export function fixAllOfKind(a: Analysis, code: string): Action | undefined {
  const ds = a.diagnostics.filter((d) => d.uri === a.uri && d.code === code);
  const { edits, fixed } = combine(ds, false);
  if (fixed.length < 2) return undefined;
  return { title: `Fix all ${fixed.length} '${code}' problems in this file`, kind: 'quickfix', edits, diagnostics: fixed };
}

/** Every preferred fix in the file (`source.fixAll`, e.g. on save). */
export function fixAll(a: Analysis): Action | undefined {
  const { edits, fixed } = combine(a.diagnostics.filter((d) => d.uri === a.uri), true);
  if (!fixed.length) return undefined;
  return { title: `Fix all ${fixed.length} citation problem${fixed.length === 1 ? '' : 's'} with a sure fix`, kind: 'source.fixAll', edits, diagnostics: fixed };
}

// ---------------------------------------------------------------- sorting the reference list

function sortKey(e: ReferenceEntry): string {
  const who = e.authors[0]?.family ?? '';
  return `${fold(who) || fold(e.text)}\u0000${e.year}${e.suffix}`;
}

/**
 * Sorts each reference list by first author (the order `reference-order` checks), keeping
 * `______.` entries after the entry they repeat and everything between entries in place.
 * Numbered lists are left alone.
 */
export function sortReferences(a: Analysis): Action | undefined {
  const edits: TextEdit[] = [];
  for (const s of a.sections) {
    const es = s.entries.map((i) => a.references[i]).filter((e) => e.uri === a.uri);
    if (es.length < 2 || es.some((e) => e.numbered)) continue;
    // Units: an entry with the `______.` entries that follow it.
    const units: { start: number; end: number; key: string }[] = [];
    for (const e of es) {
      const last = units[units.length - 1];
      if (e.ditto && last) last.end = e.range.end;
      else units.push({ start: e.range.start, end: e.range.end, key: sortKey(e) });
    }
    // Runs of units separated by blank space only; other text between entries stays put.
    let run: typeof units = [];
    const flush = () => {
      if (run.length > 1) {
        const sorted = run.map((u, k) => ({ u, k })).sort((x, y) => (x.u.key < y.u.key ? -1 : x.u.key > y.u.key ? 1 : x.k - y.k));
        if (sorted.some((x, k) => x.k !== k)) {
          let out = '';
          for (let k = 0; k < run.length; k++) {
            const u = sorted[k].u;
            out += a.text.slice(u.start, u.end);
            if (k + 1 < run.length) out += a.text.slice(run[k].end, run[k + 1].start);
          }
          edits.push({ range: { start: run[0].start, end: run[run.length - 1].end }, newText: out });
        }
      }
      run = [];
    };
    for (const u of units) {
      const prev = run[run.length - 1];
      if (prev && a.text.slice(prev.end, u.start).trim() !== '') flush();
      run.push(u);
    }
    flush();
  }
  if (!edits.length) return undefined;
  const ds = a.diagnostics.filter((d) => d.uri === a.uri && d.code === 'reference-order');
  return { title: 'Sort the reference list alphabetically', kind: 'source.sortReferences', edits, diagnostics: ds };
}

// ---------------------------------------------------------------- ignoring a citation

export const IGNORE_COMMENT: Record<Analysis['format'], string | undefined> = {
  markdown: '<!-- citecheck-ignore -->',
  latex: '% citecheck-ignore',
  rst: '.. citecheck-ignore',
  plaintext: undefined,
};

/**
 * Inserts a `citecheck-ignore` comment covering the citation's line: at the end of the line
 * in Markdown and LaTeX; in reStructuredText, whose comments are blocks, on a line of its own
 * above a line that starts a paragraph (elsewhere it would be read as text, so none is offered).
 * Plain text has no comments: none is offered.
 */
export function ignoreCitation(a: Analysis, citation: number): Action | undefined {
  const c = a.citations[citation];
  const comment = IGNORE_COMMENT[a.format];
  if (!c || !comment || c.ignored) return undefined;
  const line = a.lines.lineAt(c.range.start);
  const lineText = a.lines.lineText(line);
  if (/citecheck-ignore/.test(lineText)) return undefined;
  const ds = a.diagnostics.filter((d) => d.uri === a.uri && (d.data as { citation?: number } | undefined)?.citation === citation);
  const title = `Ignore '${c.text}' (add a citecheck-ignore comment)`;
  if (a.format === 'rst') {
    const prevBlank = line === 0 || a.lines.lineText(line - 1).trim() === '';
    if (!prevBlank) return undefined;
    const indent = /^\s*/.exec(lineText)![0];
    const at = a.lines.starts[line];
    return { title, kind: 'quickfix', edits: [{ range: { start: at, end: at }, newText: `${indent}${comment}${eol(a)}` }], diagnostics: ds };
  }
  const end = a.lines.lineEnd(line);
  const sep = /\s$/.test(lineText) || lineText === '' ? '' : ' ';
  return { title, kind: 'quickfix', edits: [{ range: { start: end, end }, newText: `${sep}${comment}` }], diagnostics: ds };
}

function eol(a: Analysis): string {
  return a.text.includes('\r\n') ? '\r\n' : '\n';
}

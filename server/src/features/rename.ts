/**
 * Rename an entry's author or year, in the entry and in every citation of it.
 *
 * The cursor is on a name or a year, in the reference list or in a citation. A name is
 * renamed in the entry (where it is written: `______.` entries take theirs from the entry
 * above, so the group is renamed together) and in each citation that names it for that entry
 * (exact matches and year near misses). A year is renamed in the entry and in the citations
 * that match it exactly.
 */
import { fold, type Analysis, type Range, type ReferenceEntry, type TextEdit } from '../core';
import { targetAt } from './cursor';

export type RenameTarget =
  | { kind: 'year'; entry: number; range: Range; text: string }
  | { kind: 'name'; entry: number; range: Range; text: string; /** The name as the entry writes it. */ listed: string };

export type RenameError = { error: string };

export function renameTarget(a: Analysis, offset: number): RenameTarget | RenameError {
  const t = targetAt(a, offset);
  if (!t) return { error: 'Put the cursor on a cited name or year, or on an entry\'s author or year.' };
  if (t.kind === 'citation') {
    const c = t.citation;
    if (c.kind === 'key') return { error: 'Citation keys are not renamed.' };
    const r = t.resolution;
    if (r.entry === undefined || !(r.status === 'resolved' || r.status === 'year-mismatch') || (r.status === 'resolved' && (r.candidates?.length ?? 0) > 1)) {
      return { error: `'${c.text}' does not match one entry of the reference list; fix it first.` };
    }
    const e = a.references[r.entry];
    if (within(c.yearRange, offset)) {
      if (r.status !== 'resolved') return { error: `'${c.text}' does not match its entry's year; fix it first.` };
      const range = yearToken(a, c.yearRange, c.year + c.suffix);
      return { kind: 'year', entry: e.index, range, text: a.text.slice(range.start, range.end) };
    }
    const name = c.authors.find((n) => within(n.range, offset));
    if (!name) return { error: 'Put the cursor on a cited name or year.' };
    const head = dittoHead(a, e);
    const written = writtenNames(a, head);
    const listed = written.find((w) => fold(w.text) === fold(name.text));
    if (!listed) return { error: `'${name.text}' is not written as such in the entry (line ${a.lines.lineAt(head.range.start) + 1}).` };
    return { kind: 'name', entry: head.index, range: name.range, text: a.text.slice(name.range.start, name.range.end), listed: listed.text };
  }
  const e = t.entry;
  if (e.yearRange && within(e.yearRange, offset)) {
    return { kind: 'year', entry: e.index, range: e.yearRange, text: a.text.slice(e.yearRange.start, e.yearRange.end) };
  }
  if (e.ditto) return { error: 'This entry takes its authors from the entry above; rename them there.' };
  const w = writtenNames(a, e).find((n) => within(n.range, offset));
  if (!w) return { error: 'Put the cursor on an author\'s name or the year of the entry.' };
  return { kind: 'name', entry: e.index, range: w.range, text: w.text, listed: w.text };
}

export function rename(a: Analysis, offset: number, newName: string): { edits: TextEdit[] } | RenameError {
  const t = renameTarget(a, offset);
  if ('error' in t) return t;
  const value = newName.trim();
  if (t.kind === 'year') {
    if (!/^(?:\d{4}[a-z]?|n\.\s?d\.|in press|forthcoming)$/i.test(value)) return { error: `'${newName}' is not a year (2015, 2015a, n.d., in press).` };
    return { edits: yearEdits(a, a.references[t.entry], value) };
  }
  if (!value || /[\n();[\]{}]/.test(value) || /^\d+$/.test(value)) return { error: `'${newName}' is not a name.` };
  return { edits: nameEdits(a, a.references[t.entry], t.listed, value) };
}

function yearEdits(a: Analysis, e: ReferenceEntry, value: string): TextEdit[] {
  const edits: TextEdit[] = [];
  if (e.yearRange && e.uri === a.uri) edits.push({ range: e.yearRange, newText: value });
  a.citations.forEach((c, i) => {
    const r = a.resolutions[i];
    if (c.kind === 'key' || r.status !== 'resolved' || r.entry !== e.index) return;
    edits.push({ range: yearToken(a, c.yearRange, c.year + c.suffix), newText: value });
  });
  return sortEdits(edits);
}

function nameEdits(a: Analysis, head: ReferenceEntry, listed: string, value: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const w = writtenNames(a, head).filter((n) => n.text === listed);
  if (head.uri === a.uri) for (const n of w) edits.push({ range: n.range, newText: value });
  const group = new Set(dittoGroup(a, head).map((e) => e.index));
  const old = fold(listed);
  a.citations.forEach((c, i) => {
    const r = a.resolutions[i];
    if (c.kind === 'key' || r.entry === undefined || !group.has(r.entry)) return;
    if (r.status !== 'resolved' && r.status !== 'year-mismatch') return;
    for (const n of c.authors) if (fold(n.text) === old) edits.push({ range: n.range, newText: value });
  });
  return sortEdits(edits);
}

function sortEdits(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits
    .filter((x) => {
      const k = `${x.range.start}:${x.range.end}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((x, y) => x.range.start - y.range.start);
}

function within(r: Range, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}

/** The year and suffix part of a cited year token: `2023` of `2023-11-10`. */
function yearToken(a: Analysis, r: Range, yearSuffix: string): Range {
  const s = a.text.slice(r.start, r.end);
  if (yearSuffix && s.startsWith(yearSuffix)) return { start: r.start, end: r.start + yearSuffix.length };
  return r;
}

/** The entry whose authors a `______.` entry repeats. */
function dittoHead(a: Analysis, e: ReferenceEntry): ReferenceEntry {
  let i = e.index;
  while (i > 0 && a.references[i].ditto && a.references[i - 1].uri === e.uri) i--;
  return a.references[i];
}

/** The entry and the `______.` entries right after it that repeat its authors. */
export function dittoGroup(a: Analysis, head: ReferenceEntry): ReferenceEntry[] {
  const out = [head];
  for (let i = head.index + 1; i < a.references.length && a.references[i].ditto && a.references[i].uri === head.uri; i++) out.push(a.references[i]);
  return out;
}

/** Where the entry writes each author's family name and short form (`Kissinger`, `Allison`, `METI`). */
function writtenNames(a: Analysis, e: ReferenceEntry): { text: string; range: Range }[] {
  if (e.uri !== a.uri || !e.authorRange) return [];
  const part = a.text.slice(e.authorRange.start, e.authorRange.end);
  const out: { text: string; range: Range }[] = [];
  let from = 0;
  for (const p of e.authors) {
    for (const s of [p.family, p.alias]) {
      if (!s) continue;
      const k = indexOfWord(part, s, from);
      if (k === -1) continue;
      out.push({ text: s, range: { start: e.authorRange.start + k, end: e.authorRange.start + k + s.length } });
      if (s === p.family) from = k + s.length;
    }
  }
  return out;
}

function indexOfWord(s: string, w: string, from: number): number {
  for (let k = s.indexOf(w, from); k !== -1; k = s.indexOf(w, k + 1)) {
    const before = k === 0 ? '' : s[k - 1];
    const after = s[k + w.length] ?? '';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return k;
  }
  return -1;
}

/**
 * The pipeline: prose view -> reference lists -> entries -> citations -> resolutions -> checks.
 * Pure and total: any string in, an Analysis out.
 */
import { collapseSpaces } from './text/spaces';
import type { Citation, Diagnostic, DocumentFormat, Range, ReferenceEntry, ReferenceSection, Resolution, Severity, SourceDocument } from './types';
import { ProseCache, formatFromUri, proseView, type KeyCitationSyntax, type ProseView, type Sliceable, type ViewEdit } from './syntax/prose';
import { ReferenceListCache, entryLineFacts, findReferenceSections, mayBeHeadingLine, plainAtxLevel, type ListRead, type RawEntry, type RawSection } from './syntax/referenceList';
import { scanCitations, type CitationCandidate } from './syntax/citations';
import { parseFreeTextEntry, readAuthors, type ParsedEntry } from './bibliography/freeTextEntry';
import { ReferenceIndex, citationFromCandidate, letterMask, personKeys, popcount, resolveCandidate, type ResolvedCandidate } from './semantics/resolve';
import { editDistance, fold } from './text/fold';
import { resolveKey } from './semantics/keys';
import { CHECKS, type CheckContext } from './checks';
import { notableCitations, type DiagnosticDraft } from './checks/check';
import { LineIndex } from './text/lineIndex';
import { ParagraphMemo } from './text/memo';
import { detach, withoutCopies } from './text/detach';
import { normalizeYearWord } from './syntax/words';

export type SeveritySetting = Severity | 'off';

export interface AnalyzeOptions {
  format?: DocumentFormat;
  /** Entries read from bibliography files for this document. */
  bibliographyEntries?: ReferenceEntry[];
  /** Per-code severity overrides (`off` silences a check). */
  severities?: Record<string, SeveritySetting>;
  /** Documents longer than this are not checked (a diagnostic says so). Default 20 MB. */
  maxLength?: number;
  /**
   * For an Analyzer: where this text differs from that of the version `since` (an editor's
   * changes since then, merged): before `start` it is the same, and the old text from `oldEnd` is
   * this one from `newEnd`. It spares comparing the two texts; it must be right.
   */
  change?: { since: number | undefined; start: number; oldEnd: number; newEnd: number };
}

export interface Analysis {
  uri: string;
  format: DocumentFormat;
  version?: number;
  text: string;
  lines: LineIndex;
  /** `restarts`: entries a subheading of the list comes before (its order starts again there). */
  sections: (ReferenceSection & { entries: number[]; restarts?: number[] })[];
  references: ReferenceEntry[];
  citations: Citation[];
  resolutions: Resolution[];
  diagnostics: Diagnostic[];
  /** Bibliography files the document names (front matter, `\bibliography{}`), as written. */
  bibliographyPaths: { path: string; range: { start: number; end: number } }[];
}

/** Analyses one document from scratch. */
export function analyze(doc: SourceDocument, opts: AnalyzeOptions = {}): Analysis {
  // Nothing of this Analyzer is kept for a next version: no copies to let go of the text.
  return withoutCopies(() => new Analyzer(false).analyze(doc, opts));
}

/**
 * Analyses successive versions of one document. It keeps each paragraph's prose view and
 * citation candidates keyed by the paragraph's text, so an edit re-reads only the paragraphs it
 * changed; the result is always the same as `analyze` on the same text.
 *
 * An edit within one line of prose (see `patch`) costs the paragraph it is in: the objects of the
 * last version are kept, and those after the edit are moved in place. So an Analysis from an
 * Analyzer holds while it is the latest: after the next `analyze` its entries and citations may
 * have moved to the new version's offsets: the range objects of its entries and citations are
 * changed in place (so are those of its diagnostics that point at them).
 */
export class Analyzer {
  /**
   * `keep`: whether to keep what a next version reuses. `analyze()` makes an Analyzer that keeps
   * nothing: it scans each paragraph right before resolving it, so its candidates are garbage
   * while still young, and it keeps no last version.
   */
  constructor(private readonly keep = true) {
    this.memo = new AnalyzerMemo(keep);
  }

  private prose = new ProseCache();
  private scans = new ParagraphMemo<CitationCandidate[]>();
  private memo: AnalyzerMemo;
  /** The last version, for patching. */
  private last: LastVersion | undefined;

  analyze(doc: SourceDocument, opts: AnalyzeOptions = {}): Analysis {
    const text = typeof doc.text === 'string' ? doc.text : String(doc.text ?? '');
    const format = opts.format ?? doc.format ?? formatFromUri(doc.uri);
    const maxLength = opts.maxLength ?? 20_000_000;
    const last = this.last;
    this.last = undefined;
    if (text.length > maxLength) {
      return {
        uri: doc.uri, format, version: doc.version, text, lines: new LineIndex(text), sections: [], references: [], citations: [], resolutions: [], bibliographyPaths: [],
        diagnostics: [{
          code: 'document-too-large', severity: 'information', uri: doc.uri, range: { start: 0, end: 0 }, fixes: [],
          message: `This document is ${(text.length / 1e6).toFixed(1)} MB; citecheck checks documents up to ${(maxLength / 1e6).toFixed(0)} MB and skipped it.`,
        }],
      };
    }
    const hint = opts.change && last && last.version === opts.change.since && last.text.length - opts.change.oldEnd === text.length - opts.change.newEnd ? opts.change : undefined;
    // An Analyzer that keeps nothing keeps no view either: its paragraphs are masked without a memo.
    const view = proseView(text, format, this.keep ? this.prose : undefined, hint);
    const edit = this.prose.edit;
    if (edit && last && edit.before === last.text) {
      const patched = this.patch(doc, text, format, view, edit, opts, last);
      if (patched) return patched;
    }
    const lines = new LineIndex(text);
    const raw = findReferenceSections(text, view.text, format, this.memo.referenceLists, lines.starts);
    // Citations are not read inside the reference lists: a paragraph wholly inside one is not scanned.
    const outside = raw.length ? view.paragraphs.filter((p) => !raw.some((s) => s.range.start <= p.start && p.end <= s.range.end)) : view.paragraphs;
    if (!this.keep) {
      const groups: Group[] = outside.map((p) => ({ cands: NO_CANDIDATES, offset: p.start, end: p.end }));
      return analyzeView(doc, text, format, lines, view, opts, raw, groups, this.memo, (g) => scanCitations(view.text.slice(g.offset, g.end), { skip: [] })).analysis;
    }
    const bodies = outside.map((p) => view.text.slice(p.start, p.end));
    const found = this.scans.run(bodies, (b) => scanCitations(b, { skip: [] }));
    const groups: Group[] = outside.map((p, i) => ({ cands: found[i], offset: p.start, end: p.end }));
    const made = analyzeView(doc, text, format, lines, view, opts, raw, groups, this.memo);
    this.memo.rotate();
    const a = made.analysis;
    this.last = {
      uri: doc.uri, version: doc.version, format, text, opts: optionsKey(opts), bibliography: opts.bibliographyEntries ?? [],
      analysis: a, groups, results: made.results, templates: made.templates, listEntries: made.listEntries,
      reads: this.memo.referenceLists.reads, patchable: made.patchable,
    };
    return a;
  }

  /**
   * The analysis after an edit within one line, made from the last one, or undefined when the
   * edit may change more than that: when the line, or one beside it, could be a heading (see
   * mayBeHeadingLine), or the line is in a reference list and the list would be cut otherwise
   * (see entryLineFacts). Then only the line's paragraph is scanned and resolved again, and the
   * line's entry (and ditto entries after it) made again; the citations whose names a changed entry
   * touches are resolved again (as in analyzeView). Entries, sections and the citations of other
   * paragraphs are kept, moved by the edit's length when after it. Nothing is changed before it is
   * known that the edit can be patched.
   */
  private patch(doc: SourceDocument, text: string, format: DocumentFormat, view: ProseView, edit: ViewEdit, opts: AnalyzeOptions, last: LastVersion): Analysis | undefined {
    if (last.uri !== doc.uri || last.format !== format || !last.patchable || view.keyCitations.length) return undefined;
    if (last.opts !== optionsKey(opts) || !sameItems(last.bibliography, opts.bibliographyEntries ?? [])) return undefined;
    const a0 = last.analysis;
    if (edit.unchanged) {
      this.last = { ...last, version: doc.version };
      return { ...a0, version: doc.version };
    }
    const ls = edit.lineStart;
    const le = edit.lineEnd;
    const d = edit.delta;
    // Offsets from the end of the replaced characters on move by d.
    const moved = edit.oldEnd;
    let list: ListRead | undefined;
    for (const r of last.reads) {
      if (r.start > le || ls > r.end) continue;
      if (list || r.first < 0) return undefined;
      list = r;
    }
    if (!list) for (const x of a0.sections) if (x.range.start <= le && ls <= x.range.end) return undefined;
    const line = a0.lines.lineAt(ls);
    const lines = LineIndex.afterEdit(a0.lines, text, line, d);
    // The view is read by ranges: a keystroke does not make the whole of it (see PiecewiseView).
    const before = edit.viewBefore;
    if (!before) return undefined;
    // The paragraph was masked again: its other lines must read as before (a backtick typed here
    // may open a code span that runs on into the next lines, hiding a heading or an entry's line).
    if (edit.paragraph) {
      const p = edit.paragraph;
      if (before.slice(p.start, ls) !== view.slice(p.start, ls) || before.slice(le, p.end) !== view.slice(le + d, p.end + d)) return undefined;
    }
    // A `#` heading that stays one of its level (not a reference-list heading) changes no section;
    // nor do the lines beside it (what they are does not depend on its words). Else no line that
    // could be read as (part of) a heading may change.
    /** Where line k ends in the new text, before its `\n` (a `\r` kept, as the edit's own line). */
    const lineStop = (k: number) => (k + 1 < lines.lineCount ? lines.starts[k + 1] - 1 : text.length);
    const level = list ? undefined : plainAtxLevel(before.slice(ls, le), format);
    if (level === undefined || plainAtxLevel(view.slice(ls, lineStop(line)), format) !== level) {
      if (mayBeHeadingLine(last.text.slice(ls, le), before.slice(ls, le), format)) return undefined;
      for (let k = Math.max(0, line - 1); k <= line + 1 && k < lines.lineCount; k++) {
        if (mayBeHeadingLine(text.slice(lines.starts[k], lineStop(k)), view.slice(lines.starts[k], lineStop(k)), format)) return undefined;
      }
    }
    const references = a0.references.slice();
    const templates = last.templates.slice();
    /** Entries made again, by index. */
    const remade = new Set<number>();
    if (list) {
      // The list is cut at the same lines if what the cut reads of this line, and of the two above
      // it (whose look-ahead reads it), is the same.
      const from = Math.max(list.first, line - 2);
      const cache = this.memo.referenceLists;
      if (entryLineFacts(last.text, before, a0.lines.starts, from, line, list.limit, cache) !== entryLineFacts(text, view, lines.starts, from, line, list.limit, cache)) return undefined;
      // The entry on this line, if any: the last one starting before the line ends, if it reaches the line.
      let j = -1;
      for (let lo = 0, hi = templates.length - 1; lo <= hi;) {
        const mid = (lo + hi) >> 1;
        if (references[mid].range.start < le) { j = mid; lo = mid + 1; } else hi = mid - 1;
      }
      if (j !== -1 && a0.lines.lineAt(references[j].range.end) < line) j = -1;
      if (j !== -1) {
        const firstOfSection = a0.sections.some((x) => x.entries[0] === j);
        let prev = j > 0 && !firstOfSection ? references[j - 1].authors : undefined;
        for (let k = j; k < templates.length; k++) {
          if (k > j && (!templates[k].ditto || a0.sections.some((x) => x.entries[0] === k))) break;
          const e = references[k];
          const t = templates[k];
          let start = e.range.start;
          let end: number;
          if (k === j) {
            if (a0.lines.lineAt(e.range.end) === line) {
              // The entry ends on this line: where its text ends now (as splitEntries trims it).
              end = lines.lineEnd(line);
              while (end > start && /\s/.test(text[end - 1])) end--;
            } else end = e.range.end + d;
          } else {
            start += d;
            end = e.range.end + d;
          }
          const raw: RawEntry = { range: { start, end }, bodyStart: start + t.bodyOffset, key: t.key, label: t.label, numbered: t.numbered };
          const made = this.memo.entry(doc.uri, text, view, raw, k, prev);
          if (!made) return undefined;
          remade.add(k);
          references[k] = made.entry;
          templates[k] = made.template;
          // A ditto entry after it repeats its authors: made again only if they changed.
          if (k === j && authorsSignature(made.entry.authors) === authorsSignature(e.authors)) break;
          prev = made.entry.authors;
        }
      }
    }
    // The paragraph's group (a paragraph inside a reference list has none).
    const groups = last.groups;
    let gi = -1;
    if (edit.paragraph) {
      gi = groupAt(groups, edit.paragraph.start);
      if (gi !== -1 && groups[gi].end !== edit.paragraph.end) return undefined;
      if (gi === -1 && !list) return undefined;
    }
    const newSections = d
      ? a0.sections.map((x) => (x.range.end >= moved ? { ...x, heading: x.heading && x.heading.start >= moved ? shiftRange(x.heading, d) : x.heading, range: { start: x.range.start >= moved ? x.range.start + d : x.range.start, end: x.range.end + d } } : x))
      : a0.sections;
    const { index, id: indexId, change } = this.memo.referenceIndex(templates, last.bibliography, references);
    const ignoredAt = (start: number) => view.ignoredLines.size > 0 && view.ignoredLines.has(lines.lineAt(start));
    let fresh: GroupResult | undefined;
    let cands: CitationCandidate[] | undefined;
    let body = '';
    if (gi !== -1) {
      const g = groups[gi];
      body = detach(view.slice(g.offset, g.end + d));
      cands = scanCitations(body, { skip: [] });
      fresh = resolveParagraph({ cands, offset: g.offset, end: g.end + d }, newSections, index, indexId, view, text, ignoredAt);
      // Citations in document order (paragraphs are; a paragraph's own usually are).
      for (let i = 1; i < fresh.citations.length; i++) if (fresh.citations[i].range.start < fresh.citations[i - 1].range.start) return undefined;
    }

    // From here on the last version's objects are changed: it is replaced.
    if (remade.size) this.memo.forget([...remade].map((k) => last.templates[k]).filter((t) => !templates.includes(t)), templates.length);
    if (d) {
      // The list's entries are in document order (those of bibliography files, after them, never move).
      let k = 0;
      for (let hi = templates.length; k < hi;) {
        const mid = (k + hi) >> 1;
        if (references[mid].range.start < moved) k = mid + 1;
        else hi = mid;
      }
      for (; k < templates.length; k++) if (!remade.has(k)) moveEntry(references[k], d);
    }
    if (gi !== -1 && cands && fresh) {
      groups[gi] = { cands, offset: groups[gi].offset, end: groups[gi].end + d };
      last.results[gi] = fresh;
      this.memo.groups.set(cands, fresh);
      this.scans.replace(gi, body, cands);
    }
    const after = gi !== -1 ? gi + 1 : firstGroupFrom(groups, moved);
    if (d) {
      for (let k = after; k < groups.length; k++) {
        groups[k].offset += d;
        groups[k].end += d;
      }
    }
    const results = last.results;
    let total = 0;
    for (let k = 0; k < groups.length; k++) {
      let res = results[k];
      if (res.indexId !== indexId) {
        if (change && res.indexId === change.from && !touchesAny(change, groupNames(res, groups[k].cands))) {
          // The reference list changed, but not for these names.
          if (change.shift) res.resolutions = res.resolutions.map((r) => remapResolution(r, change));
          res.indexId = indexId;
        } else {
          res = resolveParagraph(groups[k], newSections, index, indexId, view, text, ignoredAt);
          results[k] = res;
          this.memo.groups.set(groups[k].cands, res);
        }
      }
      if (!res.citations.length) continue;
      const offset = groups[k].offset;
      const base = total;
      const cs = res.citations;
      const rs = res.resolutions;
      if (res.offset !== offset) {
        const dd = offset - res.offset;
        for (let i = 0; i < cs.length; i++) moveCitation(cs[i], dd);
        for (let i = 0; i < rs.length; i++) moveResolution(rs[i], dd);
        res.offset = offset;
      }
      if (res.base !== base) {
        for (let i = 0; i < cs.length; i++) cs[i].index = base + i;
        res.base = base;
      }
      total += cs.length;
    }
    // Listed in one pass into arrays of their size.
    const citations: Citation[] = new Array(total);
    const resolutions: Resolution[] = new Array(total);
    for (let k = 0; k < groups.length; k++) {
      const res = results[k];
      const cs = res.citations;
      const rs = res.resolutions;
      for (let i = 0; i < cs.length; i++) {
        citations[res.base + i] = cs[i];
        resolutions[res.base + i] = rs[i];
      }
    }
    const ctx: CheckContext = { uri: doc.uri, text, lines, references, citations, resolutions, sections: newSections, listEntries: last.listEntries, notable: notableCitations(citations, resolutions) };
    const diagnostics = runChecks(ctx, opts, templates, this.memo);
    const analysis: Analysis = {
      uri: doc.uri, format, version: doc.version, text, lines, sections: newSections, references, citations, resolutions, diagnostics,
      bibliographyPaths: view.bibliographies,
    };
    this.last = {
      ...last, version: doc.version, text, analysis, templates,
      reads: d ? last.reads.map((r) => (r.end >= moved ? { ...r, start: r.start >= moved ? r.start + d : r.start, end: r.end + d } : r)) : last.reads,
    };
    return analysis;
  }
}

/** A paragraph outside the reference lists: its citation candidates and where it is. */
interface Group {
  cands: CitationCandidate[];
  offset: number;
  end: number;
}

/** The candidates of a group scanned when it is resolved (see Analyzer.keep). */
const NO_CANDIDATES: CitationCandidate[] = [];

/** What an Analyzer keeps of its last version. */
interface LastVersion {
  uri: string;
  version: number | undefined;
  format: DocumentFormat;
  text: string;
  /** The options as a string (see optionsKey), and the bibliography entries given. */
  opts: string;
  bibliography: ReferenceEntry[];
  analysis: Analysis;
  groups: Group[];
  /** groups[i]'s citations, resolved. */
  results: GroupResult[];
  templates: EntryTemplate[];
  listEntries: number[];
  /** What the reference-list finder read besides headings. */
  reads: ListRead[];
  /** Citations were found by paragraph and in order, none by key (the case patch handles). */
  patchable: boolean;
}

function optionsKey(opts: AnalyzeOptions): string {
  return `${opts.format ?? ''}|${opts.maxLength ?? ''}|${opts.severities ? JSON.stringify(opts.severities) : ''}`;
}

/** The group that starts at `offset`, or -1. */
function groupAt(groups: Group[], offset: number): number {
  const k = firstGroupFrom(groups, offset);
  return k < groups.length && groups[k].offset === offset ? k : -1;
}

/** The first group starting at or after `offset`. */
function firstGroupFrom(groups: Group[], offset: number): number {
  let lo = 0;
  let hi = groups.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (groups[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The entry `d` characters later, its ranges changed in place: it owns them (made by shiftEntry),
 * and findings kept between versions hold copies (see listFindings).
 */
function moveEntry(e: ReferenceEntry, d: number): void {
  moveRange(e.range, d);
  if (e.yearRange) moveRange(e.yearRange, d);
  if (e.authorRange) moveRange(e.authorRange, d);
}

/**
 * The citation `d` characters later, its ranges changed in place: it owns them (see resolveGroup
 * and shiftCitation), and only the diagnostics made for the same version point at them. (An edit
 * moves every citation after it: allocating for each made the young generation's collections the
 * slowest part of an edit.)
 */
function moveCitation(c: Citation, d: number): void {
  moveRange(c.range, d);
  const authors = c.authors;
  for (let i = 0; i < authors.length; i++) moveRange(authors[i].range, d);
  moveRange(c.yearRange, d);
  if (c.groupRange) moveRange(c.groupRange, d);
  if (c.keyRange) moveRange(c.keyRange, d);
}

/** The resolution of a citation `d` characters later: the cited name it differs by, which it owns, moved in place. */
function moveResolution(r: Resolution, d: number): void {
  if (r.nameDiffers) moveRange(r.nameDiffers.cited.range, d);
}

function moveRange(r: Range, d: number): void {
  r.start += d;
  r.end += d;
}

/** An entry as built from its text, with offsets relative to the entry's start; shared by versions. */
interface EntryTemplate {
  entry: ReferenceEntry;
  /** What else the entry was built from besides its text. */
  bodyOffset: number;
  key: string | undefined;
  label: string | undefined;
  numbered: boolean | undefined;
  dittoOf: string;
  /** A ditto entry (`———.`): it repeats the authors of the one before. */
  ditto: boolean;
  masked: string;
  /** The last absolute entry made from it (reused while its start and index stay). */
  last?: ReferenceEntry;
  /** The entry's text in the document (a copy), its key in AnalyzerMemo's maps. */
  source: string;
}

/**
 * A paragraph's citations as resolved against one reference index. The objects are those of the
 * version that made them (at `offset`, numbered from `base`); a later version where the paragraph
 * moved gets shifted copies.
 */
interface GroupResult {
  indexId: number;
  /** The folded names its readings looked up in the index (made when first asked, see groupNames). */
  names: string[] | undefined;
  insideKey: string;
  /** The paragraph's text in the document (a citation's text is taken from it). */
  source: string;
  offset: number;
  base: number;
  /** Which citations a writer's ignore comment covers ('' when none does). */
  ignored: string;
  citations: Citation[];
  resolutions: Resolution[];
}

/** A reference index and what it was built from. */
interface IndexVersion {
  templates: EntryTemplate[];
  bibliography: ReferenceEntry[];
  index: ReferenceIndex;
  id: number;
  /** What differs from the index before it, when that is known. */
  change?: IndexChange;
}

/**
 * Entries `oldStart..oldEnd` of index `from` were replaced; the entries after them moved by
 * `shift`. A citation is resolved only through entries whose first author has its name or a name
 * a few letters off (see resolveReading), so a citation whose names are none of `keys`, nor near
 * one, resolves as before.
 */
interface IndexChange {
  from: number;
  oldStart: number;
  oldEnd: number;
  shift: number;
  /** Folded first-author keys of the replaced and the new entries. */
  keys: Set<string>;
  /** Answers of `touches` by name. */
  related: Map<string, boolean>;
}

/**
 * Whether entry `i`, replaced by `now`, resolves every citation as `was` did: the same authors,
 * et al., year and suffix, and no other entry of its first author with its old or new text (the
 * text tells a repeated entry from another work, see distinctEntries).
 */
function resolvesAlike(was: ReferenceEntry, now: ReferenceEntry, before: ReferenceIndex, i: number, after: ReferenceEntry[]): boolean {
  if (was.year !== now.year || was.suffix !== now.suffix || was.etAl !== now.etAl || authorsSignature(was.authors) !== authorsSignature(now.authors)) return false;
  if (was.text === now.text) return true;
  const first = was.authors[0];
  if (!first) return true;
  for (const k of personKeys(first)) {
    for (const j of before.entriesWithName(k)) {
      if (j === i) continue;
      const other = before.entries[j];
      const otherNow = after[j];
      if (other.text === was.text || other.text === now.text || otherNow?.text === was.text || otherNow?.text === now.text) return false;
    }
  }
  return true;
}

/** Whether a folded cited name may resolve differently after the change. */
function touches(change: IndexChange, name: string): boolean {
  let r = change.related.get(name);
  if (r === undefined) {
    r = false;
    const mask = letterMask(name);
    for (const k of change.keys) {
      // Near misses are at most two edits (nearMissBudget), and so differ in length by two at most,
      // and in at most four letters of their letter masks (see ReferenceIndex.nearNamesUncached).
      if (k === name || (Math.abs(k.length - name.length) <= 2 && popcount(letterMask(k) ^ mask) <= 4 && editDistance(k, name, 2) <= 2)) {
        r = true;
        break;
      }
    }
    change.related.set(name, r);
  }
  return r;
}

function touchesAny(change: IndexChange, names: string[]): boolean {
  if (change.keys.size === 0) return false;
  for (let i = 0; i < names.length; i++) if (touches(change, names[i])) return true;
  return false;
}

/** A resolution with its entry numbers moved past the change. */
function remapResolution(r: Resolution, change: IndexChange): Resolution {
  const map = (i: number) => (i >= change.oldEnd ? i + change.shift : i);
  if (change.shift === 0 || (r.entry === undefined && !r.candidates)) return r;
  const out: Resolution = { ...r };
  if (r.entry !== undefined) out.entry = map(r.entry);
  if (r.candidates) out.candidates = r.candidates.map(map);
  return out;
}

/** What an Analyzer keeps between versions besides paragraph views and scans. */
class AnalyzerMemo {
  /** Whether anything is kept for a next version (see Analyzer.keep): if not, entries are made as they are read. */
  constructor(readonly keep = true) {
    this.referenceLists = new ReferenceListCache(!keep);
  }

  /** Parsed entries by their text (and the authors a ditto entry repeats). */
  private entriesPrev = new Map<string, ParsedEntry | undefined>();
  private entriesNext = new Map<string, ParsedEntry | undefined>();
  /** Built entries by their source text and shape, for the previous and this version. */
  private templatesPrev = new Map<string, EntryTemplate[]>();
  private templatesNext = new Map<string, EntryTemplate[]>();
  private uri: string | undefined;
  /** The reference index of the last version and what it was built from. */
  private index: IndexVersion | undefined;
  private nextIndexId = 1;
  /** Resolutions of a paragraph's candidates (offsets relative to the paragraph), per reference index. */
  readonly groups = new WeakMap<CitationCandidate[], GroupResult>();
  /** Which lines of the reference lists start entries, by their text. */
  readonly referenceLists: ReferenceListCache;

  /** `at`: where `body` starts in the document. */
  parseEntry(body: string, prev: ReferenceEntry['authors'] | undefined, at = -1): ParsedEntry | undefined {
    const ditto = DITTO_RE.test(body);
    if (!this.keep) {
      const made = ditto ? null : this.referenceLists.takeParse(body, at);
      return made !== null ? made : parseFreeTextEntry(body, prev);
    }
    const key = ditto ? `${body}\u0001${authorsSignature(prev)}` : body;
    if (this.entriesNext.has(key)) return this.entriesNext.get(key);
    let v: ParsedEntry | undefined;
    if (this.entriesPrev.has(key)) v = this.entriesPrev.get(key);
    else {
      const made = ditto ? null : this.referenceLists.takeParse(body);
      v = made !== null ? made : parseFreeTextEntry(detach(body), prev);
    }
    // Kept under a copy of the key: a slice of the text would keep the whole text alive.
    this.entriesNext.set(detach(key), v);
    return v;
  }

  /** The entry for `r`, made once per distinct text and shape and shifted to where it is now. */
  entry(uri: string, text: string, view: Sliceable, r: RawEntry, index: number, prev: ReferenceEntry['authors'] | undefined): { entry: ReferenceEntry; template: EntryTemplate } | undefined {
    if (this.uri !== uri) {
      this.uri = uri;
      this.templatesPrev.clear();
      this.templatesNext.clear();
      this.index = undefined;
    }
    if (!this.keep) {
      // Nothing to reuse: the entry as read, with a template only for what compares them.
      const e = buildEntry(uri, text, view, r, index, prev, this);
      if (!e) return undefined;
      const ditto = DITTO_RE.test(view.slice(r.bodyStart, r.range.end));
      return { entry: e, template: { entry: e, source: '', bodyOffset: r.bodyStart - r.range.start, key: r.key, label: r.label, numbered: r.numbered, dittoOf: '', ditto, masked: '' } };
    }
    // Looked up by the entry's text (a slice, not a copy); the shape is compared on the template.
    const source = text.slice(r.range.start, r.range.end);
    const masked = view.slice(r.range.start, r.range.end);
    const ditto = DITTO_RE.test(view.slice(r.bodyStart, r.range.end));
    const dittoOf = ditto ? authorsSignature(prev) : '';
    const fits = (t: EntryTemplate) => t.bodyOffset === r.bodyStart - r.range.start && t.key === r.key && t.label === r.label && t.numbered === r.numbered && t.dittoOf === dittoOf && t.masked === masked;
    const next = this.templatesNext.get(source);
    let t = next?.find(fits) ?? this.templatesPrev.get(source)?.find(fits);
    if (!t) {
      const e = buildEntry(uri, text, view, r, -1, prev, this);
      if (!e) return undefined;
      t = { entry: detachEntry(shiftEntry(e, -r.range.start, -1)), source: detach(source), bodyOffset: r.bodyStart - r.range.start, key: r.key, label: r.label, numbered: r.numbered, dittoOf, ditto, masked: detach(masked) };
    }
    // Kept under the template's copy of its text: a slice would keep the whole text alive.
    if (!next) this.templatesNext.set(t.source, [t]);
    else if (!next.includes(t)) next.push(t);
    const last = t.last;
    if (last && last.index === index && last.range.start === r.range.start) return { entry: last, template: t };
    const entry = shiftEntry(t.entry, r.range.start, index);
    t.last = entry;
    return { entry, template: t };
  }

  /**
   * The index over these entries: the last one when the entries are the same. When they differ,
   * the new index says what changed since the last, so citations of other names keep their
   * resolutions.
   */
  referenceIndex(templates: EntryTemplate[], bibliography: ReferenceEntry[], references: ReferenceEntry[]): IndexVersion {
    const last = this.index;
    if (last && sameItems(last.templates, templates) && sameItems(last.bibliography, bibliography)) return last;
    let change: IndexChange | undefined;
    if (last && sameItems(last.bibliography, bibliography)) {
      // The entries before and after the edited ones are the same templates.
      const a = last.templates;
      const b = templates;
      const n = Math.min(a.length, b.length);
      let head = 0;
      while (head < n && a[head] === b[head]) head++;
      let tail = 0;
      while (tail < n - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
      const keys = new Set<string>();
      const replaced: EntryTemplate[] = [];
      for (let i = head; i < a.length - tail; i++) {
        // An entry replaced by one that resolves alike (an edit in its title) changes no citation.
        if (a.length === b.length && resolvesAlike(a[i].entry, b[i].entry, last.index, i, references)) continue;
        replaced.push(a[i]);
        if (i < b.length - tail) replaced.push(b[i]);
      }
      if (a.length !== b.length) for (const t of b.slice(head, b.length - tail)) replaced.push(t);
      for (const t of replaced) {
        const first = t.entry.authors[0];
        if (first) for (const k of personKeys(first)) keys.add(k);
      }
      change = { from: last.id, oldStart: head, oldEnd: a.length - tail, shift: b.length - a.length, keys, related: new Map() };
    }
    // Entries replaced one for one (an edit inside an entry): the last index with those changed.
    const index = change && change.shift === 0 && last && last.index.entries.length === references.length
      ? ReferenceIndex.afterReplace(last.index, references, change.oldStart, change.oldEnd)
      : new ReferenceIndex(references, { shared: this.keep });
    // Entries replaced by ones that resolve alike (no keys changed, none moved): every citation
    // resolves as before, so the index keeps its id and no paragraph is resolved again.
    const same = !!change && change.shift === 0 && change.keys.size === 0 && !!last;
    this.index = { templates, bibliography, index, id: same ? last!.id : this.nextIndexId++, change: same ? last!.change : change };
    return this.index;
  }

  /**
   * A list check's findings: those of the last version when the list is the same entries, moved
   * together by the same number of characters, on the same lines (an edit in the prose above the
   * list that adds no line), shifted to where they are now.
   */
  /** Where the list is in this version, as listFindings compares it (made once for every list check). */
  listPlace(ctx: CheckContext, templates: EntryTemplate[]): ListPlace {
    const refs = ctx.references;
    const listStart = refs.length ? refs[0].range.start : 0;
    return { templates, bibliography: this.index?.bibliography ?? [], starts: templates.map((t, i) => refs[i].range.start), lineFirst: templates.length ? ctx.lines.lineAt(listStart) : -1, lineLast: templates.length ? ctx.lines.lineAt(refs[templates.length - 1].range.end) : -1, sections: sectionsShape(ctx.sections, listStart) };
  }

  listFindings(code: string, run: () => DiagnosticDraft[], ctx: CheckContext, at: ListPlace): DiagnosticDraft[] {
    const last = this.findings.get(code);
    if (last && last.uri === ctx.uri && sameItems(last.at.templates, at.templates) && sameItems(last.at.bibliography, at.bibliography) && last.at.lineFirst === at.lineFirst && last.at.lineLast === at.lineLast && last.at.sections === at.sections) {
      const d = at.starts.length ? at.starts[0] - last.at.starts[0] : 0;
      if (at.starts.every((x, i) => x - last.at.starts[i] === d)) {
        const drafts = d ? last.drafts.map((x) => shiftDraft(x, d, ctx.uri)) : last.drafts;
        this.findings.set(code, { uri: ctx.uri, at, drafts });
        return drafts;
      }
    }
    const drafts = run();
    // Kept with ranges of their own: those of entries move in place on later edits (see moveEntry).
    this.findings.set(code, { uri: ctx.uri, at, drafts: drafts.map((x) => shiftDraft(x, 0, ctx.uri)) });
    return drafts;
  }

  private findings = new Map<string, { uri: string; at: ListPlace; drafts: DiagnosticDraft[] }>();

  /**
   * After a patch replaced entries: the replaced templates are dropped (a patch does not rotate,
   * and would otherwise keep every version of an edited entry), and the parse answers are kept
   * from growing without bound.
   */
  forget(replaced: EntryTemplate[], live: number): void {
    for (const t of replaced) {
      for (const map of [this.templatesNext, this.templatesPrev]) {
        const list = map.get(t.source);
        if (!list) continue;
        const rest = list.filter((x) => x !== t);
        if (rest.length) map.set(t.source, rest);
        else map.delete(t.source);
      }
    }
    if (this.entriesNext.size > 2 * live + 1000) this.entriesNext = new Map();
    this.referenceLists.trim(4 * live + 1000);
  }

  rotate(): void {
    this.entriesPrev = this.entriesNext;
    this.entriesNext = new Map();
    this.templatesPrev = this.templatesNext;
    this.templatesNext = new Map();
  }
}

/** Where a version's list is (see AnalyzerMemo.listFindings). */
interface ListPlace {
  templates: EntryTemplate[];
  bibliography: ReferenceEntry[];
  starts: number[];
  lineFirst: number;
  lineLast: number;
  sections: string;
}

const DITTO_RE = /^[\s\0]*(?:_{2,}|[—―–-]{2,}|—)/;

/** The entry with its own copies of the strings cut from the document (see detach). */
function detachEntry(e: ReferenceEntry): ReferenceEntry {
  e.text = detach(e.text);
  if (e.title !== undefined) e.title = detach(e.title);
  if (e.label !== undefined) e.label = detach(e.label);
  if (e.key !== undefined) e.key = detach(e.key);
  return e;
}

function authorsSignature(authors: ReferenceEntry['authors'] | undefined): string {
  return (authors ?? []).map((p) => `${p.family}|${p.full}|${p.alias ?? ''}|${p.corporate ? 1 : 0}`).join(';');
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function shiftRange(x: Range, d: number): Range;
function shiftRange(x: Range | undefined, d: number): Range | undefined;
function shiftRange(x: Range | undefined, d: number): Range | undefined {
  return x && { start: x.start + d, end: x.end + d };
}

/** The sections' ranges relative to the list's first entry, as a string. */
function sectionsShape(sections: Analysis['sections'], origin: number): string {
  return sections.map((x) => `${x.heading ? `${x.heading.start - origin}:${x.heading.end - origin}` : '-'}/${x.range.start - origin}:${x.range.end - origin}/${x.entries.join(',')}/${x.restarts?.join(',') ?? ''}`).join(';');
}

/** A finding `d` characters later (its ranges in this document; those in other files stay). */
function shiftDraft(x: DiagnosticDraft, d: number, uri: string): DiagnosticDraft {
  if (x.uri !== uri) return x;
  return {
    ...x,
    range: shiftRange(x.range, d),
    fixes: x.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: shiftRange(e.range, d) })) })),
    ...(x.related ? { related: x.related.map((r) => (r.uri === uri ? { ...r, range: shiftRange(r.range, d) } : r)) } : {}),
  };
}

/** The same entry `d` characters later, at `index`. Properties keep buildEntry's order. */
function shiftEntry(e: ReferenceEntry, d: number, index: number): ReferenceEntry {
  const out: ReferenceEntry = { ...e, index, range: shiftRange(e.range, d) };
  if ('yearRange' in e) out.yearRange = shiftRange(e.yearRange, d);
  if ('authorRange' in e) out.authorRange = shiftRange(e.authorRange, d);
  return out;
}

/** The citation `d` characters later, at `index`. Properties keep citationFromCandidate's order. */
function shiftCitation(c: Citation, d: number, index: number): Citation {
  const out: Citation = { ...c, index, range: shiftRange(c.range, d), authors: c.authors.map((a) => ({ text: a.text, range: shiftRange(a.range, d) })), yearRange: shiftRange(c.yearRange, d), groupRange: shiftRange(c.groupRange, d) };
  return out;
}

function shiftResolution(r: Resolution, d: number): Resolution {
  const nd = r.nameDiffers;
  return d && nd ? { ...r, nameDiffers: { cited: { text: nd.cited.text, range: shiftRange(nd.cited.range, d) }, listed: nd.listed } } : r;
}

/** With `scan`, the groups' candidates are not given: each is scanned, resolved, and let go. */
function analyzeView(doc: SourceDocument, text: string, format: DocumentFormat, lines: LineIndex, view: ProseView, opts: AnalyzeOptions, raw: RawSection[], groups: Group[], memo: AnalyzerMemo, scan?: (g: Group) => CitationCandidate[]): { analysis: Analysis; results: GroupResult[]; templates: EntryTemplate[]; listEntries: number[]; patchable: boolean } {
  const references: ReferenceEntry[] = [];
  const templates: EntryTemplate[] = [];
  const sections: Analysis['sections'] = [];
  for (const s of raw) {
    const idx: number[] = [];
    let restarts: number[] | undefined;
    let prevAuthors: ReferenceEntry['authors'] | undefined;
    for (const r of s.entries) {
      const made = memo.entry(doc.uri, text, view.text, r, references.length, prevAuthors);
      if (!made) continue;
      const e = made.entry;
      references.push(e);
      templates.push(made.template);
      idx.push(e.index);
      if (r.afterSubheading) (restarts ??= []).push(e.index);
      prevAuthors = e.authors;
    }
    if (idx.length) sections.push(restarts ? { heading: s.heading, range: s.range, entries: idx, restarts } : { heading: s.heading, range: s.range, entries: idx });
  }
  const listEntries = references.map((e) => e.index);
  const bibliography = opts.bibliographyEntries ?? [];
  for (const b of bibliography) references.push({ ...b, index: references.length });

  const { index, id: indexId, change } = memo.referenceIndex(templates, bibliography, references);
  const ignoredAt = (start: number) => view.ignoredLines.size > 0 && view.ignoredLines.has(lines.lineAt(start));
  // Each paragraph's citations, resolved.
  const results: GroupResult[] = [];
  const used = new Set<GroupResult>();
  let sorted = true;
  let lastStart = -Infinity;
  for (const g of groups) {
    if (scan) {
      const res = resolveParagraph({ cands: scan(g), offset: g.offset, end: g.end }, sections, index, indexId, view.text, text, ignoredAt);
      results.push(res);
      for (const c of res.citations) {
        if (c.range.start < lastStart) sorted = false;
        lastStart = c.range.start;
      }
      continue;
    }
    const insideKey = insideOf(g, sections).key;
    const source = text.slice(g.offset, g.end);
    let res = memo.groups.get(g.cands);
    // Two paragraphs of the same text share candidates; each gets its own result (their citations are moved apart).
    if (res && used.has(res)) res = undefined;
    if (res && res.indexId !== indexId && change && res.indexId === change.from && res.insideKey === insideKey && res.source === source && !touchesAny(change, groupNames(res, g.cands))) {
      // The reference list changed, but not for these names.
      if (change.shift) res.resolutions = res.resolutions.map((r) => remapResolution(r, change));
      res.indexId = indexId;
    }
    if (!res || res.indexId !== indexId || res.insideKey !== insideKey || res.source !== source) {
      res = resolveParagraph(g, sections, index, indexId, view.text, text, ignoredAt);
      if (!memo.groups.has(g.cands) || !used.has(memo.groups.get(g.cands)!)) memo.groups.set(g.cands, res);
    }
    results.push(res);
    used.add(res);
    for (const c of res.citations) {
      const at = c.range.start - res.offset + g.offset;
      if (at < lastStart) sorted = false;
      lastStart = at;
    }
  }
  const keyCitations: Citation[] = [];
  const keyResolutions: Resolution[] = [];
  for (const k of view.keyCitations) addKeyCitations(k, text, index, keyCitations, keyResolutions, view, lines);

  let sortedC: Citation[] = [];
  let sortedR: Resolution[] = [];
  if (sorted && keyCitations.length === 0) {
    // The usual case: paragraphs in order, each paragraph's citations in order. Paragraphs that
    // neither moved nor changed keep their citation objects.
    results.forEach((res, gi) => {
      if (!res.citations.length) return;
      const offset = groups[gi].offset;
      const base = sortedC.length;
      const ignored = view.ignoredLines.size ? res.citations.map((c) => (ignoredAt(c.range.start - res.offset + offset) ? '1' : '0')).join('') : '';
      if (res.base === -1 && res.offset === offset && res.ignored === ignored) {
        // Made for this version and not handed out yet: numbered in place.
        res.citations.forEach((c, i) => { c.index = base + i; });
        res.base = base;
      } else if (res.offset !== offset || res.base !== base || res.ignored !== ignored) {
        const d = offset - res.offset;
        res.citations = res.citations.map((c, i) => {
          const cit = shiftCitation(c, d, base + i);
          if (ignored[i] === '1') cit.ignored = true;
          else delete cit.ignored;
          return cit;
        });
        if (d) res.resolutions = res.resolutions.map((r) => shiftResolution(r, d));
        res.offset = offset;
        res.base = base;
        res.ignored = ignored;
      }
      for (const c of res.citations) sortedC.push(c);
      for (const r of res.resolutions) sortedR.push(r);
    });
  } else {
    const citations: Citation[] = [];
    const resolutions: Resolution[] = [];
    results.forEach((res, gi) => {
      const d = groups[gi].offset - res.offset;
      res.citations.forEach((c, i) => {
        const cit = shiftCitation(c, d, citations.length);
        if (ignoredAt(cit.range.start)) cit.ignored = true;
        else delete cit.ignored;
        citations.push(cit);
        resolutions.push(shiftResolution(res.resolutions[i], d));
      });
    });
    for (let i = 0; i < keyCitations.length; i++) {
      citations.push({ ...keyCitations[i], index: citations.length });
      resolutions.push(keyResolutions[i]);
    }
    // Citations in document order.
    const order = citations.map((c, i) => i).sort((a, b) => citations[a].range.start - citations[b].range.start);
    sortedC = order.map((i, k) => ({ ...citations[i], index: k }));
    sortedR = order.map((i) => resolutions[i]);
  }

  const ctx: CheckContext = {
    uri: doc.uri, text, lines, references, citations: sortedC, resolutions: sortedR, sections,
    listEntries: [...listEntries, ...references.filter((e) => e.source.kind === 'bibliography').map((e) => e.index)],
    notable: notableCitations(sortedC, sortedR),
    once: !memo.keep || undefined,
  };
  const diagnostics = runChecks(ctx, opts, templates, memo);
  const analysis: Analysis = {
    uri: doc.uri, format, version: doc.version, text, lines, sections, references, citations: sortedC, resolutions: sortedR, diagnostics,
    bibliographyPaths: view.bibliographies,
  };
  return { analysis, results, templates, listEntries: ctx.listEntries, patchable: sorted && keyCitations.length === 0 };
}

/** Every check that is not off, on this context; a list check's findings are reused while the list is the same. */
function runChecks(ctx: CheckContext, opts: AnalyzeOptions, templates: EntryTemplate[], memo: AnalyzerMemo): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let place: ListPlace | undefined;
  for (const check of CHECKS) {
    const setting = opts.severities?.[check.code];
    if (setting === 'off') continue;
    let drafts: ReturnType<typeof check.run>;
    try {
      // A list check's findings are kept for a next version, when there is one.
      drafts = check.scope === 'list' && memo.keep ? memo.listFindings(check.code, () => check.run(ctx), ctx, (place ??= memo.listPlace(ctx, templates))) : check.run(ctx);
    } catch (err) {
      drafts = [];
    }
    for (const d of drafts) diagnostics.push({ ...d, code: check.code, severity: setting ?? d.severity ?? check.defaultSeverity });
  }
  diagnostics.sort((a, b) => (a.uri === b.uri ? a.range.start - b.range.start : a.uri < b.uri ? -1 : 1));
  return diagnostics;
}

/** Which of a paragraph's candidates lie inside a reference list (most paragraphs: none, no test each). */
function insideOf(g: Group, sections: Analysis['sections']): { inside: boolean[]; key: string } {
  const overlaps = g.cands.length > 0 && sections.some((x) => x.range.start < g.end && g.offset < x.range.end);
  if (!overlaps) return { inside: NOWHERE, key: '' };
  const inside = g.cands.map((c) => {
    const at = c.yearRange.start + g.offset;
    for (const x of sections) if (at >= x.range.start && at < x.range.end) return true;
    return false;
  });
  return { inside, key: inside.some(Boolean) ? inside.map((x) => (x ? '1' : '0')).join('') : '' };
}

/** A paragraph's citations resolved against this index. */
function resolveParagraph(g: Group, sections: Analysis['sections'], index: ReferenceIndex, indexId: number, view: Sliceable, text: string, ignoredAt: (start: number) => boolean): GroupResult {
  const { inside, key } = insideOf(g, sections);
  const res = resolveGroup(g, inside, index, view, text, text.slice(g.offset, g.end), ignoredAt);
  res.indexId = indexId;
  res.insideKey = key;
  return res;
}

/** `inside` for a paragraph outside every reference list. */
const NOWHERE: boolean[] = [];

/** Resolves one paragraph's candidates. */
function resolveGroup(g: { cands: CitationCandidate[]; offset: number }, inside: boolean[], index: ReferenceIndex, view: Sliceable, text: string, source: string, ignoredAt: (start: number) => boolean): GroupResult {
  const citations: Citation[] = [];
  const resolutions: Resolution[] = [];
  /** Which citations an ignore comment covers, as '0'/'1' per citation; made at the first covered one. */
  let ignored: string | undefined;
  const offset = g.offset;
  // A later year of a list (`Hipor 1999, 2019a, b`) is as strong as the citation that opened it.
  let head: ResolvedCandidate | undefined;
  const cands = g.cands;
  for (let i = 0; i < cands.length; i++) {
    if (inside[i]) continue;
    // Candidates are relative to the paragraph; what is made of them is at `offset`.
    const c = cands[i];
    let r: ResolvedCandidate | undefined;
    if (c.continuation) {
      if (!head) continue;
      r = resolveCandidate(index, { ...c, partStart: undefined, kind: head.kind ?? c.kind, weak: !!head.weak }, view, offset);
    } else {
      r = head = resolveCandidate(index, c, view, offset);
    }
    if (!r) continue;
    if (r.resolution.status === 'unresolved' && isNoCitation(text, r, offset)) {
      if (!c.continuation) head = undefined;
      continue;
    }
    // The citation owns its ranges (shared with none of its other ranges, nor another citation's):
    // an edit before it moves them in place (see moveCitation).
    const cit = citationFromCandidate(text, c, r, -1, offset);
    cit.text = detach(cit.text);
    if (ignoredAt(cit.range.start)) {
      cit.ignored = true;
      ignored = (ignored ?? '0'.repeat(citations.length)) + '1';
    } else if (ignored !== undefined) ignored += '0';
    citations.push(cit);
    const nd = r.resolution.nameDiffers;
    resolutions.push(nd ? { ...r.resolution, nameDiffers: { cited: { text: nd.cited.text, range: { start: nd.cited.range.start + offset, end: nd.cited.range.end + offset } }, listed: nd.listed } } : r.resolution);
  }
  return { indexId: 0, names: undefined, insideKey: '', source: detach(source), offset, base: -1, ignored: ignored ?? '', citations, resolutions };
}

/**
 * An unresolved name-year that the source shows is no citation: a title set off by emphasis, a
 * brace or quotes (`*Hamlet* (1603)`, `\\emph{Capital} (1867)`), or a heading (`### Korea (2016)`).
 */
function isNoCitation(text: string, r: ResolvedCandidate, offset: number): boolean {
  const names = r.reading.names;
  // Right after the name, or its last character when markup was glued to it (`Hamlet}`).
  const end = names[names.length - 1].range.end + offset;
  if (isTitleEnd(text.charCodeAt(end)) || isTitleEnd(text.charCodeAt(end - 1))) return true;
  // A heading is short: its line starts at most 200 characters before the name (a line found by
  // searching further back would cost a 10 MB line its length for each citation).
  const start = names[0].range.start + offset;
  let ls = start;
  const stop = Math.max(0, start - 200);
  while (ls > stop && text.charCodeAt(ls - 1) !== 10) ls--;
  if (ls > 0 && text.charCodeAt(ls - 1) !== 10) return false;
  return /^[ \t]{0,3}#{1,6}[ \t]|^[ \t]*\\(?:sub)*section\*?\{/.test(text.slice(ls, Math.min(start, ls + 40)));
}

/** `*`, `_`, `}`, `"`, `”`, `»`: what closes a title set off by emphasis, a brace or quotes. */
function isTitleEnd(c: number): boolean {
  return c === 42 || c === 95 || c === 125 || c === 34 || c === 0x201d || c === 0xbb;
}

/** The folded names a paragraph's readings look up in the index (see touchesAny). */
function groupNames(res: GroupResult, cands: CitationCandidate[]): string[] {
  if (res.names) return res.names;
  const names = new Set<string>();
  for (const c of cands) for (const r of c.readings) if (r.names.length) names.add(fold(r.names[0].text));
  return (res.names = [...names]);
}

function buildEntry(uri: string, text: string, view: Sliceable, r: RawEntry, index: number, prev: ReferenceEntry['authors'] | undefined, memo: AnalyzerMemo): ReferenceEntry | undefined {
  const body = view.slice(r.bodyStart, r.range.end);
  const shown = collapseSpaces(text.slice(r.range.start, r.range.end)).trim();
  // Each entry is one object literal: spreading a shared base and adding fields to it made V8
  // take a slow path that cost more than the whole entry parse.
  const numbered = r.numbered || undefined;
  // natbib `\bibitem[Gelman et al.(1996)Gelman, Roberts, and Gilks]{grg}`.
  if (r.label) {
    const lm = /^(.*?)\(((?:1[5-9]|20)\d\d)([a-z]?)\)(.*)$/s.exec(r.label.replace(/[{}]/g, '').replace(/~/g, ' '));
    if (lm) {
      const long = lm[4].trim() || lm[1].trim();
      const a = readAuthors(long.replace(/,?\s+and\s+/g, ', and ')) ?? readAuthors(lm[1]);
      const short = readAuthors(lm[1]);
      const parsedBody = memo.parseEntry(body, prev, r.bodyStart);
      const authors = a?.persons.map((p) => ({ ...p, family: p.family || p.full })) ?? [];
      // natbib long lists are family names only: `Gelman, Roberts, and Gilks`.
      const fams = long.split(/,\s*(?:and\s+)?|\s+and\s+/).map((s) => s.trim()).filter(Boolean);
      let persons = fams.length > 1 ? fams.map((f) => ({ family: f, full: f })) : authors.length ? authors : [{ family: lm[1].trim(), full: lm[1].trim() }];
      let etAl = !!short?.etAl && fams.length <= 1;
      // `\bibitem[Klein et~al.(2014)]{k} Klein, J.~P., van~Houwelingen, H.~C., …`: a label with
      // et al. and no long list names only the first author; the entry's own list, when it opens
      // with that author, names them all (else any co-author cited would fit the et al.).
      if (etAl && !lm[4].trim() && parsedBody && parsedBody.authors.length > 1 && persons.length === 1
        && fold(parsedBody.authors[0].family) === fold(persons[0].family)) {
        persons = parsedBody.authors;
        etAl = parsedBody.etAl;
      }
      return {
        index, uri, source: { kind: 'list', uri }, range: r.range, text: shown, key: r.key, label: r.label, numbered,
        authors: persons.length ? persons : (parsedBody?.authors ?? []),
        etAl,
        editors: parsedBody?.editors ?? false,
        year: lm[2],
        suffix: lm[3],
        yearRange: parsedBody && parsedBody.yearStart >= 0 ? { start: r.bodyStart + parsedBody.yearStart, end: r.bodyStart + parsedBody.yearEnd } : undefined,
        title: parsedBody?.rest.replace(/\0/g, '').trim().slice(0, 200),
      };
    }
  }
  const p = memo.parseEntry(body, prev, r.bodyStart);
  if (!p) {
    return { index, uri, source: { kind: 'list', uri }, range: r.range, text: shown, key: r.key, label: r.label, numbered, authors: [], etAl: false, editors: false, year: '', suffix: '' };
  }
  return {
    index, uri, source: { kind: 'list', uri }, range: r.range, text: shown, key: r.key, label: r.label, numbered,
    authors: p.authors,
    etAl: p.etAl,
    editors: p.editors,
    year: /^\d/.test(p.year) ? p.year : normalizeYearWord(p.year),
    suffix: p.suffix,
    ditto: p.ditto || undefined,
    yearRange: p.yearStart >= 0 ? { start: r.bodyStart + p.yearStart, end: r.bodyStart + p.yearEnd } : undefined,
    authorRange: { start: r.bodyStart + p.authorStart, end: r.bodyStart + Math.max(p.authorStart, p.authorEnd) },
    title: (p.rest.indexOf('\0') === -1 ? p.rest : p.rest.replace(/\0/g, '')).replace(/^[\s.,:)\]]+/, '').trim().slice(0, 200),
  };
}

function addKeyCitations(k: KeyCitationSyntax, text: string, index: ReferenceIndex, citations: Citation[], resolutions: Resolution[], view: ProseView, lines: LineIndex): void {
  if (k.all) {
    citations.push({ index: citations.length, kind: 'key', range: k.range, text: text.slice(k.range.start, k.range.end), authors: [], etAl: false, year: '', suffix: '', yearRange: k.range, key: '*', keyRange: k.range });
    resolutions.push({ status: 'resolved' });
  }
  for (const key of k.keys) {
    const cit: Citation = {
      index: citations.length, kind: 'key', range: key.range, text: text.slice(k.range.start, k.range.end), authors: [], etAl: false, year: '', suffix: '',
      yearRange: key.range, key: key.key, keyRange: key.range, groupRange: k.range,
      weak: k.command === '@' || undefined,
    };
    if (view.ignoredLines.has(lines.lineAt(key.range.start))) cit.ignored = true;
    citations.push(cit);
    resolutions.push(resolveKey(index, key.key));
  }
}

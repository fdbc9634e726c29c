/**
 * The pipeline: prose view -> reference lists -> entries -> citations -> resolutions -> checks.
 * Pure and total: any string in, an Analysis out.
 */
import { collapseSpaces } from './text/spaces';
import type { Citation, Diagnostic, DocumentFormat, Range, ReferenceEntry, ReferenceSection, Resolution, Severity, SourceDocument } from './types';
import { ProseCache, formatFromUri, proseView, type KeyCitationSyntax, type ProseView } from './syntax/prose';
import { ReferenceListCache, findReferenceSections, type RawEntry, type RawSection } from './syntax/referenceList';
import { scanCitations, type CitationCandidate } from './syntax/citations';
import { parseFreeTextEntry, readAuthors, type ParsedEntry } from './bibliography/freeTextEntry';
import { ReferenceIndex, citationFromCandidate, personKeys, resolveCandidate, type ResolvedCandidate } from './semantics/resolve';
import { editDistance, fold } from './text/fold';
import { resolveKey } from './semantics/keys';
import { CHECKS, type CheckContext } from './checks';
import type { DiagnosticDraft } from './checks/check';
import { LineIndex } from './text/lineIndex';
import { ParagraphMemo } from './text/memo';
import { detach } from './text/detach';
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
}

export interface Analysis {
  uri: string;
  format: DocumentFormat;
  version?: number;
  text: string;
  lines: LineIndex;
  sections: (ReferenceSection & { entries: number[] })[];
  references: ReferenceEntry[];
  citations: Citation[];
  resolutions: Resolution[];
  diagnostics: Diagnostic[];
  /** Bibliography files the document names (front matter, `\bibliography{}`), as written. */
  bibliographyPaths: { path: string; range: { start: number; end: number } }[];
}

/** Analyses one document from scratch. */
export function analyze(doc: SourceDocument, opts: AnalyzeOptions = {}): Analysis {
  return new Analyzer().analyze(doc, opts);
}

/**
 * Analyses successive versions of one document. It keeps each paragraph's prose view and
 * citation candidates keyed by the paragraph's text, so an edit re-reads only the paragraphs it
 * changed; the result is always the same as `analyze` on the same text.
 */
export class Analyzer {
  private prose = new ProseCache();
  private scans = new ParagraphMemo<CitationCandidate[]>();

  analyze(doc: SourceDocument, opts: AnalyzeOptions = {}): Analysis {
    const text = typeof doc.text === 'string' ? doc.text : String(doc.text ?? '');
    const format = opts.format ?? doc.format ?? formatFromUri(doc.uri);
    const lines = new LineIndex(text);
    const maxLength = opts.maxLength ?? 20_000_000;
    if (text.length > maxLength) {
      return {
        uri: doc.uri, format, version: doc.version, text, lines, sections: [], references: [], citations: [], resolutions: [], bibliographyPaths: [],
        diagnostics: [{
          code: 'document-too-large', severity: 'information', uri: doc.uri, range: { start: 0, end: 0 }, fixes: [],
          message: `This document is ${(text.length / 1e6).toFixed(1)} MB; citecheck checks documents up to ${(maxLength / 1e6).toFixed(0)} MB and skipped it.`,
        }],
      };
    }
    const view = proseView(text, format, this.prose);
    const raw = findReferenceSections(text, view.text, format, this.memo.referenceLists);
    // Citations are not read inside the reference lists: a paragraph wholly inside one is not scanned.
    const outside = raw.length ? view.paragraphs.filter((p) => !raw.some((s) => s.range.start <= p.start && p.end <= s.range.end)) : view.paragraphs;
    const bodies = outside.map((p) => view.text.slice(p.start, p.end));
    const found = this.scans.run(bodies, (b) => scanCitations(b, { skip: [] }));
    const groups = outside.map((p, i) => ({ cands: found[i], offset: p.start, end: p.end }));
    const a = analyzeView(doc, text, format, lines, view, opts, raw, groups, this.memo);
    this.memo.rotate();
    return a;
  }

  private memo = new AnalyzerMemo();
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
  masked: string;
  /** The last absolute entry made from it (reused while its start and index stay). */
  last?: ReferenceEntry;
}

/**
 * A paragraph's citations as resolved against one reference index. The objects are those of the
 * version that made them (at `offset`, numbered from `base`); a later version where the paragraph
 * moved gets shifted copies.
 */
interface GroupResult {
  indexId: number;
  /** The folded names its readings looked up in the index. */
  names: string[];
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

/** Whether a folded cited name may resolve differently after the change. */
function touches(change: IndexChange, name: string): boolean {
  let r = change.related.get(name);
  if (r === undefined) {
    r = false;
    for (const k of change.keys) {
      // Near misses are at most two edits (nearMissBudget), and so differ in length by two at most.
      if (k === name || (Math.abs(k.length - name.length) <= 2 && editDistance(k, name, 2) <= 2)) {
        r = true;
        break;
      }
    }
    change.related.set(name, r);
  }
  return r;
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
  readonly referenceLists = new ReferenceListCache();

  parseEntry(body: string, prev: ReferenceEntry['authors'] | undefined): ParsedEntry | undefined {
    const ditto = DITTO_RE.test(body);
    const key = ditto ? `${body}\u0001${authorsSignature(prev)}` : body;
    if (this.entriesNext.has(key)) return this.entriesNext.get(key);
    let v: ParsedEntry | undefined;
    if (this.entriesPrev.has(key)) v = this.entriesPrev.get(key);
    else v = parseFreeTextEntry(detach(body), prev);
    this.entriesNext.set(key, v);
    return v;
  }

  /** The entry for `r`, made once per distinct text and shape and shifted to where it is now. */
  entry(uri: string, text: string, view: string, r: RawEntry, index: number, prev: ReferenceEntry['authors'] | undefined): { entry: ReferenceEntry; template: EntryTemplate } | undefined {
    if (this.uri !== uri) {
      this.uri = uri;
      this.templatesPrev.clear();
      this.templatesNext.clear();
      this.index = undefined;
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
      t = { entry: detachEntry(shiftEntry(e, -r.range.start, -1)), bodyOffset: r.bodyStart - r.range.start, key: r.key, label: r.label, numbered: r.numbered, dittoOf, masked: detach(masked) };
    }
    if (!next) this.templatesNext.set(source, [t]);
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
      for (const t of [...a.slice(head, a.length - tail), ...b.slice(head, b.length - tail)]) {
        const first = t.entry.authors[0];
        if (first) for (const k of personKeys(first)) keys.add(k);
      }
      change = { from: last.id, oldStart: head, oldEnd: a.length - tail, shift: b.length - a.length, keys, related: new Map() };
    }
    this.index = { templates, bibliography, index: new ReferenceIndex(references), id: this.nextIndexId++, change };
    return this.index;
  }

  /**
   * A list check's findings: those of the last version when the list is the same entries, moved
   * together by the same number of characters, on the same lines (an edit in the prose above the
   * list that adds no line), shifted to where they are now.
   */
  listFindings(code: string, run: () => DiagnosticDraft[], ctx: CheckContext, templates: EntryTemplate[]): DiagnosticDraft[] {
    const refs = ctx.references;
    const listStart = refs.length ? refs[0].range.start : 0;
    const at = { templates, bibliography: this.index?.bibliography ?? [], starts: templates.map((t, i) => refs[i].range.start), lineFirst: templates.length ? ctx.lines.lineAt(listStart) : -1, lineLast: templates.length ? ctx.lines.lineAt(refs[templates.length - 1].range.end) : -1, sections: sectionsShape(ctx.sections, listStart) };
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
    this.findings.set(code, { uri: ctx.uri, at, drafts });
    return drafts;
  }

  private findings = new Map<string, { uri: string; at: { templates: EntryTemplate[]; bibliography: ReferenceEntry[]; starts: number[]; lineFirst: number; lineLast: number; sections: string }; drafts: DiagnosticDraft[] }>();

  rotate(): void {
    this.entriesPrev = this.entriesNext;
    this.entriesNext = new Map();
    this.templatesPrev = this.templatesNext;
    this.templatesNext = new Map();
  }
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
  return sections.map((x) => `${x.heading ? `${x.heading.start - origin}:${x.heading.end - origin}` : '-'}/${x.range.start - origin}:${x.range.end - origin}/${x.entries.join(',')}`).join(';');
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

function shiftCandidate(c: CitationCandidate, d: number): CitationCandidate {
  if (d === 0) return c;
  const r = (x: { start: number; end: number }) => ({ start: x.start + d, end: x.end + d });
  return {
    ...c,
    readings: c.readings.map((rd) => ({ start: rd.start + d, names: rd.names.map((n) => ({ text: n.text, range: r(n.range) })) })),
    etAlRange: c.etAlRange && r(c.etAlRange),
    yearRange: r(c.yearRange),
    end: c.end + d,
    groupRange: c.groupRange && r(c.groupRange),
    partStart: c.partStart === undefined ? undefined : c.partStart + d,
  };
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

function analyzeView(doc: SourceDocument, text: string, format: DocumentFormat, lines: LineIndex, view: ProseView, opts: AnalyzeOptions, raw: RawSection[], groups: { cands: CitationCandidate[]; offset: number; end: number }[], memo: AnalyzerMemo): Analysis {
  const references: ReferenceEntry[] = [];
  const templates: EntryTemplate[] = [];
  const sections: Analysis['sections'] = [];
  for (const s of raw) {
    const idx: number[] = [];
    let prevAuthors: ReferenceEntry['authors'] | undefined;
    for (const r of s.entries) {
      const made = memo.entry(doc.uri, text, view.text, r, references.length, prevAuthors);
      if (!made) continue;
      const e = made.entry;
      references.push(e);
      templates.push(made.template);
      idx.push(e.index);
      prevAuthors = e.authors;
    }
    if (idx.length) sections.push({ heading: s.heading, range: s.range, entries: idx });
  }
  const listEntries = references.map((e) => e.index);
  const bibliography = opts.bibliographyEntries ?? [];
  for (const b of bibliography) references.push({ ...b, index: references.length });

  const { index, id: indexId, change } = memo.referenceIndex(templates, bibliography, references);
  const inSection = (at: number) => {
    for (const x of sections) if (at >= x.range.start && at < x.range.end) return true;
    return false;
  };
  const ignoredAt = (start: number) => view.ignoredLines.size > 0 && view.ignoredLines.has(lines.lineAt(start));
  // Each paragraph's citations, resolved.
  const results: GroupResult[] = [];
  let sorted = true;
  let lastStart = -Infinity;
  for (const g of groups) {
    // Most paragraphs lie outside every reference list: no per-candidate test.
    const overlaps = g.cands.length > 0 && sections.some((x) => x.range.start < g.end && g.offset < x.range.end);
    const inside = overlaps ? g.cands.map((c) => inSection(c.yearRange.start + g.offset)) : NOWHERE;
    const insideKey = overlaps && inside.some(Boolean) ? inside.map((x) => (x ? '1' : '0')).join('') : '';
    const source = text.slice(g.offset, g.end);
    let res = memo.groups.get(g.cands);
    if (res && res.indexId !== indexId && change && res.indexId === change.from && res.insideKey === insideKey && res.source === source && !res.names.some((n) => touches(change, n))) {
      // The reference list changed, but not for these names.
      if (change.shift) res.resolutions = res.resolutions.map((r) => remapResolution(r, change));
      res.indexId = indexId;
    }
    if (!res || res.indexId !== indexId || res.insideKey !== insideKey || res.source !== source) {
      res = resolveGroup(g, inside, index, view.text, text, source, ignoredAt);
      res.indexId = indexId;
      res.insideKey = insideKey;
      memo.groups.set(g.cands, res);
    }
    results.push(res);
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
  };
  const diagnostics: Diagnostic[] = [];
  for (const check of CHECKS) {
    const setting = opts.severities?.[check.code];
    if (setting === 'off') continue;
    let drafts: ReturnType<typeof check.run>;
    try {
      drafts = check.scope === 'list' ? memo.listFindings(check.code, () => check.run(ctx), ctx, templates) : check.run(ctx);
    } catch (err) {
      drafts = [];
    }
    for (const d of drafts) diagnostics.push({ ...d, code: check.code, severity: setting ?? d.severity ?? check.defaultSeverity });
  }
  diagnostics.sort((a, b) => (a.uri === b.uri ? a.range.start - b.range.start : a.uri < b.uri ? -1 : 1));
  return {
    uri: doc.uri, format, version: doc.version, text, lines, sections, references, citations: sortedC, resolutions: sortedR, diagnostics,
    bibliographyPaths: view.bibliographies,
  };
}

/** `inside` for a paragraph outside every reference list. */
const NOWHERE: boolean[] = [];

/** Resolves one paragraph's candidates. */
function resolveGroup(g: { cands: CitationCandidate[]; offset: number }, inside: boolean[], index: ReferenceIndex, view: string, text: string, source: string, ignoredAt: (start: number) => boolean): GroupResult {
  const citations: Citation[] = [];
  const resolutions: Resolution[] = [];
  const ignored: string[] = [];
  // A later year of a list (`Hipor 1999, 2019a, b`) is as strong as the citation that opened it.
  let head: ResolvedCandidate | undefined;
  g.cands.forEach((rel, i) => {
    if (inside[i]) return;
    const c = shiftCandidate(rel, g.offset);
    let r: ResolvedCandidate | undefined;
    if (c.continuation) {
      if (!head) return;
      r = resolveCandidate(index, { ...c, partStart: undefined, kind: head.kind ?? c.kind, weak: !!head.weak }, view);
    } else {
      r = head = resolveCandidate(index, c, view);
    }
    if (!r) return;
    const cit = citationFromCandidate(view, text, c, r, -1);
    cit.text = detach(cit.text);
    const ig = ignoredAt(cit.range.start);
    if (ig) cit.ignored = true;
    ignored.push(ig ? '1' : '0');
    citations.push(cit);
    resolutions.push(r.resolution);
  });
  const names = new Set<string>();
  for (const c of g.cands) for (const r of c.readings) if (r.names.length) names.add(fold(r.names[0].text));
  return { indexId: 0, names: [...names], insideKey: '', source: detach(source), offset: g.offset, base: -1, ignored: ignored.includes('1') ? ignored.join('') : '', citations, resolutions };
}

function buildEntry(uri: string, text: string, view: string, r: RawEntry, index: number, prev: ReferenceEntry['authors'] | undefined, memo: AnalyzerMemo): ReferenceEntry | undefined {
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
      const parsedBody = memo.parseEntry(body, prev);
      const authors = a?.persons.map((p) => ({ ...p, family: p.family || p.full })) ?? [];
      // natbib long lists are family names only: `Gelman, Roberts, and Gilks`.
      const fams = long.split(/,\s*(?:and\s+)?|\s+and\s+/).map((s) => s.trim()).filter(Boolean);
      const persons = fams.length > 1 ? fams.map((f) => ({ family: f, full: f })) : authors.length ? authors : [{ family: lm[1].trim(), full: lm[1].trim() }];
      return {
        index, uri, source: { kind: 'list', uri }, range: r.range, text: shown, key: r.key, label: r.label, numbered,
        authors: persons.length ? persons : (parsedBody?.authors ?? []),
        etAl: !!short?.etAl && fams.length <= 1,
        editors: parsedBody?.editors ?? false,
        year: lm[2],
        suffix: lm[3],
        yearRange: parsedBody && parsedBody.yearStart >= 0 ? { start: r.bodyStart + parsedBody.yearStart, end: r.bodyStart + parsedBody.yearEnd } : undefined,
        title: parsedBody?.rest.replace(/\0/g, '').trim().slice(0, 200),
      };
    }
  }
  const p = memo.parseEntry(body, prev);
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
    title: p.rest.replace(/\0/g, '').replace(/^[\s.,:)\]]+/, '').trim().slice(0, 200),
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

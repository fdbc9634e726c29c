/**
 * The pipeline: prose view -> reference lists -> entries -> citations -> resolutions -> checks.
 * Pure and total: any string in, an Analysis out.
 */
import type { Citation, Diagnostic, DocumentFormat, ReferenceEntry, ReferenceSection, Resolution, Severity, SourceDocument } from './types';
import { ProseCache, formatFromUri, proseView, type KeyCitationSyntax, type ProseView } from './syntax/prose';
import { findReferenceSections, type RawEntry } from './syntax/referenceList';
import { scanCitations, type CitationCandidate } from './syntax/citations';
import { parseFreeTextEntry, readAuthors, type ParsedEntry } from './bibliography/freeTextEntry';
import { ReferenceIndex, citationFromCandidate, resolveCandidate, type ResolvedCandidate } from './semantics/resolve';
import { resolveKey } from './semantics/keys';
import { CHECKS, type CheckContext } from './checks';
import { LineIndex } from './text/lineIndex';
import { ParagraphMemo } from './text/memo';
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
    const bodies = view.paragraphs.map((p) => view.text.slice(p.start, p.end));
    const found = this.scans.run(bodies, (b) => scanCitations(b, { skip: [] }));
    const groups = view.paragraphs.map((p, i) => ({ cands: found[i], offset: p.start }));
    const a = analyzeView(doc, text, format, lines, view, opts, groups, this.memo);
    this.memo.rotate();
    return a;
  }

  private memo = new AnalyzerMemo();
}

/** What an Analyzer keeps between versions besides paragraph views and scans. */
class AnalyzerMemo {
  /** Parsed entries by their text (and the authors a ditto entry repeats). */
  private entriesPrev = new Map<string, ParsedEntry | undefined>();
  private entriesNext = new Map<string, ParsedEntry | undefined>();
  /** Resolutions of a paragraph's candidates (offsets relative to the paragraph), per reference index. */
  readonly resolved = new WeakMap<CitationCandidate[], { sig: string; inside: string; list: (ResolvedCandidate | undefined)[] }>();

  parseEntry(body: string, prev: ReferenceEntry['authors'] | undefined): ParsedEntry | undefined {
    const ditto = /^[\s\0]*(?:_{2,}|[—―–-]{2,}|—)/.test(body);
    const key = ditto ? `${body}\u0001${(prev ?? []).map((p) => `${p.family}|${p.full}|${p.alias ?? ''}|${p.corporate ? 1 : 0}`).join(';')}` : body;
    if (this.entriesNext.has(key)) return this.entriesNext.get(key);
    let v: ParsedEntry | undefined;
    if (this.entriesPrev.has(key)) v = this.entriesPrev.get(key);
    else v = parseFreeTextEntry(body, prev);
    this.entriesNext.set(key, v);
    return v;
  }

  rotate(): void {
    this.entriesPrev = this.entriesNext;
    this.entriesNext = new Map();
  }
}

/** Everything about the reference list that resolution depends on, as one string. */
function indexSignature(refs: ReferenceEntry[]): string {
  return refs.map((e) => [e.key ?? '', e.year, e.suffix, e.etAl ? 1 : 0, e.text, e.authors.map((a) => `${a.family}|${a.full}|${a.alias ?? ''}|${a.corporate ? 1 : 0}`).join(';')].join('\u0002')).join('\u0003');
}

function shiftResolved(r: ResolvedCandidate, d: number): ResolvedCandidate {
  if (d === 0) return r;
  const nd = r.resolution.nameDiffers;
  return {
    ...r,
    reading: { start: r.reading.start + d, names: r.reading.names.map((n) => ({ text: n.text, range: { start: n.range.start + d, end: n.range.end + d } })) },
    resolution: nd ? { ...r.resolution, nameDiffers: { cited: { text: nd.cited.text, range: { start: nd.cited.range.start + d, end: nd.cited.range.end + d } }, listed: nd.listed } } : r.resolution,
  };
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

function analyzeView(doc: SourceDocument, text: string, format: DocumentFormat, lines: LineIndex, view: ProseView, opts: AnalyzeOptions, groups: { cands: CitationCandidate[]; offset: number }[], memo: AnalyzerMemo): Analysis {
  const raw = findReferenceSections(text, view.text, format);
  const references: ReferenceEntry[] = [];
  const sections: Analysis['sections'] = [];
  for (const s of raw) {
    const idx: number[] = [];
    let prevAuthors: ReferenceEntry['authors'] | undefined;
    for (const r of s.entries) {
      const e = buildEntry(doc.uri, text, view.text, r, references.length, prevAuthors, memo);
      if (!e) continue;
      references.push(e);
      idx.push(e.index);
      prevAuthors = e.authors;
    }
    if (idx.length) sections.push({ heading: s.heading, range: s.range, entries: idx });
  }
  const listEntries = references.map((e) => e.index);
  for (const b of opts.bibliographyEntries ?? []) references.push({ ...b, index: references.length });

  const index = new ReferenceIndex(references);
  const sig = indexSignature(references);
  const citations: Citation[] = [];
  const resolutions: Resolution[] = [];
  const inSection = (c: CitationCandidate) => sections.some((x) => c.yearRange.start >= x.range.start && c.yearRange.start < x.range.end);
  for (const g of groups) {
    const shifted = g.cands.map((c) => shiftCandidate(c, g.offset));
    // Citations are not read inside the reference lists (and their years are not resolved).
    const inside = shifted.map(inSection);
    const insideKey = inside.some(Boolean) ? inside.map((x) => (x ? '1' : '0')).join('') : '';
    let results: (ResolvedCandidate | undefined)[];
    const known = memo.resolved.get(g.cands);
    if (known && known.sig === sig && known.inside === insideKey) {
      results = known.list.map((r) => r && shiftResolved(r, g.offset));
    } else {
      // A later year of a list (`Hipor 1999, 2019a, b`) is as strong as the citation that opened it.
      let head: ResolvedCandidate | undefined;
      results = shifted.map((c, i) => {
        if (inside[i]) return undefined;
        if (c.continuation) {
          if (!head) return undefined;
          return resolveCandidate(index, { ...c, partStart: undefined, kind: head.kind ?? c.kind, weak: !!head.weak }, view.text);
        }
        head = resolveCandidate(index, c, view.text);
        return head;
      });
      memo.resolved.set(g.cands, { sig, inside: insideKey, list: results.map((r) => r && shiftResolved(r, -g.offset)) });
    }
    shifted.forEach((c, i) => {
      const r = results[i];
      if (!r || inside[i]) return;
      const cit = citationFromCandidate(view.text, text, c, r, citations.length);
      if (view.ignoredLines.has(lines.lineAt(cit.range.start))) cit.ignored = true;
      citations.push(cit);
      resolutions.push(r.resolution);
    });
  }
  for (const k of view.keyCitations) addKeyCitations(k, text, index, citations, resolutions, view, lines);
  // Citations in document order.
  const order = citations.map((c, i) => i).sort((a, b) => citations[a].range.start - citations[b].range.start);
  const sortedC = order.map((i, k) => ({ ...citations[i], index: k }));
  const sortedR = order.map((i) => resolutions[i]);

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
      drafts = check.run(ctx);
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

function buildEntry(uri: string, text: string, view: string, r: RawEntry, index: number, prev: ReferenceEntry['authors'] | undefined, memo: AnalyzerMemo): ReferenceEntry | undefined {
  const body = view.slice(r.bodyStart, r.range.end);
  const shown = text.slice(r.range.start, r.range.end).replace(/\s+/g, ' ').trim();
  const base: Omit<ReferenceEntry, 'authors' | 'etAl' | 'editors' | 'year' | 'suffix'> = {
    index, uri, source: { kind: 'list', uri }, range: r.range, text: shown, key: r.key, label: r.label, numbered: r.numbered || undefined,
  };
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
        ...base,
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
    return { ...base, authors: [], etAl: false, editors: false, year: '', suffix: '' };
  }
  return {
    ...base,
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

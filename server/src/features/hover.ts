/**
 * Hover: on a citation, the entry it points to as written and where it is (or, for a near
 * miss, what the list has instead and why it does not match); on an entry, how often and
 * where it is cited.
 */
import type { Analysis, Citation, Range, ReferenceEntry, Resolution } from '../core';
import { citationsOf, entriesOf, lineNumber, targetAt } from './cursor';
import { code, entryWhere, escapeMarkdown, parentheticalLabel } from './style';

export interface HoverResult {
  /** Markdown. */
  markdown: string;
  range: Range;
}

/**
 * Shows a bibliography entry formatted (Markdown: the entry in the user's citation style, links
 * for DOI and URL), or undefined to show it as read. The server formats; hover only asks.
 */
export type EntryFormatter = (e: ReferenceEntry) => string | undefined;

export interface HoverOptions {
  formatted?: EntryFormatter;
}

export function hover(a: Analysis, offset: number, opts: HoverOptions = {}): HoverResult | undefined {
  const t = targetAt(a, offset);
  if (!t) return undefined;
  if (t.kind === 'citation') return { markdown: citationHover(a, t.citation, t.resolution, opts.formatted), range: t.citation.keyRange ?? t.citation.range };
  return { markdown: entryHover(a, t.entry), range: t.entry.range };
}

/** The entry as written, with where it is: `Kim, DH. 2015. “Korea’s …” (line 50)`. */
export function entryAsWritten(a: Analysis, e: ReferenceEntry): string {
  // `______.` repeats the authors of the entry above: say who they are.
  const who = e.ditto && e.authors.length ? escapeMarkdown(`; ______ = ${e.authors.map((p) => p.full || p.family).join(', ')}`) : '';
  return `${escapeMarkdown(e.text)} (${entryWhere(a, e)}${who})`;
}

/** The entry formatted when the server could, else as written; with where it is. */
function shown(a: Analysis, e: ReferenceEntry, fmt: EntryFormatter | undefined): string {
  const f = fmt?.(e);
  return f ? `${f} (${entryWhere(a, e)})` : entryAsWritten(a, e);
}

function citationHover(a: Analysis, c: Citation, r: Resolution, fmt?: EntryFormatter): string {
  const entryAsWritten = (_a: Analysis, e: ReferenceEntry) => shown(_a, e, fmt);
  const parts: string[] = [];
  const es = entriesOf(r).entries.map((i) => a.references[i]).filter(Boolean);
  const cited = code(c.key && c.kind === 'key' ? c.key : c.text);
  switch (r.status) {
    case 'resolved': {
      if (es.length > 1) {
        parts.push(`Key ${cited} is on ${es.length} entries:`);
        parts.push(es.map((e) => `- ${entryAsWritten(a, e)}`).join('\n'));
      } else if (es.length === 1) {
        parts.push(entryAsWritten(a, es[0]));
        if (r.etAlMismatch === 'et-al-for-few') parts.push(`${cited} uses *et al.* for an entry with ${es[0].authors.length === 1 ? 'one author' : 'two authors'}.`);
        if (r.etAlMismatch === 'missing-et-al') parts.push(`${cited} names fewer authors than the entry has.`);
      }
      break;
    }
    case 'year-mismatch': {
      const e = es[0];
      if (!e) break;
      const listed = (e.year || 'n.d.') + e.suffix;
      const citedYear = c.year + c.suffix;
      const why = c.year === e.year ? `the year suffix differs (cited **${citedYear}**, listed **${listed}**)` : `the year differs (cited **${citedYear}**, listed **${listed}**)`;
      parts.push(`${cited} is not in the reference list as cited: ${why}. The list has:`);
      parts.push(quote(entryAsWritten(a, e)));
      const others = (r.candidates ?? []).filter((k) => k !== r.entry).map((k) => a.references[k]);
      if (others.length) parts.push(`Other entries by the same authors: ${others.map((o) => `${escapeMarkdown(parentheticalLabel(o))} (${entryWhere(a, o)})`).join(', ')}.`);
      break;
    }
    case 'author-mismatch': {
      const e = es[0];
      if (!e) break;
      const d = r.nameDiffers;
      const why = d ? `the name differs (cited **${escapeMarkdown(d.cited.text)}**, listed **${escapeMarkdown(d.listed)}**)` : 'a name differs';
      parts.push(`${cited} is not in the reference list as cited: ${why}. The list has:`);
      parts.push(quote(entryAsWritten(a, e)));
      break;
    }
    case 'suffix-missing': {
      const e = es[0];
      if (!e) break;
      parts.push(`${cited} needs a year suffix: the list has ${escapeMarkdown(parentheticalLabel(e))}:`);
      parts.push(quote(entryAsWritten(a, e)));
      break;
    }
    case 'ambiguous': {
      parts.push(`${cited} fits ${es.length} entries; add a year suffix to tell them apart:`);
      parts.push(es.map((e) => `- ${entryAsWritten(a, e)}`).join('\n'));
      break;
    }
    case 'unresolved': {
      if (c.kind === 'key') {
        const near = (r.candidates ?? []).map((k) => a.references[k]).filter((e) => e?.key);
        parts.push(`No entry has the key ${cited}.${near.length ? ` Nearest keys: ${near.map((e) => code(e.key!)).join(', ')}.` : ''}`);
      } else {
        parts.push(`${cited} is not in the reference list.`);
        const near = r.entry !== undefined ? a.references[r.entry] : undefined;
        if (near) {
          parts.push('The nearest entry is:');
          parts.push(quote(entryAsWritten(a, near)));
        }
      }
      break;
    }
  }
  if (c.ignored) parts.push('*This citation is not checked: a `citecheck-ignore` comment covers its line.*');
  return parts.join('\n\n');
}

function quote(s: string): string {
  return '> ' + s;
}

function entryHover(a: Analysis, e: ReferenceEntry): string {
  const all = citationsOf(a, e.index);
  const exact = all.filter((x) => x.exact);
  const near = all.filter((x) => !x.exact);
  const label = `**${escapeMarkdown(parentheticalLabel(e))}**`;
  const list = (xs: typeof all) =>
    xs.slice(0, 20).map((x) => `line ${lineNumber(a, x.citation.range.start)} ${code(x.citation.text)}`).join(', ') + (xs.length > 20 ? `, and ${xs.length - 20} more` : '');
  const parts: string[] = [];
  if (exact.length === 0) parts.push(`${label} is not cited in this document.`);
  else parts.push(`${label} is cited ${times(exact.length)}: ${list(exact)}.`);
  if (near.length) {
    const whys = near.map((x) => {
      const s = a.resolutions[x.citation.index].status;
      return s === 'year-mismatch' ? 'year differs' : s === 'author-mismatch' ? 'name differs' : s === 'ambiguous' ? 'ambiguous' : 'near miss';
    });
    const items = near.slice(0, 20).map((x, k) => `line ${lineNumber(a, x.citation.range.start)} ${code(x.citation.text)} (${whys[k]})`);
    parts.push(`${near.length === 1 ? 'One citation comes' : `${near.length} citations come`} close: ${items.join(', ')}.`);
  }
  return parts.join('\n\n');
}

export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

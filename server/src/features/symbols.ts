/** Document symbols: each reference list, with its entries as children (`Kim 2015`). */
import type { Analysis, Range } from '../core';
import { firstLine } from './cursor';
import { parentheticalLabel } from './style';

export interface SymbolNode {
  name: string;
  detail: string;
  kind: 'list' | 'entry';
  range: Range;
  selection: Range;
  children: SymbolNode[];
}

export function documentSymbols(a: Analysis): SymbolNode[] {
  const out: SymbolNode[] = [];
  for (const s of a.sections) {
    const children: SymbolNode[] = [];
    for (const i of s.entries) {
      const e = a.references[i];
      if (e.uri !== a.uri) continue;
      const head = firstLine(a, e);
      const title = (e.title ?? '').replace(/^[“"‘']+|[”"’']+$/g, '').replace(/\s+/g, ' ').trim();
      children.push({
        name: e.authors.length ? parentheticalLabel(e) : e.text.slice(0, 60),
        detail: title.length > 80 ? title.slice(0, 79) + '…' : title,
        kind: 'entry',
        range: e.range,
        selection: e.authorRange && e.authorRange.end > e.authorRange.start ? e.authorRange : head,
        children: [],
      });
    }
    const heading = s.heading ? a.text.slice(s.heading.start, s.heading.end).replace(/^[#=\s*\\]+|[#=\s*]+$/g, '').replace(/^(?:section|chapter)\*?\{(.*)\}$/, '$1').trim() : '';
    out.push({
      name: heading || 'References',
      detail: `${children.length} ${children.length === 1 ? 'entry' : 'entries'}`,
      kind: 'list',
      range: s.range,
      selection: s.heading ?? (children[0]?.selection ?? { start: s.range.start, end: s.range.start }),
      children,
    });
  }
  return out;
}

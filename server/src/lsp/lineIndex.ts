/**
 * LSP counts `\n`, `\r\n` and a lone `\r` as line ends; the core's LineIndex only the first two.
 * For a document with a lone `\r` (old Mac line ends, or half of a `\r\n` an edit left) the server
 * converts positions with this index instead, so its positions are the client's.
 */
import { LineIndex } from '../core';

export class LspLineIndex extends LineIndex {
  constructor(text: string) {
    super(text);
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    (this as { starts: number[] }).starts = starts;
  }
}

/** The core's index when it agrees with LSP (no lone `\r`), else an LSP one. */
export function lspLines(lines: LineIndex, text: string): LineIndex {
  // Most documents have no `\r` at all: one indexOf instead of a regex over every line end.
  return text.indexOf('\r') !== -1 && /\r(?!\n)/.test(text) ? new LspLineIndex(text) : lines;
}

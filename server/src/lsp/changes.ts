/**
 * Where each open document changed since the version last analysed, from the editor's
 * incremental changes (see AnalyzeOptions.change): the Analyzer then need not compare a 1 MB text
 * with the last one to find a keystroke.
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export interface ChangeSpan {
  /** The version the span is counted from. */
  since: number;
  /** Before `start` the texts are the same; the old text from `oldEnd` is the new one from `newEnd`. */
  start: number;
  oldEnd: number;
  newEnd: number;
}

export class ChangeTracker {
  /** Per document: the span since its base version; null when a change was not a range edit. */
  private spans = new Map<string, ChangeSpan | null>();

  /** Records changes to `doc`, before they are applied to it. */
  record(doc: TextDocument, changes: readonly TextDocumentContentChangeEvent[]): void {
    let cur = this.spans.get(doc.uri);
    if (!cur) return;
    // Later changes of one notification are in the coordinates of the text after the earlier ones:
    // only the usual single change is merged; any other makes the span unknown until the next base.
    if (changes.length !== 1 || !('range' in changes[0])) {
      this.spans.set(doc.uri, null);
      return;
    }
    const c = changes[0];
    const s = doc.offsetAt(c.range.start);
    const e = doc.offsetAt(c.range.end);
    const delta = c.text.length - (e - s);
    cur = {
      since: cur.since,
      start: Math.min(cur.start, s),
      // Past the span, the text is the base's moved by (newEnd - oldEnd).
      oldEnd: cur.oldEnd + Math.max(0, e - cur.newEnd),
      newEnd: Math.max(cur.newEnd, e) + delta,
    };
    this.spans.set(doc.uri, cur);
  }

  /** The span since the last base, if known; `version` becomes the base. */
  take(uri: string, version: number): ChangeSpan | undefined {
    const cur = this.spans.get(uri);
    // An empty span: start past everything, ends at 0 (the merge above then takes the change whole).
    this.spans.set(uri, { since: version, start: Number.MAX_SAFE_INTEGER, oldEnd: 0, newEnd: 0 });
    return cur && cur.start !== Number.MAX_SAFE_INTEGER ? cur : undefined;
  }

  forget(uri: string): void {
    this.spans.delete(uri);
  }
}

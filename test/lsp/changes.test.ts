/**
 * ChangeTracker (server/src/lsp/changes.ts): the range of text that changed since the last
 * analysed version, merged from an editor's incremental changes. The Analyzer trusts it to find
 * an edit without comparing the texts, so it must always be right: before `start` the two texts
 * are the same, and the old text from `oldEnd` is the new one from `newEnd`.
 */
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { ChangeTracker } from '../../server/src/lsp/changes';
import { Rng } from '../helpers/generate';

describe('language server: the change range kept for incremental analysis', () => {
  it('after any run of single-range edits, the merged range holds between the analysed text and the text now', () => {
    const rng = new Rng(20261201);
    for (let run = 0; run < 200; run++) {
      const tracker = new ChangeTracker();
      let doc = TextDocument.create('file:///t.md', 'markdown', 1, 'The first line (Kim 2015).\nA second, longer line.\n\nA third paragraph with Lee (2019).\n');
      let base = doc.getText();
      assert.equal(tracker.take(doc.uri, doc.version), undefined);
      const n = rng.int(1, 8);
      for (let k = 0; k < n; k++) {
        const t = doc.getText();
        const s = rng.int(0, t.length);
        const e = rng.int(s, Math.min(t.length, s + rng.int(0, 6)));
        const change: TextDocumentContentChangeEvent = { range: { start: doc.positionAt(s), end: doc.positionAt(e) }, text: rng.pick(['', 'x', 'ab', '\n', ' (Nye 2024)', 'é']) };
        tracker.record(doc, [change]);
        doc = TextDocument.update(doc, [change], doc.version + 1);
      }
      const now = doc.getText();
      const span = tracker.take(doc.uri, doc.version);
      assert.ok(span, 'a span after edits');
      assert.equal(span.since, 1);
      assert.ok(span.start <= span.oldEnd && span.start <= span.newEnd, JSON.stringify(span));
      assert.equal(base.slice(0, span.start), now.slice(0, span.start), `run ${run}: the texts differ before ${span.start}`);
      assert.equal(base.slice(span.oldEnd), now.slice(span.newEnd), `run ${run}: the texts differ after the span ${JSON.stringify(span)}`);
      base = now;
      // The version just taken is the next base; no change since gives no span.
      assert.equal(tracker.take(doc.uri, doc.version), undefined);
    }
  });

  it('gives no range after a change it cannot merge (a whole-text change, or several in one notification)', () => {
    const tracker = new ChangeTracker();
    let doc = TextDocument.create('file:///t.md', 'markdown', 1, 'abc\ndef\n');
    tracker.take(doc.uri, 1);
    const whole: TextDocumentContentChangeEvent = { text: 'xyz\n' };
    tracker.record(doc, [whole]);
    doc = TextDocument.update(doc, [whole], 2);
    assert.equal(tracker.take(doc.uri, 2), undefined);
    const two: TextDocumentContentChangeEvent[] = [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: 'q' },
      { range: { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } }, text: 'r' },
    ];
    tracker.record(doc, two);
    doc = TextDocument.update(doc, two, 3);
    assert.equal(tracker.take(doc.uri, 3), undefined);
    // And it tracks again from that version on.
    const one: TextDocumentContentChangeEvent = { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'w' };
    tracker.record(doc, [one]);
    doc = TextDocument.update(doc, [one], 4);
    assert.deepEqual(tracker.take(doc.uri, 4), { since: 3, start: 4, oldEnd: 4, newEnd: 5 });
  });
});

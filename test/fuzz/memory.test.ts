/**
 * An Analyzer keeps no old version of the text alive. Each version of a 1 MB paper is a new 1–2 MB
 * string; anything kept between versions that is a slice of one (a map key, a paragraph's text)
 * keeps that whole version alive, and the server's heap grows by megabytes a keystroke (it did:
 * 298 MB after 400 edits of the bench's thesis, before keys and pieces were copied). Here: a
 * generated paper, 150 one-character edits in the prose and in the reference list, through one
 * Analyzer with the editor's change ranges; the heap after a full collection must not grow by
 * more than a fraction of what keeping every version would take.
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Analyzer, type Analysis } from '../../server/src/core';
import { generatePaper, Rng } from '../helpers/generate';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A writer typing into one document, each keystroke analysed with the editor's change range. */
class Typist {
  readonly analyzer = new Analyzer();
  version = 1;
  a: Analysis;
  constructor(readonly uri: string, public text: string) {
    this.a = this.analyzer.analyze({ uri, text, format: 'markdown', version: this.version });
  }

  type(at: number, ch: string): void {
    const since = this.version++;
    this.text = this.text.slice(0, at) + ch + this.text.slice(at);
    this.a = this.analyzer.analyze({ uri: this.uri, text: this.text, format: 'markdown', version: this.version }, { change: { since, start: at, oldEnd: at, newEnd: at + 1 } });
  }
}

describe('memory: an Analyzer keeps no old version alive', function () {
  this.timeout(120_000);

  it('150 keystrokes in the prose and the list of a 400 KB paper keep the heap within a few versions', () => {
    const paper = generatePaper({ seed: 4242, entries: 800, targetBytes: 400_000, style: 'markdown', wrap: 0, listLayout: 'consecutive' });
    const w = new Typist(paper.uri, paper.text);
    const rng = new Rng(7);
    const type = (at: number) => w.type(at, 'e');
    const wordEnd = (from: number) => {
      const m = /[a-z](?=[\s.,;])/g;
      m.lastIndex = from;
      const r = m.exec(w.text);
      return r ? r.index + 1 : from;
    };
    // Warm: the first edits of each kind fill caches that stay.
    for (let k = 0; k < 10; k++) type(wordEnd(rng.int(0, w.text.length - 1)));
    const before = heapAfterGc();
    for (let k = 0; k < 150; k++) {
      const inList = k % 2 === 1 && w.a.references.length > 0;
      if (inList) {
        const e = w.a.references[rng.int(0, w.a.references.length - 1)];
        type(wordEnd(e.range.start + Math.floor((e.range.end - e.range.start) / 2)));
      } else type(wordEnd(rng.int(0, w.a.sections[0]?.range.start ?? w.text.length)));
    }
    const grown = heapAfterGc() - before;
    // Every version kept would be 150 copies of the text (2 bytes a character at worst).
    const everyVersion = 150 * w.text.length;
    assert.ok(w.a.citations.length > 1000 && w.a.references.length === 800, `the paper: ${w.a.citations.length} citations, ${w.a.references.length} entries`);
    assert.ok(grown < everyVersion / 10, `the heap grew by ${(grown / 1e6).toFixed(1)} MB over 150 edits (keeping every version would be about ${(everyVersion / 1e6).toFixed(0)} MB)`);
  });

  it('80 keystrokes in the authors\' names of the list keep the heap within a few versions', () => {
    // A surname typed into changes how its entry sorts: reference-order kept each new name in its
    // cache, and a name of 13 characters or more was a slice of that version's whole text (about
    // 1.5 MB a keystroke on a 1 MB paper). Here a writer types 20 letters into each of four names.
    const paper = generatePaper({ seed: 4343, entries: 800, targetBytes: 400_000, style: 'markdown', wrap: 0 });
    const w = new Typist(paper.uri, paper.text);
    const rng = new Rng(11);
    const typeInto = (index: number) => w.type(w.a.references[index].authorRange!.start + 2, String.fromCharCode(97 + rng.int(0, 25)));
    const chosen = w.a.references
      .filter((e) => e.authorRange && !e.authors[0]?.corporate && /^[A-Z][a-z]+, /.test(w.text.slice(e.authorRange.start, e.authorRange.end)))
      .slice(0, 5)
      .map((e) => e.index);
    for (let k = 0; k < 10; k++) typeInto(chosen[0]);
    const before = heapAfterGc();
    for (const index of chosen.slice(1)) for (let k = 0; k < 20; k++) typeInto(index);
    const grown = heapAfterGc() - before;
    const everyVersion = 80 * w.text.length;
    assert.equal(w.a.references.length, 800);
    assert.ok(grown < everyVersion / 10, `the heap grew by ${(grown / 1e6).toFixed(1)} MB over 80 edits (keeping every version would be about ${(everyVersion / 1e6).toFixed(0)} MB)`);
  });
});

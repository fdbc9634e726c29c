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
import { Analyzer } from '../../server/src/core';
import { generatePaper, Rng } from '../helpers/generate';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('memory: an Analyzer keeps no old version alive', function () {
  this.timeout(120_000);

  it('150 keystrokes in the prose and the list of a 400 KB paper keep the heap within a few versions', () => {
    const paper = generatePaper({ seed: 4242, entries: 800, targetBytes: 400_000, style: 'markdown', wrap: 0, listLayout: 'consecutive' });
    const uri = paper.uri;
    const analyzer = new Analyzer();
    let text = paper.text;
    let version = 1;
    let a = analyzer.analyze({ uri, text, format: 'markdown', version });
    const rng = new Rng(7);
    const type = (at: number) => {
      const since = version;
      text = text.slice(0, at) + 'e' + text.slice(at);
      version++;
      a = analyzer.analyze({ uri, text, format: 'markdown', version }, { change: { since, start: at, oldEnd: at, newEnd: at + 1 } });
    };
    const wordEnd = (from: number) => {
      const m = /[a-z](?=[\s.,;])/g;
      m.lastIndex = from;
      const r = m.exec(text);
      return r ? r.index + 1 : from;
    };
    // Warm: the first edits of each kind fill caches that stay.
    for (let k = 0; k < 10; k++) type(wordEnd(rng.int(0, text.length - 1)));
    const before = heapAfterGc();
    for (let k = 0; k < 150; k++) {
      const inList = k % 2 === 1 && a.references.length > 0;
      if (inList) {
        const e = a.references[rng.int(0, a.references.length - 1)];
        type(wordEnd(e.range.start + Math.floor((e.range.end - e.range.start) / 2)));
      } else type(wordEnd(rng.int(0, a.sections[0]?.range.start ?? text.length)));
    }
    const grown = heapAfterGc() - before;
    // Every version kept would be 150 copies of the text (2 bytes a character at worst).
    const everyVersion = 150 * text.length;
    assert.ok(a.citations.length > 1000 && a.references.length === 800, `the paper: ${a.citations.length} citations, ${a.references.length} entries`);
    assert.ok(grown < everyVersion / 10, `the heap grew by ${(grown / 1e6).toFixed(1)} MB over 150 edits (keeping every version would be about ${(everyVersion / 1e6).toFixed(0)} MB)`);
  });

  it('80 keystrokes in the authors\' names of the list keep the heap within a few versions', () => {
    // A surname typed into changes how its entry sorts: reference-order kept each new name in its
    // cache, and a name of 13 characters or more was a slice of that version's whole text (about
    // 1.5 MB a keystroke on a 1 MB paper). Here a writer types 20 letters into each of four names.
    const paper = generatePaper({ seed: 4343, entries: 800, targetBytes: 400_000, style: 'markdown', wrap: 0 });
    const uri = paper.uri;
    const analyzer = new Analyzer();
    let text = paper.text;
    let version = 1;
    let a = analyzer.analyze({ uri, text, format: 'markdown', version });
    const rng = new Rng(11);
    const people = () => a.references.filter((e) => e.authorRange && !e.authors[0]?.corporate && /^[A-Z][a-z]+, /.test(text.slice(e.authorRange.start, e.authorRange.end)));
    const typeInto = (index: number) => {
      const e = a.references[index];
      const at = e.authorRange!.start + 2;
      const since = version;
      text = text.slice(0, at) + String.fromCharCode(97 + rng.int(0, 25)) + text.slice(at);
      version++;
      a = analyzer.analyze({ uri, text, format: 'markdown', version }, { change: { since, start: at, oldEnd: at, newEnd: at + 1 } });
    };
    const chosen = people().slice(0, 5).map((e) => e.index);
    for (let k = 0; k < 10; k++) typeInto(chosen[0]);
    const before = heapAfterGc();
    for (const index of chosen.slice(1)) for (let k = 0; k < 20; k++) typeInto(index);
    const grown = heapAfterGc() - before;
    const everyVersion = 80 * text.length;
    assert.equal(a.references.length, 800);
    assert.ok(grown < everyVersion / 10, `the heap grew by ${(grown / 1e6).toFixed(1)} MB over 80 edits (keeping every version would be about ${(everyVersion / 1e6).toFixed(0)} MB)`);
  });
});

/**
 * Results per paragraph, reused across versions of a document. Unchanged paragraphs at the start
 * and the end are matched by comparing text in place (no hashing of the whole document); the few
 * in between are looked up by text, and only the rest are computed.
 */
import { detach, ownCopy } from './detach';

export class ParagraphMemo<T> {
  private prev: { text: string; value: T }[] = [];

  run(texts: string[], compute: (text: string) => T): T[] {
    const prev = this.prev;
    const out: T[] = new Array(texts.length);
    let head = 0;
    while (head < texts.length && head < prev.length && prev[head].text === texts[head]) {
      out[head] = prev[head].value;
      head++;
    }
    let tail = 0;
    while (tail < texts.length - head && tail < prev.length - head && prev[prev.length - 1 - tail].text === texts[texts.length - 1 - tail]) {
      out[texts.length - 1 - tail] = prev[prev.length - 1 - tail].value;
      tail++;
    }
    let middle: Map<string, T> | undefined;
    for (let i = head; i < texts.length - tail; i++) {
      if (!middle) {
        middle = new Map();
        for (let k = head; k < prev.length - tail; k++) middle.set(prev[k].text, prev[k].value);
      }
      const hit = middle.get(texts[i]);
      // Computed on a copy: what it returns may be cut from it and outlive this version's text.
      out[i] = hit !== undefined ? hit : compute(detach(texts[i]));
    }
    this.prev = texts.map((text, i) => ({ text, value: out[i] }));
    return out;
  }

  /** Text `i` of the last run is now `text`, with this value (an edit made elsewhere). */
  replace(i: number, text: string, value: T): void {
    if (i < this.prev.length) this.prev[i] = { text, value };
  }
}

/**
 * A memo for a pure function of a string, cleared when it grows past `limit` (names and words
 * repeat across a paper and its versions; the set of them is not bounded).
 */
export class BoundedCache<V> {
  private map = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string, compute: (key: string) => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size > this.limit) this.map.clear();
      // A key cut from a document would keep it alive as long as the cache; so would a value
      // cut from the key.
      const own = ownCopy(key);
      v = compute(own);
      this.map.set(own, v);
    }
    return v;
  }
}

/**
 * collapseSpaces and isSpaceCode read whitespace with a table of their own instead of a regex call
 * per string: they must agree with `\s` on every character.
 */
import * as assert from 'node:assert/strict';
import { collapseSpaces, isSpaceCode } from '../../server/src/core/text/spaces';

describe('collapseSpaces', () => {
  it('changes a string exactly as `replace(/\\s+/g, " ")` does, for every BMP character alone, beside a space and between letters', () => {
    const differ: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, ` ${ch}`, `${ch} `, `a${ch}b`, `a${ch}${ch}b`]) {
        if (collapseSpaces(s) !== s.replace(/\s+/g, ' ')) differ.push(`U+${c.toString(16).padStart(4, '0')} in ${JSON.stringify(s)}`);
      }
    }
    assert.deepEqual(differ.slice(0, 10), []);
  });

  it('isSpaceCode is `\\s` for every BMP character', () => {
    const differ: string[] = [];
    for (let c = 0; c < 0x10000; c++) if (isSpaceCode(c) !== /\s/.test(String.fromCharCode(c))) differ.push(`U+${c.toString(16).padStart(4, '0')}`);
    assert.deepEqual(differ, []);
  });

  it('returns the string itself when it has single spaces only', () => {
    const s = 'Kim, Jae-Hoon, and Smith 2015';
    assert.equal(collapseSpaces(s), s);
    assert.equal(collapseSpaces('a  b\u00a0c\td'), 'a b c d');
  });
});

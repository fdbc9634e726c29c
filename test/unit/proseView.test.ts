/**
 * The prose view keeps the document's offsets and holds no lone surrogate once anything is
 * blanked in it: a lone half would read as text to the citation scanner and break a Unicode
 * pattern. A text known to be well formed is not passed over again to make it so, unless a blank
 * ends between the two halves of a pair.
 */
import * as assert from 'node:assert/strict';
import { proseView } from '../../server/src/core/syntax/prose';

const EMOJI = '\u{1F600}';

function wellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

describe('prose view: surrogate pairs', () => {
  it('a URL cut at its length limit between the halves of an emoji leaves U+FFFD, not a lone half', () => {
    // URL_RE takes at most 4000 code units after `://`: the 4000th is the emoji's high half.
    const url = `https://example.org/${'a'.repeat(4000 - 'example.org/'.length - 1)}${EMOJI}`;
    const text = `A paragraph cites Kim (2015) and links ${url} here.\n`;
    const view = proseView(text, 'markdown').text;
    assert.equal(view.length, text.length);
    assert.ok(wellFormed(view), 'the view holds a lone surrogate');
    const at = text.indexOf(EMOJI);
    assert.equal(view.slice(at, at + 2), ' \uFFFD', 'the URL is blanked up to its limit; the pair\'s other half reads U+FFFD');
    assert.equal(view.slice(text.indexOf('Kim'), text.indexOf('Kim') + 10), 'Kim (2015)');
  });

  it('an emoji outside every blank stays whole', () => {
    const text = `Kim (2015) liked it ${EMOJI}, see https://example.org/x and \`code\`.\n`;
    const view = proseView(text, 'markdown').text;
    assert.equal(view.length, text.length);
    assert.equal(view.slice(text.indexOf(EMOJI), text.indexOf(EMOJI) + 2), EMOJI);
    assert.ok(wellFormed(view));
  });

  it('a lone surrogate the document holds reads U+FFFD in a view with blanks', () => {
    const text = `Kim (2015) wrote \uD83D here; see https://example.org/x.\n\nNext \uDE00 paragraph with \`code\`.\n`;
    const view = proseView(text, 'markdown').text;
    assert.equal(view.length, text.length);
    assert.ok(wellFormed(view));
    assert.equal(view[text.indexOf('\uD83D')], '\uFFFD');
    assert.equal(view[text.indexOf('\uDE00')], '\uFFFD');
  });
});

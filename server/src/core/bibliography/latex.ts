/**
 * Decoding of the LaTeX found in BibTeX field values into plain Unicode:
 * accents (`{\"a}`, `\'{e}`, `{\'\i}`, `\c{c}`, `\v s`), named letters (`\ss`,
 * `\o`, `\aa`, `\l`), escaped specials (`\&`, `\%`), dashes (`--`, `---`),
 * quotes (``` `` ```, `''`), ties (`~`), font commands (kept text, dropped
 * command), math dollars, and protective braces (stripped). Whitespace runs
 * collapse to one space and the result is trimmed.
 *
 * Pure, linear in the input, never throws.
 */

/** Accent commands whose name is a single non-letter: `\'e`, `\"{o}`. */
const SYMBOL_ACCENTS: Record<string, string> = Object.assign(Object.create(null), {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
});

/** Accent commands whose name is a letter word: `\c{c}`, `\v s`. */
const WORD_ACCENTS: Record<string, string> = Object.assign(Object.create(null), {
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
  r: '\u030A',
  d: '\u0323',
  b: '\u0331',
  t: '\u0361',
  G: '\u030F',
  h: '\u0309',
  textcommabelow: '\u0326',
  textogonekcentered: '\u0328',
});

/** Control words that stand for a character or a short text. */
const SYMBOLS: Record<string, string> = Object.assign(Object.create(null), {
  ss: 'ß', SS: 'SS', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ',
  l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', dj: 'đ', DJ: 'Đ', th: 'þ', TH: 'Þ',
  ng: 'ŋ', NG: 'Ŋ', ij: 'ĳ', IJ: 'Ĳ',
  copyright: '©', textcopyright: '©', textregistered: '®', texttrademark: '™', S: '§', P: '¶',
  dag: '†', ddag: '‡', textdagger: '†', textdaggerdbl: '‡', pounds: '£', textsterling: '£',
  euro: '€', texteuro: '€', textyen: '¥', textcent: '¢', textdollar: '$', textdegree: '°', degree: '°',
  textendash: '–', textemdash: '—', textellipsis: '…', ldots: '…', dots: '…', textbullet: '•',
  textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“', textquotedblright: '”',
  textquotedbl: '"', textquotesingle: "'", guillemotleft: '«', guillemotright: '»',
  guillemetleft: '«', guillemetright: '»', guilsinglleft: '‹', guilsinglright: '›',
  quotedblbase: '„', quotesinglbase: '‚', textexclamdown: '¡', textquestiondown: '¿',
  textasciitilde: '~', textasciicircum: '^', textbackslash: '\\', textunderscore: '_',
  textbar: '|', textless: '<', textgreater: '>', textbraceleft: '{', textbraceright: '}',
  textperiodcentered: '·', textsection: '§', textparagraph: '¶', textordfeminine: 'ª',
  textordmasculine: 'º', textmu: 'µ', textonehalf: '½', textonequarter: '¼', textthreequarters: '¾',
  LaTeX: 'LaTeX', TeX: 'TeX', LaTeXe: 'LaTeX2e', BibTeX: 'BibTeX', XeTeX: 'XeTeX', LuaTeX: 'LuaTeX',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ',
  eta: 'η', theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν',
  xi: 'ξ', pi: 'π', varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ',
  upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  pm: '±', mp: '∓', times: '×', div: '÷', cdot: '·', le: '≤', leq: '≤', ge: '≥', geq: '≥',
  neq: '≠', ne: '≠', approx: '≈', sim: '∼', infty: '∞', to: '→', rightarrow: '→', leftarrow: '←',
  partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', sqrt: '√', in: '∈', ell: 'ℓ',
  textasteriskcentered: '*', textperthousand: '‰', textminus: '−',
  quad: ' ', qquad: ' ', space: ' ', enspace: ' ', thinspace: ' ', nobreakspace: ' ',
});

/** Control words dropped together with their first argument. */
const DROP_WITH_ARG = new Set(['noopsort', 'noop', 'nocite', 'label', 'index', 'sortnoop', 'SortNoop', 'hyphenation']);

/** Control words whose first argument is dropped and second kept (`\href{url}{text}`). */
const DROP_FIRST_OF_TWO = new Set(['href']);

const C_LBRACE = 123;
const C_RBRACE = 125;
const C_BACKSLASH = 92;

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/**
 * True when the string needs no decoding: no LaTeX specials, no dashes to
 * convert, and no whitespace other than single inner spaces.
 */
export function isPlain(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  if (s.charCodeAt(0) === 32 || s.charCodeAt(n - 1) === 32) return false;
  let prevSpace = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return false;
      prevSpace = true;
      continue;
    }
    prevSpace = false;
    if (c < 32) return false;
    switch (c) {
      case 123: // {
      case 125: // }
      case 92: // \
      case 126: // ~
      case 36: // $
      case 96: // `
        return false;
      case 45: // -
        if (s.charCodeAt(i + 1) === 45) return false;
        break;
      case 39: // '
        if (s.charCodeAt(i + 1) === 39) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

/** Index just past the group that opens at `open` (a `{`), or `s.length` when unclosed. */
function groupEnd(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === C_LBRACE) depth++;
    else if (c === C_RBRACE) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return s.length;
}

class Decoder {
  out = '';
  accented = false;
  constructor(private readonly s: string, private readonly depth: number) {}

  private space(): void {
    const o = this.out;
    if (o.length > 0 && o.charCodeAt(o.length - 1) !== 32) this.out = o + ' ';
  }

  run(): string {
    const s = this.s;
    const n = s.length;
    let i = 0;
    let run = 0; // start of the pending unchanged run
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c > 126) {
        i++;
        continue;
      }
      switch (c) {
        case 123: // {
        case 125: // }
        case 36: // $
          if (run < i) this.out += s.slice(run, i);
          i++;
          run = i;
          continue;
        case 92: // \
          if (run < i) this.out += s.slice(run, i);
          i = this.command(i);
          run = i;
          continue;
        case 126: // ~
          if (run < i) this.out += s.slice(run, i);
          this.space();
          i++;
          run = i;
          continue;
        case 45: // -
          if (s.charCodeAt(i + 1) === 45) {
            if (run < i) this.out += s.slice(run, i);
            if (s.charCodeAt(i + 2) === 45) {
              this.out += '—';
              i += 3;
            } else {
              this.out += '–';
              i += 2;
            }
            run = i;
            continue;
          }
          i++;
          continue;
        case 96: // `
          if (run < i) this.out += s.slice(run, i);
          if (s.charCodeAt(i + 1) === 96) {
            this.out += '“';
            i += 2;
          } else {
            this.out += '‘';
            i++;
          }
          run = i;
          continue;
        case 39: // '
          if (s.charCodeAt(i + 1) === 39) {
            if (run < i) this.out += s.slice(run, i);
            this.out += '”';
            i += 2;
            run = i;
            continue;
          }
          i++;
          continue;
        default:
          if (c <= 32) {
            if (
              c === 32 &&
              i + 1 < n &&
              s.charCodeAt(i + 1) > 32 &&
              (run < i || (this.out.length > 0 && this.out.charCodeAt(this.out.length - 1) !== 32))
            ) {
              // a lone inner space stays in the run
              i++;
              continue;
            }
            if (run < i) this.out += s.slice(run, i);
            while (i < n && s.charCodeAt(i) <= 32) i++;
            this.space();
            run = i;
            continue;
          }
          i++;
          continue;
      }
    }
    if (run < n) this.out += s.slice(run, n);
    let o = this.out;
    let a = 0;
    let b = o.length;
    while (a < b && o.charCodeAt(a) === 32) a++;
    while (b > a && o.charCodeAt(b - 1) === 32) b--;
    if (a > 0 || b < o.length) o = o.slice(a, b);
    return o;
  }

  /** Handles the control sequence at `i` (a backslash); returns the index after it. */
  private command(i: number): number {
    const s = this.s;
    const n = s.length;
    const j = i + 1;
    if (j >= n) return n;
    const c = s.charCodeAt(j);
    if (isAsciiLetter(c)) {
      let k = j + 1;
      while (k < n && isAsciiLetter(s.charCodeAt(k))) k++;
      const name = s.slice(j, k);
      let after = k;
      while (after < n && isSpace(s.charCodeAt(after))) after++;
      const mark = WORD_ACCENTS[name];
      if (mark !== undefined) return this.accent(after, mark);
      const sym = SYMBOLS[name];
      if (sym !== undefined) {
        if (sym === ' ') this.space();
        else this.out += sym;
        // `\ss{}`: an empty group after a symbol is a separator.
        if (s.charCodeAt(after) === C_LBRACE && s.charCodeAt(after + 1) === C_RBRACE) return after + 2;
        return after;
      }
      if (DROP_WITH_ARG.has(name)) return this.skipArg(after);
      if (DROP_FIRST_OF_TWO.has(name)) return this.skipArg(after);
      // Unknown control word, or a font/markup command: drop the word, keep what follows.
      // Keep one space where TeX would have eaten it but text follows a declaration.
      return after;
    }
    const ch = s[j];
    const mark = SYMBOL_ACCENTS[ch];
    if (mark !== undefined) {
      let after = j + 1;
      while (after < n && (s.charCodeAt(after) === 32 || s.charCodeAt(after) === 9)) after++;
      return this.accent(after, mark);
    }
    switch (ch) {
      case '\\':
      case ' ':
      case '\n':
      case '\r':
      case '\t':
      case ',':
      case ';':
      case ':':
        this.space();
        return j + 1;
      case '-':
      case '/':
      case '@':
      case '!':
      case '>':
      case '<':
        return j + 1;
      default:
        // `\&`, `\%`, `\$`, `\#`, `\_`, `\{`, `\}` and any other escaped character
        this.out += ch;
        return j + 1;
    }
  }

  /** Skips one argument (a group or one character) at `i`. */
  private skipArg(i: number): number {
    const s = this.s;
    if (i >= s.length) return i;
    if (s.charCodeAt(i) === C_LBRACE) return groupEnd(s, i);
    return i + 1;
  }

  /** Applies the combining `mark` to the argument at `i`; returns the index after the argument. */
  private accent(i: number, mark: string): number {
    const s = this.s;
    const n = s.length;
    let base = '';
    let next = i;
    if (i >= n) {
      return n;
    }
    const c = s.charCodeAt(i);
    if (c === C_LBRACE) {
      next = groupEnd(s, i);
      const inner = s.slice(i + 1, next - (s.charCodeAt(next - 1) === C_RBRACE && next - 1 > i ? 1 : 0));
      base = this.depth < 8 ? decodeDepth(inner, this.depth + 1) : inner.replace(/[{}\\]/g, '');
    } else if (c === C_BACKSLASH) {
      let k = i + 1;
      while (k < n && isAsciiLetter(s.charCodeAt(k))) k++;
      if (k === i + 1) {
        // `\'\&` or the like: nothing to accent
        return Math.min(n, i + 2);
      }
      const name = s.slice(i + 1, k);
      base = SYMBOLS[name] ?? '';
      next = k;
      if (s.charCodeAt(next) === C_LBRACE && s.charCodeAt(next + 1) === C_RBRACE) next += 2;
      else if (s.charCodeAt(next) === 32) next++;
    } else if (c <= 32 || c === C_RBRACE) {
      return i;
    } else {
      const hi = c >= 0xd800 && c <= 0xdbff && i + 1 < n;
      base = s.slice(i, hi ? i + 2 : i + 1);
      next = i + base.length;
    }
    if (base.length === 0) return next;
    let first = base[0];
    let restStart = 1;
    if (first === 'ı') first = 'i';
    else if (first === 'ȷ') first = 'j';
    else {
      const fc = base.charCodeAt(0);
      if (fc >= 0xd800 && fc <= 0xdbff && base.length > 1) {
        first = base.slice(0, 2);
        restStart = 2;
      }
    }
    this.out += first + mark + base.slice(restStart);
    this.accented = true;
    return next;
  }
}

function decodeDepth(s: string, depth: number): string {
  if (isPlain(s)) return s;
  const d = new Decoder(s, depth);
  let out = d.run();
  if (d.accented) out = out.normalize('NFC');
  return out;
}

/** LaTeX to Unicode, braces removed, whitespace collapsed and trimmed. */
export function decodeLatex(s: string): string {
  try {
    return decodeDepth(s, 0);
  } catch {
    return s;
  }
}

/** Removes braces and collapses whitespace only (for keys and verbatim fields such as `url`, `doi`). */
export function stripBraces(s: string): string {
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === C_LBRACE || c === C_RBRACE || c < 32) {
      needs = true;
      break;
    }
  }
  const t = needs ? s.replace(/[{}]/g, '').replace(/\s+/g, ' ') : s;
  return t.trim();
}

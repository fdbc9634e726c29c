/**
 * Formatting of references through citation-js (citeproc-js underneath):
 * `formatReference(item, 'apa')`, or with the text of a user's `.csl` style.
 *
 * Our own readers (core/bibliography) index the files; citation-js only
 * formats the CSL items they produce, and can read a file again as a
 * cross-check (`readWithCitationJs`).
 *
 * No network, ever:
 * - `@citation-js/core` requires `sync-fetch` and `node-fetch` when it loads
 *   (for URL inputs and plugins such as DOI / Wikidata). Before it loads, both
 *   are replaced in the require cache by stubs that throw, so nothing can fetch
 *   even by accident. (This also avoids requiring node-fetch 3, an ES module,
 *   from CommonJS, which fails on Node < 20.19 / 22.12.)
 * - The `@else/url` input format is removed, so a URL string is never treated
 *   as something to download.
 * - No plugin that fetches (`plugin-doi`, `plugin-wikidata`, …) is loaded, and
 *   the inputs given to citation-js are typed explicitly (`forceType`).
 * - CSL locales come from plugin-csl's bundled set; an unknown locale falls
 *   back to en-US without any download.
 */

import * as path from 'node:path';
import Module = require('node:module');
import type { CslItem } from '../core/bibliography/csl';

/** The parts of @citation-js/core used here. */
interface CiteCore {
  plugins: {
    input: {
      has(format: string): boolean;
      remove(format: string): void;
      chain(input: unknown, options?: Record<string, unknown>): unknown[];
    };
    output: { format(name: string, data: unknown[], options?: Record<string, unknown>): string };
    config: { get(ref: string): { styles?: Register; templates?: Register; locales?: Register } | undefined };
  };
}

interface Register {
  has(name: string): boolean;
  add(name: string, value: string): void;
}

class NetworkDisabledError extends Error {
  constructor(what: string) {
    super(`citecheck: network access is disabled (${what})`);
  }
}

let core: CiteCore | undefined;
let stubsInstalled = false;

function stub(file: string, exports: unknown): void {
  const M = Module as unknown as { new (id: string): NodeModule & { loaded: boolean } };
  const m = new M(file);
  m.filename = file;
  m.loaded = true;
  m.exports = exports;
  require.cache[file] = m;
}

/**
 * Replaces the fetch modules @citation-js/core requires with stubs that throw.
 * Must run before @citation-js/core is first required. Safe to call twice.
 */
export function installNoNetworkStubs(): void {
  if (stubsInstalled) return;
  stubsInstalled = true;
  let coreDir: string;
  try {
    coreDir = path.dirname(require.resolve('@citation-js/core'));
  } catch {
    return;
  }
  const blockedSync = Object.assign(
    (url: unknown) => {
      throw new NetworkDisabledError(`sync fetch of ${String(url)}`);
    },
    { Headers: class {}, Request: class {}, Response: class {} },
  );
  const blockedAsync = async (url: unknown): Promise<never> => {
    throw new NetworkDisabledError(`fetch of ${String(url)}`);
  };
  const targets: [string, unknown][] = [
    ['sync-fetch', blockedSync],
    ['node-fetch', { __esModule: true, default: blockedAsync, Headers: class {}, Request: class {}, Response: class {} }],
  ];
  for (const [name, exports] of targets) {
    try {
      const file = require.resolve(name, { paths: [coreDir] });
      if (!require.cache[file]) stub(file, exports);
    } catch {
      // not installed: nothing to stub
    }
  }
}

function load(): CiteCore {
  if (core) return core;
  installNoNetworkStubs();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const c = require('@citation-js/core') as CiteCore;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@citation-js/plugin-csl');
  try {
    if (c.plugins.input.has('@else/url')) c.plugins.input.remove('@else/url');
  } catch {
    // older core: nothing to remove
  }
  core = c;
  return c;
}

function styles(c: CiteCore): Register {
  const cfg = c.plugins.config.get('@csl');
  const reg = cfg?.styles ?? cfg?.templates;
  if (!reg) throw new Error('citation-js: @citation-js/plugin-csl is not loaded');
  return reg;
}

/** FNV-1a, for naming a user style by its content (a changed file gets a fresh engine). */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36) + s.length.toString(36);
}

export class CslStyleError extends Error {}

/**
 * Registers a style and returns its name. `style` is a built-in name
 * (`apa`, `vancouver`, `harvard1`, or one registered before) or the XML text
 * of a `.csl` file.
 */
export function registerStyle(style: string): string {
  const c = load();
  const reg = styles(c);
  const s = style.trim();
  if (!s.startsWith('<')) {
    if (!reg.has(s)) throw new CslStyleError(`Unknown CSL style '${s}': give a built-in name (apa, vancouver, harvard1) or the text of a .csl file`);
    return s;
  }
  if (!/<style[\s>]/.test(s)) throw new CslStyleError('This is not a CSL style: no <style> element');
  if (/rel\s*=\s*["']independent-parent["']/.test(s) && !/<bibliography[\s>]/.test(s)) {
    throw new CslStyleError('This is a dependent CSL style; use the independent style it points to (its "independent-parent" link)');
  }
  if (!/<bibliography[\s>]/.test(s)) throw new CslStyleError('This CSL style has no <bibliography> element, so it cannot format references');
  const name = `citecheck-user-${hash(s)}`;
  if (!reg.has(name)) reg.add(name, s);
  return name;
}

/** A copy with what citeproc needs: an id, a type, string numbers. */
function prepare(item: CslItem, i: number): CslItem {
  const out: CslItem = { ...item, id: item.id !== undefined && item.id !== '' ? String(item.id) : `item-${i + 1}`, type: item.type || 'document' };
  return out;
}

/**
 * Formats references as a bibliography in a CSL style.
 * `style`: `apa` (default), another built-in name, or the XML text of a `.csl` file.
 * Throws `CslStyleError` for a style that cannot be used, and Error when citeproc fails.
 */
export function formatBibliography(items: CslItem[], style = 'apa', format: 'text' | 'html' = 'text', lang = 'en-US'): string[] {
  const c = load();
  const template = registerStyle(style);
  const data = items.map(prepare);
  let out: unknown;
  try {
    out = c.plugins.output.format('bibliography', data, { template, format, lang, asEntryArray: true, nosort: true });
  } catch (e) {
    throw new Error(`citeproc could not format with this style: ${(e as Error).message ?? String(e)}`);
  }
  const rows = Array.isArray(out) ? (out as [string, string][]) : [];
  return rows.map(([, s]) => (format === 'text' ? s.trim() : s.trim()));
}

/** Formats one reference in a CSL style (see formatBibliography). */
export function formatReference(item: CslItem, style = 'apa', format: 'text' | 'html' = 'text', lang = 'en-US'): string {
  return formatBibliography([item], style, format, lang)[0] ?? '';
}

/**
 * Reads a BibTeX or RIS text with citation-js (as a cross-check of our own
 * readers). Needs `@citation-js/plugin-bibtex` / `@citation-js/plugin-ris`.
 */
export function readWithCitationJs(text: string, format: 'bibtex' | 'ris'): CslItem[] {
  const c = load();
  if (format === 'bibtex') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@citation-js/plugin-bibtex');
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@citation-js/plugin-ris');
  }
  const forceType = format === 'bibtex' ? '@biblatex/text' : '@ris/file';
  return c.plugins.input.chain(text, { generateGraph: false, forceType }) as CslItem[];
}

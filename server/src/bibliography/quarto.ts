/**
 * Bibliographies a Quarto project names: the nearest `_quarto.yml` (or `_quarto.yaml`) in the
 * document's folder or a parent, `bibliography:` at its top level, under `project:`, under
 * `format:` or under one of its formats (`format: html: bibliography: refs.bib`). Paths are
 * relative to the `_quarto.yml`. Used by the CLI and the language server; cached by mtime.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as YamlLib from 'yaml';

export interface QuartoBibliographies {
  /** The `_quarto.yml` file. */
  config: string;
  /** Absolute paths, in the order written. */
  paths: string[];
}

const cache = new Map<string, { stamp: string; paths: string[] }>();

/** The bibliographies of the Quarto project `file` is in, or undefined when it is in none. `stop`: do not look above these folders. */
export function quartoBibliographies(file: string, stop: string[] = []): QuartoBibliographies | undefined {
  let dir = path.dirname(path.resolve(file));
  const stops = new Set(stop.map((s) => path.resolve(s)));
  for (let i = 0; i < 40; i++) {
    for (const name of ['_quarto.yml', '_quarto.yaml']) {
      const config = path.join(dir, name);
      let st: fs.Stats | undefined;
      try {
        // Asked on every keystroke: no exception for the usual absent file.
        st = fs.statSync(config, { throwIfNoEntry: false });
      } catch {
        continue;
      }
      if (!st?.isFile()) continue;
      const stamp = `${st.mtimeMs}:${st.size}`;
      const hit = cache.get(config);
      if (hit && hit.stamp === stamp) return { config, paths: hit.paths };
      let paths: string[] = [];
      try {
        paths = readConfig(fs.readFileSync(config, 'utf8')).map((p) => path.resolve(dir, p));
      } catch {
        paths = [];
      }
      cache.set(config, { stamp, paths });
      return { config, paths };
    }
    if (stops.has(dir)) return undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** The `bibliography:` values of a `_quarto.yml` text. */
export function readConfig(text: string): string[] {
  let doc: unknown;
  try {
    // Loaded only when a project file is found (most documents are in none).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    doc = (require('yaml') as typeof YamlLib).parse(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim()) out.push(v.trim());
    else if (Array.isArray(v)) for (const x of v) add(x);
  };
  const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const top = obj(doc);
  if (!top) return out;
  add(top.bibliography);
  add(obj(top.project)?.bibliography);
  const format = obj(top.format);
  if (format) {
    add(format.bibliography);
    for (const v of Object.values(format)) add(obj(v)?.bibliography);
  }
  return [...new Set(out)];
}

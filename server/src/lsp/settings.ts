/**
 * User settings (`citecheck.*`): per-code severities, bibliography files and reference-list
 * files. Read from the client by `workspace/configuration` when it can answer, otherwise from
 * what `workspace/didChangeConfiguration` (or initializationOptions) sent.
 */
import { CHECKS, type SeveritySetting } from '../core';

export interface Settings {
  /** Code -> severity or `off`. */
  severity: Record<string, SeveritySetting>;
  /** Bibliography files (BibTeX, CSL-JSON, CSL-YAML, RIS) every document may cite. */
  bibliographies: string[];
  /** Documents whose reference lists every document may cite (a book's shared `references.md`). */
  referenceFiles: string[];
  /** CSL style for showing bibliography entries: a citation-js template name (`apa`) or a `.csl` file. */
  citationStyle: string;
}

export const DEFAULT_SETTINGS: Settings = { severity: {}, bibliographies: [], referenceFiles: [], citationStyle: 'apa' };

const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);
const ALIASES: Record<string, SeveritySetting> = { info: 'information', warn: 'warning', none: 'off', ignore: 'off' };

/** Every code a user can set: the checks', the pipeline's own and the server's (a bibliography not found). */
export const CODES: readonly string[] = [...CHECKS.map((c) => c.code), 'missing-bibliography', 'document-too-large'];

/**
 * Reads the `citecheck` section in any of the shapes clients send: nested
 * (`{severity: {'year-mismatch': 'off'}}`), dotted (`{'severity.year-mismatch': 'off'}`), or the
 * whole settings object (`{citecheck: {...}}`). Unknown values are ignored.
 */
export function parseSettings(raw: unknown): Settings {
  const out: Settings = { severity: {}, bibliographies: [], referenceFiles: [], citationStyle: 'apa' };
  if (!raw || typeof raw !== 'object') return out;
  let o = raw as Record<string, unknown>;
  if (o.citecheck && typeof o.citecheck === 'object') o = o.citecheck as Record<string, unknown>;
  const setLevel = (code: string, v: unknown) => {
    if (typeof v !== 'string') return;
    const level = ALIASES[v.toLowerCase()] ?? v.toLowerCase();
    if (LEVELS.has(level)) out.severity[code] = level as SeveritySetting;
  };
  const sev = o.severity;
  if (sev && typeof sev === 'object') for (const [k, v] of Object.entries(sev as Record<string, unknown>)) setLevel(k, v);
  for (const [k, v] of Object.entries(o)) {
    const m = /^(?:citecheck\.)?severity\.(.+)$/.exec(k);
    if (m) setLevel(m[1], v);
  }
  out.bibliographies = stringList(o.bibliographies ?? o['citecheck.bibliographies']);
  out.referenceFiles = stringList(o.referenceFiles ?? o['citecheck.referenceFiles']);
  const style = o.citationStyle ?? o['citecheck.citationStyle'];
  if (typeof style === 'string' && style.trim()) out.citationStyle = style.trim();
  return out;
}

function stringList(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
}

export function settingsKey(s: Settings): string {
  return JSON.stringify([Object.entries(s.severity).sort(), s.bibliographies, s.referenceFiles, s.citationStyle]);
}

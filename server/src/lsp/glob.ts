/**
 * A small glob matcher for `citecheck.bibliographies`: `*` (any characters but `/`), `**` (any
 * folders), `?`, `[abc]`, `{a,b}`. `expandGlob` walks the folder the pattern starts in, skipping
 * `node_modules` and dot-folders, and stops after a bounded number of entries.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export function isGlob(p: string): boolean {
  return /[*?[{]/.test(p);
}

/** The pattern as a RegExp over `/`-separated relative paths. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        const atStart = i === 0 || pattern[i - 1] === '/';
        if (atStart && slashAfter) {
          re += '(?:[^/]*/)*';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body}]`;
        i = close;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  while (braces-- > 0) re += ')';
  return new RegExp(`^${re}$`);
}

/** Files under `base` matching `pattern` (relative to base, `/`-separated), sorted. */
export async function expandGlob(pattern: string, base: string, limit = 20000): Promise<string[]> {
  const p = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  const parts = p.split('/');
  const fixed: string[] = [];
  while (parts.length > 1 && !isGlob(parts[0])) fixed.push(parts.shift()!);
  const root = path.resolve(base, ...fixed);
  const re = globToRegExp(parts.join('/'));
  const deep = parts.length > 1 || parts[0].includes('**');
  const out: string[] = [];
  let seen = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    let ents: import('node:fs').Dirent[];
    try {
      ents = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      if (++seen > limit) return;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (deep && e.name !== 'node_modules' && !e.name.startsWith('.')) await walk(path.join(dir, e.name), r);
      } else if (re.test(r)) out.push(path.join(dir, e.name));
    }
  };
  await walk(root, '');
  return out.sort();
}

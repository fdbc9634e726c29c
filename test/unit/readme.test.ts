/** The README's table of diagnostic codes is the checks' own table, and the core stays pure. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../../server/src/core';
import { ROOT } from '../helpers/paths';

describe('project shape', () => {
  it('README lists every diagnostic code with its default severity and description', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| (error|warning|information|hint) \| (.*) \|$/gm)].map((m) => ({ code: m[1], severity: m[2], description: m[3] }));
    assert.deepEqual(rows, CHECKS.map((c) => ({ code: c.code, severity: c.defaultSeverity, description: c.description })));
  });

  it('the core imports no node:*, fs, path or vscode module', () => {
    const dir = path.join(ROOT, 'server/src/core');
    const files: string[] = [];
    const walk = (d: string) => { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(p); } };
    walk(dir);
    assert.ok(files.length > 10);
    for (const f of files) {
      const src = fs.readFileSync(f, 'utf8');
      for (const m of src.matchAll(/^\s*(?:import|export)\b[^;'"]*?from\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]/gm)) {
        const mod = m[1] ?? m[2] ?? m[3];
        assert.ok(mod.startsWith('.') || mod === 'yaml', `${path.relative(ROOT, f)} imports ${mod}`);
      }
    }
  });

  it('every check has its own file named after its code', () => {
    for (const c of CHECKS) {
      const name = c.code.replace(/-([a-z])/g, (_m, ch: string) => ch.toUpperCase());
      assert.ok(fs.existsSync(path.join(ROOT, 'server/src/core/checks', `${name}.ts`)), c.code);
    }
  });
});

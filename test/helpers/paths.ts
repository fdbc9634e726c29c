/** Paths tests use, found from the repository root (the folder with package.json). */
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRoot(from: string): string {
  let d = from;
  for (let i = 0; i < 10; i++) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'server'))) return d;
    d = path.dirname(d);
  }
  throw new Error(`repository root not found above ${from}`);
}

export const ROOT = findRoot(__dirname);
export const FIXTURES = path.join(ROOT, 'test/fixtures');
export const SHARED_CORPUS = path.join(ROOT, '../shared/corpus');

/**
 * Standalone entry of the language-server benchmark (test/bench/lsp.ts):
 *
 *   npx tsc -b && node test/out/test/bench/lsp-main.js [--server=dist/server.js] [--edits=200] [--requests=100] [--json]
 *
 * `--server` benches another build of the server (e.g. the esbuild bundle in the .vsix, after
 * `npm run package`); `--edits`/`--requests` change the sample sizes (defaults 200 and 100);
 * `--json` prints the numbers as JSON after the table. Takes about 3.5 minutes with the defaults
 * while an edit costs ~0.5 s on the 1 MB thesis.
 */
import * as path from 'node:path';
import { ROOT } from '../helpers/paths';
import { runLspBench } from './lsp';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const server = arg('server');

const num = (name: string): number | undefined => (arg(name) ? Number(arg(name)) : undefined);

runLspBench({ server: server ? path.resolve(ROOT, server) : undefined, edits: num('edits'), requests: num('requests') })
  .then((r) => {
    if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
  })
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });

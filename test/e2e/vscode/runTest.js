#!/usr/bin/env node
'use strict';
// The extension-host suite (suite.js) in a VS Code downloaded by @vscode/test-electron,
// for developer machines with internet access (the CI sandbox cannot download VS Code;
// there, test/e2e/run-code-server.js runs the same suite in code-server).
//
//   npx tsc -b && node test/e2e/vscode/runTest.js
//
// Env: VSCODE_TEST_VERSION (default 'stable'; mocha 12 needs a VS Code whose Node can
// require() ES modules, i.e. Electron with Node >= 20.19/22.12), CITECHECK_E2E_RESULT
// (result JSON, default test-results/vscode-electron.json), CITECHECK_E2E_GREP.
// On Linux without a display run it under xvfb-run.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTests } = require('@vscode/test-electron');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'rok-japan-working-paper.md');

async function main() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-e2e-ws-'));
  fs.copyFileSync(FIXTURE, path.join(ws, path.basename(FIXTURE)));
  const resultFile = path.resolve(process.env.CITECHECK_E2E_RESULT || path.join(REPO_ROOT, 'test-results', 'vscode-electron.json'));
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION || 'stable',
      cachePath: path.join(REPO_ROOT, '.cache', 'vscode-test'), // gitignored with .cache/
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      extensionTestsEnv: { CITECHECK_E2E_RESULT: resultFile, CITECHECK_E2E_GREP: process.env.CITECHECK_E2E_GREP || '' },
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    console.log(`all extension-host tests passed (${resultFile})`);
  } catch (e) {
    console.error(`extension-host tests failed: ${e && e.message ? e.message : e} (${resultFile})`);
    process.exitCode = 1;
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

main();

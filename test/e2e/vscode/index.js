'use strict';
// Runs suite.js with the repository's mocha inside a VS Code extension host and
// writes a JSON result file. Used two ways:
//   - by @vscode/test-electron (runTest.js): extensionTestsPath points here, so run()
//     is called by VS Code; a failure rejects, which makes runTests() fail.
//   - by the runner extension (extension.js + package.json here) in code-server: it calls run()
//     when the env var CITECHECK_E2E_RESULT names a result file.
//
// Result file (written atomically): {vscodeVersion, hostNode, passed, failed, pending,
// durationMs, tests: [{title, fullTitle, state, durationMs, error}]}.
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SUITE = path.join(__dirname, 'suite.js');

async function loadMocha() {
  const dir = path.join(REPO_ROOT, 'node_modules', 'mocha');
  // mocha 12 is an ES module package; its lib/mocha.cjs is loadable by require() on Node
  // >= 20.19 / 22.12 (require(esm)); otherwise fall back to import().
  try {
    const m = require(dir);
    return m.default || m.Mocha || m;
  } catch (e) {
    const m = await import(pathToFileURL(path.join(dir, 'index.js')).href);
    return m.default || m.Mocha;
  }
}

function writeAtomically(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file + '.tmp', JSON.stringify(data, null, 2));
  fs.renameSync(file + '.tmp', file); // pollers must never see half a file
}

/**
 * @param {{resultFile?: string, grep?: string}} [opts]
 * @returns {Promise<object>} the result; rejects if a test failed (for test-electron)
 */
async function run(opts) {
  // VS Code calls run(testsRoot, callback) and uses the returned promise when there is one.
  if (!opts || typeof opts !== 'object') opts = {};
  const resultFile = opts.resultFile || process.env.CITECHECK_E2E_RESULT;
  const t0 = Date.now();
  let vscodeVersion = null;
  try {
    vscodeVersion = require('vscode').version;
  } catch {}
  const result = { vscodeVersion, hostNode: process.version, passed: 0, failed: 0, pending: 0, durationMs: 0, tests: [] };
  try {
    const Mocha = await loadMocha();
    const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec', grep: opts.grep || process.env.CITECHECK_E2E_GREP || undefined });
    delete require.cache[SUITE]; // a second run in the same host must re-register the tests
    mocha.addFile(SUITE);
    await new Promise((resolve) => {
      const runner = mocha.run(() => resolve());
      const record = (state) => (test, err) => {
        result[state] += 1;
        result.tests.push({
          title: test.title,
          fullTitle: test.fullTitle(),
          state,
          durationMs: test.duration || 0,
          error: err ? String((err && err.stack) || err) : undefined,
        });
      };
      runner.on('pass', record('passed'));
      runner.on('fail', (test, err) => record('failed')(test, err || new Error('failed')));
      runner.on('pending', record('pending'));
    });
  } catch (e) {
    result.failed += 1;
    result.tests.push({ title: 'runner', fullTitle: 'runner', state: 'failed', durationMs: 0, error: String((e && e.stack) || e) });
  }
  result.durationMs = Date.now() - t0;
  if (resultFile) writeAtomically(resultFile, result);
  console.log(`[citecheck e2e] ${result.passed} passed, ${result.failed} failed${resultFile ? ` (${resultFile})` : ''}`);
  if (result.failed > 0 || result.passed === 0) {
    const err = new Error(`${result.failed} of ${result.passed + result.failed} extension-host tests failed`);
    err.result = result;
    throw err;
  }
  return result;
}

module.exports = { run, REPO_ROOT };

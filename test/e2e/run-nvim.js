#!/usr/bin/env node
'use strict';
// The real language server (bin/citecheck-language-server.js --stdio) in a real headless
// Neovim (nvim/lsp-probe.lua through nvimProbe.js) on the fixture paper. Checks the
// year-mismatch diagnostic on line 30 and the hover on (Kim 2015) on line 8.
//
//   npx tsc -b && node test/e2e/run-nvim.js       # needs nvim (install-editors.sh)
//
// Prints one line per check and `N passed, M failed` last; exits 1 on any failure.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runNvimProbe } = require('./nvimProbe');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'rok-japan-working-paper.md');
const SERVER = path.join(REPO_ROOT, 'bin', 'citecheck-language-server.js');

async function main() {
  const t0 = Date.now();
  const results = [];
  const check = (name, fn) => {
    try {
      fn();
      results.push({ name, ok: true });
      console.log(`ok   ${name}`);
    } catch (e) {
      results.push({ name, ok: false });
      console.log(`FAIL ${name}: ${e.message}`);
    }
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-nvim-e2e-'));
  const file = path.join(dir, path.basename(FIXTURE));
  fs.copyFileSync(FIXTURE, file);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  // 0-based line 7 holds "(Kim 2015)"; JS string indices are UTF-16 units, as LSP columns.
  const hover = { line: 7, col: lines[7].indexOf('Kim 2015)') + 2 };
  let r;
  try {
    r = await runNvimProbe({
      serverCmd: `${JSON.stringify(process.execPath)} ${JSON.stringify(SERVER)} --stdio`,
      file,
      hover,
      minDiagnostics: 1,
      settleMs: 300, // the first publish may be followed by a fuller one
      waitMs: 20000,
    });
  } catch (e) {
    console.log(`FAIL nvim probe: ${e.message}`);
    results.push({ name: 'nvim probe', ok: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (r) {
    const diags = r.diagnostics || [];
    console.log(`     (${diags.length} diagnostics, first publish in ${r.lastPublishMs} ms, languageId ${r.languageId})`);
    check('server starts and publishes diagnostics for the paper', () => {
      if (r.timedOut) throw new Error('timed out waiting for diagnostics');
      if (r.publishCount < 1) throw new Error('no publishDiagnostics');
    });
    check('year-mismatch on line 30 (MIC 2024), severity error', () => {
      const d = diags.find((x) => x.code === 'year-mismatch' && x.lnum === 29);
      if (!d) throw new Error(`not found; got ${JSON.stringify(diags.map((x) => [x.lnum + 1, x.code]))}`);
      if (d.severity !== 1) throw new Error(`severity ${d.severity}, want 1 (error)`);
      // vim.diagnostic columns are byte offsets (nvim converts from LSP's UTF-16)
      const bytes = Buffer.from(lines[29], 'utf8');
      const covered = bytes.subarray(d.col, d.end_lnum === d.lnum ? d.end_col : undefined).toString('utf8');
      if (!/2024/.test(covered)) throw new Error(`range covers ${JSON.stringify(covered)}`);
    });
    check('no other citation in the paper is flagged as an error', () => {
      const errors = diags.filter((x) => x.severity === 1 && !(x.code === 'year-mismatch' && x.lnum === 29));
      if (errors.length) throw new Error(JSON.stringify(errors.map((x) => [x.lnum + 1, x.code, x.message])));
    });
    check('hover on (Kim 2015) shows "Kim, DH. 2015"', () => {
      if (typeof r.hover !== 'string' || !r.hover.includes('Kim, DH. 2015')) throw new Error(`hover: ${JSON.stringify(r.hover)}`);
    });
  }
  const passed = results.filter((x) => x.ok).length;
  const failed = results.length - passed;
  if (failed && r && r.lspLogText) console.log(`lsp.log:\n${r.lspLogText.slice(-4000)}`);
  console.log(`nvim e2e took ${Date.now() - t0} ms`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();

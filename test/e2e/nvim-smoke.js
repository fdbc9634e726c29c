#!/usr/bin/env node
'use strict';
// Self-check of the Neovim harness: headless nvim + nvim/lsp-probe.lua against the
// fake stdio server in fixtures/. Exits 0 on success.   node test/e2e/nvim-smoke.js
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runNvimProbe } = require('./nvimProbe');

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-nvim-smoke-'));
  const file = path.join(dir, 'paper.md');
  fs.writeFileSync(file, '# Title\n\nThis is BAD text and BAD again.\nfine\n');
  const t0 = Date.now();
  try {
    const r = await runNvimProbe({
      serverCmd: `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(__dirname, 'fixtures', 'fake-lsp-server.js'))} --stdio`,
      file,
      hover: { line: 2, col: 9 },
      completion: { line: 3, col: 0 },
      minDiagnostics: 2,
    });
    delete r.lspLogText;
    console.log(JSON.stringify(r, null, 2));
    assert.strictEqual(r.timedOut, false);
    assert.strictEqual(r.languageId, 'markdown');
    assert.deepStrictEqual(
      r.diagnostics.map((d) => [d.lnum, d.col, d.code, d.severity, d.message]),
      [
        [2, 8, 'bad-word', 2, 'bad word at 2:8'],
        [2, 21, 'bad-word', 2, 'bad word at 2:21'],
      ],
    );
    assert.strictEqual(r.hover, '**hover** at 2:9');
    assert.deepStrictEqual(r.completion, ['smith2020', 'jones2019']);
    console.log(`nvim smoke: 1 passed, 0 failed (${Date.now() - t0} ms)`);
  } catch (e) {
    console.error(e);
    console.log(`nvim smoke: 0 passed, 1 failed (${Date.now() - t0} ms)`);
    process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();

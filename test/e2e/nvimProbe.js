'use strict';
// Run test/e2e/nvim/lsp-probe.lua in a headless Neovim against a stdio language
// server and return what Neovim saw. Plain CommonJS, no build needed.
//
//   const { runNvimProbe } = require('./nvimProbe');
//   const r = await runNvimProbe({
//     serverCmd: `node ${repo}/bin/citecheck-language-server.js --stdio`,
//     file: '/abs/paper.md', hover: { line: 2, col: 10 }, minDiagnostics: 1 });
//   // r = { diagnostics: [{lnum, col, end_lnum, end_col, message, code, severity, source}],
//   //       hover: '...'|null, completion?: [labels], publishCount, timedOut, languageId, elapsedMs }
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const PROBE = path.join(__dirname, 'nvim', 'lsp-probe.lua');

function nvimBin() {
  if (process.env.NVIM_BIN) return process.env.NVIM_BIN;
  try {
    return require('./codeServer').editorEnv().NVIM_BIN;
  } catch {
    return 'nvim';
  }
}

/**
 * @param {object} o
 * @param {string} o.serverCmd shell command that starts the server on stdio
 * @param {string} o.file file to open
 * @param {string} [o.root] workspace root (default: the file's directory)
 * @param {{line:number,col:number}} [o.hover] 0-based
 * @param {{line:number,col:number}} [o.completion] 0-based
 * @param {number} [o.minDiagnostics] wait for at least this many (default 0: first publish)
 * @param {number} [o.waitMs] default 10000
 * @param {number} [o.settleMs] keep listening until no publish for this long
 * @param {string} [o.languageId] override didOpen's languageId
 * @param {object} [o.settings] answered to workspace/configuration, sent in didChangeConfiguration
 * @param {object} [o.initOptions] initializationOptions
 * @param {number} [o.timeoutMs] kill nvim after this (default waitMs + 20000)
 */
function runNvimProbe(o) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-nvim-'));
  const env = {
    ...process.env,
    // nvim writes lsp.log (with the server's stderr) and shada/state under these
    XDG_CACHE_HOME: tmp,
    XDG_STATE_HOME: tmp,
    XDG_DATA_HOME: tmp,
    XDG_CONFIG_HOME: tmp,
    CITECHECK_SERVER_CMD: o.serverCmd,
    CITECHECK_FILE: path.resolve(o.file),
  };
  const set = (k, v) => {
    if (v !== undefined && v !== null) env[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  set('CITECHECK_ROOT', o.root);
  set('CITECHECK_HOVER_LINE', o.hover && o.hover.line);
  set('CITECHECK_HOVER_COL', o.hover && o.hover.col);
  set('CITECHECK_COMPLETION_LINE', o.completion && o.completion.line);
  set('CITECHECK_COMPLETION_COL', o.completion && o.completion.col);
  set('CITECHECK_MIN_DIAGNOSTICS', o.minDiagnostics);
  set('CITECHECK_WAIT_MS', o.waitMs);
  set('CITECHECK_SETTLE_MS', o.settleMs);
  set('CITECHECK_LANGUAGE_ID', o.languageId);
  set('CITECHECK_SETTINGS', o.settings);
  set('CITECHECK_INIT_OPTIONS', o.initOptions);
  const timeout = o.timeoutMs || (o.waitMs || 10000) + 20000;
  return new Promise((resolve, reject) => {
    cp.execFile(
      nvimBin(),
      ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${PROBE}`],
      { env, timeout, killSignal: 'SIGKILL', maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        let lspLog = '';
        try {
          lspLog = fs.readFileSync(path.join(tmp, 'nvim', 'lsp.log'), 'utf8');
        } catch {}
        fs.rmSync(tmp, { recursive: true, force: true });
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (!line) {
          return reject(new Error(`nvim printed no JSON (${err ? err.message : 'exit 0'})\nstderr: ${stderr}\nlsp.log: ${lspLog}`));
        }
        const result = JSON.parse(line);
        delete result.lspLog;
        result.lspLogText = lspLog;
        if (result.error) {
          const e = new Error(`lsp-probe: ${result.error}\nlsp.log: ${lspLog}`);
          e.result = result;
          return reject(e);
        }
        resolve(result);
      },
    );
  });
}

module.exports = { runNvimProbe, PROBE };

if (require.main === module) {
  // node test/e2e/nvimProbe.js '<server cmd>' <file> [hoverLine hoverCol]
  const [serverCmd, file, hl, hc] = process.argv.slice(2);
  runNvimProbe({ serverCmd, file, hover: hl !== undefined ? { line: +hl, col: +(hc || 0) } : undefined }).then(
    (r) => {
      delete r.lspLogText;
      console.log(JSON.stringify(r, null, 2));
    },
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}

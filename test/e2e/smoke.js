#!/usr/bin/env node
'use strict';
// Self-check of the real-editor infrastructure: runs the fixture extension in
// code-server, opens it in headless Debian Chromium, waits for the extension's
// report and checks what it says, then takes a screenshot.
//
//   bash test/e2e/install-editors.sh && node test/e2e/smoke.js [screenshot.png]
//
// Exits 0 on success. CITECHECK_E2E_KEEP=1 keeps code-server's temp dir (and log).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startCodeServer, openInBrowser, waitFor } = require('./codeServer');

const FIXTURE = path.join(__dirname, 'fixtures', 'smoke-extension');
const screenshot = path.resolve(process.argv[2] || process.env.E2E_SCREENSHOT || path.join(os.tmpdir(), 'e2e-smoke.png'));

function check(cond, msg, failures) {
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${msg}`);
  if (!cond) failures.push(msg);
}

async function main() {
  const t0 = Date.now();
  const ms = () => `${Date.now() - t0} ms`;
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-smoke-ws-'));
  const reportFile = path.join(ws, '.smoke-report.json');
  const text = 'Smith (2020) argues that the smoke test is visible.';
  fs.writeFileSync(path.join(ws, 'hello.md'), `# Smoke\n\n${text}\n`);

  let cs;
  let br;
  const failures = [];
  try {
    cs = await startCodeServer({
      extensionDirs: [FIXTURE],
      workspaceFolder: ws,
      userSettings: { 'citecheckSmoke.reportFile': reportFile, 'citecheckSmoke.openFile': 'hello.md' },
      env: { CITECHECK_SMOKE_MARKER: 'from-test' },
    });
    console.log(`code-server healthy at ${cs.url} after ${ms()}`);
    br = await openInBrowser(cs.url, ws);
    console.log(`workbench visible after ${ms()}`);
    await waitFor(() => fs.existsSync(reportFile), { timeoutMs: 60000, what: `extension report ${reportFile}` });
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    console.log(`extension report after ${ms()}:\n${JSON.stringify(report, null, 2)}`);

    check(report.activated === true, 'extension activated on onStartupFinished', failures);
    check(!report.error, `no error in extension (${report.error || 'none'})`, failures);
    check(/^1\.\d+\.\d+$/.test(report.vscodeVersion || ''), `vscode.version is ${report.vscodeVersion}`, failures);
    check(report.workspace === ws, 'workspace folder is the one opened with ?folder=', failures);
    check(report.envMarker === 'from-test', 'env of code-server reaches the extension host', failures);
    check(/^v24\./.test(report.hostNode || ''), `extension host runs Node ${report.hostNode}`, failures);
    check(report.child && report.child.echo === 'ping', 'child_process.fork + IPC round trip from the extension', failures);
    check(report.child && report.child.execPath === report.hostExecPath, `forked child uses the host's Node (${report.child && report.child.version})`, failures);
    check(report.openedLanguageId === 'markdown', `opened hello.md as ${report.openedLanguageId}`, failures);

    // What a person sees: the file's text in an editor.
    const lines = br.page.locator('.monaco-editor .view-lines').first();
    await lines.waitFor({ state: 'visible', timeout: 30000 });
    await waitFor(async () => ((await lines.textContent()) || '').replace(/\u00a0/g, ' ').includes('Smith (2020)'), {
      timeoutMs: 30000,
      what: 'editor text',
    });
    check(true, 'editor shows hello.md text', failures);
    await br.page.screenshot({ path: screenshot });
    console.log(`screenshot: ${screenshot}`);
  } catch (err) {
    failures.push(String((err && err.stack) || err));
    console.error(err);
    if (cs) console.error(`--- code-server log (${cs.logFile}) ---\n${cs.readLog().slice(-8000)}`);
    if (cs) console.error(`--- extension host log ---\n${cs.readExtHostLog().slice(-8000)}`);
  } finally {
    if (br) await br.close();
    if (cs) await cs.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
  console.log(`e2e smoke: ${failures.length ? 0 : 1} passed, ${failures.length ? 1 : 0} failed (${ms()})`);
  process.exit(failures.length ? 1 : 0);
}

main();

#!/usr/bin/env node
'use strict';
// The extension-host suite (vscode/suite.js) in a real VS Code: code-server 4.139.1 from
// npm, driven by Debian's Chromium through playwright-core. The repository root is the
// citecheck extension (symlinked into a fresh extensions dir) and vscode/ the
// extension that runs the suite on startup and writes a JSON result. Then, in the same
// browser, screenshots of what a person sees: the squiggle, a hover, the quick fix menu,
// the Problems panel (test-results/screenshots/; the best three are copied to
// docs/screenshots/ for the README).
//
//   bash test/e2e/install-editors.sh && npx tsc -b && node test/e2e/run-code-server.js
//
// Env: CITECHECK_E2E_EXTENSION_DIR=<unpacked extension> (default: the repo root);
// CITECHECK_E2E_KEEP=1 keeps code-server's temp dir and logs; E2E_UPDATE_DOCS=1 overwrites
// docs/screenshots/ (by default only missing files are written there); E2E_NO_DOCS=1 never
// touches it. Prints `N passed, M failed` last; exits 1 on any failure.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startCodeServer, openInBrowser, waitFor, REPO_ROOT } = require('./codeServer');

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'rok-japan-working-paper.md');
// CITECHECK_E2E_EXTENSION_DIR: test another unpacked build of the extension (default: the repo)
const EXTENSION_DIR = path.resolve(process.env.CITECHECK_E2E_EXTENSION_DIR || REPO_ROOT);
const RUNNER = path.join(__dirname, 'vscode'); // the runner extension (package.json + extension.js)
const SHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');
const DOCS_SHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
// screenshot in test-results -> name in docs/screenshots
const BEST = { '2-year-mismatch-hover.png': 'year-mismatch-hover.png', '4-quick-fix.png': 'quick-fix.png', '5-problems.png': 'problems.png' };

const results = [];
function record(name, ok, detail) {
  results.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

async function main() {
  const t0 = Date.now();
  const ms = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const main = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, 'package.json'), 'utf8')).main;
  if (!main || !fs.existsSync(path.join(EXTENSION_DIR, main))) {
    record(`the extension's main ${main} exists (run npx tsc -b first)`, false);
    return finish(t0);
  }
  const wsParent = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-e2e-ws-'));
  const ws = path.join(wsParent, 'citecheck-demo'); // a stable name: it shows in the screenshots
  fs.mkdirSync(ws);
  const paperName = path.basename(FIXTURE);
  fs.copyFileSync(FIXTURE, path.join(ws, paperName));
  const paperLines = fs.readFileSync(FIXTURE, 'utf8').split('\n');
  const resultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-e2e-result-'));
  const resultFile = path.join(resultDir, 'result.json');
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f));

  let cs;
  let br;
  try {
    cs = await startCodeServer({
      extensionDirs: [EXTENSION_DIR, RUNNER],
      workspaceFolder: ws,
      env: { CITECHECK_E2E_RESULT: resultFile, CITECHECK_E2E_FILE: paperName },
      userSettings: { 'workbench.colorTheme': 'Default Light Modern', 'editor.minimap.enabled': false },
    });
    console.log(`code-server healthy at ${cs.url} after ${ms()}`);
    br = await openInBrowser(cs.url, ws);
    console.log(`workbench visible after ${ms()}`);
    await waitFor(() => fs.existsSync(resultFile), { timeoutMs: 180000, intervalMs: 200, what: `the suite's result ${resultFile}` });
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    console.log(`suite finished after ${ms()} in VS Code ${result.vscodeVersion} (extension host Node ${result.hostNode}), suite ${result.durationMs} ms`);
    for (const t of result.tests) {
      record(`[extension host] ${t.fullTitle} (${t.durationMs} ms)`, t.state === 'passed', t.state === 'passed' ? '' : `${t.state}\n${t.error || ''}`);
    }
    if (!result.tests.length) record('[extension host] the suite ran tests', false);
    fs.copyFileSync(resultFile, path.join(path.dirname(SHOTS), 'vscode-code-server.json'));

    await screenshots(br.page, paperLines);
  } catch (err) {
    record('run', false, String((err && err.stack) || err));
  } finally {
    if (results.some((r) => !r.ok) && cs) {
      console.log(`--- code-server log (${cs.logFile}) ---\n${cs.readLog().slice(-6000)}`);
      console.log(`--- extension host log ---\n${cs.readExtHostLog().slice(-12000)}`);
      for (const f of findFiles(cs.logsDir, /citecheck\.log$/)) console.log(`--- ${f} ---\n${fs.readFileSync(f, 'utf8').slice(-8000)}`);
    }
    if (br) await br.close();
    if (cs) await cs.stop();
    fs.rmSync(wsParent, { recursive: true, force: true });
    fs.rmSync(resultDir, { recursive: true, force: true });
  }
  finish(t0);
}

/** Files under dir whose name matches re (e.g. the extension's output channel logs). */
function findFiles(dir, re, out = []) {
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, re, out);
    else if (re.test(e.name)) out.push(p);
  }
  return out;
}

function finish(t0) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`code-server e2e took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

// ---------------------------------------------------------------- screenshots

/** 1-based line and column of `needle` (+ delta) in the paper, for Go to Line. */
function lineCol(lines, line0, needle, delta = 0) {
  const i = lines[line0].indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" is not on line ${line0 + 1}`);
  return `${line0 + 1}:${i + 1 + delta}`;
}

async function shot(page, name, what, fn) {
  const file = path.join(SHOTS, name);
  try {
    await fn();
    await page.screenshot({ path: file, animations: 'disabled' });
    record(`screenshot ${what}`, true, path.relative(REPO_ROOT, file));
  } catch (err) {
    await page.screenshot({ path: file.replace(/\.png$/, '.failed.png') }).catch(() => {});
    record(`screenshot ${what}`, false, String((err && err.message) || err));
  } finally {
    await page.keyboard.press('Escape').catch(() => {});
  }
}

async function goTo(page, where) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`:${where}`);
  await input.press('Enter');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 10000 });
}

async function screenshots(page, lines) {
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 30000 });
  const squiggle = page.locator('.monaco-editor .squiggly-error').first();
  const mic = lineCol(lines, 29, 'MIC 2024', 5);

  await shot(page, '1-squiggle.png', 'editor with the year-mismatch squiggle', async () => {
    await editor.locator('.view-lines').click({ position: { x: 5, y: 5 } });
    await goTo(page, mic);
    await squiggle.waitFor({ state: 'visible', timeout: 30000 });
  });

  await shot(page, '2-year-mismatch-hover.png', 'hover on the squiggle (problem + what the list has)', async () => {
    await goTo(page, mic);
    await squiggle.waitFor({ state: 'visible', timeout: 30000 });
    const box = await squiggle.boundingBox();
    if (!box) throw new Error('no bounding box for the squiggle');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 4);
    await page.locator('.monaco-hover').filter({ hasText: 'MIC' }).first().waitFor({ state: 'visible', timeout: 15000 });
    await page.locator('.monaco-hover').filter({ hasText: '2023' }).first().waitFor({ state: 'visible', timeout: 5000 });
  });
  await page.mouse.move(5, 5);

  await shot(page, '3-hover-kim-2015.png', 'hover on (Kim 2015) (Ctrl+K Ctrl+I)', async () => {
    await goTo(page, lineCol(lines, 7, 'Kim 2015)', 2));
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await page.locator('.monaco-hover').filter({ hasText: 'Kim, DH. 2015' }).first().waitFor({ state: 'visible', timeout: 15000 });
  });

  await shot(page, '4-quick-fix.png', 'quick fix menu on (MIC 2024) (Ctrl+.)', async () => {
    await goTo(page, mic);
    await squiggle.waitFor({ state: 'visible', timeout: 30000 });
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget').filter({ hasText: '2023' }).first().waitFor({ state: 'visible', timeout: 15000 });
  });

  await shot(page, '5-problems.png', 'Problems panel (Ctrl+Shift+M)', async () => {
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel').first();
    await panel.waitFor({ state: 'visible', timeout: 15000 });
    await panel.locator('.monaco-list-row').filter({ hasText: '2024' }).first().waitFor({ state: 'visible', timeout: 15000 });
  });

  // docs/screenshots/ is tracked: refresh it only when asked (or fill in missing files),
  // so that a CI run does not rewrite it.
  const update = process.env.E2E_UPDATE_DOCS === '1';
  if (process.env.E2E_NO_DOCS !== '1') {
    fs.mkdirSync(DOCS_SHOTS, { recursive: true });
    for (const [from, to] of Object.entries(BEST)) {
      const src = path.join(SHOTS, from);
      const dest = path.join(DOCS_SHOTS, to);
      if (fs.existsSync(src) && (update || !fs.existsSync(dest))) {
        fs.copyFileSync(src, dest);
        console.log(`     copied to ${path.relative(REPO_ROOT, dest)}`);
      }
    }
  }
}

main();

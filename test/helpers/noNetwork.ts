/**
 * A mocha root hook plugin (`require` in .mocharc.json): no test may touch the network. In this
 * process every connect, name lookup, http(s) request and fetch throws and is recorded, and the
 * run fails at the end if there was any. Child processes (the CLI, the language server) inherit
 * NODE_OPTIONS with a preload that installs the same traps and exits with status 97 on an attempt.
 */
import * as path from 'node:path';
import { installNetworkTraps } from './netTraps';

export const attempts: string[] = [];

installNetworkTraps((what) => attempts.push(what));

const preload = path.join(__dirname, 'noNetworkPreload.js');
const flag = `--require "${preload}"`;
if (!(process.env.NODE_OPTIONS ?? '').includes(preload)) {
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, flag].filter(Boolean).join(' ');
}

export const mochaHooks = {
  afterAll(): void {
    if (attempts.length) throw new Error(`${attempts.length} network attempt(s) during the tests:\n  ${attempts.slice(0, 10).join('\n  ')}`);
  },
};

/**
 * Preloaded into every node child process a test starts (NODE_OPTIONS=--require, set by
 * noNetwork.ts): any network attempt prints a message on stderr and ends the process with
 * status 97, so the test that started it fails.
 */
import { installNetworkTraps } from './netTraps';

installNetworkTraps((what) => {
  process.stderr.write(`citecheck test preload: ${what}; exiting\n`);
  process.exit(97);
});

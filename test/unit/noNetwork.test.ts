/**
 * The no-network guard itself (test/helpers/noNetwork.ts, a mocha root hook): in this process and
 * in child processes, a connection attempt fails loudly.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import dns = require('node:dns');
import http = require('node:http');
import net = require('node:net');
import tls = require('node:tls');
import { attempts } from '../helpers/noNetwork';

describe('no network in tests', function () {
  it('traps connect, DNS, http(s) and fetch in the test process, and records each attempt', async () => {
    const before = attempts.length;
    assert.throws(() => net.connect(80, 'example.com'), /network access attempted in a test: net\.connect/);
    assert.throws(() => new net.Socket().connect(443, 'example.com'), /net\.Socket\.connect/);
    assert.throws(() => tls.connect(443, 'example.com'), /tls\.connect/);
    assert.throws(() => dns.lookup('example.com', () => undefined), /dns\.lookup/);
    assert.throws(() => http.get('http://example.com/'), /http\.get/);
    await assert.rejects(async () => fetch('https://example.com/'), /fetch/);
    assert.equal(attempts.length - before, 6);
    // These were on purpose: the run must not fail for them.
    attempts.splice(before);
  });

  it('makes a child process that tries the network exit with status 97 and a message', () => {
    assert.match(process.env.NODE_OPTIONS ?? '', /noNetworkPreload\.js/);
    const r = spawnSync(process.execPath, ['-e', "require('node:net').connect(80, 'example.com'); setTimeout(() => {}, 5000)"], { encoding: 'utf8' });
    assert.equal(r.status, 97, r.stderr);
    assert.match(r.stderr, /network access attempted in a test: net\.connect\(80, example\.com\)/);
    const ok = spawnSync(process.execPath, ['-e', "process.stdout.write('fine')"], { encoding: 'utf8' });
    assert.equal(ok.status, 0);
    assert.equal(ok.stdout, 'fine');
  });
});

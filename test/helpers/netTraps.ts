/**
 * Traps for every way a Node process opens a network connection or resolves a name: each throws
 * (and reports the attempt) instead. Installed in the mocha process by noNetwork.ts and in every
 * child process the tests start (the CLI, the language server) by noNetworkPreload.ts.
 * Pipes and stdio are untouched: they never go through these functions.
 */
import dns = require('node:dns');
import http = require('node:http');
import https = require('node:https');
import net = require('node:net');
import tls = require('node:tls');

export function installNetworkTraps(onAttempt: (what: string) => void): void {
  const g = globalThis as { __citecheckNetTraps?: boolean };
  if (g.__citecheckNetTraps) return;
  g.__citecheckNetTraps = true;
  const trap = (what: string) =>
    function trapped(...args: unknown[]): never {
      const where = describe(args);
      const msg = `network access attempted in a test: ${what}(${where})`;
      onAttempt(msg);
      throw new Error(msg);
    };
  const patch = (obj: object, name: string, what: string) => {
    try {
      Object.defineProperty(obj, name, { value: trap(what), writable: true, configurable: true });
    } catch {
      // a frozen builtin: leave it
    }
  };
  patch(net.Socket.prototype, 'connect', 'net.Socket.connect');
  patch(net, 'connect', 'net.connect');
  patch(net, 'createConnection', 'net.createConnection');
  patch(tls, 'connect', 'tls.connect');
  for (const m of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveCaa', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse']) {
    if (typeof (dns as Record<string, unknown>)[m] === 'function') patch(dns, m, `dns.${m}`);
    if (typeof (dns.promises as Record<string, unknown>)[m] === 'function') patch(dns.promises, m, `dns.promises.${m}`);
  }
  patch(http, 'request', 'http.request');
  patch(http, 'get', 'http.get');
  patch(https, 'request', 'https.request');
  patch(https, 'get', 'https.get');
  if (typeof globalThis.fetch === 'function') patch(globalThis, 'fetch', 'fetch');
}

function describe(args: unknown[]): string {
  try {
    return args
      .filter((a) => typeof a !== 'function')
      .map((a) => (typeof a === 'string' || typeof a === 'number' ? String(a) : a instanceof URL ? a.href : JSON.stringify(a)?.slice(0, 120)))
      .join(', ');
  } catch {
    return '?';
  }
}

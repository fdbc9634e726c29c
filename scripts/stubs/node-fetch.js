'use strict';
// Bundled in place of `node-fetch` (scripts/package.js): citecheck never opens a network connection.
async function blocked(url) {
  throw new Error(`citecheck: network access is disabled (fetch of ${String(url)})`);
}
class Headers {}
class Request {}
class Response {}
module.exports = { __esModule: true, default: blocked, Headers, Request, Response };

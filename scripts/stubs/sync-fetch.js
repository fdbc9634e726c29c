'use strict';
// Bundled in place of `sync-fetch` (scripts/package.js): citecheck never opens a network connection.
function blocked(url) {
  throw new Error(`citecheck: network access is disabled (sync fetch of ${String(url)})`);
}
class Headers {}
class Request {}
class Response {}
module.exports = Object.assign(blocked, { Headers, Request, Response });

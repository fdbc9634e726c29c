#!/usr/bin/env node
'use strict';
// A closed pipe (`citecheck paper.md | head`) is not an error worth a stack trace.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); throw e; });
require('../server/out/cli/main.js').run(process.argv.slice(2)).then((code) => { process.exitCode = code; });

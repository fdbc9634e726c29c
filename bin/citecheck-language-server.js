#!/usr/bin/env node
'use strict';
// citecheck's language server for any LSP client: `citecheck-language-server --stdio`.
require('../server/out/lsp/server.js').main();

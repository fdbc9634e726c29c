-- Drive a stdio language server from a real (headless) Neovim and print what
-- Neovim got, as one JSON object on stdout. Written for Neovim 0.7.2 (Debian 12):
-- no vim.lsp.start there, so vim.lsp.start_client + vim.lsp.buf_attach_client.
--
--   XDG_CACHE_HOME=$tmp XDG_STATE_HOME=$tmp XDG_DATA_HOME=$tmp XDG_CONFIG_HOME=$tmp \
--   CITECHECK_SERVER_CMD='node /abs/bin/citecheck-language-server.js --stdio' \
--   CITECHECK_FILE=/abs/paper.md CITECHECK_HOVER_LINE=2 CITECHECK_HOVER_COL=10 \
--     nvim --headless -u NONE -i NONE -n -c 'luafile test/e2e/nvim/lsp-probe.lua'
--
-- (nvim writes lsp.log under $XDG_CACHE_HOME/nvim at start: point it at a temp dir.
-- The server's stderr lands in that log; its path is in the output as "lspLog".)
--
-- Environment:
--   CITECHECK_SERVER_CMD        shell command starting the server on stdio (required; run with sh -c 'exec ...')
--   CITECHECK_FILE              file to open (required)
--   CITECHECK_ROOT              root_dir / workspace folder (default: the file's directory)
--   CITECHECK_LANGUAGE_ID       languageId sent in didOpen (default: from the filetype; tex -> latex)
--   CITECHECK_HOVER_LINE/_COL   0-based position for textDocument/hover (COL in UTF-16 units, as LSP)
--   CITECHECK_COMPLETION_LINE/_COL  0-based position for textDocument/completion (optional)
--   CITECHECK_WAIT_MS           how long to wait for diagnostics (default 10000)
--   CITECHECK_MIN_DIAGNOSTICS   wait until at least this many diagnostics (default 0: the first
--                               publishDiagnostics for the file ends the wait)
--   CITECHECK_SETTLE_MS         after that, keep listening until no publish for this long (default 0)
--   CITECHECK_INIT_OPTIONS      JSON for initializationOptions (optional)
--   CITECHECK_SETTINGS          JSON answered to workspace/configuration and sent in didChangeConfiguration
--
-- Output: {"diagnostics":[{"lnum","col","end_lnum","end_col","message","code","severity","source"}],
--          "hover": "..." | null, "completion": [labels] (if asked), "publishCount", "timedOut",
--          "languageId", "elapsedMs", "lspLog", "error" (only on failure)}
-- Exit code: 0, or 1 when the server could not start / crashed / a request failed.

local t0 = vim.loop.hrtime()
local function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == '' then return default end
  return v
end
local function envnum(name, default)
  local v = env(name, nil)
  if v == nil then return default end
  return assert(tonumber(v), name .. ' must be a number')
end

local out = { diagnostics = {}, hover = vim.NIL, publishCount = 0, timedOut = false }
local client_id

local function finish(code)
  out.elapsedMs = math.floor((vim.loop.hrtime() - t0) / 1e6)
  out.lspLog = vim.lsp.get_log_path()
  io.stdout:write(vim.fn.json_encode(out) .. '\n')
  io.stdout:flush()
  if client_id then
    vim.lsp.stop_client(client_id) -- shutdown + exit, like a person closing nvim
    vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  end
  if code == 0 then vim.cmd('qall!') else vim.cmd('cquit ' .. code) end
end

local function hover_text(result)
  if type(result) ~= 'table' or result.contents == nil then return vim.NIL end
  local parts = {}
  local function add(x)
    if type(x) == 'string' then table.insert(parts, x)
    elseif type(x) == 'table' and x.value ~= nil then table.insert(parts, x.value) end
  end
  local c = result.contents
  if type(c) == 'string' or c.value ~= nil then add(c) else for _, x in ipairs(c) do add(x) end end
  return table.concat(parts, '\n')
end

local function request(bufnr, method, params)
  -- 0.7 silently sends nothing for a method the server did not announce, and
  -- buf_request_sync would then only time out: say so at once instead.
  local c = vim.lsp.get_client_by_id(client_id)
  if not c.supports_method(method) then error(method .. ': the server does not announce this capability') end
  local results, err = vim.lsp.buf_request_sync(bufnr, method, params, envnum('CITECHECK_REQUEST_TIMEOUT_MS', 10000))
  if err then error(method .. ': ' .. tostring(err)) end
  local r = results and results[client_id]
  if r == nil then error(method .. ': no response') end
  if r.err then error(method .. ': ' .. vim.inspect(r.err)) end
  return r.result
end

local function main()
  local cmd = assert(env('CITECHECK_SERVER_CMD'), 'CITECHECK_SERVER_CMD is not set')
  local file = vim.fn.fnamemodify(assert(env('CITECHECK_FILE'), 'CITECHECK_FILE is not set'), ':p')
  local root = vim.fn.fnamemodify(env('CITECHECK_ROOT', vim.fn.fnamemodify(file, ':h')), ':p'):gsub('/$', '')
  local settings = vim.fn.json_decode(env('CITECHECK_SETTINGS', '{}'))
  local init_options = env('CITECHECK_INIT_OPTIONS') and vim.fn.json_decode(env('CITECHECK_INIT_OPTIONS')) or nil

  vim.cmd('filetype on') -- -u NONE leaves detection off; the filetype becomes didOpen's languageId
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local exited

  client_id = vim.lsp.start_client({
    name = 'citecheck-probe',
    cmd = { 'sh', '-c', 'exec ' .. cmd },
    root_dir = root,
    init_options = init_options,
    settings = settings,
    get_language_id = function(_, filetype)
      local forced = env('CITECHECK_LANGUAGE_ID')
      if forced then return forced end
      local map = { tex = 'latex', plaintex = 'latex', text = 'plaintext', [''] = 'plaintext' }
      return map[filetype] or filetype
    end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
        if result and vim.uri_to_fname(result.uri) == vim.api.nvim_buf_get_name(bufnr) then
          out.publishCount = out.publishCount + 1
          out.lastPublishMs = math.floor((vim.loop.hrtime() - t0) / 1e6)
        end
      end,
    },
    on_init = function(client)
      if next(settings) ~= nil then
        client.notify('workspace/didChangeConfiguration', { settings = settings })
      end
    end,
    on_exit = function(code, signal) exited = { code = code, signal = signal } end,
  })
  if not client_id then error('vim.lsp.start_client failed for: ' .. cmd) end
  vim.lsp.buf_attach_client(bufnr, client_id)

  -- initialize, then didOpen are sent asynchronously; wait for the handshake first
  local ok = vim.wait(envnum('CITECHECK_WAIT_MS', 10000), function()
    local c = vim.lsp.get_client_by_id(client_id)
    return exited ~= nil or (c ~= nil and c.initialized)
  end, 10)
  if exited then error('server exited during startup: ' .. vim.inspect(exited)) end
  if not ok then error('server did not answer initialize') end
  out.languageId = vim.lsp.get_client_by_id(client_id).config.get_language_id(bufnr, vim.bo[bufnr].filetype)

  local min = envnum('CITECHECK_MIN_DIAGNOSTICS', 0)
  local deadline = vim.loop.hrtime() + envnum('CITECHECK_WAIT_MS', 10000) * 1e6
  local remaining = function() return math.max(0, math.floor((deadline - vim.loop.hrtime()) / 1e6)) end
  ok = vim.wait(remaining(), function()
    return exited ~= nil or (out.publishCount > 0 and #vim.diagnostic.get(bufnr) >= min)
  end, 10)
  out.timedOut = not ok
  local settle = envnum('CITECHECK_SETTLE_MS', 0)
  if ok and settle > 0 then
    vim.wait(remaining(), function()
      return exited ~= nil or (vim.loop.hrtime() - t0) / 1e6 - out.lastPublishMs >= settle
    end, 10)
  end
  if exited then error('server exited: ' .. vim.inspect(exited)) end

  local diags = vim.diagnostic.get(bufnr)
  table.sort(diags, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  for _, d in ipairs(diags) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    table.insert(out.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      message = d.message, code = code == nil and vim.NIL or code,
      severity = d.severity, source = d.source == nil and vim.NIL or d.source,
    })
  end

  local uri = vim.uri_from_bufnr(bufnr)
  local hl = envnum('CITECHECK_HOVER_LINE', nil)
  if hl ~= nil then
    out.hover = hover_text(request(bufnr, 'textDocument/hover', {
      textDocument = { uri = uri },
      position = { line = hl, character = envnum('CITECHECK_HOVER_COL', 0) },
    }))
  end
  local cl = envnum('CITECHECK_COMPLETION_LINE', nil)
  if cl ~= nil then
    local r = request(bufnr, 'textDocument/completion', {
      textDocument = { uri = uri },
      position = { line = cl, character = envnum('CITECHECK_COMPLETION_COL', 0) },
    })
    local items = (type(r) == 'table' and (r.items or r)) or {}
    out.completion = {}
    for _, it in ipairs(items) do table.insert(out.completion, it.label) end
  end
end

local ok, err = xpcall(main, debug.traceback)
if ok then
  finish(0)
else
  out.error = tostring(err)
  finish(1)
end

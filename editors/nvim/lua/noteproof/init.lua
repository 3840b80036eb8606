--- noteproof for Neovim: starts the noteproof language server for markdown notes,
--- and offers :NoteproofFacts, :NoteproofReindex and :NoteproofReport.
---
--- Either call `require("noteproof").setup({ cmd = ..., corpus = ... })`, or (Neovim
--- 0.11+) use the config in `lsp/noteproof.lua` with `vim.lsp.enable("noteproof")`.

local M = {}

M.name = 'noteproof'

--- Options of `setup()`; every field is optional.
---@class noteproof.Options
---@field cmd? string[] the server command; default `{ "noteproof", "lsp" }`
---@field corpus? string[] corpus folders relative to the workspace root (default: noteproof.json's, else `seeds`)
---@field notes? string[] globs of the notes to check (default: noteproof.json's, else `**/*.md`)
---@field filetypes? string[] default `{ "markdown" }`
---@field root_markers? string[] searched upward in this order; default `{ "noteproof.json", "seeds", ".git" }`
---@field on_attach? fun(client: vim.lsp.Client, bufnr: integer)
---@field capabilities? table
---@field settings? table extra settings (merged under the `noteproof` section)
---@field autostart? boolean start for matching buffers (default true)
---@field virtual_text? boolean|vim.diagnostic.Opts.VirtualText virtual text for noteproof's diagnostics (default true)

---@type noteproof.Options
M.defaults = {
  cmd = { 'noteproof', 'lsp' },
  corpus = nil,
  notes = nil,
  filetypes = { 'markdown' },
  root_markers = { 'noteproof.json', 'seeds', '.git' },
  on_attach = nil,
  capabilities = nil,
  settings = nil,
  autostart = true,
  virtual_text = true,
}

---@type noteproof.Options
M.options = vim.deepcopy(M.defaults)

--- The last `noteproof/status` of each client, by client id: `{ state, articles, notes, message }`.
---@type table<integer, {state: string, articles: integer, notes: integer, message: string}>
M.statuses = {}

--- Like vim.tbl_deep_extend('force', ...), except that lists are replaced, not merged by index.
local function merge(base, override)
  local result = vim.deepcopy(base)
  for key, value in pairs(override or {}) do
    if type(value) == 'table' and not vim.islist(value) and type(result[key]) == 'table' and not vim.islist(result[key]) then
      result[key] = merge(result[key], value)
    else
      result[key] = vim.deepcopy(value)
    end
  end
  return result
end

local function notify(message, level)
  vim.notify('noteproof: ' .. message, level or vim.log.levels.INFO)
end

--- `noteproof/status` notifications: remembered for statuslines, announced with `User NoteproofStatus`.
function M.status_handler(_, result, ctx)
  if type(result) ~= 'table' then
    return
  end
  M.statuses[ctx.client_id] = result
  vim.api.nvim_exec_autocmds('User', { pattern = 'NoteproofStatus', modeline = false, data = { client_id = ctx.client_id, status = result } })
end

--- A short status for statuslines: "noteproof: indexing…", "noteproof: 5 articles", or "".
---@param bufnr? integer
---@return string
function M.status(bufnr)
  local client = M.get_client(bufnr)
  local status = client and M.statuses[client.id]
  if not status then
    return ''
  end
  if status.state == 'indexing' then
    return 'noteproof: indexing…'
  end
  return ('noteproof: %d article%s'):format(status.articles, status.articles == 1 and '' or 's')
end

--- The settings object the server reads: the same shape as noteproof.json.
---@param opts noteproof.Options
---@return table|nil
local function server_settings(opts)
  local settings = vim.deepcopy(opts.settings or {})
  -- Empty lists are left out: the server would take them as "no value" anyway.
  if opts.corpus and #opts.corpus > 0 then
    settings.corpus = opts.corpus
  end
  if opts.notes and #opts.notes > 0 then
    settings.notes = opts.notes
  end
  return next(settings) and settings or nil
end

--- The client configuration for `vim.lsp.start()` / `vim.lsp.config()` (without `root_dir`).
---@param opts? noteproof.Options
---@return vim.lsp.ClientConfig|vim.lsp.Config
function M.client_config(opts)
  opts = merge(M.options, opts)
  local settings = server_settings(opts)
  return {
    name = M.name,
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    root_markers = opts.root_markers,
    init_options = settings,
    settings = settings and { noteproof = settings } or nil,
    capabilities = opts.capabilities,
    on_attach = opts.on_attach,
    handlers = { ['noteproof/status'] = M.status_handler },
  }
end

--- The workspace root for a buffer: the nearest folder with `noteproof.json`, else with
--- `seeds/`, else with `.git` (each marker searched upward before the next).
---@param bufnr? integer
---@param markers? string[]
---@return string|nil
function M.root(bufnr, markers)
  bufnr = bufnr or 0
  return vim.fs.root(bufnr, markers or M.options.root_markers)
end

--- Starts (or reuses) the server for a buffer; returns the client id.
---@param bufnr? integer
---@return integer|nil
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.bo[bufnr].buftype ~= '' or vim.api.nvim_buf_get_name(bufnr) == '' then
    return nil -- scratch buffers (the fact sheet among them) and unnamed buffers are not notes
  end
  local root = M.root(bufnr)
  if not root then
    return nil
  end
  local config = M.client_config()
  config.root_dir = root
  config.root_markers = nil
  config.filetypes = nil
  return vim.lsp.start(config, { bufnr = bufnr })
end

--- The noteproof client for a buffer (else any running noteproof client).
---@param bufnr? integer
---@return vim.lsp.Client|nil
function M.get_client(bufnr)
  local clients = vim.lsp.get_clients({ name = M.name, bufnr = bufnr or 0 })
  if #clients == 0 then
    clients = vim.lsp.get_clients({ name = M.name })
  end
  return clients[1]
end

local function execute(command, callback)
  local client = M.get_client(0)
  if not client then
    notify('no noteproof server is running (open a note in a folder with noteproof.json or seeds/)', vim.log.levels.WARN)
    return false
  end
  client:request('workspace/executeCommand', { command = command, arguments = {} }, function(err, result)
    if err then
      notify(command .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if callback then
      callback(result, client)
    end
  end, vim.api.nvim_get_current_buf())
  return true
end

--- Re-reads the corpus and the notes (`noteproof.reindex`).
function M.reindex()
  return execute('noteproof.reindex', function()
    notify('re-indexing the corpus')
  end)
end

M.facts_buffer_name = 'noteproof://facts'

--- The markdown of a `noteproof.facts` answer (a string; `{markdown}`/`{value}` tables accepted too).
---@return string|nil
function M.facts_markdown(result)
  if type(result) == 'string' then
    return result
  end
  if type(result) == 'table' then
    for _, key in ipairs({ 'markdown', 'value', 'text' }) do
      if type(result[key]) == 'string' then
        return result[key]
      end
    end
  end
  return nil
end

--- Shows markdown in the read-only scratch buffer `noteproof://facts`, in a split.
---@param markdown string
---@param mods? string command modifiers for the split, e.g. "vertical" or "tab"
---@return integer bufnr
function M.show_facts(markdown, mods)
  local buf = vim.fn.bufnr(M.facts_buffer_name)
  if buf == -1 or not vim.api.nvim_buf_is_valid(buf) then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, M.facts_buffer_name)
  end
  -- buftype first: a markdown FileType must not start a server for this buffer.
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'hide'
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(markdown, '\n', { plain = true }))
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
  vim.bo[buf].filetype = 'markdown'
  local win = vim.fn.bufwinid(buf)
  if win ~= -1 then
    vim.api.nvim_set_current_win(win)
  else
    vim.cmd(((mods and mods ~= '') and (mods .. ' ') or '') .. 'split')
    vim.api.nvim_win_set_buf(0, buf)
  end
  return buf
end

--- Asks the server for the corpus fact sheet (`noteproof.facts`) and shows it.
---@param mods? string
function M.facts(mods)
  return execute('noteproof.facts', function(result)
    local markdown = M.facts_markdown(result)
    if not markdown then
      notify('noteproof.facts returned no markdown: ' .. vim.inspect(result), vim.log.levels.ERROR)
      return
    end
    M.show_facts(markdown, mods)
  end)
end

--- The diagnostics namespace of a noteproof client. noteproof pushes diagnostics to Neovim 0.11,
--- which pulls (`textDocument/diagnostic`) but cannot be asked to pull again when the corpus
--- changes; to a client that can, it offers pulls instead, and pulled diagnostics live in
--- another namespace.
---@param client_id integer
---@return integer
function M.namespace(client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  local pulled = client ~= nil and (client.server_capabilities or {}).diagnosticProvider ~= nil
  return vim.lsp.diagnostic.get_namespace(client_id, pulled)
end

--- Shows a client's diagnostics as virtual text (Neovim 0.11 turns it off for every namespace),
--- in its namespace only, unless the user chose: the `virtual_text` option set to false, or a
--- `virtual_text` of theirs in `vim.diagnostic.config()`, for every namespace or for this one.
--- Run on `LspAttach` (plugin/noteproof.lua), whether the client came from setup() or vim.lsp.enable().
---@param client_id integer
function M.enable_virtual_text(client_id)
  local wanted = M.options.virtual_text
  if not wanted then
    return
  end
  local ns = M.namespace(client_id)
  -- Neovim's default `false` cannot be told from a user's `false`: only a global setting that
  -- shows virtual text, or any setting for this namespace, is known to be the user's.
  if vim.diagnostic.config().virtual_text or vim.diagnostic.config(nil, ns).virtual_text ~= nil then
    return
  end
  vim.diagnostic.config({ virtual_text = wanted }, ns)
end

--- The arguments of `noteproof report` for the workspace: every note, the configured corpus.
---@param out string
---@param corpus? string[]
---@return string[]
function M.report_arguments(out, corpus)
  local args = { 'report' }
  for _, folder in ipairs(corpus or {}) do
    vim.list_extend(args, { '--corpus', folder })
  end
  return vim.list_extend(args, { '--out', out })
end

--- The path of the last report written by `report()`.
---@type string|nil
M.last_report = nil

--- Runs the server binary's `report` for the workspace into a temporary HTML file, then opens it
--- with `vim.ui.open` (or says where it is). The binary, root and corpus are the running client's
--- when there is one, else the options' and the current buffer's.
function M.report()
  local client = M.get_client(0)
  local cmd = client and client.config.cmd or M.options.cmd
  local binary = type(cmd) == 'table' and cmd[1] or 'noteproof'
  local root = (client and client.root_dir) or M.root(0) or vim.fn.getcwd()
  local settings = client and client.settings and client.settings.noteproof or {}
  local corpus = settings.corpus or M.options.corpus
  local out = vim.fn.tempname() .. '-noteproof-report.html'
  local command = vim.list_extend({ binary }, M.report_arguments(out, corpus))
  notify('writing the report…')
  -- vim.system raises when the binary cannot be started: say so rather than show a traceback.
  local ok, handle = pcall(vim.system, command, { cwd = root, text = true }, function(result)
    vim.schedule(function()
      if result.code ~= 0 then
        notify('the report failed: ' .. vim.trim(result.stderr or ''), vim.log.levels.ERROR)
        return
      end
      M.last_report = out
      local _, err = vim.ui.open(out)
      if err then
        notify('report written to ' .. out .. ' (' .. err .. ')')
      else
        notify('report: ' .. out)
      end
    end)
  end)
  if not ok then
    notify('cannot run ' .. binary .. ': ' .. tostring(handle), vim.log.levels.ERROR)
    return nil
  end
  return handle
end

--- The scheme of the read-only documents the server serves (`noteproof:///…/report.pdf.txt`, the
--- text read from a PDF); a definition in a PDF lands in one.
M.served_scheme = 'noteproof'

--- How long `read_served()` waits for a server to start, index and answer, in ms.
M.served_timeout_ms = 10000

--- The file path behind a served document's URI: `noteproof:///a/b.pdf.txt` → `/a/b.pdf`.
---@param uri string
---@return string|nil
function M.served_path(uri)
  local rest = uri:match('^' .. M.served_scheme .. ':(//.*)%.txt$')
  if not rest then
    return nil
  end
  local ok, path = pcall(vim.uri_to_fname, 'file:' .. rest)
  return ok and path or nil
end

--- Whether a client's server announced that it serves `noteproof:` documents.
---@param client vim.lsp.Client
local function serves_documents(client)
  local experimental = client.server_capabilities and client.server_capabilities.experimental
  local content = type(experimental) == 'table' and experimental.textDocumentContent
  return type(content) == 'table' and type(content.schemes) == 'table' and vim.tbl_contains(content.schemes, M.served_scheme)
end

--- The noteproof clients to ask for a served document: the ones whose root holds its file first.
---@param path string|nil
---@return vim.lsp.Client[]
local function clients_for(path)
  local inside, others = {}, {}
  for _, client in ipairs(vim.lsp.get_clients({ name = M.name })) do
    local root = client.root_dir
    if path and root and (path == root or vim.startswith(path, root:gsub('/$', '') .. '/')) then
      table.insert(inside, client)
    else
      table.insert(others, client)
    end
  end
  return vim.list_extend(inside, others)
end

--- Asks the running noteproof servers for the text of a served document
--- (`workspace/textDocumentContent`), waiting for a server that is still starting or indexing.
--- Synchronous: a definition's jump puts the cursor in the buffer as soon as it is loaded.
---@param uri string
---@return string|nil text
---@return string|nil error in plain words
function M.served_text(uri)
  local path = M.served_path(uri)
  if not path then
    return nil, uri .. ' is not a document noteproof serves'
  end
  local clients = clients_for(path)
  if #clients == 0 then
    return nil, 'no noteproof server is running to show ' .. path .. ' (open a note of its workspace first)'
  end
  local reason = 'no noteproof server answered'
  for _, client in ipairs(clients) do
    -- A client that is starting: wait until it is initialized and has read the corpus.
    vim.wait(M.served_timeout_ms, function()
      local status = M.statuses[client.id]
      return client:is_stopped() or (client.initialized and not (status and status.state == 'indexing'))
    end, 20)
    if client:is_stopped() or not client.initialized then
      reason = 'the noteproof server did not start'
    elseif not serves_documents(client) then
      reason = 'this noteproof server cannot show the text of PDFs; update noteproof'
    else
      local response, err = client:request_sync('workspace/textDocumentContent', { uri = uri }, M.served_timeout_ms)
      local status = M.statuses[client.id]
      if response and response.err and not (status and status.state == 'ready') then
        -- Asked before the first index was done: once the corpus is read, ask again.
        vim.wait(M.served_timeout_ms, function()
          local now = M.statuses[client.id]
          return client:is_stopped() or (now and now.state == 'ready')
        end, 20)
        response, err = client:request_sync('workspace/textDocumentContent', { uri = uri }, M.served_timeout_ms)
      end
      if not response then
        reason = 'the noteproof server did not answer (' .. (err or 'it stopped') .. ')'
      elseif response.err then
        reason = response.err.message or tostring(response.err)
      elseif type(response.result) == 'table' and type(response.result.text) == 'string' then
        return response.result.text
      else
        reason = 'the noteproof server answered without a text'
      end
    end
  end
  return nil, reason
end

--- Fills a `noteproof:///…` buffer with the text the server serves, read-only (the `BufReadCmd`
--- of plugin/noteproof.lua). Failures are told with vim.notify, never raised.
---@param bufnr integer
---@return boolean filled
function M.read_served(bufnr)
  local uri = vim.api.nvim_buf_get_name(bufnr)
  local ok, text, err = pcall(M.served_text, uri)
  if not ok then
    text, err = nil, tostring(text)
  end
  -- buftype first: no FileType may start a language server for this buffer, and it is never written.
  vim.bo[bufnr].buftype = 'nofile'
  vim.bo[bufnr].bufhidden = 'hide'
  vim.bo[bufnr].swapfile = false
  vim.bo[bufnr].modifiable = true
  local lines = {}
  if text then
    lines = vim.split(text, '\r?\n')
    if #lines > 1 and lines[#lines] == '' then
      table.remove(lines) -- the final newline ends the last line; it does not start another
    end
  end
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  vim.bo[bufnr].modifiable = false
  vim.bo[bufnr].readonly = true
  vim.bo[bufnr].modified = false
  vim.bo[bufnr].filetype = 'text'
  if not text then
    notify('cannot show ' .. (M.served_path(uri) or uri) .. ': ' .. (err or 'no text'), vim.log.levels.ERROR)
    return false
  end
  return true
end

--- Configures the plugin and starts the server for markdown buffers in noteproof workspaces.
---@param opts? noteproof.Options
function M.setup(opts)
  M.options = merge(M.defaults, opts)
  local group = vim.api.nvim_create_augroup('noteproof', { clear = true })
  if M.options.autostart == false then
    return
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.options.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  -- Buffers opened before setup() (lazy loading on `ft = "markdown"`).
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(M.options.filetypes, vim.bo[buf].filetype) then
      M.start(buf)
    end
  end
end

return M

-- End-to-end test of the noteproof Neovim plugin: a real Neovim, the real server.
--
--   nvim --headless --clean -n -i NONE -l e2e.lua <mode> <repo-root> <noteproof-binary>
--
-- mode "setup":  require("noteproof").setup({ cmd, corpus }) and the full walk-through.
-- mode "enable": Neovim 0.11's vim.lsp.config("noteproof", ...) + vim.lsp.enable("noteproof")
--                with lsp/noteproof.lua from this plugin.
--
-- Prints "ok N - <check>" per check, "not ok N - <check>: <why>" per failure, then
-- "N passed, M failed"; exits non-zero on any failure. A watchdog ends it after 90 s.

local mode, repo, bin = arg[1], arg[2], arg[3]
local WATCHDOG_MS = 90000

local here = vim.fs.dirname(vim.fs.normalize(vim.uv.fs_realpath(debug.getinfo(1, 'S').source:sub(2))))
local plugin = vim.fs.dirname(here)

local passed, failed = 0, 0

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function finish()
  out(('nvim %s: %d passed, %d failed'):format(mode, passed, failed))
  os.exit(failed == 0 and 0 or 1)
end

local tmp -- the temporary workspace, removed on every exit

local function abort(message)
  if tmp then
    vim.fn.delete(tmp, 'rf')
  end
  failed = failed + 1
  out(('not ok %d - %s'):format(passed + failed, message))
  io.stderr:write(('noteproof nvim test (%s) FAILED: %s\n'):format(mode, message))
  local log = vim.lsp.get_log_path and vim.lsp.get_log_path()
  if log and vim.uv.fs_stat(log) then
    io.stderr:write('--- tail of ' .. log .. ' ---\n')
    local lines = vim.fn.readfile(log)
    for i = math.max(1, #lines - 30), #lines do
      io.stderr:write(lines[i] .. '\n')
    end
  end
  finish()
end

if not (mode and repo and bin) then
  abort('usage: nvim -l e2e.lua <setup|enable> <repo-root> <noteproof-binary>')
end
if vim.fn.executable(bin) ~= 1 then
  abort('the noteproof binary is not executable: ' .. bin)
end

-- Messages the plugin shows (vim.notify), for failure reports.
local notified = {}
vim.notify = function(message)
  table.insert(notified, message)
  out('# notify: ' .. tostring(message))
end

-- The watchdog: never hang, whatever the server or the client does.
local watchdog = assert(vim.uv.new_timer())
watchdog:start(WATCHDOG_MS, 0, function()
  io.stderr:write(('noteproof nvim test (%s): watchdog fired after %d s\n'):format(mode, WATCHDOG_MS / 1000))
  io.stdout:write(('nvim %s: %d passed, %d failed\n'):format(mode, passed, failed + 1))
  os.exit(3)
end)

--- A check that may fail without stopping the run: later checks do not depend on it.
local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    out(('ok %d - %s'):format(passed + failed, name))
  else
    failed = failed + 1
    out(('not ok %d - %s: %s'):format(passed + failed, name, tostring(err)))
  end
end

--- A step later checks need: a failure ends the run.
local function step(name, fn)
  local ok, err = pcall(fn)
  if not ok then
    abort(name .. ': ' .. tostring(err))
  end
  passed = passed + 1
  out(('ok %d - %s'):format(passed + failed, name))
end

-- A wait's limit: `ms` made generous (x3) and multiplied by NOTEPROOF_TEST_TIMEOUT_SCALE for slow
-- or loaded machines. Waits end as soon as their event arrives, so this costs nothing when all is well.
local function limit(ms)
  local scale = tonumber(vim.env.NOTEPROOF_TEST_TIMEOUT_SCALE or '') or 1
  if scale <= 0 then
    scale = 1
  end
  return math.floor(ms * 3 * scale)
end

local function wait_for(what, ms, predicate)
  if not vim.wait(limit(ms), predicate, 10) then
    error(('timed out after %d ms waiting for %s'):format(limit(ms), what), 2)
  end
end

local function expect(cond, message, ...)
  if not cond then
    error(select('#', ...) > 0 and message:format(...) or message, 2)
  end
end

local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(('%s: expected %s, got %s'):format(what, vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

-- ---------------------------------------------------------------------------
-- The workspace: the repository's seeds, one extra corpus folder, and a note.

local function write(path, text)
  vim.fn.mkdir(vim.fs.dirname(path), 'p')
  local file = assert(io.open(path, 'wb'))
  file:write(text)
  file:close()
end

local function read(path)
  local file = assert(io.open(path, 'rb'))
  local text = file:read('*a')
  file:close()
  return text
end

tmp = vim.fn.tempname() .. '-noteproof-ws'
vim.fn.mkdir(tmp, 'p')
tmp = vim.uv.fs_realpath(tmp)
for name, kind in vim.fs.dir(repo .. '/seeds') do
  if kind == 'file' then
    write(tmp .. '/seeds/' .. name, read(repo .. '/seeds/' .. name))
  end
end
write(tmp .. '/more/200_more.txt', 'A single extra article\n\nNothing else is in this folder.\n')

--- A minimal valid PDF, written by hand: one page, Helvetica, one text object per line
--- (`{ size, x, y, text }`), and a cross-reference table with each object's byte offset.
local function minimal_pdf(lines)
  local content = {}
  for _, line in ipairs(lines) do
    table.insert(content, ('BT /F1 %d Tf %d %d Td (%s) Tj ET'):format(line[1], line[2], line[3], line[4]))
  end
  local stream = table.concat(content, '\n') .. '\n'
  local objects = {
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ('<< /Length %d >>\nstream\n%sendstream'):format(#stream, stream),
  }
  local parts, offsets = { '%PDF-1.4\n' }, {}
  local size = #parts[1]
  for i, body in ipairs(objects) do
    offsets[i] = size
    local object = ('%d 0 obj\n%s\nendobj\n'):format(i, body)
    table.insert(parts, object)
    size = size + #object
  end
  -- Each xref entry is exactly 20 bytes: 10-digit offset, 5-digit generation, n/f, space, newline.
  local xref = { 'xref\n', ('0 %d\n'):format(#objects + 1), '0000000000 65535 f \n' }
  for _, offset in ipairs(offsets) do
    table.insert(xref, ('%010d 00000 n \n'):format(offset))
  end
  table.insert(parts, table.concat(xref))
  table.insert(parts, ('trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n'):format(#objects + 1, size))
  return table.concat(parts)
end

-- A report in the corpus as a PDF: its text is served as noteproof:///…/report.pdf.txt.
local pdf_path = tmp .. '/more/report.pdf'
local pdf_sentence = 'The review found that the alarm had been disabled in 2019.'
write(pdf_path, minimal_pdf({
  { 16, 72, 740, 'Review of the Station 4 fire alarm' },
  { 12, 72, 700, pdf_sentence },
  { 12, 72, 660, 'Nobody was hurt when the fire started in the kitchen.' },
}))
local pdf_uri = 'noteproof:' .. vim.uri_from_fname(pdf_path):sub(#'file:' + 1) .. '.txt'

-- examples/brief.md, plus lines with known problems for the editor checks.
local note_text = read(repo .. '/examples/brief.md')
  .. '\n## 4. Editor checks\n\n'
  .. 'Four attackers set fire to the venue [@002].\n'
  .. 'The toll rose again [@0003].\n'
  .. 'Bortnikov said the attack was coordinated “via the internet by members of Khorasan Province”.\n'
  .. 'The regional press tally [@105] is unverified.\n'
  .. 'The station’s inspectors wrote that “the alarm had been disabled in 2019” [@report, p. 1].\n'
local note_path = tmp .. '/notes/brief.md'
write(note_path, note_text)

local seed_002 = tmp .. '/seeds/002_768581a09abd6eab.txt'

--- 0-based line and byte column of the first `needle` in `lines` (a list), or error.
local function find(lines, needle)
  for i, line in ipairs(lines) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
  error('not found: ' .. needle, 2)
end

local function note_lines(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

-- ---------------------------------------------------------------------------
-- Start the client the way a user would.

vim.opt.runtimepath:prepend(plugin)
vim.cmd('filetype plugin on')
vim.cmd('runtime! plugin/noteproof.lua')
vim.o.swapfile = false

if mode == 'setup' then
  require('noteproof').setup({ cmd = { bin, 'lsp' }, corpus = { 'seeds', 'more' } })
elseif mode == 'enable' then
  vim.lsp.config('noteproof', { cmd = { bin, 'lsp' }, settings = { noteproof = { corpus = { 'seeds', 'more' } } } })
  vim.lsp.enable('noteproof')
else
  abort('unknown mode ' .. mode)
end

local buf, client

step('opening a note in the workspace attaches the noteproof client (root = the folder with seeds/)', function()
  vim.cmd.edit(vim.fn.fnameescape(note_path))
  buf = vim.api.nvim_get_current_buf()
  eq(vim.bo[buf].filetype, 'markdown', 'filetype')
  wait_for('the noteproof client to attach', 10000, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'noteproof' }) == 1
  end)
  client = vim.lsp.get_clients({ bufnr = buf, name = 'noteproof' })[1]
  eq(client.root_dir, tmp, 'root_dir')
  eq(client.workspace_folders[1].name, tmp, 'workspace folder')
end)

local function diagnostics(code)
  return vim.tbl_filter(function(d)
    return code == nil or d.code == code
  end, vim.diagnostic.get(buf))
end

local function diagnostic_at(code, lnum)
  for _, d in ipairs(diagnostics(code)) do
    if d.lnum == lnum then
      return d
    end
  end
end

step('diagnostics arrive', function()
  wait_for('unknown-source diagnostics', 10000, function()
    return #diagnostics('unknown-source') >= 3
  end)
end)

--- The virtual-text extmarks vim.diagnostic drew for a diagnostics namespace in `buf`.
local function virtual_text_marks(ns)
  local virt_ns = vim.diagnostic.get_namespace(ns).user_data.virt_text_ns
  if not virt_ns then
    return {}
  end
  return vim.tbl_filter(function(mark)
    return mark[4].virt_text ~= nil
  end, vim.api.nvim_buf_get_extmarks(buf, virt_ns, 0, -1, { details = true }))
end

check("virtual text is on for noteproof's namespace only, and drawn", function()
  local ns = require('noteproof').namespace(client.id)
  eq(vim.diagnostic.config(nil, ns).virtual_text, true, "virtual_text in noteproof's namespace")
  eq(vim.diagnostic.config().virtual_text, false, "the global virtual_text (Neovim 0.11's default) is left alone")
  wait_for('virtual text in the note', 5000, function()
    return #virtual_text_marks(ns) > 0
  end)
end)

check('the corpus setting reaches the server: seeds/ + more/ = 7 articles, the PDF among them (noteproof/status)', function()
  wait_for('a ready status', 5000, function()
    local status = require('noteproof').statuses[client.id]
    return status and status.state == 'ready'
  end)
  eq(require('noteproof').statuses[client.id].articles, 7, 'articles')
  eq(require('noteproof').status(buf), 'noteproof: 7 articles', 'status()')
end)

check('unknown-source on `007` of [@007]: error, exact range', function()
  local lnum, col = find(note_lines(buf), '007]')
  local d = diagnostic_at('unknown-source', lnum)
  expect(d, 'no unknown-source on line %d: %s', lnum, vim.inspect(diagnostics()))
  eq({ d.lnum, d.col, d.end_lnum, d.end_col }, { lnum, col, lnum, col + 3 }, 'range')
  eq(d.severity, vim.diagnostic.severity.ERROR, 'severity')
  eq(d.source, 'noteproof', 'source')
end)

check('unknown-source on `0003` and `105`', function()
  local lines = note_lines(buf)
  local lnum, col = find(lines, '0003]')
  local d = diagnostic_at('unknown-source', lnum)
  expect(d, 'no unknown-source for 0003')
  eq({ d.col, d.end_col }, { col, col + 4 }, '0003 range')
  lnum, col = find(lines, '105]')
  d = diagnostic_at('unknown-source', lnum)
  expect(d, 'no unknown-source for 105')
  eq({ d.col, d.end_col }, { col, col + 3 }, '105 range')
end)

check('quote-wrong-source on the quotation cited to [@003]: warning, exact range', function()
  local lines = note_lines(buf)
  local lnum, col = find(lines, '“Ukrainian military') -- the quotation spans two lines
  local end_lnum, end_col = find(lines, 'attack” [@003]')
  end_col = end_col + #'attack”'
  local d = diagnostic_at('quote-wrong-source', lnum)
  expect(d, 'no quote-wrong-source on line %d: %s', lnum, vim.inspect(diagnostics()))
  eq({ d.lnum, d.col, d.end_lnum, d.end_col }, { lnum, col, end_lnum, end_col }, 'range')
  eq(d.severity, vim.diagnostic.severity.WARN, 'severity')
  expect(d.message:find('The cited source, 27 Mar 2024 [@003], does not contain', 1, true), 'message: %s', d.message)
end)

check('quote-uncited hint on the uncited quotation', function()
  local lnum = find(note_lines(buf), 'via the internet by members of Khorasan Province”.')
  local d = diagnostic_at('quote-uncited', lnum)
  expect(d, 'no quote-uncited on line %d: %s', lnum, vim.inspect(diagnostics()))
  eq(d.severity, vim.diagnostic.severity.HINT, 'severity')
end)

--- Puts the cursor on the first `needle`, `offset` bytes in.
local function set_cursor_at(needle, offset)
  local lnum, col = find(note_lines(buf), needle)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col + (offset or 0) })
end

check('hover on [@000] (textDocument/hover): the article title and a quoted sentence', function()
  set_cursor_at('were injured [@000]', #'were injured [@')
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 5000)
  local response = responses and responses[client.id]
  expect(response and response.result, 'no hover: %s', vim.inspect(responses))
  local markdown = response.result.contents.value
  expect(markdown:find('Efforts to search for and rescue injured people', 1, true), 'title missing: %s', markdown)
  expect(markdown:find('\n> ', 1, true), 'no quoted sentence: %s', markdown)
  expect(markdown:find('had risen to 139, including 3 children', 1, true), 'not the best sentence: %s', markdown)
  expect(markdown:find('000_e88b43032ae58550.txt#L', 1, true), 'no line link: %s', markdown)
end)

check('vim.lsp.buf.hover() opens a float with the title and the quote', function()
  set_cursor_at('were injured [@000]', #'were injured [@')
  local before = vim.api.nvim_get_current_win()
  vim.lsp.buf.hover()
  local float
  wait_for('a hover float', 5000, function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        float = win
        return true
      end
    end
  end)
  local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), '\n')
  vim.api.nvim_win_close(float, true)
  vim.api.nvim_set_current_win(before)
  expect(text:find('Efforts to search for and rescue injured people', 1, true), 'float text: %s', text)
  expect(text:find('had risen to 139', 1, true), 'float text: %s', text)
end)

check('vim.lsp.buf.definition() on [@002] lands in seeds/002_….txt on the matching sentence', function()
  set_cursor_at('venue [@002]', #'venue [@')
  vim.lsp.buf.definition()
  wait_for('a jump to seeds/002_768581a09abd6eab.txt', 5000, function()
    return vim.api.nvim_buf_get_name(0) == seed_002
  end)
  local lnum, col = find(vim.split(read(seed_002), '\n', { plain = true }), 'Four attackers shot')
  eq(vim.api.nvim_win_get_cursor(0), { lnum + 1, col }, 'cursor')
  vim.cmd.buffer(buf)
  eq(vim.api.nvim_get_current_buf(), buf, 'back in the note')
end)

check('`noteproof check` reads the hand-written PDF: no warning about it, its quotation and page check out', function()
  local result = vim.system({ bin, 'check', '--no-cache', '--fail-on', 'never', '--corpus', 'seeds', '--corpus', 'more', 'notes/brief.md' }, { cwd = tmp, text = true }):wait(limit(20000))
  local output = (result.stdout or '') .. (result.stderr or '')
  eq(result.code, 0, 'exit code (output: ' .. output .. ')')
  expect(output:find('against 7 article(s)', 1, true), 'not 7 articles read: %s', output)
  for _, line in ipairs(vim.split(output, '\n')) do
    expect(not (line:find('report.pdf', 1, true) and line:find('warning', 1, true)), 'a warning about the PDF: %s', line)
  end
  local lnum = find(vim.split(note_text, '\n', { plain = true }), '[@report, p. 1]')
  expect(not output:find('notes/brief.md:' .. (lnum + 1) .. ':', 1, true), 'a finding on the PDF quotation: %s', output)
end)

check('no diagnostic on the quotation of the PDF (the quote is on the cited page)', function()
  local lnum = find(note_lines(buf), '[@report, p. 1]')
  local here = vim.tbl_filter(function(d)
    return d.lnum == lnum or d.end_lnum == lnum
  end, diagnostics())
  eq(here, {}, 'diagnostics on line ' .. lnum)
end)

--- Runs `fn`, then goes back to the note in any case, so that a failure leaves later checks their buffer.
local function then_back_to_note(fn)
  return function()
    local ok, err = pcall(fn)
    pcall(vim.cmd.buffer, buf)
    if not ok then
      error(err, 0)
    end
  end
end

check('vim.lsp.buf.definition() on the quotation of a PDF opens noteproof:///…/report.pdf.txt, read-only, on the sentence', then_back_to_note(function()
  set_cursor_at('“the alarm had been', #'“the ')
  vim.lsp.buf.definition()
  local shown = vim.wait(limit(5000), function()
    return vim.api.nvim_buf_get_name(0) == pdf_uri
  end, 10)
  expect(shown, 'no jump to %s (current buffer %s); the plugin said: %s', pdf_uri, vim.api.nvim_buf_get_name(0), vim.inspect(notified))
  local served = vim.api.nvim_get_current_buf()
  local lines = vim.api.nvim_buf_get_lines(served, 0, -1, false)
  local lnum = find(lines, pdf_sentence)
  expect(lnum > 0, 'the sentence is on the first line: the cursor check would prove little: %s', vim.inspect(lines))
  eq(vim.api.nvim_win_get_cursor(0)[1], lnum + 1, 'cursor line')
  expect(lines[1]:find('Review of the Station 4 fire alarm', 1, true), 'the title line: %s', vim.inspect(lines))
  eq(vim.bo[served].readonly, true, 'readonly')
  eq(vim.bo[served].modifiable, false, 'modifiable')
  eq(vim.bo[served].buftype, 'nofile', 'buftype')
  eq(vim.bo[served].swapfile, false, 'swapfile')
  eq(vim.bo[served].filetype, 'text', 'filetype')
  eq(vim.bo[served].modified, false, 'modified')
  eq(#vim.lsp.get_clients({ bufnr = served }), 0, 'no language server on the served document')
  local edited = pcall(vim.api.nvim_buf_set_lines, served, 0, 1, false, { 'changed' })
  eq(edited, false, 'the text can be changed')
end))

check(':edit of a document the server does not serve: a plain message, an empty read-only buffer, no error', then_back_to_note(function()
  local missing = 'noteproof:///nowhere/missing.pdf.txt'
  local before = #notified
  local ok, err = pcall(vim.cmd.edit, vim.fn.fnameescape(missing))
  expect(ok, ':edit raised: %s', tostring(err))
  eq(vim.api.nvim_buf_get_name(0), missing, 'buffer name')
  local message = table.concat(vim.list_slice(notified, before + 1), '\n')
  expect(message:find('noteproof: cannot show /nowhere/missing.pdf: ', 1, true), 'message: %s', message)
  expect(message:find('not in the corpus', 1, true), 'the server\'s reason is missing: %s', message)
  expect(not message:find('stack traceback', 1, true), 'a traceback: %s', message)
  eq(vim.api.nvim_buf_get_lines(0, 0, -1, false), { '' }, 'lines')
  eq(vim.bo.modifiable, false, 'modifiable')
end))

check('code action "Cite 27 Mar 2024 [@003] instead" (apply = true, filter) turns [@0003] into [@003]', function()
  set_cursor_at('[@0003]', 3)
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      return action.title == 'Cite 27 Mar 2024 [@003] instead'
    end,
  })
  local lnum = find(note_lines(buf), 'The toll rose again')
  wait_for('the edit', 5000, function()
    return vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1] == 'The toll rose again [@003].'
  end)
  wait_for('the diagnostic on that line to go', 5000, function()
    return diagnostic_at('unknown-source', lnum) == nil
  end)
end)

check('code action "Cite [@001]" adds a citation to the uncited quotation', function()
  set_cursor_at('“via the internet by members', 6)
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      return action.title == 'Cite [@001]'
    end,
  })
  local lnum = find(note_lines(buf), 'Khorasan Province”')
  wait_for('the citation', 5000, function()
    return vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1]:find('[@001]', 1, true) ~= nil
  end)
  wait_for('quote-uncited to go', 5000, function()
    return diagnostic_at('quote-uncited', lnum) == nil
  end)
end)

check('writing seeds/105_new.txt while the note is open clears unknown-source on [@105] within 2 s', function()
  local lnum = find(note_lines(buf), '[@105]')
  expect(diagnostic_at('unknown-source', lnum), 'precondition: [@105] is unknown')
  local started = vim.uv.hrtime()
  write(tmp .. '/seeds/105_new.txt', 'Regional press tally of the Crocus City Hall attack\n\nThe regional press reported that the toll had risen to 143 by Sunday evening.\n')
  wait_for('[@105] to resolve', 2000, function()
    return diagnostic_at('unknown-source', lnum) == nil
  end)
  out(('#   [@105] resolved %d ms after the file was written'):format((vim.uv.hrtime() - started) / 1e6))
  eq(#diagnostics('unknown-source'), 1, 'only [@007] is left unknown')
end)

check(':NoteproofReindex re-indexes (a new ready status with 8 articles)', function()
  local before = require('noteproof').statuses[client.id]
  vim.cmd('NoteproofReindex')
  wait_for('a new ready status', 5000, function()
    local status = require('noteproof').statuses[client.id]
    return status ~= before and status.state == 'ready'
  end)
  eq(require('noteproof').statuses[client.id].articles, 8, 'articles')
end)

check(':NoteproofFacts opens the fact sheet in a read-only scratch markdown buffer', function()
  vim.cmd('NoteproofFacts')
  local facts
  local shown = vim.wait(limit(5000), function()
    facts = vim.fn.bufnr('noteproof://facts')
    return facts ~= -1 and vim.api.nvim_get_current_buf() == facts
  end, 10)
  expect(shown, 'no noteproof://facts buffer within 5 s; the plugin said: %s', vim.inspect(notified))
  eq(vim.bo[facts].filetype, 'markdown', 'filetype')
  eq(vim.bo[facts].buftype, 'nofile', 'buftype')
  eq(vim.bo[facts].modifiable, false, 'modifiable')
  local text = table.concat(vim.api.nvim_buf_get_lines(facts, 0, -1, false), '\n')
  expect(vim.trim(text) ~= '', 'the fact sheet is empty')
  expect(text:find('# Fact sheet', 1, true), 'no "# Fact sheet" heading: %s', text)
  expect(text:find('\n## Killed\n', 1, true), 'no "Killed" section: %s', text)
  expect(text:find('Agencies `[@000]`', 1, true), 'no row citing [@000]: %s', text)
  eq(#vim.lsp.get_clients({ bufnr = facts }), 0, 'no language server on the scratch buffer')
end)

check(':NoteproofReport writes the workspace report and opens it with vim.ui.open', function()
  local opened
  local original = vim.ui.open
  vim.ui.open = function(path)
    opened = path
    return nil, nil
  end
  local ok, err = pcall(function()
    vim.cmd('NoteproofReport')
    wait_for('the report to be opened', 20000, function()
      return opened ~= nil
    end)
  end)
  vim.ui.open = original
  expect(ok, '%s; the plugin said: %s', tostring(err), vim.inspect(notified))
  eq(opened, require('noteproof').last_report, 'the file opened')
  local page = read(opened)
  expect(page:sub(1, 15) == '<!DOCTYPE html>', 'not an HTML page: %s', page:sub(1, 80))
  expect(page:find('data-note="notes/brief.md"', 1, true), 'no summary row for the note')
  expect(page:find('data-code="figure-contradiction"', 1, true), 'no figure-contradiction row')
  expect(page:find('data-measure="killed"', 1, true), 'no death-toll timeline')
  os.remove(opened)
end)

-- Shut down cleanly: the server must exit after shutdown/exit.
check('the server exits after client:stop()', function()
  local pid = client.rpc and client.rpc.pid
  client:stop()
  wait_for('the client to stop', 5000, function()
    return client:is_stopped()
  end)
  if pid then
    wait_for('the server process to exit', 3000, function()
      return vim.uv.kill(pid, 0) ~= 0
    end)
  end
end)

check("a virtual_text the user set is kept: a new client leaves it and its namespace alone", function()
  local mine = { prefix = '»', severity = { min = vim.diagnostic.severity.WARN } }
  vim.diagnostic.config({ virtual_text = mine })
  vim.cmd.buffer(buf) -- the fact sheet is the current buffer
  vim.cmd('edit!') -- FileType again: setup()'s autocmd or vim.lsp.enable() starts a new client
  local again
  wait_for('a new noteproof client', 10000, function()
    again = vim.lsp.get_clients({ bufnr = buf, name = 'noteproof' })[1]
    return again ~= nil and again.id ~= client.id
  end)
  local ns = require('noteproof').namespace(again.id)
  wait_for('diagnostics from the new client', 10000, function()
    return #vim.diagnostic.get(buf, { namespace = ns }) > 0
  end)
  eq(vim.diagnostic.config(nil, ns).virtual_text, nil, "virtual_text in the new client's namespace")
  eq(vim.diagnostic.config().virtual_text, mine, 'the global virtual_text')
  again:stop()
  wait_for('the new client to stop', 5000, function()
    return again:is_stopped()
  end)
end)

check('opening noteproof:///…/report.pdf.txt while its server starts waits for it, then shows the text', then_back_to_note(function()
  local stale = vim.fn.bufnr(pdf_uri)
  if stale ~= -1 then
    vim.cmd.bwipeout(stale) -- the buffer of the jump above, with no server behind it now
  end
  vim.cmd.buffer(buf)
  vim.cmd('edit!') -- starts a new client
  local starting
  wait_for('a new noteproof client', 10000, function()
    starting = vim.tbl_filter(function(c)
      return not c:is_stopped()
    end, vim.lsp.get_clients({ name = 'noteproof' }))[1]
    return starting ~= nil
  end)
  local status = require('noteproof').statuses[starting.id]
  out(('#   the client was %s when the document was opened'):format(
    not starting.initialized and 'initializing' or (status and status.state or 'initialized, without a status')
  ))
  local ok, err = pcall(vim.cmd.edit, vim.fn.fnameescape(pdf_uri))
  expect(ok, ':edit raised: %s', tostring(err))
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  expect(pcall(find, lines, pdf_sentence), 'not the PDF text: %s; the plugin said: %s', vim.inspect(lines), vim.inspect(notified))
  eq(vim.bo.readonly, true, 'readonly')
  starting:stop()
  wait_for('the client to stop', 5000, function()
    return starting:is_stopped()
  end)
end))

vim.fn.delete(tmp, 'rf')
finish()

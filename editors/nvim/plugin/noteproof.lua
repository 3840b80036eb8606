-- :NoteproofFacts, :NoteproofReindex, :NoteproofReport, virtual text for noteproof's diagnostics, and
-- the read-only `noteproof:///…` documents (a PDF's text); the server itself starts from setup() or
-- vim.lsp.enable().
if vim.g.loaded_noteproof then
  return
end
vim.g.loaded_noteproof = true

vim.api.nvim_create_user_command('NoteproofFacts', function(args)
  require('noteproof').facts(args.mods)
end, { desc = 'noteproof: show the corpus fact sheet in a scratch markdown buffer' })

vim.api.nvim_create_user_command('NoteproofReindex', function()
  require('noteproof').reindex()
end, { desc = 'noteproof: re-read the corpus and the notes' })

vim.api.nvim_create_user_command('NoteproofReport', function()
  require('noteproof').report()
end, { desc = 'noteproof: write the workspace report (HTML) and open it in the browser' })

-- On LspAttach, not in the client's on_attach, so that it holds for vim.lsp.enable() too, where a
-- user's on_attach would replace the plugin's.
vim.api.nvim_create_autocmd('LspAttach', {
  group = vim.api.nvim_create_augroup('noteproof_virtual_text', { clear = true }),
  desc = 'noteproof: show its diagnostics as virtual text',
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if client and client.name == require('noteproof').name then
      require('noteproof').enable_virtual_text(client.id)
    end
  end,
})

-- The text the server read from a PDF: a definition in a PDF is a `noteproof:///…/report.pdf.txt`
-- Location, which vim.lsp loads as a buffer of that name; the server serves its text
-- (`workspace/textDocumentContent`). Three slashes: `noteproof://facts` is the fact sheet's buffer.
vim.api.nvim_create_autocmd('BufReadCmd', {
  group = vim.api.nvim_create_augroup('noteproof_documents', { clear = true }),
  pattern = 'noteproof:///*',
  desc = 'noteproof: the read-only text of a PDF in the corpus, from the server',
  callback = function(args)
    require('noteproof').read_served(args.buf)
  end,
})

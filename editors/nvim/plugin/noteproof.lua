-- :NoteproofFacts, :NoteproofReindex, :NoteproofReport and virtual text for noteproof's diagnostics; the server
-- itself starts from setup() or vim.lsp.enable().
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

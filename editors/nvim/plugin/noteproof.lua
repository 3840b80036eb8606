-- :NoteproofFacts and :NoteproofReindex; the server itself starts from setup() or vim.lsp.enable().
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

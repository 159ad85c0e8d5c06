-- zinit in Neovim 0.11+, with no plugin: the language server and the
-- tree-sitter grammar. Save as ~/.config/nvim/plugin/zinit.lua.
vim.filetype.add({ extension = { zinit = "zinit" } })

vim.lsp.config("zinit", {
  cmd = { "zinit", "lsp" },
  filetypes = { "zinit" },
  root_markers = { ".git" },
})
vim.lsp.enable("zinit")

-- Highlighting and folding from the parser in ~/.config/nvim/parser/zinit.so
-- and the queries in ~/.config/nvim/queries/zinit/.
vim.api.nvim_create_autocmd("FileType", {
  pattern = "zinit",
  callback = function(args)
    vim.treesitter.start(args.buf, "zinit")
    vim.bo[args.buf].commentstring = "# %s"
    vim.wo.foldmethod = "expr"
    vim.wo.foldexpr = "v:lua.vim.treesitter.foldexpr()"
  end,
})

-- Run by tests/lsp.rs in a headless Neovim whose init is docs/editors.md's Neovim 0.7 snippet,
-- with song.tune open (errors on three lines): waits for the three diagnostics tunec lsp
-- publishes, prints them, fixes the first word and waits for two. Exit status 1 on a failure.
local ok = vim.wait(10000, function() return #vim.diagnostic.get(0) == 3 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do
  print(string.format("%d:%d-%d:%d %s %s", d.lnum, d.col, d.end_lnum, d.end_col, d.code or "", d.message:gsub("\n", " / ")))
end
if not ok then print("expected three diagnostics") vim.cmd("cquit 1") end
vim.api.nvim_buf_set_text(0, 0, 5, 0, 9, { "tune" })
ok = vim.wait(10000, function() return #vim.diagnostic.get(0) == 2 end, 50)
print("after the fix: " .. #vim.diagnostic.get(0) .. " diagnostics")
if not ok then vim.cmd("cquit 1") end
vim.cmd("qall!")

-- Fails while the file is loaded, before any rule is defined.
local prefix = string.trim("  R-  ")

return {
  id = "load-error",
  check = function(isms, report) end,
}

-- Asks for a gigabyte
return {
  id = "escape-memory",
  severity = "error",
  description = "Asks for a gigabyte",
  check = function(isms, report)
    local s = string.rep("x", 1024 * 1024 * 1024)
  end,
}

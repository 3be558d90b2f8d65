-- Tries to load Lua bytecode
return {
  id = "escape-bytecode",
  severity = "error",
  description = "Tries to load Lua bytecode",
  check = function(isms, report)
    local chunk = "\27Lua\84\0\25\147\r\n\26\n\4\8\8\120\86"
    local f = assert(load(chunk, "bytecode", "b"))
    f()
  end,
}

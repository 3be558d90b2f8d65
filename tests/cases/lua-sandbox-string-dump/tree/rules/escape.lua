-- Tries to dump a function as bytecode
return {
  id = "escape-dump",
  severity = "error",
  description = "Tries to dump a function as bytecode",
  check = function(isms, report)
    local code = string.dump(function() return 1 end)
  end,
}

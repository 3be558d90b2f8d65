-- Tries to write a record behind its metatable
return {
  id = "escape-rawset",
  severity = "error",
  description = "Tries to write a record behind its metatable",
  check = function(isms, report)
    rawset(isms.risks[1], "owner", "CEO")
  end,
}

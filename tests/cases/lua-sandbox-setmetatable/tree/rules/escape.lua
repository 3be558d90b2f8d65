-- Tries to replace a record's metatable
return {
  id = "escape-setmetatable",
  severity = "error",
  description = "Tries to replace a record's metatable",
  check = function(isms, report)
    setmetatable(isms.risks[1], {__index = function() return "CEO" end})
  end,
}

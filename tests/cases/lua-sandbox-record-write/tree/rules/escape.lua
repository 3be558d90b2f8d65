-- Tries to change a record
return {
  id = "escape-write",
  severity = "error",
  description = "Tries to change a record",
  check = function(isms, report)
    local r = isms.risks[1]
    r.owner = "CEO"
  end,
}

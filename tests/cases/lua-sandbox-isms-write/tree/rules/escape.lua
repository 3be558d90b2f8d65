-- Tries to empty the risk register
return {
  id = "escape-isms",
  severity = "error",
  description = "Tries to empty the risk register",
  check = function(isms, report)
    isms.risks = {}
  end,
}

-- Fails before the memory bomb runs
return {
  id = "fails-first",
  severity = "error",
  description = "Fails before the memory bomb runs",
  check = function(isms, report)
    local n = #isms.scope.title
  end,
}

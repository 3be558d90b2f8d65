return {
  id = "asset-orphan",
  severity = "error",
  check = function(isms, report) end,
}

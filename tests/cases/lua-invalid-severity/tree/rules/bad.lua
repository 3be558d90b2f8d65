return {
  id = "bad-severity",
  severity = "critical",
  check = function(isms, report)
  end,
}

return {
  severity = "warning",
  description = "A rule without an id",
  check = function(isms, report)
  end,
}

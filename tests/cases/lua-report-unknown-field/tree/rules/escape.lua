-- Reports at a derived value, which has no line
return {
  id = "level-field",
  severity = "warning",
  description = "Reports at a derived value, which has no line",
  check = function(isms, report)
    for _, r in ipairs(isms.risks) do
      report(r, "level", "risk %s is %s", r.id, r.level)
    end
  end,
}

-- The same rule again, copied into a second file.
return {
  id = "critical-risk-owner",
  severity = "warning",
  description = "Critical risks are owned by the CEO",
  check = function(isms, report)
    for _, r in ipairs(isms.risks) do
      report(r, "owner", "second copy")
    end
  end,
}

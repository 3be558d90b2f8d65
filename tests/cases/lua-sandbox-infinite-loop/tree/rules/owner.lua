-- Critical risks are owned by the CEO (the example rule of SPEC §2).
return {
  id = "critical-risk-owner",
  severity = "error",
  description = "Critical risks are owned by an executive",
  check = function(isms, report)
    for _, r in ipairs(isms.risks) do
      if r.level == "Critical" and r.owner ~= "CEO" then
        report(r, "owner", "critical risk %s must be owned by the CEO, not %s", r.id, r.owner)
      end
    end
  end,
}

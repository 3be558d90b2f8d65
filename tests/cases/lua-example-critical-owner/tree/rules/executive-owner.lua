-- Critical risks are owned by a member of the executive team: top management takes
-- responsibility for the risks that could sink the organisation (ISO/IEC 27001 5.1, 6.1.2 c).
local executives = {CEO = true, CFO = true, COO = true, CTO = true}

return {
  id = "critical-risk-executive-owner",
  severity = "error",
  description = "Critical risks are owned by a member of the executive team",
  check = function(isms, report)
    for _, r in ipairs(isms.risks) do
      if r.level == "Critical" and not executives[r.owner] then
        report(r, "owner", "critical risk %s (score %d) is owned by %s; an executive (CEO, CFO, COO or CTO) must own it",
               r.id, r.score, r.owner)
      end
    end
  end,
}

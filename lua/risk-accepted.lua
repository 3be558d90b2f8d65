-- risk-accepted: a risk that is accepted, or left with a residual score above accept_max,
-- records who accepted it and when (ISO 27001 6.1.3 f: risk owners' approval).
return {
  id = "risk-accepted",
  severity = "error",
  description = "An accepted risk, or one left above accept_max, records who accepted it and when",
  fix = "Record `acceptance: {by: ROLE, date: YYYY-MM-DD}` on the risk: who accepted it, and when.",
  check = function(isms, report)
    local method = isms.config.risk or {}
    local accept_max = method.accept_max
    for _, r in ipairs(isms.risks) do
      -- An acceptance that is there but incomplete or mistyped (no `by`, an invalid date)
      -- is already a schema-required or date-invalid error at the exact value: one mistake,
      -- one diagnostic.
      local recorded = r.acceptance ~= nil
      if not recorded then
        if r.treatment == "accept" then
          report(r, "treatment", "risk %s is accepted but records no acceptance {by, date}", r.id)
        elseif accept_max and r.residual_score and r.residual_score > accept_max then
          report(r, "residual",
                 "risk %s is left at residual score %d, above accept_max %d, without an acceptance {by, date}",
                 r.id, r.residual_score, accept_max)
        end
      end
    end
  end,
}

-- residual-accepted: the residual risk of every risk that is not avoided is accepted by
-- someone, with a date (ISO 27001 6.1.3 f: risk owners accept the residual risks). Risks
-- that risk-accepted already reports (accepted, or left above accept_max, with no
-- acceptance) are left to it: one mistake, one diagnostic.
return {
  id = "residual-accepted",
  severity = "warning",
  description = "Every risk that is not avoided records who accepted its residual risk",
  fix = "Record `acceptance: {by: ROLE, date: YYYY-MM-DD}` on the risk once its owner has accepted the residual risk.",
  check = function(isms, report)
    local accept_max = (isms.config.risk or {}).accept_max
    for _, r in ipairs(isms.risks) do
      local above = accept_max and r.residual_score and r.residual_score > accept_max
      if r.acceptance == nil and r.treatment and r.treatment ~= "avoid" and r.treatment ~= "accept" and not above then
        if r.residual then
          report(r, "residual", "no one has accepted the residual risk of risk %s (residual score %d): add acceptance: {by, date}",
                 r.id, r.residual_score)
        else
          report(r, "treatment", "no one has accepted the residual risk of risk %s (treatment %s): add acceptance: {by, date}",
                 r.id, r.treatment)
        end
      end
    end
  end,
}

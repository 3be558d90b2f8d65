-- risk-reassessment-due: a risk last assessed longer ago than risk.reassess_days is due for
-- reassessment (ISO 27001 8.2: at planned intervals). Runs only when reassess_days is set;
-- a risk without an `assessed` date is not judged.
return {
  id = "risk-reassessment-due",
  severity = "warning",
  description = "A risk was assessed within risk.reassess_days",
  fix = "Reassess the risk (likelihood, impact, residual) and set `assessed:` to the date you did.",
  check = function(isms, report)
    local max_days = (isms.config.risk or {}).reassess_days
    if not max_days then
      return
    end
    for _, r in ipairs(isms.risks) do
      if r.assessed then
        local age = days_between(r.assessed, isms.today)
        if age > max_days then
          report(r, "assessed", "risk %s was last assessed %d %s ago, more than risk.reassess_days (%d)",
                 r.id, age, age == 1 and "day" or "days", max_days)
        end
      end
    end
  end,
}

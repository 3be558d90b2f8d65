-- acceptance-expired: a risk acceptance given until a date is no longer in force after it;
-- the risk is due for a new decision.
return {
  id = "acceptance-expired",
  severity = "warning",
  description = "A risk acceptance is within its `until` date",
  fix = "Reassess the risk and have it accepted again with a new `acceptance: {by, date, until}`, or treat it.",
  check = function(isms, report)
    for _, r in ipairs(isms.risks) do
      local a = r.acceptance
      if a and a["until"] and a["until"] < isms.today then
        report(r, "acceptance", "the acceptance of risk %s by %s expired on %s: accept it again or treat it",
               r.id, a.by or "?", a["until"])
      end
    end
  end,
}

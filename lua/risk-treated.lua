-- risk-treated: a risk to mitigate, transfer or avoid has a treatment that is not cancelled.
local needs_treatment = {mitigate = true, transfer = true, avoid = true}

return {
  id = "risk-treated",
  severity = "error",
  description = "A risk to mitigate, transfer or avoid has a treatment",
  fix = "Add a treatment record whose `risks:` names the risk, or change its `treatment:` to accept (with an acceptance).",
  check = function(isms, report)
    for _, r in ipairs(isms.risks) do
      if needs_treatment[r.treatment] then
        local live = any(r.treatments, function(t) return t.status ~= "cancelled" end)
        if not live then
          report(r, "treatment", "risk %s is to %s, but no treatment (other than cancelled ones) treats it",
                 r.id, r.treatment)
        end
      end
    end
  end,
}

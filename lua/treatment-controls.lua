-- treatment-controls: a treatment of a risk to mitigate selects at least one control, so
-- the SoA can show which controls the risk relies on.
return {
  id = "treatment-controls",
  severity = "warning",
  description = "A mitigating treatment selects at least one control",
  fix = "List the controls the treatment puts in place under `controls:`.",
  check = function(isms, report)
    for _, t in ipairs(isms.treatments) do
      local mitigating = any(t.risks, function(r) return r.treatment == "mitigate" end)
      if mitigating and #(t.controls or {}) == 0 and t.status ~= "cancelled" then
        report(t, "controls", "treatment %s mitigates a risk but selects no control", t.id)
      end
    end
  end,
}

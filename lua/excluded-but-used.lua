-- excluded-but-used: an excluded control cannot be relied on by a treatment or a policy.
-- Reported at the reference, where the fix usually is.
return {
  id = "excluded-but-used",
  severity = "error",
  description = "An excluded control is not selected by a treatment or claimed by a policy",
  fix = "Either make the control applicable again (with its status and owner), or remove it from the treatment's or policy's `controls:` (and the control's `policies:`).",
  check = function(isms, report)
    for _, c in ipairs(isms.controls) do
      if c.recorded and c.applicable == false then
        for _, t in ipairs(c.treatments) do
          report(t, "controls", index_of(t.controls, c),
                 "treatment %s selects control %s, which is excluded (applicable: false)", t.id, c.id)
        end
        for _, p in ipairs(c.covered_by) do
          local i = index_of(p.controls, c)
          if i then
            report(p, "controls", i, "policy %s claims control %s, which is excluded (applicable: false)", p.id, c.id)
          else
            report(c, "policies", index_of(c.policies, p),
                   "control %s is excluded but names policy %s", c.id, p.id)
          end
        end
      end
    end
  end,
}

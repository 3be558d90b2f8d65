-- exclusion-justified: a control excluded from the SoA says why (ISO 27001 6.1.3 d).
return {
  id = "exclusion-justified",
  severity = "error",
  description = "An excluded control states a justification",
  fix = "Add `justification:` saying why the control does not apply (no premises, no in-house development, ...).",
  check = function(isms, report)
    for _, c in ipairs(isms.controls) do
      if c.recorded and c.applicable == false and is_blank(c.justification) then
        report(c, "applicable", "control %s is excluded without a justification", c.id)
      end
    end
  end,
}

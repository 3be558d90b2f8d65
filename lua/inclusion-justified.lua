-- inclusion-justified: an applicable control is there for a reason: a risk whose treatment
-- selects it, or a declared reason (legal, contractual, business, best-practice).
return {
  id = "inclusion-justified",
  severity = "warning",
  description = "An applicable control has a risk or a declared reason",
  fix = "Let a risk's treatment select the control (`controls:` of a treatment), declare `reasons: [legal, contractual, business, best-practice]`, or exclude it with `applicable: false` and a justification.",
  check = function(isms, report)
    for _, c in ipairs(isms.controls) do
      if c.recorded and c.applicable == true and #c.risks == 0 and #(c.reasons or {}) == 0 then
        report(c, "applicable",
               "control %s is applicable but no risk's treatment selects it and it declares no reasons",
               c.id)
      end
    end
  end,
}

-- implementation-described: an implemented control says how (body text) or shows it
-- (evidence): an auditor will ask for one of the two.
return {
  id = "implementation-described",
  severity = "warning",
  description = "An implemented control has body text or evidence",
  fix = "Describe how the control is implemented in the record's body, or list `evidence:` that shows it.",
  check = function(isms, report)
    for _, c in ipairs(isms.controls) do
      if c.status == "implemented" and is_blank(c.body) and #(c.evidence or {}) == 0 then
        report(c, "status", "control %s is implemented but has neither a description nor evidence", c.id)
      end
    end
  end,
}

-- soa-complete: every control of the catalog has a control record, so the Statement of
-- Applicability decides each one. A missing record is reported at the manifest's `catalog:`.
return {
  id = "soa-complete",
  severity = "error",
  description = "Every catalog control has a control record",
  fix = "Add a record under controls/ for each control the message lists (`ismsc init` writes one stub per control).",
  check = function(isms, report)
    for _, c in ipairs(isms.controls) do
      if c.in_catalog and not c.recorded then
        report(c, "control %s (%s) has no control record: add one saying whether it applies",
               c.id, c.title)
      end
    end
  end,
}

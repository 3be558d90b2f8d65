-- finding-nonconformity: a major or minor finding is a nonconformity, so a nonconformity
-- record takes it through correction and corrective action (ISO 27001 10.2).
-- Observations and opportunities need none.
return {
  id = "finding-nonconformity",
  severity = "error",
  description = "A major or minor audit finding is recorded as a nonconformity",
  fix = "Add a nonconformity record with `finding: FINDING-ID`, `source: audit` and its correction and actions.",
  check = function(isms, report)
    for _, f in ipairs(isms.findings) do
      if (f.type == "major" or f.type == "minor") and #(f.nonconformities or {}) == 0 then
        report(f, "type", "%s finding %s of audit %s has no nonconformity: add one with finding: %s",
               f.type, f.id, f.audit and f.audit.id or "?", f.id)
      end
    end
  end,
}

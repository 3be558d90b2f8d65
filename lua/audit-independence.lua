-- audit-independence: an internal auditor does not audit their own work (ISO 27001 9.2.2 c:
-- objectivity and impartiality): the auditor of an internal audit owns none of the controls
-- in its scope. Names compare exactly, as `owner` and `auditor` are written.
return {
  id = "audit-independence",
  severity = "error",
  description = "An internal audit's auditor owns no control in its scope",
  fix = "Have someone who owns none of the audited controls audit them, or move those controls to another audit.",
  check = function(isms, report)
    for _, a in ipairs(isms.audits) do
      if a.type == "internal" and not is_blank(a.auditor) then
        local own = {}
        for _, c in ipairs(a.controls or {}) do
          if c.owner == a.auditor then
            own[#own + 1] = c.id
          end
        end
        if #own > 0 then
          report(a, "auditor", "auditor %s of internal audit %s owns %s in its scope: an auditor may not audit their own controls",
                 a.auditor, a.id, table.concat(own, ", "))
        end
      end
    end
  end,
}

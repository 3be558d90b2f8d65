-- audit-coverage: the internal audit programme covers the whole ISMS within a cycle
-- (ISO 27001 9.2.2): every clause of the catalog and every applicable control is in the
-- scope of an internal audit held within the last audit.cycle_months (36 when unset, the
-- length of a certification cycle) or planned within the next. Only internal audits count
-- (a certification or supplier audit is not the organisation's own programme); cancelled
-- ones do not. A tree with no internal audit at all is left to readiness (a note on 9.2),
-- so a new tree does not start with a warning per clause and control.

-- The date an audit covers its scope on: held audits by the date held, others by the date
-- planned (either stands in for the other when only one is given).
local function covers(audit, from, to)
  local date
  if audit.status == "done" then
    date = audit.date or audit.planned
    return date ~= nil and date >= from and date <= isms.today
  end
  date = audit.planned or audit.date
  return date ~= nil and date <= to
end

return {
  id = "audit-coverage",
  severity = "warning",
  description = "Every clause and applicable control is in an internal audit within the audit cycle",
  fix = "Add the clause to an internal audit's `clauses:` (or the control to its `controls:`), held within the cycle or planned within the next.",
  check = function(isms, report)
    local months = (isms.config.audit or {}).cycle_months or 36
    local from, to = add_months(isms.today, -months), add_months(isms.today, months)
    local audits = {}
    for _, a in ipairs(isms.audits) do
      if a.type == "internal" and a.status ~= "cancelled" then
        audits[#audits + 1] = a
      end
    end
    if #audits == 0 then
      return
    end
    local covered = {}
    for _, a in ipairs(audits) do
      if covers(a, from, to) then
        for _, x in ipairs(a.clauses or {}) do covered[x] = true end
        for _, x in ipairs(a.controls or {}) do covered[x] = true end
      end
    end
    for _, cl in ipairs(isms.clauses) do
      if not covered[cl] then
        report(cl, "clause %s (%s) is in no internal audit held since %s or planned by %s: add it to an audit's clauses:",
               cl.id, cl.title, from, to)
      end
    end
    for _, c in ipairs(isms.controls) do
      if c.recorded and c.applicable == true and not covered[c] then
        report(c, "applicable", "control %s is applicable but in no internal audit held since %s or planned by %s: add it to an audit's controls:",
               c.id, from, to)
      end
    end
  end,
}

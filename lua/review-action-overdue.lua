-- review-action-overdue: a management review decision past its due date that is neither
-- done nor cancelled (ISO 27001 9.3.3: the results include decisions; 9.3.2 a follows them up).
return {
  id = "review-action-overdue",
  severity = "warning",
  description = "A management review decision past its due date is done",
  fix = "Carry out the decision and set its `status: done`, or agree a new `due:` date at the next review.",
  check = function(isms, report)
    for _, r in ipairs(isms.reviews) do
      for i, d in ipairs(r.decisions or {}) do
        if overdue(d.due, d.status) then
          local owner = d.owner and string.format(" (owner %s)", d.owner) or ""
          report(r, "decisions", i, "decision %d of management review %s%s was due on %s and is %s",
                 i, r.id, owner, d.due, d.status or "not done")
        end
      end
    end
  end,
}

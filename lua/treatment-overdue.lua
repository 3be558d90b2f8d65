-- treatment-overdue: a treatment past its due date that is neither done nor cancelled.
return {
  id = "treatment-overdue",
  severity = "warning",
  description = "A treatment past its due date is done",
  fix = "Finish the treatment and set `status: done`, or agree a new `due:` date.",
  check = function(isms, report)
    local today = isms.today
    for _, t in ipairs(isms.treatments) do
      if t.due and t.due < today and t.status ~= "done" and t.status ~= "cancelled" then
        report(t, "due", "treatment %s was due on %s and is %s", t.id, t.due, t.status or "not done")
      end
    end
  end,
}

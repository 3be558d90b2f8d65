-- nc-action-overdue: a corrective action past its due date that is neither done nor
-- cancelled (an action with a `done` date counts as done).
return {
  id = "nc-action-overdue",
  severity = "warning",
  description = "A corrective action past its due date is done",
  fix = "Finish the action and set `status: done` and `done:`, or agree a new `due:` date.",
  check = function(isms, report)
    for _, n in ipairs(isms.nonconformities) do
      for i, a in ipairs(n.actions or {}) do
        if overdue(a.due, a.status) and a.done == nil then
          report(n, "actions", i, "corrective action %d of nonconformity %s (owner %s) was due on %s and is %s",
                 i, n.id, a.owner or "?", a.due, a.status or "not done")
        end
      end
    end
  end,
}

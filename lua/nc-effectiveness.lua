-- nc-effectiveness: a nonconformity is closed only after a review found its corrective
-- action effective (ISO 27001 10.2 d: review the effectiveness of any corrective action).
return {
  id = "nc-effectiveness",
  severity = "error",
  description = "A closed nonconformity has an effectiveness review that found it effective",
  fix = "Record `effectiveness: {by, date, effective: true}` once the corrective action is shown to work; until then keep the nonconformity open or verifying.",
  check = function(isms, report)
    for _, n in ipairs(isms.nonconformities) do
      if n.status == "closed" then
        local e = n.effectiveness
        if e == nil then
          report(n, "status", "nonconformity %s is closed without an effectiveness review: add effectiveness: {by, date, effective: true}",
                 n.id)
        elseif e.effective == false then
          report(n, "effectiveness", "nonconformity %s is closed but its effectiveness review by %s found the action not effective",
                 n.id, e.by or "?")
        end
      end
    end
  end,
}

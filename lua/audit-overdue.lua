-- audit-overdue: an audit still planned after its planned date: it was held and not
-- recorded, or it slipped and needs a new date.
return {
  id = "audit-overdue",
  severity = "warning",
  description = "A planned audit is not past its planned date",
  fix = "Record the audit as held (`status: done`, `date:`, its findings), or set a new `planned:` date.",
  check = function(isms, report)
    for _, a in ipairs(isms.audits) do
      if a.status == "planned" and a.planned and a.planned < isms.today then
        report(a, "planned", "audit %s was planned for %s and is still planned: record it as held or plan a new date",
               a.id, a.planned)
      end
    end
  end,
}

-- metric-current: a metric is measured as often as its `frequency` says (ISO 27001 9.1 c:
-- when monitoring is performed). A metric never measured has no due date and is not judged
-- here; readiness notes a tree with no measurement at all.
return {
  id = "metric-current",
  severity = "warning",
  description = "A metric's next measurement is not overdue",
  fix = "Add the missing measurement to `measurements:` or to the metric's `data` CSV.",
  check = function(isms, report)
    for _, m in ipairs(isms.metrics) do
      if m.due and m.due < isms.today then
        report(m, "frequency", "metric %s is measured %s; the last measurement is of %s, so the next was due on %s: add it to %s",
               m.id, m.frequency, m.latest.date, m.due, m.data or "measurements:")
      end
    end
  end,
}

-- metric-target: a metric whose latest value misses its target. A note, not a warning: a
-- missed target is information for the management review (9.3.2 c), not a defect of the tree.
return {
  id = "metric-target",
  severity = "note",
  description = "A metric's latest value meets its target",
  fix = "Nothing to fix in the tree: act on the result (an objective's plan, a corrective action), or revise the `target:` if it was wrong.",
  check = function(isms, report)
    for _, m in ipairs(isms.metrics) do
      if m.latest and m.met == false then
        local unit = m.unit or ""
        report(m, "target", "metric %s is at %s%s on %s, %s its target of %s%s",
               m.id, tostring(m.latest.value), unit, m.latest.date,
               m.direction == "at-most" and "above" or "below", tostring(m.target), unit)
      end
    end
  end,
}

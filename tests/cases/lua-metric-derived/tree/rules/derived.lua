-- A metric's derived values: series (inline and CSV, by date), latest, met, due.
return { id = "metric-derived", severity = "note", check = function(isms, report)
  for _, m in ipairs(isms.metrics) do
    local parts = {}
    for _, p in ipairs(m.series) do
      parts[#parts + 1] = p.date .. "=" .. p.value .. (p.note and (" (" .. p.note .. ")") or "")
    end
    report(m, "target", "%s: series [%s]; latest %s; met %s; due %s", m.id,
           table.concat(parts, "; "), m.latest and m.latest.date or "nil", tostring(m.met),
           m.due or "nil")
  end
end }

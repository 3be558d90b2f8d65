return { id = "finding-reported", severity = "warning", check = function(isms, report)
  for _, f in ipairs(isms.findings) do
    report(f, "type", "finding %s of %s is %s", f.id, f.audit.id, f.type)
  end
end }

return {
  id = "broken",
  severity = "error",
  check = function(isms, report)
    for _, r in ipairs(isms.risks) do
      report(r, "owner", "risk %s", r.id
    end
  end,
}

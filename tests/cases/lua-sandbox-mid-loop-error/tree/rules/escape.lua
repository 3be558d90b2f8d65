-- Lists who accepted each risk
return {
  id = "acceptance-listing",
  severity = "warning",
  description = "Lists who accepted each risk",
  check = function(isms, report)
    for _, r in ipairs(isms.risks) do
      report(r, "acceptance", "risk %s was accepted by %s", r.id, r.acceptance.by)
    end
  end,
}

return {
  id = "asset-described",
  severity = "warning",
  check = function(isms, report)
    for _, a in ipairs(isms.assets) do
      if is_blank(a.description) then
        report(a, "id", "asset %s has no description", a.id)
      end
    end
  end,
}

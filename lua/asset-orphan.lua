-- asset-orphan: every asset is named by a risk; an asset no risk names was either not
-- assessed or is not needed in the register.
return {
  id = "asset-orphan",
  severity = "warning",
  description = "Every asset is named by a risk",
  fix = "Name the asset in the `assets:` of the risks that concern it, or remove the asset if it is not needed.",
  check = function(isms, report)
    for _, a in ipairs(isms.assets) do
      if #a.risks == 0 then
        report(a, "id", "asset %s is not named by any risk", a.id)
      end
    end
  end,
}

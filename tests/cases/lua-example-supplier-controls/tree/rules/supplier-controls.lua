-- Every supplier is covered by the supplier-relationship controls: a supplier-type asset is
-- named by at least one risk with a live treatment that selects A.5.19 or A.5.20.
local supplier_controls = {["A.5.19"] = true, ["A.5.20"] = true}

local function treated_with_supplier_controls(risk)
  return any(risk.treatments, function(t)
    return t.status ~= "cancelled" and any(t.controls, function(c) return supplier_controls[c.id] end)
  end)
end

return {
  id = "supplier-controls",
  severity = "warning",
  description = "Every supplier is named by a risk treated with A.5.19 or A.5.20",
  check = function(isms, report)
    for _, a in ipairs(isms.assets) do
      if a.type == "supplier" and not any(a.risks, treated_with_supplier_controls) then
        report(a, "type", "supplier %s (%s) is named by no risk whose treatment selects A.5.19 or A.5.20",
               a.id, a.title)
      end
    end
  end,
}

-- Recurses without end
return {
  id = "escape-recursion",
  severity = "error",
  description = "Recurses without end",
  check = function(isms, report)
    local function deep(n) return 1 + deep(n + 1) end
    deep(1)
  end,
}

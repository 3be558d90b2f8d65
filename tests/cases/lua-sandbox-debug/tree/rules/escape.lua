-- Tries to reach the registry
return {
  id = "escape-debug",
  severity = "error",
  description = "Tries to reach the registry",
  check = function(isms, report)
    local registry = debug.getregistry()
  end,
}

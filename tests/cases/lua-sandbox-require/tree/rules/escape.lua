-- Tries to load a module
return {
  id = "escape-require",
  severity = "error",
  description = "Tries to load a module",
  check = function(isms, report)
    local os = require("os")
  end,
}

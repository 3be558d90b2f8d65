-- Loops in a finalizer
return {
  id = "escape-gc-finalizer",
  severity = "error",
  description = "Loops in a finalizer",
  check = function(isms, report)
    while true do
      setmetatable({}, {__gc = function() while true do end end})
    end
  end,
}

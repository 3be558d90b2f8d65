-- Loops in its own error handler
return {
  id = "escape-xpcall",
  severity = "error",
  description = "Loops in its own error handler",
  check = function(isms, report)
    while true do
      xpcall(function() while true do end end, function(m) while true do end end)
    end
  end,
}

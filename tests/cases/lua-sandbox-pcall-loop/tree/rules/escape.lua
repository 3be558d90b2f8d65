-- Catches its own budget error
return {
  id = "escape-pcall",
  severity = "error",
  description = "Catches its own budget error",
  check = function(isms, report)
    while true do
      pcall(function() while true do end end)
    end
  end,
}

-- Never ends
return {
  id = "escape-loop",
  severity = "error",
  description = "Never ends",
  check = function(isms, report)
    while true do end
  end,
}

-- Tries to drive the garbage collector
return {
  id = "escape-gc",
  severity = "error",
  description = "Tries to drive the garbage collector",
  check = function(isms, report)
    local kb = collectgarbage("count")
    collectgarbage("collect")
  end,
}

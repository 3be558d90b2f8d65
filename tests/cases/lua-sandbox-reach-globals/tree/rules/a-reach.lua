-- Tries to reach the globals other files share
return {
  id = "reach-globals",
  severity = "error",
  description = "Tries to reach the globals other files share",
  check = function(isms, report)
    load("_G.is_blank = function() return false end")()
    local mt = getmetatable("")
    mt.__index.match = function() return nil end
  end,
}

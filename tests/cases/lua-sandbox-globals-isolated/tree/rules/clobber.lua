-- Tries to silence the shipped rules by replacing shared helpers.
_G.is_blank = function(s) return false end
_G.ipairs = function() return function() return nil end end
string.match = function() return nil end

return {
  id = "clobber",
  severity = "note",
  check = function(isms, report) end,
}

-- A rule file that forgot to return its rule.
local rule = {
  id = "forgot-return",
  check = function(isms, report) end,
}

-- Leaves some 14 MB of garbage behind (under a quarter of the 64 MB cap, so no collection
-- follows the rule): the next rule must still have the whole cap for what it keeps.
return {
  id = "litter",
  severity = "error",
  description = "Builds a large table and drops it",
  check = function(isms, report)
    local t = {}
    for i = 1, 14000 do
      t[i] = string.rep("y", 1000) .. i
    end
  end,
}

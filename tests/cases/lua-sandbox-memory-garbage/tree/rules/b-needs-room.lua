-- Needs some 56 MB at once (string.rep's buffer, then the string): with the garbage of the
-- rule before it, that is over the 64 MB cap until Lua collects.
return {
  id = "needs-room",
  severity = "error",
  description = "Builds one large string",
  check = function(isms, report)
    local s = string.rep("x", 28 * 1024 * 1024)
    report(isms.get("R-001"), "built a string of %d MB", #s // (1024 * 1024))
  end,
}

-- Tries to read a file
return {
  id = "escape-io",
  severity = "error",
  description = "Tries to read a file",
  check = function(isms, report)
    local f = io.open("isms.yaml")
  end,
}

-- Tries to run a shell command
return {
  id = "escape-os",
  severity = "error",
  description = "Tries to run a shell command",
  check = function(isms, report)
    os.execute("echo escaped > escaped.txt")
  end,
}

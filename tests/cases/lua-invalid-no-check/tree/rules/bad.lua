return {
  id = "no-check",
  severity = "error",
  description = "forgot the check function",
}

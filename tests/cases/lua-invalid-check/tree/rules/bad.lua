return {
  id = "bad-check",
  severity = "error",
  check = "risks must have owners",
}

-- nc-root-cause: once a nonconformity is past `open`, its causes have been determined
-- (ISO 27001 10.2 b: evaluate the need for action to eliminate the causes), so it records
-- its root cause.
return {
  id = "nc-root-cause",
  severity = "error",
  description = "A nonconformity past open records its root cause",
  fix = "Write the cause found in `root_cause:` (the why behind the nonconformity, not what happened).",
  check = function(isms, report)
    for _, n in ipairs(isms.nonconformities) do
      if n.status and n.status ~= "open" and is_blank(n.root_cause) then
        report(n, "status", "nonconformity %s is %s but records no root cause: add root_cause:", n.id, n.status)
      end
    end
  end,
}

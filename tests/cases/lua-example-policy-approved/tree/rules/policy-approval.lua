-- Policies in force are approved, and say by whom and when (ISO/IEC 27001 5.2, 7.5.3).
-- One file, two rules: the file returns a list.
return {
  {
    id = "policy-approved",
    severity = "error",
    description = "Every policy in force has the status approved",
    check = function(isms, report)
      for _, p in ipairs(isms.policies) do
        if p.status == nil then
          report(p, "policy %s has no status; a policy in force is approved", p.id)
        elseif p.status ~= "approved" and p.status ~= "retired" then
          report(p, "status", "policy %s is %s; a policy in force is approved", p.id, p.status)
        end
      end
    end,
  },
  {
    id = "policy-approver",
    severity = "error",
    description = "An approved policy names who approved it and when",
    check = function(isms, report)
      for _, p in ipairs(isms.policies) do
        if p.status == "approved" then
          local a = p.approved or {}
          if is_blank(a.by) or a.date == nil then
            -- At `approved:` when it is there, else at `status: approved`.
            report(p, p.approved and "approved" or "status",
                   "policy %s is approved but does not say by whom and when: add approved: {by, date}", p.id)
          end
        end
      end
    end,
  },
}

-- policy-review-due: a policy past its review date, or approved longer ago than
-- review.policy_max_age_days, is due for review. Retired policies are not.
return {
  id = "policy-review-due",
  severity = "warning",
  description = "A policy is within its review date and approval age",
  fix = "Review the policy: set a new `review:` date, and a new `approved: {by, date}` when it was approved again.",
  check = function(isms, report)
    local today = isms.today
    local max_age = (isms.config.review or {}).policy_max_age_days
    for _, p in ipairs(isms.policies) do
      if p.status ~= "retired" then
        if p.review and p.review < today then
          report(p, "review", "policy %s was due for review on %s", p.id, p.review)
        elseif max_age and p.approved and p.approved.date then
          local age = isms.days(today) - isms.days(p.approved.date)
          if age > max_age then
            report(p, "approved", "policy %s was approved %d %s ago, more than review.policy_max_age_days (%d)",
                   p.id, age, age == 1 and "day" or "days", max_age)
          end
        end
      end
    end
  end,
}

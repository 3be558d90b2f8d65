-- review-due: top management reviews the ISMS at planned intervals (ISO 27001 9.3.1): the
-- latest management review held on or before today is no older than
-- review.management_max_age_days (365 when unset). A tree with no review at all is left to
-- readiness (a note on 9.3), so a new tree does not start with this warning; a review dated
-- after today is planned, not held.
return {
  id = "review-due",
  severity = "warning",
  description = "A management review was held within review.management_max_age_days",
  fix = "Hold the management review and add its record to reviews/ (date, chair, inputs, decisions).",
  check = function(isms, report)
    local max_age = (isms.config.review or {}).management_max_age_days or 365
    local latest
    for _, r in ipairs(isms.reviews) do
      if r.date and r.date <= isms.today and (latest == nil or r.date > latest.date) then
        latest = r
      end
    end
    if latest then
      local age = days_between(latest.date, isms.today)
      if age > max_age then
        report(latest, "date", "the latest management review, %s, was held %d %s ago, more than review.management_max_age_days (%d)",
               latest.id, age, age == 1 and "day" or "days", max_age)
      end
    end
  end,
}

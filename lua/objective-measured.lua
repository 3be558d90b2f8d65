-- objective-measured: an information security objective says how its results are evaluated:
-- by a metric, or in its `evaluation` text (ISO 27001 6.2 b: measurable, if practicable;
-- 6.2 j: how the results will be evaluated). Cancelled objectives are not judged.
return {
  id = "objective-measured",
  severity = "warning",
  description = "An objective is measured by a metric or says how its results are evaluated",
  fix = "List the metrics that measure the objective in `metrics:`, or say how its results are evaluated in `evaluation:`.",
  check = function(isms, report)
    for _, o in ipairs(isms.objectives) do
      if o.status ~= "cancelled" and #(o.metrics or {}) == 0 and is_blank(o.evaluation) then
        report(o, "metrics", "objective %s has no metric and no evaluation: add metrics: [METRIC-ID] or evaluation: how results are evaluated",
               o.id)
      end
    end
  end,
}

-- review-inputs: a management review considers every input ISO/IEC 27001:2022 9.3.2 lists,
-- and its record says what was considered on each: a) actions from previous reviews,
-- b) changes in external and internal issues, c) changes in interested parties' needs,
-- d) information security performance, e) feedback from interested parties, f) risk
-- assessment results and the treatment plan, g) opportunities for improvement.
local inputs = {
  {"actions", "a"}, {"changes", "b"}, {"parties", "c"}, {"performance", "d"},
  {"feedback", "e"}, {"risks", "f"}, {"improvement", "g"},
}
return {
  id = "review-inputs",
  severity = "error",
  description = "A management review records every input of 9.3.2 a-g",
  fix = "Add the missing `inputs:` entries (actions, changes, parties, performance, feedback, risks, improvement), each saying what the review considered.",
  check = function(isms, report)
    for _, r in ipairs(isms.reviews) do
      local given, missing = r.inputs or {}, {}
      for _, input in ipairs(inputs) do
        if is_blank(given[input[1]]) then
          missing[#missing + 1] = string.format("%s (%s)", input[1], input[2])
        end
      end
      if #missing > 0 then
        report(r, "inputs", "management review %s does not record 9.3.2 input%s %s: add %s under inputs:",
               r.id, #missing == 1 and "" or "s", table.concat(missing, ", "), #missing == 1 and "it" or "them")
      end
    end
  end,
}

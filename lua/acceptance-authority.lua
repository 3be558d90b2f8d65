-- acceptance-authority: a residual risk is accepted by someone risk.acceptance_authority
-- allows for its score (the residual score, else the inherent one). The score falls in the
-- first band with score <= max; the people of that band and of every higher band may accept
-- it; `owner` stands for the risk's own owner. Runs only when acceptance_authority is set.
--
-- Who is allowed is computed once, by ismsc (compiler/acceptance.c), as the risk's derived
-- `acceptance_allowed` and `acceptance_entitled`: the Risk Treatment Plan shows the same
-- judgement this rule makes.

local function names_of(r) -- the allowed names for a message, the owner marked as such
  local names = {}
  for _, name in ipairs(r.acceptance_allowed) do
    names[#names + 1] = name == r.owner and string.format("%s (the owner)", name) or name
  end
  return names
end

return {
  id = "acceptance-authority",
  severity = "error",
  description = "A risk is accepted by someone risk.acceptance_authority allows for its score",
  fix = "Have the risk accepted by one of the people its score's band (or a higher band) of `risk.acceptance_authority` names, and record them in `acceptance.by`.",
  check = function(isms, report)
    for _, r in ipairs(isms.risks) do
      if r.acceptance_entitled == false then
        local score = r.residual_score or r.score
        local names = names_of(r)
        if #names == 0 then
          report(r, "acceptance", "risk %s (score %d) is above every band of risk.acceptance_authority, so no one may accept it",
                 r.id, score)
        else
          report(r, "acceptance", "risk %s (score %d) is accepted by %s, who may not accept it: %s may",
                 r.id, score, r.acceptance.by, table.concat(names, ", "))
        end
      end
    end
  end,
}

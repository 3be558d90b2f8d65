-- acceptance-authority: a residual risk is accepted by someone risk.acceptance_authority
-- allows for its score (the residual score, else the inherent one). The score falls in the
-- first band with score <= max; the people of that band and of every higher band may accept
-- it; `owner` stands for the risk's own owner. Runs only when acceptance_authority is set.

-- The names allowed for score, in band order, with `owner` replaced by the risk's owner;
-- empty when the score is above every band.
local function allowed_for(bands, score, owner)
  local names, seen, reached = {}, {}, false
  for _, band in ipairs(bands) do
    reached = reached or score <= band.max
    if reached then
      for _, who in ipairs(band.by or {}) do
        local name = who == "owner" and owner or who
        if name and not seen[name] then
          seen[name] = true
          names[#names + 1] = who == "owner" and string.format("%s (the owner)", name) or name
        end
      end
    end
  end
  return names, seen
end

return {
  id = "acceptance-authority",
  severity = "error",
  description = "A risk is accepted by someone risk.acceptance_authority allows for its score",
  fix = "Have the risk accepted by one of the people its score's band (or a higher band) of `risk.acceptance_authority` names, and record them in `acceptance.by`.",
  check = function(isms, report)
    local bands = (isms.config.risk or {}).acceptance_authority
    if not bands or #bands == 0 then
      return
    end
    for _, r in ipairs(isms.risks) do
      local a = r.acceptance
      local score = r.residual_score or r.score
      if a and not is_blank(a.by) and score then
        local names, allowed = allowed_for(bands, score, r.owner)
        if #names == 0 then
          report(r, "acceptance", "risk %s (score %d) is above every band of risk.acceptance_authority, so no one may accept it",
                 r.id, score)
        elseif not allowed[a.by] then
          report(r, "acceptance", "risk %s (score %d) is accepted by %s, who may not accept it: %s may",
                 r.id, score, a.by, table.concat(names, ", "))
        end
      end
    end
  end,
}

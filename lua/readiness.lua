-- readiness: every clause that requires documented information (the catalog's `documented`)
-- has something in the tree that provides it. A note: it shows what is still missing for a
-- certification audit, and a young ISMS is expected to have gaps. What provides each clause
-- is below; for any clause, a policy or an evidence entry that names it in `clauses:` does
-- too (the declared route, and the only one for 7.2 and for a custom catalog's clauses).
-- Reported at the clause, which points at `catalog:` in isms.yaml.

local function has(list, pred)
  return any(list, pred or function() return true end)
end

-- clause id -> {what provides it, as a hint, function(isms) -> true when present}
local providers = {
  ["4.3"] = {"a scope record (scope.md)", function(i) return i.scope ~= nil end},
  ["5.2"] = {"the policy named by `policy:` in isms.yaml", function(i) return i.config.policy ~= nil end},
  ["6.1.2"] = {"the risk method (`risk:` in isms.yaml)", function(i) return i.config.risk ~= nil end},
  ["6.1.3"] = {"control records (the Statement of Applicability)",
               function(i) return has(i.controls, function(c) return c.recorded end) end},
  ["6.2"] = {"objectives (objectives/)", function(i) return has(i.objectives) end},
  ["7.5"] = {"policies (policies/)", function(i) return has(i.policies) end},
  ["8.1"] = {"risk treatments (treatments/)", function(i) return has(i.treatments) end},
  ["8.2"] = {"risks (risks/)", function(i) return has(i.risks) end},
  ["8.3"] = {"risk treatments (treatments/)", function(i) return has(i.treatments) end},
  ["9.1"] = {"metrics with measurements (metrics/)",
             function(i) return has(i.metrics, function(m) return m.latest ~= nil end) end},
  ["9.2"] = {"internal audits (audits/)",
             function(i) return has(i.audits, function(a) return a.type == "internal" and a.status ~= "cancelled" end) end},
  ["9.3"] = {"management reviews (reviews/)", function(i) return has(i.reviews) end},
}
local nonconformities = {"nonconformities (nonconformities/)", function(i) return has(i.nonconformities) end}

-- The provider of a clause: by id, and the nonconformity clause by its title (10.2 in the
-- 2022 edition, 10.1 in 2013).
local function provider_of(clause)
  if (clause.title or ""):match("^Nonconformity") then
    return nonconformities
  end
  return providers[clause.id]
end

return {
  id = "readiness",
  severity = "note",
  description = "Every clause that requires documented information has some in the tree",
  fix = "Add what the clause requires (the note names it), or name the clause in the `clauses:` of the policy or evidence entry that documents it.",
  check = function(isms, report)
    for _, cl in ipairs(isms.clauses) do
      if cl.documented and #(cl.policies or {}) == 0 and #(cl.evidence or {}) == 0 then
        local p = provider_of(cl)
        if not (p and p[2](isms)) then
          report(cl, "clause %s (%s) requires %s, and the tree has none yet: add %s",
                 cl.id, cl.title, cl.documented,
                 p and p[1] or string.format("a policy or an evidence entry with clauses: [%s]", cl.id))
        end
      end
    end
  end,
}

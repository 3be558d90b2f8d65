-- Reads every v2 collection and the records' new fields, derived values and back-links.
return { id = "v2-collections", severity = "note", check = function(isms, report)
  local a = isms.audits[1]
  for _, name in ipairs({"objectives", "metrics", "audits", "findings", "nonconformities",
                         "reviews", "clauses"}) do
    report(a, "title", "isms.%s: %d", name, #isms[name])
  end
  local f = isms.findings[1]
  report(f, "type", "%s (%s) in %s, title '%s', clauses %s, recorded by %s", f.id, f.type,
         f.audit.id, f.title or "nil", f.clauses[1].id, f.nonconformities[1].id)
  report(a, "findings", 2, "second finding %s; isms.get(record) is the record: %s",
         a.findings[2].id, tostring(isms.get(a.findings[2]) == a.findings[2]))
  local m = isms.metrics[1]
  report(m, "target", "target %s (%s), first value %s (%s), objectives %s, control %s", m.target,
         math.type(m.target), m.measurements[1].value, math.type(m.measurements[1].value),
         m.objectives[1].id, m.controls[1].id)
  local o = isms.objectives[1]
  report(o, "metrics", "objective %s measured by %s", o.id, o.metrics[1].id)
  local nc = isms.nonconformities[1]
  report(nc, "finding", "%s records %s; effective %s; closed %s", nc.id, nc.finding.id,
         tostring(nc.effectiveness.effective), nc.closed)
  local r = isms.reviews[1]
  report(r, "inputs", "review %s chaired by %s: inputs %s, decision owner %s", r.id, r.chair,
         r.inputs.actions, r.decisions[1].owner)
  local c = isms.get("9.2")
  report(a, "clauses", 1, "clause %s '%s': audits %d, documented '%s'", c.id, c.title, #c.audits,
         c.documented)
  local ev = isms.get("8.1")
  report(a, "title", "clause 8.1: findings %d, evidence from %s", #ev.findings, ev.evidence[1].id)
  report(a, "title", "clause 5.2: policies %s", isms.get("5.2").policies[1].id)
  local ctl = isms.get("A.8.8")
  report(ctl, "evidence", "A.8.8: objectives %d, metrics %d, audits %d, evidence date %s",
         #ctl.objectives, #ctl.metrics, #ctl.audits, ctl.evidence[1].date)
  local cfg = isms.config
  report(a, "title", "config: policy %s, documents.soa.number %s, audit.cycle_months %d, review %d, history %d, authority %s",
         cfg.policy.id, cfg.documents.soa.number, cfg.audit.cycle_months,
         cfg.review.management_max_age_days, cfg.history.max_commits,
         cfg.risk.acceptance_authority[2].by[1])
  local s = isms.scope
  report(s, "interested_parties", "scope: %s / %s / %s", s.internal_issues[1],
         s.external_issues[1], s.interested_parties[1].party)
  local p = isms.policies[1]
  report(p, "approved", "policy %s number %s approved commit %s", p.id, p.number, p.approved.commit)
end }

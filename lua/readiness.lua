-- readiness: every clause that requires documented information (the catalog's `documented`)
-- has something in the tree that provides it. A note: it shows what is still missing for a
-- certification audit, and a young ISMS is expected to have gaps.
-- What provides each clause is decided in one place, the compiler's readiness assessment
-- (compiler/readiness.c), which the readiness report (readiness.html) shows in full: this
-- rule reads its result, the clause's derived `readiness` ("missing" when nothing provides
-- it) and `lacking` (what would). For any clause, a policy or an evidence entry that names
-- it in `clauses:` provides it too (the only route for 7.2 and a custom catalog's clauses).
-- Reported at the clause, which points at `catalog:` in isms.yaml.

return {
  id = "readiness",
  severity = "note",
  description = "Every clause that requires documented information has some in the tree",
  fix = "Add what the clause requires (the note names it), or name the clause in the `clauses:` of the policy or evidence entry that documents it. readiness.html lists every clause with what provides it.",
  check = function(isms, report)
    for _, cl in ipairs(isms.clauses) do
      if cl.readiness == "missing" then
        report(cl, "clause %s (%s) requires %s, and the tree has none yet: add %s",
               cl.id, cl.title, cl.documented, cl.lacking)
      end
    end
  end,
}

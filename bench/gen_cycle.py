"""The Check and Act records of the benchmark tree: objectives, metrics, audits with their
findings, nonconformities and management reviews (bench/gen_tree.py calls write_cycle).

At scale 1.0: 50 objectives, 200 metrics with 36 measurements each (about a third as a
`data:` CSV), 60 audits holding 600 findings, 400 nonconformities and 12 management reviews.

What must stay true:
- Written after every other record, from the generator's own random.Random, so the rest of
  the tree is the same with and without these kinds (gen_tree.py --no-cycle).
- Clean on TODAY: every shipped rule holds. Each metric's latest value meets its target and
  its next measurement is not yet due; every clause and applicable control is in an internal
  audit within the 36-month cycle (round robin over the internal audits); no internal
  auditor owns a control (auditors are not in OWNERS); every major or minor finding has a
  nonconformity; a nonconformity past open has a root cause, a closed one an effective
  effectiveness review; no action or decision is past due unless done.
"""

import datetime

AUDITORS = [
    "Marlow Assurance (outsourced internal audit)", "Grace Lindqvist (internal auditor)",
    "Tomás Ferreira (internal auditor, group audit)", "Northgate Certification Ltd",
    "Keystone Audit Partners",
]
INTERNAL_AUDITORS = AUDITORS[:3]
EXTERNAL_TYPES = ["certification", "surveillance", "surveillance", "external", "supplier"]
MEASURES = [
    ("Critical vulnerabilities closed within SLA", "%", 95, "at-least"),
    ("Staff who completed awareness training", "%", 95, "at-least"),
    ("Phishing simulation click rate", "%", 5, "at-most"),
    ("Access reviews signed off on time", "%", 100, "at-least"),
    ("Restore tests within the RTO", "%", 100, "at-least"),
    ("Mean time to contain a high incident", "hours", 4, "at-most"),
    ("Endpoints compliant with the MDM baseline", "%", 98, "at-least"),
    ("Open audit actions past due", "actions", 0, "at-most"),
]
FINDING_TEXT = [
    "Records of the quarterly review were not kept for two of the sampled systems.",
    "The procedure names a role that no longer exists after the reorganisation.",
    "Three sampled changes had no recorded peer review before deployment.",
    "Supplier security reviews were overdue for a critical supplier.",
    "Training completion for contractors was not tracked.",
    "Logs were retained for 30 days against the 90 required by the policy.",
]
INPUTS = ["actions", "changes", "parties", "performance", "feedback", "risks", "improvement"]


def _months_back(end, n):
    """n month-end dates ending at end (a month end), oldest first."""
    out, y, m = [], end.year, end.month
    for _ in range(n):
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
        out.append(nxt - datetime.timedelta(days=1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _series_dates(frequency, n):
    if frequency == "weekly":
        last = datetime.date(2026, 11, 20)
        return [last - datetime.timedelta(weeks=k) for k in range(n)][::-1]
    if frequency == "quarterly":
        return _months_back(datetime.date(2026, 9, 30), 3 * n)[2::3]
    return _months_back(datetime.date(2026, 10, 31), n)


class Cycle:
    def __init__(self, gen, today, clauses):
        self.g, self.rng, self.today, self.clauses = gen, gen.rng, today, clauses
        self.q = gen.quote  # gen_tree.q: a YAML scalar, plain when safe
        n = lambda base: max(1, int(round(base * gen.scale)))
        self.n = {"objectives": n(50), "metrics": n(200), "audits": n(60),
                  "findings": n(600), "nonconformities": n(400), "reviews": n(12)}

    def ids(self, prefix, count):
        return ["%s-%04d" % (prefix, i + 1) for i in range(count)]

    def some(self, pool, lo, hi):
        return self.rng.sample(pool, min(len(pool), self.rng.randint(lo, hi)))

    # -- metrics and objectives ---------------------------------------------------------
    def write_metrics(self):
        rng, g = self.rng, self.g
        self.metric_ids = self.ids("M", self.n["metrics"])
        for k, mid in enumerate(self.metric_ids):
            title, unit, target, direction = MEASURES[k % len(MEASURES)]
            freq = rng.choice(["monthly"] * 7 + ["weekly"] * 2 + ["quarterly"])
            dates = _series_dates(freq, 36)
            values = []
            for d in dates:
                spread = max(1.0, abs(target) * 0.1)
                v = target + rng.uniform(-spread, spread)
                values.append(round(max(0.0, min(v, 100.0 if unit == "%" else 1e6)), 1))
            values[-1] = target  # the latest meets its target (metric-target holds)
            f = ["id: " + mid, "title: " + self.q("%s (%s)" % (title, rng.choice(g.systems))),
                 "owner: " + self.q(g.owner()), "unit: " + self.q(unit),
                 "target: %s" % target, "direction: " + direction, "frequency: " + freq,
                 "source: " + self.q(g.para(8, 16)),
                 "controls: [%s]" % ", ".join(self.some(g.applicable, 1, 2))]
            if rng.random() < 0.4:
                rel = "metrics/data/%s.csv" % mid
                rows = ["date,value,note"] + ["%s,%s,%s" % (d, v, "" if rng.random() < 0.8
                                                           else "\"%s\"" % g.para(4, 8))
                                             for d, v in zip(dates, values)]
                g.write(rel, "\n".join(rows) + "\n")
                f.append("data: " + rel)
            else:
                f.append("measurements:")
                f += ["  - {date: %s, value: %s}" % (d, v) for d, v in zip(dates, values)]
            g.write("metrics/%s.yaml" % mid, "\n".join(f) + "\n")

    def write_objectives(self):
        rng, g = self.rng, self.g
        ids = self.ids("OBJ", self.n["objectives"])
        per = max(1, len(self.metric_ids) // len(ids))
        for k, oid in enumerate(ids):
            metrics = self.metric_ids[k * per:(k + 1) * per] if k < len(ids) - 1 \
                else self.metric_ids[k * per:]
            status = rng.choice(["in-progress"] * 3 + ["planned", "achieved"])
            fm = ["id: " + oid, "title: " + self.q(g.para(6, 10).rstrip(".")),
                  "owner: " + self.q(g.owner()),
                  "metrics: [%s]" % ", ".join(metrics) if metrics else "metrics: []",
                  "risks: [%s]" % ", ".join(self.some(g.risk_ids, 1, 3)),
                  "controls: [%s]" % ", ".join(self.some(g.applicable, 1, 3)),
                  "due: %s" % (self.today + datetime.timedelta(days=rng.randint(30, 540))),
                  "status: " + status, "resources: " + self.q(g.para(8, 14)),
                  "evaluation: " + self.q(g.para(10, 20))]
            body = g.wrap(g.para(40, 90, refs=metrics[:1]))
            g.write("objectives/%s.md" % oid, "---\n" + "\n".join(fm) + "\n---\n" + body + "\n")

    # -- audits, findings, nonconformities ----------------------------------------------
    def plan_audits(self):
        rng = self.rng
        n = self.n["audits"]
        start, end = datetime.date(2024, 1, 8), datetime.date(2029, 6, 29)
        step = (end - start).days / n
        self.audits = []
        for k in range(n):
            day = start + datetime.timedelta(days=int(k * step) + rng.randint(0, max(0, int(step) - 1)))
            internal = k % 10 < 7 or n < 3
            self.audits.append({"id": "AUD-%04d" % (k + 1), "date": day, "internal": internal,
                                "done": day < self.today - datetime.timedelta(days=14),
                                "clauses": [], "controls": [], "findings": []})
        internal = [a for a in self.audits if a["internal"]]
        for i, c in enumerate(self.clauses):  # every clause and control in an internal audit
            internal[i % len(internal)]["clauses"].append(c)
        for i, c in enumerate(self.g.applicable):
            internal[i % len(internal)]["controls"].append(c)
        done = [a for a in self.audits if a["done"]] or self.audits[:1]
        for a in done:
            a["done"] = True
        for i in range(self.n["findings"]):
            done[i % len(done)]["findings"].append("F-%04d" % (i + 1))

    def write_audits(self):
        rng, g = self.rng, self.g
        self.nc_findings = []  # (finding id, audit date, clauses, controls)
        need_nc = int(self.n["nonconformities"] * 0.6)
        for a in self.audits:
            typ = "internal" if a["internal"] else rng.choice(EXTERNAL_TYPES)
            auditor = rng.choice(INTERNAL_AUDITORS if a["internal"] else AUDITORS[3:])
            scope_c = a["clauses"] or self.some(self.clauses, 2, 6)
            scope_k = a["controls"] or self.some(g.applicable, 3, 10)
            f = ["id: " + a["id"], "title: " + self.q("%s audit %s" % (typ.capitalize(), a["date"].year)),
                 "type: " + typ, "auditor: " + self.q(auditor), "planned: %s" % a["date"]]
            if a["done"]:
                f += ["date: %s" % a["date"], "status: done"]
            else:
                f.append("status: planned")
            f += ["clauses: [%s]" % ", ".join(scope_c), "controls: [%s]" % ", ".join(scope_k),
                  "criteria: " + self.q("ISO/IEC 27001:2022 and the policy set")]
            if a["findings"]:
                f.append("findings:")
            for fid in a["findings"]:
                if len(self.nc_findings) < need_nc:
                    ftype = rng.choice(["minor"] * 5 + ["major"])
                else:
                    ftype = rng.choice(["observation", "opportunity"])
                cl, ct = self.some(scope_c, 1, 1), self.some(scope_k, 0, 2)
                f += ["  - id: " + fid, "    type: " + ftype,
                      "    description: " + self.q(rng.choice(FINDING_TEXT) + " " + g.para(6, 14)),
                      "    clauses: [%s]" % ", ".join(cl)]
                if ct:
                    f.append("    controls: [%s]" % ", ".join(ct))
                if ftype in ("minor", "major"):
                    self.nc_findings.append((fid, ftype, a["date"], cl, ct))
            body = g.wrap(g.para(40, 100))
            g.write("audits/%s.md" % a["id"], "---\n" + "\n".join(f) + "\n---\n" + body + "\n")

    def nc_record(self, nid, raised, finding):
        rng, g, today = self.rng, self.g, self.today
        age = (today - raised).days
        if age > 150:
            status = rng.choice(["closed"] * 4 + ["verifying"])
        else:
            status = rng.choice(["open", "in-progress", "in-progress", "verifying"])
        f = ["id: " + nid, "title: " + self.q(g.para(6, 10).rstrip(".")),
             "owner: " + self.q(g.owner()), "raised: %s" % raised]
        if finding:
            fid, ftype, _date, cl, ct = finding
            f += ["source: audit", "finding: " + fid, "severity: " + ftype,
                  "clauses: [%s]" % ", ".join(cl)]
            if ct:
                f.append("controls: [%s]" % ", ".join(ct))
        else:
            f += ["source: " + rng.choice(["incident", "monitoring", "review", "complaint"]),
                  "severity: minor", "controls: [%s]" % ", ".join(self.some(g.applicable, 1, 2))]
        f.append("correction: " + self.q(g.para(10, 20)))
        if status != "open":
            f.append("root_cause: " + self.q(g.para(15, 30)))
        f.append("actions:")
        finished = status in ("closed", "verifying")
        for _ in range(rng.randint(1, 3)):
            if finished or (age > 30 and rng.random() < 0.5):
                done = min(today, raised + datetime.timedelta(days=rng.randint(5, max(5, min(age, 120)))))
                f.append("  - {action: %s, owner: %s, due: %s, status: done, done: %s}" % (
                    self.q(g.para(6, 12)), self.q(g.owner()), done, done))
            else:
                due = today + datetime.timedelta(days=rng.randint(7, 180))
                f.append("  - {action: %s, owner: %s, due: %s, status: %s}" % (
                    self.q(g.para(6, 12)), self.q(g.owner()), due,
                    rng.choice(["planned", "in-progress"])))
        if status == "closed":
            checked = raised + datetime.timedelta(days=rng.randint(130, age))
            f.append("effectiveness: {by: %s, date: %s, effective: true}" % (
                self.q(rng.choice(INTERNAL_AUDITORS)), checked))
            f.append("closed: %s" % checked)
        f.append("status: " + status)
        return f

    def write_nonconformities(self):
        rng, g = self.rng, self.g
        for k, nid in enumerate(self.ids("NC", self.n["nonconformities"])):
            if k < len(self.nc_findings):
                finding = self.nc_findings[k]
                raised = min(self.today, finding[2] + datetime.timedelta(days=rng.randint(1, 10)))
            else:
                finding = None
                raised = self.today - datetime.timedelta(days=rng.randint(1, 900))
            f = self.nc_record(nid, raised, finding)
            g.write("nonconformities/%s.md" % nid,
                    "---\n" + "\n".join(f) + "\n---\n" + g.wrap(g.para(30, 70)) + "\n")

    # -- management reviews ---------------------------------------------------------------
    def write_reviews(self):
        rng, g = self.rng, self.g
        n = self.n["reviews"]
        for k in range(n):
            date = self.today - datetime.timedelta(days=35 + 182 * (n - 1 - k))
            latest = k == n - 1
            f = ["id: MR-%04d" % (k + 1), "title: Management review %s" % date.strftime("%B %Y"),
                 "date: %s" % date, "chair: " + self.q("Priya Raman (Chief Executive Officer)"),
                 "attendees: [%s]" % ", ".join(self.q(o) for o in self.some(g.owners, 4, 7)),
                 "inputs:"]
            f += ["  %s: %s" % (i, self.q(g.para(15, 35))) for i in INPUTS]
            f.append("decisions:")
            for _ in range(rng.randint(3, 5)):
                if latest and rng.random() < 0.7:
                    due = self.today + datetime.timedelta(days=rng.randint(14, 200))
                    st = rng.choice(["planned", "in-progress"])
                else:
                    due, st = date + datetime.timedelta(days=rng.randint(20, 150)), "done"
                f.append("  - {decision: %s, owner: %s, due: %s, status: %s}" % (
                    self.q(g.para(6, 14)), self.q(g.owner()), due, st))
            f.append("next: %s" % (date + datetime.timedelta(days=182)))
            g.write("reviews/MR-%04d.md" % (k + 1),
                    "---\n" + "\n".join(f) + "\n---\n" + g.wrap(g.para(60, 140)) + "\n")

    def run(self):
        self.write_metrics()
        self.write_objectives()
        self.plan_audits()
        self.write_audits()
        self.write_nonconformities()
        self.write_reviews()


def write_cycle(gen, today, clauses):
    """Write the Check and Act records into gen's tree; returns their counts."""
    c = Cycle(gen, today, clauses)
    c.run()
    return c.n

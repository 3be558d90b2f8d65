#!/usr/bin/python3
"""Generate a large synthetic ISMS tree for benchmarking `ismsc`.

    bench/gen_tree.py OUTDIR [--scale 1.0] [--seed 27001] [--catalog FILE] [--no-cycle]

At scale 1.0 the tree holds about 10,000 files: 2,000 assets, 5,000 risks, 2,500
treatments, 400 policies, one record for each of the 93 controls of iso27001-2022, the
manifest, the scope and a few evidence files; and the Check and Act records of
bench/gen_cycle.py (50 objectives, 200 metrics with 36 measurements each, 60 audits with 600
findings, 400 nonconformities, 12 management reviews: about 790 files more). `--scale`
multiplies every count except the controls (the Statement of Applicability always covers
the whole catalog). `--no-cycle` leaves the Check and Act records out, and everything else
byte for byte the same except POL-001's `clauses:`, which then names the clauses those
records would document (so that `readiness` still holds): bench/run.sh times `check` with
and without them.

What must stay true:
- Deterministic. The same arguments give a byte-identical tree: one seeded
  random.Random, no clock, no iteration over sets or anything hash-ordered.
- Clean. The tree is meant to check with no problems at all on `--date 2026-11-23`
  (SPEC.md sections 1 and 2): every reference resolves, ids are unique, every coverage rule
  is satisfied. A benchmark of a failing tree measures the error path, not the compiler.
- Realistic in shape: mostly one record per file, some YAML lists, risks and treatments
  both as YAML and as Markdown with front matter, policies with a few KB of GFM (headings,
  a pipe table, nested lists, [[ID]] cross-references), a little non-ASCII text.

Only the standard library and (optionally) PyYAML are used; without PyYAML the catalog
is read with a small line parser that understands the catalog's own layout.
"""

import argparse
import datetime
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_cycle import write_cycle  # noqa: E402 (the bench folder is not a package)

TODAY = datetime.date(2026, 11, 23)  # the --date the benchmark checks with
SCALE_LIKELIHOOD = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
SCALE_IMPACT = ["Negligible", "Minor", "Moderate", "Major", "Severe"]
ACCEPT_MAX = 6
CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"]

# Base counts at scale 1.0.
BASE = {"assets": 2000, "risks": 5000, "treatments": 2500, "policies": 400, "evidence": 24}

# Physical controls a cloud-only company excludes (used when the catalog has them).
EXCLUDED = {
    "A.7.3": "The company operates no offices, rooms or facilities of its own that hold "
             "information processing facilities; the serviced hub is a meeting space only.",
    "A.7.5": "There are no company-operated premises or data centres; protection of hosting "
             "facilities against physical and environmental threats is the cloud provider's, "
             "assured under A.5.23.",
    "A.7.8": "No equipment is sited in company premises; all production equipment is "
             "hosted by cloud providers under the shared responsibility model.",
    "A.7.11": "No supporting utilities are operated by the company; power and cooling of "
              "hosting facilities are the cloud provider's responsibility.",
    "A.7.12": "The company owns no cabling; the serviced office and cloud providers operate "
              "all power and telecommunication cabling.",
    "A.8.19": "No software is installed on operational systems by hand: every production "
              "system is built from immutable images through the deployment pipeline, "
              "covered by A.8.32.",
}

OWNERS = [
    "Chief Information Security Officer", "Chief Technology Officer", "Chief Financial Officer",
    "Head of IT", "Head of People", "Head of Platform Engineering", "Head of Data",
    "Data Protection Officer", "VP Engineering", "Head of Customer Support",
    "Head of Legal", "Head of Procurement", "Site Reliability Lead", "Security Engineering Lead",
    "Head of Internal Audit", "Facilities Manager", "Head of Finance Operations",
    "Product Security Manager", "Identity and Access Lead", "Head of Sales Operations",
    "Zoë Müller (Head of Compliance)", "Łukasz Nowak (Network Lead)",
    "Aoife Ní Bhriain (Privacy Counsel)", "José Peña (Cloud Operations Lead)",
]
EXECUTIVES = [
    "Priya Raman (Chief Executive Officer)", "Daniel Okafor (Chief Financial Officer)",
    "Mei Tanaka (Chief Technology Officer)", "Chief Information Security Officer",
]

SYSTEMS = [
    "Billing", "Ledger", "Payments", "Invoice capture", "Customer portal", "Partner API",
    "Reporting", "Data warehouse", "Identity", "Support desk", "HR", "Payroll", "CRM",
    "Document store", "Search", "Notifications", "Mobile app", "Analytics", "Audit log",
    "Onboarding", "Treasury", "Procurement", "Marketing site", "Status page", "Build",
]
DATA = [
    "customer records", "supplier bank details", "invoice images", "payment instructions",
    "employee records", "access logs", "configuration", "source code", "backups",
    "encryption keys", "contracts", "support tickets", "usage metrics", "audit trail",
    "personal data of end users", "financial statements", "board papers",
]
COMPONENTS = [
    "API service", "worker fleet", "PostgreSQL cluster", "Kafka cluster", "Redis cache",
    "object store bucket", "Kubernetes namespace", "batch jobs", "web front end",
    "scheduler", "ETL pipeline", "admin console", "SFTP gateway",
]
DEVICES = [
    "laptop fleet", "meeting-room displays", "hardware security keys", "network switches",
    "badge readers", "printers", "test phones", "backup appliances",
]
VENDORS = [
    "Amazon Web Services", "Google Workspace", "Okta", "GitHub", "Slack", "Zendesk",
    "Datadog", "HiBob", "Atlassian", "Salesforce", "Cloudflare", "PagerDuty", "Snowflake",
    "ClearPay Rails", "Stripe", "DocuSign", "1Password", "CrowdStrike", "Kandji", "Vanta",
]
SERVICES = [
    "hosting", "e-mail and documents", "single sign-on", "source control", "chat",
    "ticketing", "monitoring", "HR system", "CRM", "CDN and WAF", "on-call paging",
    "data warehouse", "payment initiation", "card processing", "e-signature",
    "password manager", "endpoint protection", "device management", "compliance automation",
]
TEAMS = [
    "Platform", "Payments", "Data", "Customer Support", "Finance", "People", "Security",
    "Sales", "Marketing", "Legal", "IT", "Product", "Design", "Site Reliability",
]
CITIES = ["Bristol", "London", "Dublin", "Kraków", "Lisbon", "Manchester", "Cork", "Porto"]

THREATS = [
    "Ransomware delivered through a phishing attachment",
    "Credential stuffing against the login endpoint",
    "Exploitation of a known vulnerability in a third-party library",
    "Malicious insider copying data before leaving",
    "Accidental deletion by an administrator",
    "Misconfigured storage exposed to the internet",
    "Business e-mail compromise targeting payee changes",
    "Distributed denial of service against public endpoints",
    "Compromise of a supplier with privileged access",
    "Loss or theft of a device in transit",
    "Cloud region outage",
    "Secrets committed to a public repository",
    "SQL injection in a rarely used report",
    "Social engineering of the support desk",
    "Unauthorised change pushed straight to production",
    "Failure of backups to restore",
    "Fire or flood at a supplier's facility",
    "Subpoena or regulator request handled incorrectly",
    "Session hijacking through a cross-site scripting flaw",
    "Privilege escalation through a stale service account",
]
VULNERABILITIES = [
    "Push-notification MFA can be approved by a fatigued user",
    "Dependency updates are not tracked against an SLA",
    "Leavers' access is removed manually and sometimes late",
    "Administrators share a break-glass account",
    "Storage policies are not checked in CI",
    "Payee-change requests are verified by e-mail only",
    "Rate limiting is configured per instance, not globally",
    "Supplier access is not reviewed after onboarding",
    "Laptops are not all enrolled in device management",
    "The service runs in a single region",
    "Secret scanning covers only some repositories",
    "Legacy reports build SQL by string concatenation",
    "Support staff can reset MFA without a call-back",
    "Branch protection is not enforced on every repository",
    "Restore tests are not scheduled",
    "Supplier continuity plans have not been reviewed",
    "No documented procedure for legal requests",
    "Content Security Policy is missing on older pages",
    "Service accounts never expire",
    "Logging of administrative actions is incomplete",
]
ACTIONS = [
    "Roll out phishing-resistant MFA for", "Automate dependency patching for",
    "Automate joiner-mover-leaver workflow for", "Replace shared administrator accounts on",
    "Add policy-as-code checks for", "Introduce call-back verification for",
    "Deploy global rate limiting in front of", "Run quarterly access reviews of",
    "Enrol all devices of", "Add a warm standby region for", "Extend secret scanning to",
    "Refactor query building in", "Harden the support reset procedure for",
    "Enforce branch protection on", "Schedule monthly restore tests of",
    "Review supplier continuity plans for", "Write the legal-request procedure for",
    "Add Content Security Policy headers to", "Rotate and expire service accounts of",
    "Centralise administrative audit logging for",
]
TOPICS = [
    ("Information Security", "the information security management system"),
    ("Access Control", "access to systems and data"),
    ("Acceptable Use", "the use of company equipment and services"),
    ("Cryptography", "the use of encryption and the management of keys"),
    ("Data Classification", "labelling and handling of information"),
    ("Incident Response", "detection, reporting and handling of security incidents"),
    ("Business Continuity", "continuity of critical services"),
    ("Supplier Security", "security in supplier relationships"),
    ("Secure Development", "the design, coding and testing of software"),
    ("Change Management", "changes to production systems"),
    ("Backup", "backup and restore of data"),
    ("Logging and Monitoring", "the collection and review of logs"),
    ("Vulnerability Management", "the identification and remediation of vulnerabilities"),
    ("Remote Working", "working away from company premises"),
    ("Data Retention", "the retention and disposal of records"),
    ("Physical Security", "the protection of premises and equipment"),
    ("Human Resources Security", "screening, awareness and discipline"),
    ("Asset Management", "the inventory and ownership of assets"),
    ("Privacy", "the processing of personal data"),
    ("Network Security", "the protection of networks and network services"),
]
SUBJECTS = [
    "", "Payments Platform", "Corporate IT", "Engineering", "Customer Support",
    "Data Platform", "Finance", "Contractors", "Production Operations", "Group Entities",
]

SENTENCES = [
    "The team reviews each change against the documented baseline and records the outcome in the ticket.",
    "An auditor can follow every decision from the request to its closure.",
    "Exceptions are approved by the owner for a limited period and tracked until they expire.",
    "Monitoring alerts are routed to the on-call engineer, who triages them within the agreed time.",
    "Confirmed incidents are escalated to the security lead and handled under the incident procedure.",
    "Access is granted on the principle of least privilege and reviewed every quarter by the system owner.",
    "Evidence of each review is kept for three years.",
    "Configuration is held in version control and applied only through the deployment pipeline.",
    "Every production change is peer reviewed and linked to a ticket before it is merged.",
    "Service accounts are owned by a named team and their credentials are rotated automatically.",
    "Backups are encrypted, copied to a second region and restored in a test every month.",
    "Suppliers with access to customer data are assessed before onboarding and every year after.",
    "Staff complete security awareness training when they join and once a year.",
    "Logs of administrative actions are retained for twelve months and protected from alteration.",
    "Findings from the annual penetration test are tracked to closure within the agreed SLAs.",
    "Critical vulnerabilities are remediated within seven days and high ones within thirty.",
    "Laptops are enrolled in device management, with full-disk encryption and automatic updates.",
    "Personal data is processed only for the purposes recorded in the register of processing.",
    "The owner reports the status of the control to the security committee each quarter.",
    "Where the control cannot be met, the gap is recorded as a risk and treated or accepted.",
    "Keys are generated and stored in the cloud key management service, never on laptops.",
    "Leavers lose access on their last working day through the identity provider.",
    "Network access between environments is denied by default and opened by reviewed rules.",
    "The procedure is tested at least once a year and the lessons learnt are recorded.",
    "Metrics for the control are published on the security dashboard.",
    "Deviations found in internal audits are raised as nonconformities with a corrective action.",
    "Customers are told of any incident that affects their data within the contractual deadline.",
    "Changes to this arrangement need the approval of the risk owner.",
]

# ----------------------------------------------------------------------------------------
# YAML helpers: the tree is written by hand (not yaml.dump) so that it looks like files a
# person keeps in Git, with flow lists of ids, inline maps and literal bodies.

_PLAIN_BAD = set(":#{}[],&*!|>'\"%@`")
_YAML_WORDS = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


def q(s):
    """A YAML scalar for the string s: plain when safe, else double-quoted."""
    if (s and s[0].isalpha() and s[-1] != " " and s.lower() not in _YAML_WORDS
            and not any(c in _PLAIN_BAD for c in s)):
        return s
    return json.dumps(s, ensure_ascii=False)


def flow(ids):
    return "[" + ", ".join(ids) + "]"


def literal(key, text, indent=""):
    """key: | block with text indented two spaces under indent."""
    lines = text.rstrip("\n").split("\n")
    pad = indent + "  "
    return indent + key + ": |\n" + "".join((pad + l if l else "") + "\n" for l in lines)


# ----------------------------------------------------------------------------------------

def read_catalog(path):
    """Return [(id, title, theme)] of the catalog's controls, in file order."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        import yaml
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        doc = yaml.load(text, Loader=loader)
        return [(c["id"], c["title"], str(c.get("theme", ""))) for c in doc["catalog"]["controls"]]
    except ImportError:
        pass
    out, cur = [], None
    for line in text.splitlines():
        m = re.match(r'\s+- id:\s*"?([^"\s]+)"?\s*$', line)
        if m:
            cur = [m.group(1), "", ""]
            out.append(cur)
            continue
        m = re.match(r'\s+(title|theme):\s*"?(.*?)"?\s*$', line)
        if m and cur is not None and not cur[1 if m.group(1) == "title" else 2]:
            cur[1 if m.group(1) == "title" else 2] = m.group(2)
    return [tuple(c) for c in out]


def read_clauses(path):
    """Return the ids of the catalog's clauses (4.1 ... 10.2), in file order."""
    with open(path, encoding="utf-8") as f:
        return re.findall(r'^\s+- \{id: "?([0-9]+(?:\.[0-9]+)+)"?,', f.read(), re.M)


def default_catalog():
    here = os.path.dirname(os.path.abspath(__file__))
    for p in (os.path.join(here, "..", "compiler", "catalogs", "iso27001-2022.yaml"),
              "/work/shared/catalogs/iso27001-2022.yaml"):
        if os.path.isfile(p):
            return os.path.normpath(p)
    return None


def date_in(rng, start, end):
    """A date uniformly in [start, end]."""
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def width(n):
    return max(len(str(n)), 1)


class Gen:
    def __init__(self, out, scale, seed, catalog, clauses=(), cycle=True):
        self.out = out
        self.scale, self.clauses, self.cycle = scale, list(clauses), cycle
        self.quote, self.systems, self.owners = q, SYSTEMS, OWNERS  # for gen_cycle
        self.rng = random.Random(seed)
        self.n = {k: max(1, int(round(v * scale))) for k, v in BASE.items()}
        self.catalog = catalog
        self.files = 0
        self.bytes = 0

    # -- output ---------------------------------------------------------------------------
    def write(self, rel, text):
        path = os.path.join(self.out, rel)
        d = os.path.dirname(path)
        if not os.path.isdir(d):
            os.makedirs(d)
        data = text.encode("utf-8")
        with open(path, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)

    def para(self, n_min=25, n_max=60, refs=()):
        """Prose of about n_min..n_max words, optionally with [[ID]] cross-references."""
        rng = self.rng
        target = rng.randint(n_min, n_max)
        out, words = [], 0
        while words < target:
            s = rng.choice(SENTENCES)
            if s in out:  # no sentence twice in one paragraph
                continue
            out.append(s)
            words += s.count(" ") + 1
        for r in refs:
            k = rng.randrange(len(out))
            out[k] = out[k][:-1] + " (see [[%s]])." % r
        return " ".join(out)

    def wrap(self, s, w=92):
        out, line = [], ""
        for word in s.split(" "):
            if line and len(line) + 1 + len(word) > w:
                out.append(line)
                line = word
            else:
                line = line + " " + word if line else word
        out.append(line)
        return "\n".join(out)

    # -- plan: ids and relations, before anything is written ------------------------------
    def plan(self):
        rng, n = self.rng, self.n
        self.asset_ids = ["A-%0*d" % (max(4, width(n["assets"])), i + 1) for i in range(n["assets"])]
        self.risk_ids = ["R-%0*d" % (max(5, width(n["risks"])), i + 1) for i in range(n["risks"])]
        self.treat_ids = ["T-%0*d" % (max(4, width(n["treatments"])), i + 1)
                          for i in range(n["treatments"])]
        self.pol_ids = ["POL-%0*d" % (max(3, width(n["policies"])), i + 1)
                        for i in range(n["policies"])]
        ctl_ids = [c[0] for c in self.catalog]
        excluded = [c for c in ctl_ids if c in EXCLUDED]
        if not excluded:  # a different catalog: exclude a few at random
            excluded = sorted(rng.sample(ctl_ids, min(4, len(ctl_ids) // 10)), key=ctl_ids.index)
        self.excluded = excluded
        self.applicable = [c for c in ctl_ids if c not in excluded]
        # Popularity of controls in treatments: a few are chosen far more often.
        self.ctl_weights = [rng.choice([1, 1, 1, 2, 3, 5, 8]) for _ in self.applicable]

        # Risks: treatment option, scores, assets.
        self.risks = []
        for i, rid in enumerate(self.risk_ids):
            r = {"id": rid}
            x = rng.random()
            if x < 0.60:
                opt = "mitigate"
            elif x < 0.68:
                opt = "transfer"
            elif x < 0.72:
                opt = "avoid"
            elif x < 0.94:
                opt = "accept"
            else:  # synonyms, as written by people who learnt ISO 27005 or the "4 Ts"
                opt = rng.choice(["modify", "Modify", "share", "terminate", "Treat",
                                  "retain", "tolerate"])
            r["written"] = opt
            r["option"] = {"modify": "mitigate", "treat": "mitigate", "share": "transfer",
                           "terminate": "avoid", "retain": "accept",
                           "tolerate": "accept"}.get(opt.lower(), opt.lower())
            if r["option"] == "accept":
                lk, im = rng.randint(1, 3), rng.randint(1, 3)
            else:
                lk, im = rng.randint(2, 5), rng.randint(2, 5)
            r["l"], r["i"] = lk, im
            # Assets: asset i % A first, so every asset is named by at least one risk.
            k = rng.choice([1, 1, 1, 2, 2, 3])
            names = [self.asset_ids[i % n["assets"]]]
            while len(names) < min(k, n["assets"]):
                a = self.asset_ids[rng.randrange(n["assets"])]
                if a not in names:
                    names.append(a)
            r["assets"] = names
            if r["option"] != "accept":
                if rng.random() < 0.85:  # treated down to what the owner may accept
                    rl, ri = rng.choice([(a, b) for a in range(1, lk + 1) for b in range(1, im + 1)
                                         if a * b <= ACCEPT_MAX and a * b < lk * im])
                else:  # still above accept_max after treatment: accepted by an executive
                    rl, ri = max(1, lk - 1), im
                r["res"] = (rl, ri)
                # Residual above accept_max needs an acceptance (risk-accepted).
                r["needs_acceptance"] = rl * ri > ACCEPT_MAX
            else:
                r["res"] = None if rng.random() < 0.5 else (lk, im)
                r["needs_acceptance"] = True
            r["treatments"] = []
            self.risks.append(r)

        # Treatments: each treated risk gets one treatment, round robin; some get two.
        treated = [r for r in self.risks if r["option"] != "accept"]
        if not treated:  # pathological tiny scale: make one risk treated
            self.risks[0].update(option="mitigate", written="mitigate", res=(1, 1),
                                 needs_acceptance=False)
            treated = [self.risks[0]]
        T = n["treatments"]
        self.treatments = [{"id": t, "risks": [], "controls": []} for t in self.treat_ids]
        for k, r in enumerate(treated):
            self.treatments[k % T]["risks"].append(r["id"])
            r["treatments"].append(self.treat_ids[k % T])
        for j, t in enumerate(self.treatments):
            if not t["risks"] or rng.random() < 0.2:
                r = treated[rng.randrange(len(treated))]
                if r["id"] not in t["risks"]:
                    t["risks"].append(r["id"])
                    r["treatments"].append(t["id"])
        # Controls: treatment j < |applicable| selects applicable[j] first, so every
        # applicable control is selected when there are enough treatments.
        self.selected = {c: 0 for c in self.applicable}
        for j, t in enumerate(self.treatments):
            want = rng.choice([1, 2, 2, 3, 3, 4])
            cs = [self.applicable[j]] if j < len(self.applicable) else []
            while len(cs) < want:
                c = rng.choices(self.applicable, weights=self.ctl_weights)[0]
                if c not in cs:
                    cs.append(c)
            t["controls"] = cs
            for c in cs:
                self.selected[c] += 1

        # Policies claim applicable controls; controls list the policies that claim them.
        self.policies = []
        self.ctl_policies = {c: [] for c in self.applicable}
        for p in self.pol_ids:
            cs = rng.sample(self.applicable, min(len(self.applicable), rng.randint(2, 6)))
            self.policies.append({"id": p, "controls": cs})
            for c in cs:
                if len(self.ctl_policies[c]) < 3:
                    self.ctl_policies[c].append(p)

        self.evidence = []

    # -- records --------------------------------------------------------------------------
    def owner(self):
        return self.rng.choice(OWNERS)

    def asset_record(self, aid, indent=""):
        rng = self.rng
        typ = rng.choice(["information", "information", "information", "software",
                          "software", "hardware", "service", "people", "site", "supplier"])
        if typ == "information":
            title = "%s %s" % (rng.choice(SYSTEMS), rng.choice(DATA))
        elif typ == "software":
            title = "%s %s" % (rng.choice(SYSTEMS), rng.choice(COMPONENTS))
        elif typ == "hardware":
            title = "%s %s" % (rng.choice(CITIES), rng.choice(DEVICES))
        elif typ == "service":
            title = "%s %s subscription" % (rng.choice(VENDORS), rng.choice(SERVICES))
        elif typ == "people":
            title = "%s team" % rng.choice(TEAMS)
        elif typ == "site":
            title = "%s office" % rng.choice(CITIES)
        else:
            title = "%s (%s supplier)" % (rng.choice(VENDORS), rng.choice(SERVICES))
        title = title[0].upper() + title[1:] + " " + aid[2:]
        lines = [
            "id: " + aid,
            "title: " + q(title),
            "owner: " + q(self.owner()),
            "type: " + typ,
            "classification: " + rng.choice(CLASSIFICATIONS),
        ]
        if rng.random() < 0.8:
            lines.append("description: >-")
            for l in self.wrap(self.para(15, 45), 88).split("\n"):
                lines.append("  " + l)
        if not indent:
            return "\n".join(lines) + "\n"
        return "".join(("- " if k == 0 else "  ") + l + "\n" for k, l in enumerate(lines))

    def write_assets(self):
        ids = self.asset_ids
        n_list = len(ids) // 50  # 2% of assets live in YAML list files of 10
        single, listed = ids[:len(ids) - n_list], ids[len(ids) - n_list:]
        for aid in single:
            self.write("assets/%s.yaml" % aid, self.asset_record(aid))
        for b in range(0, len(listed), 10):
            chunk = listed[b:b + 10]
            text = "# Assets imported from the CMDB export, batch %d.\n\n" % (b // 10 + 1)
            text += "\n".join(self.asset_record(a, indent="- ") for a in chunk)
            self.write("assets/cmdb-batch-%02d.yaml" % (b // 10 + 1), text)

    def score_value(self, v, labels):
        """A likelihood/impact as people write it: integer or label."""
        return str(v) if self.rng.random() < 0.4 else q(labels[v - 1])

    def risk_fields(self, r):
        rng = self.rng
        ti = rng.randrange(len(THREATS))
        asset_title = "%s %s" % (rng.choice(SYSTEMS), rng.choice(DATA))
        f = [
            "id: " + r["id"],
            "title: " + q("%s affecting %s" % (THREATS[ti], asset_title)),
            "owner: " + q(self.owner()),
            "assets: " + flow(r["assets"]),
            "threat: " + q(THREATS[ti]),
            "vulnerability: " + q(rng.choice(VULNERABILITIES)),
            "likelihood: " + self.score_value(r["l"], SCALE_LIKELIHOOD),
            "impact: " + self.score_value(r["i"], SCALE_IMPACT),
            "treatment: " + r["written"],
        ]
        if r["res"]:
            f.append("residual: {likelihood: %s, impact: %s}" % (
                self.score_value(r["res"][0], SCALE_LIKELIHOOD),
                self.score_value(r["res"][1], SCALE_IMPACT)))
        if r["needs_acceptance"]:
            d = date_in(rng, datetime.date(2026, 1, 5), datetime.date(2026, 11, 20))
            if r["option"] == "accept" and r["l"] * r["i"] <= ACCEPT_MAX and rng.random() < 0.6:
                f.append("acceptance: {by: %s, date: %s}" % (q(self.owner()), d))
            else:
                f.append("acceptance:")
                f.append("  by: " + q(rng.choice(EXECUTIVES)))
                f.append("  date: %s" % d)
                f.append("  rationale: >-")
                for l in self.wrap(self.para(20, 40), 86).split("\n"):
                    f.append("    " + l)
        elif r["option"] != "avoid":
            # The owner accepted the residual risk (residual-accepted, 6.1.3 f). No draw
            # from the random generator: the rest of the tree stays as it was.
            d = datetime.date(2026, 1, 5) + datetime.timedelta(days=int(r["id"][2:]) % 300)
            f.append("acceptance: {by: %s, date: %s}" % (f[2][len("owner: "):], d))
        return f

    def risk_body(self, r):
        refs = list(r["assets"][:2]) + r["treatments"][:1]
        parts = [self.wrap(self.para(30, 70, refs=refs))]
        if self.rng.random() < 0.5:
            parts.append(self.wrap(self.para(20, 50)))
        return "\n\n".join(parts)

    def write_risks(self):
        rng = self.rng
        n_list = len(self.risks) // 50  # 2% in register list files of 25
        single, listed = self.risks[:len(self.risks) - n_list], self.risks[len(self.risks) - n_list:]
        for r in single:
            x = rng.random()
            f = self.risk_fields(r)
            if x < 0.15:  # Markdown with front matter and a narrative
                body = "## Narrative\n\n" + self.risk_body(r) + "\n"
                if rng.random() < 0.5:
                    body += "\n## Existing controls\n\n- " + "\n- ".join(
                        self.para(6, 14) for _ in range(rng.randint(2, 4))) + "\n"
                self.write("risks/%s.md" % r["id"], "---\n" + "\n".join(f) + "\n---\n" + body)
            elif x < 0.30:  # YAML with a body field
                text = "\n".join(f) + "\n" + literal("body", self.risk_body(r))
                self.write("risks/%s.yaml" % r["id"], text)
            else:
                self.write("risks/%s.yaml" % r["id"], "\n".join(f) + "\n")
        for b in range(0, len(listed), 25):
            chunk = listed[b:b + 25]
            out = ["# Risk register import from the 2026 annual risk workshop, part %d.\n"
                   % (b // 25 + 1)]
            for r in chunk:
                f = self.risk_fields(r)
                out.append("".join(("- " if k == 0 else "  ") + l + "\n" for k, l in enumerate(f)))
            self.write("risks/register-part-%02d.yaml" % (b // 25 + 1), "\n".join(out))

    def write_treatments(self):
        rng = self.rng
        for t in self.treatments:
            due = date_in(rng, datetime.date(2027, 1, 4), datetime.date(2027, 12, 17))
            status = rng.choice(["planned", "planned", "in-progress", "in-progress", "done"])
            system = rng.choice(SYSTEMS)
            f = [
                "id: " + t["id"],
                "title: " + q("%s %s" % (rng.choice(ACTIONS), system)),
                "risks: " + flow(t["risks"]),
                "controls: " + flow(t["controls"]),
                "owner: " + q(self.owner()),
                "due: %s" % due,
                "status: " + status,
            ]
            body = self.wrap(self.para(25, 60, refs=t["controls"][:1]))
            if rng.random() < 0.3:
                body += "\n\nMilestones:\n\n" + "\n".join(
                    "%d. %s" % (k + 1, self.para(5, 12)) for k in range(rng.randint(2, 4)))
            if rng.random() < 0.1:
                self.write("treatments/%s.md" % t["id"],
                           "---\n" + "\n".join(f) + "\n---\n" + body + "\n")
            else:
                self.write("treatments/%s.yaml" % t["id"],
                           "\n".join(f) + "\n" + literal("body", body))

    def write_evidence(self):
        rng = self.rng
        kinds = [("access-review-%s.csv", "Quarterly access review export"),
                 ("restore-test-%s.md", "Backup restore test record"),
                 ("pentest-summary-%s.md", "Penetration test summary"),
                 ("training-completion-%s.csv", "Security awareness completion report")]
        for k in range(self.n["evidence"]):
            name, title = kinds[k % len(kinds)]
            rel = "evidence/" + name % ("2026-q%d-%02d" % (k % 4 + 1, k))
            if rel.endswith(".csv"):
                rows = ["user,system,decision,reviewer"] + [
                    "user%03d,%s,%s,%s" % (rng.randrange(1000), rng.choice(SYSTEMS),
                                           rng.choice(["keep", "remove", "reduce"]),
                                           rng.choice(TEAMS)) for _ in range(40)]
                self.write(rel, "\n".join(rows) + "\n")
            else:
                self.write(rel, "# %s\n\n%s\n" % (title, self.wrap(self.para(60, 120))))
            self.evidence.append((rel, title))

    def write_controls(self):
        rng = self.rng
        titles = {c[0]: c[1] for c in self.catalog}
        for cid, title, _theme in self.catalog:
            if cid in self.excluded:
                f = ["id: " + q(cid), "applicable: false",
                     "justification: >-"]
                why = EXCLUDED[cid] if cid in EXCLUDED else self.para(15, 30)
                for l in self.wrap(why, 88).split("\n"):
                    f.append("  " + l)
                self.write("controls/%s.yaml" % cid, "\n".join(f) + "\n")
                continue
            status = rng.choice(["implemented"] * 6 + ["partial", "partial", "planned",
                                                       "not-started"])
            f = ["id: " + q(cid), "applicable: true", "status: " + status,
                 "owner: " + q(self.owner())]
            reasons = []
            if self.selected[cid] == 0 or rng.random() < 0.4:
                reasons = rng.sample(["legal", "contractual", "business", "best-practice"],
                                     rng.randint(1, 2))
                f.append("reasons: " + flow(reasons))
            if self.ctl_policies[cid]:
                f.append("policies: " + flow(self.ctl_policies[cid]))
            if self.evidence and rng.random() < 0.5:
                f.append("evidence:")
                for _ in range(rng.randint(1, 2)):
                    rel, et = rng.choice(self.evidence)
                    f.append("  - {path: %s, title: %s}" % (rel, q(et)))
                if rng.random() < 0.5:
                    f.append("  - {url: %s, title: %s}" % (
                        q("https://intranet.example.com/isms/%s" % cid.lower()),
                        q("Runbook for " + cid)))
            refs = self.ctl_policies[cid][:1]
            body = ["# %s" % titles[cid], "",
                    self.wrap(self.para(40, 90, refs=refs)), "",
                    "## How it is operated", ""]
            for _ in range(rng.randint(2, 5)):
                body.append("- " + self.para(8, 20))
            body += ["", self.wrap(self.para(30, 60))]
            body = "\n".join(body)
            if rng.random() < 0.8:
                self.write("controls/%s.md" % cid, "---\n" + "\n".join(f) + "\n---\n" + body + "\n")
            else:
                self.write("controls/%s.yaml" % cid, "\n".join(f) + "\n" + literal("body", body))

    def write_policies(self):
        rng = self.rng
        for k, p in enumerate(self.policies):
            topic, about = TOPICS[k % len(TOPICS)]
            subject = SUBJECTS[(k // len(TOPICS)) % len(SUBJECTS)]
            title = "%s Policy" % topic + (" – %s" % subject if subject else "")
            if k >= len(TOPICS) * len(SUBJECTS):
                title += " (%d)" % (k // (len(TOPICS) * len(SUBJECTS)) + 1)
            approved = date_in(rng, datetime.date(2025, 12, 1), datetime.date(2026, 11, 20))
            review = date_in(rng, datetime.date(2027, 1, 15), datetime.date(2027, 11, 15))
            major, minor = rng.randint(1, 4), rng.randint(0, 9)
            fm = [
                "id: " + p["id"],
                "title: " + q(title),
                "owner: " + q(self.owner()),
                'version: "%d.%d"' % (major, minor),
                "status: approved",
                "approved: {by: %s, date: %s}" % (q(rng.choice(EXECUTIVES)), approved),
                "review: %s" % review,
                "classification: " + rng.choice(["internal", "internal", "public", "confidential"]),
                "controls: " + flow(p["controls"]),
            ]
            if k == 0:  # the information security policy (isms.yaml's policy:)
                fm.append("clauses: " + flow(self.policy_clauses()))
            others = [x for x in rng.sample(self.pol_ids, min(3, len(self.pol_ids)))
                      if x != p["id"]][:2]
            risk = rng.choice(self.risk_ids)
            asset = rng.choice(self.asset_ids)
            b = []
            b += ["# %s" % title, "", "## 1. Purpose", "",
                  self.wrap("This policy sets the rules for %s at the organisation. %s"
                            % (about, self.para(30, 60))), "",
                  "## 2. Scope", "",
                  self.wrap("It applies to all employees, contractors and suppliers who handle "
                            "information within the ISMS scope, and to every system listed in "
                            "the asset inventory, such as [[%s]]. %s" % (asset, self.para(20, 40))),
                  "", "## 3. Roles and responsibilities", "",
                  "| Role | Responsibility | Review cadence |",
                  "|---|---|---|"]
            for _ in range(rng.randint(4, 7)):
                b.append("| %s | %s | %s |" % (
                    rng.choice(OWNERS), self.para(6, 14),
                    rng.choice(["Monthly", "Quarterly", "Annually", "On change"])))
            b += ["", "## 4. Policy statements", ""]
            for s in range(rng.randint(3, 5)):
                b.append("%d. %s" % (s + 1, self.para(10, 25)))
                for _ in range(rng.randint(1, 3)):
                    b.append("   - " + self.para(6, 16))
                    if rng.random() < 0.3:
                        b.append("     - " + self.para(5, 12))
            b += ["", "## 5. Controls and related documents", "",
                  self.wrap("This policy implements %s. It should be read together with %s. "
                            "The driving risk is recorded as [[%s]]." % (
                                ", ".join("[[%s]]" % c for c in p["controls"]),
                                " and ".join("[[%s]]" % o for o in others) or "the ISMS manual",
                                risk)),
                  "", "## 6. Exceptions", "", self.wrap(self.para(30, 60)), "",
                  "## 7. Compliance", "", self.wrap(self.para(30, 60)), "",
                  "> **Note.** Breaches of this policy may lead to disciplinary action.", ""]
            self.write("policies/%s.md" % p["id"],
                       "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(b))

    def policy_clauses(self):
        """The clauses POL-001 documents. Without the Check and Act records it also stands
        for them (a GRC tool holds them), so `readiness` holds on both trees."""
        cs = ["5.2", "7.2"]
        if not self.cycle:
            cs += ["6.2", "9.1", "9.2", "9.3", "10.2"]
        return [c for c in cs if c in self.clauses]

    def write_manifest(self):
        self.write("isms.yaml", """\
# Synthetic ISMS generated by bench/gen_tree.py for benchmarking ismsc. Not a real company.
organisation: Benchmark Ledger Ltd
title: Benchmark Ledger Information Security Management System
catalog: iso27001-2022
version: "1.0"
owner: Chief Information Security Officer
approved: {by: Priya Raman (Chief Executive Officer), date: 2026-03-12}
classifications: [public, internal, confidential, restricted]
risk:
  likelihood: [Rare, Unlikely, Possible, Likely, Almost certain]
  impact: [Negligible, Minor, Moderate, Major, Severe]
  accept_max: 6
  levels:
    - {max: 4, name: Low}
    - {max: 9, name: Medium}
    - {max: 15, name: High}
    - {max: 25, name: Critical}
policy: %s
review:
  policy_max_age_days: 365
  management_max_age_days: 365
audit:
  cycle_months: 36
""" % self.pol_ids[0])
        self.write("scope.md", """\
---
id: ISMS-SCOPE
title: Scope of the Information Security Management System
owner: Chief Information Security Officer
version: "1.0"
approved: {by: Priya Raman (Chief Executive Officer), date: 2026-03-12}
includes:
  - The design, development, operation and support of the Benchmark Ledger platform
  - All employees and contractors, and the company-issued devices they use
excludes:
  - Customers' own systems that connect to the platform through its APIs
interfaces:
  - Cloud hosting providers under the shared responsibility model
locations:
  - Remote working in the United Kingdom and Ireland
---
# Scope statement

Benchmark Ledger Ltd establishes, implements, maintains and continually improves an
information security management system covering the provision of its platform. The policy
set starts at [[%s]]; the Statement of Applicability lists every control of the catalog.
""" % self.pol_ids[0])

    def run(self):
        self.plan()
        self.write_manifest()
        self.write_assets()
        self.write_risks()
        self.write_treatments()
        self.write_evidence()
        self.write_controls()
        self.write_policies()
        if self.cycle:
            self.cycle_counts = write_cycle(self, TODAY, self.clauses)


def main():
    ap = argparse.ArgumentParser(description="Generate a synthetic ISMS tree for benchmarks.")
    ap.add_argument("outdir", help="folder to create (must not exist, or be empty)")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply the record counts (1.0 is about 10,000 files)")
    ap.add_argument("--seed", type=int, default=27001)
    ap.add_argument("--catalog", help="catalog YAML (default: compiler/catalogs/iso27001-2022.yaml)")
    ap.add_argument("--no-cycle", action="store_true",
                    help="leave out objectives, metrics, audits, nonconformities and reviews")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args()
    if a.scale <= 0:
        ap.error("--scale must be positive")
    cat_path = a.catalog or default_catalog()
    if not cat_path or not os.path.isfile(cat_path):
        ap.error("catalog not found; pass --catalog FILE")
    if os.path.exists(a.outdir) and (not os.path.isdir(a.outdir) or os.listdir(a.outdir)):
        print("gen_tree: %s exists and is not an empty folder" % a.outdir, file=sys.stderr)
        return 2
    catalog = read_catalog(cat_path)
    if not catalog:
        print("gen_tree: no controls in %s" % cat_path, file=sys.stderr)
        return 2
    os.makedirs(a.outdir, exist_ok=True)
    g = Gen(a.outdir, a.scale, a.seed, catalog, read_clauses(cat_path), not a.no_cycle)
    g.run()
    if not a.quiet:
        n = g.n
        print("gen_tree: %d files, %d bytes in %s (%d assets, %d risks, %d treatments, "
              "%d policies, %d controls of which %d excluded)" % (
                  g.files, g.bytes, a.outdir, n["assets"], n["risks"], n["treatments"],
                  n["policies"], len(catalog), len(g.excluded)))
        if g.cycle:
            print("gen_tree: and %(objectives)d objectives, %(metrics)d metrics, %(audits)d audits "
                  "with %(findings)d findings, %(nonconformities)d nonconformities, "
                  "%(reviews)d reviews" % g.cycle_counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""VS Code's YAML extension, for real: yaml-language-server (its engine) completes fields and
enum values and flags mistakes in a tree `ismsc init` made, from the schemas and the
.vscode/settings.json init wrote (SPEC §6, docs/interchange.md "Setting up an editor").

The server is driven over stdio with the Language Server Protocol as VS Code drives it: it
is given the workspace's `yaml.schemas` setting, opens files, and is asked for completions
and diagnostics. Skipped (exit 77) when tests/editor/install-npm.sh has not been run.
usage: run.py ISMSC
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import queue

sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import Checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "node_modules", ".bin", "yaml-language-server")
checks = Checks("editor")
check = checks.check


class Client:
    """A minimal LSP client: requests with ids, notifications, and answers to the server's
    own requests (workspace/configuration) from the settings given."""

    def __init__(self, root, settings):
        self.proc = subprocess.Popen([SERVER, "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=root)
        self.settings = settings
        self.next_id = 0
        self.messages = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.messages.put(json.loads(out.read(length)))

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, want, timeout=30):
        """Handles messages until want(msg) is true; returns that message (or None)."""
        import time
        end = time.time() + timeout
        while time.time() < end:
            try:
                msg = self.messages.get(timeout=max(0.1, end - time.time()))
            except queue.Empty:
                return None
            if "method" in msg and "id" in msg:  # a request of the server's
                result = None
                if msg["method"] == "workspace/configuration":
                    result = [self.settings.get(i.get("section", ""), None)
                              for i in msg["params"]["items"]]
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
                continue
            if want(msg):
                return msg
        return None

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        msg = self.wait(lambda m: m.get("id") == rid and "method" not in m)
        return msg.get("result") if msg else None

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def main():
    if not os.path.exists(SERVER):
        print("SKIP: yaml-language-server is not installed (tests/editor/install-npm.sh)")
        sys.exit(77)
    ismsc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        tree = os.path.join(work, "acme")
        r = subprocess.run([ismsc, "init", tree], capture_output=True, text=True)
        check(r.returncode == 0, f"init ({r.stderr})")
        with open(os.path.join(tree, ".vscode", "settings.json")) as f:
            vscode = json.load(f)
        # VS Code resolves the workspace-relative paths of yaml.schemas; so do we
        schemas = {"file://" + os.path.normpath(os.path.join(tree, k)): v
                   for k, v in vscode["yaml.schemas"].items()}
        settings = {"yaml": {"schemas": schemas, "validate": True, "completion": True,
                             "hover": True, "format": {"enable": False}},
                    "http": {"proxy": "", "proxyStrictSSL": False}}
        c = Client(tree, settings)
        root_uri = "file://" + tree
        init = c.request("initialize", {"processId": os.getpid(), "rootUri": root_uri,
                                        "capabilities": {"textDocument": {"completion": {
                                            "completionItem": {"snippetSupport": False}}}},
                                        "workspaceFolders": [{"uri": root_uri, "name": "acme"}]})
        check(init is not None and "capabilities" in init, "the server initialises")
        c.notify("initialized", {})
        c.notify("workspace/didChangeConfiguration", {"settings": settings})

        def open_doc(rel, text):
            uri = "file://" + os.path.join(tree, rel)
            c.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
            return uri

        def diagnostics(uri):
            msg = c.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri and m["params"]["diagnostics"])
            return [d["message"] for d in msg["params"]["diagnostics"]] if msg else []

        def labels(uri, line, character):
            # the first answers may come before the server has read the schemas: ask again
            for _ in range(20):
                res = c.request("textDocument/completion",
                                {"textDocument": {"uri": uri},
                                 "position": {"line": line, "character": character}})
                items = res.get("items", res) if isinstance(res, dict) else (res or [])
                if items:
                    return {i["label"] for i in items}
                time.sleep(0.5)
            return set()

        # Fields of a risk complete on an empty line.
        risk = open_doc("risks/R-001.yaml", "id: R-001\ntitle: Laptop theft\n\n")
        got = labels(risk, 2, 0)
        check({"owner", "likelihood", "impact", "treatment", "residual"} <= got,
              f"a risk's fields complete ({sorted(got)[:12]})")
        # Enum values complete after the key.
        treat = open_doc("treatments/T-001.yaml", "id: T-001\nstatus: \n")
        got = labels(treat, 1, 8)
        check({"planned", "in-progress", "done", "cancelled"} <= got,
              f"a treatment's status values complete ({sorted(got)})")
        # Mistakes are flagged: a misspelt field, a value not in the enum, a missing field.
        bad = open_doc("risks/R-002.yaml", "id: R-002\ntitle: Fire\nowmer: CISO\nlikelihood: 2\n"
                                          "impact: 2\ntreatment: fix\n")
        msgs = diagnostics(bad)
        text = " | ".join(msgs)
        check(any("owmer" in m or "not allowed" in m for m in msgs),
              f"a misspelt field is flagged ({text})")
        check(any("owner" in m for m in msgs), f"the missing owner is flagged ({text})")
        check(any("treatment" in m.lower() or "pattern" in m.lower() or "enum" in m.lower()
                  or "Value is not accepted" in m for m in msgs),
              f"an unknown treatment is flagged ({text})")
        good = open_doc("assets/A-001.yaml", "id: A-001\ntitle: Laptops\nowner: IT\ntype: hardware\n")
        msg = c.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                     and m["params"]["uri"] == good, timeout=15)
        check(msg is None or not msg["params"]["diagnostics"],
              f"a good asset has no diagnostics ({msg and msg['params']['diagnostics']})")
        manifest = os.path.join(tree, "isms.yaml")
        with open(manifest) as f:
            text = f.read()
        uri = open_doc("isms.yaml", text.replace("organisation:", "organization:"))
        msgs = diagnostics(uri)
        check(any("organisation" in m or "organization" in m for m in msgs),
              f"isms.yaml is checked too ({msgs})")
        c.close()
    checks.finish()


main()

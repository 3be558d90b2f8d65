"""A minimal Chrome DevTools Protocol client for headless Debian Chromium, over
--remote-debugging-pipe (fd 3: commands to the browser, fd 4: replies and events, each
message JSON ended by a NUL byte). Standard library only: no websocket, no pip package.
"""
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# The flags of the machine's documented headless setup; without the background-networking
# ones Chromium phones home at start (and fails, on a closed network).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio",
         "--remote-debugging-pipe"]


class CDPError(Exception):
    pass


class Browser:
    def __init__(self, timeout=30):
        if not os.access(CHROMIUM, os.X_OK):
            raise CDPError(f"{CHROMIUM} not found: run scripts/install-deps --browser")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="ismsc-chromium-")
        to_browser_r, self._w = os.pipe()
        self._r, from_browser_w = os.pipe()
        # Chromium reads fd 3 and writes fd 4 of its own process.
        # (via high numbers first, in case either pipe end already is fd 3 or 4)
        def child_fds():
            r, w = os.dup2(to_browser_r, 100), os.dup2(from_browser_w, 101)
            os.dup2(r, 3)
            os.dup2(w, 4)
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.profile, "stderr.log"), "wb"),
            preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._next_id = 0
        self.events = []  # (sessionId, method, params), in arrival order

    # ---------------------------------------------------------------- transport
    def _send(self, msg):
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self._w, data)
            data = data[n:]

    def _read_one(self, deadline):
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError("timed out waiting for the browser")
            ready, _, _ = select.select([self._r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise CDPError("the browser closed its pipe (crashed?); see "
                               + os.path.join(self.profile, "stderr.log"))
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def _record(self, m):
        self.events.append((m.get("sessionId"), m["method"], m.get("params", {})))
        # A dialog (alert) would block the page: note it (it is an event) and dismiss it.
        if m["method"] == "Page.javascriptDialogOpening":
            self._next_id += 1
            self._send({"id": self._next_id, "method": "Page.handleJavaScriptDialog",
                        "params": {"accept": True}, "sessionId": m.get("sessionId")})

    def send(self, method, params=None, session=None, timeout=None):
        self._next_id += 1
        mid = self._next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._send(msg)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            m = self._read_one(deadline)
            if m.get("id") == mid:
                if "error" in m:
                    raise CDPError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self._record(m)

    def wait_event(self, method, session=None, timeout=None, after=0):
        """Waits for an event (recorded at index >= after), or any of a tuple of them;
        returns its index."""
        deadline = time.monotonic() + (timeout or self.timeout)
        i = after
        while True:
            while i < len(self.events):
                s, meth, _ = self.events[i]
                if (meth == method or meth in method) and (session is None or s == session):
                    return i
                i += 1
            m = self._read_one(deadline)
            if "method" in m:
                self._record(m)

    def drain(self, seconds):
        """Collects the events that arrive within seconds."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                m = self._read_one(deadline)
                if "method" in m:
                    self._record(m)
        except CDPError as e:
            if "timed out" not in str(e):
                raise

    # ---------------------------------------------------------------- pages
    def new_page(self, width=1280, height=900):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                  session=session)
        return session

    def navigate(self, session, url):
        """Loads url and waits for its load event; returns the index of the first event of
        this navigation."""
        start = len(self.events)
        res = self.send("Page.navigate", {"url": url}, session=session)
        if res.get("errorText"):
            raise CDPError(f"navigate {url}: {res['errorText']}")
        self.wait_event("Page.loadEventFired", session=session, after=start)
        self.drain(0.2)  # late console messages and requests
        return start

    def click(self, session, selector):
        """Clicks the element as a person would (scrolled into view, a mouse press and
        release at its centre) and waits until the page it leads to has loaded, or the
        same page has moved to the fragment. Returns the index of the first event."""
        box = self.evaluate(session, f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el) return null;
            el.scrollIntoView({{block: 'center', inline: 'center'}});
            const r = el.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2];
        }})()""")
        if box is None:
            raise CDPError(f"click: no element matches {selector!r} on {self.url(session)}")
        start = len(self.events)
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                   "button": "left", "clickCount": 1},
                      session=session)
        self.wait_event(("Page.loadEventFired", "Page.navigatedWithinDocument"),
                        session=session, after=start)
        self.drain(0.1)
        return start

    def url(self, session):
        return self.evaluate(session, "location.href")

    def evaluate(self, session, expression):
        res = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                        session=session)
        if "exceptionDetails" in res:
            raise CDPError(f"evaluate: {res['exceptionDetails']}")
        return res["result"].get("value")

    def close(self):
        try:
            self._send({"id": 0, "method": "Browser.close"})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._r, self._w):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

"""`modelcat serve` end to end: a real server in a subprocess, a record edited under it.

One server runs for the module (start-up and the first build cost about a second).
The server's stderr is read by a thread into a queue, the live-reload event stream
by another: nothing here can block for longer than its own timeout.

What is checked:
- HTML responses carry the live-reload script; the built files on disk do not;
- editing a record rebuilds and announces a new version over the event stream
  (the latency is printed: run with -s to see it), and the new page is served;
- breaking a record announces ok false with the path:line:col: problem line, the
  terminal shows the same line, and the last good page is still served;
- fixing it announces a new good version;
- a missing path gets status 404 with the site's own 404 page.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.builds import EXAMPLE, REPO, TODAY_EPOCH

EVENTS = "/__modelcat/events"
MODEL_REL = "catalog/models/meta/llama-3.2-1b-instruct.yaml"
MODEL_URL = "/models/meta/llama-3.2-1b-instruct/"
MODEL_FILE = Path("models/meta/llama-3.2-1b-instruct/index.html")
OLD_NAME = "name: Llama-3.2-1b-Instruct\n"
NEW_NAME = "Llama Served Fresh"
START_TIMEOUT = 20.0
EVENT_TIMEOUT = 10.0  # generous: the 0.3 s target is the benchmark's business
SERVING = re.compile(r"^serving (.*) at http://(\S+):(\d+)/ ")


@dataclass
class Server:
    proc: subprocess.Popen
    project: Path
    site: Path
    port: int
    host: str = "127.0.0.1"
    stderr: list[str] = field(default_factory=list)  # every line so far (the reader appends)
    lines: queue.Queue = field(default_factory=queue.Queue)
    reader: threading.Thread | None = None

    def get(self, path: str, timeout: float = 5.0) -> tuple[int, str]:
        """GET path; return (status, body) for any status, 404 included."""
        try:
            with urllib.request.urlopen(f"http://{self.host}:{self.port}{path}", timeout=timeout) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            with err:
                return err.code, err.read().decode("utf-8")

    def wait_stderr(self, predicate, timeout: float) -> str:
        """Return the first stderr line (already seen or still to come) for which predicate holds."""
        for line in list(self.stderr):
            if predicate(line):
                return line
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no such stderr line in {timeout} s; stderr so far:\n"
                                     + "".join(self.stderr))
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError("the server exited; stderr:\n" + "".join(self.stderr))
            if predicate(line):
                return line


def _read_stderr(proc: subprocess.Popen, sink: list[str], lines: queue.Queue) -> None:
    for line in iter(proc.stderr.readline, ""):
        sink.append(line)
        lines.put(line)
    lines.put(None)  # end of stream: the server exited


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def start_server(tmp: Path, *args: str, out: bool = True, env: dict[str, str] | None = None,
                 prelude: str = "") -> Server:
    """Start `modelcat serve` on a copy of the example catalog; return once it is listening.

    args are more options; with out False the server picks its own (temporary) site
    folder, and Server.site is the one it names; prelude is Python run in the server's
    process before the command."""
    project = tmp / "project"
    shutil.copytree(EXAMPLE, project / "catalog")
    site = tmp / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH, "PYTHONUNBUFFERED": "1", **(env or {})}
    command = ["-c", f"{prelude}\nfrom generator.cli import main\nmain()"] if prelude else ["-m", "generator"]
    proc = subprocess.Popen(
        [sys.executable, *command, "serve", "--project", str(project), "--port", "0",
         *(("--out", str(site)) if out else ()), *args],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", errors="replace")
    srv = Server(proc, project, site, port=0)
    srv.reader = threading.Thread(target=_read_stderr, args=(proc, srv.stderr, srv.lines), daemon=True)
    srv.reader.start()
    try:
        line = srv.wait_stderr(SERVING.match, START_TIMEOUT)
    except BaseException:
        _stop(proc)
        raise
    named, srv.host, port = SERVING.match(line).groups()
    srv.site, srv.port = Path(named), int(port)
    return srv


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = start_server(tmp_path_factory.mktemp("serve"))
    try:
        yield srv
    finally:
        _stop(srv.proc)


class EventStream:
    """The server-sent events of EVENTS, read by a thread: (perf_counter at receipt, event) pairs."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.conn.request("GET", EVENTS)
        self.sock = self.conn.sock  # getresponse() hands the socket over to the response
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")
        self.events: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while True:
                line = self.response.readline()
                if not line:
                    break
                if line.startswith(b"data:"):
                    self.events.put((time.perf_counter(), json.loads(line[5:].decode("utf-8"))))
        except (OSError, ValueError, http.client.HTTPException):
            pass
        finally:
            self.events.put(None)

    def wait(self, predicate, timeout: float = EVENT_TIMEOUT) -> tuple[float, dict]:
        """Return (receipt time, event) of the next event for which predicate holds."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching event in {timeout} s; events so far: {self.seen}")
            try:
                item = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if item is None:
                raise AssertionError(f"the event stream closed; events so far: {self.seen}")
            self.seen.append(item[1])
            if predicate(item[1]):
                return item

    def close(self) -> None:
        # Shut the socket down first: it wakes the reader thread, which holds the response's
        # buffer until the next keep-alive (15 s) otherwise, and response.close() waits for it.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(timeout=5)
        self.response.close()
        self.conn.close()


@pytest.fixture
def events(server: Server):
    stream = EventStream(server.port)
    try:
        yield stream
    finally:
        stream.close()


def _without_script(body: str) -> str:
    """Return body with the injected live-reload script cut out."""
    start = body.index("<script>(function(){var es=new EventSource")
    end = body.index("</script>", start) + len("</script>")
    return body[:start] + body[end:]


def _assert_live(body: str) -> None:
    assert f'new EventSource("{EVENTS}")' in body, "the live-reload script is not in the page"
    # injected once, inside the document, before </body>
    assert body.count(EVENTS) == 1
    assert body.index(EVENTS) < body.rindex("</body>")


def test_pages_are_served_with_the_reload_script_the_files_without(server: Server) -> None:
    for url, rel in (("/", Path("index.html")), (MODEL_URL, MODEL_FILE)):
        status, body = server.get(url)
        assert status == 200, url
        _assert_live(body)
        on_disk = (server.site / rel).read_text(encoding="utf-8")
        assert EVENTS not in on_disk and "EventSource" not in on_disk, f"{rel} on disk holds the script"
        # apart from the script, the response is the built file byte for byte
        assert _without_script(body) == on_disk


def test_a_missing_path_gets_the_404_page(server: Server) -> None:
    on_disk = (server.site / "404.html").read_text(encoding="utf-8")
    for url in ("/no/such/page/", "/models/meta/no-such-model/", "/nothing.html"):
        status, body = server.get(url)
        assert status == 404, url
        _assert_live(body)
        assert _without_script(body) == on_disk


def test_edit_break_and_fix_a_record_under_the_server(server: Server, events: EventStream) -> None:
    record = server.project / MODEL_REL
    good = record.read_text(encoding="utf-8")
    assert good.count(OLD_NAME) == 1 and good.count("context: 128000\n") == 1

    _, first = events.wait(lambda e: True)
    assert first["ok"] is True and first["problems"] == [] and first["version"] >= 1

    status, before = server.get(MODEL_URL)
    assert status == 200 and NEW_NAME not in before

    # 1. edit: a new version, announced within the (generous) bound; the new page is served
    edited = good.replace(OLD_NAME, f"name: {NEW_NAME}\n")
    record.write_text(edited, encoding="utf-8")
    saved = time.perf_counter()
    received, event = events.wait(lambda e: e["version"] > first["version"] and e["ok"])
    ms = (received - saved) * 1000
    print(f"serve: edit -> reload event in {ms:.0f} ms")
    assert ms < EVENT_TIMEOUT * 1000
    assert event["problems"] == []
    status, body = server.get(MODEL_URL)
    assert status == 200
    assert NEW_NAME in body
    _assert_live(body)
    # the page came from memory (generator.live), ahead of the build; the file on disk follows
    # with the same bytes
    server.wait_stderr(lambda line: re.match(r"served [0-9,]+ changed files from memory in ", line), EVENT_TIMEOUT)
    _, built = events.wait(lambda e: e["version"] > event["version"] and e["ok"])
    on_disk = (server.site / MODEL_FILE).read_text(encoding="utf-8")
    assert NEW_NAME in on_disk and EVENTS not in on_disk
    assert _without_script(body) == on_disk
    good_version = built["version"]

    # 2. break: ok false with the problem line; the terminal shows it; the last good page stays
    record.write_text(edited.replace("context: 128000\n", "context: lots\n"), encoding="utf-8")
    _, broken = events.wait(lambda e: not e["ok"])
    last_good = [e for e in events.seen[:-1] if e["ok"]][-1]  # (a save may rebuild twice)
    assert broken["version"] == last_good["version"] >= good_version, \
        "a failed build must not bump the version"
    assert broken["problems"], broken
    problem = next((p for p in broken["problems"] if p.startswith(f"{MODEL_REL}:")), None)
    assert problem is not None, broken["problems"]
    assert re.match(rf"{re.escape(MODEL_REL)}:15:12: limits\.context: ", problem), problem
    assert "lots" in problem
    server.wait_stderr(lambda line: line.rstrip("\n") == problem, EVENT_TIMEOUT)
    server.wait_stderr(lambda line: "still serving the last good build" in line, EVENT_TIMEOUT)
    status, body = server.get(MODEL_URL)
    assert status == 200
    assert NEW_NAME in body, "the last good page must still be served"
    _assert_live(body)
    assert 'getElementById("modelcat-errors")' in body  # the overlay lives in the injected script
    assert NEW_NAME in (server.site / MODEL_FILE).read_text(encoding="utf-8")

    # 3. fix: a new good version, no problems
    record.write_text(edited, encoding="utf-8")
    _, fixed = events.wait(lambda e: e["ok"])
    assert fixed["version"] > broken["version"]
    assert fixed["problems"] == []
    status, body = server.get(MODEL_URL)
    assert status == 200 and NEW_NAME in body
    assert server.proc.poll() is None, "the server must survive a broken record"


def test_the_server_stops_on_interrupt(tmp_path: Path) -> None:
    """SIGINT (Ctrl+C) ends the server cleanly, even with an event stream open."""
    srv = start_server(tmp_path)
    try:
        stream = EventStream(srv.port)
        try:
            stream.wait(lambda e: True)
            srv.proc.send_signal(signal.SIGINT)
            assert srv.proc.wait(timeout=5) == 0
        finally:
            stream.close()
        srv.reader.join(timeout=5)
        assert "Traceback" not in "".join(srv.stderr), "".join(srv.stderr)
    finally:
        _stop(srv.proc)

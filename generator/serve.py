"""`modelcat serve`: build, serve on 127.0.0.1, rebuild on save, reload open pages.

The built files stay exactly what `build` writes; the live-reload script is
injected into HTML responses only. A broken record keeps the last good site
served and shows its problem lines in the terminal and over the page.

The server is for the author's own browser, and holds up against other pages in it
and against idle connections: it answers only requests naming a loopback host (or
the --host address), so a DNS-rebinding page cannot read it; it runs at most WORKERS
threads however many connections are open; it lists no folders. Its socket is bound
before the first build, so a port in use is one line, at once. A temporary site is
removed on Ctrl+C or SIGTERM. tests/test_serve.py edits a record under a running
server; tests/test_serve_security.py holds the rest.
"""

from __future__ import annotations

import errno
import functools
import io
import ipaddress
import json
import os
import queue
import select
import selectors
import shutil
import signal
import socket
import tempfile
import threading
import time
from http import HTTPStatus
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click

from .live import LiveCatalog
from .problems import CatalogError

EVENTS = "/__modelcat/events"
WORKERS = 32  # threads answering requests, event streams included
STREAMS = 16  # event streams open at once (one per open tab); each holds a worker
KEEP_ALIVE = 15  # seconds between comments on a quiet event stream
IDLE_TIMEOUT = 10.0  # seconds a connection may stay silent before or within its request
WAITING_MAX = 256  # connections whose request head has not all arrived; beyond, the oldest is closed
HEAD_MAX = 65536  # bytes of a request head read before a worker takes it (and refuses a longer one)
REARM_MS = 500  # how often the watcher checks that catalog/ and templates/ are the same folders
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
RELOAD_SCRIPT = """<script>(function(){var es=new EventSource("/__modelcat/events"),seen=null;
function show(p){var d=document.getElementById("modelcat-errors");if(!p.length){if(d)d.remove();return}
if(!d){d=document.createElement("div");d.id="modelcat-errors";d.setAttribute("role","alert");
d.style.cssText="position:fixed;inset:auto 1rem 1rem 1rem;z-index:9999;max-height:50vh;overflow:auto;background:#1f0b0b;color:#ffd7d7;border:2px solid #e5484d;border-radius:8px;padding:1rem;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap";
document.body.appendChild(d)}d.textContent="modelcat: the catalog has problems; showing the last good build\\n\\n"+p.join("\\n")}
es.onmessage=function(e){var s=JSON.parse(e.data);if(seen!==null&&s.version!==seen&&s.ok){location.reload();return}
seen=s.version;show(s.problems)};})();</script>"""


class ServeError(click.ClickException):
    """A server that cannot start (port in use, address not here): one line, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class State:
    """The server's view of the latest build: a version that bumps on success, and problems."""

    def __init__(self):
        self.version = 0
        self.ok = True
        self.good = False  # whether any build has succeeded yet
        self.closed = False  # the server is stopping: event streams end
        self.problems: list[str] = []
        self.cond = threading.Condition()
        # site path -> bytes: pages rendered in memory (generator.live) ahead of the site on disk
        self.ahead: dict[str, bytes] = {}

    def publish(self, ok: bool, problems: list[str]) -> None:
        with self.cond:
            if ok:
                self.version += 1
                self.good = True
            self.ok = ok
            self.problems = problems
            self.cond.notify_all()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def snapshot(self) -> dict:
        return {"version": self.version, "ok": self.ok, "problems": self.problems}


def _ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(value: str, names: frozenset[str], port: int, any_ip: bool) -> bool:
    """Whether a Host header (or an Origin's host) names this server: one of names, or with
    any_ip (bound to every interface) any IP address, each bare or with this server's port.
    A page whose own name was rebound to 127.0.0.1 sends that name, which is refused; an IP
    address cannot be rebound."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        name, close, rest = value[1:].partition("]")
        if not close or (rest and not rest.startswith(":")):
            return False
        given = rest[1:] if rest else None
    else:
        name, colon, given = value.partition(":")
        given = given if colon else None
    if given is not None and given != str(port):
        return False
    return name in names or (any_ip and _ip(name))


class DevServer(HTTPServer):
    """An HTTP server with a bounded number of threads.

    ThreadingHTTPServer starts a thread per connection: 1,000 idle connections held
    1,003 threads. Here one thread accepts connections and keeps them in a selector, with
    no thread of their own, reading what they send until the head of their request has
    arrived (a connection is closed if that takes more than IDLE_TIMEOUT, or when
    WAITING_MAX newer ones push it out); then one of at most WORKERS threads answers it
    from that head, so that no worker waits on a client that sends slowly or not at all.
    """

    request_queue_size = 128  # the listen backlog (socketserver's default is 5)

    def __init__(self, address: tuple[str, int], handler, host: str):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__(address, handler)  # binds and listens: raises OSError if it cannot
        self.host = host
        self.port = self.server_address[1]
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.port}/"
        self.names = LOOPBACK | {host.lower()}
        self.any_ip = host in ("0.0.0.0", "::", "")
        self.streams = threading.BoundedSemaphore(STREAMS)
        self.heads: dict[socket.socket, bytes] = {}  # a dispatched connection's request head
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0  # workers waiting for a job
        self._queued = 0  # jobs no worker has taken yet
        self._stop = threading.Event()

    def allows(self, value: str) -> bool:
        return host_allowed(value, self.names, self.port, self.any_ip)

    def run(self) -> None:
        """Accept and dispatch connections until stop()."""
        self.socket.setblocking(False)
        # connection -> (deadline, the head so far), oldest first
        waiting: dict[socket.socket, tuple[float, bytes]] = {}
        with selectors.DefaultSelector() as sel:
            sel.register(self.socket, selectors.EVENT_READ, None)
            try:
                while not self._stop.is_set():
                    for key, _ in sel.select(timeout=0.25):
                        if key.data is None:
                            self._accept(sel, waiting)
                        elif key.fileobj in waiting:  # (not pushed out by a newer one meanwhile)
                            self._read(sel, waiting, key.fileobj, key.data)
                    now = time.monotonic()
                    for conn, (deadline, _) in list(waiting.items()):
                        if deadline > now:
                            break
                        self._drop(sel, waiting, conn)
            finally:
                for conn in list(waiting):
                    self._drop(sel, waiting, conn)

    def _accept(self, sel: selectors.BaseSelector, waiting: dict) -> None:
        for _ in range(64):
            try:
                conn, addr = self.socket.accept()
            except BlockingIOError:
                return
            except OSError:  # out of file descriptors, say: let the queue drain a little
                time.sleep(0.05)
                return
            conn.setblocking(False)
            if len(waiting) >= WAITING_MAX:
                self._drop(sel, waiting, next(iter(waiting)))
            waiting[conn] = (time.monotonic() + IDLE_TIMEOUT, b"")
            sel.register(conn, selectors.EVENT_READ, addr)

    def _read(self, sel: selectors.BaseSelector, waiting: dict, conn: socket.socket, addr) -> None:
        """Read what conn has sent; once its request head is complete, hand it to a worker."""
        try:
            data = conn.recv(HEAD_MAX)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # closed before its request was complete
            self._drop(sel, waiting, conn)
            return
        deadline, head = waiting[conn]
        head += data
        if b"\r\n\r\n" not in head and b"\n\n" not in head and len(head) < HEAD_MAX:
            waiting[conn] = (deadline, head)  # (keeps its place: oldest first)
            return
        sel.unregister(conn)
        del waiting[conn]
        conn.setblocking(True)
        self._submit(conn, addr, head)

    @staticmethod
    def _drop(sel: selectors.BaseSelector, waiting: dict, conn: socket.socket) -> None:
        sel.unregister(conn)
        del waiting[conn]
        conn.close()

    def _submit(self, conn: socket.socket, addr, head: bytes) -> None:
        with self._lock:
            self._queued += 1
            if self._queued > self._idle and self._threads < WORKERS:
                self._threads += 1
                threading.Thread(target=self._work, daemon=True, name="modelcat-serve").start()
        self._jobs.put((conn, addr, head))

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            conn, addr, head = self._jobs.get()
            with self._lock:
                self._idle -= 1
                self._queued -= 1
            self.heads[conn] = head
            try:
                self.finish_request(conn, addr)
            except Exception:  # a client that went away mid-answer, say
                pass
            finally:
                self.heads.pop(conn, None)
                self.shutdown_request(conn)

    def stop(self) -> None:
        self._stop.set()


class Handler(SimpleHTTPRequestHandler):
    state: State
    server: DevServer
    timeout = IDLE_TIMEOUT

    def log_message(self, format, *args):  # quiet: the terminal shows builds, not requests
        pass

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # the request head has been read already (HTTP/1.0: nothing follows)
        self.rfile = io.BytesIO(self.server.heads.get(self.connection, b""))

    def parse_request(self) -> bool:
        """Refuse, for every method, a request that names another host (or comes from a
        page of another origin): the DNS-rebinding guard."""
        if not super().parse_request():
            return False
        host = self.headers.get("Host")
        origin = self.headers.get("Origin")
        if (host is None or self.server.allows(host)) and (
                origin is None or self.server.allows(urlsplit(origin).netloc if "://" in origin else "")):
            return True
        body = (f"modelcat serve answers only for localhost, 127.0.0.1, [::1] or its --host address; "
                f"open {self.server.url}\n").encode()
        self.close_connection = True
        self.send_response(HTTPStatus.FORBIDDEN)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return False

    def do_GET(self):
        if urlsplit(self.path).path == EVENTS:
            return self._events()
        if not self.state.good:  # the first build failed: a page whose script shows why, then reloads
            return self._html(b"<!doctype html><html lang=en><title>modelcat serve</title><body>"
                              b"<p>No good build yet: the problems are listed below and in the terminal.</p>"
                              b"</body></html>", HTTPStatus.SERVICE_UNAVAILABLE)
        ahead = self.state.ahead.get(_site_path(self.path))
        if ahead is not None:
            return self._ahead(ahead)
        path = self.translate_path(self.path)
        p = Path(path)
        if p.is_dir() and self.path.split("?")[0].endswith("/"):
            p = p / "index.html"
        if p.suffix == ".html" and p.is_file():
            return self._html(p.read_bytes())
        if not p.exists() and not Path(path).exists():
            return self._not_found()
        return super().do_HEAD() if self.command == "HEAD" else super().do_GET()

    do_HEAD = do_GET  # the same headers as GET, without the body (see _html)

    def list_directory(self, path):
        """A folder without index.html is not found: never a listing of the site's files."""
        self._not_found()
        return None

    def _not_found(self) -> None:
        page = Path(self.directory) / "404.html"
        if page.is_file():
            self._html(page.read_bytes(), HTTPStatus.NOT_FOUND)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _ahead(self, body: bytes) -> None:
        """Answer with a page rendered in memory, as the file on disk will be served."""
        path = _site_path(self.path)
        if path.endswith(".html"):
            return self._html(body)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, body: bytes, status=HTTPStatus.OK):
        marker = b"</body>"
        body = body.replace(marker, RELOAD_SCRIPT.encode() + marker, 1) if marker in body else body + RELOAD_SCRIPT.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self):
        if self.command == "HEAD":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            return
        if not self.server.streams.acquire(blocking=False):
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, f"more than {STREAMS} pages are open")
            return
        try:
            self._stream()
        finally:
            self.server.streams.release()

    def _stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.state
        last = None
        sent = time.monotonic()
        try:
            while True:
                with state.cond:
                    snap = state.snapshot()
                    if snap == last and not state.closed:
                        state.cond.wait(timeout=1)
                        snap = state.snapshot()
                    if state.closed:
                        return
                if snap != last:
                    self.wfile.write(f"data: {json.dumps(snap)}\n\n".encode())
                    last = snap
                elif time.monotonic() - sent >= KEEP_ALIVE:
                    self.wfile.write(b": keep-alive\n\n")
                elif self._gone():  # a closed tab frees its stream within a second
                    return
                else:
                    continue
                self.wfile.flush()
                sent = time.monotonic()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _gone(self) -> bool:
        """Whether the client has closed the connection (it sends nothing on a stream)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True


def _site_path(request_path: str) -> str:
    """Return the site path a request names: "/models/a/b/" -> "models/a/b/index.html"."""
    path = unquote(urlsplit(request_path).path).lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def serve_ahead(live, state: State) -> bool:
    """Render what the saved model files change in memory and serve it at once (generator.live);
    return whether it did. The build on disk follows either way."""
    start = time.perf_counter()
    try:
        fresh = live.update()
    except Exception:  # noqa: BLE001 - the build that follows reports it
        fresh = None
    if not fresh:
        return False
    with state.cond:
        state.ahead.update(fresh)
    click.echo(f"served {len(fresh):,} changed files from memory in {time.perf_counter() - start:.2f} s; "
               "building the site", err=True)
    state.publish(True, [])
    return True


def rebuild(project: Path, out: Path, state: State, live=None) -> bool:
    """Build once; publish success or the problem lines. Return whether it succeeded.

    live: the catalog kept in memory (generator.live): its pages are served before the
    build starts, and it is read again after a build it could not anticipate."""
    from .build import build

    ahead = live is not None and serve_ahead(live, state)
    ok = False
    try:
        ok = _rebuild(project, out, state, build)
        return ok
    finally:
        if ok:  # the site on disk has them now; after a failed build they stay the last good pages
            with state.cond:
                state.ahead.clear()
        if live is not None and not ahead:
            live.reset()


def _rebuild(project: Path, out: Path, state: State, build) -> bool:
    start = time.perf_counter()
    try:
        report = build(project, out)
    except CatalogError as exc:
        lines = [p.format() for p in exc.problems]
        click.echo("\n".join(lines + [str(exc)]), err=True)
        click.echo("still serving the last good build", err=True)
        state.publish(False, lines)
        return False
    except click.ClickException as exc:
        click.echo(exc.format_message(), err=True)
        state.publish(False, [exc.format_message()])
        return False
    except Exception as exc:  # a template bug must not kill the server
        message = f"build failed: {type(exc).__name__}: {exc}"
        click.echo(message, err=True)
        state.publish(False, [message])
        return False
    click.echo(f"built {report.pages:,} pages in {time.perf_counter() - start:.2f} s", err=True)
    state.publish(True, [])
    return True


def listen(host: str, port: int) -> DevServer:
    """Bind host:port, or raise ServeError with the one line saying why not."""
    host = host.removeprefix("[").removesuffix("]")  # --host [::1] as in a URL
    try:
        return DevServer((host, port), Handler, host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} is in use on {host} (stop what holds it, or pass "
                             "--port N; --port 0 picks a free one)") from None
        reason = exc.strerror or str(exc)
        raise ServeError(f"cannot listen on {host} port {port}: {reason}") from None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def identities(project: Path) -> list[tuple[int, int] | None]:
    """The (device, inode) of catalog/ and of templates/, None for one that is missing."""
    return [_identity(project / name) for name in ("catalog", "templates")]


def watch_and_rebuild(project: Path, out: Path, state: State, built: list, live=None) -> None:
    """Rebuild on every change under catalog/ and templates/, forever; built holds the
    identities() of the folders the last build read.

    A watch follows the folder it was given, so after `mv catalog catalog.old` it would
    watch the old one, and a deleted folder is watched no more: every REARM_MS the
    folders' identities are checked, and when either is gone, new or another one, the
    folders now there are watched and then the site is rebuilt (in that order, so that
    no file written meanwhile is missed)."""
    from watchfiles import watch

    roots = (project / "catalog", project / "templates")
    armed = identities(project)
    stale = armed != built  # the folders changed since the last build
    while True:
        present = [str(p) for p, ident in zip(roots, armed) if ident is not None]
        if not present:  # nothing to watch: show that catalog/ is gone, wait for it
            rebuild(project, out, state)
            while identities(project) == armed:
                time.sleep(REARM_MS / 1000)
            armed, stale = identities(project), True
            continue
        for changes in watch(*present, debounce=50, step=20, rust_timeout=REARM_MS,
                             yield_on_timeout=True):
            if identities(project) != armed:
                armed, stale = identities(project), True
                break
            if changes or stale:
                stale = False
                rebuild(project, out, state, live)


def _terminate_as_interrupt(owner: int):
    """A SIGTERM handler that stops serve as Ctrl+C does, so that its cleanup runs. The
    build's forked workers inherit it, and their pool ends them with SIGTERM: there it
    does what SIGTERM does by default."""

    def handler(signum, frame):
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    return handler


def _remove(folder: Path) -> None:
    """Remove the temporary site folder; a background deletion of an old site (write.py)
    may be removing part of it at the same time."""
    for _ in range(5):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.1)


def serve(project: Path, port: int, out: Path | None, host: str = "127.0.0.1") -> None:
    """Run the dev server until interrupted (Ctrl+C or SIGTERM)."""
    if out is not None:  # an --out the build would refuse: one line and exit 2, before listening
        from .build import Memo
        from .write import resolve_out

        resolve_out(project, out.absolute(), out, ours=lambda real: Memo.made(project, real))
    server = listen(host, port)  # before the build: a port in use fails at once
    temporary = None if out else Path(tempfile.mkdtemp(prefix="modelcat-serve-"))
    out = out or temporary / "site"
    state = State()
    server.RequestHandlerClass = functools.partial(
        type("BoundHandler", (Handler,), {"state": state}), directory=str(out))
    runner = None
    previous = signal.signal(signal.SIGTERM, _terminate_as_interrupt(os.getpid()))
    try:
        import watchfiles  # noqa: F401  (now, not between the first build and the watch)

        built = identities(project)
        live = LiveCatalog(project)
        rebuild(project, out, state, live)
        out.mkdir(parents=True, exist_ok=True)
        runner = threading.Thread(target=server.run, daemon=True)
        runner.start()
        click.echo(f"serving {out} at {server.url} (Ctrl+C to stop)", err=True)
        watch_and_rebuild(project, out, state, built, live)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not stop the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        state.close()
        server.stop()
        if runner is not None:
            runner.join(timeout=2)
        server.server_close()
        if temporary is not None:
            _remove(temporary)
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)

"""`modelcat serve`: build, serve on 127.0.0.1, rebuild on save, reload open pages.

The built files stay exactly what `build` writes; the live-reload script is
injected into HTML responses only. A broken record keeps the last good site
served and shows its problem lines in the terminal and over the page.
tests/test_serve.py edits a record under a running server.
"""

from __future__ import annotations

import functools
import html
import json
import tempfile
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from generator.problems import CatalogError

EVENTS = "/__modelcat/events"
RELOAD_SCRIPT = """<script>(function(){var es=new EventSource("/__modelcat/events"),seen=null;
function show(p){var d=document.getElementById("modelcat-errors");if(!p.length){if(d)d.remove();return}
if(!d){d=document.createElement("div");d.id="modelcat-errors";d.setAttribute("role","alert");
d.style.cssText="position:fixed;inset:auto 1rem 1rem 1rem;z-index:9999;max-height:50vh;overflow:auto;background:#1f0b0b;color:#ffd7d7;border:2px solid #e5484d;border-radius:8px;padding:1rem;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap";
document.body.appendChild(d)}d.textContent="modelcat: the catalog has problems; showing the last good build\\n\\n"+p.join("\\n")}
es.onmessage=function(e){var s=JSON.parse(e.data);if(seen!==null&&s.version!==seen&&s.ok){location.reload();return}
seen=s.version;show(s.problems)};})();</script>"""


class State:
    """The server's view of the latest build: a version that bumps on success, and problems."""

    def __init__(self):
        self.version = 0
        self.ok = True
        self.good = False  # whether any build has succeeded yet
        self.problems: list[str] = []
        self.cond = threading.Condition()

    def publish(self, ok: bool, problems: list[str]) -> None:
        with self.cond:
            if ok:
                self.version += 1
                self.good = True
            self.ok = ok
            self.problems = problems
            self.cond.notify_all()

    def snapshot(self) -> dict:
        return {"version": self.version, "ok": self.ok, "problems": self.problems}


class Handler(SimpleHTTPRequestHandler):
    state: State

    def log_message(self, format, *args):  # quiet: the terminal shows builds, not requests
        pass

    def do_GET(self):
        if self.path.startswith(EVENTS):
            return self._events()
        if not self.state.good:  # the first build failed: a page whose script shows why, then reloads
            return self._html(b"<!doctype html><html lang=en><title>modelcat serve</title><body>"
                              b"<p>No good build yet: the problems are listed below and in the terminal.</p>"
                              b"</body></html>", HTTPStatus.SERVICE_UNAVAILABLE)
        path = self.translate_path(self.path)
        p = Path(path)
        if p.is_dir() and self.path.split("?")[0].endswith("/"):
            p = p / "index.html"
        if p.suffix == ".html" and p.is_file():
            return self._html(p.read_bytes())
        if not p.exists() and not Path(path).exists():
            page = Path(self.directory) / "404.html"
            if page.is_file():
                return self._html(page.read_bytes(), HTTPStatus.NOT_FOUND)
        return super().do_GET()

    def _html(self, body: bytes, status=HTTPStatus.OK):
        marker = b"</body>"
        body = body.replace(marker, RELOAD_SCRIPT.encode() + marker, 1) if marker in body else body + RELOAD_SCRIPT.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.state
        last = None
        try:
            while True:
                with state.cond:
                    snap = state.snapshot()
                    if snap == last:
                        state.cond.wait(timeout=15)
                        snap = state.snapshot()
                if snap != last:
                    self.wfile.write(f"data: {json.dumps(snap)}\n\n".encode())
                    last = snap
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def rebuild(project: Path, out: Path, state: State) -> bool:
    """Build once; publish success or the problem lines. Return whether it succeeded."""
    from generator.build import build

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


def serve(project: Path, port: int, out: Path | None) -> None:
    """Run the dev server until interrupted."""
    from watchfiles import watch

    out = out or Path(tempfile.mkdtemp(prefix="modelcat-serve-")) / "site"
    state = State()
    rebuild(project, out, state)
    out.mkdir(parents=True, exist_ok=True)
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(out)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, real_port = server.server_address[:2]
    click.echo(f"serving {out} at http://{host}:{real_port}/ (Ctrl+C to stop)", err=True)
    watched = [str(p) for p in (project / "catalog", project / "templates") if p.exists()]
    try:
        for changes in watch(*watched, debounce=50, step=20, rust_timeout=0, yield_on_timeout=False):
            if changes:
                rebuild(project, out, state)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()

"""`modelcat serve` against other pages in the browser, idle connections and a moving catalog.

A real server in a subprocess, as in tests/test_serve.py (whose helpers these are):
- a request naming another host (a DNS-rebinding page) or coming from another origin
  is refused; loopback names and the --host address, bare or with the port, are not;
- 300 idle connections (a third of them stopped half-way through their request) add no
  thread, and a request still gets its answer at once;
  event streams (one per open tab) are capped, and a closed one frees its place;
- a folder without index.html is not found, never listed (nor for HEAD);
- only the exact event path is the event stream;
- a port in use is one line and exit status 2, before any build; --host binds another
  address, which the Host check then accepts;
- a temporary site is removed on SIGINT and on SIGTERM;
- `mv catalog catalog.old && mv new catalog`, and deleting and recreating catalog/,
  keep the rebuilds going, from the folder now there.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.serve import LOOPBACK, STREAMS, host_allowed
from tests.builds import REPO, TODAY_EPOCH
from tests.test_serve import (EVENTS, MODEL_REL, MODEL_URL, OLD_NAME, EventStream, Server, _stop,
                              start_server)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = start_server(tmp_path_factory.mktemp("serve-security"))
    try:
        yield srv
    finally:
        _stop(srv.proc)


def request(srv: Server, path: str = "/", headers: dict[str, str] | None = None,
            method: str = "GET") -> tuple[int, bytes]:
    """Send one request with exactly these headers (Host included, when given); return
    the status and, unless it is the event stream, the body."""
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=5)
    try:
        conn.putrequest(method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        if response.getheader("Content-Type", "").startswith("text/event-stream"):
            return response.status, b""
        return response.status, response.read()
    finally:
        conn.close()


def threads(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("Threads:"))


def test_a_request_naming_another_host_is_refused(server: Server) -> None:
    port = server.port
    for host in ("evil.example", f"evil.example:{port}", f"localhost.evil.example:{port}",
                 f"localhost:{port + 1}", "127.0.0.1:80", "10.1.2.3", f"[::1]x:{port}", "[::1"):
        status, body = request(server, "/", {"Host": host})
        assert status == 403, host
        assert b"localhost" in body and len(body) < 300, body
        status, _ = request(server, MODEL_URL, {"Host": host}, method="HEAD")
        assert status == 403, host
        status, _ = request(server, EVENTS, {"Host": host})
        assert status == 403, host
    for host in ("localhost", f"localhost:{port}", "LocalHost", "127.0.0.1", f"127.0.0.1:{port}",
                 "[::1]", f"[::1]:{port}"):
        status, body = request(server, "/", {"Host": host})
        assert status == 200, host
        assert b"<html" in body
    status, _ = request(server, "/", {})  # no Host at all: HTTP/1.0 tools, never a browser
    assert status == 200


def test_bound_to_every_interface_any_ip_address_is_accepted_but_no_other_name() -> None:
    names = LOOPBACK | {"0.0.0.0"}
    for host in ("192.168.1.20:8000", "10.0.0.1", "[fe80::1]:8000", "localhost:8000", "0.0.0.0"):
        assert host_allowed(host, names, 8000, any_ip=True), host
        assert host_allowed(host, names, 8000, any_ip=False) == host.startswith(("localhost", "0.0.0.0")), host
    for host in ("evil.example:8000", "192.168.1.20:8001", "192.168.1.20.evil.example", "[fe80::1]x", ""):
        assert not host_allowed(host, names, 8000, any_ip=True), host


def test_an_event_stream_asked_for_by_another_origin_is_refused(server: Server) -> None:
    host = f"127.0.0.1:{server.port}"
    for origin in ("http://evil.example", f"http://evil.example:{server.port}", "null"):
        status, _ = request(server, EVENTS, {"Host": host, "Origin": origin})
        assert status == 403, origin
    status, _ = request(server, EVENTS, {"Host": host, "Origin": f"http://localhost:{server.port}"})
    assert status == 200


def test_idle_connections_hold_no_threads(server: Server) -> None:
    assert server.get("/")[0] == 200
    before = threads(server.proc.pid)
    idle = []
    try:
        for i in range(300):
            idle.append(socket.create_connection((server.host, server.port), timeout=5))
            if i % 3 == 0:  # a third send the start of a request, and no more
                idle[-1].sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.5)  # the old server started a thread for each within milliseconds
        start = time.monotonic()
        status, body = server.get("/", timeout=5)
        assert status == 200 and "<html" in body
        assert time.monotonic() - start < 2, "a request waited behind idle connections"
        during = threads(server.proc.pid)
        assert during <= before + 2, f"{during} threads with 300 idle connections, {before} before"
    finally:
        for sock in idle:
            sock.close()
    assert server.get("/")[0] == 200


def _open_stream(port: int) -> EventStream:
    """An event stream, once a place is free (a closed stream frees its place within a second)."""
    deadline = time.monotonic() + 5
    while True:
        try:
            return EventStream(port)
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_event_streams_are_capped_and_a_closed_one_frees_its_place(server: Server) -> None:
    streams: list[EventStream] = []
    try:
        for _ in range(STREAMS):
            streams.append(_open_stream(server.port))
        for stream in streams:
            stream.wait(lambda e: e["ok"])
        assert request(server, EVENTS)[0] == 503  # one more tab than the cap
        assert server.get("/")[0] == 200  # pages are still answered
    finally:
        for stream in streams:
            stream.close()
    stream = _open_stream(server.port)  # the closed ones have freed their places
    try:
        stream.wait(lambda e: e["ok"])
    finally:
        stream.close()


def test_a_folder_is_never_listed(server: Server) -> None:
    on_disk = (server.site / "404.html").read_text(encoding="utf-8")
    assert (server.site / "assets").is_dir() and not (server.site / "assets" / "index.html").exists()
    for url in ("/assets/", "/assets/js/", "/models/meta/"):
        status, body = server.get(url)
        assert status == 404, url
        assert "Directory listing" not in body
        for entry in (server.site / url.strip("/")).iterdir():  # none of its files is linked
            assert f'href="{entry.name}' not in body, entry.name
        assert on_disk.split("</body>")[0] in body
        assert request(server, url, method="HEAD") == (404, b""), url
    status, body = server.get(MODEL_URL)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:  # HEAD: the headers of GET (the length with the script), no body
        conn.request("HEAD", MODEL_URL)
        response = conn.getresponse()
        assert response.status == 200 and response.read() == b""
        assert response.getheader("Content-Length") == str(len(body.encode("utf-8")))
    finally:
        conn.close()


def test_only_the_exact_event_path_is_the_stream(server: Server) -> None:
    assert request(server, EVENTS)[0] == 200
    for url in (EVENTS + "XYZ", EVENTS + "/", EVENTS + ".html"):
        status, body = request(server, url)
        assert status == 404, url
        assert b"<html" in body


def _serve_cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH}
    return subprocess.run([sys.executable, "-m", "generator", "serve", "--project", str(project), *args],
                          cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=30)


def test_a_port_in_use_is_one_line_and_exit_2_before_building(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "example-catalog", project / "catalog")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = _serve_cli(project, "--port", str(port), "--out", str(tmp_path / "site"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: port {port} is in use"), lines[0]
    assert not (tmp_path / "site").exists(), "it built before finding the port taken"


def test_serve_out_catalog_is_refused_in_one_line_before_serving(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "example-catalog", project / "catalog")
    before = sorted(p.relative_to(project).as_posix() for p in (project / "catalog").rglob("*"))
    result = _serve_cli(project, "--port", "0", "--out", str(project / "catalog"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --out ") and "catalog/" in lines[0], result.stderr
    assert sorted(p.relative_to(project).as_posix() for p in (project / "catalog").rglob("*")) == before


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_temporary_site_is_removed_on_exit(tmp_path: Path, signum: int) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    # the model pages rendered by forked workers, as in a big catalog: they inherit serve's
    # SIGTERM handler, and must not print a traceback when their pool ends them
    srv = start_server(tmp_path, out=False, env={"TMPDIR": str(temp)},
                       prelude="import generator.build as b; b.PARALLEL_MIN_MODELS = 1")
    try:
        assert srv.site.is_relative_to(temp) and (srv.site / "index.html").is_file()
        srv.proc.send_signal(signum)
        assert srv.proc.wait(timeout=10) == 0
    finally:
        _stop(srv.proc)
    srv.reader.join(timeout=5)
    assert "Traceback" not in "".join(srv.stderr), "".join(srv.stderr)
    assert list(temp.iterdir()) == [], "the temporary site was left behind"


def test_host_binds_another_address_and_the_host_check_accepts_it(tmp_path: Path) -> None:
    srv = start_server(tmp_path, "--host", "127.0.0.2")
    try:
        assert srv.host == "127.0.0.2"
        with pytest.raises(OSError):  # bound to that address only
            socket.create_connection(("127.0.0.1", srv.port), timeout=2).close()
        for host in ("127.0.0.2", f"127.0.0.2:{srv.port}", f"localhost:{srv.port}"):
            assert request(srv, "/", {"Host": host})[0] == 200, host
        for host in (f"127.0.0.2:{srv.port + 1}", f"127.0.0.3:{srv.port}", f"evil.example:{srv.port}"):
            assert request(srv, "/", {"Host": host})[0] == 403, host
    finally:
        _stop(srv.proc)


def _name_served(srv: Server, name: str) -> bool:
    status, body = srv.get(MODEL_URL)
    return status == 200 and name in body


def _renamed(catalog: Path, name: str) -> None:
    record = catalog / Path(MODEL_REL).relative_to("catalog")
    text = record.read_text(encoding="utf-8")
    assert text.count(OLD_NAME) == 1
    record.write_text(text.replace(OLD_NAME, f"name: {name}\n"), encoding="utf-8")


def test_rebuilds_go_on_after_the_catalog_is_swapped_or_recreated(tmp_path: Path) -> None:
    srv = start_server(tmp_path)
    stream = EventStream(srv.port)
    try:
        _, first = stream.wait(lambda e: True)
        catalog = srv.project / "catalog"

        # 1. swapped by mv: the new folder is built, and then watched
        shutil.copytree(catalog, srv.project / "catalog.new")
        _renamed(srv.project / "catalog.new", "Swapped In")
        os.rename(catalog, srv.project / "catalog.old")
        os.rename(srv.project / "catalog.new", catalog)
        _, swapped = stream.wait(lambda e: e["ok"] and e["version"] > first["version"])
        assert _name_served(srv, "Swapped In")
        record = catalog / Path(MODEL_REL).relative_to("catalog")
        record.write_text(record.read_text(encoding="utf-8").replace("Swapped In", "Edited After"),
                          encoding="utf-8")
        _, edited = stream.wait(lambda e: e["ok"] and e["version"] > swapped["version"])
        assert _name_served(srv, "Edited After")

        # 2. deleted (the last good site stays), then recreated
        shutil.rmtree(catalog)
        stream.wait(lambda e: not e["ok"])
        assert _name_served(srv, "Edited After")
        shutil.copytree(srv.project / "catalog.old", catalog)
        _renamed(catalog, "Recreated")
        stream.wait(lambda e: e["ok"] and e["version"] > edited["version"])
        deadline = time.monotonic() + 10
        while not _name_served(srv, "Recreated"):  # (the copy may be built half-way first)
            assert time.monotonic() < deadline, "the recreated catalog was not built"
            time.sleep(0.1)
        assert srv.proc.poll() is None
    finally:
        stream.close()
        _stop(srv.proc)

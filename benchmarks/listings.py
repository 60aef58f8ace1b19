"""What a reader's browser gets from the listings: page weights, search speed, Lighthouse.

    python -m benchmarks.listings [N ...] [--dest DIR] [--no-lighthouse] [--runs 7]

For each N (default 1,000 and 10,000) it generates the seeded catalog of benchmarks/generate.py,
builds it with the real CLI, then reports:

- the weight of each listing's first page (and of the search index, api/index.json), raw and
  gzipped, and the heaviest HTML file of the whole site (the contract's bound: 256 KB);
- from the last keystroke to the updated list in headless Chromium (the catalog's search over
  every model, debounce included): the median and the slowest of `--runs` searches;
- Lighthouse's mobile performance score of the home page (npm `lighthouse@12` in .tools/, run
  with the system Chromium), when installed: `npm install --prefix .tools lighthouse@12`.

Not a test: these machines are noisy, so it prints medians and the spread, and the README's
table is copied from its output.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from benchmarks.generate import generate_catalog

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE = REPO / ".tools" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
# The listing pages a reader lands on; a provider and a collection are the largest of their kind.
LISTINGS = ("index.html", "page/2/index.html", "pricing/index.html", "leaderboard/index.html",
            "compare/index.html", "providers/index.html", "collections/index.html")
TERMS = ("a", "mini", "pro", "ab", "x", "zzz-none", "llama", "gpt")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class Served:
    """The built site on 127.0.0.1, in a thread: what a static host does."""

    def __init__(self, root: Path):
        handler = functools.partial(_Quiet, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def build(n: int, dest: Path) -> Path:
    project = dest / f"listings-{n}"
    if not (project / "catalog").is_dir():
        generate_catalog(project / "catalog", n=n, seed=0)
    site = project / "site"
    subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(project), "--out", str(site)],
                   check=True, stdout=subprocess.DEVNULL)
    return site


def largest(site: Path, folder: str) -> str | None:
    """Return the first page of the largest listing under folder/ (providers/, collections/)."""
    pages = [p for p in (site / folder).glob("*/index.html")]
    if not pages:
        return None
    return max(pages, key=lambda p: p.stat().st_size).relative_to(site).as_posix()


def weights(site: Path) -> dict:
    names = list(LISTINGS) + [x for x in (largest(site, "providers"), largest(site, "collections")) if x]
    rows = {}
    for name in names + ["api/index.json"]:
        path = site / name
        if path.is_file():
            data = path.read_bytes()
            rows[name] = (len(data), len(gzip.compress(data, 9)))
    heaviest = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    return {"pages": rows, "heaviest": (heaviest.relative_to(site).as_posix(), heaviest.stat().st_size)}


def keystroke_to_list(server: Served, runs: int) -> list[float]:
    """Return the milliseconds from the last keystroke to the updated list, per search term."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server.url("index.html"))
        page.wait_for_selector("form.model-filters[data-ready]", state="attached")
        page.fill("#model-table-q", "warm")  # the first search fetches the index: not timed
        page.wait_for_function("document.getElementById('model-table-count').textContent.includes(' of ')",
                               timeout=120_000)
        times = []
        for i in range(runs):
            term = TERMS[i % len(TERMS)]
            times.append(page.evaluate("""(term) => new Promise(done => {
                const q = document.getElementById('model-table-q'), count = document.getElementById('model-table-count');
                const seen = new MutationObserver(() => { seen.disconnect(); done(performance.now() - t0); });
                seen.observe(count, {childList: true, characterData: true, subtree: true});
                q.value = term + ' ';  // never the term already shown
                const t0 = performance.now();
                q.dispatchEvent(new Event('input', {bubbles: true}));
            })""", term))
        browser.close()
    return times


def lighthouse(server: Served) -> float | None:
    """Return Lighthouse's mobile performance score (0-100) of the home page, or None."""
    if not LIGHTHOUSE.is_file() or not shutil.which("node"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "lh.json"
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        proc = subprocess.run(
            ["node", str(LIGHTHOUSE), server.url(""), "--only-categories=performance", "--output=json",
             f"--output-path={report}", "--quiet", "--chrome-flags=--headless=new " + " ".join(CHROME_ARGS)],
            env=env, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0 or not report.is_file():
            print(f"lighthouse failed: {proc.stderr[-2000:]}", file=sys.stderr)
            return None
        score = json.loads(report.read_text())["categories"]["performance"]["score"]
        return None if score is None else round(score * 100)


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--dest", type=Path, default=Path(tempfile.gettempdir()) / "modelcat-bench")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-lighthouse", action="store_true")
    args = ap.parse_args(argv)
    args.dest.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        site = build(n, args.dest)
        server = Served(site)
        try:
            res = {"n": n, **weights(site), "search": keystroke_to_list(server, args.runs),
                   "lighthouse": None if args.no_lighthouse else lighthouse(server)}
        finally:
            server.close()
        results.append(res)
        print(json.dumps(res), file=sys.stderr)
    names = sorted({k for r in results for k in r["pages"]}, key=lambda k: (k.startswith("api/"), k))
    print("| | " + " | ".join(f"{r['n']:,} models" for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for name in names:
        cells = [f"{kb(r['pages'][name][0])} ({kb(r['pages'][name][1])} gzip)" if name in r["pages"] else "—"
                 for r in results]
        print(f"| `{name}` | " + " | ".join(cells) + " |")
    print("| heaviest HTML page | " + " | ".join(f"{kb(r['heaviest'][1])} (`{r['heaviest'][0]}`)"
                                               for r in results) + " |")
    print("| keystroke to list, median (slowest) | " + " | ".join(
        f"{statistics.median(r['search']):.0f} ms ({max(r['search']):.0f} ms)" for r in results) + " |")
    print("| Lighthouse mobile performance, home page | " + " | ".join(
        "—" if r["lighthouse"] is None else str(r["lighthouse"]) for r in results) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

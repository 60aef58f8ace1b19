"""Measure YAML reading on a generated catalog: per record, and a cold `modelcat validate`.

    python -m benchmarks.yaml_parsers [N] [--dest DIR] [--runs R] [--sample S]

Per record (CPU time in this process, over S model files): the exact path
(source.parse_yaml: libyaml events and positions), plain yaml.load with
CSafeLoader, yaml_rs.loads, the fast path's pre-scan alone and the whole fast
path (pre-scan, yaml_rs, dates), and pydantic validation of one record. Then
how many files the pre-scan admits, whether the fast path's data equals the
exact path's, and a cold validate (no cache) of the N-model catalog in a child
process, R times with the fast path and R times without, interleaved: medians
of wall time and of CPU time (the process and its workers).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate_catalog

VALIDATE = """
import sys
import generator.records.fast as fast
if sys.argv[1] == "exact":
    fast.yaml_rs = None
from generator.cli import main
main(["validate", "--project", sys.argv[2]])
"""


def per_record(files: list[Path]) -> dict[str, float]:
    import yaml

    from generator.records import fast, schema
    from generator.records.source import parse_yaml

    texts = [p.read_text(encoding="utf-8") for p in files]
    candidates = {
        "exact path (parse_yaml, positions)": lambda s: parse_yaml(s, "f.yaml"),
        "yaml.load(CSafeLoader)": lambda s: yaml.load(s, Loader=yaml.CSafeLoader),
        "fast path pre-scan (admit)": fast.admit,
        "fast path (pre-scan + yaml_rs + dates)": fast.read_data,
    }
    if fast.yaml_rs is not None:
        candidates["yaml_rs.loads"] = lambda s: fast.yaml_rs.loads(s, parse_datetime=False)
    out = {}
    for name, fn in candidates.items():
        fast._lines.clear()  # each starts with the pre-scan's cache of lines empty, as a process does
        start = time.process_time()
        for text in texts:
            fn(text)
        out[name] = (time.process_time() - start) / len(texts) * 1e6
    parsed = [parse_yaml(t, "f.yaml")[0] for t in texts]
    start = time.process_time()
    for data in parsed:
        schema.ModelRecord.model_validate(data)
    out["pydantic validation (for scale)"] = (time.process_time() - start) / len(texts) * 1e6
    return out


def agreement(files: list[Path]) -> tuple[int, int, int]:
    """Return (files, admitted by the pre-scan, admitted but read differently)."""
    from generator.records import fast
    from generator.records.source import parse_yaml

    admitted = differ = 0
    for p in files:
        text = p.read_text(encoding="utf-8")
        ok, data = fast.read_data(text)
        if ok:
            admitted += 1
            exact, _, problems = parse_yaml(text, "f.yaml")
            differ += bool(problems) or exact != data
    return len(files), admitted, differ


def cold_validate(project: Path, mode: str) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds of the child and its workers) of one cold validate."""
    shutil.rmtree(project / ".modelcat-cache", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", VALIDATE, mode, str(project)], check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": os.getcwd()})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=10_000)
    ap.add_argument("--dest", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sample", type=int, default=2000)
    args = ap.parse_args(argv)
    dest = args.dest or Path(tempfile.gettempdir()) / f"modelcat-yaml-{args.n}"
    if not (dest / "catalog").is_dir():
        generate_catalog(dest / "catalog", n=args.n, seed=0)
    files = sorted((dest / "catalog" / "models").glob("*/*.yaml"))
    providers = sorted((dest / "catalog" / "providers").glob("*.yaml"))
    print(f"per record, CPU time over {min(args.sample, len(files)):,} model files:")
    for name, us in per_record(files[: args.sample]).items():
        print(f"  {name:42} {us:7.1f} us")
    total, admitted, differ = agreement(files + providers)
    print(f"pre-scan admits {admitted:,} of {total:,} model and provider files; "
          f"{differ} read differently from the exact path")
    results: dict[str, list[tuple[float, float]]] = {"fast": [], "exact": []}
    for _ in range(args.runs):
        for mode in ("exact", "fast"):
            results[mode].append(cold_validate(dest, mode))
    print(f"cold validate of {len(files):,} models, medians of {args.runs}:")
    for mode, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"  {mode:6} wall {wall:6.2f} s   CPU {cpu:6.2f} s   "
              f"(walls {', '.join(f'{r[0]:.2f}' for r in runs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the catalog's history (generator.history) on a generated repository.

    python -m benchmarks.history [--models N] [--commits C] [--per-commit K] [--bot B] [--dest DIR]

Makes a git repository from a generated catalog (benchmarks/generate.py, N models, default
10,000): one commit adding it, then C dated commits (default 1,000) that each change the
input price of K records (default 10), written with `git fast-import` (one process, so the
repository takes seconds to make). It then times, each in this process:

- read_history cold (no cache: `git log`, every file version parsed once) and cached
  (the same HEAD: no git log at all);
- a sync bot's commit touching B records (default 1,000), then read_history with the
  cache (only the B new versions are parsed) and cold;

and, in a child process, `modelcat build` cold (no site, no cache) with and without git
(the same catalog with .git moved away), and a no-op build. The numbers go in the report
of README "History".
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate_catalog
from benchmarks.run import age, run_build

START = datetime.datetime(2024, 1, 1, 8, 0, tzinfo=datetime.timezone.utc)
PRICE = re.compile(r"(?m)^pricing:\n  input: (.*)$")
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}


def git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, input=data, check=True, capture_output=True,
                          env={**os.environ, **GIT_ENV}).stdout


def _data(text: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(text), text)


def _commit(ref: str, when: datetime.datetime, message: str, files: dict[str, bytes]) -> bytes:
    """Return one commit of a fast-import stream (each commit continues the branch's last)."""
    ts = int(when.timestamp())
    out = [f"commit {ref}\n".encode(), f"committer bench <bench@example.com> {ts} +0000\n".encode(),
           _data(message.encode())]
    for path, body in sorted(files.items()):
        out.append(f"M 100644 inline {path}\n".encode() + _data(body))
    return b"".join(out)


def reprice(text: str, n: int) -> str:
    """Return a record with a new input price (a different one for each n)."""
    return PRICE.sub(lambda m: f"pricing:\n  input: {round(0.01 + (n % 997) / 1000, 3)}", text, count=1)


def make_repository(dest: Path, models: int, commits: int, per_commit: int, seed: int = 0) -> Path:
    """Return a project in git: the catalog added, then `commits` commits of `per_commit` records each."""
    project = dest / "project"
    generate_catalog(project / "catalog", n=models, seed=seed)
    files = {p.relative_to(project).as_posix(): p.read_bytes()
             for p in sorted((project / "catalog").rglob("*")) if p.is_file()}
    records = sorted(k for k in files if k.startswith("catalog/models/"))
    git(project, "init", "-q", "-b", "main")
    stream = [_commit("refs/heads/main", START, "add the catalog", files)]
    current = {k: files[k].decode("utf-8") for k in records}
    for c in range(commits):
        changed = {}
        for j in range(per_commit):
            path = records[(c * per_commit + j) * 7919 % len(records)]  # spread over the catalog
            current[path] = reprice(current[path], c * per_commit + j + 1)
            changed[path] = current[path].encode("utf-8")
        stream.append(_commit("refs/heads/main", START + datetime.timedelta(hours=6 * (c + 1)),
                              f"prices {c + 1}", changed))
    git(project, "fast-import", "--quiet", data=b"".join(stream))
    git(project, "reset", "-q", "--hard", "main")
    return project


def bot_commit(project: Path, records: int) -> None:
    """Commit a sync bot's change of `records` records' prices."""
    paths = sorted((project / "catalog" / "models").rglob("*.yaml"))[:records]
    for i, path in enumerate(paths):
        path.write_text(reprice(path.read_text(encoding="utf-8"), 500 + i), encoding="utf-8")
    git(project, "add", "-A", "catalog")
    env = {"GIT_AUTHOR_DATE": "2026-06-01T08:00:00Z", "GIT_COMMITTER_DATE": "2026-06-01T08:00:00Z"}
    subprocess.run(["git", "commit", "-q", "-m", f"sync {records} records"], cwd=project, check=True,
                   env={**os.environ, **GIT_ENV, **env})


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """Return (seconds, value) of one call, as in a new build process (no in-process memos)."""
    from generator import history

    history._BLOCKS.clear()
    history._SCALARS.clear()
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=1_000)
    parser.add_argument("--per-commit", type=int, default=10)
    parser.add_argument("--bot", type=int, default=1_000)
    parser.add_argument("--dest", type=Path, default=None)
    parser.add_argument("--no-build", action="store_true", help="time read_history only")
    args = parser.parse_args(argv)
    from generator.history import read_history

    dest = args.dest or Path(tempfile.mkdtemp(prefix="modelcat-history-bench-"))
    rows = []
    try:
        secs, project = timed(make_repository, dest, args.models, args.commits, args.per_commit)
        print(f"repository: {args.models:,} models, {args.commits:,} commits of {args.per_commit} records "
              f"(made in {secs:.1f} s)", file=sys.stderr)
        secs, h = timed(read_history, project)
        changes = sum(len(m.entries) for m in h.models.values())
        rows.append(("read_history, cold (no cache)", secs, f"{changes:,} entries"))
        shutil.rmtree(project / ".modelcat-cache", ignore_errors=True)
        secs, _ = timed(read_history, project, cache=True)
        rows.append(("read_history, cold, writing the cache", secs, ""))
        secs, again = timed(read_history, project, cache=True)
        assert again == h
        rows.append(("read_history, cached (same HEAD)", secs, "no git log"))
        bot_commit(project, args.bot)
        secs, _ = timed(read_history, project, cache=True)
        rows.append((f"read_history after a bot commit of {args.bot:,} records, cached", secs,
                     f"{args.bot:,} versions parsed"))
        secs, _ = timed(read_history, project)
        rows.append((f"read_history after the bot commit, cold", secs, ""))
        if not args.no_build:
            age(project)
            time.sleep(2.5)  # the bot's files changed just now: their stamps are trusted after RACY_NS
            shutil.rmtree(project / ".modelcat-cache", ignore_errors=True)
            with_git = run_build(project, "--no-cache")
            rows.append(("build cold, with git", with_git["wall"], f"history {with_git['phases'].get('history', 0):.2f} s"))
            run_build(project)
            noop = run_build(project)
            rows.append(("build no-op, with git", noop["wall"], "up to date" if noop["up_to_date"] else "REBUILT"))
            os.rename(project / ".git", project / ".git-off")
            try:
                shutil.rmtree(project / "site", ignore_errors=True)
                without = run_build(project, "--no-cache")
                rows.append(("build cold, without git", without["wall"], ""))
            finally:
                os.rename(project / ".git-off", project / ".git")
    finally:
        if args.dest is None:
            shutil.rmtree(dest, ignore_errors=True)
    print("| what | seconds | |\n|---|---:|---|")
    for what, secs, note in rows:
        print(f"| {what} | {secs:.2f} | {note} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

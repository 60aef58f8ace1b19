"""Catalogs that are too big in odd ways fail or succeed cleanly, in bounded time, never hang."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "tests" / "fixtures" / "example-catalog"


def run_modelcat(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


def test_a_50_mb_record_is_refused_quickly(tmp_path: Path):
    shutil.copytree(EXAMPLE, tmp_path / "catalog")
    huge = tmp_path / "catalog/models/meta/huge.yaml"
    with open(huge, "w") as fh:
        line = "# " + "x" * 98 + "\n"
        fh.write(line * 524_288)  # 53 MB of comments
    start = time.perf_counter()
    proc = run_modelcat("validate", "--project", str(tmp_path), timeout=60)
    assert time.perf_counter() - start < 20
    assert proc.returncode == 1, proc.stderr
    assert "catalog/models/meta/huge.yaml:1:1: file is 53.0 MB; catalog files are limited to 5 MB" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_100k_tiny_files_fail_cleanly(tmp_path: Path):
    shutil.copytree(EXAMPLE, tmp_path / "catalog")
    folder = tmp_path / "catalog/models/meta"
    for i in range(100_000):
        (folder / f"m{i:06d}.yaml").write_bytes(b"{}\n")
    start = time.perf_counter()
    proc = run_modelcat("validate", "--project", str(tmp_path), timeout=300)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("catalog/")
    assert lines == sorted(lines[:-1], key=_position) + [lines[-1]]
    assert "catalog/models/meta/m099999.yaml:1:1: id: required key is missing" in proc.stderr
    assert lines[-1].endswith("in 100,002 files.") or lines[-1].endswith("in 100,001 files."), lines[-1]
    assert elapsed < 240


def _position(line: str):
    path, row, col, _ = line.split(":", 3)
    return path, int(row), int(col)

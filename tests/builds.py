"""Built sites shared by the rendering tests: each catalog is built once per test session."""

from __future__ import annotations

import atexit
import difflib
import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from generator.build import build

REPO = Path(__file__).resolve().parent.parent
# A verbatim copy of the contract's example catalog (shared/example/catalog).
EXAMPLE = REPO / "tests" / "fixtures" / "example-catalog"
TODAY_EPOCH = "1780272000"  # 2026-06-01: "today" for every test (tests/conftest.py sets it)
_TMP = Path(tempfile.mkdtemp(prefix="modelcat-builds-"))
atexit.register(shutil.rmtree, _TMP, True)


@functools.lru_cache(maxsize=None)
def built(name: str) -> Path:
    """Return the site folder of a fresh build of "example" or "project" (cached per session)."""
    project = _TMP / name
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    source = EXAMPLE if name == "example" else REPO / "catalog"
    shutil.copytree(source, project / "catalog")
    # Session-scoped fixtures run before the autouse date fixture: pin the date here too,
    # or the pages would depend on which test happened to build first.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = TODAY_EPOCH
    try:
        build(project, project / "site")
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return project / "site"


GOLDEN = REPO / "tests" / "golden"


def assert_golden(request, built_file: Path, golden: str, what: str) -> None:
    """Compare a built file with tests/golden/<golden> byte for byte (`pytest --update-golden`
    rewrites the golden file from the build instead)."""
    want_path = GOLDEN / golden
    if request.config.getoption("--update-golden", default=False):
        want_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built_file, want_path)
    assert want_path.is_file(), f"no golden file yet: run `pytest --update-golden {request.node.path.name}`"
    got, want = built_file.read_bytes(), want_path.read_bytes()
    if got != want:
        diff = difflib.unified_diff(want.decode().splitlines(), got.decode().splitlines(),
                                    f"tests/golden/{golden}", "built", lineterm="", n=1)
        pytest.fail(f"{what} differs from tests/golden/{golden} "
                    "(rerun with --update-golden if the change is intended):\n" + "\n".join(list(diff)[:60]))

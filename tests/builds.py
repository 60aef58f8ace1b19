"""Built sites shared by the rendering tests: each catalog is built once per test session."""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

from generator.build import build

REPO = Path(__file__).resolve().parent.parent
# A verbatim copy of the contract's example catalog (shared/example/catalog).
EXAMPLE = REPO / "tests" / "fixtures" / "example-catalog"
_TMP = Path(tempfile.mkdtemp(prefix="modelcat-builds-"))


@functools.lru_cache(maxsize=None)
def built(name: str) -> Path:
    """Return the site folder of a fresh build of "example" or "project" (cached per session)."""
    project = _TMP / name
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    source = EXAMPLE if name == "example" else REPO / "catalog"
    shutil.copytree(source, project / "catalog")
    build(project, project / "site")
    return project / "site"

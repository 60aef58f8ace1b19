"""The test suite's own rules: shared sites are built once per session; the tests the code names exist.

tests/builds.py and tests/machine_catalog.py cache their builds per module object: imported
under a second name (`from builds import ...`, which works because pytest puts tests/ on
sys.path), they would build every shared site twice.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_shared_build_helpers_are_imported_under_one_name():
    # Collection has imported every test module by the time any test runs.
    doubles = [name for name in ("builds", "machine_catalog", "rich_catalog") if name in sys.modules]
    assert doubles == [], f"import these as tests.<name>: {doubles}"


def test_every_test_file_the_generator_names_exists():
    # Docstrings say which tests hold a module's behaviour; a renamed test must not leave them pointing nowhere.
    sources = [p for p in sorted((ROOT / "generator").rglob("*")) if p.suffix in (".py", ".html", ".j2", ".js")]
    named = {(src.relative_to(ROOT).as_posix(), name) for src in sources
             for name in re.findall(r"tests/[\w/.-]+\.(?:py|mjs)", src.read_text(encoding="utf-8"))}
    assert len(named) > 30  # the pattern still finds the references
    missing = sorted(f"{src}: {name}" for src, name in named if not (ROOT / name).is_file())
    assert missing == []

"""The test suite's own rules: shared sites are built once per session.

tests/builds.py and tests/machine_catalog.py cache their builds per module object: imported
under a second name (`from builds import ...`, which works because pytest puts tests/ on
sys.path), they would build every shared site twice.
"""

from __future__ import annotations

import sys


def test_shared_build_helpers_are_imported_under_one_name():
    # Collection has imported every test module by the time any test runs.
    doubles = [name for name in ("builds", "machine_catalog", "rich_catalog") if name in sys.modules]
    assert doubles == [], f"import these as tests.<name>: {doubles}"

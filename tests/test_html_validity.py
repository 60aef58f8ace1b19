"""The built HTML passes the Nu HTML Checker (vnu-jar from the npm registry) with no errors."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.builds import built
from tests.tools import vnu_jar


@pytest.mark.parametrize("name", ["example", "project"])
def test_built_html_passes_nu_checker(name: str):
    jar = vnu_jar()
    site = built(name)
    pages = sorted(str(p) for p in site.rglob("*.html"))
    assert pages
    proc = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
              for m in messages if m.get("type") == "error"]
    assert errors == [], "\n".join(errors[:40])

"""Locate the system tools some tests need; skip with a reason when missing, fail in CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
# The theme's one inline script (templates/base.html: the has-js class, set before the first paint)
THEME_BOOTSTRAP = 'document.documentElement.classList.add("has-js")'


def missing(reason: str):
    """Skip the test on a user's machine; fail it in CI, where .ci/run installs every tool."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(reason)


def chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        missing("Chromium is not installed (apt-get install -y chromium)")
    return path


def vnu_jar() -> Path:
    candidates = [os.environ.get("VNU_JAR", ""), REPO / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"]
    for c in candidates:
        if c and Path(c).is_file():
            if not shutil.which("java"):
                missing("Java is not installed (apt-get install -y default-jre-headless)")
            return Path(c)
    missing("the Nu HTML Checker is not installed (npm install --prefix .tools vnu-jar)")


def axe_js() -> str:
    """Return axe-core's script (npm registry, installed by .ci/run into .tools/)."""
    path = Path(os.environ.get("AXE_JS", "") or REPO / ".tools/node_modules/axe-core/axe.min.js")
    if not path.is_file():
        missing("axe-core is not installed (npm install --prefix .tools axe-core)")
    return path.read_text(encoding="utf-8")

"""modelcat as users install it: a wheel built from this checkout, pip-installed into a fresh venv
(dependencies from the package index), run from there with no PYTHONPATH (tests/test_package.py
checks the same declarations without building)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run(*args, cwd, env, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.slow
def test_the_wheel_installs_and_runs_init_build_serve_validate(tmp_path):
    """slow (about a minute): build the wheel, install it in a fresh venv, then init, build, serve, validate."""
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    package = next(k for k, v in meta["tool"]["setuptools"]["package-dir"].items() if v == "generator")
    # a copy of the sources, so that pip's build files stay out of the checkout
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q",
                "-w", tmp_path / "dist", source, cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = run(venv / "bin" / "python", "-m", "pip", "install", "--disable-pip-version-check", "-q", wheel,
              cwd=tmp_path, env=env)
    assert pip.returncode == 0, pip.stderr
    env["PATH"] = str(venv / "bin") + os.pathsep + env["PATH"]

    # what lands in site-packages: the package under its own name, no top-level `generator`
    (site_packages,) = (venv / "lib").glob("python*/site-packages")
    assert (site_packages / package / "example" / "site.yaml").is_file()
    assert (site_packages / package / "templates" / "base.html").is_file()
    assert not (site_packages / "generator").exists()

    modelcat = venv / "bin" / "modelcat"
    init = run(modelcat, "init", "gw", cwd=tmp_path, env=env)
    assert init.returncode == 0, init.stdout + init.stderr
    project = tmp_path / "gw"
    build = run(modelcat, "build", cwd=project, env=env)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "warning" not in build.stdout + build.stderr and "Traceback" not in build.stderr
    assert (project / "site" / "models" / "meta" / "llama-3.2-1b-instruct" / "index.html").is_file()

    check = run(venv / "bin" / "python", "-m", package, "validate", cwd=project, env=env)
    assert check.returncode == 0, check.stdout + check.stderr

    serve = subprocess.Popen([str(modelcat), "serve", "--port", "0"], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for line in serve.stderr:
            found = re.search(r" at (http://\S+)", line)
            if found:
                url = found.group(1)
                break
        assert url, "serve never said where it serves"
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200 and b"llama-3.2-1b-instruct" in response.read()
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
        serve.stderr.close()

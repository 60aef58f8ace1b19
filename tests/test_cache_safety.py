"""The build cache is data from the project folder: never run, never trusted (generator.cache).

A planted Jinja bytecode file runs nothing; a forged, copied or invalid records.json
entry never reaches the site (the YAML's values do, with a warning); a FIFO, a device
or a symbolic link in .modelcat-cache/ neither hangs the build, fills memory, nor
leads a write outside the project.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from jinja2.bccache import BytecodeCache, bc_magic

from generator.build import build
from generator.cache import CACHE_DIR, RecordCache, code_fingerprint, digest
from generator.theme import template_dirs
from tests.conftest import MODEL_PATH, make_project, run_cli, valid_files

REPO = Path(__file__).resolve().parent.parent
MODEL_FILE = f"catalog/{MODEL_PATH}"
TWIN = "models/meta/llama-3.2-1b-instruct.json"


@pytest.fixture(autouse=True)
def _user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This user's cache folder (where the cache's key lives), one per test."""
    home = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, valid_files())


def twin_price(site: Path) -> float:
    return json.loads((site / TWIN).read_text(encoding="utf-8"))["pricing"]["input"]


def cached_value(project: Path) -> dict:
    return json.loads(RecordCache(project).entries[MODEL_FILE]["value"])


def rewrite_entry(project: Path, change) -> None:
    """Change the model's cached value through the cache itself (as this user's modelcat would write it)."""
    cache = RecordCache(project)
    value = json.loads(cache.entries[MODEL_FILE]["value"])
    change(value)
    cache.entries[MODEL_FILE]["value"] = json.dumps(value)
    cache.seen.update(cache.entries)
    cache.dirty = True
    cache.save()


class _Payload:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def test_a_planted_jinja_bytecode_file_is_never_loaded(project: Path, tmp_path: Path):
    marker = tmp_path / "payload-ran"
    planted = project / CACHE_DIR / "jinja"
    planted.mkdir(parents=True)
    # every name Jinja's FileSystemBytecodeCache would look up for the theme's templates
    loader = jinja2.FileSystemLoader([str(d) for d in template_dirs(project)])
    env = jinja2.Environment(loader=loader)
    payload = bc_magic + pickle.dumps(_Payload(marker))
    for name in loader.list_templates():
        filename = loader.get_source(env, name)[1]
        key = BytecodeCache().get_cache_key(name, filename)
        (planted / f"__jinja2_{jinja2.__version__}_{key}.cache").write_bytes(payload)
    build(project, workers=1)
    assert (project / "site" / TWIN).is_file()
    assert not marker.exists(), "a pickle from .modelcat-cache/ was loaded"


def test_a_forged_records_json_entry_does_not_publish_its_price(project: Path, tmp_path: Path):
    build(project, tmp_path / "first", workers=1)
    value = cached_value(project)
    value["pricing"]["input"] = 777.77
    yaml = (project / MODEL_FILE).read_bytes()
    # the entry a forger writes: keyed by the file's real digest, the cache's own digest recomputed
    entries = {MODEL_FILE: {"stat": None, "digest": digest(yaml), "value": json.dumps(value)}}
    rest = json.dumps(entries, separators=(",", ":"), sort_keys=True).encode()
    for fmt in (2, 3):
        head = json.dumps({"format": fmt, "code": code_fingerprint(), "digest": digest(rest)}).encode()
        (project / CACHE_DIR / "records.json").write_bytes(head + b"\n" + rest)
        out = tmp_path / f"site-{fmt}"
        result = run_cli("build", "--project", project, "--out", out, "--workers", "1")
        assert result.exit_code == 0, result.output
        assert twin_price(out) == 0.015
        assert "777.77" not in (out / "models/meta/llama-3.2-1b-instruct/index.html").read_text(encoding="utf-8")
        assert "warning: ignoring the build cache .modelcat-cache/records.json: it is corrupt" in result.output


def test_a_cache_copied_from_another_user_is_ignored(project: Path, tmp_path: Path, monkeypatch):
    build(project, tmp_path / "first", workers=1)
    rewrite_entry(project, lambda v: v["pricing"].update(input=777.77))  # sealed with this user's key
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    out = tmp_path / "second"
    result = run_cli("build", "--project", project, "--out", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert twin_price(out) == 0.015
    assert "warning: ignoring the build cache .modelcat-cache/records.json: it is corrupt or was not " \
           "written here (its seal does not match this user's key); rebuilding it" in result.output


def test_a_cached_value_that_fails_validation_falls_back_to_the_yaml(project: Path, tmp_path: Path):
    build(project, tmp_path / "first", workers=1)
    rewrite_entry(project, lambda v: v["pricing"].update(input=-5))
    out = tmp_path / "second"
    result = run_cli("build", "--project", project, "--out", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert result.exception is None and "Traceback" not in result.output
    assert f"warning: ignoring the build cache's entry for {MODEL_FILE}: pricing.input: " in result.output
    assert twin_price(out) == 0.015
    assert cached_value(project)["pricing"]["input"] == 0.015  # the entry was rebuilt from the YAML


def _run_build(project: Path, home: Path) -> subprocess.CompletedProcess:
    """Build in a child with 2 GB of address space and 60 s: a hang or a runaway read fails the test."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = dict(os.environ, XDG_CACHE_HOME=str(home), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(project), "--workers", "1"],
                          env=env, capture_output=True, text=True, timeout=60, preexec_fn=limit)


@pytest.mark.parametrize("plant, why", [
    (lambda p: os.mkfifo(p), "it is not a regular file (a pipe, socket or device?)"),
    (lambda p: p.symlink_to("/dev/zero"), "it is a symbolic link"),
], ids=["fifo", "dev-zero"])
def test_a_fifo_or_a_device_as_a_cache_file_neither_hangs_nor_fills_memory(project, _user_cache, plant, why):
    build(project, workers=1)
    cache = project / CACHE_DIR
    for name in ("records.json", next(cache.glob("build-*.json")).name):  # the record cache and the memo
        (cache / name).unlink()
        plant(cache / name)
    done = _run_build(project, _user_cache)
    assert done.returncode == 0, done.stderr
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr
    assert f"warning: ignoring the build cache .modelcat-cache/records.json: {why}; rebuilding it" in done.stderr
    assert (cache / "records.json").is_file() and not (cache / "records.json").is_symlink()


def test_a_symlinked_cache_folder_writes_nothing_outside_the_project(project: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / CACHE_DIR).symlink_to(outside, target_is_directory=True)
    result = run_cli("build", "--project", project, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert list(outside.iterdir()) == []
    assert twin_price(project / "site") == 0.015
    assert "warning: ignoring the build cache .modelcat-cache/: it is a symbolic link; building without it" \
        in result.output


def test_a_planted_link_in_the_cache_folder_is_never_written_through(project: Path, tmp_path: Path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    cache = project / CACHE_DIR
    cache.mkdir()
    for name in ("records.json", "records.json.{}.tmp"):  # the old code's temporary file name
        (cache / name.format(os.getpid())).symlink_to(victim)
    build(project, workers=1)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (cache / "records.json").is_symlink()  # replaced by a file of the cache's own


def test_the_key_is_this_users_and_never_one_the_project_supplies(project: Path, _user_cache: Path, monkeypatch):
    build(project, workers=1)
    key = _user_cache / "modelcat" / "key"
    assert key.stat().st_mode & 0o777 == 0o600 and (_user_cache / "modelcat").stat().st_mode & 0o077 == 0
    # a cache folder inside the project would let the project supply the key: no cache then
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "keys"))
    (project / CACHE_DIR / "records.json").unlink()
    result = run_cli("build", "--project", project, "--out", project / "second", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "the per-user key for the build cache is inside the project" in result.output
    assert not (project / CACHE_DIR / "records.json").exists()
    assert not (project / "keys").exists()

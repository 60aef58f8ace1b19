"""Nothing lost: what --out names, the previous site as a cache, faults while writing.

A build replaces only a folder an earlier build made (it carries generator.write.MARKER),
never the project or its catalog/ and templates/; a file of the last site is reused only
while it is the one that build wrote; a fault of the environment is one `error:` line,
exit 1, with the old site left as it was; and a build leaves nothing beside its site.
"""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from generator.write import MARKER, OutRefused, SiteWriter
from tests.conftest import make_project, run_cli, valid_files

REPO = Path(__file__).resolve().parent.parent
PAGE = "models/meta/llama-3.2-1b-instruct/index.html"


def snapshot(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256 (or '->target' for a symlink)} of everything under folder."""
    found = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            found[rel] = "->" + os.readlink(p)
        elif p.is_file():
            found[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            found[rel] = "dir"
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, valid_files())


def error_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


# --- what --out may name -----------------------------------------------------------------------

@pytest.mark.parametrize("where", ["catalog", "catalog/models", "catalog/new", "templates", "templates/x",
                                   "project", "parent"])
def test_an_out_that_would_replace_the_project_or_its_folders_is_refused(project: Path, where: str):
    (project / "templates").mkdir()
    (project / "templates" / "README.txt").write_text("my theme notes\n")
    sibling = project.parent / "sibling-repo"  # beside the project: a parent --out held it too
    (sibling / ".git").mkdir(parents=True)
    (sibling / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    out = {"project": project, "parent": project.parent}.get(where, project / where)
    top = project.parent
    before = snapshot(top)

    result = run_cli("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith(f"error: --out {out} "), result.output
    assert "Traceback" not in result.output
    # serve builds through build(): the same refusal reaches it
    with pytest.raises(OutRefused):
        build(project, out)
    assert snapshot(top) == before


def test_templates_is_refused_even_when_the_project_has_none(project: Path):
    result = run_cli("build", "--project", project, "--out", project / "templates")
    assert result.exit_code == 2, result.output
    assert "templates/" in result.output
    assert not (project / "templates").exists()  # a site there would become the theme


@pytest.mark.parametrize("kind", ["folder of other files", "file"])
def test_an_existing_path_no_build_made_is_left_alone(project: Path, tmp_path: Path, kind: str):
    out = tmp_path / "docs"
    if kind == "file":
        out.write_text("not a folder\n")
    else:
        out.mkdir()
        (out / "notes.md").write_text("hand-written, precious\n")
    before = snapshot(tmp_path)
    result = run_cli("build", "--project", project, "--out", out)
    assert result.exit_code == 2, result.output
    assert len(error_lines(result)) == 1 and result.output.startswith(f"error: --out {out} "), result.output
    assert snapshot(tmp_path) == before


def test_an_empty_folder_and_an_earlier_site_are_replaced(project: Path, tmp_path: Path):
    out = tmp_path / "empty"
    out.mkdir()
    assert run_cli("build", "--project", project, "--out", out).exit_code == 0
    assert (out / MARKER).is_file() and (out / "index.html").is_file()
    (project / "catalog" / "site.yaml").write_text(valid_files()["site.yaml"].replace("AIgateway", "Renamed"))
    result = run_cli("build", "--project", project, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Renamed" in (out / "index.html").read_text(encoding="utf-8")


def test_a_site_of_a_version_without_the_marker_is_replaced_when_the_memo_vouches_for_it(project: Path):
    import json

    from generator.cache import CACHE_DIR

    site = project / "site"
    build(project)
    os.unlink(site / MARKER)
    memo = next((project / CACHE_DIR).glob("build-*.json"))
    st = os.stat(site)  # what that version recorded, unsealed: the folder it swapped in
    memo.write_text(json.dumps({"format": 1, "models": {}, "out": [st.st_ino, st.st_dev, st.st_mtime_ns,
                                                                   st.st_ctime_ns]}), encoding="utf-8")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    assert (site / MARKER).is_file()
    # without that record, the same folder is someone else's
    os.unlink(site / MARKER)
    assert run_cli("build", "--project", project).exit_code == 2


def test_a_symlinked_out_stays_a_symlink(project: Path, tmp_path: Path):
    real = tmp_path / "published"
    build(project, real)
    link = project / "site"
    link.symlink_to(real, target_is_directory=True)
    (project / "catalog" / "site.yaml").write_text(valid_files()["site.yaml"].replace("AIgateway", "Renamed"))
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "Renamed" in (real / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "published"]
    # a link to a folder no build made is refused like the folder itself
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    link.unlink()
    link.symlink_to(other, target_is_directory=True)
    result = run_cli("build", "--project", project)
    assert result.exit_code == 2, result.output
    assert link.is_symlink() and sorted(p.name for p in other.iterdir()) == ["keep.txt"]


def test_the_marker_is_not_a_page_of_the_site(project: Path):
    build(project)
    site = project / "site"
    assert (site / MARKER).read_bytes().startswith(b"modelcat site")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert MARKER not in sitemap
    from generator.linkcheck import broken_links

    assert broken_links(site) == []


# --- the previous site as a cache --------------------------------------------------------------

def _edit_in_place(site: Path, rel: str) -> None:
    with open(site / rel, "r+b") as fh:  # same inode, same size: only the bytes and mtime change
        fh.write(b"<!-- edited by hand -->")


def _replace(site: Path, rel: str) -> None:
    data = (site / rel).read_bytes()
    os.unlink(site / rel)
    (site / rel).write_bytes(data.replace(b"Llama", b"Lxama"))  # a new inode, same size


@pytest.mark.parametrize("change", [
    ("edit", PAGE), ("edit", "pricing/index.html"), ("edit", "models/meta/llama-3.2-1b-instruct.json"),
    ("delete", PAGE), ("delete", "models/meta/llama-3.2-1b-instruct.md"), ("delete", "providers/meta/index.html"),
    ("replace", PAGE),
], ids=lambda c: f"{c[0]}-{c[1]}")
def test_a_page_changed_by_hand_is_built_again(project: Path, monkeypatch, change):
    monkeypatch.setattr("generator.cache.RACY_NS", 0)  # the catalog was written just now: trust its stamps
    site = project / "site"
    build(project)
    want = snapshot(site)
    assert build(project).up_to_date  # nothing changed: the no-op still holds
    how, rel = change
    if how == "edit":
        _edit_in_place(site, rel)
    elif how == "delete":
        os.unlink(site / rel)
    else:
        _replace(site, rel)
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    assert "up to date" not in result.output
    assert snapshot(site) == want
    assert build(project).up_to_date


def test_an_edited_model_page_is_rendered_again_when_other_inputs_changed(project: Path, tmp_path: Path,
                                                                         monkeypatch):
    """Unchanged models are linked from the last site: never a file edited since."""
    monkeypatch.setattr("generator.cache.RACY_NS", 0)
    site = project / "site"
    build(project)
    _edit_in_place(site, PAGE)
    # a collection the model is not in: its page is unchanged, so it would be linked
    (project / "catalog" / "collections.yaml").write_text(
        valid_files()["collections.yaml"] + "- {id: seeing, title: Vision, where: {input_modality: image}}\n")
    report = build(project)
    assert not report.up_to_date and report.rendered == 1
    build(project, tmp_path / "cold", cache=False)
    assert snapshot(site) == snapshot(tmp_path / "cold")


# --- faults while writing ----------------------------------------------------------------------

def _fresh_stale(out: Path) -> Path:
    stale = out.parent / f"{out.name}.tmp-999999"  # what a SIGKILLed build leaves: marker first
    (stale / "models").mkdir(parents=True)
    (stale / MARKER).write_bytes(b"modelcat site 1\n")
    (stale / "models" / "half.html").write_text("<p>half")
    return stale


def test_a_killed_builds_folder_is_removed_by_an_up_to_date_build(project: Path, monkeypatch):
    monkeypatch.setattr("generator.cache.RACY_NS", 0)
    build(project)
    stale = _fresh_stale(project / "site")
    lookalike = project / "site.tmp-notes"  # not a build's folder: kept
    lookalike.mkdir()
    (lookalike / "mine.txt").write_text("x")
    (project / ".site.lock").write_text("")  # a killed build's lock file: removed too
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0 and "up to date" in result.output, result.output
    assert not stale.exists()
    assert (lookalike / "mine.txt").is_file()
    assert sorted(p.name for p in project.iterdir()) == [".modelcat-cache", "catalog", "site", "site.tmp-notes"]


def test_a_build_leaves_nothing_beside_its_site(project: Path, monkeypatch):
    monkeypatch.setattr("generator.cache.RACY_NS", 0)
    build(project)
    build(project)  # up to date
    (project / "catalog" / "site.yaml").write_text(valid_files()["site.yaml"].replace("AIgateway", "Renamed"))
    build(project)
    assert sorted(p.name for p in project.iterdir()) == [".modelcat-cache", "catalog", "site"]


def test_the_lock_still_refuses_a_second_build_and_is_taken_again_after(project: Path):
    out = project / "site"
    with SiteWriter(out):
        result = run_cli("build", "--project", project)
        assert result.exit_code == 1
        assert result.output.startswith("error: another modelcat build is writing"), result.output
        assert len(error_lines(result)) == 1
    assert run_cli("build", "--project", project).exit_code == 0
    # a lock file left by a killed build is taken over, and removed at the end
    (project / ".site.lock").write_text("")
    assert run_cli("build", "--project", project, "--no-cache").exit_code == 0
    assert not (project / ".site.lock").exists()


def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small file system")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


def _cli(project: Path, out: Path, limit: int | None = None) -> subprocess.CompletedProcess:
    def setup():
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(project),
                           "--out", str(out), "--no-cache"], capture_output=True, text=True, env=env,
                          preexec_fn=setup, timeout=120)


@pytest.mark.parametrize("fault", ["read-only", "full disk", "file-size limit"])
def test_a_fault_while_writing_is_one_line_and_leaves_the_old_site(project: Path, tmp_path: Path, fault: str):
    disk = tmp_path / "disk"
    limit = None
    if fault == "file-size limit":
        disk.mkdir()
        limit = 8192  # a page is larger: its write gets SIGXFSZ, then EFBIG
    else:
        _mount_tmpfs(disk, "4m")
    try:
        out = disk / "site"
        first = _cli(project, out)
        assert first.returncode == 0, first.stderr
        before = snapshot(disk)
        (project / "catalog" / "site.yaml").write_text(valid_files()["site.yaml"].replace("AIgateway", "Renamed"))
        if fault == "read-only":
            if os.geteuid() == 0:
                subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
            else:  # pragma: no cover - root ignores permissions
                disk.chmod(0o555)
        elif fault == "full disk":
            free = os.statvfs(disk)
            with open(disk / "filler", "wb") as fh:
                os.posix_fallocate(fh.fileno(), 0, free.f_bavail * free.f_frsize - 16384)
            before = snapshot(disk)
        result = _cli(project, out, limit)
        assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"error: cannot write the site to {out}: "), result.stderr
        assert "Traceback" not in result.stderr
        want = {"read-only": "Read-only file system", "full disk": "No space left on device",
                "file-size limit": "File too large"}[fault]
        if not (fault == "read-only" and os.geteuid() != 0):
            assert want in lines[0]
        assert snapshot(disk) == before
    finally:
        if fault != "file-size limit" and os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(disk)], capture_output=True)
        elif fault == "read-only":
            disk.chmod(0o755)


def test_a_write_fault_is_a_write_error_in_process_too(project: Path, monkeypatch):
    """build() itself (as serve calls it) raises the one-line error, not an OSError."""
    import generator.build as build_mod
    from generator.write import WriteError

    build(project)
    before = snapshot(project / "site")
    real = build_mod.write_file

    def full(folder, o):
        if o.path.endswith(".html"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(folder, o)

    monkeypatch.setattr(build_mod, "write_file", full)
    with pytest.raises(WriteError) as info:
        build(project, cache=False)
    assert "No space left on device" in info.value.format_message()
    assert snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir()) == [".modelcat-cache", "catalog", "site"]


def test_an_old_site_whose_deletion_was_cut_short_is_still_removed(project: Path):
    """A kill while the previous site is deleted must not leave a folder without its marker
    (which the next build could no longer tell from a user's): the marker goes last."""
    from generator.write import remove_site

    build(project)
    leftover = project / "site.tmp-99999"
    shutil.copytree(project / "site", leftover)
    calls = []
    real_unlink = os.unlink

    def unlink_then_die(path, *args, **kwargs):
        calls.append(os.path.basename(path))
        if len(calls) == 3:
            raise KeyboardInterrupt  # the kill, part way through
        return real_unlink(path, *args, **kwargs)

    os.unlink = unlink_then_die
    try:
        with pytest.raises(KeyboardInterrupt):
            remove_site(leftover)
    finally:
        os.unlink = real_unlink
    assert MARKER not in calls and (leftover / MARKER).is_file()
    build(project)
    assert not leftover.exists()


def test_a_folder_a_live_process_is_deleting_is_left_to_it(project: Path, monkeypatch):
    """No build waits on (or races) the background deletion of a replaced site; should the
    deleting process die, taking its lock with it, the next build removes the folder."""
    import fcntl

    monkeypatch.setattr("generator.cache.RACY_NS", 0)
    build(project)
    stale = _fresh_stale(project / "site")
    fd = os.open(stale, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as _delete_in_background's process holds it
    try:
        assert build(project).up_to_date
        build(project, cache=False)
        assert (stale / "models" / "half.html").is_file()
    finally:
        os.close(fd)
    build(project)
    assert not stale.exists()


def test_a_replaced_site_deleted_in_the_background_goes_entirely(project: Path, monkeypatch):
    """Also when the next build of the same process (serve) starts while it is deleted."""
    import time

    import generator.write as write_mod

    real_remove = write_mod.remove_site

    def slow_remove(folder):
        time.sleep(0.5)
        real_remove(folder)

    monkeypatch.setattr(write_mod, "BACKGROUND_DELETE_FILES", 1)
    monkeypatch.setattr(write_mod, "remove_site", slow_remove)
    build(project)
    before = snapshot(project / "site")
    build(project, cache=False)
    build(project, cache=False)  # its temporary folder's name is still being deleted
    deadline = time.monotonic() + 30
    while len(list(project.iterdir())) > 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sorted(p.name for p in project.iterdir()) == [".modelcat-cache", "catalog", "site"]
    assert snapshot(project / "site") == before

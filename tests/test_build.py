"""The build as a whole: deterministic, atomic, locked, and strict about links."""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.write import SiteWriter

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "tests" / "fixtures" / "example-catalog"


def snapshot(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256} of every file under folder."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "catalog")
    return tmp_path


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path):
    build(project, tmp_path / "a")
    build(project, tmp_path / "b")
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert a == b
    assert "index.html" in a and "models/meta/llama-3.2-1b-instruct/index.html" in a


def test_build_does_not_depend_on_the_clock(project: Path, tmp_path: Path, monkeypatch):
    # Without SOURCE_DATE_EPOCH (the autouse fixture pins it), on two clocks five years and a
    # date line apart: a stray date.today() or time.time() in an output would show. The
    # catalog has no date the two clocks fall on either side of (a scheduled deprecation would
    # rightly change state), so the bytes must be equal.
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    with time_machine.travel(datetime.datetime(2026, 6, 2, 23, 30, tzinfo=datetime.timezone.utc), tick=False):
        build(project, tmp_path / "a")
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        with time_machine.travel(datetime.datetime(2031, 11, 20, 4, 0, tzinfo=datetime.timezone.utc), tick=False):
            build(project, tmp_path / "b")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_bad_catalog_leaves_previous_site_untouched(project: Path):
    out = project / "site"
    build(project, out)
    before = snapshot(out)
    record = project / "catalog/models/meta/llama-3.2-1b-instruct.yaml"
    record.write_text(record.read_text().replace("input: 0.015", "input: -1"))
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 1, result.output
    assert "pricing.input: must be >= 0, got -1" in result.output
    assert "Traceback" not in result.output
    assert snapshot(out) == before
    assert not list(project.glob("site.tmp-*"))


def test_render_error_leaves_previous_site_untouched(project: Path, monkeypatch):
    out = project / "site"
    build(project, out)
    before = snapshot(out)
    (project / "templates").mkdir()
    (project / "templates" / "leaderboard.html").write_text("{{ no_such_variable }}")
    with pytest.raises(Exception):
        build(project, out)
    assert snapshot(out) == before
    assert not list(project.glob("site.tmp-*"))


def test_second_concurrent_build_is_refused(project: Path):
    out = project / "site"
    with SiteWriter(out):
        result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 1
    assert "another modelcat build is writing" in result.output


def test_stale_temp_folders_are_removed(project: Path):
    from generator.write import MARKER

    stale = project / "site.tmp-999999"  # a killed build's folder: the marker is its first file
    (stale / "models").mkdir(parents=True)
    (stale / MARKER).write_text("modelcat site 1\n")
    (stale / "models" / "half.html").write_text("<p>half")
    build(project, project / "site")
    assert not stale.exists()


def test_strict_fails_on_broken_internal_link(project: Path):
    out = project / "site"
    # remove the example's warnings, so that only the link can fail the strict build
    record = project / "catalog/models/meta/llama-3.2-1b-instruct.yaml"
    record.write_text(record.read_text().replace(", Tool use]", "]"))
    (project / "catalog/collections.yaml").write_text(
        "- {id: text, title: Text models, where: {output_modality: text}}\n")
    ok = CliRunner().invoke(main, ["build", "--project", str(project), "--strict"])
    assert ok.exit_code == 0, ok.output
    before = snapshot(out)
    (project / "templates").mkdir()
    (project / "templates" / "leaderboard.html").write_text(
        '{% extends "base.html" %}{% block content %}<a href="{{ link(\'missing/page/\') }}">x</a>{% endblock %}')
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--strict"])
    assert result.exit_code == 1
    assert "broken internal link" in result.output
    assert "leaderboard/index.html: ../missing/page/index.html" in result.output
    assert snapshot(out) == before


def _generated_project(tmp_path: Path, n: int) -> Path:
    from benchmarks.generate import generate_catalog

    project = tmp_path / "big"
    project.mkdir()
    generate_catalog(project / "catalog", n, seed=7)
    return project


def test_sigkill_at_any_moment_leaves_old_or_new_site(tmp_path: Path):
    project = _generated_project(tmp_path, 400)
    out = project / "site"
    build(project, out)
    old = snapshot(out)
    # change every model page, so that a mix of old and new would show
    site_yaml = project / "catalog" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("name: ", "name: Renamed ", 1))
    code = "import sys; from pathlib import Path; from generator.build import build; build(Path(sys.argv[1]), Path(sys.argv[2]))"
    new = None
    outcomes = set()
    for delay in (0.0, 0.15, 0.3, 0.5, 0.8, 1.2, 2.0, 3.5):
        proc = subprocess.Popen([sys.executable, "-c", code, str(project), str(out)], cwd=REPO)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(out)
        if now != old:
            if new is None:
                new = now
                assert "index.html" in now and len(now) == len(old)
            assert now == new, f"mixed site after kill at {delay}s"
            outcomes.add("new")
            # put the old site back for the next round
            site_yaml.write_text(site_yaml.read_text().replace("name: Renamed ", "name: ", 1))
            build(project, out)
            assert snapshot(out) == old
            site_yaml.write_text(site_yaml.read_text().replace("name: ", "name: Renamed ", 1))
        else:
            outcomes.add("old")
    assert "old" in outcomes
    # the next build cleans what the killed ones left and completes; the site it replaced
    # (and one a killed build had begun to delete) goes in a detached process: bounded wait
    build(project, out)
    deadline = time.monotonic() + 30
    while list(project.glob("site.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(project.glob("site.tmp-*"))
    final = snapshot(out)
    assert final != old
    if new is not None:
        assert final == new


@pytest.mark.parametrize("name", ["example", "project"])
def test_every_internal_link_and_asset_of_the_built_site_resolves(name: str):
    from generator.linkcheck import broken_links
    from tests.builds import built

    site = built(name)
    assert broken_links(site) == []
    # the checker itself sees a broken one
    page = site / "pricing" / "index.html"
    text = page.read_text(encoding="utf-8")
    try:
        page.write_text(text.replace("</main>", '<a href="../nowhere/">x</a></main>', 1), encoding="utf-8")
        assert broken_links(site) == ["pricing/index.html: ../nowhere/"]
    finally:
        page.write_text(text, encoding="utf-8")


def test_progress_is_a_redrawn_line_in_a_terminal_and_plain_lines_in_a_log():
    import io

    from generator.build import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    log = io.StringIO()
    p = Progress(every=0, stream=log)
    p.tick(10)
    p.tick(20)
    p.done()
    assert log.getvalue() == "rendering: 10 pages so far\nrendering: 20 pages so far\n"

    quiet = io.StringIO()
    p = Progress(every=3600, stream=quiet)  # a short build in a log says nothing until its closing line
    p.tick(10)
    assert quiet.getvalue() == ""

    term = Terminal()
    p = Progress(stream=term)
    p._last -= 1  # as if a moment had passed
    p.tick(1234)
    p.done()
    assert term.getvalue() == "\rrendering … 1,234 pages\r\033[K"


def test_init_creates_a_project_that_builds(tmp_path: Path):
    from click.testing import CliRunner

    from generator.cli import main

    target = tmp_path / "new-project"
    assert CliRunner().invoke(main, ["init", str(target)]).exit_code == 0
    result = CliRunner().invoke(main, ["build", "--project", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "site" / "index.html").is_file()
    assert not (target / "templates" / "model.html").exists()  # the theme stays in modelcat (`eject` copies it)
    assert result.output.splitlines()[-1].startswith("built ")


def test_a_twins_second_url_is_a_link_to_the_first(project: Path, tmp_path: Path):
    # <page>/index.md holds <page>.md's bytes: one file with two names (a link costs a tenth of a
    # new file on these disks), in a build and in an incremental one
    for _ in range(2):
        build(project, tmp_path / "site")
        md = tmp_path / "site/models/meta/llama-3.2-1b-instruct.md"
        index = tmp_path / "site/models/meta/llama-3.2-1b-instruct/index.md"
        assert md.stat().st_ino == index.stat().st_ino and md.stat().st_nlink == 2

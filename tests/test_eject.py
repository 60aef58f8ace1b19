"""`modelcat init` writes no copy of the default theme; `modelcat eject` copies templates to edit,
and `eject --prune` drops the unchanged copies an older `init` left (CONTRACT.md section 4)."""

from __future__ import annotations

import shutil

from generator.theme import DEFAULT_TEMPLATES
from tests.conftest import make_project, run_cli, valid_files


def theme() -> dict[str, bytes]:
    return {p.relative_to(DEFAULT_TEMPLATES).as_posix(): p.read_bytes()
            for p in DEFAULT_TEMPLATES.rglob("*") if p.is_file()}


def files_of(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_init_writes_no_copy_of_the_theme(tmp_path):
    target = tmp_path / "gateway"
    result = run_cli("init", target)
    assert result.exit_code == 0, result.output
    assert "`modelcat eject TEMPLATE` copies a template there to edit" in result.output
    assert list((target / "templates").iterdir()) == []
    built = run_cli("build", "--project", target)
    assert built.exit_code == 0, built.output
    assert (target / "site" / "assets").is_dir()  # the default theme's, from modelcat itself


def test_eject_copies_what_it_is_told_and_never_overwrites(tmp_path):
    project = make_project(tmp_path, valid_files())
    (project / "templates").mkdir()
    (project / "templates" / "base.html").write_text("mine", encoding="utf-8")
    result = run_cli("eject", "--project", project, "model.html", "base.html", "assets/css")
    assert result.exit_code == 0, result.output
    css = sorted(n for n in theme() if n.startswith("assets/css/"))
    assert css
    assert result.output.splitlines() == (
        ["copied templates/" + n for n in css]
        + ["kept templates/base.html (it exists)", "copied templates/model.html"])
    assert (project / "templates" / "base.html").read_text(encoding="utf-8") == "mine"
    assert files_of(project / "templates") == {"base.html": b"mine", "model.html": theme()["model.html"],
                                               **{n: theme()[n] for n in css}}


def test_an_ejected_template_is_the_one_the_build_uses(tmp_path):
    project = make_project(tmp_path, valid_files())
    assert run_cli("eject", "--project", project, "model.html").exit_code == 0
    page = project / "templates" / "model.html"
    text = page.read_text(encoding="utf-8")
    assert "{% block content %}" in text
    page.write_text(text.replace("{% block content %}", "{% block content %}<p>EJECTED-AND-EDITED</p>", 1),
                    encoding="utf-8")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    html = (project / "site" / "models" / "meta" / "llama-3.2-1b-instruct" / "index.html").read_text(encoding="utf-8")
    assert "EJECTED-AND-EDITED" in html


def test_eject_without_names_copies_the_whole_theme(tmp_path):
    project = make_project(tmp_path, valid_files())
    result = run_cli("eject", "--project", project)
    assert result.exit_code == 0, result.output
    assert files_of(project / "templates") == theme()
    again = run_cli("eject", "--project", project)
    assert again.output.splitlines() == [f"kept templates/{n} (it exists)" for n in sorted(theme())]


def test_eject_names_an_unknown_template(tmp_path):
    project = make_project(tmp_path, valid_files())
    result = run_cli("eject", "--project", project, "modle.html")
    assert result.exit_code == 2
    assert "'modle.html' is not a template of the default theme (did you mean \"model.html\"?)" in result.output
    assert not (project / "templates").exists()
    listed = run_cli("eject", "--list")
    assert listed.exit_code == 0
    assert listed.output.splitlines() == sorted(theme())


def test_prune_drops_only_the_unchanged_copies_of_an_old_init(tmp_path):
    project = make_project(tmp_path, valid_files())
    own = project / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, own)  # what `init` used to write
    text = (own / "model.html").read_text(encoding="utf-8")
    (own / "model.html").write_text(text.replace("{% block content %}", "{% block content %}<!-- ours -->", 1),
                                    encoding="utf-8")
    (own / "extra.html").write_text("not the theme's", encoding="utf-8")
    result = run_cli("eject", "--project", project, "--prune")
    assert result.exit_code == 0, result.output
    removed = sorted(set(theme()) - {"model.html"})
    assert result.output.splitlines() == (
        [f"removed templates/{n} (the same as the default theme's)" for n in removed]
        + [f"{len(removed)} removed; 1 kept that differ from the default theme: templates/model.html"])
    assert sorted(files_of(own)) == ["extra.html", "model.html"]
    assert not (own / "assets").exists()  # the folders it emptied go too
    built = run_cli("build", "--project", project)
    assert built.exit_code == 0, built.output
    assert "<!-- ours -->" in (project / "site" / "models" / "meta" / "llama-3.2-1b-instruct" / "index.html").read_text()


def test_eject_refuses_the_default_theme_itself(tmp_path):
    # A templates/ that is the default theme itself (a link to generator/templates)
    project = make_project(tmp_path, valid_files())
    (project / "templates").symlink_to(DEFAULT_TEMPLATES, target_is_directory=True)
    before = theme()
    result = run_cli("eject", "--project", project, "--prune")
    assert result.exit_code == 2
    assert "is modelcat's default theme itself: nothing to eject or prune" in result.output
    assert theme() == before

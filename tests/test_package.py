"""The package as pyproject.toml declares it: its installed name, what the wheel carries, one copy
of the default theme and of the example catalog (tests/test_wheel.py installs the built wheel)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from tests.conftest import run_cli

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "generator"


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def installed_name() -> str:
    """The name generator/ installs as (setuptools' package-dir maps it)."""
    mapping = pyproject()["tool"]["setuptools"]["package-dir"]
    (name,) = [k for k, v in mapping.items() if v == "generator"]
    return name


def test_no_module_imports_the_folder_name_generator():
    # installed, the package is not called generator: an absolute import of it would fail (or load
    # another project's generator)
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            found += [f"{path.relative_to(REPO)}:{node.lineno}: {n}" for n in names
                      if n == "generator" or n.startswith("generator.")]
    assert found == []


def test_the_names_are_not_generator_nor_modelcat():
    meta = pyproject()
    name = installed_name()
    assert name not in ("generator", "modelcat")
    assert meta["project"]["name"].replace("_", "-").lower() not in ("modelcat", "generator")
    setuptools = meta["tool"]["setuptools"]
    assert all(p == name or p.startswith(name + ".") for p in setuptools["packages"])
    # every folder of Python code under generator/ is a listed package
    code = {p.parent.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("__init__.py")}
    assert {name + ("" if c == "." else "." + c.replace("/", ".")) for c in code} == set(setuptools["packages"])


def test_the_entry_points_name_the_installed_package():
    meta = pyproject()["project"]
    name = installed_name()
    points = [meta["scripts"]["modelcat"], *meta["entry-points"]["mkdocs.plugins"].values()]
    assert points == [f"{name}.cli:main", f"{name}.mkdocs_plugin:ModelcatPlugin"]


def test_the_package_data_holds_the_theme_and_the_example():
    globs = pyproject()["tool"]["setuptools"]["package-data"][installed_name()]
    data = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert any(d.startswith("example/models/") for d in data) and "templates/base.html" in data
    matched = {p.relative_to(PACKAGE).as_posix() for g in globs for p in PACKAGE.glob(g)}  # as setuptools globs
    assert [d for d in data if d not in matched] == []


def test_one_copy_of_the_theme_and_of_the_example():
    # the theme lives in the package; the repository's own project uses it (templates/ is for overrides)
    assert (PACKAGE / "templates").is_dir() and not (PACKAGE / "templates").is_symlink()
    assert not (REPO / "templates").exists()
    # the example `init` copies is the repository's own catalog: one folder, catalog/ links to it
    assert (PACKAGE / "example").is_dir() and not (PACKAGE / "example").is_symlink()
    assert (REPO / "catalog").is_symlink() and (REPO / "catalog").resolve() == (PACKAGE / "example").resolve()


def test_a_catalog_that_is_a_link_builds_like_the_repository_s_own(tmp_path):
    # README's first command builds the repository's catalog/, a link to generator/example
    # (here in a folder of its own, so that the build's cache stays out of the checkout)
    (tmp_path / "catalog").symlink_to(REPO / "catalog", target_is_directory=True)
    result = run_cli("build", "--project", tmp_path, "--strict")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "models" / "meta" / "llama-3.2-1b-instruct" / "index.html").is_file()


def test_the_example_init_writes_builds_with_no_warning(tmp_path):
    target = tmp_path / "new-site"
    assert run_cli("init", target).exit_code == 0
    result = run_cli("build", "--project", target)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()  # outside git, a note that there is no price history may come first
    assert "warning" not in result.output and lines[-1].startswith("built "), result.output
    assert all(line.startswith("note: ") for line in lines[:-1]), result.output

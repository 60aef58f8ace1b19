"""The catalog's history from git (CONTRACT.md section 4, "History"): a temporary repository
with dated commits — a model added, its price changed twice, a field that is no fact renamed,
the model deprecated, another deleted — and what the history says of them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.history import Entry, facts_of, read_history
from tests.conftest import MODEL_PATH, make_project, valid_files

MODEL = "meta/llama-3.2-1b-instruct"
OTHER_PATH = "models/meta/llama-other.yaml"


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / "catalog" / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (old, rel)
    path.write_text(text.replace(old, new), encoding="utf-8")


def commit(project: Path, message: str, date: str) -> str:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message, date=date)
    return git(project, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """Return a project in git with five dated commits, and their shas by name."""
    files = valid_files()
    other = files[MODEL_PATH].replace(f"id: {MODEL}", "id: meta/llama-other").replace(
        "name: Llama-3.2-1b-Instruct", "name: Llama Other")
    project = make_project(tmp_path_factory.mktemp("history"), {**files, OTHER_PATH: other})
    git(project, "init", "-q", "-b", "main")
    shas = {"added": commit(project, "add models", "2026-01-05T10:00:00Z")}
    edit(project, MODEL_PATH, "input: 0.015", "input: 0.02")
    shas["price1"] = commit(project, "price up", "2026-02-10T23:30:00Z")
    edit(project, MODEL_PATH, "output: 0.030", "output: 0.04")
    edit(project, MODEL_PATH, "input: 0.02", "input: 0.01")
    shas["price2"] = commit(project, "price again", "2026-03-01T08:00:00Z")
    edit(project, MODEL_PATH, "family: Llama 3", "family: Llama 3.2")
    shas["renamed"] = commit(project, "not a fact", "2026-03-15T08:00:00Z")
    edit(project, MODEL_PATH, "limits:", "status: deprecated\ndeprecation: {date: 2026-09-01, replacement: "
         "meta/llama-other}\nlimits:")
    shas["deprecated"] = commit(project, "deprecate", "2026-04-01T08:00:00Z")
    (project / "catalog" / OTHER_PATH).unlink()
    shas["deleted"] = commit(project, "remove other", "2026-05-01T08:00:00Z")
    return project, shas


def test_a_models_history_is_its_commits_that_changed_facts(repo, tmp_path):
    project, shas = repo
    history = read_history(project)
    assert history.note is None and history.head == shas["deleted"]
    assert [e.as_json() for e in history.of(MODEL)] == [
        {"date": "2026-01-05", "commit": shas["added"], "changes": {}},
        {"date": "2026-02-10", "commit": shas["price1"], "changes": {"pricing.input": [0.015, 0.02]}},
        {"date": "2026-03-01", "commit": shas["price2"],
         "changes": {"pricing.input": [0.02, 0.01], "pricing.output": [0.03, 0.04]}},
        {"date": "2026-04-01", "commit": shas["deprecated"],
         "changes": {"deprecation.date": [None, "2026-09-01"],
                     "deprecation.replacement": [None, "meta/llama-other"],
                     "status": ["active", "deprecated"]}},
    ]


def test_a_deleted_model_is_a_removal_with_its_date_and_name(repo):
    project, shas = repo
    other = read_history(project).models["meta/llama-other"]
    assert [e.commit for e in other.entries] == [shas["added"]]
    assert other.removed is not None
    assert (other.removed.date, other.removed.commit, other.removed.name) == ("2026-05-01", shas["deleted"],
                                                                               "Llama Other")
    assert read_history(project).removed == [other]


def test_uncommitted_edits_are_not_history(repo):
    project, _ = repo
    before = read_history(project)
    edit(project, MODEL_PATH, "input: 0.01", "input: 9")
    try:
        assert read_history(project) == before
    finally:
        edit(project, MODEL_PATH, "input: 9", "input: 0.01")


def test_the_blob_cache_gives_the_same_history(repo, tmp_path):
    project, _ = repo
    cold = read_history(project, cache_dir=tmp_path)
    assert (tmp_path / "history.json").is_file()
    assert read_history(project, cache_dir=tmp_path) == cold == read_history(project)


def test_outside_git_and_in_a_shallow_clone_there_is_a_note_and_no_history(repo, tmp_path):
    project, _ = repo
    plain = tmp_path / "plain"
    shutil.copytree(project, plain, ignore=shutil.ignore_patterns(".git"))
    h = read_history(plain)
    assert h.models == {} and "not a git checkout" in h.note
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", str(shallow)], check=True)
    h = read_history(shallow)
    assert h.models == {} and "shallow" in h.note and "fetch-depth: 0" in h.note


def test_facts_treat_defaults_as_unwritten():
    assert facts_of({"capabilities": {"vision": False, "streaming": True}}) == {
        "capabilities.streaming": True, "status": "active"}
    assert facts_of({"status": "active", "name": "x", "pricing": {"input": 1}}) == {
        "pricing.input": 1, "status": "active"}
    assert isinstance(Entry("2026-01-01", "0" * 40, {}).as_json()["changes"], dict)

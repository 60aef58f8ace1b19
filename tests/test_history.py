"""The catalog's history from git (CONTRACT.md section 4, "History"): a temporary repository
with dated commits — a model added, its price changed twice, a field that is no fact renamed,
the model deprecated with another, their replacement added, the other deleted — and what the
history, and a full build of the repository (page, twins, changelog, feed), says of them.
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
NEXT = "meta/llama-next"
NEXT_PATH = "models/meta/llama-next.yaml"


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
    """Return a project in git with six dated commits, and their shas by name."""
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
    (project / "catalog" / NEXT_PATH).write_text(files[MODEL_PATH].replace(f"id: {MODEL}", f"id: {NEXT}").replace(
        "name: Llama-3.2-1b-Instruct", "name: Llama Next"), encoding="utf-8")
    for path in (MODEL_PATH, OTHER_PATH):
        edit(project, path, "limits:", f"status: deprecated\ndeprecation: {{date: 2026-09-01, replacement: {NEXT}}}"
                                       "\nlimits:")
    shas["deprecated"] = commit(project, "deprecate two, add their replacement", "2026-04-01T08:00:00Z")
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
                     "deprecation.replacement": [None, NEXT],
                     "status": ["active", "deprecated"]}},
    ]


def test_a_deleted_model_is_a_removal_with_its_date_and_name(repo):
    project, shas = repo
    other = read_history(project).models["meta/llama-other"]
    assert [e.commit for e in other.entries] == [shas["added"], shas["deprecated"]]
    assert other.removed is not None
    assert (other.removed.date, other.removed.commit, other.removed.name) == ("2026-05-01", shas["deleted"],
                                                                               "Llama Other")
    assert other.removed.replacement == NEXT
    assert read_history(project).removed == [other]


def test_uncommitted_edits_are_not_history(repo):
    project, _ = repo
    before = read_history(project)
    edit(project, MODEL_PATH, "input: 0.01", "input: 9")
    try:
        assert read_history(project) == before
    finally:
        edit(project, MODEL_PATH, "input: 9", "input: 0.01")


def test_the_cache_gives_the_same_history_and_is_sealed(repo):
    project, _ = repo
    cold = read_history(project, cache=True)
    path = project / ".modelcat-cache" / "history.json"
    assert path.read_bytes().startswith(b"modelcat-sealed-1 ")
    assert read_history(project, cache=True) == cold == read_history(project)
    assert cold.commits and cold.commits[-1] == cold.head


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


# --- a full build of the repository: page, twins, changelog, feed, removed page -----------------

import json  # noqa: E402
import re  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402

from tests.builds import TODAY_EPOCH  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    """Return the site of a --strict build of the repository (its history read from git)."""
    project, _ = repo
    out = tmp_path_factory.mktemp("history-site") / "site"
    with pytest.MonkeyPatch.context() as mp:  # module-scoped: before the autouse date fixture
        mp.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        result = run_cli("build", "--project", project, "--out", out, "--strict")
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output and "warning" not in result.output
    return out


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_json_twin_carries_the_history_oldest_first(repo, site):
    _, shas = repo
    doc = json.loads((site / f"models/{MODEL}.json").read_text(encoding="utf-8"))
    assert [(e["date"], e["commit"]) for e in doc["history"]] == [
        ("2026-01-05", shas["added"]), ("2026-02-10", shas["price1"]), ("2026-03-01", shas["price2"]),
        ("2026-04-01", shas["deprecated"])]
    assert doc["history"][0]["changes"] == {}
    assert doc["history"][1]["changes"] == {"pricing.input": [0.015, 0.02]}
    nxt = json.loads((site / f"models/{NEXT}.json").read_text(encoding="utf-8"))
    assert nxt["history"] == [{"date": "2026-04-01", "commit": shas["deprecated"], "changes": {}}]


def test_the_model_page_and_its_twin_show_the_price_history(site):
    html = (site / f"models/{MODEL}/index.html").read_text(encoding="utf-8")
    section = html[html.index('id="price-history"'):]
    section = section[:section.index("</section>")]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", section, re.S)
    assert [text_of(r) for r in rows] == [
        "2026-01-05 $0.015 $0.030 Added",
        "2026-02-10 $0.020 $0.030 input $0.015 → $0.020 (+33.3%)",
        "2026-03-01 $0.010 $0.040 input $0.020 → $0.010 (-50%); output $0.030 → $0.040 (+33.3%)"]
    svg = section[section.index("<svg"):section.index("</svg>")]
    assert "<title" in svg and "<desc" in svg and svg.count("<polyline") == 2
    assert re.findall(r'points="([^"]+)"', svg)[0].count(",") == 3  # input: three points
    md = (site / f"models/{MODEL}.md").read_text(encoding="utf-8")
    part = md[md.index("## Price history"):]
    assert part.split("\n\n")[1].splitlines()[2:] == [
        "| 2026-01-05 | $0.015 | $0.030 | added |",
        "| 2026-02-10 | $0.020 | $0.030 | input $0.015 → $0.020 (+33.3%) |",
        "| 2026-03-01 | $0.010 | $0.040 | input $0.020 → $0.010 (-50%); output $0.030 → $0.040 (+33.3%) |"]
    # one point only (added, never repriced): a table of one row, no chart
    nxt = (site / f"models/{NEXT}/index.html").read_text(encoding="utf-8")
    assert 'id="price-history"' in nxt and "<polyline" not in nxt


def test_the_changelog_lists_exactly_the_changes_newest_first_by_day(site):
    html = (site / "changelog/index.html").read_text(encoding="utf-8")
    # every page's footer links it (a catalog without history has no changelog and no link)
    assert '<a href="../changelog/index.html">Changelog</a>' in (site / "pricing/index.html").read_text("utf-8")
    days = re.findall(r'<h2 id="day-([0-9-]+)">', html)
    assert days == ["2026-05-01", "2026-04-01", "2026-03-01", "2026-02-10", "2026-01-05"]  # not 03-15
    items = [text_of(li) for li in re.findall(r'<li class="change change-\w+">(.*?)</li>', html, re.S)]
    assert items == [
        "Removed Llama Other meta/llama-other removed; replacement: Llama Next",
        "New Llama Next meta/llama-next added",
        "Deprecated Llama-3.2-1b-Instruct meta/llama-3.2-1b-instruct , from 2026-09-01; replacement: Llama Next",
        "Deprecated Llama Other meta/llama-other , from 2026-09-01; replacement: Llama Next",
        "Price Llama-3.2-1b-Instruct meta/llama-3.2-1b-instruct : input $0.020 → $0.010 (-50%); "
        "output $0.030 → $0.040 (+33.3%)",
        "Price Llama-3.2-1b-Instruct meta/llama-3.2-1b-instruct : input $0.015 → $0.020 (+33.3%)",
        "New Llama-3.2-1b-Instruct meta/llama-3.2-1b-instruct added",
        "New Llama Other meta/llama-other added"]
    md = (site / "changelog.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\S+)$", md, re.M) == days
    assert "- Price: [Llama-3.2-1b-Instruct](https://aigateway.sh/models/meta/llama-3.2-1b-instruct.md) " \
           "(`meta/llama-3.2-1b-instruct`): input $0.015 → $0.020 (+33.3%)" in md
    assert md.count("\n- ") == len(items)


def test_the_feed_has_an_entry_per_change_with_stable_ids_and_commit_dates(repo, site):
    _, shas = repo
    root = ET.parse(site / "feed.xml").getroot()
    entries = [(e.findtext(f"{ATOM}id"), e.findtext(f"{ATOM}updated"), e.find(f"{ATOM}category").get("term"))
               for e in root.findall(f"{ATOM}entry")]
    tag = "tag:aigateway.sh,"
    assert entries == [
        (f"{tag}2026-05-01:{shas['deleted']}/meta/llama-other/removal", "2026-05-01T00:00:00Z", "removal"),
        (f"{tag}2026-04-01:{shas['deprecated']}/{NEXT}/new", "2026-04-01T00:00:00Z", "new"),
        (f"{tag}2026-04-01:{shas['deprecated']}/{MODEL}/deprecation", "2026-04-01T00:00:00Z", "deprecation"),
        (f"{tag}2026-04-01:{shas['deprecated']}/meta/llama-other/deprecation", "2026-04-01T00:00:00Z",
         "deprecation"),
        (f"{tag}2026-03-01:{shas['price2']}/{MODEL}/price", "2026-03-01T00:00:00Z", "price"),
        (f"{tag}2026-02-10:{shas['price1']}/{MODEL}/price", "2026-02-10T00:00:00Z", "price"),
        (f"{tag}2026-01-05:{shas['added']}/{MODEL}/new", "2026-01-05T00:00:00Z", "new"),
        (f"{tag}2026-01-05:{shas['added']}/meta/llama-other/new", "2026-01-05T00:00:00Z", "new")]


def test_a_removed_model_keeps_a_page_saying_when_and_what_replaces_it(site):
    html = (site / "models/meta/llama-other/index.html").read_text(encoding="utf-8")
    text = text_of(html)
    assert "removed from the AIgateway catalog on 2026-05-01" in text
    assert '<a href="../llama-next/index.html">Llama Next</a>' in html
    assert not (site / "models/meta/llama-other.json").exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://aigateway.sh/models/meta/llama-other/</loc>" in sitemap
    assert "<loc>https://aigateway.sh/changelog/</loc>" in sitemap


def test_two_builds_of_the_same_commit_are_byte_identical(repo, site, tmp_path):
    project, _ = repo
    again = tmp_path / "again"
    assert run_cli("build", "--project", project, "--out", again, "--no-cache").exit_code == 0
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    assert [f for f in files if (site / f).read_bytes() != (again / f).read_bytes()] == []


def test_without_history_a_note_and_a_strict_build_succeeds(repo, tmp_path):
    project, _ = repo
    plain = tmp_path / "plain"
    shutil.copytree(project, plain, ignore=shutil.ignore_patterns(".git", "site", ".modelcat-cache"))
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", str(shallow)], check=True)
    for folder, why in ((plain, "not a git checkout"), (shallow, "fetch-depth: 0")):
        result = run_cli("build", "--project", folder, "--strict")
        assert result.exit_code == 0, result.output
        notes = [line for line in result.output.splitlines() if line.startswith("note: ")]
        assert len(notes) == 1 and why in notes[0] and "warning" not in result.output
        doc = json.loads((folder / f"site/models/{MODEL}.json").read_text(encoding="utf-8"))
        assert doc["history"] == []
        assert 'id="price-history"' not in (folder / f"site/models/{MODEL}/index.html").read_text(encoding="utf-8")
        # no changelog (page, twin, llms.txt line, sitemap entry, footer link) without history
        assert not (folder / "site/changelog").exists() and not (folder / "site/changelog.md").exists()
        assert "changelog" not in (folder / "site/llms.txt").read_text(encoding="utf-8")
        assert "changelog" not in (folder / "site/sitemap.xml").read_text(encoding="utf-8")
        assert "Changelog</a>" not in (folder / "site/index.html").read_text(encoding="utf-8")
        assert not (folder / "site/models/meta/llama-other").exists()


def test_a_new_commit_is_not_a_no_op(repo, tmp_path, monkeypatch):
    project, _ = repo
    copy = tmp_path / "copy"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site", ".modelcat-cache"))
    monkeypatch.setattr("generator.cache.RACY_NS", 0)  # the files were written just now
    assert "built" in run_cli("build", "--project", copy).output
    assert "up to date" in run_cli("build", "--project", copy).output
    edit(copy, MODEL_PATH, "input: 0.01", "input: 0.012")
    assert "built" in run_cli("build", "--project", copy).output  # an edit: the current state, no entry
    doc = json.loads((copy / f"site/models/{MODEL}.json").read_text(encoding="utf-8"))
    assert doc["pricing"]["input"] == 0.012 and len(doc["history"]) == 4
    assert "up to date" in run_cli("build", "--project", copy).output
    sha = commit(copy, "price", "2026-05-20T08:00:00Z")  # the same files, now committed
    assert "built" in run_cli("build", "--project", copy).output
    doc = json.loads((copy / f"site/models/{MODEL}.json").read_text(encoding="utf-8"))
    assert doc["history"][-1] == {"date": "2026-05-20", "commit": sha, "changes": {"pricing.input": [0.01, 0.012]}}
    assert f"{sha}/{MODEL}/price" in (copy / "site/feed.xml").read_text(encoding="utf-8")


def test_parsing_only_the_fact_blocks_gives_the_facts_of_the_whole_file(tmp_path):
    import yaml

    from benchmarks.generate import generate_catalog
    from generator.history import _fact_blocks, _parse

    generate_catalog(tmp_path / "catalog", n=30, seed=5)
    texts = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "catalog" / "models").rglob("*.yaml"))]
    texts += [valid_files()[MODEL_PATH],
              "name: a\nstrengths:\n- x\n- y\npricing:\n  input: 1\n",  # a sequence at column 0
              "pricing: &p {input: 1}\noffers:\n- pricing: *p\n",
              "base: &p {input: 2}\npricing: *p\n",  # an alias to a block left out: parsed whole
              "pricing:\n  input: 1\n# a comment\n  output: 2\nstatus: active\n",
              "pricing:\n  input: 1\nstatus: active\npricing:\n  output: 5\n",  # a key twice: parsed whole
              "# c\n  pricing: {input: 6}\n", "\n\npricing:\n\n  input: 7\n",
              "---\npricing: {input: 3}\n", '"pricing": {input: 4}\n', "- pricing: 1\n"]
    for text in texts:
        whole = yaml.safe_load(text)
        want = {"facts": facts_of(whole), **({"name": whole["name"]} if isinstance(whole.get("name"), str) else {})} \
            if isinstance(whole, dict) else {}
        assert _parse(text.encode()) == want, text
    assert sum(len(b) for _, b in _fact_blocks(texts[0])) < len(texts[0]) / 2  # the prose is left out
    assert _fact_blocks("---\npricing: 1\n") is None and _fact_blocks("- a\n") is None


def test_the_quick_reader_of_fact_blocks_reads_as_yaml_does():
    import yaml

    from generator.history import _simple_mapping

    for text in ["pricing:\n  input: 0.5 # usd\n  output: 1e-3\nstatus: 'deprecated'\n",
                 "limits:\n  context: 0x10\n  max_output: 1_000\nmodalities:\n  input: [text, image]\n",
                 "deprecation: {date: 2026-09-01, replacement: a/b}\nname: \"x: y\"\nkind:\n",
                 "capabilities:\n    vision: yes\n    streaming: off\nlimits:\n  context: ~\n"]:
        assert _simple_mapping(text, yaml, yaml.SafeLoader) == yaml.safe_load(text), text
    for text in ["a: |\n  x\n", "a:\n  - x\n", "a: 1\n  b: 2\n", "yes: 1\n", "a: &x 1\n", "a: b\n c\n"]:
        assert _simple_mapping(text, yaml, yaml.SafeLoader) is None, text

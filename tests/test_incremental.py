"""Every build shortcut gives the bytes of a cold build (issue 5/5).

Random edits, additions and removals of records; after each, an incremental
build (record cache, per-model keys, hard links from the last site, workers)
must equal a cold `--no-cache` build of the same catalog, file for file, byte
for byte, paged listings included (PAGE_SIZE is made small, so that every listing has
several pages). Also: a price edit renders only the listing pages whose bytes change; deleting the cache is safe, a corrupt cache is ignored with a
warning, and a build with nothing changed is a no-op that leaves the site as it is.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate_catalog
from generator import build as build_mod
from generator.build import build
from generator.cache import CACHE_DIR
from generator.catalog import load_catalog
from generator.cli import main
from generator.render.context import RenderContext
from generator.render.pages import listing_views

SMALL_PAGES = 6  # rows per listing page here: 40 models make 7 catalog pages, a provider's 2


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same(got: Path, want: Path) -> None:
    a, b = tree(got), tree(want)
    assert sorted(a) == sorted(b), f"files differ: {sorted(set(a) ^ set(b))[:10]}"
    differ = [p for p in a if a[p] != b[p]]
    assert differ == [], f"{len(differ)} files differ from a cold build, e.g. {differ[:5]}"


def models(project: Path) -> list[Path]:
    return sorted((project / "catalog" / "models").rglob("*.yaml"))


def age(project: Path) -> None:
    """Move every catalog file's mtime 10 s into the past: (size, mtime) stamps may be trusted."""
    for p in (project / "catalog").rglob("*"):
        if p.is_file():
            st = p.stat()
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - 10_000_000_000))


def set_field(path: Path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"(?m)^{key}: .*$", lambda _: f"{key}: {value}", text, count=1)
    assert n == 1, (path, key)
    path.write_text(new, encoding="utf-8")


def set_nested(path: Path, parent: str, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"(?m)^({parent}:\n(?:  .*\n)*?)  {key}: .*$", lambda m: f"{m.group(1)}  {key}: {value}",
                     text, count=1)
    if n:
        path.write_text(new, encoding="utf-8")


# operations on the catalog: (name, function(project, rng_value)); each keeps it valid
def op_rename(project: Path, i: int) -> None:
    files = models(project)
    set_field(files[i % len(files)], "name", f"Renamed model {i}")


def op_price(project: Path, i: int) -> None:
    files = models(project)
    set_nested(files[i % len(files)], "pricing", "input", f"{(i % 97) / 10 + 0.01:.2f}")


def op_usage(project: Path, i: int) -> None:
    # usage moves every share and rank: pages of other models must follow
    files = models(project)
    set_nested(files[i % len(files)], "usage", "tokens", str(10 ** 12 + i))


def op_add(project: Path, i: int) -> None:
    files = models(project)
    src = files[i % len(files)]
    slug = f"added-model-{i}"
    text = src.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: (.*)/.*$", lambda m: f"id: {m.group(1)}/{slug}", text, count=1)
    text = re.sub(r"(?m)^name: .*$", lambda _: f"name: Added {i}", text, count=1)
    (src.parent / f"{slug}.yaml").write_text(text, encoding="utf-8")


def op_remove(project: Path, i: int) -> None:
    files = models(project)
    if len(files) <= 5:
        return
    victim = files[i % len(files)]
    vid = victim.relative_to(project / "catalog" / "models").with_suffix("").as_posix()
    for f in files:  # nothing may name it as a replacement or a base
        text = f.read_text(encoding="utf-8")
        if f != victim and (f"replacement: {vid}" in text or f"base_model: {vid}\n" in text):
            return
    victim.unlink()


def op_base(project: Path, i: int) -> tuple[Path, Path]:
    """Make one model a version of another half the catalog away (most often of another provider):
    each page then shows the other; return (version, base)."""
    files = models(project)
    version, base = files[i % len(files)], files[(i + len(files) // 2) % len(files)]
    bid = base.relative_to(project / "catalog" / "models").with_suffix("").as_posix()
    text = re.sub(r"(?m)^base_model: .*\n", "", version.read_text(encoding="utf-8"))
    version.write_text(re.sub(r"(?m)^(id: .*\n)", lambda m: f"{m.group(1)}base_model: {bid}\n", text, count=1),
                       encoding="utf-8")
    return version, base


def op_provider(project: Path, i: int) -> None:
    provs = sorted((project / "catalog" / "providers").glob("*.yaml"))
    set_field(provs[i % len(provs)], "name", f"Provider {i}")


def op_site(project: Path, i: int) -> None:
    set_field(project / "catalog" / "site.yaml", "tagline", f"Tagline number {i}")


def op_collection(project: Path, i: int) -> None:
    path = project / "catalog" / "collections.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^  title: .*$", lambda _: f"  title: Collection {i}", text, count=1),
                    encoding="utf-8")


def op_template(project: Path, i: int) -> None:
    # a project template override: every page that uses it must change
    own = project / "templates"
    own.mkdir(exist_ok=True)
    src = Path(build_mod.__file__).resolve().parent / "templates" / "404.html"
    (own / "404.html").write_text(src.read_text(encoding="utf-8") + f"\n{{# edit {i} #}}\n<!-- {i} -->\n",
                                  encoding="utf-8")


OPS = [op_rename, op_price, op_usage, op_add, op_remove, op_base, op_provider, op_site, op_collection, op_template]


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental-seed")
    generate_catalog(root / "catalog", n=40, seed=3, providers=4)
    return root


@pytest.mark.parametrize("workers,trust_stamps", [(1, False), (2, True)])
def test_incremental_builds_equal_cold_builds(seed_project, tmp_path_factory, monkeypatch, workers, trust_stamps):
    # 40 models: let the worker path run at this size too
    monkeypatch.setattr(build_mod, "PARALLEL_MIN_MODELS", 1)
    monkeypatch.setattr("generator.records.load.PARALLEL_MIN", 1)
    monkeypatch.setattr("generator.site.PAGE_SIZE", SMALL_PAGES)
    if trust_stamps:  # no "just changed" window: file stamps (size, mtime, ctime, inode) are trusted
        monkeypatch.setattr("generator.cache.RACY_NS", 0)

    @settings(max_examples=6, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(steps=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 10_000)), min_size=1, max_size=4))
    def run(steps):
        tmp = tmp_path_factory.mktemp("inc")
        project = tmp / "p"
        shutil.copytree(seed_project, project)
        age(project)
        build(project, workers=workers)
        for op, i in steps:
            op(project, i)
            if i % 2:
                age(project)  # half the time the stamps are old enough to be trusted
            report = build(project, workers=workers)
            cold = tmp / "cold"
            build(project, cold, workers=1, cache=False)
            assert_same(project / "site", cold)
            shutil.rmtree(cold)
            assert report.models == len(models(project))

    run()


def test_unchanged_models_are_linked_not_rendered(seed_project, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(seed_project, project)
    first = build(project)
    assert first.rendered == first.models
    inodes = {p: p.stat().st_ino for p in (project / "site" / "models").rglob("*") if p.is_file()}
    op_rename(project, 7)
    second = build(project)
    # the renamed model, and the few pages that list it (siblings), are rendered again
    assert 1 <= second.rendered < second.models // 2
    kept = [p for p, ino in inodes.items() if p.exists() and p.stat().st_ino == ino]
    # unchanged models' four files (page, twin at both URLs, JSON) are the previous build's, hard-linked
    assert len(kept) == 4 * (second.models - second.rendered)


def listing_bytes(project: Path) -> dict[str, list[bytes]]:
    """Return the files of every page of every listing of models (page path -> their bytes)."""
    site, _ = load_catalog(project)
    views = listing_views(RenderContext.create(project, site))
    return {v.listing.path: [(project / "site" / f).read_bytes() for f in build_mod.listing_files(v)] for v in views}


def test_a_price_edit_renders_only_the_listing_pages_it_changes(seed_project, tmp_path, monkeypatch):
    monkeypatch.setattr("generator.site.PAGE_SIZE", SMALL_PAGES)
    project = tmp_path / "p"
    shutil.copytree(seed_project, project)
    first = build(project)
    before = listing_bytes(project)
    assert first.listings_rendered == len(before) > 40
    # a model on the leaderboard, whose rows show no price: its page there stays as it is
    edited = next(p for p in models(project) if "\nusage:" in p.read_text(encoding="utf-8"))
    set_nested(edited, "pricing", "input", "123.45")
    report = build(project)
    after = listing_bytes(project)
    assert after.keys() == before.keys()
    changed = [path for path in after if after[path] != before[path]]
    # its row on the catalog, pricing, its provider's and its collections' pages: a few pages of many
    assert 3 <= len(changed) < len(after) / 4
    assert report.listings_rendered == len(changed)
    assert not any(path.startswith("leaderboard/") for path in changed)
    cold = tmp_path / "cold"
    build(project, cold, cache=False)
    assert_same(project / "site", cold)


def test_a_version_and_its_base_follow_each_other_s_edits(seed_project, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(seed_project, project)
    build(project)
    version, base = op_base(project, 5)
    build(project)
    site, _ = load_catalog(project)
    vm = site.models_by_id[version.relative_to(project / "catalog" / "models").with_suffix("").as_posix()]
    # no other link between the two pages: only base and versions tie them
    base_m = site.models_by_id[vm.base.id]
    assert base_m.provider_id != vm.provider_id and vm.id not in {o.id for o in base_m.family_siblings}
    # one at a time: a renamed record's own pages are rendered again anyway
    for edited, shown_on in ((base, "the version's page"), (version, "the base's Versions list")):
        set_field(edited, "name", f"Renamed, shown on {shown_on}")
        build(project)
        cold = tmp_path / "cold"
        build(project, cold, workers=1, cache=False)
        assert_same(project / "site", cold)
        shutil.rmtree(cold)


def test_nothing_changed_is_a_no_op(seed_project, tmp_path, monkeypatch):
    project = tmp_path / "p"
    shutil.copytree(seed_project, project)
    # the files were written just now: stamps are trusted only once RACY_NS has passed
    build(project)
    assert not build(project).up_to_date
    monkeypatch.setattr("generator.cache.RACY_NS", 0)
    build(project)
    before = {p: p.stat().st_ino for p in (project / "site").rglob("*")}
    report = build(project)
    assert report.up_to_date
    assert {p: p.stat().st_ino for p in (project / "site").rglob("*")} == before
    # the CLI says so; a touched file (same bytes) is still seen as a possible change
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 0 and "up to date" in result.output
    os.utime(models(project)[0])
    assert not build(project).up_to_date
    # different bytes, same size, and the old mtime restored (as tar or copy2 do): still seen
    path = models(project)[1]
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    # swap the name's first letter: same size, different bytes
    path.write_text(re.sub(r"(?m)^name: (.)", lambda m: "name: " + ("Q" if m.group(1) != "Q" else "R"), text,
                           count=1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    report = build(project)
    assert not report.up_to_date and report.rendered >= 1
    cold = tmp_path / "cold"
    build(project, cold, cache=False)
    assert_same(project / "site", cold)
    # the site folder replaced behind modelcat's back: never trusted
    build(project)
    shutil.rmtree(project / "site")
    (project / "site").mkdir()
    assert not build(project).up_to_date
    assert (project / "site" / "index.html").is_file()


def test_deleting_or_corrupting_the_cache_is_safe(seed_project, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(seed_project, project)
    build(project)
    cold = tmp_path / "cold"
    build(project, cold, cache=False)
    op_rename(project, 3)
    shutil.rmtree(project / CACHE_DIR)
    build(project)
    build(project, cold, cache=False)
    assert_same(project / "site", cold)

    records = project / CACHE_DIR / "records.json"
    data = records.read_bytes()
    for broken in (data[: len(data) // 2], b"\x00garbage", data.replace(b'\\"name\\":\\"', b'\\"name\\":\\"Tampered ', 1)):
        assert broken != data
        records.write_bytes(broken)
        op_price(project, len(broken))
        result = CliRunner().invoke(main, ["build", "--project", str(project)])
        assert result.exit_code == 0, result.output
        assert "warning: ignoring the build cache" in result.output
        build(project, cold, cache=False)
        assert_same(project / "site", cold)


def test_a_cached_record_still_reports_cross_record_problems_with_positions(seed_project, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(seed_project, project)
    age(project)
    build(project)  # every record now in the cache
    victim = models(project)[0]
    provider = victim.parent.name
    (project / "catalog" / "providers" / f"{provider}.yaml").rename(project / "catalog" / f"{provider}.bak")
    result = CliRunner().invoke(main, ["validate", "--project", str(project)])
    assert result.exit_code == 1
    shown = victim.relative_to(project).as_posix()
    assert re.search(rf"^{re.escape(shown)}:1:5: id: provider \"{re.escape(provider)}\" has no ", result.output, re.M), \
        result.output


def test_a_corrupt_build_memo_is_ignored_with_a_warning(seed_project, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(seed_project, project)
    build(project)
    memo = next((project / CACHE_DIR).glob("build-*.json"))
    memo.write_text('{"format": 1, "models": {"x": ', encoding="utf-8")
    op_rename(project, 5)
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert f"warning: ignoring the build cache {CACHE_DIR}/{memo.name}: it is corrupt" in result.output
    assert "unchanged models linked" not in result.output  # nothing of it was trusted
    cold = tmp_path / "cold"
    build(project, cold, cache=False)
    assert_same(project / "site", cold)


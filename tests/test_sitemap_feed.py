"""sitemap.xml, robots.txt and feed.xml: parsed as XML, compared with the pages actually written."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tests.builds import built
from tests.machine_catalog import built_machine

from generator.catalog import load_catalog
from generator.render.feeds import ATOM_NS, SITEMAP_NS, feed, sitemap_files, xml_text

SITES = {"example": lambda: built("example"), "project": lambda: built("project"), "machine": built_machine}
SM = f"{{{SITEMAP_NS}}}"
A = f"{{{ATOM_NS}}}"


def base_url(site: Path) -> str:
    url = yaml.safe_load((site.parent / "catalog" / "site.yaml").read_text(encoding="utf-8"))["url"]
    return url if url.endswith("/") else url + "/"


def html_urls(site: Path) -> set[str]:
    """Return the URL of every HTML page written, as the sitemap must list it (not 404.html)."""
    base = base_url(site)
    urls = set()
    for p in site.rglob("*.html"):
        rel = p.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        assert rel.endswith("index.html"), rel
        urls.add(base + rel[: -len("index.html")])
    return urls


def sitemap_entries(site: Path) -> dict[str, str]:
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    entries = {}
    for url in root.findall(f"{SM}url"):
        loc = url.findtext(f"{SM}loc")
        assert loc not in entries, f"listed twice: {loc}"
        entries[loc] = url.findtext(f"{SM}lastmod")
    return entries


@pytest.mark.parametrize("name", SITES)
def test_sitemap_lists_exactly_the_html_pages(name):
    site = SITES[name]()
    entries = sitemap_entries(site)
    assert set(entries) == html_urls(site)
    for lastmod in entries.values():
        datetime.date.fromisoformat(lastmod)


@pytest.mark.parametrize("name", SITES)
def test_sitemap_dates_come_from_the_data(name):
    site_dir = SITES[name]()
    site, _ = load_catalog(site_dir.parent)
    entries = sitemap_entries(site_dir)
    for m in site.models:
        assert entries[site.absolute(m.path)] == m.lastmod.isoformat()
    for p in site.providers:
        assert entries[site.absolute(p.path)] == max((m.lastmod for m in p.models), default=site.build_date).isoformat()
    assert entries[site.absolute("")] == site.build_date.isoformat()
    assert entries[site.absolute("pricing/")] == site.build_date.isoformat()


def test_large_sitemaps_split_into_an_index():
    site_dir = built_machine()
    site, _ = load_catalog(site_dir.parent)
    outputs = sitemap_files(site, max_urls=4)
    index = ET.fromstring(outputs[0].data)
    assert outputs[0].path == "sitemap.xml" and index.tag == f"{SM}sitemapindex"
    parts = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    assert parts == [site.absolute(o.path) for o in outputs[1:]]
    urls = []
    for o in outputs[1:]:
        assert "/" not in o.path  # beside sitemap.xml, so it may list every page of the site
        part = ET.fromstring(o.data)
        assert len(part) <= 4
        urls += [u.findtext(f"{SM}loc") for u in part]
    assert set(urls) == set(sitemap_entries(site_dir)) and len(urls) == len(set(urls))


@pytest.mark.parametrize("name", SITES)
def test_robots_points_at_the_sitemap(name):
    site = SITES[name]()
    lines = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert f"Sitemap: {base_url(site)}sitemap.xml" in lines


@pytest.mark.parametrize("name", SITES)
def test_feed_is_atom_with_newest_models_first(name):
    site_dir = SITES[name]()
    site, _ = load_catalog(site_dir.parent)
    root = ET.parse(site_dir / "feed.xml").getroot()
    assert root.tag == f"{A}feed"
    assert root.findtext(f"{A}id") and root.findtext(f"{A}title") and root.find(f"{A}author") is not None
    self_link = [link for link in root.findall(f"{A}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == site.absolute("feed.xml")
    entries = [e for e in root.findall(f"{A}entry")  # the deprecation notices are tested below
               if not e.findtext(f"{A}id").startswith("tag:")]
    expected = [m for m in site.newest if m.released_on is not None][:50]  # dated by a known release
    assert [e.findtext(f"{A}title") for e in entries] == [xml_text(m.name) for m in expected]
    for e, m in zip(entries, expected):
        assert e.findtext(f"{A}updated") == f"{m.released_on.isoformat()}T00:00:00Z"
        assert e.findtext(f"{A}id") == site.absolute(m.path)
        hrefs = {link.get("type"): link.get("href") for link in e.findall(f"{A}link")}
        assert hrefs == {"text/html": site.absolute(m.path), "text/markdown": site.absolute(m.md_path)}
        assert (site_dir / m.md_path).is_file() and (site_dir / m.path / "index.html").is_file()
        assert e.findtext(f"{A}author/{A}name") == m.provider.name
    dates = [e.findtext(f"{A}updated") for e in entries]
    assert dates == sorted(dates, reverse=True)
    every = [e.findtext(f"{A}updated") for e in root.findall(f"{A}entry")]
    assert root.findtext(f"{A}updated") == max(every)


def test_feed_keeps_at_most_fifty_entries_and_survives_control_characters():
    site_dir = built_machine()
    site, _ = load_catalog(site_dir.parent)
    text = (site_dir / "feed.xml").read_text(encoding="utf-8")
    assert "\x01" not in text and "<script" not in text  # the evil provider's text is escaped
    small = ET.fromstring(feed(site, entries=2).data)
    assert len(small.findall(f"{A}entry")) == 2


def test_xml_files_declare_utf8():
    for name in ("feed.xml", "sitemap.xml"):
        data = (built("example") / name).read_bytes()
        assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
        ET.fromstring(data)


# --- a scheduled deprecation in the feed (issue 2.5) -------------------------------------------------

def _deprecation_feed(tmp_path, monkeypatch, today: str) -> ET.Element:
    """The feed of a one-model catalog whose model is to be deprecated on 2026-09-30, built on `today`."""
    from tests.conftest import MODEL_PATH, make_project, valid_files

    files = valid_files()
    files[MODEL_PATH] = files[MODEL_PATH].replace(
        "modalities:", "deprecation:\n  date: 2026-09-30\n  shutdown: 2026-12-31\nmodalities:", 1)
    project = make_project(tmp_path / today, files)
    epoch = int(datetime.datetime.combine(datetime.date.fromisoformat(today), datetime.time(),
                                          datetime.timezone.utc).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    site, problems = load_catalog(project)
    assert site is not None, problems
    return ET.fromstring(feed(site).data)


def _notices(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.findall(f"{A}entry") if e.find(f"{A}category[@term='deprecation']") is not None]


def test_feed_announces_a_scheduled_deprecation_before_the_day_with_a_stable_id_and_date(tmp_path, monkeypatch):
    before = _deprecation_feed(tmp_path, monkeypatch, "2026-06-01")
    later = _deprecation_feed(tmp_path, monkeypatch, "2026-09-29")  # another build day, still before
    after = _deprecation_feed(tmp_path, monkeypatch, "2026-09-30")  # the day: deprecated, no notice
    [notice] = _notices(before)
    assert notice.findtext(f"{A}title") == "Llama-3.2-1b-Instruct will be deprecated on 2026-09-30"
    assert notice.findtext(f"{A}id") == "tag:aigateway.sh,2026-09-30:deprecation/meta/llama-3.2-1b-instruct/2026-09-30"
    # dated by the model's own newest date (its usage figures, 2026-05-30), not the build day
    assert notice.findtext(f"{A}updated") == "2026-05-30T00:00:00Z"
    assert "stops answering on 2026-12-31" in notice.findtext(f"{A}summary")
    [link] = notice.findall(f"{A}link")
    assert link.get("href").endswith("/models/meta/llama-3.2-1b-instruct/")
    assert before.findtext(f"{A}updated") == "2026-05-30T00:00:00Z"  # the newest entry's date
    assert ET.tostring(_notices(later)[0]) == ET.tostring(notice)  # byte-identical on another day
    assert _notices(after) == []
    # the release entry stays in every build
    assert [e.findtext(f"{A}title") for e in after.findall(f"{A}entry")] == ["Llama-3.2-1b-Instruct"]

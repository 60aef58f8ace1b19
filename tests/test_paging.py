"""Listings at any size (CONTRACT.md section 4): paged listings, the search index, page weight.

One generated catalog of BIG models (benchmarks.generate) is built once per test session and
shared: every page of it stays under 256 KB, with a margin that does not shrink as the catalog
grows (the largest listing page of BIG models weighs about what it weighs at SMALL models);
every model is reachable from index.html by page links alone; api/index.json holds every model.
The paging helpers of generator/site.py are checked on their own first.
"""

from __future__ import annotations

import atexit
import functools
import json
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from benchmarks.generate import generate_catalog
from generator.build import build
from generator.catalog import load_catalog
from generator.site import PAGE_SIZE, page_path, paginate, reader_order
from tests.test_listing_pages import built_generated

BIG, SMALL = 10_000, 250  # issue 2.2: a generated 10,000-model build, made once per run
LIMIT = 256 * 1024  # CONTRACT.md section 4: no HTML page over 256 KB
_TMP = Path(tempfile.mkdtemp(prefix="modelcat-paging-"))
atexit.register(shutil.rmtree, _TMP, True)


@functools.lru_cache(maxsize=None)
def big() -> Path:
    """The site folder of a generated catalog of BIG models, built once per session (1-2 min)."""
    project = _TMP / "big"
    if project.exists():
        shutil.rmtree(project)
    generate_catalog(project / "catalog", n=BIG, seed=11)
    build(project, project / "site")
    return project / "site"


@functools.lru_cache(maxsize=None)
def resolved_big():
    site, _ = load_catalog(big().parent)
    return site


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def target(page_path_: str, href: str) -> str:
    """Return the site file a relative href of the page at page_path_ points to."""
    parts: list[str] = []
    for part in (page_path_.rsplit("/", 1)[0].split("/") if "/" in page_path_ else []) + \
            unquote(urlsplit(href).path).split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


# --- the helpers ---------------------------------------------------------------------------------

def test_paginate_chunks_and_links_pages():
    pages = paginate(range(250), "providers/x/", size=100)
    assert [p.number for p in pages] == [1, 2, 3] and all(p.count == 3 for p in pages)
    assert [len(p.items) for p in pages] == [100, 100, 50] and [p.start for p in pages] == [0, 100, 200]
    assert [p.path for p in pages] == ["providers/x/", "providers/x/page/2/", "providers/x/page/3/"]
    assert pages[0].prev_path is None and pages[0].next_path == "providers/x/page/2/"
    assert pages[1].prev_path == "providers/x/" and pages[2].next_path is None
    empty = paginate((), "", size=100)
    assert len(empty) == 1 and empty[0].items == () and empty[0].path == ""
    assert page_path("", 2) == "page/2/"
    # the pager's window: first, last, the neighbours, gaps as None
    assert paginate(range(2000), "")[9].window() == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert paginate(range(300), "")[0].window() == [1, 2, 3]


def test_reader_order_puts_most_used_then_newest_first():
    site, _ = load_catalog(built_generated(SMALL).parent)
    order = reader_order(site.models)
    used = [m for m in order if m.record.usage is not None]
    assert order[:len(used)] == tuple(used)  # every model with usage before any without
    tokens = [m.record.usage.tokens for m in used]
    assert tokens == sorted(tokens, reverse=True)
    rest = [m.record.released for m in order[len(used):]]
    assert rest == sorted(rest, reverse=True)
    assert sorted(m.id for m in order) == sorted(m.id for m in site.models)


# --- a big build -----------------------------------------------------------------------------------

def _largest_listing_page(site: Path) -> int:
    listings = [p for p in site.rglob("index.html")
                if not p.relative_to(site).as_posix().startswith(("models/", "docs/"))]
    return max(p.stat().st_size for p in listings)


def test_no_html_page_over_256_kb_and_the_weight_does_not_grow():
    site = big()
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    over = {p: s for p, s in sizes.items() if s > LIMIT}
    assert not over, f"HTML pages over 256 KB: {over}"
    # meaningful at this size: far under the bound, and no heavier than a catalog of SMALL models
    largest, small = _largest_listing_page(site), _largest_listing_page(built_generated(SMALL))
    assert largest < LIMIT / 2, largest
    assert largest < small * 1.25, (largest, small)
    assert len([p for p in (site / "page").iterdir() if p.is_dir()]) == -(-BIG // PAGE_SIZE) - 1  # page/2/ .. page/12/


def test_every_model_is_reachable_by_page_links_alone():
    """Crawl from index.html through rel=next and the pagers' links (no JavaScript, no sitemap):
    the catalog pages link every model; each provider's pages link each of its models."""
    site, data = big(), resolved_big()
    seen, todo, models = set(), ["index.html"], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        page = soup(site, path)
        nxt = [ln["href"] for ln in page.find_all("link", rel="next")]
        pager = [a["href"] for nav in page.find_all("nav", class_="listing-pager")
                 for a in nav.find_all("a", href=True)]
        for href in nxt + pager:
            todo.append(target(path, href))
        for a in page.find(id="model-table").tbody.find_all("a", href=True):
            t = target(path, a["href"])
            if t.startswith("models/"):
                models.add(t[len("models/"):-len("/index.html")])
    assert models == set(data.models_by_id)
    assert seen == {"index.html"} | {f"page/{n}/index.html" for n in range(2, -(-BIG // PAGE_SIZE) + 1)}
    # the largest provider's own listing: every one of its models, 100 a page
    p = max(data.providers, key=lambda p: len(p.models))
    assert len(p.models) > PAGE_SIZE, "the generated catalog has a provider with several pages"
    ids, path = [], f"{p.path}index.html"
    while path:
        page = soup(site, path)
        ids += [tr["data-id"] for tr in page.find(id="model-table").tbody.find_all("tr", recursive=False)]
        nxt = page.find("link", rel="next")
        path = target(path, nxt["href"]) if nxt else None
    assert ids == [m.id for m in reader_order(p.models)]


def test_pages_link_prev_next_and_are_their_own_canonical():
    site, data = big(), resolved_big()
    last = -(-BIG // PAGE_SIZE)
    for n in (1, 2, last):
        path = page_path("", n) + "index.html"
        page = soup(site, path)
        canonical = page.find("link", rel="canonical")["href"]
        assert canonical == data.absolute(page_path("", n))
        prev, nxt = page.find("link", rel="prev"), page.find("link", rel="next")
        assert (prev is None) == (n == 1) and (nxt is None) == (n == last)
        if prev is not None:
            assert target(path, prev["href"]) == page_path("", n - 1) + "index.html"
            assert page.find("a", rel="prev")["href"] == prev["href"]
        if nxt is not None:
            assert target(path, nxt["href"]) == page_path("", n + 1) + "index.html"
        if n > 1:
            assert f"page {n} of {last}" in page.title.get_text()
    # the sitemap lists every page of every listing
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    files = [site / "sitemap.xml"] + sorted(site.glob("sitemap-*.xml"))
    locs = {loc.text for f in files for loc in ET.parse(f).getroot().iterfind(".//s:loc", ns)}
    listed = [p.relative_to(site).as_posix() for p in site.rglob("index.html")
              if "/page/" in "/" + p.relative_to(site).as_posix()]
    assert listed and all(data.absolute(p[:-len("index.html")]) in locs for p in listed)
    assert data.absolute("providers/") in locs and data.absolute("collections/") in locs


def test_index_json_holds_every_model():
    site, data = big(), resolved_big()
    doc = json.loads((site / "api/index.json").read_text(encoding="utf-8"))
    at = {f: i for i, f in enumerate(doc["fields"])}
    assert [row[at["id"]] for row in doc["models"]] == [m.id for m in reader_order(data.models)]
    for row in doc["models"]:
        m = data.models_by_id[row[at["id"]]]
        rec = m.record
        assert row[at["name"]] == rec.name
        assert doc["providers"][row[at["provider"]]] == [m.provider_id, m.provider.name]
        assert row[at["price_in"]] == rec.pricing.input and row[at["price_out"]] == rec.pricing.output
        assert row[at["cached_in"]] == rec.pricing.cached_input
        assert row[at["context"]] == rec.limits.context and row[at["max_output"]] == rec.limits.max_output
        caps = [c for b, c in enumerate(doc["capabilities"]) if row[at["caps"]] & (1 << b)]
        assert caps == [k for k, _, yes in m.capabilities if yes]
        assert row[at["input"]].split() == list(rec.modalities.input)
        assert row[at["output"]].split() == list(rec.modalities.output)
        assert row[at["status"]] == rec.status
        assert row[at["usage"]] == (rec.usage.tokens if rec.usage else None)
        assert [doc["collections"][i] for i in row[at["collections"]]] == [c.id for c in m.collections]
    # compact: a few hundred bytes a model
    assert (site / "api/index.json").stat().st_size < 300 * BIG


def test_providers_and_collections_index_pages_list_every_one():
    site, data = big(), resolved_big()
    for base, table, expected in (("providers/", "providers-table", [p.id for p in data.providers]),
                                  ("collections/", "collections-table", [c.id for c in data.collections])):
        ids, path = [], f"{base}index.html"
        while path:
            page = soup(site, path)
            rows = page.find(id=table).tbody.find_all("tr", recursive=False)
            assert len(rows) <= PAGE_SIZE
            for tr in rows:
                ids.append(tr["data-id"])
                href = tr.find("a")["href"]
                assert (site / target(path, href)).is_file(), href
            nxt = page.find("link", rel="next")
            path = target(path, nxt["href"]) if nxt else None
        assert ids == expected, base
    nav = soup(site, "index.html").find("nav", attrs={"aria-label": "Main"})
    assert [a.get_text() for a in nav.find_all("a")][:2] == ["Models", "Providers"]


@pytest.mark.parametrize("path", ["index.html", "pricing/index.html", "leaderboard/index.html"])
def test_listing_pages_hold_one_page_of_rows(path: str):
    page = soup(big(), path)
    table = page.find("table", class_="listing")
    assert len(table.tbody.find_all("tr", recursive=False)) == PAGE_SIZE
    assert not re.search(r'class="[^"]*\blater\b', str(table))

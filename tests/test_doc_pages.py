"""Docs pages (catalog/docs/*.md) and the 404 page, parsed and checked against their sources.

The rich catalog of tests/rich_catalog.py has two docs pages (a title from front matter and one
from the first "# " heading, a hostile <script>, headings with & in them); the project's own
catalog/ has its real docs; the contract's example has none.
"""

from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.catalog import load_catalog
from generator.render import markdown as md
from generator.site import CollectionEntry, ModelEntry, ProviderEntry, Site
from tests.builds import REPO, built
from tests.tools import THEME_BOOTSTRAP
from tests.rich_catalog import built_rich


@functools.lru_cache(maxsize=None)
def _catalog(name: str) -> tuple[Path, Site]:
    if name == "project" and not (REPO / "catalog" / "site.yaml").is_file():
        pytest.skip("the project catalog (catalog/) is not there yet")
    out = built_rich() if name == "rich" else built(name)
    site, _ = load_catalog(out.parent)
    return out, site


class Built(tuple):
    def __repr__(self) -> str:
        return f"Built({self[0]})"


@pytest.fixture(params=["rich", "project"])
def cat(request):
    built_site = Built(_catalog(request.param))
    if not built_site[1].docs:
        pytest.skip(f"the {request.param} catalog has no docs pages")
    return built_site


@pytest.fixture(autouse=True)
def _short_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Resolved entries point at each other; their dataclass repr explodes in failure reports.
    for cls in (Site, ModelEntry, ProviderEntry, CollectionEntry):
        monkeypatch.setattr(cls, "__repr__", lambda self: f"<{type(self).__name__} {getattr(self, 'id', '')}>")


@functools.lru_cache(maxsize=None)
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split()) if node is not None else ""


def resolve(page: Path, href: str) -> str:
    href = href.split("#", 1)[0].split("?", 1)[0]
    root = page
    while root.name != "site":
        root = root.parent
    return posixpath.normpath(posixpath.join(page.parent.relative_to(root).as_posix(), href))


def doc_pages(cat):
    out, site = cat
    return [(d, _soup(out / d.path / "index.html"), out / d.path / "index.html") for d in site.docs]


def test_one_h1_the_title_once_and_headings_in_order(cat):
    for d, soup, _ in doc_pages(cat):
        assert [text(h) for h in soup.find_all("h1")] == [d.title]
        body = soup.find(class_="doc-body")
        assert d.title not in [text(h) for h in body.find_all(re.compile("^h[2-6]$"))][:1], \
            f"{d.id}: the body repeats the title"
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{d.id}: h{after} follows h{before}"


def test_toc_lists_the_body_headings(cat):
    for d, soup, _ in doc_pages(cat):
        body = soup.find(class_="doc-body")
        headings = [(h["id"], text(h), int(h.name[1])) for h in body.find_all(["h2", "h3"])]
        toc = soup.find("nav", attrs={"aria-label": "On this page"})
        if not headings:
            assert toc is None
            continue
        entries = []
        for a in toc.find_all("a"):
            depth = len(a.find_parents("ul", limit=5)) - (len(toc.find_parents("ul")))
            entries.append((a["href"][1:], text(a), depth + 1))
        assert entries == headings, d.id


def test_docs_nav_breadcrumb_and_pager(cat):
    out, site = cat
    for i, (d, soup, page) in enumerate(doc_pages(cat)):
        nav = soup.find("nav", attrs={"aria-label": "Docs"})
        links = nav.find_all("a")
        assert [(text(a), resolve(page, a["href"])) for a in links] == \
            [(x.title, x.path + "index.html") for x in site.docs]
        assert [a.get("aria-current") for a in links] == ["page" if x is d else None for x in site.docs]
        main_nav = soup.find("nav", attrs={"aria-label": "Main"})
        docs_link = next(a for a in main_nav.find_all("a") if text(a) == "Docs")
        assert docs_link["aria-current"] == "page"
        assert resolve(page, docs_link["href"]) == site.docs[0].path + "index.html"
        crumbs = soup.find("nav", attrs={"aria-label": "Breadcrumb"})
        assert [text(li) for li in crumbs.find_all("li")] == ["Docs", d.title]
        pager = soup.find("nav", class_="pager")
        expect = ([("Previous", site.docs[i - 1])] if i > 0 else []) + \
            ([("Next", site.docs[i + 1])] if i + 1 < len(site.docs) else [])
        got = [(a.find(class_="muted").get_text(), resolve(page, a["href"])) for a in pager.find_all("a")] \
            if pager else []
        assert got == [(label, x.path + "index.html") for label, x in expect]


def test_content_is_the_sanitised_markdown(cat):
    for d, soup, page in doc_pages(cat):
        body = soup.find(class_="doc-body")
        assert body.find("script") is None and body.find("h1") is None
        words = set(re.findall(r"\w+", md.plain_text(d.body)))
        assert set(re.findall(r"\w+", text(body))) <= words, d.id
        for pre in body.find_all("pre"):
            assert not pre.get_text().endswith("\n"), f"{d.id}: code block ends in a blank line"
        twin = soup.find("link", attrs={"rel": "alternate", "type": "text/markdown"})
        assert resolve(page, twin["href"]) == f"docs/{d.id}.md"
        scripts = soup.find_all("script")
        assert all(s.get("type") == "application/ld+json" or s.get("src") or s.string == THEME_BOOTSTRAP
                   for s in scripts)


def test_rich_docs_details():
    out, site = _catalog("rich")
    start = _soup(out / "docs/getting-started/index.html")
    assert text(start.find(class_="lede")) == "Make your first call in two minutes."
    toc = start.find("nav", attrs={"aria-label": "On this page"})
    top = toc.find("ul").find_all("li", recursive=False)
    assert [text(li.a) for li in top] == ["Install the SDK", "First request & response"]
    assert [text(a) for a in top[0].find("ul").find_all("a")] == ["With uv"]
    assert "&amp;" not in text(toc)
    assert start.select("div.hl pre code span.kn"), "Python code is highlighted"
    auth = _soup(out / "docs/authentication/index.html")
    assert [text(h) for h in auth.find_all("h1")] == ["Authentication"]
    assert auth.find(class_="doc-body").find("em") is not None
    assert "alert(" not in str(auth.find(class_="doc-body"))


def test_example_without_docs_has_no_docs_link():
    out, site = _catalog("example")
    assert not site.docs and not (out / "docs").exists()
    soup = _soup(out / "index.html")
    assert "Docs" not in [text(a) for a in soup.find("nav", attrs={"aria-label": "Main"}).find_all("a")]


@pytest.mark.parametrize("name", ["example", "rich"])
def test_404_page_helps(name):
    out, site = _catalog(name)
    soup = _soup(out / "404.html")
    assert [text(h) for h in soup.find_all("h1")] == ["Page not found"]
    # served at any URL: no <base> (it would send the page's links and styles to the production
    # host); links are absolute paths from the site's root path, the stylesheet inline
    root = urlsplit(site.url).path
    assert soup.find("base") is None and soup.html["data-site-root"] == root
    assert soup.find("link", rel="stylesheet") is None and ".not-found" in soup.find("style").string
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    form = soup.find("form", attrs={"role": "search"})
    assert form["method"] == "get" and form["action"] == root
    field = form.find("input", attrs={"name": "q"})
    assert soup.find("label", attrs={"for": field["id"]}) is not None
    hrefs = {text(a): a["href"] for a in soup.find("main").find_all("a")}
    assert hrefs["All models"] == root and hrefs["Pricing"] == root + "pricing/"
    for href in hrefs.values():
        assert href.startswith(root), href
        rel = href[len(root):]
        assert (out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)).is_file(), href
    for model in site.leaderboard[:6]:
        assert hrefs[f"{model.name} {model.id}"] == root + model.path
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))

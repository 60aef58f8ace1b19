"""What every HTML page carries (issue 2/5, "Every page"): a unique title and meta description,
a canonical URL under site.url, Open Graph tags, JSON-LD that parses (BreadcrumbList below the
home page), the site navigation, and a footer linking llms.txt and the OpenAPI spec; pages with
a Markdown twin name it in the head and link llms.txt in the body.
"""

from __future__ import annotations

import json
import posixpath
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.catalog import load_catalog
from tests.builds import built


def pages(site: Path) -> dict[str, BeautifulSoup]:
    return {p.relative_to(site).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "lxml")
            for p in sorted(site.rglob("*.html"))}


def url_of(path: str) -> str:
    return "" if path == "index.html" else path.removesuffix("index.html")


@pytest.fixture(scope="module", params=["example", "project"])
def built_site(request):
    site = built(request.param)
    resolved, _ = load_catalog(site.parent)
    return site, resolved, pages(site)


def meta(soup: BeautifulSoup, **attrs) -> str | None:
    tag = soup.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def test_titles_and_descriptions_are_there_and_unique(built_site):
    _, _, docs = built_site
    titles = Counter(d.title.string for d in docs.values())
    descriptions = Counter(meta(d, name="description") for d in docs.values())
    assert all(t and t.strip() for t in titles), "a page without a title"
    assert all(d and d.strip() for d in descriptions), "a page without a meta description"
    assert [t for t, n in titles.items() if n > 1] == []
    # descriptions come from the records: two models with one summary may share one
    assert len(descriptions) >= 0.9 * len(docs)


def test_canonical_and_open_graph(built_site):
    _, site, docs = built_site
    for path, d in docs.items():
        og = {p: meta(d, property=f"og:{p}") for p in ("type", "site_name", "title", "description", "url")}
        assert all(og.values()), (path, og)
        assert og["title"] == d.title.string and og["site_name"] == site.name
        if path == "404.html":  # served at any URL: no canonical, not indexed
            assert d.find("link", rel="canonical") is None
            assert meta(d, name="robots") == "noindex"
            continue
        canonical = d.find("link", rel="canonical")["href"]
        assert canonical == site.url + url_of(path) == og["url"], path


def test_json_ld_parses_and_breadcrumbs_lead_home(built_site):
    _, site, docs = built_site
    for path, d in docs.items():
        blocks = [json.loads(s.string) for s in d.find_all("script", type="application/ld+json")]
        types = [b["@type"] for b in blocks]
        if path.startswith("models/"):
            assert "FAQPage" in types, path
        if path not in ("index.html", "404.html"):
            crumbs = next(b for b in blocks if b["@type"] == "BreadcrumbList")["itemListElement"]
            # from the site's home (docs pages: from the docs' first page) down to this page
            first = site.url + (url_of(site.docs[0].path + "index.html") if path.startswith("docs/") else "")
            assert crumbs[0]["item"] == first and crumbs[-1]["item"] == site.url + url_of(path), path
            assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))


def test_navigation_and_footer_links(built_site):
    site_dir, _, docs = built_site
    for path, d in docs.items():
        nav = d.find("nav", attrs={"aria-label": "Main"})
        assert nav is not None and len(nav.find_all("a")) >= 4, path
        footer = d.find("footer")
        hrefs = [a["href"] for a in footer.find_all("a")]
        if path == "404.html":  # served at any URL: absolute paths from the site's root path
            root = d.html["data-site-root"]
            hrefs = [h[len(root):] for h in hrefs if h.startswith(root)]
        folder = "" if path == "404.html" else posixpath.dirname(path)
        targets = {posixpath.normpath(posixpath.join(folder, h)) for h in hrefs if "://" not in h}
        assert {"llms.txt", "openapi.json"} <= targets, (path, hrefs)


def test_pages_with_a_twin_name_it_and_link_llms_txt_in_the_body(built_site):
    site_dir, _, docs = built_site
    with_twin = 0
    for path, d in docs.items():
        twin = d.find("link", rel="alternate", type="text/markdown")
        if twin is None:
            continue
        with_twin += 1
        folder = posixpath.dirname(path)
        assert (site_dir / posixpath.normpath(posixpath.join(folder, twin["href"]))).is_file(), path
        body_links = {posixpath.normpath(posixpath.join(folder, a["href"])) for a in d.body.find_all("a", href=True)}
        assert "llms.txt" in body_links, path
    assert with_twin >= len([p for p in docs if p.startswith("models/")])

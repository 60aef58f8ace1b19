"""The listing pages (catalog, provider, collection, pricing, compare, leaderboard), parsed and
checked against the resolved Site that the generator builds them from.

Catalogs: the contract's example (one model), a generated one (benchmarks.generate, many
providers, collections, deprecated and preview models, free and cached prices) and the
project's own catalog/ when it exists. Every listing is read across its pages (rel=next), in
the listings' default order (most used, then newest). Paging at scale is in tests/test_paging.py,
the browser behaviour of the same pages in tests/test_browser.py. tests/golden/catalog-page.html,
catalog-page.md and pricing-page.html hold the example's catalog, its twin and its pricing page
byte for byte (`pytest --update-golden tests/test_listing_pages.py` after an intended change).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from benchmarks.generate import generate_catalog
from generator import formats
from generator.build import build
from generator.catalog import load_catalog
from generator.site import PAGE_SIZE, Site, reader_order
from tests.builds import REPO, assert_golden, built

GENERATED_MODELS = 60
_TMP = Path(tempfile.mkdtemp(prefix="modelcat-listings-"))
atexit.register(shutil.rmtree, _TMP, True)


@functools.lru_cache(maxsize=None)
def built_generated(n: int = GENERATED_MODELS, seed: int = 7) -> Path:
    """Return the site folder of a generated catalog of n models (built once per session)."""
    project = _TMP / f"generated-{n}-{seed}"
    if project.exists():
        shutil.rmtree(project)
    generate_catalog(project / "catalog", n=n, seed=seed)
    build(project, project / "site")
    return project / "site"


CATALOGS = ["example", "generated"] + (["project"] if (REPO / "catalog" / "site.yaml").is_file() else [])


def site_dir(name: str) -> Path:
    return built_generated() if name == "generated" else built(name)


@functools.lru_cache(maxsize=None)
def resolved(name: str) -> Site:
    site, _ = load_catalog(site_dir(name).parent)
    return site


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def row_ids(page: BeautifulSoup, table_id: str) -> list[str]:
    table = page.find("table", id=table_id)
    assert table is not None, f"no table #{table_id}"
    return [tr["data-id"] for tr in table.tbody.find_all("tr", recursive=False)]


def listing_ids(site: Path, first: str, table_id: str) -> list[str]:
    """Return the row ids of a paged listing, following rel=next from its first page."""
    ids, path, seen = [], first, set()
    while path is not None:
        assert path not in seen, f"rel=next loops back to {path}"
        seen.add(path)
        page = soup(site, path)
        got = row_ids(page, table_id)
        assert len(got) <= PAGE_SIZE, path
        ids += got
        nxt = page.find("link", rel="next")
        path = str((Path(path).parent / nxt["href"]).as_posix()) if nxt is not None else None
        if path is not None:
            path = "/".join(_normal(path.split("/")))
    return ids


def _normal(parts: list[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == "..":
            out.pop()
        elif part not in (".", ""):
            out.append(part)
    return out


def cells(tr) -> list[str]:
    return [" ".join(c.get_text(" ", strip=True).split()) for c in tr.find_all(["th", "td"], recursive=False)]


def resolves(site: Path, page_path: str, href: str) -> bool:
    """Return whether a relative link of the page at page_path points to a built file."""
    target = (site / page_path).parent / unquote(urlsplit(href).path)
    return target.resolve().is_file()


@pytest.fixture(params=CATALOGS)
def name(request) -> str:
    return request.param


# --- the catalog -----------------------------------------------------------------------

def test_catalog_lists_every_model_with_its_figures(name: str):
    site, data = site_dir(name), resolved(name)
    page = soup(site, "index.html")
    ordered = [m.id for m in reader_order(data.models)]
    assert row_ids(page, "model-table") == ordered[:PAGE_SIZE]
    assert listing_ids(site, "index.html", "model-table") == ordered  # most used first, then newest
    head = [" ".join(th.get_text(" ", strip=True).split()) for th in page.find(id="model-table").thead.find_all("th")]
    col = {label.split(" ")[0]: i for i, label in enumerate(head)}
    assert ("Usage" in col) == bool(data.leaderboard)
    for tr in page.find(id="model-table").tbody.find_all("tr", recursive=False):
        m = data.models_by_id[tr["data-id"]]
        rec, text = m.record, cells(tr)
        assert text[col["Model"]].startswith(rec.name) and m.id in text[col["Model"]]
        assert text[col["Provider"]] == m.provider.name
        assert text[col["Input"]] == formats.price(rec.pricing.input)
        assert text[col["Output"]] == formats.price(rec.pricing.output)
        assert text[col["Context"]] == formats.tokens(rec.limits.context)
        assert text[col["Max"]] == formats.tokens(rec.limits.max_output)
        if "Usage" in col:
            assert text[col["Usage"]] == (formats.count(rec.usage.tokens) if rec.usage else "—")
        assert text[col["Released"]] == m.released  # a day, a month or "" (unknown)
        if rec.status != "active":
            assert rec.status.capitalize() in text[col["Model"]]
        # rows do not depend on their position (no "later" class): paging replaced it
        assert tr.get("class") is None
        # the name links to the model page, the provider to its page
        links = [a["href"] for a in tr.find_all("a")]
        assert links[0].endswith(f"models/{m.id}/index.html") and resolves(site, "index.html", links[0])
        assert resolves(site, "index.html", links[1]) and links[1].endswith(f"providers/{m.provider_id}/index.html")


def test_catalog_form_keeps_its_state_in_the_url(name: str):
    page = soup(site_dir(name), "index.html")
    data = resolved(name)
    form = page.find("form", class_="model-filters")
    assert form["method"] == "get" and "needs-js" in form["class"]
    names = {el["name"] for el in form.find_all(["input", "select"]) if el.get("name")}
    assert names == {"q", "provider", "sort", "input", "output", "cap", "max_price", "min_context", "status"}
    assert [o["value"] for o in form.find("select", attrs={"name": "provider"}).find_all("option")] == \
        [""] + [p.id for p in data.providers]
    assert [i["value"] for i in form.find_all("input", attrs={"name": "cap"})] == \
        ["streaming", "tool_calling", "vision", "json_mode", "prompt_caching", "reasoning", "structured_output"]
    sorts = form.find("select", attrs={"name": "sort"}).find_all("option")
    assert {o["value"] for o in sorts} >= {"", "price", "context"}
    # the default serves a reader: most used (when there is usage), then newest
    assert sorts[0].get_text() == ("Most used, then newest" if data.leaderboard else "Newest first")
    assert form["data-index"] == "api/index.json" and resolves(site_dir(name), "index.html", form["data-index"])
    # filter groups are fieldsets with legends; the count is announced
    assert [fs.legend.get_text(strip=True) for fs in form.find_all("fieldset")] == \
        ["Input modality", "Output modality", "Capabilities", "Price, context and status"]
    count = page.find(id="model-table-count")
    assert count["role"] == "status" and count["aria-live"] == "polite"
    n = len(data.models)
    assert count.get_text(strip=True).startswith(f"{formats.number(n)} {'model' if n == 1 else 'models'}")
    # without JavaScript the controls are hidden and a note says where the full list is
    assert ".needs-js{display:none!important}" in str(page.head.noscript)
    assert "every model is listed on these pages" in page.find("main").noscript.get_text()


def test_catalog_links_its_collections_and_script(name: str):
    site, data = site_dir(name), resolved(name)
    page = soup(site, "index.html")
    nav = page.find("nav", attrs={"aria-label": "Collections"})
    if data.collections:
        hrefs = [a["href"] for a in nav.find_all("a")]
        assert hrefs == ["collections/index.html"] + [f"{c.path}index.html" for c in data.collections]
        assert all(resolves(site, "index.html", h) for h in hrefs)
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert any("js/catalog." in s for s in scripts)
    assert all(resolves(site, "index.html", s) for s in scripts)


# --- providers and collections -----------------------------------------------------------

def test_provider_pages_list_exactly_their_models(name: str):
    site, data = site_dir(name), resolved(name)
    for p in data.providers:
        path = f"{p.path}index.html"
        page = soup(site, path)
        assert page.h1.get_text(strip=True) == p.name
        ids = listing_ids(site, path, "model-table") if p.models else []
        assert ids == [m.id for m in reader_order(p.models)]
        # the Markdown twin: in the head and linked in the page body
        twin = page.find("link", rel="alternate", type="text/markdown")
        assert twin is not None and resolves(site, path, twin["href"])
        assert any(a["href"] == twin["href"] for a in page.find("main").find_all("a"))
        assert page.find("main").find("a", string="llms.txt") is not None
        byok = page.find("dt", string="Bring your own key").find_next_sibling("dd").get_text(strip=True)
        assert byok == ("Accepted" if p.byok else "Not available")
        # a provider's own page leaves out the provider column
        head = [th.get_text(" ", strip=True) for th in page.find(id="model-table").thead.find_all("th")] \
            if p.models else []
        assert "Provider" not in head


def test_provider_description_is_rendered_markdown():
    site, data = site_dir("generated"), resolved("generated")
    for p in data.providers:
        if "**" in p.description or "](" in p.description:
            block = soup(site, f"{p.path}index.html").find(class_="provider-description")
            assert block.find(["strong", "a"]) is not None
            assert "**" not in block.get_text()
            return
    pytest.skip("no provider description with Markdown markup in the generated catalog")


def test_collection_pages_list_exactly_their_models(name: str):
    site, data = site_dir(name), resolved(name)
    assert data.collections, "every test catalog has collections"
    for c in data.collections:
        page = soup(site, f"{c.path}index.html")
        assert page.h1.get_text(strip=True) == c.title
        if c.models:
            assert listing_ids(site, f"{c.path}index.html", "model-table") == [m.id for m in reader_order(c.models)]
        else:
            assert page.find("table", id="model-table") is None
            assert page.find(class_="empty-state") is not None


# --- pricing ------------------------------------------------------------------------------

def test_pricing_table_has_every_model_and_price(name: str):
    site, data = site_dir(name), resolved(name)
    page = soup(site, "pricing/index.html")
    assert listing_ids(site, "pricing/index.html", "pricing-table") == [m.id for m in reader_order(data.models)]
    table = page.find(id="pricing-table")
    head = [th.find("button").get_text(" ", strip=True) for th in table.thead.find_all("th")]
    assert head == ["Model", "Provider", "Input", "Output", "Cached input", "Cache write", "Context", "Monthly cost"]
    # every header sorts with JavaScript: a button inside the th, hidden without it (no dead buttons)
    for th in table.thead.find_all("th"):
        assert "needs-js" in th.find("button", class_="sort")["class"]
        assert th.noscript is not None and th.noscript.get_text() == th.find("button").get_text()
    for tr in table.tbody.find_all("tr", recursive=False):
        m = data.models_by_id[tr["data-id"]]
        p = m.record.pricing
        text = cells(tr)
        assert text[1] == m.provider.name
        assert text[2:7] == [formats.price(p.input), formats.price(p.output), formats.price(p.cached_input),
                             formats.price(p.cache_write), formats.tokens(m.record.limits.context)]
        assert text[7] == ""  # filled in by the calculator
        assert float(tr["data-price-in"]) == p.input
        # no output price (a speech model bills audio): no attribute, never "None"
        assert (float(tr["data-price-out"]) if tr.has_attr("data-price-out") else None) == p.output
    form = page.find("form", id="cost-calculator")
    assert float(form["data-fee"]) == (data.record.fee.percent or 0)
    for field, label in (("in", "Input tokens per month"), ("out", "Output tokens per month")):
        control = form.find("input", attrs={"name": field})
        assert page.find("label", attrs={"for": control["id"]}).get_text(strip=True) == label
    assert "calculator needs JavaScript" in page.find("main").noscript.get_text()


# --- compare -------------------------------------------------------------------------------

def test_compare_page_embeds_no_model(name: str):
    site, data = site_dir(name), resolved(name)
    page = soup(site, "compare/index.html")
    form = page.find("form", id="compare-form")
    assert form["method"] == "get"
    pickers = form.find_all("input", attrs={"name": "models"})
    assert len(pickers) == 4
    for p in pickers:
        assert p["list"] == "compare-models"
        assert page.find("label", attrs={"for": p["id"]}) is not None
    # suggestions come from api/index.json, the chosen models from their .json: none is in the page
    assert page.find("datalist", id="compare-models").find_all("option") == []
    assert page.find("table") is None
    text = str(page.find("main"))
    assert not any(m.id in text for m in data.models)
    assert resolves(site, "compare/index.html", form["data-index"])
    # without JavaScript it says what it needs
    assert "needs JavaScript" in page.find("main").noscript.get_text()


# --- leaderboard ---------------------------------------------------------------------------

def test_leaderboard_is_ordered_by_usage(name: str):
    site, data = site_dir(name), resolved(name)
    if not data.leaderboard:
        assert not (site / "leaderboard/index.html").exists()
        return
    ids = listing_ids(site, "leaderboard/index.html", "leaderboard-table")
    assert ids == [m.id for m in data.leaderboard]
    assert sorted(ids) == sorted(m.id for m in data.models if m.record.usage is not None)
    page = soup(site, "leaderboard/index.html")
    tokens = [int(tr["data-tokens"]) for tr in page.find(id="leaderboard-table").tbody.find_all("tr")]
    assert tokens == sorted(tokens, reverse=True)
    for i, tr in enumerate(page.find(id="leaderboard-table").tbody.find_all("tr", recursive=False)):
        m = data.models_by_id[tr["data-id"]]
        text = cells(tr)
        assert text[0] == str(i + 1)
        assert text[1].startswith(m.record.name)
        assert text[2] == m.provider.name
        assert text[3] == formats.count(m.record.usage.tokens)
        requests = m.record.usage.requests
        assert text[4] == (formats.count(requests) if requests is not None else "—")
        assert text[5] == formats.percent(m.share)
        assert text[6] == (m.record.usage.as_of.isoformat() if m.record.usage.as_of else "—")


def test_no_usage_no_leaderboard(tmp_path: Path):
    """Without any usage figure: no leaderboard page, nav entry, sitemap or llms.txt line, no
    usage column and no Adoption card."""
    from tests.conftest import make_project, valid_files

    files = valid_files()
    for path, text in list(files.items()):
        if path.startswith("models/") and "\nusage:" in text:
            head, _, rest = text.partition("\nusage:")
            lines = rest.split("\n")
            keep = [ln for ln in lines[1:] if not ln.startswith((" ", "\t"))]
            files[path] = head + "\n" + "\n".join(keep)
    project = make_project(tmp_path, files)
    build(project, project / "site")
    out = project / "site"
    assert not (out / "leaderboard").exists()
    for path in ["index.html", "models/meta/llama-3.2-1b-instruct/index.html", "providers/meta/index.html"]:
        page = soup(out, path)
        assert page.find("a", href=lambda h: h and "leaderboard/" in h) is None, path
        assert page.find(id="adoption") is None, path
    head = [th.get_text(" ", strip=True) for th in soup(out, "index.html").find(id="model-table").thead.find_all("th")]
    assert not any(h.startswith("Usage") for h in head)
    assert "leaderboard/" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "leaderboard/" not in (out / "llms.txt").read_text(encoding="utf-8")


# --- shared structure ----------------------------------------------------------------------

LISTING_PAGES = ["index.html", "pricing/index.html", "compare/index.html", "leaderboard/index.html",
                 "providers/index.html", "collections/index.html"]


def test_tables_scroll_in_labelled_focusable_regions(name: str):
    site = site_dir(name)
    for path in LISTING_PAGES:
        page = soup(site, path)
        for table in page.find_all("table"):
            region = table.parent
            assert region.get("role") == "region" and region.get("tabindex") == "0", path
            assert region.get("aria-label"), path
            assert table.caption is not None and table.caption.get_text(strip=True), path
            assert all(th.get("scope") == "col" for th in table.thead.find_all("th")), path


def test_every_control_has_a_label(name: str):
    site = site_dir(name)
    data = resolved(name)
    paths = LISTING_PAGES + [f"{p.path}index.html" for p in data.providers] + \
        [f"{c.path}index.html" for c in data.collections]
    for path in paths:
        page = soup(site, path)
        for control in page.find("main").find_all(["input", "select"]):
            if control.find_parent("label") is not None:
                continue
            assert control.get("id") and page.find("label", attrs={"for": control["id"]}) is not None, \
                f"{path}: {control}"


def test_listing_links_resolve(name: str):
    site, data = site_dir(name), resolved(name)
    paths = LISTING_PAGES + [f"{p.path}index.html" for p in data.providers] + \
        [f"{c.path}index.html" for c in data.collections]
    for path in paths:
        page = soup(site, path)
        for a in page.find("main").find_all("a", href=True):
            href = a["href"]
            if href.startswith(("http://", "https://", "mailto:", "#")):
                continue
            assert resolves(site, path, href), f"{path}: broken link {href}"


def test_templates_escape_hostile_names(tmp_path: Path):
    """A model name with markup stays text on every listing page."""
    from tests.conftest import valid_files, make_project

    files = valid_files()
    model = files["models/meta/llama-3.2-1b-instruct.yaml"]
    files["models/meta/llama-3.2-1b-instruct.yaml"] = model.replace(
        "name: Llama-3.2-1b-Instruct", 'name: "<script>alert(1)</script> & \\"Llama\\""')
    project = make_project(tmp_path, files)
    build(project, project / "site")
    for path in LISTING_PAGES + ["providers/meta/index.html", "collections/text/index.html"]:
        if path in ("compare/index.html", "providers/index.html", "collections/index.html"):
            continue  # they name no model
        html = (project / "site" / path).read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html, path
        page = BeautifulSoup(html, "html.parser")
        assert '<script>alert(1)</script> & "Llama"' in page.find("main").get_text(), path


# --- golden files ----------------------------------------------------------------------------

GOLDEN_FILES = {"catalog-page.html": "index.html", "catalog-page.md": "index.md", "pricing-page.html": "pricing/index.html"}


@pytest.mark.parametrize("golden", sorted(GOLDEN_FILES))
def test_golden_listing_pages(request, golden):
    assert_golden(request, built("example") / GOLDEN_FILES[golden], golden, "the example's listing page")

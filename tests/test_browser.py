"""The listing pages in a real browser: headless Chromium through Playwright.

The built site (a generated catalog of 250 models: three listing pages) is served by a stdlib
http.server on 127.0.0.1 in a thread. Checked: live search, filters and sort over every model
(from api/index.json) and the URL that keeps them; rows built in the browser equal the server's;
"Show more" and the page links; a filtered URL restores its view; the pricing calculator's
figure, its search and the sortable headers; compare ?models=a,b side by side with differences
marked, fetching only those models; the pages without JavaScript; a search over an index of
10,000 models (its speed is measured in benchmarks/listings.py). Screenshots (light and dark) go to tests/_artifacts/ for
people to look at.

Chromium is /usr/bin/chromium (apt). Missing, the tests skip on a developer's machine and fail
in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator import formats
from generator.site import PAGE_SIZE, reader_order
from tests.builds import built
from tests.test_listing_pages import built_generated

SMALL = 250  # three catalog pages

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
TIMEOUT_MS = 10_000


def _require_chromium() -> None:
    if Path(CHROMIUM).is_file():
        return
    reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + ": CI must install it")
    pytest.skip(reason)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class Server:
    """A static file server for one built site, on 127.0.0.1 in a daemon thread."""

    def __init__(self, root: Path):
        handler = functools.partial(_Quiet, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.root = root

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def gen():
    """A generated catalog of SMALL models (three pages), served."""
    server = Server(built_generated(SMALL))
    yield server
    server.close()


@pytest.fixture(scope="module")
def example():
    server = Server(built("example"))
    yield server
    server.close()


class Catalog:
    """The resolved Site, with a short repr: pytest prints test arguments on failure, and the
    Site's entries point at each other (model <-> provider), which the dataclass repr walks."""

    def __init__(self, site):
        self._site = site

    def __getattr__(self, name):
        return getattr(self._site, name)

    def __repr__(self) -> str:
        return f"<Catalog of {len(self._site.models)} models>"


@pytest.fixture(scope="module")
def data():
    from generator.catalog import load_catalog

    site, _ = load_catalog(built_generated(SMALL).parent)
    return Catalog(site)


def listed(data) -> list:
    """The models in the listings' default order (and api/index.json's)."""
    return list(reader_order(data.models))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.js_errors = errors  # a test expecting an error takes it out
    yield pg
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def open_page(pg, url: str, ready: str, timeout: float = TIMEOUT_MS) -> None:
    pg.goto(url, timeout=timeout)
    pg.wait_for_selector(ready, state="attached", timeout=timeout)


def visible_ids(pg, table: str = "#model-table") -> list[str]:
    return pg.eval_on_selector_all(f"{table} tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)")


def query(pg) -> dict[str, list[str]]:
    return parse_qs(urlsplit(pg.url).query)


def haystack(m) -> str:
    """The text the catalog search looks in, as catalog.js builds it."""
    return f"{m.record.name} {m.id} {m.provider.name} {m.record.family or ''}".lower()


def price_key(index: dict[str, int]):
    return lambda m: (m.record.pricing.input, m.record.pricing.output, index[m.id])


# --- the catalog ------------------------------------------------------------------------

def count_text(shown: int, total: int) -> str:
    """The result count catalog.js writes for shown matching models of total."""
    if shown > PAGE_SIZE:
        return f"Showing the first {PAGE_SIZE} of {shown:,} matching models ({total:,} in all)"
    return f"{total:,} models" if shown == total else f"{shown:,} of {total:,} models"


def test_search_filters_rows_and_counts(page, gen, data):
    open_page(page, gen.url("index.html"), "form.model-filters[data-ready]")
    models, total = listed(data), len(data.models)
    assert visible_ids(page) == [m.id for m in models[:PAGE_SIZE]]  # the server's first page
    assert page.text_content("#model-table-count") == f"{total} models · page 1 of 3"
    provider = max(data.providers, key=lambda p: len(p.models))
    term = provider.name.split()[0].lower()
    expected = [m.id for m in models if term in haystack(m)]
    assert 0 < len(expected) < total
    page.fill("#model-table-q", term)
    page.wait_for_function("document.getElementById('model-table-count').textContent.includes(' of ') &&"
                           "!document.getElementById('model-table-count').textContent.includes('page')")
    # the whole catalog is searched (from api/index.json), not the page's rows
    assert visible_ids(page) == expected[:PAGE_SIZE]
    assert page.text_content("#model-table-count") == count_text(len(expected), total)
    assert not page.is_visible("nav.listing-pager")
    assert query(page) == {"q": [term]}
    # nothing matching shows the empty state
    page.fill("#model-table-q", "zzz-no-such-model")
    page.wait_for_function("!document.getElementById('model-table-empty').hidden")
    assert visible_ids(page) == []
    page.click("[data-reset-for=model-table]")
    page.wait_for_function("document.getElementById('model-table-count').textContent === "
                           f"'{total} models · page 1 of 3'")
    assert urlsplit(page.url).query == ""
    assert visible_ids(page) == [m.id for m in models[:PAGE_SIZE]] and page.is_visible("nav.listing-pager")


def test_rows_built_in_the_browser_match_the_servers(page, gen, data):
    """A search matching every model renders the index's rows: the same markup as the server's."""
    open_page(page, gen.url("index.html"), "form.model-filters[data-ready]")
    server = page.eval_on_selector_all("#model-table tbody tr", "rs => rs.map(r => r.outerHTML)")
    page.fill("#model-table-q", "/")  # every id holds one
    page.wait_for_function("document.getElementById('model-table-count').textContent.startsWith('Showing')")
    built = page.eval_on_selector_all("#model-table tbody tr", "rs => rs.map(r => r.outerHTML)")
    assert len(server) == PAGE_SIZE and built == server
    # "Show more" adds the next page of rows, then the rest
    page.click("#model-table-more button")
    assert visible_ids(page) == [m.id for m in listed(data)[:2 * PAGE_SIZE]]
    page.click("#model-table-more button")
    assert visible_ids(page) == [m.id for m in listed(data)]
    assert page.is_hidden("#model-table-more")


def test_filter_checkbox_and_sort_reorder_rows_and_update_url(page, gen, data):
    open_page(page, gen.url("index.html"), "form.model-filters[data-ready]")
    models = listed(data)
    index = {m.id: i for i, m in enumerate(models)}
    page.click(".filter-panel > summary")
    page.check("input[name=cap][value=vision]")
    page.select_option("#model-table-sort", "price")
    page.wait_for_function("location.search.includes('sort=price')")
    vision = [m for m in models if m.record.capabilities.vision]
    assert vision and len(vision) < len(models)
    page.wait_for_function("document.getElementById('model-table-count').textContent === "
                           f"{count_text(len(vision), len(models))!r}")
    assert visible_ids(page) == [m.id for m in sorted(vision, key=price_key(index))][:PAGE_SIZE]
    assert query(page) == {"cap": ["vision"], "sort": ["price"]}
    assert "1 active" in page.text_content("[data-filter-count]")
    page.select_option("#model-table-sort", "context")
    page.wait_for_function("location.search.includes('sort=context')")
    wide = sorted(vision, key=lambda m: (-m.record.limits.context, index[m.id]))
    assert visible_ids(page) == [m.id for m in wide][:PAGE_SIZE]
    # the default order: most used, then newest (the index's order)
    page.select_option("#model-table-sort", "")
    page.wait_for_function("!location.search.includes('sort=')")
    assert visible_ids(page) == [m.id for m in vision][:PAGE_SIZE]


def test_url_with_a_query_restores_the_view(page, gen, data):
    models = listed(data)
    index = {m.id: i for i, m in enumerate(models)}
    provider = max(data.providers, key=lambda p: len(p.models))
    url = gen.url(f"page/2/index.html?provider={provider.id}&cap=tool_calling&sort=context")
    open_page(page, url, "form.model-filters[data-ready]")
    assert page.input_value("#model-table-provider") == provider.id
    assert page.is_checked("input[name=cap][value=tool_calling]")
    assert page.input_value("#model-table-sort") == "context"
    assert page.get_attribute(".filter-panel", "open") is not None  # an active panel filter opens it
    chosen = [m for m in models if m.provider_id == provider.id and m.record.capabilities.tool_calling]
    chosen.sort(key=lambda m: (-m.record.limits.context, index[m.id]))
    page.wait_for_function("!document.getElementById('model-table-count').textContent.includes('page')")
    assert visible_ids(page) == [m.id for m in chosen][:PAGE_SIZE]
    assert page.text_content("#model-table-count") == count_text(len(chosen), len(models))
    # links of rows built on page 2 resolve from there
    href = page.get_attribute("#model-table tbody tr a", "href")
    assert href == f"../../models/{chosen[0].id}/index.html"


def test_url_numeric_modality_and_status_filters(page, gen, data):
    url = gen.url("index.html?input=image&max_price=1&min_context=128000&status=current")
    open_page(page, url, "form.model-filters[data-ready]")
    expected = [m.id for m in listed(data) if "image" in m.record.modalities.input and m.record.pricing.input <= 1
                and m.record.limits.context >= 128000 and m.record.status != "deprecated"]
    page.wait_for_function("!document.getElementById('model-table-count').textContent.includes('page')")
    assert visible_ids(page) == expected[:PAGE_SIZE]
    assert page.input_value("#model-table-max-price") == "1"


def test_slash_focuses_search(page, gen):
    open_page(page, gen.url("index.html"), "form.model-filters[data-ready]")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "model-table-q"


def test_provider_page_search(page, gen, data):
    provider = max(data.providers, key=lambda p: len(p.models))
    open_page(page, gen.url(f"{provider.path}index.html"), "form.model-filters[data-ready]")
    ordered = reader_order(provider.models)
    target = ordered[-1]  # on the provider's last page when it has several
    page.fill("#model-table-q", target.id)
    page.wait_for_function("document.getElementById('model-table-count').textContent.includes(' of ')")
    assert visible_ids(page) == [target.id]
    assert page.text_content("#model-table-count") == f"1 of {len(ordered)} models"


def test_collection_page_search_stays_in_the_collection(page, gen, data):
    c = max(data.collections, key=lambda c: len(c.models))
    open_page(page, gen.url(f"{c.path}index.html"), "form.model-filters[data-ready]")
    page.fill("#model-table-q", "/")
    page.wait_for_function("!document.getElementById('model-table-count').textContent.includes('page')")
    members = [m.id for m in reader_order(c.models)]
    assert visible_ids(page) == members[:PAGE_SIZE]
    assert page.text_content("#model-table-count") == count_text(len(members), len(members))


def test_pager_links_walk_the_catalog(page, gen, data):
    open_page(page, gen.url("index.html"), "form.model-filters[data-ready]")
    page.click("nav.listing-pager a[rel=next]")
    page.wait_for_selector("form.model-filters[data-ready]", state="attached")
    assert urlsplit(page.url).path == "/page/2/index.html"
    assert visible_ids(page) == [m.id for m in listed(data)[PAGE_SIZE:2 * PAGE_SIZE]]
    page.click("nav.listing-pager a[aria-label='Page 3']")
    page.wait_for_selector("form.model-filters[data-ready]", state="attached")
    assert visible_ids(page) == [m.id for m in listed(data)[2 * PAGE_SIZE:]]
    assert page.locator("nav.listing-pager a[rel=next]").count() == 0


# --- pricing --------------------------------------------------------------------------------

def test_pricing_calculator_computes_monthly_cost(page, gen, data):
    open_page(page, gen.url("pricing/index.html"), "#pricing-table[data-ready]")
    fee = data.record.fee.percent or 0
    page.fill("#calc-in", "2500000")
    page.fill("#calc-out", "400000")
    page.wait_for_function("location.search.includes('out=400000')")
    assert query(page) == {"in": ["2500000"], "out": ["400000"]}
    shown = visible_ids(page, "#pricing-table")
    assert shown == [m.id for m in listed(data)[:PAGE_SIZE]]
    for mid in shown:
        p = data.models_by_id[mid].record.pricing
        expected = (2_500_000 * p.input + 400_000 * p.output) / 1e6 * (1 + fee / 100)
        cell = page.locator(f'#pricing-table tr[data-id="{mid}"] [data-cost]')
        assert float(cell.get_attribute("data-value")) == pytest.approx(expected, rel=1e-12, abs=1e-12)
        assert cell.text_content() == formats.money(expected), mid
    summary = page.text_content("#calc-summary")
    assert "2.5M input and 400K output tokens a month" in summary
    assert (f"{formats.number(fee)}% platform fee" in summary) == bool(fee)
    # the cheapest paid chat model of the whole catalog (from the index), whichever page is shown
    paid = [m for m in listed(data) if m.record.kind == "chat"
            and (2.5 * m.record.pricing.input + 0.4 * (m.record.pricing.output or 0)) > 0]
    cheapest = min(paid, key=lambda m: 2.5 * m.record.pricing.input + 0.4 * (m.record.pricing.output or 0))
    page.wait_for_function("document.getElementById('calc-summary').textContent.includes('cheapest')")
    assert f"is {cheapest.record.name} at " in page.text_content("#calc-summary")
    # the state survives a reload
    page.reload()
    page.wait_for_selector("#pricing-table[data-ready]", state="attached")
    assert page.input_value("#calc-in") == "2500000"
    m = data.models_by_id[shown[0]]
    cell = page.locator(f'#pricing-table tr[data-id="{m.id}"] [data-cost]')
    p = m.record.pricing
    assert float(cell.get_attribute("data-value")) == pytest.approx(
        (2.5 * p.input + 0.4 * p.output) * (1 + fee / 100), rel=1e-9)


def test_pricing_calculator_names_the_cheapest_chat_model_not_a_cheaper_reranker(page, tmp_path):
    """Like with like: a reranker's token price is not a chat model's."""
    from generator.build import build
    from tests.conftest import MODEL_PATH, make_project, valid_files

    files = valid_files()
    files["models/meta/tiny-rerank.yaml"] = (
        files[MODEL_PATH].replace("id: meta/llama-3.2-1b-instruct", "id: meta/tiny-rerank")
        .replace("name: Llama-3.2-1b-Instruct", "name: Tiny Rerank").replace("input: 0.015", "input: 0.001")
        .replace("pricing:", "kind: rerank\npricing:", 1))
    project = make_project(tmp_path, files)
    build(project, project / "site")
    server = Server(project / "site")
    try:
        open_page(page, server.url("pricing/index.html"), "#pricing-table[data-ready]")
        page.fill("#calc-in", "1000000")
        page.fill("#calc-out", "1000000")
        page.wait_for_function("document.getElementById('calc-summary').textContent.includes('cheapest')")
        summary = page.text_content("#calc-summary")
        assert "the cheapest chat model is Llama-3.2-1b-Instruct at " in summary, summary
        assert "Tiny Rerank" not in summary
    finally:
        server.close()


def _wait_live(page, table: str = "pricing-table") -> None:
    page.wait_for_function(f"!document.getElementById('{table}-count').textContent.includes('page ') &&"
                           f"!document.getElementById('{table}-count').textContent.startsWith('Loading')")


def test_pricing_headers_sort_every_model(page, gen, data):
    open_page(page, gen.url("pricing/index.html"), "#pricing-table[data-ready]")
    models = listed(data)
    index = {m.id: i for i, m in enumerate(models)}
    page.click("button[data-sort=price-in]")
    _wait_live(page)
    assert page.get_attribute("th:has(> button[data-sort=price-in])", "aria-sort") == "ascending"
    by_input = sorted(models, key=lambda m: (m.record.pricing.input, index[m.id]))
    assert visible_ids(page, "#pricing-table") == [m.id for m in by_input][:PAGE_SIZE]
    page.click("button[data-sort=price-in]")
    assert page.get_attribute("th:has(> button[data-sort=price-in])", "aria-sort") == "descending"
    by_input_desc = sorted(models, key=lambda m: (-m.record.pricing.input, index[m.id]))
    assert visible_ids(page, "#pricing-table") == [m.id for m in by_input_desc][:PAGE_SIZE]
    # missing prices sort last in both directions
    page.click("button[data-sort=cached-in]")
    page.click("#pricing-table-more button")
    page.click("#pricing-table-more button")
    ids = visible_ids(page, "#pricing-table")
    assert len(ids) == len(models)
    have = [m for m in models if m.record.pricing.cached_input is not None]
    assert ids[:len(have)] == [m.id for m in sorted(have, key=lambda m: (m.record.pricing.cached_input, index[m.id]))]
    assert page.get_attribute("th:has(> button[data-sort=price-in])", "aria-sort") is None
    # cost follows the calculator
    page.click("button[data-sort=cost]")
    costs = page.eval_on_selector_all("#pricing-table tbody tr [data-cost]", "cs => cs.map(c => +c.dataset.value)")
    assert costs == sorted(costs)
    assert query(page)["sort"] == ["cost"]


def test_pricing_search_and_filters_cover_every_model(page, gen, data):
    provider = max(data.providers, key=lambda p: len(p.models))
    open_page(page, gen.url(f"pricing/index.html?provider={provider.id}&cap=vision"), "#pricing-table[data-ready]")
    _wait_live(page)
    expected = [m.id for m in listed(data) if m.provider_id == provider.id and m.record.capabilities.vision]
    assert visible_ids(page, "#pricing-table") == expected[:PAGE_SIZE]
    assert page.input_value("#pricing-table-provider") == provider.id
    # rows built in the browser carry the calculator's figure too
    cells = page.eval_on_selector_all("#pricing-table tbody [data-cost]", "cs => cs.map(c => c.textContent)")
    assert all(c.startswith("$") for c in cells)
    target = listed(data)[-1]  # on the last server page
    page.select_option("#pricing-table-provider", "")
    page.click(".filter-panel > summary")
    page.uncheck("input[name=cap][value=vision]")
    page.fill("#pricing-table-q", target.id)
    page.wait_for_function(f"location.search.includes('q=')")
    _wait_live(page)
    assert visible_ids(page, "#pricing-table") == [target.id]


# --- compare -----------------------------------------------------------------------------------

def _pair(data):
    """Two models that differ in input price and context (so both 'best' marks are decidable)."""
    for a in data.models:
        for b in data.models:
            if (a.record.pricing.input < b.record.pricing.input and a.record.limits.context < b.record.limits.context
                    and a.provider_id != b.provider_id):
                return a, b
    pytest.skip("no suitable pair of models")


def test_compare_shows_models_side_by_side_with_differences(page, gen, data):
    a, b = _pair(data)
    open_page(page, gen.url(f"compare/index.html?models={a.id},{b.id}"), "#compare-form[data-ready]")
    page.wait_for_selector("#compare-table")
    heads = page.eval_on_selector_all("#compare-table thead th.compare-model", "ths => ths.map(t => t.dataset.id)")
    assert heads == [a.id, b.id]
    assert a.record.name in page.text_content("#compare-table thead")
    assert b.record.name in page.text_content("#compare-table thead")
    assert page.input_value("#compare-1") == a.id and page.input_value("#compare-2") == b.id
    assert query(page) == {"models": [a.id, b.id]}
    assert "/" in urlsplit(page.url).query  # ids stay readable in the address

    def row(field: str):
        return page.locator(f'#compare-table tbody tr[data-f="{field}"]')

    assert "differs" in row("price-in").get_attribute("class")
    assert "differs" in row("provider").get_attribute("class")
    # the cheaper input price and the larger context are marked best
    assert "best" in (row("price-in").locator("td").nth(0).get_attribute("class") or "")
    assert "best" not in (row("price-in").locator("td").nth(1).get_attribute("class") or "")
    assert "best" in (row("context").locator("td").nth(1).get_attribute("class") or "")
    assert row("price-in").locator("td").nth(0).text_content().startswith(formats.price(a.record.pricing.input))
    # each capability row is marked exactly when the two differ
    for key, _, yes in a.capabilities:
        other = getattr(b.record.capabilities, key)
        marked = "differs" in (row(f"cap-{key}").get_attribute("class") or "")
        assert marked == (yes != other), key
    assert page.text_content("#compare-status").startswith("Comparing 2 models")
    # only the rows that differ
    page.check("#compare-diff-only")
    page.wait_for_function("location.search.includes('diff=1')")
    hidden = [r for r in page.locator("#compare-table tbody tr").all() if not r.is_visible()]
    assert hidden and all("differs" not in (r.get_attribute("class") or "") for r in hidden)


def test_compare_accepts_repeated_params_and_removes_models(page, gen, data):
    ids = [m.id for m in data.models[:3]]
    qs = "&".join(f"models={i}" for i in ids) + "&models=nope/unknown"
    open_page(page, gen.url(f"compare/index.html?{qs}"), "#compare-form[data-ready]")
    page.wait_for_selector("#compare-table")
    heads = page.eval_on_selector_all("#compare-table thead th.compare-model", "ths => ths.map(t => t.dataset.id)")
    assert heads == ids
    assert "Not in the catalog: nope/unknown" in page.text_content("#compare-status")
    # its document, nope/unknown.json, answered 404: the browser logs that
    page.js_errors[:] = [e for e in page.js_errors if "status of 404" not in e]
    page.click(f'#compare-table [data-remove="{ids[1]}"]')
    page.wait_for_function("document.querySelectorAll('#compare-table th.compare-model').length === 2")
    heads = page.eval_on_selector_all("#compare-table thead th.compare-model", "ths => ths.map(t => t.dataset.id)")
    assert heads == [ids[0], ids[2]]
    assert query(page) == {"models": [ids[0], ids[2]]}
    # picking a model by typing its id adds it
    page.fill("#compare-3", ids[1])
    page.wait_for_function("document.querySelectorAll('#compare-table th.compare-model').length === 3")
    assert query(page) == {"models": [ids[0], ids[2], ids[1]]}


def test_compare_without_selection_prompts(page, gen):
    open_page(page, gen.url("compare/index.html"), "#compare-form[data-ready]")
    assert "Pick two to four models" in page.text_content("#compare-status")
    assert page.locator("#compare-table").count() == 0


def test_compare_fetches_only_the_chosen_models(page, gen, data):
    a, b = _pair(data)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path) if r.resource_type in ("fetch", "xhr") else None)
    open_page(page, gen.url(f"compare/index.html?models={a.id},{b.id}"), "#compare-form[data-ready]")
    page.wait_for_selector("#compare-table")
    assert sorted(fetched) == sorted([f"/models/{a.id}.json", f"/models/{b.id}.json"])
    # suggestions read the index, fetched when the reader types
    page.fill("#compare-3", a.id.split("/")[1][:4])
    page.wait_for_function("document.querySelectorAll('#compare-models option').length > 0")
    assert "/api/index.json" in fetched and "/api/models.json" not in fetched


def test_compare_marks_best_only_among_two_values(page, gen, data):
    """A figure only one chosen model has (a cache-write price, say) is not "lowest"."""
    lone = next((m for m in data.models if m.record.pricing.cache_write is not None), None)
    other = next((m for m in data.models if m.record.pricing.cache_write is None
                  and m.record.pricing.input != (lone.record.pricing.input if lone else None)), None)
    if lone is None or other is None:
        pytest.skip("no model with and one without a cache-write price")
    open_page(page, gen.url(f"compare/index.html?models={lone.id},{other.id}"), "#compare-form[data-ready]")
    page.wait_for_selector("#compare-table")
    row = page.locator('#compare-table tbody tr[data-f="cache-write"]')
    assert "differs" in row.get_attribute("class")
    assert row.locator("td.best").count() == 0 and row.locator(".best-tag").count() == 0
    assert row.locator("td").nth(1).text_content() == "—"
    # where both have a value, the better one is tagged
    assert page.locator('#compare-table tbody tr[data-f="price-in"] td.best').count() == 1


# --- without JavaScript ----------------------------------------------------------------------------

def test_pages_work_without_javascript(browser, gen, data):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(gen.url("index.html?cap=vision"))
        models = listed(data)
        assert pg.locator("#model-table tbody tr:visible").count() == PAGE_SIZE
        assert not pg.is_visible("form.model-filters")
        assert pg.locator("p.note", has_text="every model is listed on these pages").is_visible()
        # the page links walk the catalog
        pg.click("nav.listing-pager a[rel=next]")
        assert visible_ids(pg) == [m.id for m in models[PAGE_SIZE:2 * PAGE_SIZE]]
        pg.goto(gen.url("pricing/index.html"))
        assert not pg.is_visible("#cost-calculator")
        assert not pg.is_visible("#pricing-table th.col-cost")
        assert pg.locator("#pricing-table thead button:visible").count() == 0  # no dead sort buttons
        assert pg.locator("p.note", has_text="The monthly cost calculator needs JavaScript").is_visible()
        pg.goto(gen.url("compare/index.html?models=a,b"))
        assert not pg.is_visible("#compare-form")
        assert pg.locator("table").count() == 0  # no dump of every model
        assert pg.locator("p.note", has_text="needs JavaScript").is_visible()
    finally:
        context.close()


# --- speed -------------------------------------------------------------------------------------------

def test_search_covers_an_index_of_10000_models(page, gen):
    """The catalog searching an index of 10,000 models (the built index's models, repeated under
    new ids): every keystroke's list and count are right. How fast is measured in
    benchmarks/listings.py (not a timed test: these machines are noisy)."""
    import json

    doc = json.loads((gen.root / "api/index.json").read_text(encoding="utf-8"))
    base = doc["models"]
    doc["models"] = [[f"{r[0]}-{i}"] + r[1:] for i in range(-(-10_000 // len(base))) for r in base][:10_000]
    body = json.dumps(doc, separators=(",", ":"))
    page.route("**/api/index.json", lambda route: route.fulfill(status=200, content_type="application/json", body=body))
    open_page(page, gen.url("index.html"), "form.model-filters[data-ready]")
    page.fill("#model-table-q", "a")  # the first search fetches the index
    page.wait_for_function("document.getElementById('model-table-count').textContent.includes('10,000 in all')",
                           timeout=60_000)
    ids = [r[0] for r in doc["models"]]
    for term in (ids[-1], ids[len(ids) // 2], "zzz-none"):  # ids[-1] (the last copy's) and none
        page.fill("#model-table-q", term)
        want = sum(term in i for i in ids)
        page.wait_for_function("([t, n]) => document.getElementById('model-table-count').textContent"
                               ".startsWith(n.toLocaleString('en-US') + ' of 10,000')", arg=[term, want],
                               timeout=30_000)
        shown = page.locator("#model-table tbody tr").count()
        assert shown == min(want, 100), (term, shown, want)


# --- screenshots -------------------------------------------------------------------------------------

SHOTS = [
    ("catalog", "gen", "index.html", 1280, False),
    ("catalog-mobile", "gen", "index.html", 390, False),
    ("pricing", "gen", "pricing/index.html?in=10000000&out=2000000&sort=cost&dir=asc", 1280, False),
    ("leaderboard", "gen", "leaderboard/index.html", 1280, False),
    ("model", "example", "models/meta/llama-3.2-1b-instruct/index.html", 1280, True),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(browser, gen, example, data, scheme):
    from tests.test_layout import check_screenshot
    ARTIFACTS.mkdir(exist_ok=True)
    a, b = _pair(data)
    c = next(m for m in data.models if m.id not in (a.id, b.id))
    shots = SHOTS + [("compare", "gen", f"compare/index.html?models={a.id},{b.id},{c.id}", 1280, True),
                     ("compare-mobile", "gen", f"compare/index.html?models={a.id},{b.id}", 390, True)]
    for name, server, path, width, full in shots:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        pg = context.new_page()
        try:
            pg.goto((gen if server == "gen" else example).url(path))
            pg.wait_for_load_state("load")
            pg.wait_for_timeout(150)
            out = ARTIFACTS / f"{name}-{scheme}.png"
            pg.screenshot(path=str(out), full_page=full)
            check_screenshot(pg, out, scheme)
        finally:
            context.close()


# --- the calculator's prompt size and service variant (issue 2.5) -----------------------------------

def _reference_cost(rec, tokens_in: int, tokens_out: int, prompt: int, variant: str, fee: float) -> float:
    """The monthly cost from the record's own prices, as the calculator documents it: a variant the
    model has bills its input and output price; otherwise, over a tier's `above`, the whole request
    is billed at that tier's prices (a tier states only what changes)."""
    p = rec.pricing
    pin, pout = p.input, p.output or 0.0
    chosen = getattr(p.variants, variant, None) if p.variants is not None and variant != "standard" else None
    if chosen is not None:
        pin = chosen.input if chosen.input is not None else pin
        pout = chosen.output if chosen.output is not None else pout
    else:
        for tier in p.tiers:
            if prompt > tier.above:
                pin = tier.input if tier.input is not None else pin
                pout = tier.output if tier.output is not None else pout
    return (tokens_in * pin + tokens_out * pout) / 1e6 * (1 + fee / 100)


@pytest.fixture(scope="module")
def project():
    server = Server(built("project"))
    yield server
    server.close()


def test_pricing_calculator_applies_tiers_by_prompt_size_and_the_chosen_variant(page, project):
    from generator.catalog import load_catalog

    site, _ = load_catalog(built("project").parent)
    fee = site.record.fee.percent or 0
    tiered = site.models_by_id["google/gemini-2.5-pro"]  # a tier over 200K tokens, and batch prices
    assert tiered.record.pricing.tiers and tiered.record.pricing.variants.batch
    plain = next(m for m in site.models if not m.record.pricing.tiers and m.record.pricing.variants is None
                 and m.record.pricing.output)
    open_page(page, project.url("pricing/index.html"), "#pricing-table[data-ready]")

    def cell(m):
        return page.locator(f'#pricing-table tr[data-id="{m.id}"] [data-cost]')

    def value(m) -> float:
        return float(cell(m).get_attribute("data-value"))

    page.fill("#calc-in", "2000000")
    page.fill("#calc-out", "500000")
    page.fill("#calc-prompt", "100000")  # under the tier: the headline prices
    page.wait_for_function("location.search.includes('prompt=100000')")
    base = _reference_cost(tiered.record, 2_000_000, 500_000, 100_000, "standard", fee)
    assert value(tiered) == pytest.approx(base, rel=1e-12)
    assert value(tiered) == pytest.approx((2 * 1.25 + 0.5 * 10.0) * (1 + fee / 100), rel=1e-12)

    page.fill("#calc-prompt", "300000")  # over 200K: the whole request at the tier's prices
    page.wait_for_function("location.search.includes('prompt=300000')")
    over = _reference_cost(tiered.record, 2_000_000, 500_000, 300_000, "standard", fee)
    assert over > base
    assert value(tiered) == pytest.approx(over, rel=1e-12)
    # $13.125 at a 5% fee: an exact tie, written as Python writes it ("$13.12", half to even)
    assert cell(tiered).text_content() == formats.money(over) + " over 200K"

    page.select_option("#calc-variant", "batch")
    page.wait_for_function("location.search.includes('variant=batch')")
    assert query(page)["variant"] == ["batch"] and query(page)["prompt"] == ["300000"]
    batch = _reference_cost(tiered.record, 2_000_000, 500_000, 300_000, "batch", fee)
    assert value(tiered) == pytest.approx(batch, rel=1e-12)
    assert cell(tiered).text_content() == formats.money(batch)
    # a model without batch prices keeps its standard price, and its row says so
    standard = _reference_cost(plain.record, 2_000_000, 500_000, 300_000, "standard", fee)
    assert value(plain) == pytest.approx(standard, rel=1e-12)
    assert cell(plain).text_content() == formats.money(standard) + " standard"
    page.wait_for_function("document.getElementById('calc-summary').textContent.includes('cheapest')")
    assert "prompts of 300K tokens, batch prices where offered" in page.text_content("#calc-summary")

    # sorting by cost renders rows from api/index.json: the same figures
    page.click('#pricing-table button[data-sort="cost"]')
    _wait_live(page)
    assert value(tiered) == pytest.approx(batch, rel=1e-12)
    assert value(plain) == pytest.approx(standard, rel=1e-12)
    # the state survives a reload
    page.reload()
    page.wait_for_selector("#pricing-table[data-ready]", state="attached")
    assert page.input_value("#calc-variant") == "batch" and page.input_value("#calc-prompt") == "300000"
    assert value(tiered) == pytest.approx(batch, rel=1e-12)


def test_compare_shows_tiers_variants_fees_lifecycle_kind_and_offers(page, project):
    from generator.catalog import load_catalog

    site, _ = load_catalog(built("project").parent)
    ids = ["google/gemini-2.5-pro", "openai/gpt-4o-mini-tts", "openai/gpt-4o-mini", "cohere/rerank-v3.5"]
    pro, tts, mini, rerank = (site.models_by_id[i] for i in ids)
    open_page(page, project.url("compare/index.html?models=" + ",".join(ids)), "#compare-form[data-ready]")
    page.wait_for_selector("#compare-table")

    def cells(field: str) -> list[str]:
        return page.eval_on_selector_all(f'#compare-table tbody tr[data-f="{field}"] td',
                                         "tds => tds.map(t => t.textContent)")

    assert cells("kind") == [m.record.kind for m in (pro, tts, mini, rerank)] == ["chat", "speech", "chat", "rerank"]
    assert cells("lifecycle") == ["Active", "Deprecation scheduled", "Deprecation scheduled", "Active"]
    assert [m.lifecycle for m in (pro, tts, mini, rerank)] == ["active", "scheduled", "scheduled", "active"]
    assert cells("deprecation") == ["—", "2027-01-06", mini.deprecation_date.isoformat(), "—"]
    assert cells("shutdown") == ["—", "2027-01-06", "—", "—"]
    tier = pro.tiers[0]
    assert cells("tiers") == [f"over 200K: input {formats.price(tier.prices['input'])} · output "
                              f"{formats.price(tier.prices['output'])} · cached input "
                              f"{formats.price(tier.prices['cached_input'])}", "—", "—", "—"]

    def price_set(s) -> str:
        parts = [f"{label} {formats.price(getattr(s, k))}" for k, label in
                 (("input", "input"), ("output", "output"), ("cached_input", "cached input"))
                 if s is not None and getattr(s, k) is not None]
        return " · ".join(parts) or "—"

    for v in ("batch", "flex", "priority"):
        expected = [price_set(getattr(m.record.pricing.variants, v) if m.record.pricing.variants else None)
                    for m in (pro, tts, mini, rerank)]
        assert cells(f"variant-{v}") == expected, v
    assert cells("variant-batch")[0] == "input $0.625 · output $5.00"
    assert cells("output-audio") == ["—", formats.price(12.0), "—", "—"]
    # one lone per-unit fee: shown, never "Lowest"
    assert cells("per-request") == ["—", "—", "—", formats.price(rerank.record.pricing.per_request)]
    assert cells("per-search") == [formats.price(pro.record.pricing.per_search), "—", "—", "—"]
    assert page.locator('#compare-table tr[data-f="per-search"] td.best').count() == 0
    assert cells("offers") == ["—", "—", str(len(mini.offers)), "—"]
    # a price none of them has is no row
    assert page.locator('#compare-table tr[data-f="per-second-video"]').count() == 0
    rows = page.locator("#compare-table tbody tr").count()
    assert f" of {rows} rows differ." in page.text_content("#compare-status")

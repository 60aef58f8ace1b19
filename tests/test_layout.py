"""Every page kind fits the screen, light and dark, on a phone and on a laptop.

Headless Chromium (Playwright) over the project catalog's build, served the way static hosts
serve a site: a missing path gets 404.html with status 404, at whatever depth it was asked for.
Checked at 390 and 1280 px, in both colour schemes: no page is wider than the viewport; the
header's navigation items are all on screen (a menu on phones, with or without JavaScript); a
listing row's prices and context are on screen at 390 px; the 404 page is styled and its links
lead into the site under any host, also when the site lives under a sub-path.

One browser for the module; each (width, scheme) pair gets one context and reuses its page.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from generator.build import build
from tests.builds import built
from tests.test_browser import ARGS, CHROMIUM, TIMEOUT_MS, _require_chromium

# one page of each kind; 404: a missing URL, nested, as a visitor would mistype it
PAGES = {
    "catalog": "index.html",
    "model": "models/meta/llama-3.3-70b-instruct/index.html",
    "provider": "providers/meta/index.html",
    "collection": "collections/vision/index.html",
    "pricing": "pricing/index.html",
    "compare": "compare/index.html",
    "compare-chosen": "compare/index.html?models=meta/llama-3.3-70b-instruct,openai/gpt-4.1,openai/gpt-4o-mini",
    "leaderboard": "leaderboard/index.html",
    "docs": "docs/quickstart/index.html",
    "docs-tables": "docs/errors-and-rate-limits/index.html",
    "404": "models/nope/no-such-model/",
}
VIEWS = [(w, s) for w in (390, 1280) for s in ("light", "dark")]


class _Host(http.server.SimpleHTTPRequestHandler):
    """Static files under an optional path prefix; 404.html (status 404) for anything missing."""

    prefix = "/"

    def log_message(self, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_head(self):
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()


class Host:
    """A built site served on 127.0.0.1 at prefix, in a daemon thread."""

    def __init__(self, root: Path, prefix: str = "/"):
        handler = functools.partial(type("H", (_Host,), {"prefix": prefix}), directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.prefix = prefix

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{self.prefix}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def site():
    host = Host(built("project"))
    yield host
    host.close()


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def new_page(browser, width: int, scheme: str, js: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                  java_script_enabled=js)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def overflow(pg) -> dict:
    """The page's width against the viewport's, and the first elements that stick out."""
    return pg.evaluate("""() => {
        const W = innerWidth, out = [];
        const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement)
            if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
        for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width && r.right > W + 0.5 && out.length < 5 && (!clipped(e) || getComputedStyle(e).position === 'absolute'))
                out.push(e.tagName.toLowerCase() + '.' + e.className);
        }
        return {scrollWidth: document.documentElement.scrollWidth, innerWidth: W, culprits: out};
    }""")


def off_screen(pg, selector: str) -> list[str]:
    """The elements of selector that are not wholly visible in the viewport (or are hidden)."""
    return pg.eval_on_selector_all(selector, """els => els.filter(e => {
        const r = e.getBoundingClientRect(), inside = (o, p) =>
            o.left >= p.left - 0.5 && o.right <= p.right + 0.5 && o.top >= p.top - 0.5 && o.bottom <= p.bottom + 0.5;
        if (!(r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden')) return true;
        if (!inside(r, {left: 0, top: 0, right: innerWidth, bottom: innerHeight})) return true;
        for (let a = e.parentElement; a; a = a.parentElement)  // cut off by a box that clips or scrolls
            if (getComputedStyle(a).overflowX !== 'visible' && !inside(r, a.getBoundingClientRect())) return true;
        return false;
    }).map(e => e.textContent.trim())""")


def nav_items_off_screen(pg) -> list[str]:
    """The main navigation's links not fully on screen, once its menu (if any) is open."""
    toggle = pg.locator(".site-nav .nav-toggle")
    if toggle.count() and toggle.is_visible():
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
    elif pg.locator(".site-nav details.nav-menu > summary").is_visible():
        if pg.get_attribute(".site-nav details.nav-menu", "open") is None:
            pg.click(".site-nav details.nav-menu > summary")
    return off_screen(pg, "nav.site-nav a")


@pytest.mark.parametrize("width,scheme", VIEWS)
def test_no_page_is_wider_than_the_viewport(browser, site, width, scheme):
    context, pg = new_page(browser, width, scheme)
    wide = []
    try:
        for kind, path in PAGES.items():
            pg.goto(site.url(path))
            pg.wait_for_load_state("load")
            o = overflow(pg)
            if o["scrollWidth"] > o["innerWidth"]:
                wide.append(f"{kind} ({path}): {o}")
    finally:
        context.close()
    assert wide == [], "\n".join(wide)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_every_nav_item_is_reachable_on_screen(browser, site, js):
    for width in (390, 1280):
        context, pg = new_page(browser, width, "light", js=js)
        try:
            for kind in ("catalog", "docs", "404"):
                pg.goto(site.url(PAGES[kind]))
                pg.wait_for_load_state("load")
                names = [t.strip() for t in pg.locator("nav.site-nav a").all_text_contents()]
                assert "Docs" in names and "Leaderboard" in names, (kind, names)
                assert nav_items_off_screen(pg) == [], (width, kind)
                assert overflow(pg)["scrollWidth"] <= width, (width, kind)
        finally:
            context.close()


def test_phone_menu_is_a_disclosure_button(browser, site):
    context, pg = new_page(browser, 390, "light")
    try:
        pg.goto(site.url("index.html"))
        pg.wait_for_load_state("load")
        toggle = pg.locator(".site-nav button.nav-toggle")
        assert toggle.is_visible()
        assert toggle.get_attribute("aria-expanded") == "false"
        controlled = toggle.get_attribute("aria-controls")
        assert not pg.locator(f"#{controlled}").is_visible()
        assert off_screen(pg, ".brand") == []
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert pg.locator(f"#{controlled}").is_visible()
        pg.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not pg.locator(f"#{controlled}").is_visible()
        assert pg.evaluate("document.activeElement.classList.contains('nav-toggle')")
        # a click elsewhere, or the focus leaving the header, closes it too
        toggle.click()
        pg.click(".result-count")
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        for _ in range(pg.locator("nav.site-nav a").count() + 1):
            pg.keyboard.press("Tab")
        assert toggle.get_attribute("aria-expanded") == "false"
        # on a wide screen the list shows and the button does not
        pg.set_viewport_size({"width": 1280, "height": 900})
        assert not toggle.is_visible()
        assert pg.locator(f"#{controlled}").is_visible()
    finally:
        context.close()


def listing_row_cut_off(pg, names=("INPUT", "OUTPUT", "CONTEXT"), rows: int = 3) -> list[str]:
    """What of the first rows of the page's listing (name and the columns headed names) is not
    wholly on screen, without scrolling the table sideways."""
    table = pg.locator("table.listing").first
    heads = [t.strip() for t in table.locator("thead th").all_inner_texts()]
    want = [i for i, h in enumerate(heads) if h and h.split()[0].upper() in names]
    assert len(want) == len(names), heads
    cut = []
    for r in range(rows):
        row = table.locator("tbody tr:visible").nth(r)
        row.scroll_into_view_if_needed()
        pg.evaluate("document.querySelectorAll('.table-scroll').forEach(e => { e.scrollLeft = 0; })")
        cells = row.locator(":scope > :is(th, td)")
        for i in [0, *want]:
            cells.nth(i).evaluate("e => e.setAttribute('data-probe', '')")
        cut += [f"row {r + 1}: {text}" for text in off_screen(pg, "[data-probe]")]
        pg.evaluate("document.querySelectorAll('[data-probe]').forEach(e => e.removeAttribute('data-probe'))")
        for i in want:  # each header sits over its own column
            head, cell = table.locator("thead th").nth(i).bounding_box(), cells.nth(i).bounding_box()
            if abs(head["x"] - cell["x"]) >= 1:
                cut.append(f"row {r + 1}: {heads[i]} is not under its header")
    return cut


@pytest.mark.parametrize("kind", ["catalog", "provider", "collection", "pricing"])
def test_a_listing_row_shows_price_and_context_on_a_phone(browser, site, kind):
    context, pg = new_page(browser, 390, "light")
    try:
        pg.goto(site.url(PAGES[kind]))
        pg.wait_for_load_state("load")
        names = ("INPUT", "OUTPUT") + (() if kind == "pricing" else ("CONTEXT",))  # pricing: prices first
        assert listing_row_cut_off(pg, names) == [], kind
    finally:
        context.close()


def check_screenshot(pg, png: Path, scheme: str) -> None:
    """What a screenshot must show: the scheme's own background (read back from the PNG, at the
    page's left margin), every nav item on screen; on a phone, a listing row's prices and context."""
    data = __import__("base64").b64encode(png.read_bytes()).decode()
    pixel = pg.evaluate("""async (src) => {
        const img = new Image(); img.src = 'data:image/png;base64,' + src; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        return [...g.getImageData(3, Math.min(img.height - 1, 200), 1, 1).data].slice(0, 3);
    }""", data)
    body = pg.evaluate("getComputedStyle(document.body).backgroundColor")
    expected = [int(v) for v in body[body.index("(") + 1:body.index(")")].split(",")[:3]]
    assert max(abs(a - b) for a, b in zip(pixel, expected)) <= 2, (png.name, pixel, body)
    luminance = (0.2126 * pixel[0] + 0.7152 * pixel[1] + 0.0722 * pixel[2]) / 255
    assert (luminance > 0.85) if scheme == "light" else (luminance < 0.15), (png.name, scheme, pixel)
    if pg.viewport_size["width"] <= 400 and pg.locator("table.model-table").count():
        assert listing_row_cut_off(pg) == [], png.name
    assert nav_items_off_screen(pg) == [], png.name


# --- the 404 page -------------------------------------------------------------------------


def _nf_checks(pg, host: Host, depth_path: str) -> None:
    pg.goto(host.url(depth_path))
    pg.wait_for_load_state("load")
    # styled: the site's fonts and layout, not the browser's defaults
    assert pg.evaluate("getComputedStyle(document.querySelector('.not-found')).maxWidth") != "none"
    assert pg.evaluate("getComputedStyle(document.body).display") == "flex"
    hrefs = pg.eval_on_selector_all("main a[href], header a[href]", "as => as.map(a => a.href)")
    assert hrefs and all(h.startswith(host.url()) for h in hrefs), hrefs
    # every link leads to a real page of the site (not to the 404 again)
    for h in hrefs:
        if h.endswith(".txt"):
            continue
        r = pg.request.get(h)
        assert r.status == 200, h
    # the skip link stays on the page
    pg.keyboard.press("Tab")
    pg.keyboard.press("Enter")
    assert pg.url.startswith(host.url(depth_path))
    # the search lands on the catalog with the query
    pg.fill("#nf-q", "llama")
    pg.click(".search-form button[type=submit]")
    pg.wait_for_load_state("load")
    assert pg.url.startswith(host.url("?q=llama")) or pg.url.startswith(host.url("index.html?q=llama")), pg.url
    assert pg.locator("h1").first.text_content().strip() != "Page not found"


def test_404_works_at_any_depth_on_any_host(browser, site):
    context, pg = new_page(browser, 390, "light")
    try:
        _nf_checks(pg, site, "a/b/c/d/")
        _nf_checks(pg, site, "missing.html")
    finally:
        context.close()


@pytest.fixture(scope="module")
def sub_path_build(tmp_path_factory):
    """The project catalog built for https://org.github.io/catalog/."""
    project = tmp_path_factory.mktemp("subpath")
    shutil.copytree(built("project").parent / "catalog", project / "catalog")
    build(project, project / "site", base_url="https://org.github.io/catalog/")
    return project / "site"


def test_404_under_a_sub_path(browser, sub_path_build):
    host = Host(sub_path_build, prefix="/catalog/")
    context, pg = new_page(browser, 1280, "dark")
    try:
        _nf_checks(pg, host, "models/gone/")
    finally:
        context.close()
        host.close()


def test_404_of_a_sub_path_site_served_at_the_root(browser, sub_path_build):
    """As `modelcat serve` serves it: at "/", whatever the path of the site's URL."""
    host = Host(sub_path_build)
    context, pg = new_page(browser, 390, "light")
    try:
        _nf_checks(pg, host, "models/gone/")
    finally:
        context.close()
        host.close()

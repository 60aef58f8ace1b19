"""The model page: every section of the seed page, checked against the records, for every model.

Each built catalog (the contract's example, the rich catalog of tests/rich_catalog.py and the
project's own catalog/) is parsed with BeautifulSoup and compared with the resolved Site that
generator.catalog.load_catalog returns for the same input. tests/golden/model-page.html holds
the example's page byte for byte; `pytest --update-golden` rewrites it after an intended change.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import formats
from generator.catalog import load_catalog
from generator.render import markdown as md
from generator.site import CollectionEntry, ModelEntry, ProviderEntry, Site
from tests.builds import REPO, assert_golden, built
from tests.tools import THEME_BOOTSTRAP
from tests.rich_catalog import built_rich

GOLDEN_MODEL = "models/meta/llama-3.2-1b-instruct/index.html"
CATALOGS = ["example", "rich", "project"]


# --- helpers -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _catalog(name: str) -> tuple[Path, Site]:
    if name == "project" and not (REPO / "catalog" / "site.yaml").is_file():
        pytest.skip("the project catalog (catalog/) is not there yet")
    out = built_rich() if name == "rich" else built(name)
    site, _ = load_catalog(out.parent)
    return out, site


class Built(tuple):
    """(site folder, resolved Site) whose repr stays short in failure reports."""

    def __repr__(self) -> str:
        return f"Built({self[0]})"


@pytest.fixture(params=CATALOGS)
def cat(request) -> tuple[Path, Site]:
    return Built(_catalog(request.param))


@pytest.fixture(autouse=True)
def _short_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    # The resolved entries point at each other (model -> provider -> models -> ...): their
    # dataclass repr grows exponentially, and pytest reprs the values of a failing assert.
    for cls in (Site, ModelEntry, ProviderEntry, CollectionEntry):
        monkeypatch.setattr(cls, "__repr__", lambda self: f"<{type(self).__name__} {getattr(self, 'id', '')}>")


@functools.lru_cache(maxsize=None)
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def pages(cat) -> list[tuple[ModelEntry, BeautifulSoup, Path]]:
    """Return (model, parsed page, page file) for every model of a built catalog."""
    out, site = cat
    return [(m, _soup(out / m.path / "index.html"), out / m.path / "index.html") for m in site.models]


def text(node) -> str:
    """Return the text of node with whitespace folded (no space before closing punctuation)."""
    if node is None:
        return ""
    folded = " ".join(node.get_text(" ", strip=True).split())
    return re.sub(r"\( ", "(", re.sub(r" ([.,;:!?)])", r"\1", folded))


def spoken(node) -> str:
    """Return what a screen reader says for node: its text without aria-hidden parts."""
    node = BeautifulSoup(str(node), "lxml")
    for hidden in node.select('[aria-hidden="true"]'):
        hidden.decompose()
    return text(node)


def flat(s: str) -> str:
    return " ".join(s.split())


def resolve(page: Path, href: str) -> str:
    """Return the site path a relative href of page points to (query and fragment dropped)."""
    href = href.split("#", 1)[0].split("?", 1)[0]
    root = page
    while root.name != "site":
        root = root.parent
    folder = page.parent.relative_to(root).as_posix()
    return posixpath.normpath(posixpath.join(folder, href))


def site_file(path: str) -> str:
    """Return the file a site path is served from: folders hold index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def section(soup: BeautifulSoup, sid: str):
    node = soup.find(id=sid)
    assert node is not None, f"no section #{sid}"
    return node


def dl_pairs(dl) -> dict[str, str]:
    return {text(dt): spoken(dt.find_next_sibling("dd")) for dt in dl.find_all("dt")}


# Each price key and the row the pricing card gives it, in the card's order.
PRICE_LABELS = {"input": "Input", "output": "Output", "cached_input": "Cached input",
                "cache_write": "Cache write (5 min)", "cache_write_1h": "Cache write (1 hour)",
                "reasoning": "Reasoning", "input_audio": "Audio input", "output_audio": "Audio output",
                "per_request": "Request", "per_search": "Web search", "per_image": "Image",
                "per_second_audio": "Audio duration", "per_second_video": "Video duration"}


def per_m(value: float) -> str:
    return "Free" if value == 0 else f"{formats.price(value)} /1M"


def price_cell(value: float) -> str:
    return formats.price(value, "Free")


# --- structure and accessibility -------------------------------------------------------------

def test_one_h1_and_headings_in_order(cat):
    for m, soup, _ in pages(cat):
        h1 = soup.find_all("h1")
        assert [text(h) for h in h1] == [m.record.name], m.id
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1, m.id
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{m.id}: heading h{after} follows h{before}"


def test_landmarks_and_skip_link(cat):
    for m, soup, _ in pages(cat):
        assert len(soup.find_all("main")) == 1 and soup.main["id"] == "main"
        assert soup.find("a", class_="skip")["href"] == "#main"
        assert soup.find("header", class_="site-header") and soup.find("footer", class_="site-footer")
        labels = [n.get("aria-label") for n in soup.find_all("nav")]
        assert {"Main", "Breadcrumb", "On this page"} <= set(labels), m.id
        assert len(labels) == len(set(labels)), f"{m.id}: two navs share a label"


def test_images_inputs_tables_and_ids_are_labelled(cat):
    for m, soup, _ in pages(cat):
        for img in soup.find_all("img"):
            assert img.has_attr("alt"), f"{m.id}: <img> without alt"
        for field in soup.find_all(["input", "select", "textarea"]):
            fid = field.get("id")
            assert field.get("aria-label") or field.get("aria-labelledby") or \
                (fid and soup.find("label", attrs={"for": fid})), f"{m.id}: unlabelled {field}"
        for table in soup.find_all("table"):
            if table.find_parent(class_="prose"):
                continue  # the record's own Markdown: a plain header row is fine
            assert table.find("caption") or table.get("aria-label"), m.id
            for th in table.find_all("th"):
                assert th.get("scope") in ("col", "row"), f"{m.id}: <th> without scope: {th}"
        ids = [n["id"] for n in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), f"{m.id}: duplicate ids"
        for a in soup.find_all("a"):
            assert text(a) or a.get("aria-label"), f"{m.id}: empty link {a}"


def test_breadcrumb_and_provider(cat):
    for m, soup, page in pages(cat):
        crumbs = soup.find("nav", attrs={"aria-label": "Breadcrumb"})
        assert [text(li) for li in crumbs.find_all("li")] == ["Models", m.provider.name, m.record.name]
        links = crumbs.find_all("a")
        assert resolve(page, links[1]["href"]) == site_file(m.provider.path)
        eyebrow = soup.find(class_="eyebrow").a
        assert text(eyebrow) == m.provider.name and resolve(page, eyebrow["href"]) == site_file(m.provider.path)


def test_header_tags_and_actions(cat):
    out, site = cat
    playground = site.record.links.get("playground")
    for m, soup, page in pages(cat):
        head = soup.find("header", class_="model-head")
        tags = head.find("ul", attrs={"aria-label": "Modalities"})
        assert [text(li) for li in tags.find_all("li")] == list(m.modalities_all)
        buttons = {text(a): a["href"] for a in head.find(class_="actions").find_all("a")}
        assert buttons["Compare"].endswith("compare/index.html?models=" + m.id)
        assert resolve(page, buttons["Compare"]) == "compare/index.html"
        if playground:
            assert buttons["Playground →"] == playground.replace("{model}", m.id)
        else:
            assert "Playground →" not in buttons


def test_status_banner(cat):
    for m, soup, page in pages(cat):
        banner = soup.find(class_="banner")
        status, dep = m.record.status, m.record.deprecation
        if status == "active" and dep is None:
            assert banner is None, m.id
            continue
        main = soup.find("main")
        assert banner is next(c for c in main.children if getattr(c, "name", None)), "banner comes first"
        assert banner["role"] == "note"
        today = site_today(cat)
        if dep is not None and dep.date > today and status != "deprecated":
            assert "banner-warn" in banner["class"], m.id
            assert text(banner).startswith(f"Deprecation scheduled for {dep.date.isoformat()}."), m.id
        elif dep is not None and dep.shutdown is not None and dep.shutdown <= today:
            assert "banner-danger" in banner["class"]
            assert text(banner).startswith(f"Shut down since {dep.shutdown.isoformat()}."), m.id
        elif status == "preview" and dep is None:
            assert "banner-warn" in banner["class"] and text(banner).startswith("Preview.")
        else:
            assert "banner-danger" in banner["class"] and text(banner).startswith("Deprecated")
            if dep:
                assert dep.date.isoformat() in text(banner)
        if m.replacement:
            link = banner.find("a")
            assert text(link) == m.replacement.name
            assert resolve(page, link["href"]) == site_file(m.replacement.path)
            assert m.replacement.id in text(banner)


def site_today(cat):
    """The day lifecycle notices are relative to: SOURCE_DATE_EPOCH of the tests."""
    import datetime

    from tests.builds import TODAY_EPOCH

    return datetime.datetime.fromtimestamp(int(TODAY_EPOCH), datetime.timezone.utc).date()


def test_summary_description_and_overview(cat):
    for m, soup, page in pages(cat):
        assert text(soup.find("p", class_="lede")) == flat(m.record.summary)
        desc = soup.find(class_="model-description")
        if m.record.description:
            assert text(desc) == md.plain_text(m.record.description)
            assert desc.find("script") is None
        else:
            assert desc is None
        assert text(soup.find("p", class_="overview")) == flat(m.overview)
        chips = text(soup.find("ul", class_="chips"))
        assert f"model {m.id}" in chips
        if m.record.family:
            assert f"family {m.record.family}" in chips
        links = soup.find("ul", class_="chips").find_all("a")
        assert [(text(a), resolve(page, a["href"])) for a in links] == (
            [(m.base.name, site_file(m.base.path))] if m.base else []), m.id
        if m.base:
            assert f"version of {m.base.name}" in chips


def test_stat_strip(cat):
    for m, soup, _ in pages(cat):
        rec = m.record
        stats = soup.find("dl", class_="stats")
        got = dl_pairs(stats)
        usage = (f"{formats.count(rec.usage.tokens)} {formats.percent(m.share)} market share"
                 if rec.usage else "— not reported")
        assert got == {
            "Modalities": f"input: {', '.join(rec.modalities.input)}; output: {', '.join(rec.modalities.output)}",
            "Input": per_m(rec.pricing.input),
            "Output": per_m(rec.pricing.output) if rec.pricing.output is not None else "—",
            "Context": f"{formats.tokens(rec.limits.context)} tok",
            "Max output": f"{formats.tokens(rec.limits.max_output)} tok",
            "Usage": usage,
            "Released": (rec.released.isoformat() if hasattr(rec.released, "isoformat")
                         else rec.released or "— not published"),
        }, m.id


def test_seed_figures_of_the_example():
    out, site = _catalog("example")
    soup = _soup(out / GOLDEN_MODEL)
    got = dl_pairs(soup.find("dl", class_="stats"))
    assert (got["Input"], got["Output"], got["Context"], got["Max output"]) == \
        ("$0.015 /1M", "$0.030 /1M", "128K tok", "4K tok")
    assert got["Usage"].startswith("215.9M ") and got["Usage"].endswith("market share")
    assert got["Released"] == "2024-09-25"


def test_use_this_model(cat):
    out, site = cat
    base = site.api.base_url.rstrip("/")
    for m, soup, _ in pages(cat):
        use = section(soup, "use")
        assert text(use.find("h2")) == "Use this model"
        assert text(use.find("code", attrs={"data-copy": True})) == m.id
        curl = use.find("pre").get_text()
        assert curl.startswith(f"curl {base}/chat/completions")
        assert f"Bearer ${site.api.key_env}" in curl
        body = json.loads(re.search(r"-d '(.*)'", curl).group(1))
        assert body["model"] == m.id and body["stream"] is True


def test_capabilities_are_words_not_colours(cat):
    for m, soup, _ in pages(cat):
        caps = section(soup, "capabilities").find("dl", class_="caps")
        assert [(text(dt), spoken(dt.find_next_sibling("dd"))) for dt in caps.find_all("dt")] == \
            [(label, "Yes" if yes else "No") for _, label, yes in m.capabilities], m.id
        for glyph in caps.find_all(class_="glyph"):
            assert glyph["aria-hidden"] == "true"
        limits = dl_pairs(section(soup, "capabilities").find("dl", class_="kv"))
        assert limits == {"Context": f"{formats.number(m.record.limits.context)} tok",
                          "Max output": f"{formats.number(m.record.limits.max_output)} tok"}


def test_strengths_and_use_cases(cat):
    for m, soup, _ in pages(cat):
        for sid, items in (("strengths", m.record.strengths), ("use-cases", m.record.use_cases)):
            node = soup.find(id=sid)
            if not items:
                assert node is None
                continue
            assert [text(li) for li in node.find_all("li")] == list(items), m.id


def test_adoption(cat):
    out, site = cat
    for m, soup, page in pages(cat):
        node = section(soup, "adoption")
        board = next(a for a in node.find_all("a") if "leaderboard" in text(a))
        assert resolve(page, board["href"]) == "leaderboard/index.html"
        usage = m.record.usage
        if usage is None:
            assert "No usage reported" in text(node)
            continue
        body = text(node)
        assert f"{formats.count(usage.tokens)} tokens" in body
        if usage.requests is not None:
            assert f"{formats.count(usage.requests)} requests" in body
        assert f"{formats.percent(m.share)} of " in body
        as_of = usage.as_of or site.record.usage.as_of
        if as_of:
            assert f"(as of {as_of.isoformat()})" in body
        assert f"rank #{m.rank} of {len(site.leaderboard)}" in body


def test_pricing_table_and_fee(cat):
    out, site = cat
    fee = site.record.fee
    for m, soup, page in pages(cat):
        node = section(soup, "pricing")
        p = m.record.pricing
        rows = [(text(tr.th), text(tr.td)) for tr in node.find("tbody").find_all("tr")]
        expected = [(PRICE_LABELS[k], price_cell(getattr(p, k))) for k in PRICE_LABELS if getattr(p, k) is not None]
        if p.variants is not None:  # a variant may name a price the headline does not
            named = {k for v in (p.variants.batch, p.variants.flex, p.variants.priority) if v
                     for k in PRICE_LABELS if getattr(v, k) is not None}
            expected = [(PRICE_LABELS[k], price_cell(getattr(p, k)) if getattr(p, k) is not None else "—")
                        for k in PRICE_LABELS if getattr(p, k) is not None or k in named]
        assert rows == expected, m.id
        note = text(node.find("p", class_="note"))
        if fee.note:
            assert note == flat(fee.note)
        elif fee.percent:
            assert note == f"A {formats.number(fee.percent)}% platform fee applies."
        links = {text(a): a["href"] for a in node.find("ul", class_="link-row").find_all("a")}
        assert resolve(page, links["See usage ranking →"]) == "leaderboard/index.html"
        assert resolve(page, links["All model prices"]) == "pricing/index.html"
        if site.record.links.get("api_reference"):
            assert links["API reference"] == site.record.links["api_reference"]


def test_collections_more_from_provider_and_family(cat):
    for m, soup, page in pages(cat):
        node = section(soup, "collections")
        pills = [(text(a), resolve(page, a["href"])) for a in node.find("ul", class_="pills").find_all("a")]
        assert pills == [(f"{c.title} →", site_file(c.path)) for c in m.collections] + \
            [(f"More from {m.provider.name} →", site_file(m.provider.path))], m.id
        cards = node.find_all("ul", class_="mini-cards")
        groups = [m.more_from_provider] if m.more_from_provider else []
        if m.versions:
            groups.append(m.versions_shown)
        if m.family_siblings:
            groups.append(m.family_siblings[:12])
        assert len(cards) == len(groups)
        for ul, group in zip(cards, groups):
            got = [(text(li.find(class_="mini-id")), resolve(page, li.a["href"])) for li in ul.find_all("li")]
            assert got == [(o.id, site_file(o.path)) for o in group], m.id


def test_api_schema(cat):
    out, site = cat
    base = site.api.base_url.rstrip("/")
    for m, soup, _ in pages(cat):
        node = section(soup, "api")
        assert text(node.find("h2")) == "API schema"
        assert text(node.find(class_="section-lede")) == f"Call {m.record.name} from any OpenAI SDK."
        endpoint = dl_pairs(node.find("dl", class_="endpoint"))
        key = f"{site.api.key_prefix}..." if site.api.key_prefix else f"${site.api.key_env}"
        assert endpoint == {"Endpoint": f"POST {base}/chat/completions", "Content-Type": "application/json",
                            "Auth": f"Authorization: Bearer {key}"}
        assert [text(h) for h in node.find_all("h3")] == ["Request body", "Response", "Streaming (SSE)"]
        request, response, stream = [pre.get_text() for pre in node.find_all("pre")]
        body = json.loads(request)
        ex = site.api.example_request
        assert body["model"] == m.id and body["stream"] is False
        assert body["messages"][-1] == {"role": "user", "content": ex.user}
        assert (body["temperature"], body["top_p"], body["max_tokens"]) == (ex.temperature, ex.top_p, ex.max_tokens)
        reply = json.loads(response)
        assert reply["model"] == m.id and reply["object"] == "chat.completion"
        lines = [ln for ln in stream.splitlines() if ln.startswith("data: ")]
        assert lines[-1] == "data: [DONE]" and stream.rstrip().endswith("data: [DONE]")
        chunks = [json.loads(ln[6:]) for ln in lines[:-1]]
        assert chunks and all(c["model"] == m.id for c in chunks)
        assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_quickstart_tabs_without_js_show_every_panel(cat):
    out, site = cat
    base = site.api.base_url.rstrip("/")
    for m, soup, _ in pages(cat):
        tabs = section(soup, "quickstart").find(attrs={"data-tabs": True})
        panels = tabs.find_all("div", class_="tab-panel", recursive=False)
        assert [text(p.find("h3")) for p in panels] == ["curl", "Python", "JavaScript"]
        for panel in panels:
            assert not panel.has_attr("hidden")
            plain, streaming = [pre.get_text() for pre in panel.find_all("pre")]
            assert [text(t) for t in panel.find_all(class_="code-title")] == ["Complete response", "Streaming"]
            for code in (plain, streaming):
                assert m.id in code and base in code, (m.id, text(panel.h3))
            assert re.search(r'"stream":\s*true|stream=True|stream: true', streaming)
            assert not re.search(r'"stream":\s*true|stream=True|stream: true', plain)


def test_errors_table_equals_site_yaml(cat):
    out, site = cat
    for m, soup, _ in pages(cat):
        table = section(soup, "errors").find("table")
        assert [text(th) for th in table.thead.find_all("th")] == ["Status", "Type", "Meaning", "Retryable", "Header"]
        rows = []
        for tr in table.tbody.find_all("tr"):
            cells = [tr.th] + tr.find_all("td")
            rows.append(tuple(spoken(c) for c in cells))
        assert rows == [(str(e.status), e.type, e.message, "Yes" if e.retryable else "No",
                         e.header if e.header else "none") for e in site.record.errors], m.id


def test_docs_api_reference_openapi_llms_and_markdown_links(cat):
    out, site = cat
    links = site.record.links
    for m, soup, page in pages(cat):
        node = section(soup, "resources")
        got = {text(a): a["href"] for a in node.find_all("a")}
        assert resolve(page, got["OpenAPI spec →"]) == "openapi.json"
        assert resolve(page, got["llms.txt →"]) == "llms.txt"
        assert resolve(page, got["This page as Markdown →"]) == m.md_path
        assert resolve(page, got["Model JSON →"]) == m.json_path
        if links.get("docs"):
            assert got["Full docs →"] == links["docs"]
        if links.get("api_reference"):
            assert got["API reference →"] == links["api_reference"]
        for url in m.record.links.values():
            assert url in got.values()
        twin = soup.find("link", attrs={"rel": "alternate", "type": "text/markdown"})
        assert resolve(page, twin["href"]) == m.md_path


def test_faq_follows_the_record(cat):
    for m, soup, _ in pages(cat):
        items = section(soup, "faq").find_all("details")
        assert [(text(d.summary), text(d.find("div"))) for d in items] == \
            [(flat(f.q), md.plain_text(f.a)) for f in m.faq], m.id
        answers = {text(d.summary): text(d.find("div")) for d in items}
        name = m.record.name
        flags = answers[f"Does {name} support streaming, tool calling, vision, and JSON mode?"]
        for _, label, yes in m.capabilities:
            assert f"{label} — {'yes' if yes else 'no'}" in flags
        byok = answers[f"Can I bring my own {m.provider.name} API key (BYOK)?"]
        assert byok.startswith("Yes." if m.provider.byok else "No.")
        deprecated = f"Is {name} deprecated?"
        assert (deprecated in answers) == (m.record.status == "deprecated" or m.record.deprecation is not None)
        if m.replacement:
            assert m.replacement.id in answers[deprecated]


def test_json_ld_parses_and_matches_the_faq(cat):
    out, site = cat
    for m, soup, _ in pages(cat):
        blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
        kinds = {b["@type"]: b for b in blocks}
        assert set(kinds) == {"FAQPage", "BreadcrumbList"}
        faq = kinds["FAQPage"]["mainEntity"]
        assert [(q["name"], q["acceptedAnswer"]["text"]) for q in faq] == \
            [(f.q, md.plain_text(f.a)) for f in m.faq]
        crumbs = kinds["BreadcrumbList"]["itemListElement"]
        assert [c["name"] for c in crumbs] == ["Models", m.provider.name, m.record.name]
        assert crumbs[-1]["item"] == site.absolute(m.path)


def test_on_this_page_points_at_sections(cat):
    for m, soup, _ in pages(cat):
        toc = soup.find("nav", attrs={"aria-label": "On this page"})
        for a in toc.find_all("a"):
            target = soup.find(id=a["href"][1:])
            assert target is not None and target.name == "section", (m.id, a["href"])


def test_every_internal_link_resolves(cat):
    out, site = cat
    for m, soup, page in pages(cat):
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for node in soup.find_all(tag, attrs={attr: True}):
                ref = node[attr]
                if ref.startswith(("http://", "https://", "#", "mailto:")):
                    continue
                target = resolve(page, ref)
                if target.endswith(".html") or target.startswith("assets/"):
                    assert (out / target).is_file(), f"{m.id}: {ref} -> {target} is missing"


def test_hostile_names_and_descriptions_are_inert():
    out, site = _catalog("rich")
    soup = _soup(out / "models/acme/vision-pro/index.html")
    assert text(soup.find("h1")) == "Vision Pro <beta>"
    assert soup.find("beta") is None
    scripts = soup.find_all("script")
    assert all(s.get("type") == "application/ld+json" or s.get("src") or s.string == THEME_BOOTSTRAP
               for s in scripts)
    assert sum(s.string == THEME_BOOTSTRAP for s in scripts) == 1
    llama = _soup(out / "models/meta/llama-3.3-70b-instruct/index.html")
    assert "alert(1)" not in str(llama.find(class_="model-description"))


# --- theme budget ----------------------------------------------------------------------------

THEME = REPO / "generator" / "templates" / "assets"
UNCOLOURED = {"w", "n", "p", "o", "x"}  # whitespace, plain names, punctuation, operators: the base colour


def test_css_and_js_budget():
    own_css = sum((THEME / "css" / f).stat().st_size for f in ("00-base.css", "10-model.css"))
    assert own_css < 30_000
    assert (THEME / "js" / "site.js").stat().st_size < 6_500  # with the phone menu
    css = (THEME / "css" / "00-base.css").read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme: dark)" in css and "prefers-reduced-motion" in css
    assert ":focus-visible" in css and "@import" not in css and "url(http" not in css


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


TEXT_ON = [("fg", "bg"), ("fg-muted", "bg"), ("fg-muted", "bg-soft"), ("fg-muted", "bg-muted"),
           ("accent-text", "bg"), ("accent-text", "bg-soft"), ("accent-text", "accent-soft"),
           ("accent-fg", "accent"), ("ok", "bg"), ("ok", "ok-soft"), ("warn", "bg"), ("warn", "warn-soft"),
           ("danger", "bg"), ("danger", "danger-soft"), ("code-fg", "code-bg")] + \
    [(f"tk-{t}", "code-bg") for t in ("comment", "keyword", "string", "number", "name", "tag", "builtin", "var",
                                      "escape")]


def test_colour_tokens_meet_wcag_aa_in_both_schemes():
    css = (THEME / "css" / "00-base.css").read_text(encoding="utf-8")
    start = css.index("@media (prefers-color-scheme: dark)")
    light = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", css[:start]))
    dark = dict(light, **dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", css[start:css.index("}\n}", start)])))
    low = [(scheme, fg, bg, round(_contrast(v[fg], v[bg]), 2))
           for scheme, v in (("light", light), ("dark", dark)) for fg, bg in TEXT_ON
           if _contrast(v[fg], v[bg]) < 4.5]
    assert low == []


def test_every_pygments_class_of_the_snippets_has_a_colour():
    out, site = _catalog("rich")
    css = (THEME / "css" / "00-base.css").read_text(encoding="utf-8")
    coloured = set(re.findall(r"pre \.([a-z0-9]+)\b", css))
    soup = _soup(out / "models/meta/llama-3.3-70b-instruct/index.html")
    used = {c for span in soup.select("pre span[class]") for c in span["class"]}
    assert used - UNCOLOURED - coloured == set()


# --- golden file -----------------------------------------------------------------------------

GOLDEN_FILES = {  # golden file -> built file of the example's model
    "model-page.html": GOLDEN_MODEL,
    "model-page.md": GOLDEN_MODEL.replace("/index.html", ".md"),
    "model-page.json": GOLDEN_MODEL.replace("/index.html", ".json"),
}


@pytest.mark.parametrize("golden", sorted(GOLDEN_FILES))
def test_golden_model_page(request, golden):
    assert_golden(request, built("example") / GOLDEN_FILES[golden], golden, "the example's model page")


# --- behaviour in a browser (copy buttons, tabs, keyboard) -------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")
def test_tabs_and_copy_buttons_in_a_browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    out, site = _catalog("rich")
    url = (out / "models/meta/llama-3.3-70b-instruct/index.html").as_uri()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url)
            tabs = page.locator("[role=tablist] [role=tab]")
            assert tabs.all_text_contents() == ["curl", "Python", "JavaScript"]
            assert page.get_attribute("[role=tablist]", "aria-label") == "Quickstart language"
            state = lambda: page.eval_on_selector_all(  # noqa: E731
                "[role=tabpanel]", "ps => ps.map(p => p.hidden)")
            assert state() == [False, True, True]
            tabs.nth(0).focus()
            page.keyboard.press("ArrowRight")
            assert state() == [True, False, True]
            assert page.evaluate("document.activeElement.getAttribute('aria-selected')") == "true"
            page.keyboard.press("ArrowLeft")
            page.keyboard.press("ArrowLeft")  # wraps to the last tab
            assert state() == [True, True, False]
            page.keyboard.press("Home")
            assert state() == [False, True, True]
            for i in range(3):
                tab = tabs.nth(i)
                panel = page.locator("#" + tab.get_attribute("aria-controls"))
                assert panel.get_attribute("aria-labelledby") == tab.get_attribute("id")
                assert tab.get_attribute("tabindex") == ("0" if i == 0 else "-1")
            assert page.locator("main pre").count() == page.locator("main pre ~ .copy, .code-head .copy").count()
            assert page.locator(".model-id .copy").count() == 1
            assert errors == []
        finally:
            browser.close()

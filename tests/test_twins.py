"""Markdown and JSON twins: every figure equals the record's, links resolve, HTML pages name them.

Figures are compared with what the record says (through the same formats functions the
pages use); JSON twins are validated against the published schema/model.json with
jsonschema; hostile record text must not add headings, raw HTML or open code fences.
"""

from __future__ import annotations

import json
import posixpath
import re

import jsonschema
import markdown as markdown_lib
import pytest
from bs4 import BeautifulSoup

from tests.builds import built
from tests.machine_catalog import built_machine

from generator import formats
from generator.build import listing_outputs, model_outputs, site_producers
from generator.catalog import load_catalog
from generator.render import markdown as md
from generator.render.context import RenderContext
from generator.render.mdtext import blocks
from generator.render.pages import listing_views
from generator.render.snippets import make_snippets
from generator.site import PAGE_SIZE, reader_order

SITES = {"example": lambda: built("example"), "project": lambda: built("project"), "machine": built_machine}
MODEL_SECTIONS = {"Stats", "Description", "Pricing", "Use this model", "Quickstart", "Capabilities", "Strengths",
                  "Use cases", "Related", "API schema", "Errors", "FAQ", "Links"}


# Each price key: its label in the twin and its unit (the record's documented units).
PRICES = {"input": ("Input", "1M tokens"), "output": ("Output", "1M tokens"),
          "cached_input": ("Cached input", "1M tokens"), "cache_write": ("Cache write (5 min)", "1M tokens"),
          "cache_write_1h": ("Cache write (1 hour)", "1M tokens"), "reasoning": ("Reasoning", "1M tokens"),
          "input_audio": ("Audio input", "1M tokens"), "output_audio": ("Audio output", "1M tokens"),
          "per_request": ("Request", "request"), "per_search": ("Web search", "search"),
          "per_image": ("Image", "image"), "per_second_audio": ("Audio duration", "second"),
          "per_second_video": ("Video duration", "second")}


def load(name: str):
    site_dir = SITES[name]()
    site, _ = load_catalog(site_dir.parent)
    return site_dir, site


def after_pointer(text: str, site) -> str:
    """Return a twin's text after the llms.txt pointer it must open with."""
    first, rest = text.split("\n\n", 1)
    assert first.startswith("> ") and f"]({site.absolute('llms.txt')})" in first, first
    return rest


def outside_code(text: str) -> list[str]:
    return [line for in_code, line in blocks(text) if not in_code]


def stats_table(text: str) -> dict[str, str]:
    section = text.split("\n## Stats\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Field")]
    table = {}
    for row in rows:
        key, value = re.match(r"^\| (.+?) \| (.*) \|$", row).groups()
        table[key] = value
    return table


def bullets(text: str, heading: str) -> list[str]:
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in section.splitlines() if line.startswith("- ")]


def code_under(text: str, heading: str, lang: str) -> str:
    m = re.search(rf"^{re.escape(heading)}\n(?:(?!#|`).*\n)*?(`{{3,}}){lang}\n([\s\S]*?)\n\1$", text, re.M)
    assert m, (heading, lang)
    return m.group(2)


@pytest.mark.parametrize("name", SITES)
def test_model_markdown_figures_equal_the_record(name):
    site_dir, site = load(name)
    snippets = make_snippets(site.record, site.build_date)
    for m in site.models:
        rec = m.record
        text = after_pointer((site_dir / m.md_path).read_text(encoding="utf-8"), site)
        assert text.splitlines()[0] == f"# {md.inline_text(rec.name)}"
        stats = stats_table(text)
        assert stats["Model id"] == f"`{m.id}`"
        assert stats["Provider"] == md.table_cell(m.provider.name)
        for key, (label, unit) in PRICES.items():  # every price kind the record names, with its unit
            value = getattr(rec.pricing, key)
            assert stats.get(f"{label} price") == (None if value is None
                                                   else f"{formats.price(value)} / {unit}"), (m.id, key)
        assert stats["Context window"] == f"{rec.limits.context:,} tokens"
        assert stats["Max output"] == f"{rec.limits.max_output:,} tokens"
        assert stats["Input modalities"] == ", ".join(rec.modalities.input)
        assert stats["Output modalities"] == ", ".join(rec.modalities.output)
        assert stats["Released"] == (rec.released.isoformat() if hasattr(rec.released, "isoformat")
                                     else rec.released or "not published")
        assert stats["Kind"] == rec.kind
        assert stats["Status"] == rec.status
        if rec.usage:
            assert stats["Usage"].startswith(f"{rec.usage.tokens:,} tokens")
            assert stats["Market share"] == formats.percent(m.share)
            assert stats["Leaderboard rank"] == str(m.rank)
        else:
            assert "Usage" not in stats and "Market share" not in stats
        prices = bullets(text, "Pricing")
        assert prices == [f"{label}: {formats.price(getattr(rec.pricing, key))} / {unit}"
                          for key, (label, unit) in PRICES.items() if getattr(rec.pricing, key) is not None]
        caps = bullets(text, "Capabilities")
        assert caps[:7] == [f"{label}: {'yes' if yes else 'no'}" for _, label, yes in m.capabilities]
        assert all(getattr(rec.capabilities, key) == yes for key, _, yes in m.capabilities)
        if rec.strengths:
            assert bullets(text, "Strengths") == [md.inline_text(s) for s in rec.strengths]
        faq = [line[4:] for line in outside_code(text) if line.startswith("### ")]
        assert [md.inline_text(f.q) for f in m.faq] == faq[-len(m.faq):]
        assert code_under(text, "## Use this model", "bash") == snippets["use"].text(m.id)
        assert code_under(text, "### Python", "python") == snippets["python"].text(m.id)
        assert code_under(text, "### JavaScript", "javascript") == snippets["js"].text(m.id)
        assert code_under(text, "### Request body", "json") == snippets["request"].text(m.id)
        assert code_under(text, "### Streaming (SSE)", "text") == snippets["stream"].text(m.id)
        errors = [line for line in text.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0].splitlines()
                  if re.match(r"^\| \d{3} ", line)]
        assert [int(row.split(" | ")[0][2:]) for row in errors] == [e.status for e in site.record.errors]


@pytest.mark.parametrize("name", SITES)
def test_model_markdown_structure_holds_against_record_text(name):
    site_dir, site = load(name)
    for m in site.models:
        text = (site_dir / m.md_path).read_text(encoding="utf-8")
        still_open: list = []
        lines = [line for in_code, line in blocks(text, still_open) if not in_code]
        assert still_open == [None], f"{m.md_path}: a code fence is left open"
        assert lines[0].startswith("> ") and lines[1] == ""  # the llms.txt pointer, then the title
        assert [line for line in lines if line.startswith("# ")] == [lines[2]]
        sections = [line[3:] for line in lines if line.startswith("## ")]
        assert set(sections) <= MODEL_SECTIONS and len(sections) == len(set(sections)), sections
        for line in lines:  # no raw HTML outside code: an unescaped "<" opens only an autolink
            prose = re.sub(r"`+[^`]*`+", "", line)
            for tag in re.finditer(r"(?<!\\)<(?=[A-Za-z/!?])", prose):
                assert re.match(r"<(https?://|mailto:)[^<>\s]*>", prose[tag.start():]), (m.md_path, line)
        # a real Markdown reader sees one h1 and only the twin's own h2s
        soup = BeautifulSoup(markdown_lib.markdown(text, extensions=["fenced_code", "tables"]), "html.parser")
        assert len(soup.find_all("h1")) == 1
        assert {h.get_text() for h in soup.find_all("h2")} <= MODEL_SECTIONS
        assert soup.find("script") is None and soup.find("img") is None


def test_hostile_description_is_defused_and_rebased():
    site_dir, site = load("machine")
    text = (site_dir / "models/evil/bad-model.md").read_text(encoding="utf-8")
    description = text.split("\n## Description\n", 1)[1].split("\n## ", 1)[0]
    assert "Intro  text." in description  # the raw <img> is dropped, as on the HTML page; its text stays
    assert "img" not in description and "onerror" not in description
    assert "### Top" in description  # "# Top" shifted below the twin's sections
    # written for models/evil/bad-model/, made absolute
    assert f"[pricing]({site.absolute('pricing/')})" in description
    assert "```\nunclosed &lt;b>" not in description and "```\nunclosed <b>\n```" in description


@pytest.mark.parametrize("name", SITES)
def test_markdown_twins_links_resolve(name):
    """Every link of every twin is absolute (a twin is read away from the site); those into the site resolve."""
    site_dir, site = load(name)
    twins = [p for p in site_dir.rglob("*.md")]
    assert twins
    for twin in twins:
        for in_code, line in blocks(twin.read_text(encoding="utf-8")):
            if in_code:
                continue
            for target in re.findall(r"\]\(([^)\s]+)\)", re.sub(r"`+[^`]*`+", "", line)):
                if target.startswith(("#", "mailto:")):
                    continue
                assert re.match(r"^<?https?://", target), f"{twin.relative_to(site_dir)}: {target}"
                path = target[len(site.url):].split("#")[0].split("?")[0]
                # a link into the site resolves (not those to site.yaml's pages, under the same host)
                if target.startswith(site.url) and (path == "" or path.endswith(("/", ".md", ".json", ".txt", ".html"))):
                    path = path + "index.html" if path == "" or path.endswith("/") else path
                    assert (site_dir / path).is_file(), f"{twin.relative_to(site_dir)}: {target}"


@pytest.mark.parametrize("name", SITES)
def test_provider_markdown_links_each_model(name):
    site_dir, site = load(name)
    for p in site.providers:
        text = after_pointer((site_dir / p.md_path).read_text(encoding="utf-8"), site)
        assert text.startswith(f"# {md.inline_text(p.name)} models on ")
        links = re.findall(r"^\| \[.*\]\(([^)]+)\) \| `([^`]+)` \| (\S+) \| (\S+) \|", text, re.M)
        shown = reader_order(p.models)[:PAGE_SIZE]  # the first page, in the HTML page's order
        assert [(target, mid) for target, mid, _, _ in links] == [(site.absolute(m.md_path), m.id) for m in shown]
        for (_, _, pin, pout), m in zip(links, shown):
            assert (pin, pout) == (formats.price(m.record.pricing.input), formats.price(m.record.pricing.output))


def test_docs_twins_carry_the_source_under_a_title():
    site_dir, site = load("machine")
    for d in site.docs:
        text = after_pointer((site_dir / "docs" / f"{d.id}.md").read_text(encoding="utf-8"), site)
        first = text.splitlines()[0]
        assert first.startswith("# ") and d.title.split("[")[0].strip() in first
    assert (f"See the [pricing]({site.absolute('pricing/')}) and the "
            f"[billing page]({site.absolute('docs/billing/')}).") in \
        (site_dir / "docs" / "quickstart.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SITES)
def test_json_twins_equal_records_and_match_the_published_schema(name):
    site_dir, site = load(name)
    schema = json.loads((site_dir / "schema" / "model.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    listed = json.loads((site_dir / "api" / "models.json").read_text(encoding="utf-8"))
    assert listed["object"] == "list" and [d["id"] for d in listed["data"]] == [m.id for m in site.models]
    assert listed["schema_version"] == 3
    for m, from_list in zip(site.models, listed["data"]):
        doc = json.loads((site_dir / m.json_path).read_text(encoding="utf-8"))
        assert doc == from_list
        errors = [e.message for e in validator.iter_errors(doc)]
        assert errors == [], (m.id, errors)
        for key, value in m.record.model_dump(mode="json").items():
            assert doc[key] == value, (m.id, key)
        assert doc["pricing"]["input"] == m.record.pricing.input
        assert doc["limits"]["context"] == m.record.limits.context
        assert (doc["share"], doc["rank"]) == (m.share, m.rank)
        assert doc["collections"] == [c.id for c in m.collections]
        assert doc["provider"] == {"id": m.provider.id, "name": m.provider.name, "url": m.provider.url}
        assert (doc["object"], doc["owned_by"]) == ("model", m.provider_id)
        assert doc["schema_version"] == 3
        assert doc["lifecycle"] == m.lifecycle
        assert [t["above"] for t in doc["prices"]["tiers"]] == [t.above for t in m.record.pricing.tiers]
        assert sorted(o["host"] + (o["region"] or "") for o in doc["prices"]["offers"]) == \
            sorted(o.host + (o.region or "") for o in m.record.offers)
        assert doc["urls"] == {"html": site.absolute(m.path), "md": site.absolute(m.md_path),
                               "json": site.absolute(m.json_path)}
    bad = dict(listed["data"][0], surprise=1)
    assert list(validator.iter_errors(bad)), "the schema must refuse unknown keys"


@pytest.mark.parametrize("name", SITES)
def test_html_pages_name_their_markdown_twin(name):
    site_dir, site = load(name)
    expected = {m.path + "index.html": m.md_path for m in site.models}
    expected.update({p.path + "index.html": p.md_path for p in site.providers})
    expected.update({d.path + "index.html": f"docs/{d.id}.md" for d in site.docs})
    for page in site_dir.rglob("*.html"):
        rel = page.relative_to(site_dir).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = soup.find_all("link", rel="alternate", type="text/markdown")
        if rel in expected:
            assert len(links) == 1, rel
        for link in links:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), link["href"]))
            assert (site_dir / target).is_file(), (rel, link["href"])
            if rel in expected:
                assert target == expected[rel]


def test_every_output_is_byte_identical_across_renders():
    site_dir = built_machine()
    site, _ = load_catalog(site_dir.parent)
    ctx = RenderContext.create(site_dir.parent, site)

    def render():
        per_model = [o for m in site.models for o in model_outputs(ctx, m)]
        per_page = [o for v in listing_views(ctx) for o in listing_outputs(ctx, v)]
        return [(o.path, o.data) for o in per_model + per_page + [o for _, produce in site_producers()
                                                                  for o in produce(ctx)]]

    first = render()
    assert first == render()
    assert {path: data for path, data in first} == {
        path: (site_dir / path).read_bytes() for path, _ in first}
    rendered = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*")
                if p.is_file() and p.parts[len(site_dir.parts)] not in ("assets", ".modelcat-site")}
    assert rendered == {path for path, _ in first}  # the producers are every file but the copied assets

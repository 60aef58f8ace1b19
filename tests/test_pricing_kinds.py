"""Prices as real price lists state them, and the lifecycle, in every output a reader decides by.

One tiny catalog (conftest.valid_files() plus three models) is built once: a chat model with every
price kind, two context tiers, three service variants, three upstream offers and a scheduled
deprecation with a shutdown; an embedding model with no output price and no release date; and a
model whose shutdown is past. Each figure is checked, with hand-worked values, on the model page
(parsed HTML), in its `.md` and `.json` twins, in api/models.json and in llms.txt. The lifecycle
is relative to the build day (SOURCE_DATE_EPOCH, 2026-06-01 in tests). tests/golden/pricing-model.*
hold the rich model's outputs byte for byte (`pytest --update-golden tests/test_pricing_kinds.py`).
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import make_project, valid_files
from generator.build import build
from generator.catalog import load_catalog
from tests.builds import REPO, TODAY_EPOCH, assert_golden

RICH = """\
id: meta/rich-1
name: Rich One
summary: A chat model billed the way real price lists bill.
kind: chat
released: 2025-03
modalities:
  input: [text, audio]
  output: [text, audio]
pricing:
  input: 2.5
  output: 10.0
  cached_input: 1.25
  cache_write: 3.75
  cache_write_1h: 6.0
  reasoning: 12.0
  input_audio: 40.0
  output_audio: 80.0
  per_request: 0.001
  per_search: 0.025
  per_image: 0.04
  per_second_audio: 0.006
  per_second_video: 0.1
  tiers:
    - {above: 128000, input: 5.0, cached_input: 2.5}
    - {above: 256000, output: 20.0}
  variants:
    batch: {input: 1.25, output: 5.0}
    flex: {input: 1.5}
    priority: {input: 4.25, output: 17.0, per_search: 0.05}
limits:
  context: 400000
  max_output: 32000
deprecation:
  date: 2027-01-14
  shutdown: 2027-04-14
  replacement: meta/llama-3.2-1b-instruct
offers:
  - {host: meta, pricing: {input: 2.5, output: 10.0}, default: true}
  - {host: azure, region: eu, pricing: {input: 2.75, output: 11.0}, limits: {context: 128000, max_output: 16384}}
  - {host: cheapcloud, pricing: {input: 2.0, output: 8.0}}
"""

EMBED = """\
id: meta/embed-1
name: Embed One
summary: An embedding model, billed for input only.
kind: embedding
modalities:
  input: [text]
  output: [text]
pricing:
  input: 0.02
limits:
  context: 8192
  max_output: 1
"""

OLD = """\
id: meta/old-1
name: Old One
summary: A model that has been shut down.
released: 2023-05-01
modalities:
  input: [text]
  output: [text]
pricing:
  input: 1.0
  output: 2.0
limits:
  context: 8192
  max_output: 2048
status: deprecated
deprecation:
  date: 2025-01-01
  shutdown: 2025-06-01
  replacement: meta/llama-3.2-1b-instruct
"""

FILES = {**valid_files(), "models/meta/rich-1.yaml": RICH, "models/meta/embed-1.yaml": EMBED,
         "models/meta/old-1.yaml": OLD}
GOLDEN_FILES = {"pricing-model.html": "models/meta/rich-1/index.html",
                "pricing-model.md": "models/meta/rich-1.md", "pricing-model.json": "models/meta/rich-1.json"}


@functools.lru_cache(maxsize=None)
def site_dir() -> Path:
    """Build the catalog once per session, on the tests' build day."""
    scratch = Path(tempfile.mkdtemp(prefix="modelcat-pricing-"))
    atexit.register(shutil.rmtree, scratch, True)
    project = make_project(scratch, FILES)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = TODAY_EPOCH
    try:
        build(project, project / "site")
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return project / "site"


def page(model: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir() / f"models/{model}/index.html").read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    """The text of node, whitespace folded, no space before closing punctuation or after "("."""
    if node is None:
        return ""
    folded = " ".join(node.get_text(" ", strip=True).split())
    return re.sub(r"\( ", "(", re.sub(r" ([.,;:!?)])", r"\1", folded))


def rows(table) -> list[list[str]]:
    return [[text(c) for c in tr.find_all(["th", "td"])] for tr in table.find("tbody").find_all("tr")]


def twin(model: str, suffix: str) -> str:
    return (site_dir() / f"models/{model}.{suffix}").read_text(encoding="utf-8")


def md_section(doc: str, heading: str) -> str:
    return doc.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


# --- the page ------------------------------------------------------------------------------------

def test_pricing_card_lists_every_price_kind_with_its_unit_and_the_variants_beside_it():
    card = page("meta/rich-1").find(id="pricing")
    table = card.find("table", class_="price-table")
    assert [text(th) for th in table.find("thead").find_all("th")] == \
        ["Price", "Standard", "Batch", "Flex", "Priority", "Per"]
    assert rows(table) == [
        ["Input", "$2.50", "$1.25", "$1.50", "$4.25", "1M tokens"],
        ["Output", "$10.00", "$5.00", "—", "$17.00", "1M tokens"],
        ["Cached input", "$1.25", "—", "—", "—", "1M tokens"],
        ["Cache write (5 min)", "$3.75", "—", "—", "—", "1M tokens"],
        ["Cache write (1 hour)", "$6.00", "—", "—", "—", "1M tokens"],
        ["Reasoning", "$12.00", "—", "—", "—", "1M tokens"],
        ["Audio input", "$40.00", "—", "—", "—", "1M tokens"],
        ["Audio output", "$80.00", "—", "—", "—", "1M tokens"],
        ["Request", "$0.001", "—", "—", "—", "request"],
        ["Web search", "$0.025", "—", "—", "$0.050", "search"],
        ["Image", "$0.040", "—", "—", "—", "image"],
        ["Audio duration", "$0.006", "—", "—", "—", "second"],
        ["Video duration", "$0.100", "—", "—", "—", "second"],
    ]
    # the fee of site.yaml is one note beside every price, never folded into one
    assert text(card.find("p", class_="note")) == "You pay pass-through; 5% applied at credit top-up, not per call."


def test_tiers_are_a_small_table_carrying_unchanged_prices_up():
    tiers = page("meta/rich-1").find("table", class_="price-tiers")
    assert [text(th) for th in tiers.find("thead").find_all("th")] == ["Prompt", "Input", "Output", "Cached input"]
    assert rows(tiers) == [
        ["up to 128,000 tokens", "$2.50", "$10.00", "$1.25"],
        ["over 128,000 tokens", "$5.00", "$10.00", "$2.50"],
        ["over 256,000 tokens", "$5.00", "$20.00", "$2.50"],
    ]
    assert page("meta/embed-1").find("table", class_="price-tiers") is None


def test_offers_side_by_side_cheapest_first_with_the_default_as_headline():
    offers = page("meta/rich-1").find("table", class_="price-offers")
    assert rows(offers) == [
        ["cheapcloud", "$2.00", "$8.00", "400K", "32K"],
        ["meta headline", "$2.50", "$10.00", "400K", "32K"],
        ["azure eu", "$2.75", "$11.00", "128K", "16K"],
    ]
    assert page("meta/llama-3.2-1b-instruct").find("table", class_="price-offers") is None


def test_scheduled_deprecation_shows_before_the_day():
    soup = page("meta/rich-1")
    banner = soup.find(class_="banner")
    assert "banner-warn" in banner["class"]
    assert text(banner) == ("Deprecation scheduled for 2027-01-14. It stops answering on 2027-04-14. "
                            "Plan a move to Llama-3.2-1b-Instruct (meta/llama-3.2-1b-instruct), its replacement.")
    chips = text(soup.find("ul", class_="chips"))
    assert "deprecation scheduled 2027-01-14" in chips and "shutdown 2027-04-14" in chips


def test_past_shutdown_shows_as_shut_down():
    banner = page("meta/old-1").find(class_="banner")
    assert "banner-danger" in banner["class"]
    assert text(banner).startswith("Shut down since 2025-06-01. Move to Llama-3.2-1b-Instruct")


def test_unknown_release_and_missing_output_price_are_not_invented():
    soup = page("meta/embed-1")
    stats = {text(dt): text(dt.find_next_sibling("dd")) for dt in soup.find("dl", class_="stats").find_all("dt")}
    assert (stats["Released"], stats["Output"]) == ("— not published", "—")
    assert "kind embedding" in text(soup.find("ul", class_="chips"))
    rows_ = rows(soup.find("table", class_="price-table"))
    assert rows_ == [["Input", "$0.020", "1M tokens"]]
    month = page("meta/rich-1").find("dl", class_="stats")
    assert text(month.find("dt", string="Released").find_next_sibling("dd")) == "2025-03"


def test_faq_cost_answer_states_each_price_kind_tier_variant_and_host():
    faq = {text(d.summary): text(d.find("div")) for d in page("meta/rich-1").find(id="faq").find_all("details")}
    cost = faq["How much does Rich One cost via AIgateway?"]
    assert cost.startswith("Input costs $2.50 per 1M tokens; output costs $10.00 per 1M tokens. "
                           "Cached input costs $1.25 per 1M tokens.")
    for part in ("Web search costs $0.025 per search.", "Image costs $0.040 per image.",
                 "Audio duration costs $0.006 per second.", "Cache write (1 hour) costs $6.00 per 1M tokens.",
                 "Above 128,000 prompt tokens: input $5.00, cached input $2.50 per 1M tokens. "
                 "Above 256,000 prompt tokens: output $20.00 per 1M tokens.",
                 "Batch: input $1.25 per 1M tokens, output $5.00 per 1M tokens.",
                 "offered by 3 hosts; the cheapest is cheapcloud at $2.00 input"):
        assert part in cost, part
    assert cost.endswith("You pay pass-through; 5% applied at credit top-up, not per call.")
    assert faq["Is Rich One deprecated?"] == ("Not yet: Rich One is scheduled to be deprecated on 2027-01-14; it "
                                              "stops answering on 2027-04-14; move to Llama-3.2-1b-Instruct "
                                              "(meta/llama-3.2-1b-instruct).")


# --- the twins, api/models.json and llms.txt ------------------------------------------------------

def test_markdown_twin_states_prices_tiers_variants_hosts_and_lifecycle():
    doc = twin("meta/rich-1", "md")
    notice = re.search(r"^> \*\*Deprecation scheduled\*\* for 2027-01-14\. It stops answering on 2027-04-14\..*\n\n",
                       doc, re.M)
    assert notice, "the notice is its own block quote, a blank line before the overview"
    pricing = md_section(doc, "Pricing")
    assert "- Web search: $0.025 / search\n- Image: $0.040 / image\n- Audio duration: $0.006 / second\n" in pricing
    assert ("| Prompt | Input | Output | Cached input |\n|---|---|---|---|\n"
            "| up to 128,000 tokens | $2.50 | $10.00 | $1.25 |\n"
            "| over 128,000 tokens | $5.00 | $10.00 | $2.50 |\n"
            "| over 256,000 tokens | $5.00 | $20.00 | $2.50 |\n") in pricing
    assert "| Price | Standard | Batch | Flex | Priority | Per |\n" in pricing
    assert "| Web search | $0.025 | — | — | $0.050 | search |\n" in pricing
    hosts = pricing.split("| Host | Region |", 1)[1]
    assert re.findall(r"^\| (\S+)(?: \(headline\))? \| (\S+) \| \$", hosts, re.M) == \
        [("cheapcloud", "—"), ("meta", "—"), ("azure", "eu")]
    assert pricing.rstrip().endswith("You pay pass-through; 5% applied at credit top-up, not per call.")
    stats = md_section(doc, "Stats")
    assert "| Released | 2025-03 |" in stats and "| Shutdown | 2027-04-14 |" in stats
    assert "| Deprecation scheduled | 2027-01-14 |" in stats
    assert "| Released | not published |" in md_section(twin("meta/embed-1", "md"), "Stats")


def test_json_twin_and_api_models_carry_schema_version_lifecycle_and_derived_prices():
    doc = json.loads(twin("meta/rich-1", "json"))
    listed = json.loads((site_dir() / "api/models.json").read_text(encoding="utf-8"))
    assert listed["schema_version"] == 3
    assert {d["id"]: d for d in listed["data"]}["meta/rich-1"] == doc
    assert doc["schema_version"] == 3
    assert doc["kind"] == "chat" and doc["released"] == "2025-03"
    assert doc["created"] == 1740787200  # 2025-03-01 00:00 UTC: a month-only release counts from its first day
    assert doc["pricing"]["per_search"] == 0.025 and doc["pricing"]["variants"]["flex"]["input"] == 1.5
    assert doc["deprecation"] == {"date": "2027-01-14", "shutdown": "2027-04-14",
                                  "replacement": "meta/llama-3.2-1b-instruct"}
    assert doc["lifecycle"] == "scheduled"
    assert doc["prices"]["tiers"] == [
        {"above": 128000, "prices": {"input": 5.0, "output": 10.0, "cached_input": 2.5, "cache_write": 3.75,
                                     "cache_write_1h": 6.0, "reasoning": 12.0, "input_audio": 40.0,
                                     "output_audio": 80.0}},
        {"above": 256000, "prices": {"input": 5.0, "output": 20.0, "cached_input": 2.5, "cache_write": 3.75,
                                     "cache_write_1h": 6.0, "reasoning": 12.0, "input_audio": 40.0,
                                     "output_audio": 80.0}},
    ]
    assert [(o["host"], o["region"], o["headline"], o["context"]) for o in doc["prices"]["offers"]] == \
        [("cheapcloud", None, False, 400000), ("meta", None, True, 400000), ("azure", "eu", False, 128000)]
    assert doc["prices"]["fee_note"] == "You pay pass-through; 5% applied at credit top-up, not per call."
    embed = json.loads(twin("meta/embed-1", "json"))
    assert (embed["created"], embed["released"], embed["pricing"]["output"], embed["kind"]) == \
        (None, None, None, "embedding")
    assert json.loads(twin("meta/old-1", "json"))["lifecycle"] == "shut_down"
    assert json.loads(twin("meta/llama-3.2-1b-instruct", "json"))["lifecycle"] == "active"


def test_llms_txt_notes_tiers_and_the_scheduled_deprecation():
    llms = (site_dir() / "llms.txt").read_text(encoding="utf-8")
    line = next(ln for ln in llms.splitlines() if "/models/meta/rich-1.md" in ln)
    assert line.endswith(": $2.50 input, $10.00 output per 1M tokens (more above 128K); 400K context; "
                         "deprecation scheduled 2027-01-14")
    embed = next(ln for ln in llms.splitlines() if "/models/meta/embed-1.md" in ln)
    assert embed.endswith(": $0.020 input per 1M tokens; 8K context")
    full = (site_dir() / "llms-full.txt").read_text(encoding="utf-8")
    entry = full.split("### Rich One\n", 1)[1].split("\n### ", 1)[0]
    assert ("web search $0.025 per search" in entry and "; above 128,000 prompt tokens: input $5.00, cached input $2.50; above 256,000 prompt tokens: "
            "output $20.00;" in entry
            and "; batch: input $1.25, output $5.00" in entry and "3 hosts, cheapest cheapcloud" in entry)
    assert "- status: active (deprecation scheduled 2027-01-14, shutdown 2027-04-14, use " in entry
    assert "- released: 2025-03" in entry


# --- the lifecycle moves with the build day --------------------------------------------------------

@pytest.mark.parametrize("day, state", [
    ("2027-01-13", "scheduled"), ("2027-01-14", "deprecated"), ("2027-04-13", "deprecated"),
    ("2027-04-14", "shut_down"),
])
def test_lifecycle_is_relative_to_the_build_day(tmp_path, monkeypatch, day, state):
    import datetime

    epoch = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.timezone.utc).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    site, warnings = load_catalog(make_project(tmp_path, FILES))
    assert site.models_by_id["meta/rich-1"].lifecycle == state
    said = [w.format() for w in warnings if "rich-1" in w.path]
    # past the day while the status still says active: a warning in words, at the date
    assert said == ([] if state == "scheduled" else [
        "catalog/models/meta/rich-1.yaml:34:9: warning: deprecation.date: deprecated since 2027-01-14 but "
        "status is active; set status: deprecated"])


# --- golden files of the rich model ---------------------------------------------------------------

@pytest.mark.parametrize("golden", sorted(GOLDEN_FILES))
def test_golden_pricing_model(request, golden):
    assert_golden(request, site_dir() / GOLDEN_FILES[golden], golden, "the rich model's output")


def test_feed_dates_models_by_a_known_release_only():
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(site_dir() / "feed.xml").getroot()
    dated = {e.findtext(f"{atom}title"): e.findtext(f"{atom}updated") for e in root.findall(f"{atom}entry")}
    assert dated["Rich One"] == "2025-03-01T00:00:00Z"  # a month-only release: its first day
    assert "Embed One" not in dated  # no release date: no invented one


# --- the example project catalog uses every kind (issue 2.5) ------------------------------------------

def test_example_catalog_uses_every_price_kind_a_shutdown_and_non_chat_models():
    from generator.records import schema

    project_site, _ = load_catalog(REPO)
    records = [m.record for m in project_site.models]
    used = {k for r in records for k in schema.PRICE_KEYS if getattr(r.pricing, k) is not None}
    assert used == set(schema.PRICE_KEYS), sorted(set(schema.PRICE_KEYS) - used)
    assert any(r.pricing.tiers for r in records)
    assert {v for r in records if r.pricing.variants for v in schema.VARIANTS
            if getattr(r.pricing.variants, v) is not None} == set(schema.VARIANTS)
    assert any(r.deprecation and r.deprecation.shutdown for r in records)
    assert any(r.offers for r in records)
    assert {"chat", "rerank", "speech", "transcription", "video", "image"} <= {r.kind for r in records}
    assert any(r.pricing.output is None for r in records)  # a speech model bills audio, not output
    assert any(isinstance(r.released, str) for r in records) and any(r.released is None for r in records)


def test_search_index_carries_tiers_and_variants_for_the_calculator():
    from generator.render.data import INDEX_FIELDS, search_index

    project_site, _ = load_catalog(REPO)
    index = search_index(project_site)
    assert index["fields"][:18] == ["id", "name", "provider", "family", "input", "output", "caps", "price_in",
                                    "price_out", "cached_in", "cache_write", "context", "max_output", "usage",
                                    "released", "status", "collections", "kind"]  # old positions stay
    at = {f: i for i, f in enumerate(INDEX_FIELDS)}
    rows = {row[at["id"]]: row for row in index["models"]}
    pro = rows["google/gemini-2.5-pro"]
    assert pro[at["tiers"]] == [[200000, 2.5, 15.0]]
    assert pro[at["variants"]] == {"batch": [0.625, 5.0], "flex": [0.625, 5.0], "priority": [2.25, 18.0]}
    plain = rows["cohere/command-r7b-12-2024"]
    assert plain[at["tiers"]] == [] and plain[at["variants"]] == {}

"""The resolved catalog: every derived figure, against values worked out by hand.

The example model's overview and FAQ are compared with the seed page's own text
(shared/seed-model-page.txt), the page this product was born from, quoted below.
"""

from __future__ import annotations

import datetime
import shutil

import pytest

from conftest import EXAMPLE, MODEL_PATH, PROVIDER_YAML, make_project, valid_files
from generator.build import build
from generator.catalog import load_catalog
from generator.records.load import load_records
from generator.site import MORE_FROM_PROVIDER, VERSIONS_SHOWN, ModelRef, build_site

# The seed page's own text (shared/seed-model-page.txt), quoted verbatim.
SEED_OVERVIEW = (
    "Llama-3.2-1b-Instruct (meta/llama-3.2-1b-instruct) is a text model from Meta, released "
    "2024-09-25. Context window: 128,000 tokens; max output 4,096. Pricing via AIgateway: input "
    "$0.015/M tokens, output $0.030/M tokens. Capabilities: streaming. Call it via "
    "https://api.aigateway.sh/v1/chat/completions with the OpenAI SDK — set "
    'model="meta/llama-3.2-1b-instruct". Best for: Chatbots, Content generation, Agentic workflows.')
SEED_FAQ = {
    "What is Llama-3.2-1b-Instruct?":
        ("The Llama 3.2 instruction-tuned text only models are optimized for multilingual dialogue use "
         "cases, including agentic retrieval and summarization tasks. It is a text model from Meta, "
         "accessible via AIgateway's OpenAI-compatible API at slug meta/llama-3.2-1b-instruct."),
    "What is the context window of Llama-3.2-1b-Instruct?":
        "128,000 tokens. Maximum output is 4,096 tokens.",
    "How do I call Llama-3.2-1b-Instruct from my code?":
        ("Point the OpenAI SDK at https://api.aigateway.sh/v1 with your AIgateway key and set model to "
         '"meta/llama-3.2-1b-instruct". The request and response shapes match OpenAI exactly.'),
    "Does Llama-3.2-1b-Instruct support streaming, tool calling, vision, and JSON mode?":
        "Streaming — yes. Tool calling — no. Vision — no. JSON mode — no. Prompt caching — no.",
    "What are the best use cases for Llama-3.2-1b-Instruct?":
        ("Chatbots, Content generation, Agentic workflows. Key strengths: General-purpose chat; Long "
         "context; Tool use."),
    "Can I bring my own Meta API key (BYOK)?":
        ("Yes. Attach a Meta key in your AIgateway dashboard and this model flips to pass-through — you "
         "pay Meta directly and AIgateway waives the 5% platform fee on those calls."),
}
LLAMA = "meta/llama-3.2-1b-instruct"


def model_yaml(mid: str, *, family: str | None = None, tokens: int | None = None, vision: bool = False,
               tool_calling: bool = False, extra: str = "", released: str = "2025-01-15") -> str:
    """Return a small valid model record."""
    lines = [f"id: {mid}", f"name: {mid.split('/')[1].title()}"]
    if family:
        lines.append(f"family: {family}")
    lines += [
        f"summary: The {mid} model.",
        f"released: {released}",
        f"modalities: {{input: [text{', image' if vision else ''}], output: [text]}}",
        "pricing: {input: 1, output: 2}",
        "limits: {context: 32000, max_output: 8000}",
        f"capabilities: {{streaming: true, vision: {str(vision).lower()}, "
        f"tool_calling: {str(tool_calling).lower()}}}",
    ]
    if tokens is not None:
        lines.append(f"usage: {{tokens: {tokens}, as_of: 2026-05-01}}")
    return "\n".join(lines) + "\n" + extra


def catalog_files(tracked: int | None = None) -> dict[str, str]:
    """Return a catalog of two providers and five models, with hand-countable figures."""
    files = valid_files()  # meta/llama-3.2-1b-instruct: 215,900,000 tokens, family "Llama 3"
    if tracked is not None:
        files["site.yaml"] = files["site.yaml"].replace(
            "# usage:                  #", f"usage: {{tracked_tokens: {tracked}, as_of: 2026-05-30}}\n#")
    files["providers/acme.yaml"] = "id: acme\nname: Acme AI\ndescription: Makers of Foo.\nbyok: false\n"
    files["models/meta/llama-3.1-8b.yaml"] = model_yaml("meta/llama-3.1-8b", family="Llama 3", tokens=100_000_000)
    files["models/meta/llama-guard.yaml"] = model_yaml("meta/llama-guard")
    files["models/acme/foo-1.yaml"] = model_yaml("acme/foo-1", tokens=50_000_000, vision=True, tool_calling=True,
                                                 extra="tags: [frontier]\n", released="2026-03-01")
    files["models/acme/old.yaml"] = model_yaml(
        "acme/old", tokens=100_000_000,
        extra="status: deprecated\ndeprecation: {date: 2026-02-01, replacement: acme/foo-1}\n"
              "faq:\n  - {q: Why retire it?, a: '**Foo 1** is better.'}\n")
    files["collections.yaml"] += (
        "- id: vision\n  title: Vision models\n  where: {capability: vision}\n"
        "- id: frontier\n  title: Frontier\n  where: {tag: frontier, provider: acme}\n"
        "- id: llama\n  title: Everything Meta\n  where: {provider: meta}\n")
    return files


@pytest.fixture
def site(tmp_path):
    resolved, warnings = load_catalog(make_project(tmp_path, catalog_files()))
    assert warnings == []
    return resolved


def ids(entries) -> list[str]:
    return [e.id for e in entries]


# --- market share and rank ---------------------------------------------------------

def test_market_share_divides_by_the_catalog_total_without_tracked_tokens(site):
    total = 215_900_000 + 100_000_000 + 100_000_000 + 50_000_000
    assert site.market_tokens == total
    assert site.models_by_id[LLAMA].share == pytest.approx(215_900_000 / total)
    assert site.models_by_id["acme/foo-1"].share == pytest.approx(50_000_000 / total)
    assert site.models_by_id["meta/llama-guard"].share is None
    assert sum(m.share or 0 for m in site.models) == pytest.approx(1)


def test_market_share_divides_by_tracked_tokens(tmp_path):
    site, _ = load_catalog(make_project(tmp_path, catalog_files(tracked=1_000_000_000_000)))
    assert site.market_tokens == 1_000_000_000_000
    assert site.models_by_id[LLAMA].share == pytest.approx(0.0002159)
    assert site.models_by_id["meta/llama-3.1-8b"].share == pytest.approx(0.0001)


def test_leaderboard_ranks_by_tokens_then_id(site):
    assert ids(site.leaderboard) == [LLAMA, "acme/old", "meta/llama-3.1-8b", "acme/foo-1"]
    assert [site.models_by_id[m].rank for m in ids(site.leaderboard)] == [1, 2, 3, 4]
    assert site.models_by_id["meta/llama-guard"].rank is None


# --- collections, siblings, replacement ----------------------------------------------

def test_collection_membership(site):
    by_id = {c.id: c for c in site.collections}
    assert ids(site.collections) == ["text", "vision", "frontier", "llama"]  # as listed
    assert ids(by_id["text"].models) == sorted(site.models_by_id)
    assert ids(by_id["vision"].models) == ["acme/foo-1"]
    assert ids(by_id["frontier"].models) == ["acme/foo-1"]
    assert ids(by_id["llama"].models) == ["meta/llama-3.1-8b", LLAMA, "meta/llama-guard"]
    assert ids(site.models_by_id["acme/foo-1"].collections) == ["text", "vision", "frontier"]
    assert ids(site.models_by_id[LLAMA].collections) == ["text", "llama"]
    assert by_id["vision"].path == "collections/vision/"


def test_providers_hold_their_models(site):
    assert ids(site.providers) == ["acme", "meta"]
    assert ids(site.providers_by_id["acme"].models) == ["acme/foo-1", "acme/old"]
    assert ids(site.providers_by_id["meta"].models) == ["meta/llama-3.1-8b", LLAMA, "meta/llama-guard"]
    # a model's entry holds a copy of what its outputs show of its provider, not the provider's entry
    ref, acme = site.models_by_id["acme/foo-1"].provider, site.providers_by_id["acme"]
    assert (ref.id, ref.name, ref.url, ref.byok, ref.path, ref.model_count) == (
        acme.id, acme.name, acme.url, acme.byok, acme.path, len(acme.models))
    acme = site.providers_by_id["acme"]
    assert (acme.path, acme.md_path, acme.llms_path) == ("providers/acme/", "providers/acme.md",
                                                          "providers/acme/llms.txt")


def test_more_from_provider_by_usage_then_id(site):
    assert ids(site.models_by_id["meta/llama-guard"].more_from_provider) == [LLAMA, "meta/llama-3.1-8b"]
    assert ids(site.models_by_id[LLAMA].more_from_provider) == ["meta/llama-3.1-8b", "meta/llama-guard"]
    assert ids(site.models_by_id["acme/foo-1"].more_from_provider) == ["acme/old"]


def test_more_from_provider_is_capped(tmp_path):
    files = valid_files()
    for i in range(MORE_FROM_PROVIDER + 3):
        files[f"models/meta/m{i}.yaml"] = model_yaml(f"meta/m{i}", tokens=i * 1000)
    site, _ = load_catalog(make_project(tmp_path, files))
    more = ids(site.models_by_id["meta/m0"].more_from_provider)
    assert more == [LLAMA, "meta/m8", "meta/m7", "meta/m6", "meta/m5", "meta/m4"]
    assert len(more) == MORE_FROM_PROVIDER


def test_family_siblings(site):
    assert ids(site.models_by_id[LLAMA].family_siblings) == ["meta/llama-3.1-8b"]
    assert ids(site.models_by_id["meta/llama-3.1-8b"].family_siblings) == [LLAMA]
    assert site.models_by_id["meta/llama-guard"].family_siblings == ()


def test_replacement_is_resolved(site):
    old = site.models_by_id["acme/old"]
    new = site.models_by_id["acme/foo-1"]
    assert old.replacement == ModelRef(new.id, new.name, new.path, new.md_path, new.record.pricing.input,
                                       new.record.limits.context)
    assert site.models_by_id["acme/foo-1"].replacement is None


def test_base_and_versions_are_resolved(tmp_path):
    files = catalog_files()
    for mid in ("meta/llama-3.2-1b-instruct-2025", "meta/llama-3.2-1b-instruct-2024"):
        files[f"models/{mid}.yaml"] = model_yaml(mid, extra=f"base_model: {LLAMA}\n")
    resolved, _ = load_catalog(make_project(tmp_path, files))
    base = resolved.models_by_id[LLAMA]
    assert ids(base.versions) == ["meta/llama-3.2-1b-instruct-2024", "meta/llama-3.2-1b-instruct-2025"]
    assert base.base is None
    version = resolved.models_by_id["meta/llama-3.2-1b-instruct-2024"]
    assert version.base.id == base.id and version.base.name == base.name and version.versions == ()


def test_a_page_lists_a_bounded_number_of_versions(tmp_path):
    files = catalog_files()
    many = [f"meta/llama-v{i:02}" for i in range(VERSIONS_SHOWN + 1)]
    for mid in many:
        files[f"models/{mid}.yaml"] = model_yaml(mid, extra=f"base_model: {LLAMA}\n")
    project = make_project(tmp_path, files)
    base = load_catalog(project)[0].models_by_id[LLAMA]
    assert ids(base.versions) == many
    assert ids(base.versions_shown) == many[:VERSIONS_SHOWN]
    build(project, project / "site")
    html = (project / "site" / base.path / "index.html").read_text(encoding="utf-8")
    listed = html.split('<h3 id="versions">')[1].split("</ul>")[0]
    assert listed.count('<span class="mini-id">') == VERSIONS_SHOWN
    assert 'and 1 more, all listed in the <a href="../llama-3.2-1b-instruct.json">JSON</a>.' in html
    assert "And 1 more, all listed in the [JSON](" in (project / "site" / base.md_path).read_text(encoding="utf-8")


# --- order, paths and dates ----------------------------------------------------------

def test_models_are_sorted_by_id_whatever_the_file_order(site):
    assert ids(site.models) == sorted(site.models_by_id) == list(site.models_by_id)
    # newest first; equal dates in a fixed (reversed id) order
    assert ids(site.newest) == ["acme/foo-1", "meta/llama-guard", "meta/llama-3.1-8b", "acme/old", LLAMA]


def test_two_loads_resolve_identically(tmp_path):
    first, _ = load_catalog(make_project(tmp_path / "a", catalog_files()))
    second, _ = load_catalog(make_project(tmp_path / "b", dict(reversed(list(catalog_files().items())))))

    def figures(site):
        return [(m.id, m.share, m.rank, ids(m.collections), ids(m.more_from_provider), ids(m.family_siblings),
                 m.overview, [(f.q, f.a) for f in m.faq]) for m in site.models]

    assert figures(first) == figures(second)


def test_model_paths(site):
    m = site.models_by_id[LLAMA]
    assert (m.provider_id, m.slug) == ("meta", "llama-3.2-1b-instruct")
    assert (m.path, m.md_path, m.json_path) == ("models/meta/llama-3.2-1b-instruct/",
                                                "models/meta/llama-3.2-1b-instruct.md",
                                                "models/meta/llama-3.2-1b-instruct.json")


def test_url_comes_from_site_yaml_or_the_override(tmp_path):
    project = make_project(tmp_path, valid_files())
    site, _ = load_catalog(project)
    assert site.url == "https://aigateway.sh/"
    assert site.absolute("models/meta/x/") == "https://aigateway.sh/models/meta/x/"
    records = load_records(project)
    assert build_site(records, "https://org.github.io/catalog").url == "https://org.github.io/catalog/"


def test_build_date_comes_from_source_date_epoch_else_the_data(site, tmp_path, monkeypatch):
    assert site.build_date == datetime.date(2026, 6, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    records = load_records(make_project(tmp_path, catalog_files()))
    resolved = build_site(records)
    assert resolved.build_date == datetime.date(2026, 5, 30)  # the newest usage.as_of
    assert resolved.models_by_id["acme/old"].lastmod == datetime.date(2026, 5, 1)


# --- generated text --------------------------------------------------------------

def test_capabilities_are_all_seven_in_order(site):
    caps = site.models_by_id["acme/foo-1"].capabilities
    assert [(k, yes) for k, _, yes in caps] == [
        ("streaming", True), ("tool_calling", True), ("vision", True), ("json_mode", False),
        ("prompt_caching", False), ("reasoning", False), ("structured_output", False)]
    assert site.models_by_id["acme/foo-1"].modalities_all == ("text", "image")


def test_faq_answers_follow_the_capability_flags(site):
    def answer(mid, start):
        return next(f.a for f in site.models_by_id[mid].faq if f.q.startswith(start))

    assert answer("acme/foo-1", "Does Foo-1 support") == (
        "Streaming — yes. Tool calling — yes. Vision — yes. JSON mode — no. Prompt caching — no. "
        "Reasoning — no. Structured output — no.")
    assert answer("meta/llama-guard", "Does Llama-Guard support") == (
        "Streaming — yes. Tool calling — no. Vision — no. JSON mode — no. Prompt caching — no. "
        "Reasoning — no. Structured output — no.")
    assert answer("acme/foo-1", "What is Foo-1?") == (
        "The acme/foo-1 model. It is a text and image model from Acme AI, accessible via AIgateway's "
        "OpenAI-compatible API at slug acme/foo-1.")
    assert answer("acme/foo-1", "Can I bring my own Acme AI API key") == (
        "No. AIgateway serves Foo-1 with its own Acme AI account; you pay through your AIgateway balance.")


def test_faq_for_a_deprecated_model_and_its_own_questions(site):
    faq = site.models_by_id["acme/old"].faq
    assert [(f.q, f.generated) for f in faq[-2:]] == [("Is Old deprecated?", True), ("Why retire it?", False)]
    assert faq[-2].a == "Yes, Old is deprecated as of 2026-02-01; move to Foo-1 (acme/foo-1)."
    assert faq[-1].a == "**Foo 1** is better."
    assert not any(f.q.startswith("What are the best use cases") for f in faq)  # none given
    assert not any(f.q.startswith("Is ") for f in site.models_by_id["acme/foo-1"].faq)


def test_overview_of_a_model_with_several_capabilities(site):
    assert site.models_by_id["acme/foo-1"].overview == (
        "Foo-1 (acme/foo-1) is a text and image model from Acme AI, released 2026-03-01. Context window: "
        "32,000 tokens; max output 8,000. Pricing via AIgateway: input $1.00/M tokens, output $2.00/M tokens. "
        "Capabilities: streaming, tool calling, vision. Call it via "
        "https://api.aigateway.sh/v1/chat/completions with the OpenAI SDK — set model=\"acme/foo-1\".")


# --- the example model against the seed page ---------------------------------------

@pytest.fixture
def example(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "catalog")
    site, _ = load_catalog(tmp_path)
    return site.models_by_id[LLAMA]


def test_overview_matches_the_seed_page(example):
    assert example.overview == SEED_OVERVIEW


@pytest.mark.parametrize("question", [q for q in SEED_FAQ if not q.startswith("Does ")])
def test_faq_answer_matches_the_seed_page(example, question):
    assert next(f.a for f in example.faq if f.q == question) == SEED_FAQ[question]


def test_faq_capability_answer_extends_the_seed_page(example):
    """The seed lists the five flags its record typed; ours lists all seven (missing = false)."""
    question = "Does Llama-3.2-1b-Instruct support streaming, tool calling, vision, and JSON mode?"
    ours = next(f.a for f in example.faq if f.q == question)
    assert ours == SEED_FAQ[question] + " Reasoning — no. Structured output — no."


def test_faq_cost_answer_uses_the_fee_note(example):
    question = "How much does Llama-3.2-1b-Instruct cost via AIgateway?"
    assert next(f.a for f in example.faq if f.q == question) == (
        "Input costs $0.015 per 1M tokens; output costs $0.030 per 1M tokens. "
        "You pay pass-through; 5% applied at credit top-up, not per call.")


def test_faq_cost_answer_without_a_note_names_the_percent(tmp_path):
    files = valid_files()
    files["site.yaml"] = files["site.yaml"].replace(
        "  note: You pay pass-through; 5% applied at credit top-up, not per call.\n", "")
    files["providers/meta.yaml"] = PROVIDER_YAML.replace("byok: true", "byok: false")
    files[MODEL_PATH] = files[MODEL_PATH].replace("  output: 0.030", "  output: 0.030\n  cached_input: 0.0075")
    site, _ = load_catalog(make_project(tmp_path, files))
    faq = {f.q: f.a for f in site.models_by_id[LLAMA].faq}
    assert faq["How much does Llama-3.2-1b-Instruct cost via AIgateway?"] == (
        "Input costs $0.015 per 1M tokens; output costs $0.030 per 1M tokens. "
        "Cached input costs $0.0075 per 1M tokens. A 5% platform fee applies.")
    assert faq["Can I bring my own Meta API key (BYOK)?"].startswith("No. AIgateway serves")


def test_docs_pages_are_ordered_and_titled(tmp_path):
    files = valid_files()
    files["docs/quickstart.md"] = "---\ntitle: Quickstart\norder: 1\n---\n# Start here\n"
    files["docs/errors.md"] = "# Errors and retries\n\nText.\n"
    files["docs/auth.md"] = "---\norder: 2\ndescription: Keys.\n---\nNo heading.\n"
    site, _ = load_catalog(make_project(tmp_path, files))
    assert [(d.id, d.title, d.order, d.path) for d in site.docs] == [
        ("quickstart", "Quickstart", 1, "docs/quickstart/"),
        ("auth", "auth", 2, "docs/auth/"),
        ("errors", "Errors and retries", 1000, "docs/errors/"),
    ]
    assert site.docs[0].body == "# Start here\n"


def test_entries_have_a_short_repr(site):
    """Entries point at each other; a failing assert that shows one must not expand the graph."""
    assert repr(site.models_by_id[LLAMA]) == "<ModelEntry meta/llama-3.2-1b-instruct>"
    assert repr(site.providers_by_id["acme"]) == "<ProviderEntry acme>"
    assert repr(site.collections[0]) == "<CollectionEntry text>"
    assert len(repr(site)) < 20_000

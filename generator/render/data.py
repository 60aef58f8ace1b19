"""JSON for programs: models/<p>/<slug>.json, api/models.json, api/index.json and the JSON Schema schema/model.json.

A model document is the record exactly as validated (`model_dump(mode="json")`)
plus the figures the resolver derived: provider, market share, rank, versions,
collection ids and absolute URLs, and the OpenAI model-object fields (`object`,
`created`, `owned_by`) so that api/models.json has the shape of the gateway's
`GET /models`. Everything is serialised by json.dumps from the resolved
catalog, keys sorted, never templated. ModelDocument below is the published
schema of that shape; tests/test_twins.py validates every document against it.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import urls
from ..records import schema
from .context import RenderContext
from ..site import ModelEntry, Site, reader_order
from ..write import Output

SCHEMA_PATH = urls.MODEL_SCHEMA
# The shape of a model document: raised whenever a key is added, renamed or changes meaning.
# 2: kind, month releases, price tiers, variants, per-unit prices, offers, lifecycle, derived prices.
# 3: base_model, and the derived versions.
SCHEMA_VERSION = 3
MODELS_PATH = urls.API_MODELS
INDEX_PATH = urls.API_INDEX
INDEX_FIELDS = ("id", "name", "provider", "family", "input", "output", "caps", "price_in", "price_out",
                "cached_in", "cache_write", "context", "max_output", "usage", "released", "status", "collections",
                "kind", "tiers", "variants")


class ProviderRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    url: str | None = Field(description="the provider's website")


class ModelUrls(BaseModel):
    model_config = ConfigDict(extra="forbid")
    html: str = Field(description="absolute URL of the model page")
    md: str = Field(description="absolute URL of the page as Markdown")
    json_: str = Field(alias="json", description="absolute URL of this document")


class TierPrices(BaseModel):
    model_config = ConfigDict(extra="forbid")
    above: int = Field(description="prompts over this many tokens")
    prices: dict[str, float] = Field(description="every token price in force above it, USD per 1M tokens")


class OfferPrices(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: str
    region: str | None
    input: float
    output: float | None
    context: int
    max_output: int
    headline: bool = Field(description="the offer whose prices are the model's headline prices")


class DerivedPricing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tiers: list[TierPrices] = Field(description="pricing.tiers with every price resolved, smallest first")
    offers: list[OfferPrices] = Field(description="the offers, cheapest first (input + output)")
    fee_note: str = Field(description="site.yaml's platform fee: a note beside every price, never added in")


class HistoryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: str = Field(description="the commit's date, YYYY-MM-DD (UTC)")
    commit: str = Field(description="the commit's full sha")
    changes: dict[str, list] = Field(description='changed facts: {"<field path>": [old, new]}; {} when added')


class ModelDocument(schema.ModelRecord):
    """A model of the catalog as published: its record plus derived figures."""

    # every key is always written (model_dump includes defaults), so the schema requires them
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    schema_version: int = Field(description="version of this document's shape")
    object: Literal["model"] = Field(description='always "model" (the OpenAI model object)')
    created: int | None = Field(description="release date as a Unix timestamp (00:00 UTC; a month-only "
                                            "release: its first day); null when unknown")
    lifecycle: Literal["active", "preview", "scheduled", "deprecated", "shut_down"] = Field(
        description="state on the build day: scheduled = a deprecation is announced for a later day")
    prices: DerivedPricing
    owned_by: str = Field(description="provider id")
    provider: ProviderRef
    share: Annotated[float, Field(ge=0)] | None = Field(
        description="share of tracked market volume, 0..1; null without usage figures")
    rank: Annotated[int, Field(ge=1)] | None = Field(description="leaderboard rank by usage tokens, 1-based")
    collections: list[str] = Field(description="ids of the collections the model belongs to")
    versions: list[str] = Field(description="ids of the models whose base_model is this one, sorted")
    urls: ModelUrls
    history: list[HistoryEntry] = Field(description="commits that changed its facts, oldest first (CONTRACT.md "
                                                     "section 4); [] without the catalog's git history")


def model_schema(ref_template: str = "#/$defs/{model}") -> dict:
    """Return the JSON Schema (draft 2020-12) of a model document.

    A document is a full model_dump, defaults included, so every object requires all its keys.
    """
    doc = ModelDocument.model_json_schema(mode="serialization", ref_template=ref_template, by_alias=True)
    for sub in [doc, *doc.get("$defs", {}).values()]:
        if "properties" in sub:
            sub["required"] = list(sub["properties"])
    return doc


def published_schema(site: Site) -> dict:
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": site.absolute(SCHEMA_PATH)}
    doc.update(model_schema())
    doc["title"] = f"{site.name} model"
    doc["description"] = (f"A model of the {site.name} catalog: its record (catalog/models/<provider>/<slug>.yaml) "
                          "plus derived figures. Served at models/<provider>/<slug>.json and in api/models.json.")
    return doc


def model_document(site: Site, m: ModelEntry) -> dict:
    """Return the published JSON object of one model."""
    doc = m.record.model_dump(mode="json")
    on = m.released_on
    created = (int(datetime.datetime.combine(on, datetime.time(), datetime.timezone.utc).timestamp())
               if on is not None else None)
    doc.update(
        schema_version=SCHEMA_VERSION,
        object="model",
        created=created,
        lifecycle=m.lifecycle,
        prices={
            "tiers": [{"above": t.above, "prices": t.prices} for t in m.tiers],
            "offers": [{"host": o.host, "region": o.region, "input": o.pricing.input, "output": o.pricing.output,
                        "context": o.context, "max_output": o.max_output, "headline": o.headline}
                       for o in m.offers],
            "fee_note": site.fee_note,
        },
        owned_by=m.provider_id,
        provider={"id": m.provider.id, "name": m.provider.name, "url": m.provider.url},
        share=m.share,
        rank=m.rank,
        collections=[c.id for c in m.collections],
        versions=[v.id for v in m.versions],
        urls={"html": site.absolute(m.path), "md": site.absolute(m.md_path), "json": site.absolute(m.json_path)},
        history=[e.as_json() for e in m.history],
    )
    return doc


def dumps(value, pretty: bool = True) -> bytes:
    """Return deterministic JSON: keys sorted, UTF-8, a final newline."""
    if pretty:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def model_json(site: Site, m: ModelEntry) -> Output:
    """Return models/<p>/<slug>.json."""
    return Output(m.json_path, dumps(model_document(site, m)))


def index_tiers(m: ModelEntry) -> list[list]:
    """[[above, input, output], ...]: each tier's input and output price in force above it
    (resolved: a tier states only what changes), smallest first; [] without tiers."""
    return [[t.above, t.prices.get("input"), t.prices.get("output")] for t in m.tiers]


def index_variants(m: ModelEntry) -> dict[str, list]:
    """{variant: [input, output]} for each service variant the record lists; a price its list
    does not name is null (the calculator then bills the standard price)."""
    v = m.record.pricing.variants
    if v is None:
        return {}
    return {k: [getattr(v, k).input, getattr(v, k).output] for k in schema.VARIANTS if getattr(v, k) is not None}


def search_index(site: Site) -> dict:
    """Return api/index.json: every model as one compact array, for search, filters and sort in
    the browser (assets/js/catalog.js) and compare's suggestions.

    `fields` names the array's places. Models come in the listings' default order (most used,
    then newest), so the browser's unsorted order is the server pages' order. provider is an
    index into `providers` ([id, name]); caps a bit mask over `capabilities`; input and output
    the modalities, space-separated; collections indexes into `collections`; usage is tokens
    or null; kind what the model does (the calculator compares chat models only); tiers
    [[above, input, output], ...] with the prices in force above each (index_tiers) and variants
    {batch: [input, output], ...} (index_variants), for the calculator; the rest are the record's
    figures, unformatted."""
    provider_at = {p.id: i for i, p in enumerate(site.providers)}
    collection_at = {c.id: i for i, c in enumerate(site.collections)}
    caps = list(schema.CAPABILITIES)
    rows = []
    for m in reader_order(site.models):
        rec = m.record
        p = rec.pricing
        mask = sum(1 << i for i, (_, _, yes) in enumerate(m.capabilities) if yes)
        rows.append([m.id, rec.name, provider_at[m.provider_id], rec.family or "", " ".join(rec.modalities.input),
                     " ".join(rec.modalities.output), mask, p.input, p.output, p.cached_input, p.cache_write,
                     rec.limits.context, rec.limits.max_output, rec.usage.tokens if rec.usage else None,
                     str(rec.released) if rec.released is not None else "", rec.status,
                     [collection_at[c.id] for c in m.collections], rec.kind, index_tiers(m), index_variants(m)])
    return {"version": 1, "fields": list(INDEX_FIELDS), "capabilities": caps,
            "providers": [[p.id, p.name] for p in site.providers],
            "collections": [c.id for c in site.collections], "models": rows}


def api_files(ctx: RenderContext) -> Iterator[Output]:
    """Yield api/models.json, api/index.json and the published schema."""
    site = ctx.site
    docs = [model_document(site, m) for m in site.models]
    yield Output(MODELS_PATH, dumps({"object": "list", "schema_version": SCHEMA_VERSION, "data": docs},
                                    pretty=False))
    yield Output(INDEX_PATH, dumps(search_index(site), pretty=False))
    yield Output(SCHEMA_PATH, dumps(published_schema(site)))

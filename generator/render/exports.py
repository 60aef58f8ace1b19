"""The catalog in the shapes clients already parse (README "Exports"):

- `api/models-dev.json`: a models.dev `api.json` holding one provider block, the gateway's own
  (its id is site.yaml's name by the id rule), model ids `<maker>/<slug>`, prices per 1M tokens;
- `api/openrouter.json`: the body of OpenRouter's `GET /api/v1/models`, prices as decimal
  strings in USD per token.

Each reads back with its importer (`modelcat import models.dev|openrouter`): tests/test_import.py.
Offers (several hosts of one model) have no place in either shape: the headline prices go out.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .. import urls
from ..records import schema
from .context import RenderContext
from .data import dumps
from ..write import Output

MODELS_DEV_PATH = urls.API_MODELS_DEV
OPENROUTER_PATH = urls.API_OPENROUTER
MD_COSTS = {"input": "input", "output": "output", "cached_input": "cache_read", "cache_write": "cache_write",
            "reasoning": "reasoning", "input_audio": "input_audio", "output_audio": "output_audio"}
OR_PRICES = {"input": ("prompt", True), "output": ("completion", True), "cached_input": ("input_cache_read", True),
             "cache_write": ("input_cache_write", True), "reasoning": ("internal_reasoning", True),
             "per_request": ("request", False), "per_search": ("web_search", False)}


def gateway_id(site) -> str:
    from ..importers.common import norm_id

    return norm_id(site.record.name) or "gateway"


def _md_cost(prices) -> dict:
    return {md: getattr(prices, k) for k, md in MD_COSTS.items() if getattr(prices, k) is not None}


def models_dev_model(rec: schema.ModelRecord) -> dict:
    mods = {"input": ["pdf" if x == "file" else x for x in rec.modalities.input],
            "output": ["pdf" if x == "file" else x for x in rec.modalities.output]}
    caps = rec.capabilities
    m: dict = {"id": rec.id, "name": rec.name, "attachment": "file" in rec.modalities.input,
               "reasoning": caps.reasoning, "tool_call": caps.tool_calling,
               "structured_output": caps.structured_output, "modalities": mods,
               "limit": {"context": rec.limits.context, "output": rec.limits.max_output}}
    if rec.family:
        m["family"] = rec.family
    if rec.released is not None:
        m["release_date"] = str(rec.released)
    if rec.knowledge_cutoff:
        m["knowledge"] = rec.knowledge_cutoff
    if rec.open_weights is not None:
        m["open_weights"] = rec.open_weights
    if rec.status != "active":
        m["status"] = "beta" if rec.status == "preview" else "deprecated"
    cost = _md_cost(rec.pricing)
    if rec.pricing.tiers:
        cost["tiers"] = [{"tier": {"type": "context", "size": t.above}, **_md_cost(t)} for t in rec.pricing.tiers]
    m["cost"] = cost
    return m


def models_dev_export(site) -> dict:
    pid = gateway_id(site)
    block = {"id": pid, "name": site.record.name, "env": [site.record.api.key_env],
             "api": site.record.api.base_url, "doc": site.url, "npm": "@ai-sdk/openai-compatible",
             "models": {m.id: models_dev_model(m.record) for m in site.models}}
    return {pid: block}


def per_token(value: float) -> str:
    return format((Decimal(repr(value)) / Decimal(1_000_000)).normalize(), "f")


def openrouter_model(rec: schema.ModelRecord) -> dict:
    pricing = {}
    for k, (name, token) in OR_PRICES.items():
        v = getattr(rec.pricing, k)
        if v is not None:
            pricing[name] = per_token(v) if token else format(Decimal(repr(v)).normalize(), "f")
    caps = rec.capabilities
    params = [p for p, yes in (("tools", caps.tool_calling), ("tool_choice", caps.tool_calling),
                               ("response_format", caps.json_mode), ("structured_outputs", caps.structured_output),
                               ("reasoning", caps.reasoning), ("include_reasoning", caps.reasoning)) if yes]
    ins, outs = list(rec.modalities.input), list(rec.modalities.output)
    dep = rec.deprecation
    extra = {"knowledge_cutoff": rec.knowledge_cutoff,
             "expiration_date": dep.shutdown.isoformat() if dep is not None and dep.shutdown else None}
    return {**extra, "id": rec.id, "canonical_slug": rec.base_model or rec.id, "name": rec.name,
            "description": rec.description or rec.summary, "context_length": rec.limits.context,
            "architecture": {"modality": f"{'+'.join(ins)}->{'+'.join(outs)}", "input_modalities": ins,
                             "output_modalities": outs},
            "pricing": pricing,
            "top_provider": {"context_length": rec.limits.context, "max_completion_tokens": rec.limits.max_output,
                             "is_moderated": False},
            "supported_parameters": params}


def openrouter_export(site) -> dict:
    return {"data": [openrouter_model(m.record) for m in site.models]}


def export_files(ctx: RenderContext) -> Iterator[Output]:
    """Yield api/models-dev.json and api/openrouter.json."""
    yield Output(MODELS_DEV_PATH, dumps(models_dev_export(ctx.site), pretty=False))
    yield Output(OPENROUTER_PATH, dumps(openrouter_export(ctx.site), pretty=False))

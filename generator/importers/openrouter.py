"""OpenRouter's GET /api/v1/models body -> entries (README "Import: OpenRouter")."""

from __future__ import annotations

import datetime

from .common import (Entry, Parsed, Skip, as_date, as_int, clean_prices, limits_problem, maker_of,
                                        norm_id, per_million, to_decimal)
from ..problems import BadUsage
from ..records.limits import TEXT_MAX
from ..records.schema import MODALITIES

MODALITY = {"text": "text", "image": "image", "audio": "audio", "video": "video", "file": "file"}
# pricing key -> (record key, per token)
PRICES = {"prompt": ("input", True), "completion": ("output", True), "input_cache_read": ("cached_input", True),
          "input_cache_write": ("cache_write", True), "internal_reasoning": ("reasoning", True),
          "request": ("per_request", False), "web_search": ("per_search", False)}
PARAMS = {"tools": "tool_calling", "response_format": "json_mode", "structured_outputs": "structured_output",
          "reasoning": "reasoning"}
USED = {"id", "canonical_slug", "name", "description", "context_length", "architecture", "pricing",
        "top_provider", "supported_parameters", "expiration_date", "knowledge_cutoff"}


def parse(data, provider: str | None) -> Parsed:
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise BadUsage('this file is not the body of OpenRouter\'s GET /api/v1/models ({"data": [...]})')
    if provider is not None:
        raise BadUsage("--provider is for sources with several provider blocks (models.dev)")
    from ..catalog import today

    day = today()
    out = Parsed()
    canonical: dict[str, str] = {}  # source id -> its canonical_slug
    for m in data["data"]:
        if not isinstance(m, dict) or not isinstance(m.get("id"), str):
            out.skipped.append(Skip("?", "a model without an id"))
            continue
        sid = m["id"]
        if "/" not in sid:
            out.skipped.append(Skip(sid, "no maker prefix in the id"))
            continue
        prefix, rest = sid.split("/", 1)
        maker, slug = maker_of(prefix), norm_id(rest)
        if not maker or not slug:
            out.skipped.append(Skip(sid, "its id has no character the id rule keeps"))
            continue
        out.successor_ids[sid] = f"{maker}/{slug}"
        if isinstance(m.get("canonical_slug"), str):
            canonical[sid] = m["canonical_slug"]
        top = m.get("top_provider") or {}
        context = as_int(m.get("context_length")) or as_int(top.get("context_length"))
        max_output = as_int(top.get("max_completion_tokens"))
        derived_output = max_output is None
        if derived_output and context:
            max_output = context  # null: no cap apart from the context window (README)
            out.derived["limits.max_output = context (top_provider.max_completion_tokens is null)"] += 1
        problem = limits_problem(context, max_output)
        if problem:
            out.skipped.append(Skip(sid, problem))
            continue
        pr = m.get("pricing") or {}
        if any(isinstance(x, str) and x.strip().startswith("-") for x in pr.values()):
            out.skipped.append(Skip(sid, "a negative price (a router whose price depends on the model it picks)"))
            continue
        pricing = clean_prices({name: (per_million(pr.get(k)) if per_token else to_decimal(pr.get(k)))
                                for k, (name, per_token) in PRICES.items()})
        for k in ("request", "web_search", "internal_reasoning"):  # "0": not charged apart
            name = PRICES[k][0]
            if pricing.get(name) == 0:
                del pricing[name]
        for k in pr:
            if k not in PRICES:
                out.no_home[f"pricing.{k}"] += 1
        if "input" not in pricing or "output" not in pricing:
            out.skipped.append(Skip(sid, "no price"))
            continue
        arch = m.get("architecture") or {}
        ins = [x for x in MODALITIES if x in {MODALITY.get(s) for s in arch.get("input_modalities") or []}]
        outs = [x for x in MODALITIES if x in {MODALITY.get(s) for s in arch.get("output_modalities") or []}]
        if not ins or not outs:
            out.skipped.append(Skip(sid, "no input or output modality the contract knows"))
            continue
        name = str(m.get("name") or sid)[:200]
        desc = m.get("description") if isinstance(m.get("description"), str) else ""
        rec: dict = {"name": name}
        first = desc.strip().split("\n\n")[0].replace("\n", " ").strip() if desc.strip() else ""
        derived = not first or len(first) > TEXT_MAX
        rec["summary"] = f"{name}, as listed by OpenRouter." if derived else first
        if desc.strip():
            rec["description"] = desc.strip()
        rec["modalities"] = {"input": ins, "output": outs}
        rec["pricing"] = pricing
        rec["limits"] = {"context": context, "max_output": max_output}
        params = set(m.get("supported_parameters") or [])
        caps = {cap: (p in params) for p, cap in PARAMS.items()}
        caps["reasoning"] = caps["reasoning"] or "include_reasoning" in params
        caps["vision"] = "image" in ins
        rec["capabilities"] = caps
        knowledge = as_date(m.get("knowledge_cutoff"))
        if knowledge:
            rec["knowledge_cutoff"] = knowledge[:7]
        expires = as_date(m.get("expiration_date"))
        if expires and len(expires) == 10:  # the day it stops answering: a scheduled shutdown
            rec["deprecation"] = {"date": expires, "shutdown": expires}
            if datetime.date.fromisoformat(expires) <= day:
                rec["status"] = "deprecated"
        for k in m:
            if k not in USED:
                out.no_home[k] += 1
        for k in top:
            if k not in ("context_length", "max_completion_tokens"):
                out.no_home[f"top_provider.{k}"] += 1
        for k in arch:
            if k not in ("input_modalities", "output_modalities"):
                out.no_home[f"architecture.{k}"] += 1
        out.entries.append(Entry(sid, maker, slug, "openrouter", None, rec, first_party=True,
                                 derived_summary=derived))
    _name_bases(out, canonical)
    return out


def _name_bases(out: Parsed, canonical: dict[str, str]) -> None:
    """Give each entry whose canonical_slug is another model's the base it names: the record of
    that source id, else the one record without a ":variant" tag that shares the slug (":free",
    ":thinking" share their model's slug, which may be a dated name no record has), else the
    slug by the id rule (plan() keeps it only when the catalog holds it)."""
    untagged: dict[str, list[str]] = {}
    for sid, slug in canonical.items():
        if ":" not in sid:
            untagged.setdefault(slug, []).append(sid)
    for e in out.entries:
        slug = canonical.get(e.source_id)
        if slug is None or slug == e.source_id:
            continue
        sharers = untagged.get(slug, [])
        owner = slug if slug in out.successor_ids else sharers[0] if len(sharers) == 1 else None
        if owner is not None:
            e.base_model = out.successor_ids[owner]
        elif "/" in slug:
            prefix, rest = slug.split("/", 1)
            e.base_model = f"{maker_of(prefix)}/{norm_id(rest)}"

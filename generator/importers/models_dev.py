"""models.dev's api.json -> entries (README "Import: models.dev")."""

from __future__ import annotations


from .common import (Entry, Parsed, Skip, as_date, as_int, clean_prices, limits_problem, reachable_tiers,
                                        maker_by_name, maker_of, norm_id, to_decimal)
from .common import maker_name as common_name
from ..problems import BadUsage
from ..records.schema import MODALITIES

MODALITY = {"text": "text", "image": "image", "audio": "audio", "video": "video", "pdf": "file"}
COSTS = {"input": "input", "output": "output", "cache_read": "cached_input", "cache_write": "cache_write",
         "reasoning": "reasoning", "input_audio": "input_audio", "output_audio": "output_audio"}
NO_HOME = ("last_updated", "temperature", "interleaved", "attachment")


def parse(data, provider: str | None) -> Parsed:
    if not isinstance(data, dict) or not all(isinstance(v, dict) and "models" in v for v in data.values()):
        raise BadUsage("this file is not models.dev's api.json (provider id -> {models: {...}})")
    blocks = data
    if provider is not None:
        if provider not in data:
            raise BadUsage(f"--provider {provider}: no such block in the file (it has {len(data)}, "
                           f"e.g. {', '.join(sorted(data)[:5])})")
        blocks = {provider: data[provider]}
    out = Parsed()
    for pid, block in data.items():  # every block names a maker the others may use
        mk = maker_of(pid)
        out.providers.setdefault(mk, {"name": block.get("name") if isinstance(block.get("name"), str) else None})
    for pid in sorted(blocks):
        block = blocks[pid]
        host = norm_id(pid)
        for k in block:
            if k not in ("id", "name", "models"):
                out.no_home[f"provider block {k}"] += 1
        for mid in sorted(block.get("models") or {}):
            entry_or_skip = _entry(host, pid, mid, block["models"][mid], out)
            if isinstance(entry_or_skip, Skip):
                out.skipped.append(entry_or_skip)
            else:
                out.entries.append(entry_or_skip)
    return out


def _entry(host: str, pid: str, mid: str, m: dict, out: Parsed):
    sid = f"{pid}/{mid}"
    if not isinstance(m, dict):
        return Skip(sid, "not a model object")
    raw = str(m.get("id") or mid)
    if "/" in raw:
        prefix, rest = raw.split("/", 1)
        maker, slug = maker_of(prefix), norm_id(rest)
    else:
        slug = norm_id(raw)
        maker = maker_by_name(slug) or maker_of(pid)
    if not maker or not slug:
        return Skip(sid, "its id has no character the id rule keeps")
    limit = m.get("limit") or {}
    context, max_output = as_int(limit.get("context")), as_int(limit.get("output"))
    problem = limits_problem(context, max_output)
    if problem:
        return Skip(sid, problem)
    cost = m.get("cost")
    if not isinstance(cost, dict) or to_decimal(cost.get("input")) is None:
        return Skip(sid, "no price")
    if to_decimal(cost.get("output")) is None:
        return Skip(sid, "no output price")
    pricing = clean_prices({COSTS[k]: to_decimal(cost.get(k)) for k in COSTS})
    tiers = []
    for t in cost.get("tiers") or []:
        size = as_int((t.get("tier") or {}).get("size"))
        if size is None:
            out.no_home["cost.tiers without a context size"] += 1
            continue
        tier = {"above": size}
        tier.update(clean_prices({COSTS[k]: to_decimal(t.get(k)) for k in COSTS}))
        tiers.append(tier)
    tiers = reachable_tiers(tiers, context, out.no_home)
    if tiers:
        pricing["tiers"] = tiers
    mods = m.get("modalities") or {}
    ins = [x for x in MODALITIES if x in {MODALITY.get(v) for v in mods.get("input") or []}]
    outs = [x for x in MODALITIES if x in {MODALITY.get(v) for v in mods.get("output") or []}]
    if not ins or not outs:
        return Skip(sid, "no input or output modality the contract knows")
    name = str(m.get("name") or raw)
    rec: dict = {"name": name[:200]}
    if isinstance(m.get("family"), str) and m["family"]:
        rec["family"] = m["family"]
    maker_name = (out.providers.get(maker) or {}).get("name") or common_name(maker)
    rec["summary"] = f"{name} by {maker_name}, as listed by models.dev."
    released = as_date(m.get("release_date"))
    if released and released < "1990":
        out.no_home["release_date before 1990 (a placeholder, left out)"] += 1
        released = None
    if released:
        rec["released"] = released
    rec["modalities"] = {"input": ins, "output": outs}
    rec["pricing"] = pricing
    rec["limits"] = {"context": context, "max_output": max_output}
    caps = {"tool_calling": m.get("tool_call"), "reasoning": m.get("reasoning"),
            "structured_output": m.get("structured_output"), "vision": "image" in ins}
    rec["capabilities"] = {k: v for k, v in caps.items() if isinstance(v, bool)}
    status = m.get("status")
    if status == "deprecated":
        rec["status"] = "deprecated"
    elif status in ("alpha", "beta"):
        rec["status"] = "preview"
    if isinstance(m.get("open_weights"), bool):
        rec["open_weights"] = m["open_weights"]
    knowledge = as_date(m.get("knowledge"))
    if knowledge:
        rec["knowledge_cutoff"] = knowledge[:7]
    for k in NO_HOME:
        if k in m:
            out.no_home[k] += 1
    first = maker == host or maker == maker_of(pid)
    return Entry(sid, maker, slug, host, None, rec, first_party=first, derived_summary=True)

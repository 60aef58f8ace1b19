"""Checks across records, and warnings for valid but likely wrong records.

Runs after every file validated on its own (models.dev's order): a rule here
may look at several records but never re-validates one. Each rule has a test
in tests/test_checks.py.
"""

from __future__ import annotations

import datetime
import re

from ..problems import Problem
from .schema import OUTPUT_PRICED_KINDS, PRICE_KEYS, VARIANTS
from .load import Records
from .source import SourceMap

# Words in a strength or use case that claim a capability.
CLAIMS: dict[str, re.Pattern] = {
    "tool_calling": re.compile(r"\b(tool[- ]?(use|calling|calls)|function[- ]calling|tools)\b", re.I),
    "vision": re.compile(r"\b(vision|image (understanding|input|analysis)|visual (understanding|question))\b", re.I),
    "json_mode": re.compile(r"\bjson\b", re.I),
    "structured_output": re.compile(r"\bstructured (output|outputs|data extraction)\b", re.I),
    "reasoning": re.compile(r"\b(reasoning|chain[- ]of[- ]thought)\b", re.I),
    "prompt_caching": re.compile(r"\b(prompt|context) caching\b", re.I),
    "streaming": re.compile(r"\bstreaming\b", re.I),
}
STALE_AFTER = datetime.timedelta(days=365)


def check_records(records: Records, today: datetime.date) -> list[Problem]:
    """Return the cross-record problems and the warnings of a loaded catalog."""
    out: list[Problem] = []
    models = records.models

    def at(kind: str, rid: str, loc: tuple, message: str, warning: bool = False, key: bool = False,
           field: tuple | None = None):
        display = records.paths[f"{kind}:{rid}"]
        sm = records.sources.get(display.split("#")[0]) or SourceMap(display)
        if "#" in display:  # an item of collections.yaml
            display, index = display.split("#")
            loc = (int(index),) + loc
        line, col = sm.key_at(loc) if key else sm.value_at(loc)
        field = loc if field is None else field
        name = _field(field[1:] if kind == "collection" else field)
        out.append(Problem(display, line, col, name, message, warning))

    for pid, prov in records.providers.items():
        if prov.id != pid:
            at("provider", pid, ("id",), f'must equal the file name "{pid}", got {prov.id!r}')
    # outputs that would land on the same path: the folder of "x.md" is the twin file of "x"
    for kind, ids, folder, what in (
            ("provider", records.providers, "providers/", "provider "),
            ("model", models, "models/", ""),
            ("doc", {d.id: d for d in records.docs}, "docs/", "docs page ")):
        for rid in ids:
            clash = _twin_clash(rid, lambda other: other in ids or f"{kind}:{other}" in records.invalid,
                                ("md", "json") if kind == "model" else ("md",))
            if clash is None:
                continue
            other, twin = clash
            message = (f'clashes with {what}"{other}": its page folder {folder}{rid}/ is the path of the '
                       f"{twin} twin of \"{other}\"; rename one of them")
            if kind == "doc":
                out.append(Problem(records.paths[f"doc:{rid}"], 1, 1, "", message))
            else:
                at(kind, rid, ("id",), message)

    lowered: dict[str, str] = {}
    for mid, model in models.items():
        if model.id != mid:
            at("model", mid, ("id",), f'must equal the file\'s path "{mid}", got {model.id!r}')
        low = mid.lower()
        if low in lowered:
            at("model", mid, ("id",), f'clashes with "{lowered[low]}": ids that differ only in case')
        lowered[low] = mid
        provider = mid.split("/")[0]
        if provider not in records.providers and f"provider:{provider}" not in records.invalid:
            at("model", mid, ("id",), f'provider "{provider}" has no catalog/providers/{provider}.yaml')
        if model.limits.max_output > model.limits.context:
            at("model", mid, ("limits", "max_output"),
               f"must be <= limits.context ({model.limits.context:,}), got {model.limits.max_output:,}")
        if model.capabilities.vision and "image" not in model.modalities.input:
            at("model", mid, ("capabilities", "vision"),
               "vision is true but modalities.input has no image; add image or set vision: false")
        for loc, message, key, field in (pricing_problems(model.pricing, model.kind, model.limits.context,
                                                          ("pricing",)) + offer_problems(model)):
            at("model", mid, loc, message, key=key, field=field)
        base = model.base_model
        if base is not None and base not in models and f"model:{base}" not in records.invalid:
            at("model", mid, ("base_model",), f'no model "{base}" in the catalog')
        elif base == mid:
            at("model", mid, ("base_model",), "a model cannot be a version of itself")
        if model.deprecation is not None:
            dep = model.deprecation
            if dep.shutdown is not None and dep.shutdown < dep.date:
                at("model", mid, ("deprecation", "shutdown"),
                   f"must be on or after deprecation.date ({dep.date.isoformat()}), got {dep.shutdown.isoformat()}")
            if model.status != "deprecated" and dep.date <= today:
                at("model", mid, ("deprecation", "date"),
                   f"deprecated since {dep.date.isoformat()} but status is {model.status}; "
                   "set status: deprecated", warning=True)
            rep = model.deprecation.replacement
            if rep is not None and rep not in models and f"model:{rep}" not in records.invalid:
                at("model", mid, ("deprecation", "replacement"), f'no model "{rep}" in the catalog')
            elif rep == mid:
                at("model", mid, ("deprecation", "replacement"), "a model cannot replace itself")
        for key in ("strengths", "use_cases"):
            for i, text in enumerate(getattr(model, key)):
                for cap, pattern in CLAIMS.items():
                    if not getattr(model.capabilities, cap) and pattern.search(text):
                        at("model", mid, (key, i),
                           f'claims "{text}" but capabilities.{cap} is false', warning=True)
        if model.usage is not None and model.usage.as_of is not None:
            if today - model.usage.as_of > STALE_AFTER:
                at("model", mid, ("usage", "as_of"),
                   f"usage figures are from {model.usage.as_of.isoformat()}, over a year old",
                   warning=True)

    some_models_invalid = any(k.startswith("model:") for k in records.invalid)
    seen_collections: dict[str, int] = {}
    for i, coll in enumerate(records.collections):
        if coll.id in seen_collections:
            at("collection", coll.id, ("id",), f'duplicate collection id "{coll.id}"')
            continue
        seen_collections[coll.id] = i
        where = coll.where
        if where.provider is not None and where.provider not in records.providers:
            if f"provider:{where.provider}" not in records.invalid:
                at("collection", coll.id, ("where", "provider"), f'no provider "{where.provider}" in the catalog')
        elif not some_models_invalid and not any(matches(where, m) for m in models.values()):
            at("collection", coll.id, ("where",), "this collection holds no model", warning=True, key=True)

    if records.site is not None:
        statuses: dict[int, int] = {}
        for i, err in enumerate(records.site.errors):
            if err.status in statuses:
                sm = records.sources.get("catalog/site.yaml") or SourceMap("catalog/site.yaml")
                line, col = sm.value_at(("errors", i, "status"))
                out.append(Problem("catalog/site.yaml", line, col, f"errors[{i}].status",
                                   f"status {err.status} is listed twice"))
            statuses[err.status] = i
    return out


Found = tuple[tuple, str, bool, "tuple | None"]  # (location, message, at the key, field named if not there)


def pricing_problems(pricing, kind: str, context: int | None, at: tuple) -> list[Found]:
    """Return (location, message, at the key, field) for each rule a price list breaks.

    Used for a model's headline prices and for each offer's.
    """
    out: list[Found] = []
    if pricing.output is None and kind in OUTPUT_PRICED_KINDS:
        out.append((at, f"required key is missing for a {kind} model (models of other kinds may leave it out)",
                    True, at + ("output",)))
    previous = None
    for i, tier in enumerate(pricing.tiers):
        where = at + ("tiers", i)
        if all(getattr(tier, k) is None for k in PRICE_KEYS):
            out.append((where, f"tier above {tier.above:,} tokens names no price; give at least one "
                               "of input, output, cached_input...", True, None))
        if previous is not None and tier.above <= previous:
            out.append((where + ("above",), f"must be greater than the previous tier's {previous:,} "
                                            f"(tiers go from the smallest context up), got {tier.above:,}", False, None))
        if context is not None and tier.above >= context:
            out.append((where + ("above",), f"must be below the context window ({context:,} tokens), "
                                            f"since no prompt is longer, got {tier.above:,}", False, None))
        previous = tier.above
    if pricing.variants is not None:
        for name in VARIANTS:
            variant = getattr(pricing.variants, name)
            if variant is not None and all(getattr(variant, k) is None for k in PRICE_KEYS):
                out.append((at + ("variants", name), f"the {name} variant names no price; give at least one "
                                                     "of input, output, cached_input...", True, None))
    return out


def offer_problems(model) -> list[Found]:
    """Return (location, message, at the key, field) for the rules across a model's offers."""
    out: list[Found] = []
    default: int | None = None
    seen: dict[tuple, int] = {}
    for i, offer in enumerate(model.offers):
        where = ("offers", i)
        if offer.default:
            if default is not None:
                out.append((where + ("default",), f"only one offer may be the default; offers[{default}] "
                                                  "already is", False, None))
            else:
                default = i
        host = (offer.host, offer.region)
        if host in seen:
            named = offer.host + (f" in region {offer.region}" if offer.region else "")
            out.append((where + ("host",), f"{named} is already offered at offers[{seen[host]}]; "
                                           "give each host and region once", False, None))
        else:
            seen[host] = i
        context = offer.limits.context or model.limits.context
        if offer.limits.max_output is not None and offer.limits.max_output > context:
            out.append((where + ("limits", "max_output"),
                        f"must be <= the offer's context ({context:,}), got {offer.limits.max_output:,}", False, None))
        out.extend(pricing_problems(offer.pricing, model.kind, context, where + ("pricing",)))
    return out


def _twin_clash(rid: str, exists, suffixes: tuple[str, ...]) -> tuple[str, str] | None:
    """Return (other id, "Markdown" or "JSON") when rid's page folder is another id's twin file."""
    for suffix in suffixes:
        other = rid[: -len(suffix) - 1]
        if rid.endswith("." + suffix) and other and not other.endswith("/") and exists(other):
            return other, {"md": "Markdown", "json": "JSON"}[suffix]
    return None


def matches(where, model) -> bool:
    """Return whether a model satisfies every condition of a collection's `where`."""
    if where.provider is not None and model.id.split("/")[0] != where.provider:
        return False
    if where.tag is not None and where.tag not in model.tags:
        return False
    if where.input_modality is not None and where.input_modality not in model.modalities.input:
        return False
    if where.output_modality is not None and where.output_modality not in model.modalities.output:
        return False
    if where.capability is not None and not getattr(model.capabilities, where.capability):
        return False
    if where.max_input_price is not None and model.pricing.input > where.max_input_price:
        return False
    if where.min_context is not None and model.limits.context < where.min_context:
        return False
    if where.status is not None and model.status != where.status:
        return False
    return True


def _field(loc: tuple) -> str:
    from .validate import field_path

    return field_path(loc)

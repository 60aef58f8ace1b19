"""What every importer shares: the id rule, exact prices, grouping hosts into offers,
validation before writing, the YAML emitter and the merge into hand-edited files.

An importer turns its source into `Entry`s (one per source record it can read) and
`Skip`s (one per record it cannot, with the reason); `plan()` groups entries into
records, validates each with the project's own rules and returns what to write.
README "Import" writes each mapping down.
"""

from __future__ import annotations

import collections
import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..records import schema

MILLION = Decimal(1_000_000)

# --- ids -------------------------------------------------------------------------------------

_BAD = re.compile(r"[^a-z0-9._-]+")


def norm_id(text: str) -> str:
    """The one id rule: lowercase; every run of characters outside [a-z0-9._-] (":", "@", "/",
    spaces...) becomes one "-"; runs of "-" collapse; leading characters that are not [a-z0-9]
    and trailing "-" or "." go; at most 100 characters. "" when nothing is left."""
    out = _BAD.sub("-", text.lower())
    out = re.sub(r"-{2,}", "-", out)
    out = re.sub(r"^[^a-z0-9]+", "", out)
    out = out[:100].rstrip("-.")
    return "" if out in (".", "..") else out


# Makers named differently by different sources: the id prefix -> the catalog's maker id.
MAKER_ALIASES = {
    "meta-llama": "meta", "mistralai": "mistral", "x-ai": "xai", "z-ai": "zai", "zhipuai": "zai",
    "moonshot": "moonshotai", "amazon-nova": "amazon", "google-vertex": "google", "gemini": "google",
    "vertex_ai": "google", "cohere_chat": "cohere", "deepseek-ai": "deepseek", "mistral-ai": "mistral",
    "alibaba": "qwen", "qwen": "qwen", "ai21labs": "ai21",
}

# A model id without a maker prefix: the maker its name's first word names (the id's prefix).
NAME_MAKERS = (
    ("claude", "anthropic"), ("gpt-", "openai"), ("chatgpt", "openai"), ("o1", "openai"), ("o3", "openai"),
    ("o4", "openai"), ("codex", "openai"), ("text-embedding", "openai"), ("gemini", "google"), ("gemma", "google"),
    ("llama", "meta"), ("mistral", "mistral"), ("mixtral", "mistral"), ("codestral", "mistral"),
    ("magistral", "mistral"), ("devstral", "mistral"), ("ministral", "mistral"), ("pixtral", "mistral"),
    ("deepseek", "deepseek"), ("qwen", "qwen"), ("qwq", "qwen"), ("grok", "xai"), ("command", "cohere"),
    ("kimi", "moonshotai"), ("glm", "zai"), ("jamba", "ai21"), ("nova", "amazon"), ("phi-", "microsoft"),
    ("minimax", "minimax"), ("sonar", "perplexity"),
)


# Display names of makers, for catalog/providers/<maker>.yaml when the source names none.
MAKER_NAMES = {
    "openai": "OpenAI", "anthropic": "Anthropic", "google": "Google", "meta": "Meta", "mistral": "Mistral AI",
    "deepseek": "DeepSeek", "qwen": "Qwen", "xai": "xAI", "cohere": "Cohere", "moonshotai": "Moonshot AI",
    "zai": "Z.ai", "ai21": "AI21 Labs", "amazon": "Amazon", "microsoft": "Microsoft", "minimax": "MiniMax",
    "perplexity": "Perplexity", "nvidia": "NVIDIA",
}


def maker_name(maker: str) -> str:
    return MAKER_NAMES.get(maker, maker)


def maker_of(prefix: str) -> str:
    p = norm_id(prefix)
    return MAKER_ALIASES.get(p, p)


def maker_by_name(slug: str) -> str | None:
    for start, maker in NAME_MAKERS:
        if slug.startswith(start):
            return maker
    return None


# --- prices ----------------------------------------------------------------------------------

def per_million(value: Any) -> Decimal | None:
    """USD per token (a decimal string, or a JSON number read as Decimal) -> exact USD per 1M."""
    d = to_decimal(value)
    return None if d is None else d * MILLION


def to_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, (int, str)):
        try:
            d = Decimal(str(value).strip())
        except ArithmeticError:
            return None
    elif isinstance(value, float):
        d = Decimal(repr(value))
    else:
        return None
    return d if d.is_finite() and d >= 0 else None


def price_text(d: Decimal) -> str:
    """A price as YAML reads it back exactly: plain notation, no exponent, at least one decimal
    place (so YAML reads a float: `3.0`, `0.15`, `0.0000125`)."""
    t = format(d.normalize(), "f")
    return t if "." in t else t + ".0"


def load_json(path: Path) -> Any:
    """Read a source file with every number as Decimal: no float ever rounds a price."""
    with open(path, "rb") as fh:
        return json.loads(fh.read().decode("utf-8"), parse_float=Decimal, parse_int=Decimal)


def as_int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else None
    return value if isinstance(value, int) else None


def as_date(value: Any) -> str | None:
    """A YYYY-MM-DD or YYYY-MM text as the record's `released`, else None (never guessed)."""
    if not isinstance(value, str):
        return None
    v = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            datetime.date.fromisoformat(v)
            return v
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v):
            return v
    except ValueError:
        return None
    return None


# --- entries ---------------------------------------------------------------------------------

# The record keys an import owns: re-importing updates these and only these.
SOURCE_KEYS = ("base_model", "kind", "released", "modalities", "pricing", "limits", "capabilities", "status",
               "deprecation", "open_weights", "knowledge_cutoff", "offers")
# Keys written only when the file is new (hand-written afterwards).
NEW_ONLY_KEYS = ("name", "family", "summary", "description", "links")


@dataclass
class Entry:
    """One source record the contract can hold: one host's offer of one model."""

    source_id: str  # the source's own key, for messages
    maker: str
    slug: str
    host: str
    region: str | None
    record: dict  # the record's keys (SOURCE_KEYS and NEW_ONLY_KEYS), prices as Decimal
    replacement_source: str | None = None  # the source's successor id, resolved by plan()
    base_model: str | None = None  # the model id the source names as this one's base; plan() keeps it if in the catalog
    first_party: bool = False
    derived_summary: bool = False  # the source has no summary: one was made from its facts


@dataclass
class Skip:
    source_id: str
    reason: str


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    no_home: collections.Counter = field(default_factory=collections.Counter)  # "what" -> count
    derived: collections.Counter = field(default_factory=collections.Counter)  # facts made from others
    providers: dict[str, dict] = field(default_factory=dict)  # maker -> {name, url}
    successor_ids: dict[str, str] = field(default_factory=dict)  # source id -> model id it became


# The no-home count of a base the source names that the catalog will not hold.
BASE_LEFT_OUT = "base model not in the catalog (base_model left out)"


def limits_problem(context: int | None, max_output: int | None) -> str | None:
    if context is None or context <= 0:
        return f"context is {context if context is not None else 'missing'}; the contract needs a context > 0"
    if max_output is None or max_output <= 0:
        return f"max output is {max_output if max_output is not None else 'missing'}; the contract needs one > 0"
    if max_output > context:
        return f"max output {max_output:,} is above the context {context:,}"
    return None


def reachable_tiers(tiers: list[dict], context: int, no_home) -> list[dict]:
    """Tiers above a size no prompt reaches (at or over the context window) have no home."""
    keep = [t for t in sorted(tiers, key=lambda t: t["above"]) if t["above"] < context]
    if len(keep) < len(tiers):
        no_home["price tier at or above the context window (no prompt reaches it)"] += len(tiers) - len(keep)
    return keep


def clean_prices(prices: dict) -> dict:
    return {k: v for k, v in prices.items() if v is not None}


# --- grouping and validation -------------------------------------------------------------------

@dataclass
class Planned:
    id: str
    record: dict
    sources: list[str]
    derived_summary: bool = False


def plan(parsed: Parsed, existing_ids: set[str]) -> tuple[list[Planned], list[Skip], list[str]]:
    """Group entries by model id into records (one offer per host when several hosts serve
    it), validate each record, and return (records, skipped, collisions)."""
    from ..records.source import parse_yaml
    from ..records.validate import validate

    skipped = list(parsed.skipped)
    collisions: list[str] = []
    groups: dict[str, list[Entry]] = {}
    seen: dict[tuple, str] = {}
    for e in parsed.entries:
        mid = f"{e.maker}/{e.slug}"
        key = (mid, e.host, e.region)
        if key in seen:
            msg = (f"{e.source_id}: id {mid} (host {e.host}{' ' + e.region if e.region else ''}) is also "
                   f"the id of {seen[key]}; kept {seen[key]}, skipped this one")
            collisions.append(msg)
            skipped.append(Skip(e.source_id, f"id collision: {seen[key]} normalises to {mid} too"))
            continue
        seen[key] = e.source_id
        groups.setdefault(mid, []).append(e)
    # which model ids the catalog will hold: for successors
    known = set(existing_ids) | set(groups)
    out: list[Planned] = []
    for mid in sorted(groups):
        entries = groups[mid]
        rec = build_record(mid, entries, known, parsed)
        problem = record_problem(rec, parse_yaml, validate)
        if problem and len(entries) > 1:  # one bad host must not lose the others: drop it
            good = []
            for e in entries:
                alone = record_problem(build_record(mid, [e], known, parsed), parse_yaml, validate)
                if alone:
                    skipped.append(Skip(e.source_id, f"would not validate: {alone}"))
                else:
                    good.append(e)
            if good:
                rec = build_record(mid, good, known, parsed)
                problem = record_problem(rec, parse_yaml, validate)
                entries = good
        if problem:
            skipped.extend(Skip(e.source_id, f"would not validate: {problem}") for e in entries)
            continue
        out.append(Planned(mid, rec, [e.source_id for e in entries], _headline(entries).derived_summary))
    kept = set(existing_ids) | {p.id for p in out}
    for p in out:  # a base whose own record was refused would be a dangling reference
        if p.record.get("base_model") is not None and p.record["base_model"] not in kept:
            del p.record["base_model"]
            parsed.no_home[BASE_LEFT_OUT] += 1
    return out, skipped, collisions


def _headline(entries: list[Entry]) -> Entry:
    for e in entries:
        if e.first_party and e.region is None:
            return e
    for e in entries:
        if e.first_party:
            return e
    return sorted(entries, key=lambda e: (e.region is not None, e.host, e.region or ""))[0]


def build_record(mid: str, entries: list[Entry], known: set[str], parsed: Parsed) -> dict:
    lead = _headline(entries)
    rec = {"id": mid}
    rec.update({k: v for k, v in lead.record.items()})
    dep = rec.get("deprecation")
    if dep is not None:
        dep = dict(dep)
        succ = lead.replacement_source
        if succ is not None:
            target = parsed.successor_ids.get(succ)
            if target and target in known and target != mid:
                dep["replacement"] = target
            else:
                parsed.no_home["successor not in the catalog (replacement left out)"] += 1
        rec["deprecation"] = dep
    # the base is a fact of the model, not of one host: the headline's, else any host's
    base = next((e.base_model for e in [lead, *entries] if e.base_model), None)
    if base is not None and base != mid:
        if base in known:
            rec["base_model"] = base
        else:
            parsed.no_home[BASE_LEFT_OUT] += 1
    if len(entries) > 1:
        offers = []
        for e in sorted(entries, key=lambda e: (e.host, e.region or "")):
            o: dict = {"host": e.host}
            if e.region:
                o["region"] = e.region
            o["pricing"] = e.record["pricing"]
            o["limits"] = {"context": e.record["limits"]["context"], "max_output": e.record["limits"]["max_output"]}
            if e is lead:
                o["default"] = True
            offers.append(o)
        rec["offers"] = offers
    return order(rec)


def order(rec: dict, fields: list[str] | None = None) -> dict:
    """rec's keys in the schema's order (price sets too: input, output, cached_input... tiers, variants)."""
    fields = list(schema.ModelRecord.model_fields) if fields is None else fields
    out = {k: rec[k] for k in sorted(rec, key=lambda k: fields.index(k) if k in fields else 999)}
    for key in ("pricing",):
        if isinstance(out.get(key), dict):
            out[key] = order_prices(out[key])
    for o in out.get("offers") or []:
        o["pricing"] = order_prices(o["pricing"])
    return out


PRICE_ORDER = ["above", *schema.PRICE_KEYS, "tiers", "variants"]


def order_prices(p: dict) -> dict:
    out = {k: p[k] for k in sorted(p, key=lambda k: PRICE_ORDER.index(k) if k in PRICE_ORDER else 999)}
    if out.get("tiers"):
        out["tiers"] = [order_prices(t) for t in out["tiers"]]
    if out.get("variants"):
        out["variants"] = {n: order_prices(v) for n, v in out["variants"].items()}
    return out


def record_problem(rec: dict, parse_yaml, validate) -> str | None:
    """The first problem `modelcat validate` would report for rec written as YAML, or None."""
    text = emit_yaml(rec)
    data, sm, problems = parse_yaml(text, "record.yaml")
    if problems:
        return problems[0].message
    model, problems = validate(schema.ModelRecord, data, sm)
    if problems:
        p = problems[0]
        return f"{p.field}: {p.message}"
    return single_record_problem(model)


def single_record_problem(model) -> str | None:
    from ..records.checks import offer_problems, pricing_problems

    if model.limits.max_output > model.limits.context:
        return "limits.max_output: above limits.context"
    if model.capabilities.vision and "image" not in model.modalities.input:
        return "capabilities.vision: no image input"
    found = pricing_problems(model.pricing, model.kind, model.limits.context, ("pricing",)) + offer_problems(model)
    if found:
        loc, message, _, fld = found[0]
        return f"{'.'.join(str(x) for x in (fld or loc))}: {message}"
    dep = model.deprecation
    if dep is not None and dep.shutdown is not None and dep.shutdown < dep.date:
        return "deprecation.shutdown: before deprecation.date"
    return None


# --- YAML --------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_ ./()+,-]*\Z")
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return price_text(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if v is None:
        return "null"
    s = str(v)
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", s):
        return f"'{s}'"
    if _PLAIN.match(s) and s.lower() not in _RESERVED and not s.endswith((" ", ":")) and ": " not in s \
            and " #" not in s and "\n" not in s:
        return s
    return json.dumps(s, ensure_ascii=False)


def emit_yaml(rec: dict, comments: dict[str, str] | None = None) -> str:
    """A small deterministic emitter for new files: keys in the given (schema) order,
    nested maps indented, lists of scalars in flow style, strings quoted when needed."""
    out: list[str] = []
    _emit_map(rec, 0, out, comments or {})
    return "\n".join(out) + "\n"


def _emit_map(m: dict, indent: int, out: list[str], comments: dict[str, str], first_prefix: str | None = None):
    pad = " " * indent
    for i, (k, v) in enumerate(m.items()):
        lead = first_prefix if (i == 0 and first_prefix is not None) else pad
        if k in comments and indent == 0:
            out.append(f"# {comments[k]}")
        if isinstance(v, dict):
            if not v:
                out.append(f"{lead}{k}: {{}}")
                continue
            out.append(f"{lead}{k}:")
            _emit_map(v, indent + 2, out, {})
        elif isinstance(v, list):
            if not v:
                out.append(f"{lead}{k}: []")
            elif all(not isinstance(x, (dict, list)) for x in v):
                out.append(f"{lead}{k}: [{', '.join(scalar(x) for x in v)}]")
            else:
                out.append(f"{lead}{k}:")
                for item in v:
                    _emit_map(item, indent + 4, out, {}, first_prefix=" " * (indent + 2) + "- ")
        else:
            out.append(f"{lead}{k}: {scalar(v)}")


def plain(v: Any) -> Any:
    """A record's data with Decimals as floats and dates as text: what a comparison sees."""
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def flat(v: Any, prefix: str = "") -> dict[str, Any]:
    """{"pricing.input": 0.15, "offers[0].host": "azure", ...}"""
    out: dict[str, Any] = {}
    if isinstance(v, dict):
        for k, x in v.items():
            out.update(flat(x, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(v, list) and v and any(isinstance(x, dict) for x in v):
        for i, x in enumerate(v):
            out.update(flat(x, f"{prefix}[{i}]"))
    else:
        out[prefix] = v
    return out


def show(v: Any) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return price_text(Decimal(repr(v)))
    if isinstance(v, list):
        return "[" + ", ".join(show(x) for x in v) + "]"
    return str(v)

"""LiteLLM's model_prices_and_context_window.json -> entries (README "Import: LiteLLM")."""

from __future__ import annotations

import re

from .common import (Entry, Parsed, Skip, as_date, as_int, limits_problem, reachable_tiers,
                                        maker_by_name, maker_name, maker_of, norm_id, per_million, to_decimal)
from ..problems import BadUsage

CHAT_MODES = ("chat", "responses")
# source price key -> (record price key, per token: multiply by 1e6)
PRICES = {
    "cache_creation_input_token_cost_above_1hr": ("cache_write_1h", True),
    "input_cost_per_token": ("input", True),
    "output_cost_per_token": ("output", True),
    "cache_read_input_token_cost": ("cached_input", True),
    "cache_creation_input_token_cost": ("cache_write", True),
    "output_cost_per_reasoning_token": ("reasoning", True),
    "input_cost_per_audio_token": ("input_audio", True),
    "output_cost_per_audio_token": ("output_audio", True),
    "input_cost_per_request": ("per_request", False),
    "output_cost_per_image": ("per_image", False),
    "input_cost_per_audio_per_second": ("per_second_audio", False),
    "input_cost_per_video_per_second": ("per_second_video", False),
}
VARIANT = {"batches": "batch", "flex": "flex", "priority": "priority"}
PRICE_KEY = re.compile(r"(?P<base>" + "|".join(sorted(PRICES, key=len, reverse=True)) +
                       r")(?:_above_(?P<k>\d+)k_tokens)?(?:_(?P<v>batches|flex|priority))?\Z")
REGIONS = {"eu", "us", "global", "apac", "au", "jp", "ca", "uk", "in", "us-gov", "europe", "asia"}
AWS_REGION = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-\d\Z")
DOTTED_MAKERS = {"anthropic", "meta", "amazon", "mistral", "cohere", "ai21", "deepseek", "qwen", "openai",
                 "writer", "twelvelabs", "moonshotai", "google", "minimax", "zai", "nvidia"}
USED = {"litellm_provider", "mode", "max_input_tokens", "max_output_tokens", "max_tokens", "deprecation_date",
        "successor_model", "supports_function_calling", "supports_vision", "supports_response_schema",
        "supports_prompt_caching", "supports_reasoning", "supports_native_streaming", "supports_audio_input",
        "supports_video_input", "supports_pdf_input", "supports_audio_output", "supported_modalities",
        "supported_output_modalities"}
MODALITY = {"text": "text", "image": "image", "audio": "audio", "video": "video"}
# A host's version mark on a model name: Vertex's "<model>@<version>" (@20240620, @default, @001)
# and Bedrock's "<model>-v<n>:<revision>" (-v1:0); the name before it is the model's base.
VERSION_MARK = re.compile(r"@.*\Z|-v\d+:\d+\Z")


def split_key(key: str, provider: str) -> tuple[str, str | None, str]:
    """Return (maker prefix or "", region, model part) of a LiteLLM key."""
    parts = key.split("/")
    if len(parts) > 1 and (parts[0] == provider or provider.startswith(parts[0])):
        parts = parts[1:]
    region = None
    while len(parts) > 1 and (parts[0] in REGIONS or AWS_REGION.match(parts[0])):
        region, parts = parts[0], parts[1:]
    if len(parts) > 1:
        return parts[0], region, "/".join(parts[1:])
    model = parts[0]
    dots = model.split(".")
    if len(dots) > 2 and dots[0] in REGIONS and dots[1] in DOTTED_MAKERS:
        return dots[1], region or dots[0], ".".join(dots[2:])
    if len(dots) > 1 and dots[0] in DOTTED_MAKERS:
        return dots[0], region, ".".join(dots[1:])
    return "", region, model


def model_id_of(key: str, provider: str) -> tuple[str, str, str | None, str]:
    """(maker, slug, region, model part) of a LiteLLM key, by README's rule."""
    prefix, region, model = split_key(key, provider)
    slug = norm_id(model)
    maker = maker_of(prefix) if prefix else (maker_by_name(slug) or maker_of(provider))
    return maker, slug, (norm_id(region) if region else None), model


def base_of(maker: str, model: str) -> str | None:
    """The base model id a versioned name names (claude-opus-4-7@default -> <maker>/claude-opus-4-7), or None."""
    mark = VERSION_MARK.search(model)
    base = norm_id(model[:mark.start()]) if mark else ""
    return f"{maker}/{base}" if base else None


def parse(data, provider: str | None) -> Parsed:
    if not isinstance(data, dict):
        raise BadUsage("this file is not LiteLLM's price map (model name -> {litellm_provider, ...})")
    if provider is not None:
        raise BadUsage("--provider is for sources with several provider blocks (models.dev)")
    out = Parsed()
    import datetime

    from ..catalog import today

    day = today()
    for key in sorted(data):
        v = data[key]
        if key == "sample_spec" or not isinstance(v, dict):
            continue
        prov = v.get("litellm_provider")
        if not isinstance(prov, str):
            out.skipped.append(Skip(key, "no litellm_provider"))
            continue
        mode = v.get("mode")
        if mode not in CHAT_MODES:
            out.skipped.append(Skip(key, f"mode {mode} is not a chat model"))
            continue
        maker, slug, region, model = model_id_of(key, prov)
        if not maker or not slug:
            out.skipped.append(Skip(key, "its id has no character the id rule keeps"))
            continue
        out.successor_ids[key] = f"{maker}/{slug}"
        context = as_int(v.get("max_input_tokens")) or as_int(v.get("max_tokens"))
        max_output = as_int(v.get("max_output_tokens")) or as_int(v.get("max_tokens"))
        problem = limits_problem(context, max_output)
        if problem:
            out.skipped.append(Skip(key, problem))
            continue
        base: dict = {}
        tiers: dict[int, dict] = {}
        variants: dict[str, dict] = {}
        for k, val in v.items():
            m = PRICE_KEY.match(k)
            if not m:
                if k not in USED:
                    out.no_home[k] += 1
                continue
            name, per_token = PRICES[m["base"]]
            price = per_million(val) if per_token else to_decimal(val)
            if price is None:
                out.no_home[f"{k} (not a number)"] += 1
                continue
            if m["k"] and m["v"]:
                out.no_home["long-context prices of a service variant (*_above_*k_tokens_<variant>)"] += 1
            elif m["k"]:
                tiers.setdefault(int(m["k"]) * 1000, {})[name] = price
            elif m["v"]:
                variants.setdefault(VARIANT[m["v"]], {})[name] = price
            else:
                base[name] = price
        if "input" not in base:
            out.skipped.append(Skip(key, "no price"))
            continue
        if "output" not in base:
            out.skipped.append(Skip(key, "no output price"))
            continue
        pricing = dict(base)
        kept = reachable_tiers([{"above": above, **tiers[above]} for above in sorted(tiers)], context, out.no_home)
        if kept:
            pricing["tiers"] = kept
        if variants:
            pricing["variants"] = {n: variants[n] for n in ("batch", "flex", "priority") if n in variants}
        ins = ["text"]
        sm = v.get("supported_modalities")
        if isinstance(sm, list):
            ins = [x for x in ("text", "image", "audio", "video") if x in {MODALITY.get(s) for s in sm}] or ["text"]
        for flag, mod in (("supports_vision", "image"), ("supports_audio_input", "audio"),
                          ("supports_video_input", "video"), ("supports_pdf_input", "file")):
            if v.get(flag) is True and mod not in ins:
                ins.append(mod)
        outs = ["text"]
        so = v.get("supported_output_modalities")
        if isinstance(so, list):
            outs = [x for x in ("text", "image", "audio", "video") if x in {MODALITY.get(s) for s in so}] or ["text"]
        if v.get("supports_audio_output") is True and "audio" not in outs:
            outs.append("audio")
        order = ("text", "image", "audio", "video", "file")
        out.derived["name (the model part of the key: LiteLLM has no display name)"] += 1
        rec: dict = {"name": model[:200],
                     "summary": f"{model} by {maker_name(maker)}, served through {prov}, as priced by LiteLLM."}
        rec["modalities"] = {"input": sorted(ins, key=order.index), "output": sorted(outs, key=order.index)}
        rec["pricing"] = pricing
        rec["limits"] = {"context": context, "max_output": max_output}
        caps = {"streaming": v.get("supports_native_streaming"), "tool_calling": v.get("supports_function_calling"),
                "vision": v.get("supports_vision"), "prompt_caching": v.get("supports_prompt_caching"),
                "reasoning": v.get("supports_reasoning"), "structured_output": v.get("supports_response_schema")}
        rec["capabilities"] = {k: c for k, c in caps.items() if isinstance(c, bool)}
        succ = None
        dep = as_date(v.get("deprecation_date"))
        if dep and len(dep) == 10:
            rec["deprecation"] = {"date": dep}
            if datetime.date.fromisoformat(dep) <= day:
                rec["status"] = "deprecated"
            succ = v.get("successor_model") if isinstance(v.get("successor_model"), str) else None
        elif "deprecation_date" in v:
            out.no_home["deprecation_date that is not a day"] += 1
        host = norm_id(prov)
        out.entries.append(Entry(key, maker, slug, host, region, rec, succ, base_of(maker, model),
                                 first_party=(maker == host), derived_summary=True))
    return out

"""Seeded generator of large, realistic, valid modelcat catalogs (for benchmarks and tests).

    python -m benchmarks.generate N DEST [--seed S] [--providers P]

writes a complete project catalog at DEST/catalog/ (site.yaml, collections.yaml, providers/,
models/, docs/) holding N model records in the format of CONTRACT.md section 1.

From Python::

    from benchmarks.generate import generate_catalog
    generate_catalog(tmp_path / "catalog", n=1000, seed=0)

The same (n, seed, providers) always gives byte-identical files. Every record is valid:
ids are lowercase and unique, max_output <= context, vision only with image input,
deprecation only on deprecated models and its replacement an existing id, usage.as_of
within a year of 2026-11-01, strengths and use_cases only mention capabilities the model
has, knowledge_cutoff is a quoted "YYYY-MM". The YAML is written by hand (string templates,
block style, quoted only where YAML would misread a value) so it looks like hand-written
records and 100,000 of them are written in seconds.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import math
import os
import random
import re
import shutil
import sys
import time
from itertools import accumulate
from pathlib import Path

__all__ = ["generate_catalog", "default_provider_count", "main"]

USAGE_AS_OF = _dt.date(2026, 5, 30)  # site.yaml usage.as_of, and most records' usage.as_of
LATEST_RELEASE = _dt.date(2026, 5, 15)
MAX_PROVIDERS = 300

# --------------------------------------------------------------------------------------
# YAML scalar writing

_BOOLISH = frozenset(
    "y n yes no true false on off null ~ = <<".split()
)
_NUMBERISH = re.compile(r"[-+.]?[0-9][0-9a-zA-Z._:+-]*|[-+]?\.?(inf|nan)", re.IGNORECASE)
_PLAIN_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")


# Fast path: starts with a letter, no ':' or '#', ends in a word character or punctuation.
_SAFE_BLOCK = re.compile(r"[A-Za-z(][A-Za-z0-9 ()'.,/&+_!?;$%*=-]*[A-Za-z0-9().!?']")
_SAFE_FLOW = re.compile(r"[A-Za-z(][A-Za-z0-9 ()'./&+_!;$%*=-]*[A-Za-z0-9().!']")


def q(s: str, flow: bool = False) -> str:
    """A YAML scalar for the string s: plain where YAML reads it back as the same string,
    double-quoted otherwise ("no", "3.10", "2024-05", "a: b", ...)."""
    if (_SAFE_FLOW if flow else _SAFE_BLOCK).fullmatch(s) and (
            len(s) > 5 or s.lower() not in _BOOLISH):
        return s
    if (
        not s
        or s[0] in _PLAIN_BAD_START
        or s[-1] in " :"
        or ": " in s
        or " #" in s
        or "\n" in s
        or "\t" in s
        or s.lower() in _BOOLISH
        or _NUMBERISH.fullmatch(s)
        or (flow and any(c in s for c in ",[]{}?"))
    ):
        return json.dumps(s, ensure_ascii=False)
    return s


_FLOW_CACHE: dict[tuple[str, ...], str] = {}


def flow_list(items: list[str]) -> str:
    key = tuple(items)
    out = _FLOW_CACHE.get(key)
    if out is None:
        out = "[" + ", ".join(q(i, flow=True) for i in items) + "]"
        if len(_FLOW_CACHE) < 100_000:
            _FLOW_CACHE[key] = out
    return out


def num(v: float) -> str:
    """A price: 0, 0.015, 2.5, 15 (never exponent notation, which YAML 1.1 reads as a string)."""
    if v == int(v):
        return str(int(v))
    s = f"{v:.6f}".rstrip("0")
    return s


_FOLD_RES: dict[int, re.Pattern] = {}


def fold(text: str, indent: str, width: int = 88) -> list[str]:
    """Greedy word wrap for a `>-` folded block (no line starts with a space)."""
    limit = width - len(indent)
    rx = _FOLD_RES.get(limit)
    if rx is None:
        rx = _FOLD_RES[limit] = re.compile(rf"\S.{{0,{limit - 1}}}(?= |$)")
    lines = rx.findall(text)
    if " ".join(lines) == text:
        return [indent + ln for ln in lines]
    return _fold_slow(text, indent, limit)


def _fold_slow(text: str, indent: str, limit: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for word in text.split(" "):
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= limit:
            cur += " " + word
        else:
            lines.append(indent + cur)
            cur = word
    if cur:
        lines.append(indent + cur)
    return lines


def text_field(key: str, text: str, indent: str = "") -> list[str]:
    """`key: value` on one line when short, else a folded `>-` block like the example."""
    if len(indent) + len(key) + 2 + len(text) <= 92:
        return [f"{indent}{key}: {q(text)}"]
    return [f"{indent}{key}: >-"] + fold(text, indent + "  ")


def markdown_field(key: str, text: str, indent: str = "") -> list[str]:
    """Markdown: a literal `|` block if it has several lines, else like text_field."""
    if "\n" not in text:
        return text_field(key, text, indent)
    inner = indent + "  "
    out = [f"{indent}{key}: |"]
    for ln in text.split("\n"):
        if not ln:
            out.append("")
        elif len(inner) + len(ln) > 88 and ln[0] not in "-*>#|` " and not ln[0].isdigit():
            out += fold(ln, inner)  # a wrapped Markdown paragraph, as people write them
        else:
            out.append(inner + ln)
    return out


def str_list(key: str, items: list[str], rng: random.Random) -> list[str]:
    flow = flow_list(items)
    if len(key) + 2 + len(flow) <= 80 and rng.random() < 0.7:
        return [f"{key}: {flow}"]
    return [f"{key}:"] + [f"  - {q(i)}" for i in items]


# --------------------------------------------------------------------------------------
# Word pools

BRAND_WORDS = """
Nova Aster Lumen Vexa Quill Orbit Cobalt Helix Zephyr Kestrel Meridian Polaris Sable Tessera
Umbra Vireo Wren Xylo Yarrow Zenith Argent Borealis Cinder Ember Fathom Garnet Halcyon Iris
Juniper Kairo Lyra Mosaic Nimbus Onyx Pylon Quasar Rune Solace Tidal Ursa Vantage Willow Axiom
Beacon Cairn Drift Echo Flint Glyph Harbor Indigo Jasper Loom Marrow Nexus Opal Prism Quartz
Ridge Slate Thistle Verdant Wisp Yonder Zircon Alder Bramble Corvid Dune Etch Ferro Gale Hollow
Ionic Jolt Kiln Lattice Mica Nadir Oriel Pinnacle Quorum Rill Strata Tundra Umber Vesper Weft
Xenon Zest Auric Bastion Caldera Dynamo Everest Fable Gradient Hyper Inkwell Keystone Lodestar
Monsoon Northwind Outpost Paragon Radiant Sextant Tangent Unison Vector Waypoint
""".split()

BRAND_FORMS = [
    ("{W}", "{w}"),
    ("{W} AI", "{w}-ai"),
    ("{W} Labs", "{w}-labs"),
    ("{W} Research", "{w}research"),
    ("{W} Systems", "{w}-systems"),
    ("{W}.ai", "{w}.ai"),
    ("{W} Intelligence", "{w}-intelligence"),
    ("{W}mind", "{w}mind"),
    ("{W} Compute", "{w}_compute"),
    ("{W}works", "{w}works"),
]

TLDS = [".ai", ".com", ".dev", ".io", ".ai", ".com"]

FAMILY_WORDS = """
Aurora Orca Cirrus Stratus Comet Pulsar Vega Rigel Sirius Altair Deneb Lynx Otter Marten Ibis
Osprey Condor Kite Swift Raven Magpie Finch Tern Plover Egret Crane Puffin Gannet Petrel
Harrier Cedar Maple Aspen Birch Rowan Hazel Spruce Larch Sequoia Basalt Granite Shale
Obsidian Jade Amber Coral Pearl Topaz Beryl Flux Spark Pulse Arc Bolt Forge Anvil Sage Muse
Scribe Ballad Canto Verse Lumo Kairos Mira Nori Tala Zuri Ondo Pico Atlas Titan Hermes Juno
Nyx Selene Triton Oberon Calypso Rhea Io Europa Ganymede Tethys Mimas Dione Vela Carina
""".split()

# (display, slug part, tier, traits); tier: 0 small .. 3 top
VARIANTS = [
    ("", "", 2, ()),
    ("Pro", "pro", 2, ()),
    ("Ultra", "ultra", 3, ()),
    ("Max", "max", 3, ()),
    ("Plus", "plus", 2, ()),
    ("Turbo", "turbo", 1, ()),
    ("Large", "large", 2, ()),
    ("Medium", "medium", 1, ()),
    ("Small", "small", 0, ()),
    ("Mini", "mini", 0, ()),
    ("Lite", "lite", 0, ()),
    ("Nano", "nano", 0, ()),
    ("Flash", "flash", 0, ()),
    ("Air", "air", 0, ()),
    ("Chat", "chat", 1, ()),
    ("Instruct", "instruct", 1, ()),
    ("Coder", "coder", 2, ("coding",)),
    ("Thinking", "thinking", 2, ("reasoning",)),
    ("Reasoner", "reasoner", 3, ("reasoning",)),
    ("Vision", "vision", 1, ("vision",)),
    ("Realtime", "realtime", 1, ("realtime",)),
    ("Image", "image", 2, ("image_gen",)),
    ("Voice", "voice", 1, ("tts",)),
]
VARIANT_CUM = list(accumulate([12, 10, 3, 3, 3, 3, 3, 3, 3, 8, 5, 3, 5, 2, 4, 5, 4, 3, 2, 3, 1.2, 2.5, 1.3]))

# style C ("Llama-3.2-1b-Instruct"): sizes with their tier, and variants
SIZES = [("1b", 0), ("3b", 0), ("7b", 0), ("8b", 0), ("13b", 1), ("14b", 1), ("32b", 1),
         ("34b", 1), ("70b", 2), ("72b", 2), ("8x7b", 2), ("8x22b", 2), ("405b", 3)]
SIZE_CUM = list(accumulate([4, 5, 6, 8, 3, 4, 5, 2, 6, 3, 2, 1, 1]))
C_VARIANTS = [("Instruct", "instruct", ()), ("Chat", "chat", ()), ("Base", "base", ()),
              ("Coder", "coder", ("coding",)), ("Vision", "vision", ("vision",)),
              ("Reasoning", "reasoning", ("reasoning",))]
C_VARIANT_CUM = list(accumulate([10, 3, 1.5, 2, 1.5, 1.5]))

CONTEXTS = [8192, 32768, 128000, 200000, 1000000, 2000000]
CONTEXT_CUM = list(accumulate([8, 20, 40, 15, 12, 5]))
MAX_OUTPUTS = [2048, 4096, 8192, 16384, 32000, 32768, 64000, 65536, 100000, 128000]

OPEN_LICENSES = ["Apache-2.0", "MIT", "Apache-2.0", "CC-BY-NC-4.0", "Llama 3.1 Community License",
                 "OpenRAIL-M", "Gemma Terms of Use", "BSD-3-Clause"]

TIER_ADJ = [
    ["compact", "lightweight", "fast", "cost-efficient", "small"],
    ["general-purpose", "balanced", "versatile", "mid-sized"],
    ["flagship", "high-end", "advanced", "capable"],
    ["largest", "most capable", "frontier-class", "top-tier"],
]

PURPOSE_GENERIC = [
    "everyday chat and writing", "multilingual dialogue", "retrieval-augmented generation",
    "high-volume classification and extraction", "enterprise assistants", "customer support bots",
    "drafting and editing text", "question answering over knowledge bases",
]
PURPOSE_BY_TRAIT = {
    "tool_calling": ["agentic workflows", "multi-step tasks that call external tools"],
    "reasoning": ["math and science problems", "hard multi-step problems"],
    "vision": ["document and chart understanding", "questions about screenshots and photos"],
    "coding": ["software engineering", "code completion and review"],
    "long": ["summarizing long documents", "questions over whole codebases"],
}

STRENGTH_GENERIC = [
    "General-purpose chat", "Multilingual dialogue", "Instruction following", "Summarization",
    "Creative writing", "Low latency", "Cost efficiency", "Factual accuracy", "Long-form writing",
    "Translation quality", "Concise answers", "Steerability",
]
STRENGTH_BY = {
    "tool_calling": ["Tool use", "Function calling", "Multi-step agents"],
    "vision": ["Image understanding", "Chart and diagram reading", "OCR"],
    "reasoning": ["Step-by-step reasoning", "Math and logic", "Complex problem solving"],
    "structured_output": ["Structured output", "Schema adherence"],
    "json_mode": ["JSON output"],
    "prompt_caching": ["Prompt caching"],
    "streaming": ["Streaming responses"],
    "long": ["Long context"],
    "coding": ["Code generation", "Debugging", "Code review"],
    "audio": ["Speech understanding"],
    "video": ["Video understanding"],
    "file": ["PDF understanding"],
}
USE_GENERIC = [
    "Chatbots", "Content generation", "Customer support", "Translation", "Summarization",
    "Classification", "Data extraction", "Knowledge-base Q&A", "Copywriting",
    "Research assistance", "Tutoring", "Email drafting",
]
USE_BY = {
    "tool_calling": ["Agentic workflows", "API orchestration"],
    "vision": ["Screenshot analysis", "Receipt and invoice scanning", "Visual question answering"],
    "reasoning": ["Math tutoring", "Scientific analysis", "Planning"],
    "structured_output": ["Form filling", "ETL pipelines"],
    "coding": ["Coding assistants", "Code migration"],
    "long": ["Contract review", "Codebase Q&A"],
    "audio": ["Meeting transcription"],
    "video": ["Video summarization"],
}
IMAGE_GEN_STRENGTHS = ["Photorealistic renders", "Typography in scenes", "Style consistency",
                       "Prompt adherence", "Fast generation"]
IMAGE_GEN_USES = ["Marketing artwork", "Product mockups", "Concept art", "Storyboarding",
                  "Social media graphics"]
TTS_STRENGTHS = ["Natural-sounding speech", "Expressive voices", "Many languages", "Low latency"]
TTS_USES = ["Voice assistants", "Audiobook narration", "Accessibility", "IVR systems"]

ARCH_SENTENCES = [
    "It uses a mixture-of-experts architecture with {active}B active parameters per token.",
    "It was trained on a multilingual corpus with extra weight on {domain}.",
    "Post-training combined supervised fine-tuning with preference optimisation.",
    "It was distilled from larger {family} checkpoints and keeps most of their quality.",
    "Training data extends to {cutoff}, and the tokenizer is shared with the rest of the family.",
    "A dense transformer, it was trained on roughly {tt} trillion tokens.",
]
DOMAINS = ["code and mathematics", "scientific literature", "European languages",
           "Asian languages", "legal and financial text", "conversational data"]
RECOMMEND = [
    "It is a good default for {purpose}.",
    "Most teams start here and move to a larger model only for the hardest prompts.",
]
RECOMMEND_CHEAP = [
    "Choose it when latency and price matter more than peak quality.",
    "Pricing makes it well suited to high-volume workloads.",
]
RECOMMEND_PREMIUM = [
    "Use it when answer quality matters more than latency.",
    "It pairs well with a smaller model that routes the easy requests.",
]
PROVIDER_SPECIALTIES = [
    "general-purpose language", "open-weight", "multilingual", "enterprise", "efficient on-device",
    "frontier", "code", "multimodal", "research",
]


# --------------------------------------------------------------------------------------
# Helpers


def default_provider_count(n: int) -> int:
    """max(8, round(sqrt(n) * 1.5)), capped at 300 and at n (every provider has a model)."""
    if n <= 0:
        return 0
    return min(n, MAX_PROVIDERS, max(8, round(math.sqrt(n) * 1.5)))


def _zipf_counts(n: int, p: int, s: float = 1.0) -> list[int]:
    """n items over p bins, every bin >= 1, Zipf-like (largest remainder, deterministic)."""
    if p == 0:
        return []
    rest = n - p
    weights = [1.0 / (i + 1) ** s for i in range(p)]
    total = sum(weights)
    exact = [rest * w / total for w in weights]
    counts = [int(e) for e in exact]
    short = rest - sum(counts)
    order = sorted(range(p), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[:short]:
        counts[i] += 1
    return [c + 1 for c in counts]


def _nice(v: float, digits: int = 2) -> float:
    return float(f"{v:.{digits}g}")


def _sig(v: float, digits: int = 4) -> int:
    return int(float(f"{v:.{digits}g}"))


def _add_days(d: _dt.date, days: int) -> _dt.date:
    return d + _dt.timedelta(days=days)


def _rand_date(rng: random.Random, lo: _dt.date, hi: _dt.date) -> _dt.date:
    if hi <= lo:
        return lo
    return lo + _dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _month_minus(d: _dt.date, months: int) -> str:
    y, m = d.year, d.month - months
    while m <= 0:
        m += 12
        y -= 1
    return f"{y:04d}-{m:02d}"


def _pick(rng: random.Random, pool: list[str], k: int) -> list[str]:
    k = min(k, len(pool))
    return rng.sample(pool, k)


def _join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _tokens_short(n: int) -> str:
    if n >= 1_000_000:
        return f"{n // 1_000_000}M"
    if n & (n - 1) == 0:  # 8192, 32768: powers of two are quoted in binary K
        return f"{n // 1024}K"
    return f"{round(n / 1000)}K"


def _a(word: str) -> str:
    """The indefinite article for word ("an 8K-token", "an advanced", "a 128K-token")."""
    return "an" if word[0] in "aeiouAEIOU8" or word.startswith(("11", "18")) else "a"


def _poss(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


# --------------------------------------------------------------------------------------
# Providers


def _make_providers(rng: random.Random, p: int) -> list[dict]:
    words = list(BRAND_WORDS)
    rng.shuffle(words)
    seen: set[str] = set()
    out: list[dict] = []
    attempt = 0
    while len(out) < p:
        if attempt < len(words):
            w = words[attempt]
            form = BRAND_FORMS[0] if rng.random() < 0.35 else rng.choice(BRAND_FORMS)
        else:  # reuse words in other forms, then compound words
            w = words[attempt % len(words)]
            if attempt >= len(words) * len(BRAND_FORMS):
                w = w + words[(attempt * 7 + attempt // len(words)) % len(words)].lower()
            form = BRAND_FORMS[(attempt // len(words)) % len(BRAND_FORMS)]
        attempt += 1
        name = form[0].replace("{W}", w)
        pid = form[1].replace("{w}", w.lower())
        if pid in seen:
            continue
        seen.add(pid)
        domain = re.sub(r"[^a-z0-9]", "", w.lower())
        if "." in pid:
            url = "https://" + pid
        else:
            url = "https://" + domain + rng.choice(TLDS)
        open_p = rng.choice([0.0, 0.0, 0.05, 0.3, 0.6, 0.95, 1.0])
        style = rng.choices("ABC", weights=[4, 3, 2 + 4 * open_p])[0]
        out.append({
            "id": pid, "name": name, "url": url, "word": w, "open_p": open_p,
            "style": style, "byok": rng.random() < 0.6, "has_url": rng.random() < 0.85,
            "specialty": rng.choice(PROVIDER_SPECIALTIES), "founded": rng.randint(2015, 2024),
            "snapshot_format": rng.choice(["%Y%m%d", "%m%d", "%Y-%m-%d"]),
        })
    return out


def _provider_yaml(pr: dict, rng: random.Random, n_models: int) -> str:
    name = pr["name"]
    spec = pr["specialty"]
    sents = [
        rng.choice([
            f"{name} builds {spec} models for developers and enterprises.",
            f"{name}, founded in {pr['founded']}, trains {spec} models.",
            f"{name} is an AI lab focused on {spec} models.",
        ])
    ]
    if pr["open_p"] >= 0.6:
        sents.append("Most of its models are released with open weights.")
    elif pr["open_p"] == 0:
        sents.append("Its models are available through hosted APIs only.")
    if rng.random() < 0.5:
        sents.append(rng.choice([
            f"The catalog lists {n_models} of its models.",
            "Its research focuses on efficient training and evaluation.",
            "It offers dedicated capacity for enterprise customers.",
        ]))
    desc = " ".join(sents)
    if pr["has_url"] and rng.random() < 0.3:
        desc += f"\n\nSee the [{name} documentation]({pr['url']}/docs)."
    lines = [f"id: {q(pr['id'])}", f"name: {q(name)}"]
    if pr["has_url"]:
        lines.append(f"url: {pr['url']}")
    lines += markdown_field("description", desc)
    lines.append(f"byok: {'true' if pr['byok'] else 'false'}")
    return "\n".join(lines) + "\n"


def _make_families(rng: random.Random, pr: dict, count: int) -> list[dict]:
    nf = max(1, min(80, round(math.sqrt(count) / 1.3)))
    pool = list(FAMILY_WORDS)
    rng.shuffle(pool)
    bases: list[str] = []
    if rng.random() < 0.4 and pr["word"].isalpha():
        bases.append(pr["word"])
    i = 0
    while len(bases) < nf:
        if i < len(pool):
            b = pool[i]
        else:
            b = pool[i % len(pool)] + pool[(i // len(pool) + i) % len(pool)].lower()
        i += 1
        if b not in bases:
            bases.append(b)
    fams = []
    for b in bases:
        start = _rand_date(rng, _dt.date(2022, 3, 1), _dt.date(2025, 6, 30))
        pattern = rng.choice(["int", "half", "minor", "minor", "int"])
        major = rng.choice([1, 1, 2, 3])
        nv = rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8, 11]) if count > 20 else rng.choice([1, 1, 2, 3])
        versions = []
        for k in range(nv):
            if pattern == "int":
                v = str(major + k)
            elif pattern == "half":
                v = f"{major + k // 2}" + (".5" if k % 2 else "")
            else:
                v = f"{major}.{k}" if k else str(major)
            versions.append(v)
        step = rng.randint(90, 270)
        dates = [_add_days(start, k * step + rng.randint(0, 45)) for k in range(nv)]
        fams.append({"base": b, "versions": versions, "dates": dates})
    return fams


# --------------------------------------------------------------------------------------
# Models


def _make_model(rng: random.Random, pr: dict, fams: list[dict], fam_cum: list[float],
                taken: set[str]) -> dict:
    m: dict = {}
    fam = rng.choices(fams, cum_weights=fam_cum)[0]
    vi = rng.randrange(len(fam["versions"]))
    ver = fam["versions"][vi]
    base = fam["base"]

    r = rng.random()
    status = "deprecated" if r < 0.05 else "preview" if r < 0.10 else "active"

    style = pr["style"]
    if style == "C":
        size, tier = rng.choices(SIZES, cum_weights=SIZE_CUM)[0]
        vd, vs, traits = rng.choices(C_VARIANTS, cum_weights=C_VARIANT_CUM)[0]
        name = f"{base}-{ver}-{size}-{vd}"
        slug = f"{base.lower()}-{ver}-{size}-{vs}"
    else:
        vd, vs, tier, traits = rng.choices(VARIANTS, cum_weights=VARIANT_CUM)[0]
        if style == "A":
            name = " ".join(x for x in (base, ver, vd) if x)
            slug = "-".join(x for x in (base.lower(), ver, vs) if x)
        else:
            name = " ".join(x for x in (base, vd, ver) if x)
            slug = "-".join(x for x in (base.lower(), vs, ver) if x)
    traits = set(traits)

    # release date
    if status == "preview":
        released = _rand_date(rng, _dt.date(2026, 1, 15), LATEST_RELEASE)
    else:
        released = min(fam["dates"][vi], LATEST_RELEASE)
        if status == "deprecated":
            released = min(released, _rand_date(rng, _dt.date(2022, 6, 1), _dt.date(2025, 6, 30)))

    if status == "preview" and rng.random() < 0.7:
        name += " Preview"
        slug += "-preview"
    if slug in taken:  # a dated snapshot, as providers do ("nova-pro-2-0613")
        fmt = pr["snapshot_format"]
        for attempt in range(8):
            if attempt:  # a later snapshot of the same model
                released = min(LATEST_RELEASE, _add_days(released, rng.randint(15, 150)))
            cand = f"{slug}-{released.strftime(fmt)}"
            if cand not in taken:
                break
        slug = cand
        name += f" ({released.isoformat()})"
        k = 2
        base_slug, base_name = slug, name
        while slug in taken:
            slug = f"{base_slug}-v{k}"
            name = f"{base_name} v{k}"
            k += 1
    taken.add(slug)
    m["id"] = f"{pr['id']}/{slug}"
    m["slug"] = slug
    m["provider"] = pr["id"]
    m["name"] = name
    major = ver.split(".")[0]
    m["family"] = f"{base} {major}" if rng.random() < 0.85 else None
    m["family_key"] = base
    m["status"] = status
    m["released"] = released

    # kind and modalities
    if "image_gen" in traits:
        kind = "image"
        inp = ["text", "image"] if rng.random() < 0.4 else ["text"]
        out = ["image"]
    elif "tts" in traits:
        kind = "tts"
        inp, out = ["text"], ["audio"]
    elif "realtime" in traits:
        kind = "realtime"
        inp, out = ["text", "audio"], ["text", "audio"]
    else:
        kind = "text"
        image = "vision" in traits or rng.random() < (0.25 + 0.1 * tier)
        inp = ["text"]
        if image:
            inp.append("image")
        if rng.random() < (0.08 + 0.05 * tier):
            inp.append("audio")
        if image and rng.random() < 0.12:
            inp.append("video")
        if rng.random() < (0.3 if image else 0.05):
            inp.append("file")
        out = ["text"]
    m["kind"] = kind
    m["input"], m["output"] = inp, out

    # limits
    if kind == "text":
        ctx = rng.choices(CONTEXTS, cum_weights=CONTEXT_CUM)[0]
    elif kind == "realtime":
        ctx = rng.choice([32768, 128000])
    else:
        ctx = rng.choice([8192, 32768])
    if rng.random() < 0.06:
        max_out = ctx if ctx <= 32768 else min(ctx, 128000)
    else:
        opts = [x for x in MAX_OUTPUTS if x <= ctx // 2] or [min(ctx, 2048)]
        max_out = opts[min(len(opts) - 1, int(rng.triangular(0, len(opts), len(opts) * 0.55)))]
    m["context"], m["max_output"] = ctx, max_out

    # capabilities
    caps: dict[str, bool] = {}
    if kind == "text":
        caps["streaming"] = rng.random() < 0.95
        caps["tool_calling"] = rng.random() < (0.5 + 0.12 * tier) or "coding" in traits
        caps["vision"] = "image" in inp and (rng.random() < 0.95 or "vision" in traits)
        caps["json_mode"] = rng.random() < 0.65
        caps["prompt_caching"] = False  # set with pricing below
        reasoning_p = 0.12 + (0.25 if released >= _dt.date(2025, 1, 1) else 0) + 0.05 * tier
        caps["reasoning"] = "reasoning" in traits or rng.random() < reasoning_p
        caps["structured_output"] = caps["json_mode"] and rng.random() < 0.75
    elif kind == "realtime":
        caps = {"streaming": True, "tool_calling": rng.random() < 0.7, "vision": False,
                "json_mode": False, "prompt_caching": False, "reasoning": False,
                "structured_output": False}
    else:
        caps = {"streaming": kind == "tts" and rng.random() < 0.5, "tool_calling": False,
                "vision": "image" in inp and rng.random() < 0.5, "json_mode": False,
                "prompt_caching": False, "reasoning": False, "structured_output": False}

    # pricing (USD per 1M tokens)
    free = rng.random() < 0.08
    if free:
        pin = pout = 0.0
    else:
        lo, hi = [(-1.9, -0.5), (-1.3, 0.3), (-0.6, 0.8), (0.0, 1.18)][tier]
        if m["context"] >= 1000000:
            lo, hi = lo + 0.2, hi + 0.1
        pin = _nice(min(15.0, max(0.01, 10 ** rng.uniform(lo, hi))))
        ratio = rng.choice([1, 1.5, 2, 3, 4, 4, 5, 5, 8])
        pout = _nice(min(75.0, max(pin, pin * ratio)))
    m["pin"], m["pout"] = pin, pout
    m["cached"] = m["cache_write"] = None
    if not free and kind in ("text", "realtime") and rng.random() < 0.34:
        m["cached"] = max(0.001, _nice(pin * rng.choice([0.1, 0.1, 0.25, 0.5]), 2))
        if rng.random() < 0.5:
            m["cache_write"] = _nice(pin * rng.choice([1.25, 1.25, 2.0]), 3)
        caps["prompt_caching"] = True
    elif kind == "text" and rng.random() < 0.03:
        caps["prompt_caching"] = True  # caching without a separate price
    m["caps"] = caps
    m["free"] = free

    # open weights, license, cutoff
    ow = rng.random() < pr["open_p"] and kind in ("text", "image")
    m["open_weights"] = ow if (ow or rng.random() < 0.5) else None
    if ow:
        m["license"] = rng.choice(OPEN_LICENSES) if rng.random() < 0.9 else None
    else:
        m["license"] = "Proprietary" if rng.random() < 0.35 else None
    m["cutoff"] = _month_minus(released, rng.randint(2, 14)) if rng.random() < 0.6 else None

    # tags
    long_ctx = m["context"] >= 1000000
    coding = "coding" in traits or (kind == "text" and caps["tool_calling"] and rng.random() < 0.1)
    tags = []
    if tier == 3 or (tier == 2 and pin >= 2.5):
        if status != "deprecated" and not free and kind == "text":
            tags.append("frontier")
    if free or (pin < 0.2 and rng.random() < 0.04):
        tags.append("free-tier")
    if ow:
        tags.append("open-weights")
    if caps["reasoning"]:
        tags.append("reasoning")
    if coding:
        tags.append("coding")
    if 0 < pin <= 0.2:
        tags.append("budget")
    if long_ctx:
        tags.append("long-context")
    m["tags"] = tags if tags and rng.random() < 0.92 else []
    m["coding"] = coding
    m["long"] = m["context"] >= 200000
    m["tier"] = tier

    # usage
    if rng.random() < 0.8:
        if rng.random() < 0.8:
            as_of = USAGE_AS_OF
        else:
            as_of = _rand_date(rng, max(_dt.date(2026, 1, 1), released), _dt.date(2026, 10, 31))
        scale = 4.5 + 7.0 * rng.random() ** 1.6 + (0.5 if free else 0) - (1.0 if status == "deprecated" else 0)
        tokens = _sig(10 ** scale)
        per_req = rng.randint(250, 4000)
        m["usage"] = (tokens, max(1, _sig(tokens / per_req)), as_of)
    else:
        m["usage"] = None

    m["explicit_active"] = status == "active" and rng.random() < 0.04
    m["traits"] = traits
    return m


def _text_for(m: dict, pr: dict, rng: random.Random) -> None:
    """summary, description, strengths, use_cases, links, faq."""
    name, caps, kind, tier = m["name"], m["caps"], m["kind"], m["tier"]
    pname = pr["name"]
    fam = m["family"] or m["family_key"]
    true_keys = [k for k, v in caps.items() if v]
    if m["long"]:
        true_keys.append("long")
    if m["coding"]:
        true_keys.append("coding")
    for mod in ("audio", "video", "file"):
        if mod in m["input"] and kind == "text":
            true_keys.append(mod)

    adj = rng.choice(TIER_ADJ[tier])
    art = _a(adj)
    if kind == "image":
        noun, purposes = "text-to-image model", ["marketing artwork", "concept art", "illustrations and product shots"]
    elif kind == "tts":
        noun, purposes = "text-to-speech model", ["voice assistants", "narration", "accessible interfaces"]
    elif kind == "realtime":
        noun, purposes = "speech-to-speech model", ["live voice agents", "spoken customer support"]
    else:
        if caps["reasoning"] and rng.random() < 0.5:
            noun = "reasoning model"
        elif m["coding"]:
            noun = "coding model"
        elif caps["vision"]:
            noun = "multimodal model"
        else:
            noun = rng.choice(["language model", "chat model", "instruction-tuned model"])
        purposes = list(PURPOSE_GENERIC)
        for k in ("tool_calling", "reasoning", "vision", "coding", "long"):
            if k in true_keys:
                purposes = PURPOSE_BY_TRAIT[k] * 3 + purposes
    purpose = rng.choice(purposes)

    s1 = rng.choice([
        f"{name} is {_poss(pname)} {adj} {noun} for {purpose}.",
        f"{name} is {art} {adj} {noun} from {pname}, tuned for {purpose}.",
        f"Part of the {fam} family, {name} is {art} {adj} {noun} built for {purpose}.",
        f"{_poss(pname)} {name} is {art} {adj} {noun} aimed at {purpose}.",
    ])
    feats = []
    for k, label in (("tool_calling", "tool calling"), ("json_mode", "JSON mode"),
                     ("structured_output", "structured outputs"), ("prompt_caching", "prompt caching"),
                     ("reasoning", "extended reasoning")):
        if caps.get(k):
            feats.append(label)
    mods = _join_words(m["input"])
    ctx = _tokens_short(m["context"])
    s2_opts = [f"It accepts {mods} input with {_a(ctx)} {ctx}-token context window."]
    if feats:
        s2_opts.append(f"It supports {_join_words(feats[:3])}.")
    if m["open_weights"]:
        s2_opts.append("Its weights are openly available" + (f" under the {m['license']} license." if m.get("license") else "."))
    if rng.random() < 0.35:
        summary = s1
    else:
        s2 = rng.choice(s2_opts)
        summary = s1 + " " + s2
    m["summary"] = summary
    rel = m["released"]
    # the description does not repeat the summary
    s2_opts = [o for o in s2_opts if o not in summary] or [
        f"It was released on {rel:%B} {rel.day}, {rel.year}."]

    # description: 2-4 sentences, sometimes a list or a link
    if rng.random() < 0.75:
        sents = [rng.choice(s2_opts)]
        if kind == "text" and rng.random() < 0.7:
            sents.append(rng.choice(ARCH_SENTENCES).format(
                active=rng.choice([3, 12, 17, 22, 37, 52]), domain=rng.choice(DOMAINS),
                family=fam, cutoff=m["cutoff"] or "early " + str(m["released"].year),
                tt=rng.choice([2, 8, 15, 18, 36])))
        if rng.random() < 0.7:
            recs = RECOMMEND_CHEAP if m["pin"] < 1 else RECOMMEND_PREMIUM
            sents.append(rng.choice(recs + RECOMMEND).format(purpose=purpose))
        if m["status"] == "preview":
            sents.append("As a preview, its behaviour and prices may change without notice.")
        if m["status"] == "deprecated":
            sents.append("It is scheduled for retirement; new projects should use its successor.")
        if len(sents) < 2:
            sents.append(f"It was released on {m['released']:%B} {m['released'].day}, {m['released'].year}.")
        desc = " ".join(sents)
        r = rng.random()
        if r < 0.2:
            bullets = []
            if feats:
                bullets.append(f"- **Features:** {', '.join(feats)}")
            bullets.append(f"- **Context:** {m['context']:,} tokens, up to {m['max_output']:,} out")
            bullets.append(f"- **Input:** {', '.join(m['input'])}")
            if m["free"]:
                bullets.append("- **Price:** free")
            desc += "\n\nHighlights:\n\n" + "\n".join(bullets)
        elif r < 0.4 and pr["has_url"]:
            desc += f" Read the [announcement]({pr['url']}/blog/{m['slug']}) for benchmarks."
        elif r < 0.47:
            desc += "\n\nCall it with `model` set to `" + m["id"] + "`."
        m["description"] = desc
    else:
        m["description"] = None

    # strengths / use cases, only from capabilities the model has
    if kind == "image":
        s_pool, u_pool = IMAGE_GEN_STRENGTHS, IMAGE_GEN_USES
        s_cond = u_cond = []
    elif kind == "tts":
        s_pool, u_pool = TTS_STRENGTHS, TTS_USES
        s_cond = u_cond = []
    else:
        s_pool, u_pool = STRENGTH_GENERIC, USE_GENERIC
        s_cond = [s for k in true_keys for s in STRENGTH_BY.get(k, ())]
        u_cond = [u for k in true_keys for u in USE_BY.get(k, ())]
        if kind == "realtime":
            s_cond, u_cond = s_cond + TTS_STRENGTHS[:2], u_cond + TTS_USES[:1]
    if rng.random() < 0.85:
        k = rng.randint(2, 5)
        kc = min(len(s_cond), rng.randint(1, 3))
        picks = _pick(rng, s_cond, kc)
        picks += [s for s in _pick(rng, s_pool, k) if s not in picks][: max(0, k - kc)]
        m["strengths"] = picks
    else:
        m["strengths"] = None
    if rng.random() < 0.8:
        k = rng.randint(2, 4)
        kc = min(len(u_cond), rng.randint(0, 2))
        picks = _pick(rng, u_cond, kc)
        picks += [u for u in _pick(rng, u_pool, k) if u not in picks][: max(0, k - kc)]
        m["use_cases"] = picks
    else:
        m["use_cases"] = None

    # links
    links: dict[str, str] = {}
    if rng.random() < 0.5:
        site = pr["url"]
        if pr["has_url"] or rng.random() < 0.5:
            links["model_card"] = f"{site}/models/{m['slug']}"
        if m["open_weights"] and rng.random() < 0.8:
            links["huggingface"] = f"https://huggingface.co/{pr['id'].replace('.', '-')}/{m['slug']}"
        if rng.random() < 0.3:
            links["paper"] = f"https://arxiv.org/abs/{rng.randint(2201, 2605)}.{rng.randint(1, 19999):05d}"
        if rng.random() < 0.2:
            links["pricing"] = f"{site}/pricing"
        if not links:
            links["docs"] = f"{site}/docs/models/{m['slug']}"
    m["links"] = links

    # faq
    faq = []
    if rng.random() < 0.10:
        cands = []
        if m["open_weights"]:
            cands.append((f"Can I self-host {name}?",
                          "Yes. The weights are published"
                          + (f" under the {m['license']} license" if m.get("license") else "")
                          + "; serve them with any OpenAI-compatible inference server."))
        elif m["open_weights"] is False:
            cands.append((f"Can I self-host {name}?",
                          f"No. {name} is only available through the API."))
        if caps.get("tool_calling"):
            cands.append((f"Does {name} support parallel tool calls?",
                          "Yes. Pass several entries in `tools`; the model may return more than "
                          "one `tool_calls` item in a single response."))
        if caps.get("reasoning"):
            cands.append(("How do I control the reasoning budget?",
                          "Set `reasoning_effort` to `low`, `medium` or `high`. Higher effort "
                          "uses more output tokens and takes longer."))
        if m["status"] == "preview":
            cands.append((f"Is {name} ready for production?",
                          "Not yet: previews can change or be withdrawn at short notice. "
                          "Pin a stable model for production traffic."))
        cands.append(("How is usage billed?",
                      "Per token, with input and output priced separately. Prices are in USD "
                      "per million tokens; see the **Pricing** section above."))
        cands.append((f"What is the rate limit for {name}?",
                       "Limits depend on your account tier. A `429` response carries a "
                       "`Retry-After` header: wait that many seconds, then retry.\n\n"
                       "- Free tier: 20 requests per minute\n- Paid tiers: see the dashboard"))
        faq = _pick(rng, cands, rng.randint(1, min(3, len(cands))))
    m["faq"] = faq


def _model_yaml(m: dict, rng: random.Random) -> str:
    L: list[str] = [f"id: {q(m['id'])}", f"name: {q(m['name'])}"]
    if m["family"]:
        L.append(f"family: {q(m['family'])}")
    L += text_field("summary", m["summary"])
    if m["description"]:
        L += markdown_field("description", m["description"])
    L.append(f"released: {m['released'].isoformat()}")
    L.append("modalities:")
    L.append(f"  input: {flow_list(m['input'])}")
    L.append(f"  output: {flow_list(m['output'])}")
    L.append("pricing:")
    L.append(f"  input: {num(m['pin'])}")
    L.append(f"  output: {num(m['pout'])}")
    if m["cached"] is not None:
        L.append(f"  cached_input: {num(m['cached'])}")
    if m["cache_write"] is not None:
        L.append(f"  cache_write: {num(m['cache_write'])}")
    L.append("limits:")
    L.append(f"  context: {m['context']}")
    L.append(f"  max_output: {m['max_output']}")
    L.append("capabilities:")
    terse = rng.random() < 0.2  # some authors list only what is true ("missing = false")
    for k, v in m["caps"].items():
        if v or not terse:
            L.append(f"  {k}: {'true' if v else 'false'}")
    if terse and not any(m["caps"].values()):
        L.append("  streaming: false")
    if m["strengths"]:
        L += str_list("strengths", m["strengths"], rng)
    if m["use_cases"]:
        L += str_list("use_cases", m["use_cases"], rng)
    if m["usage"]:
        t, r, a = m["usage"]
        L += ["usage:", f"  tokens: {t}", f"  requests: {r}", f"  as_of: {a.isoformat()}"]
    if m["status"] != "active" or m["explicit_active"]:
        L.append(f"status: {m['status']}")
    dep = m.get("deprecation")
    if dep:
        L.append("deprecation:")
        L.append(f"  date: {dep[0].isoformat()}")
        if dep[1]:
            L.append(f"  replacement: {q(dep[1])}")
    if m["tags"]:
        L.append(f"tags: {flow_list(m['tags'])}")
    if m["open_weights"] is not None:
        L.append(f"open_weights: {'true' if m['open_weights'] else 'false'}")
    if m.get("license"):
        L.append(f"license: {q(m['license'])}")
    if m["cutoff"]:
        L.append(f'knowledge_cutoff: "{m["cutoff"]}"')
    if m["links"]:
        L.append("links:")
        L += [f"  {k}: {v}" for k, v in m["links"].items()]
    if m["faq"]:
        L.append("faq:")
        for qq, aa in m["faq"]:
            L.append(f"  - q: {q(qq)}")
            L += markdown_field("a", aa, "    ")
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------------------
# Catalog-level files

SITE_YAML = """\
# The gateway this catalog documents (generated by benchmarks/generate.py, seed {seed}).
name: AIgateway
url: https://aigateway.sh/
tagline: One OpenAI-compatible API for every open model.
api:
  base_url: https://api.aigateway.sh/v1
  key_env: AIGATEWAY_API_KEY
  key_prefix: sk-aig-
  example_request:
    system: You are a helpful assistant.
    user: Hello!
    temperature: 0.7
    top_p: 0.95
    max_tokens: 1024
fee:
  percent: 5
  note: You pay pass-through; 5% applied at credit top-up, not per call.
usage:                    # market volume that "market share" divides by
  tracked_tokens: {tracked}
  as_of: {as_of}
errors:
  - {{status: 400, type: invalid_request_error, message: Malformed request body, retryable: false}}
  - {{status: 401, type: authentication_error, message: Invalid or missing API key, retryable: false}}
  - {{status: 402, type: insufficient_credits, message: Wallet empty (PAYG only), retryable: false}}
  - {{status: 404, type: not_found, message: Unknown model or endpoint, retryable: false}}
  - {{status: 429, type: rate_limit_error, message: Over per-minute limit, retryable: true, header: Retry-After}}
  - {{status: 500, type: server_error, message: Upstream provider failed, retryable: true}}
  - {{status: 503, type: service_unavailable, message: Upstream saturated, retryable: true}}
links:
  docs: https://aigateway.sh/docs
  api_reference: https://aigateway.sh/docs/api
  playground: https://aigateway.sh/playground?model={{model}}
  dashboard: https://aigateway.sh/dashboard
"""

DOCS = {
    "quickstart.md": """\
---
title: Quickstart
description: Make your first request through the gateway in five minutes.
order: 1
---

Every model in this catalog is reachable through one OpenAI-compatible endpoint.
Create a key in the dashboard, export it, and point any OpenAI SDK at the gateway:

```bash
export AIGATEWAY_API_KEY=sk-aig-...
```

```python
import os

from openai import OpenAI

client = OpenAI(base_url="https://api.aigateway.sh/v1", api_key=os.environ["AIGATEWAY_API_KEY"])
reply = client.chat.completions.create(
    model="{model}",
    messages=[{"role": "user", "content": "Hello!"}],
)
print(reply.choices[0].message.content)
```

Change `model` to any id from the [pricing table](../../pricing/) to switch models;
nothing else changes.
""",
    "billing.md": """\
---
title: Billing and limits
description: How prices, the platform fee and rate limits work.
order: 2
---

Prices are listed in **USD per million tokens**, separately for input and output.
Cached input, where a model supports prompt caching, is billed at the lower
`cached_input` price.

- You pay the provider's price, passed through unchanged.
- A 5% platform fee is applied when you top up credits, not per call.
- Free models are rate-limited to 20 requests per minute.

When you exceed a limit the API answers `429` with a `Retry-After` header.
See the [pricing table](../../pricing/) for every model's prices.
""",
}

COLLECTIONS = [
    ("text", "Text models", "Models that read and write text.",
     "{output_modality: text}", lambda m: "text" in m["output"]),
    ("frontier", "Frontier models", "The most capable models in the catalog.",
     "{tag: frontier}", lambda m: "frontier" in m["tags"]),
    ("free-tier", "Free-tier models", "Models callable on the free tier.",
     "{tag: free-tier}", lambda m: "free-tier" in m["tags"]),
    ("open-weights", "Open-weight models", "Models whose weights you can download and self-host.",
     "{tag: open-weights}", lambda m: "open-weights" in m["tags"]),
    ("reasoning", "Reasoning models", "Models that think step by step before they answer.",
     "{capability: reasoning}", lambda m: m["caps"].get("reasoning")),
    ("vision", "Vision models", "Models that understand images.",
     "{input_modality: image, capability: vision}",
     lambda m: "image" in m["input"] and m["caps"].get("vision")),
    ("long-context", "Long-context models", "A context window of a million tokens or more.",
     "{min_context: 1000000}", lambda m: m["context"] >= 1000000),
    ("budget-coding", "Coding on a budget", "Coding models at $1 or less per million input tokens.",
     "{tag: coding, max_input_price: 1}", lambda m: "coding" in m["tags"] and m["pin"] <= 1),
    ("previews", "Previews", "Models you can try before they are generally available.",
     "{status: preview}", lambda m: m["status"] == "preview"),
]


# --------------------------------------------------------------------------------------
# Entry point


def generate_catalog(dest: Path, n: int, seed: int = 0, providers: int | None = None) -> None:
    """Write a complete, valid catalog of n models at dest (the `catalog/` folder itself).

    Folders this function writes (models/, providers/, docs/) are emptied first so a rerun
    with a smaller n leaves no stale records. providers defaults to default_provider_count(n).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    dest = Path(dest)
    rng = random.Random(seed)
    p = default_provider_count(n) if providers is None else max(0, min(providers, n))
    if n > 0 and p == 0:
        p = 1

    gc_was_enabled = gc.isenabled()
    gc.disable()  # ~10^7 long-lived objects: the cyclic GC would rescan them again and again
    try:
        _generate(dest, n, seed, p, rng)
    finally:
        if gc_was_enabled:
            gc.enable()


def _generate(dest: Path, n: int, seed: int, p: int, rng: random.Random) -> None:
    provs = _make_providers(rng, p)
    counts = _zipf_counts(n, p, s=1.0)
    order = list(range(p))
    rng.shuffle(order)  # which provider gets which rank

    models: list[dict] = []
    by_provider: dict[str, list[dict]] = {}
    for rank, pi in enumerate(order):
        pr = provs[pi]
        count = counts[rank]
        pr["count"] = count
        prng = random.Random(f"{seed}:{pr['id']}")
        fams = _make_families(prng, pr, count)
        fam_cum = list(accumulate(1.0 / (i + 1) ** 0.8 for i in range(len(fams))))
        taken: set[str] = set()
        lst = [_make_model(prng, pr, fams, fam_cum, taken) for _ in range(count)]
        lst.sort(key=lambda m: m["slug"])
        for m in lst:
            _text_for(m, pr, prng)
        by_provider[pr["id"]] = lst
        models.extend(lst)

    # deprecations: date after release, replacement an existing, non-deprecated id
    live_by_family: dict[tuple[str, str], list[dict]] = {}
    live_by_provider: dict[str, list[dict]] = {}
    live_all: list[dict] = []
    for m in models:
        if m["status"] != "deprecated":
            live_by_family.setdefault((m["provider"], m["family_key"]), []).append(m)
            live_by_provider.setdefault(m["provider"], []).append(m)
            live_all.append(m)
    for m in models:
        if m["status"] != "deprecated" or rng.random() >= 0.9:
            m["deprecation"] = None
            continue
        if rng.random() < 0.75:  # retirement announced for a date still ahead
            date = _rand_date(rng, _dt.date(2026, 6, 1), _dt.date(2027, 3, 31))
        else:
            date = _rand_date(rng, _add_days(m["released"], 120), _dt.date(2026, 5, 29))
        fam = live_by_family.get((m["provider"], m["family_key"]), [])
        cands = ([c for c in fam if c["released"] >= m["released"]] or fam
                 or live_by_provider.get(m["provider"]) or live_all)
        repl = rng.choice(cands)["id"] if cands and rng.random() < 0.85 else None
        m["deprecation"] = (date, repl)

    # write
    dest.mkdir(parents=True, exist_ok=True)
    for sub in ("models", "providers", "docs"):
        if (dest / sub).exists():
            shutil.rmtree(dest / sub)
    (dest / "providers").mkdir()
    (dest / "models").mkdir()
    (dest / "docs").mkdir()

    total_tokens = sum(m["usage"][0] for m in models if m["usage"])
    tracked = _sig(max(total_tokens, 10**9) * rng.uniform(1.4, 2.5), 3)
    _write(dest / "site.yaml", SITE_YAML.format(seed=seed, tracked=tracked, as_of=USAGE_AS_OF))

    coll_lines = []
    for cid, title, desc, where, test in COLLECTIONS:
        if any(test(m) for m in models):
            coll_lines += [f"- id: {cid}", f"  title: {q(title)}", f"  description: {q(desc)}",
                           f"  where: {where}"]
    if provs:  # one provider-scoped collection: the largest provider's tool-calling models
        top = provs[order[0]]
        if any(m["caps"].get("tool_calling") for m in by_provider[top["id"]]):
            coll_lines += [f"- id: {top['id']}-tools",
                           f"  title: {q(top['name'] + ' models with tool calling')}",
                           f"  description: {q('Models by ' + top['name'] + ' that can call tools.')}",
                           f"  where: {{provider: {q(top['id'], flow=True)}, capability: tool_calling}}"]
    _write(dest / "collections.yaml", "\n".join(coll_lines) + "\n" if coll_lines else "[]\n")

    example_model = models[0]["id"] if models else "provider/model"
    for name, text in DOCS.items():
        _write(dest / "docs" / name, text.replace("{model}", example_model))

    # Creating 100,000 small files is mostly file-system time; plain os.open/os.write is the
    # cheapest way (writer threads were tried: they only added system time).
    for pr in sorted(provs, key=lambda x: x["id"]):
        prng = random.Random(f"{seed}:{pr['id']}:text")
        _write(dest / "providers" / f"{pr['id']}.yaml", _provider_yaml(pr, prng, pr["count"]))
        mdir = dest / "models" / pr["id"]
        mdir.mkdir()
        prefix = os.path.join(mdir, "")
        for m in by_provider[pr["id"]]:
            _write_bytes(f"{prefix}{m['slug']}.yaml", _model_yaml(m, prng).encode("utf-8"))


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _write_bytes(path: str, data: bytes) -> None:
    fd = os.open(path, _WRITE_FLAGS, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _tree_size(root: Path) -> tuple[int, int]:
    files = size = 0
    for dirpath, _dirs, names in os.walk(root):
        for nm in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, nm))
    return files, size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Write a seeded catalog of N realistic models at DEST/catalog/.")
    ap.add_argument("n", type=int, metavar="N", help="number of model records")
    ap.add_argument("dest", type=Path, metavar="DEST", help="project folder (catalog/ is written inside)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--providers", type=int, default=None,
                    help="number of providers (default: max(8, 1.5*sqrt(N)), at most 300)")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be >= 0")
    cat = args.dest / "catalog"
    t0 = time.perf_counter()
    generate_catalog(cat, args.n, seed=args.seed, providers=args.providers)
    dt = time.perf_counter() - t0
    provs = len(list((cat / "providers").glob("*.yaml")))
    files, size = _tree_size(cat)
    print(f"wrote {cat}: {args.n:,} model{'' if args.n == 1 else 's'}, "
          f"{provs:,} provider{'' if provs == 1 else 's'}, 2 docs pages, "
          f"{files:,} files, {size / 1e6:.1f} MB in {dt:.2f}s (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

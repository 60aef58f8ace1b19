"""The catalog format of CONTRACT.md section 1, as pydantic models.

These are *authored* records: what people type. Derived figures live in
generator.site. Every model forbids unknown keys and is strict, so YAML's
guesses (`no` -> False, `3.10` -> 3.1) are errors, not silent values.
tests/test_validation.py checks one change per rule; `modelcat schema`
publishes ModelRecord's JSON Schema for editors.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from .limits import (ITEMS_MAX, KEY_MAX, MARKDOWN_MAX, NAME_MAX, NESTING_MAX, TEXT_MAX,
                                      URL_MAX, http_url_error, nesting)

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"  # for pydantic's Rust regex, where $ is the end of the text
ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")  # Python's $ also matches before a final newline

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=100)]
ModelId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*$",
                                           max_length=201)]
Text = Annotated[str, StringConstraints(min_length=1)]
# Lengths a page can show (generator.records.limits): a name is on every page that lists it.
Name = Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
Line = Annotated[str, StringConstraints(max_length=NAME_MAX)]
Paragraph = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
Prose = Annotated[str, StringConstraints(max_length=TEXT_MAX)]
Key = Annotated[str, StringConstraints(max_length=KEY_MAX)]
Modality = Literal["text", "image", "audio", "video", "file"]
Status = Literal["active", "preview", "deprecated"]
Kind = Literal["chat", "embedding", "rerank", "image", "speech", "transcription", "moderation", "video"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
# kinds that must state a price per output token (others may bill output another way: audio, images)
OUTPUT_PRICED_KINDS = ("chat",)
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Capability = Literal["streaming", "tool_calling", "vision", "json_mode", "prompt_caching",
                     "reasoning", "structured_output"]
CAPABILITIES: tuple[str, ...] = Capability.__args__  # type: ignore[attr-defined]
MODALITIES: tuple[str, ...] = Modality.__args__  # type: ignore[attr-defined]
Price = Annotated[float, Field(ge=0, allow_inf_nan=False)]


def _http_url(value: str) -> str:
    error = http_url_error(value)
    if error:
        raise ValueError(error)
    return value


def _no_dots(value: str) -> str:
    if value in (".", ".."):
        raise ValueError(f"{value!r} is not a usable id")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _quoted_date(value):
    """Read a quoted ISO date ('2024-09-25', as YAML written from JSON has it) as the date."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"cannot read {value!r} as a date") from None
    return value


def _markdown(value: str) -> str:
    depth, line = nesting(value)
    if depth > NESTING_MAX:
        raise ValueError(f"lists and block quotes nest {depth} levels deep (line {line} of the text); "
                         f"at most {NESTING_MAX} are allowed")
    return value


Url = Annotated[str, StringConstraints(max_length=URL_MAX), AfterValidator(_http_url)]
Markdown = Annotated[str, StringConstraints(max_length=MARKDOWN_MAX), AfterValidator(_markdown)]
Date = Annotated[datetime.date, BeforeValidator(_quoted_date)]
Id = Annotated[Id, AfterValidator(_no_dots)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- site.yaml -------------------------------------------------------------

class ExampleRequest(Record):
    """Defaults for the request-body example shown on every model page."""

    system: Prose | None = "You are a helpful assistant."
    user: Paragraph = "Hello!"
    temperature: Annotated[float, Field(ge=0, le=2, allow_inf_nan=False)] = 0.7
    top_p: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 0.95
    max_tokens: Annotated[int, Field(gt=0)] = 1024


class Api(Record):
    base_url: Url = Field(description="OpenAI-compatible base URL used in every snippet")
    key_env: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=KEY_MAX)]
    key_prefix: Line | None = None
    example_request: ExampleRequest = ExampleRequest()


class Fee(Record):
    percent: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None = None
    note: Prose | None = None


class MarketUsage(Record):
    tracked_tokens: Annotated[int, Field(gt=0)] | None = None
    as_of: Date | None = None


class ErrorRecord(Record):
    status: Annotated[int, Field(ge=400, le=599)]
    type: Name
    message: Paragraph
    retryable: bool
    header: Line | None = None


class SiteRecord(Record):
    name: Name
    url: Url
    tagline: Prose | None = None
    api: Api
    fee: Fee = Fee()
    usage: MarketUsage = MarketUsage()
    errors: Annotated[list[ErrorRecord], Field(max_length=ITEMS_MAX)] = []
    links: Annotated[dict[Key, Url], Field(max_length=ITEMS_MAX)] = {}


# --- providers/<provider>.yaml ---------------------------------------------

class ProviderRecord(Record):
    id: Id
    name: Name
    url: Url | None = None
    description: Markdown = ""
    byok: bool = False


# --- models/<provider>/<slug>.yaml -------------------------------------------

class Modalities(Record):
    input: Annotated[list[Modality], Field(min_length=1, max_length=len(MODALITIES))]
    output: Annotated[list[Modality], Field(min_length=1, max_length=len(MODALITIES))]


class PriceSet(Record):
    """Prices of one kind each, all optional: the shape of a tier and of a service variant."""

    input: Price | None = Field(None, description="USD per 1M input tokens")
    output: Price | None = Field(None, description="USD per 1M output tokens")
    cached_input: Price | None = Field(None, description="USD per 1M cached input tokens")
    cache_write: Price | None = Field(None, description="USD per 1M tokens written to the cache (5-minute cache)")
    cache_write_1h: Price | None = Field(None, description="USD per 1M tokens written to the 1-hour cache")
    reasoning: Price | None = Field(None, description="USD per 1M reasoning tokens, where billed apart from output")
    input_audio: Price | None = Field(None, description="USD per 1M audio input tokens")
    output_audio: Price | None = Field(None, description="USD per 1M audio output tokens")
    per_request: Price | None = Field(None, description="USD per request")
    per_search: Price | None = Field(None, description="USD per web-search query")
    per_image: Price | None = Field(None, description="USD per generated image")
    per_second_audio: Price | None = Field(None, description="USD per second of audio")
    per_second_video: Price | None = Field(None, description="USD per second of video")


# The price keys, in the order a page lists them (every PriceSet field).
PRICE_KEYS: tuple[str, ...] = tuple(PriceSet.model_fields)
TOKEN_PRICE_KEYS: tuple[str, ...] = ("input", "output", "cached_input", "cache_write", "cache_write_1h",
                                     "reasoning", "input_audio", "output_audio")


class PriceTier(PriceSet):
    """Prices for prompts longer than `above` tokens: only the prices that change."""

    above: Annotated[int, Field(gt=0)] = Field(description="prompts over this many tokens get these prices")


class Variants(Record):
    """Service tiers of the same model, each with its own prices (only those that differ)."""

    batch: PriceSet | None = Field(None, description="asynchronous batch jobs")
    flex: PriceSet | None = Field(None, description="slower, cheaper processing")
    priority: PriceSet | None = Field(None, description="faster, guaranteed processing")


VARIANTS: tuple[str, ...] = tuple(Variants.model_fields)


class Pricing(PriceSet):
    """The headline prices. USD per 1M tokens unless the key says otherwise."""

    input: Price = Field(description="USD per 1M input tokens")
    output: Price | None = Field(None, description="USD per 1M output tokens (required for a chat model)")
    tiers: Annotated[list[PriceTier], Field(max_length=ITEMS_MAX)] = Field(
        [], description="prices above a context size, `above` strictly increasing")
    variants: Variants | None = Field(None, description="service tiers: batch, flex, priority")


class Limits(Record):
    context: Annotated[int, Field(gt=0)] = Field(description="context window, tokens")
    max_output: Annotated[int, Field(gt=0)] = Field(description="max output tokens, <= context")


class Capabilities(Record):
    streaming: bool = False
    tool_calling: bool = False
    vision: bool = False
    json_mode: bool = False
    prompt_caching: bool = False
    reasoning: bool = False
    structured_output: bool = False


class ModelUsage(Record):
    tokens: Annotated[int, Field(ge=0)]
    requests: Annotated[int, Field(ge=0)] | None = None
    as_of: Date | None = None


class Deprecation(Record):
    date: Date = Field(description="the day the model is (or will be) deprecated; may be ahead of status")
    shutdown: Date | None = Field(None, description="the day it stops answering, on or after `date`")
    replacement: ModelId | None = None


class OfferLimits(Record):
    context: Annotated[int, Field(gt=0)] | None = Field(None, description="context window at this host, tokens")
    max_output: Annotated[int, Field(gt=0)] | None = Field(None, description="max output tokens at this host")


class Offer(Record):
    """One upstream host that serves the model, with its own prices and limits."""

    host: Id = Field(description="the host's id, e.g. openai, azure, vertex")
    region: Id | None = Field(None, description="where the host serves it, e.g. eu, us")
    pricing: Pricing
    limits: OfferLimits = OfferLimits()
    default: bool = Field(False, description="the host requests go to unless told otherwise")


class FaqEntry(Record):
    q: Paragraph
    a: Annotated[Markdown, StringConstraints(min_length=1)] = Field(description="Markdown")


class ModelRecord(Record):
    """One model of the catalog: catalog/models/<provider>/<slug>.yaml."""

    id: ModelId = Field(description='"<provider>/<slug>", equal to the file\'s path')
    name: Name
    family: Line | None = None
    base_model: ModelId | None = Field(
        None, description="the model this record is a version, snapshot or host-specific id of, e.g. "
                          "openai/gpt-4o for openai/gpt-4o-2024-08-06; a model of the catalog")
    summary: Paragraph = Field(description="one plain-text paragraph")
    description: Markdown | None = Field(None, description="Markdown; raw HTML is sanitised")
    kind: Kind = Field("chat", description="what the model does; listings compare like with like")
    released: Date | Month | None = Field(None, description="YYYY-MM-DD, or YYYY-MM when only the month is known")
    modalities: Modalities
    pricing: Pricing
    limits: Limits
    capabilities: Capabilities = Capabilities()
    strengths: Annotated[list[Name], Field(max_length=ITEMS_MAX)] = []
    use_cases: Annotated[list[Name], Field(max_length=ITEMS_MAX)] = []
    usage: ModelUsage | None = None
    status: Status = "active"
    deprecation: Deprecation | None = None
    tags: Annotated[list[Id], Field(max_length=ITEMS_MAX)] = []
    open_weights: bool | None = None
    license: Line | None = None
    knowledge_cutoff: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None = None
    links: Annotated[dict[Key, Url], Field(max_length=ITEMS_MAX)] = {}
    faq: Annotated[list[FaqEntry], Field(max_length=ITEMS_MAX)] = []
    offers: Annotated[list[Offer], Field(max_length=ITEMS_MAX)] = Field(
        [], description="upstream hosts serving this model, each with its own prices and limits")


# --- collections.yaml and docs ----------------------------------------------

class Where(Record):
    provider: Id | None = None
    tag: Id | None = None
    input_modality: Modality | None = None
    output_modality: Modality | None = None
    capability: Capability | None = None
    max_input_price: Price | None = None
    min_context: Annotated[int, Field(gt=0)] | None = None
    status: Status | None = None


class CollectionRecord(Record):
    id: Id
    title: Name
    description: Markdown = ""
    where: Where = Where()


class DocMeta(Record):
    """Front matter of catalog/docs/<page>.md."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    title: Name | None = None
    description: Prose | None = None
    order: int | None = None

"""Validated records -> the resolved, read-only catalog that every output renders.

Everything derived is computed here, once: market share, collection
membership, "More from <provider>", family siblings, the generated summary
and FAQ, URLs and dates. Templates and serialisers only read it. Iteration
orders are fixed (ids, then explicit sort keys) so builds are byte-identical.
tests/test_site.py checks the derived figures against hand-worked values.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from . import formats, prose, urls
from .urls import page_path  # noqa: F401  (listings and tests take it from here too)
from .problems import BadUsage, EnvironmentFault
from .records import schema
from .records.checks import matches
from .records.limits import http_url_error
from .records.load import DocRecord, Records

CAPABILITY_LABELS: dict[str, str] = {
    "streaming": "Streaming",
    "tool_calling": "Tool calling",
    "vision": "Vision",
    "json_mode": "JSON mode",
    "prompt_caching": "Prompt caching",
    "reasoning": "Reasoning",
    "structured_output": "Structured output",
}
# Every price key: (label, unit). Token prices are per 1M tokens; the others say their unit.
PRICE_LABELS: dict[str, tuple[str, str]] = {
    "input": ("Input", "1M tokens"),
    "output": ("Output", "1M tokens"),
    "cached_input": ("Cached input", "1M tokens"),
    "cache_write": ("Cache write (5 min)", "1M tokens"),
    "cache_write_1h": ("Cache write (1 hour)", "1M tokens"),
    "reasoning": ("Reasoning", "1M tokens"),
    "input_audio": ("Audio input", "1M tokens"),
    "output_audio": ("Audio output", "1M tokens"),
    "per_request": ("Request", "request"),
    "per_search": ("Web search", "search"),
    "per_image": ("Image", "image"),
    "per_second_audio": ("Audio duration", "second"),
    "per_second_video": ("Video duration", "second"),
}
VARIANT_LABELS: dict[str, str] = {"batch": "Batch", "flex": "Flex", "priority": "Priority"}
# What a model's lifecycle is on the build day (ModelEntry.lifecycle).
LIFECYCLE_STATES = ("active", "preview", "scheduled", "deprecated", "shut_down")
MORE_FROM_PROVIDER = 6
FAMILY_SHOWN = 12
VERSIONS_SHOWN = 12  # on a page: the JSON document lists every version


class _Linked:
    """Entries point at each other (model -> provider -> models -> ...): the dataclass repr
    would expand that graph combinatorially and hang any failing assert that shows one."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"  # type: ignore[attr-defined]


@dataclass(frozen=True, eq=False)
class FaqItem:
    q: str
    a: str  # Markdown (generated answers are plain text, which is valid Markdown)
    generated: bool


@dataclass(frozen=True, eq=False)
class PriceRow:
    """One price of a price list, as a page states it."""

    key: str  # a key of schema.PRICE_KEYS
    label: str  # "Input", "Web search"
    unit: str  # "1M tokens", "search", "second"
    value: float  # USD per unit, as authored (the fee of site.yaml is a note beside it, never added)

    @property
    def per_token(self) -> bool:
        return self.unit == "1M tokens"


@dataclass(frozen=True, eq=False)
class PriceTierEntry:
    above: int  # prompts over this many tokens
    prices: dict[str, float]  # every token price in force above it: the tier's own, else the one below


@dataclass(frozen=True, eq=False)
class OfferEntry:
    host: str
    region: str | None
    rows: tuple[PriceRow, ...]
    pricing: schema.Pricing
    context: int  # the offer's own limit, else the model's
    max_output: int
    default: bool
    headline: bool  # the offer whose prices lead (the default, else the cheapest)

    @property
    def label(self) -> str:
        return self.host + (f" ({self.region})" if self.region else "")


def price_rows(prices) -> tuple[PriceRow, ...]:
    """Return the prices a price set names, in the order of schema.PRICE_KEYS."""
    rows = []
    for key in schema.PRICE_KEYS:
        value = getattr(prices, key, None)
        if value is not None:
            label, unit = PRICE_LABELS[key]
            rows.append(PriceRow(key, label, unit, value))
    return tuple(rows)


def resolved_tiers(pricing: schema.Pricing) -> tuple[PriceTierEntry, ...]:
    """Return each tier with every token price in force above it (a tier states only what changes)."""
    current = {k: getattr(pricing, k) for k in schema.TOKEN_PRICE_KEYS if getattr(pricing, k) is not None}
    out = []
    for tier in pricing.tiers:
        current = dict(current)
        current.update({k: getattr(tier, k) for k in schema.TOKEN_PRICE_KEYS if getattr(tier, k) is not None})
        out.append(PriceTierEntry(tier.above, current))
    return tuple(out)


def offer_cost(pricing: schema.Pricing) -> tuple[float, float]:
    """The key offers are ordered by: input + output per 1M tokens, then input."""
    return (pricing.input + (pricing.output or 0.0), pricing.input)


def capability_rows(rec: schema.ModelRecord) -> tuple[tuple[str, str, bool], ...]:
    """Return (key, label, yes/no) for each of the seven capabilities, in their order."""
    return tuple((k, CAPABILITY_LABELS[k], bool(getattr(rec.capabilities, k))) for k in schema.CAPABILITIES)


def lifecycle(rec: schema.ModelRecord, today: datetime.date) -> str:
    """Return the model's state on `today`: one of LIFECYCLE_STATES."""
    dep = rec.deprecation
    if dep is not None and dep.shutdown is not None and dep.shutdown <= today:
        return "shut_down"
    if rec.status == "deprecated" or (dep is not None and dep.date <= today):
        return "deprecated"
    if dep is not None:
        return "scheduled"
    return rec.status


def released_on(value) -> datetime.date | None:
    """Return a release as a date (a month-only release: its first day), None when unknown."""
    if value is None or isinstance(value, datetime.date):
        return value
    year, month = value.split("-")
    return datetime.date(int(year), int(month), 1)


def lifecycle_today() -> datetime.date:
    """The day lifecycle states are relative to: SOURCE_DATE_EPOCH, else today (as the warnings are)."""
    return source_date() or datetime.date.today()


@dataclass(frozen=True, eq=False, repr=False)
class ProviderEntry(_Linked):
    id: str
    name: str
    url: str | None
    description: str  # Markdown
    byok: bool
    models: tuple["ModelEntry", ...] = ()
    path: str = ""  # providers/<id>/

    @property
    def md_path(self) -> str:
        return urls.provider_md(self.id)

    @property
    def llms_path(self) -> str:
        return urls.provider_llms(self.id)


@dataclass(frozen=True, eq=False, repr=False)
class CollectionEntry(_Linked):
    id: str
    title: str
    description: str
    where: schema.Where
    models: tuple["ModelEntry", ...] = ()
    provider: ProviderEntry | None = None  # set for a provider's own collection
    path: str = ""  # collections/<id>/ or providers/<id>/


# --- what one model's outputs show of other entries -----------------------------------------
# A model's page, .md and .json render from its ModelEntry alone: the entries it links to are
# these small copies of what the links say, never the linked entries themselves, so a digest
# of the ModelEntry covers every byte of its outputs (generator.views).

@dataclass(frozen=True)
class ProviderRef:
    id: str
    name: str
    url: str | None
    byok: bool
    path: str  # providers/<id>/
    model_count: int

    @property
    def md_path(self) -> str:
        return urls.provider_md(self.id)


@dataclass(frozen=True)
class ModelRef:
    id: str
    name: str
    path: str
    md_path: str
    input_price: float  # USD per 1M input tokens
    context: int


@dataclass(frozen=True)
class CollectionRef:
    id: str
    title: str
    path: str


class RecordFacts:
    """What a model's record says, as pages show it: shared by the model's entry and its
    listing row (generator.views.ListingRow), each of which holds the record as `record`."""

    record: schema.ModelRecord

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def released(self) -> str:
        """The release as known: "2024-09-25", "2024-09" or "" (nothing is invented)."""
        value = self.record.released
        return "" if value is None else value.isoformat() if isinstance(value, datetime.date) else value

    @functools.cached_property
    def tiers(self) -> tuple[PriceTierEntry, ...]:
        return resolved_tiers(self.record.pricing)

    @functools.cached_property
    def variants(self) -> tuple[tuple[str, str, tuple[PriceRow, ...]], ...]:
        """(key, label, the prices it names) for each service variant the record lists."""
        v = self.record.pricing.variants
        if v is None:
            return ()
        return tuple((k, VARIANT_LABELS[k], price_rows(getattr(v, k)))
                     for k in schema.VARIANTS if getattr(v, k) is not None)


@dataclass(frozen=True, eq=False, repr=False)
class ModelEntry(RecordFacts, _Linked):
    """One model as its three outputs show it (the page, its .md and .json twins)."""

    record: schema.ModelRecord
    id: str
    provider_id: str
    slug: str
    provider: ProviderRef
    path: str  # models/<provider>/<slug>/  (directory URL of the HTML page)
    md_path: str  # models/<provider>/<slug>.md
    json_path: str  # models/<provider>/<slug>.json
    share: float | None  # of tracked market volume, 0..1; None without usage
    rank: int | None  # leaderboard rank by usage tokens, 1-based
    collections: tuple[CollectionRef, ...] = ()
    more_from_provider: tuple[ModelRef, ...] = ()
    family_siblings: tuple[ModelRef, ...] = ()  # the first FAMILY_SHOWN others of the family
    family_count: int = 0  # how many others the family has
    replacement: ModelRef | None = None
    base: ModelRef | None = None  # the model record.base_model names
    versions: tuple[ModelRef, ...] = ()  # the models whose base_model is this one, by id
    capabilities: tuple[tuple[str, str, bool], ...] = ()  # (key, label, yes/no), all seven
    lastmod: datetime.date = datetime.date(1970, 1, 1)
    site_record: "schema.SiteRecord | None" = None
    lifecycle: str = "active"  # one of LIFECYCLE_STATES, on the build day (lifecycle_today())
    offers: tuple[OfferEntry, ...] = ()  # cheapest first (input + output), then host and region
    history: tuple = ()  # generator.history.Entry, oldest first: set by attach_history

    @property
    def released_on(self) -> datetime.date | None:
        """The release as a date to sort by (a month-only release counts from its first day)."""
        return released_on(self.record.released)

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def versions_shown(self) -> tuple[ModelRef, ...]:
        """The versions a page lists: bounded, however many records name this model."""
        return self.versions[:VERSIONS_SHOWN]

    @functools.cached_property
    def price_rows(self) -> tuple[PriceRow, ...]:
        """The headline prices, each with its label and unit."""
        return price_rows(self.record.pricing)

    @functools.cached_property
    def tier_table(self) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[int | None, tuple[float | None, ...]], ...]]:
        """((key, label) of each token price a tier changes, ...), ((above, prices), ...) from the
        headline row (above None: prompts up to the first tier) to the last tier."""
        if not self.tiers:
            return (), ()
        keys = [k for k in schema.TOKEN_PRICE_KEYS if any(getattr(t, k) is not None for t in self.record.pricing.tiers)]
        rows = [(None, tuple(getattr(self.record.pricing, k) for k in keys))]
        rows += [(t.above, tuple(t.prices.get(k) for k in keys)) for t in self.tiers]
        return tuple((k, PRICE_LABELS[k][0]) for k in keys), tuple(rows)

    @functools.cached_property
    def variant_table(self) -> tuple[tuple[str, str, str, float | None, tuple[float | None, ...]], ...]:
        """(key, label, unit, headline price, each variant's price) for every price any of them names.

        None where a price list names no such price: nothing is carried over from the headline.
        """
        v = self.record.pricing.variants
        if v is None:
            return ()
        names = [k for k, _, _ in self.variants]
        out = []
        for key in schema.PRICE_KEYS:
            base = getattr(self.record.pricing, key)
            others = tuple(getattr(getattr(v, n), key) for n in names)
            if base is not None or any(x is not None for x in others):
                label, unit = PRICE_LABELS[key]
                out.append((key, label, unit, base, others))
        return tuple(out)

    @property
    def headline_offer(self) -> OfferEntry | None:
        return next((o for o in self.offers if o.headline), None)

    @property
    def deprecation_date(self) -> datetime.date | None:
        return self.record.deprecation.date if self.record.deprecation else None

    @property
    def shutdown_date(self) -> datetime.date | None:
        return self.record.deprecation.shutdown if self.record.deprecation else None

    @functools.cached_property
    def price_history(self) -> "PriceHistory":
        """Its prices at each commit that changed them (attach_history)."""
        return price_history(self)

    # Derived here, once per model, but on first use: only the pages being rendered need
    # them, so an incremental build (or a worker) computes them for its own models only.
    @functools.cached_property
    def overview(self) -> str:
        """The generated summary paragraph of the seed page."""
        return overview(self, self.site_record)

    @functools.cached_property
    def faq(self) -> tuple[FaqItem, ...]:
        return faq(self, self.site_record)

    @property
    def modalities_all(self) -> tuple[str, ...]:
        seen = set(self.record.modalities.input) | set(self.record.modalities.output)
        return tuple(m for m in schema.MODALITIES if m in seen)


@dataclass(frozen=True, eq=False)
class DocPage:
    id: str
    title: str
    description: str
    order: int
    body: str  # Markdown
    source: str  # display path of the file
    path: str  # docs/<id>/


class SiteFacts:
    """What the site and its frame (generator.views.SiteFrame) both say, from site.yaml and the URL."""

    record: schema.SiteRecord
    url: str

    @property
    def fee_note(self) -> str:
        """The platform-fee sentence shown beside every price ("" without a fee): one source for all."""
        return prose.fee_note(self.record.fee)

    @property
    def platform_fee(self) -> str:
        """The phrase "the 5% platform fee", for the sentences that name it ("" without a percent)."""
        return prose.platform_fee(self.record.fee)

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def api(self) -> schema.Api:
        return self.record.api

    def absolute(self, path: str) -> str:
        """Return the absolute URL of a site path ("" for the home page)."""
        return self.url + path


@dataclass(frozen=True, eq=False)
class Site(SiteFacts):
    record: schema.SiteRecord
    url: str  # canonical base, always ending in "/"
    models: tuple[ModelEntry, ...]  # sorted by id
    models_by_id: dict[str, ModelEntry]
    providers: tuple[ProviderEntry, ...]  # sorted by id
    providers_by_id: dict[str, ProviderEntry]
    collections: tuple[CollectionEntry, ...]  # as listed in collections.yaml
    docs: tuple[DocPage, ...]  # by order, then title
    leaderboard: tuple[ModelEntry, ...]  # models with usage, most tokens first
    market_tokens: int  # the volume market share divides by
    build_date: datetime.date  # from the data or SOURCE_DATE_EPOCH, never the clock
    newest: tuple[ModelEntry, ...] = field(default=())  # by release date, newest first (unknown last)
    today: datetime.date = datetime.date(1970, 1, 1)  # lifecycle states are as of this day
    # the catalog's git history (attach_history): changes newest first, removed models by id
    changes: tuple["Change", ...] = ()
    removed: tuple["RemovedModel", ...] = ()
    history_note: str | None = None  # why there is no history (outside git, shallow clone)
    has_history: bool = False

    @property
    def leaderboard_size(self) -> int:
        return len(self.leaderboard)


def build_site(records: Records, base_url: str | None = None) -> Site:
    """Return the resolved catalog of valid, checked records."""
    site_rec = records.site
    assert site_rec is not None, "build_site needs a validated site.yaml"
    if base_url is not None:
        check_base_url(base_url)
    url = base_url or site_rec.url
    if not url.endswith("/"):
        url += "/"

    providers: dict[str, ProviderEntry] = {}
    for pid in sorted(records.providers):
        p = records.providers[pid]
        providers[pid] = ProviderEntry(pid, p.name, p.url, p.description, p.byok, path=urls.provider(pid))

    model_ids = sorted(records.models)
    usage_total = sum((records.models[m].usage.tokens if records.models[m].usage else 0) for m in model_ids)
    market = site_rec.usage.tracked_tokens or usage_total
    ranked = sorted((m for m in model_ids if records.models[m].usage is not None),
                    key=lambda m: (-records.models[m].usage.tokens, m))
    rank = {m: i + 1 for i, m in enumerate(ranked)}

    counts = Counter(m.split("/", 1)[0] for m in model_ids)
    provider_refs = {pid: ProviderRef(pid, p.name, p.url, p.byok, p.path, counts[pid]) for pid, p in providers.items()}
    today = lifecycle_today()
    models: dict[str, ModelEntry] = {}
    for mid in model_ids:
        rec = records.models[mid]
        pid, slug = mid.split("/", 1)
        share = (rec.usage.tokens / market if market else 0.0) if rec.usage is not None else None
        # a scheduled deprecation is not a change yet: only a deprecated model's date dates it
        dates = ([released_on(rec.released)] if rec.released is not None else []) \
            + ([rec.usage.as_of] if rec.usage and rec.usage.as_of else []) \
            + ([rec.deprecation.date] if rec.deprecation and rec.status == "deprecated" else [])
        models[mid] = ModelEntry(
            record=rec, id=mid, provider_id=pid, slug=slug, provider=provider_refs[pid],
            path=urls.model(mid), md_path=urls.model_md(mid), json_path=urls.model_json(mid), share=share, rank=rank.get(mid),
            capabilities=capability_rows(rec),
            lastmod=max(dates, default=datetime.date(1970, 1, 1)),
            lifecycle=lifecycle(rec, today), offers=_offers(rec),
        )

    refs = {mid: ModelRef(mid, m.record.name, m.path, m.md_path, m.record.pricing.input, m.record.limits.context)
            for mid, m in models.items()}
    collections: list[CollectionEntry] = []
    member_of: dict[str, list[CollectionRef]] = {m: [] for m in model_ids}
    seen = set()
    for c in records.collections:
        if c.id in seen:
            continue
        seen.add(c.id)
        members = tuple(models[m] for m in model_ids if matches(c.where, records.models[m]))
        entry = CollectionEntry(c.id, c.title, c.description, c.where, members, path=urls.collection(c.id))
        collections.append(entry)
        ref = CollectionRef(c.id, c.title, entry.path)
        for m in members:
            member_of[m.id].append(ref)

    by_provider: dict[str, list[ModelEntry]] = {pid: [] for pid in providers}
    by_family: dict[str, list[ModelEntry]] = {}
    versions_of: dict[str, list[ModelEntry]] = {}
    for m in models.values():  # in id order, so each versions list is sorted by id
        by_provider[m.provider_id].append(m)
        if m.record.family:
            by_family.setdefault(m.record.family, []).append(m)
        if m.record.base_model:
            versions_of.setdefault(m.record.base_model, []).append(m)
    for pid, entry in providers.items():
        object.__setattr__(entry, "models", tuple(by_provider[pid]))

    # each provider's models by usage, sorted once: per model it would be quadratic
    by_usage = {pid: sorted(ms, key=lambda o: (-(o.record.usage.tokens if o.record.usage else -1), o.id))
                for pid, ms in by_provider.items()}
    for mid, m in models.items():
        rec = m.record
        siblings = [refs[o.id] for o in by_usage[m.provider_id][:MORE_FROM_PROVIDER + 1] if o is not m]
        # only the shown siblings are kept: a family of thousands would make this quadratic
        members = by_family.get(rec.family or "", ())
        family = tuple(refs[o.id] for o in members[:FAMILY_SHOWN + 1] if o is not m)[:FAMILY_SHOWN]
        rep = rec.deprecation.replacement if rec.deprecation else None
        object.__setattr__(m, "collections", tuple(member_of[mid]))
        object.__setattr__(m, "more_from_provider", tuple(siblings[:MORE_FROM_PROVIDER]))
        object.__setattr__(m, "family_siblings", family)
        object.__setattr__(m, "family_count", max(len(members) - 1, 0))
        object.__setattr__(m, "replacement", refs.get(rep) if rep else None)
        object.__setattr__(m, "base", refs.get(rec.base_model) if rec.base_model else None)
        object.__setattr__(m, "versions", tuple(refs[v.id] for v in versions_of.get(mid, ())))
        object.__setattr__(m, "site_record", site_rec)

    docs = sorted((_doc(d) for d in records.docs), key=lambda d: (d.order, d.title.lower(), d.id))
    all_models = tuple(models.values())
    newest = tuple(sorted(all_models, key=lambda m: (m.released_on or datetime.date.min, m.id), reverse=True))
    return Site(
        record=site_rec, url=url, models=all_models, models_by_id=models,
        providers=tuple(providers.values()), providers_by_id=providers,
        collections=tuple(collections), docs=tuple(docs),
        leaderboard=tuple(models[m] for m in ranked), market_tokens=market,
        build_date=_build_date(all_models, site_rec), newest=newest, today=today,
    )


def _offers(rec: schema.ModelRecord) -> tuple[OfferEntry, ...]:
    """Return a model's offers cheapest first; the default one (else the cheapest) is the headline."""
    if not rec.offers:
        return ()
    ordered = sorted(rec.offers, key=lambda o: (offer_cost(o.pricing), not o.default, o.host, o.region or ""))
    lead = next((o for o in ordered if o.default), ordered[0])
    return tuple(OfferEntry(o.host, o.region, price_rows(o.pricing), o.pricing,
                            o.limits.context or rec.limits.context,
                            o.limits.max_output or min(rec.limits.max_output, o.limits.context or rec.limits.context),
                            o.default, o is lead) for o in ordered)


# --- listing order and pages ---------------------------------------------------------------------

PAGE_SIZE = 100  # rows of a listing page: every page stays far under CONTRACT.md's 256 KB


def reader_order(models) -> tuple[ModelEntry, ...]:
    """Return models as listings show them by default: most used first, then newest, then by id.

    "Provider & name" put resellers' copies first on real data; usage, then release date,
    puts the models readers look for first."""
    ms = sorted(models, key=lambda m: m.id)
    ms.sort(key=lambda m: str(m.record.released or ""), reverse=True)  # stable: ids stay ascending
    ms.sort(key=lambda m: m.record.usage.tokens if m.record.usage else -1, reverse=True)
    return tuple(ms)


@dataclass(frozen=True, eq=False)
class ListingPage:
    """One page of a paged listing: its rows and where it sits among the listing's pages."""

    base: str  # site path of the listing ("" for the catalog, "providers/<p>/", ...)
    number: int  # 1-based
    count: int  # pages in all (at least 1)
    items: tuple
    start: int  # 0-based position of items[0] in the whole listing
    total: int  # rows of the whole listing

    @property
    def path(self) -> str:
        return page_path(self.base, self.number)

    def path_of(self, n: int) -> str:
        return page_path(self.base, n)

    @property
    def prev_path(self) -> str | None:
        return page_path(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_path(self) -> str | None:
        return page_path(self.base, self.number + 1) if self.number < self.count else None

    def window(self, around: int = 2) -> list[int | None]:
        """Return the page numbers a pager links: the first, the last and those near this one;
        None marks a gap."""
        keep = sorted({1, self.count, *range(max(1, self.number - around), min(self.count, self.number + around) + 1)})
        out: list[int | None] = []
        for n in keep:
            if out and n - out[-1] > 1:  # type: ignore[operator]
                out.append(None)
            out.append(n)
        return out


def page_paths(base: str, rows: int, size: int | None = None) -> list[str]:
    """Return the site paths of every page of a listing of so many rows (at least its first)."""
    size = size or PAGE_SIZE
    return [page_path(base, n) for n in range(1, max(1, -(-rows // size)) + 1)]


def paginate(items, base: str, size: int | None = None) -> list[ListingPage]:
    """Return the pages of a listing: chunks of size rows (PAGE_SIZE, read at each call so that
    tests can page small catalogs), at least one page (maybe empty)."""
    size = size or PAGE_SIZE
    items = tuple(items)
    count = max(1, -(-len(items) // size))
    return [ListingPage(base, n + 1, count, items[n * size:(n + 1) * size], n * size, len(items))
            for n in range(count)]


def _doc(d: DocRecord) -> DocPage:
    title = d.meta.title
    if not title:  # fall back to the first "# " heading, then the id
        title = next((ln[2:].strip() for ln in d.body.splitlines() if ln.startswith("# ")), d.id)
    return DocPage(d.id, title, d.meta.description or "", d.meta.order if d.meta.order is not None else 1000,
                   d.body, d.path, urls.doc(d.id))


def check_base_url(value: str) -> None:
    """Refuse a --base-url that is not an http(s) URL: it lands in every absolute link."""
    error = http_url_error(value)
    if error:
        raise BadUsage(f"--base-url {error}")


_EPOCH = re.compile(r"-?[0-9]+")


def source_date() -> datetime.date | None:
    """Return the date of SOURCE_DATE_EPOCH (reproducible-builds.org), None when unset or empty.

    A value that is not a whole number of seconds, or names no date, is an error
    (the specification: a malformed value fails the build), never silently the clock.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not _EPOCH.fullmatch(epoch):
        raise EnvironmentFault(f"SOURCE_DATE_EPOCH must be a whole number of seconds since "
                               f"1970-01-01 UTC (as `date +%s` prints), got {epoch[:40]!r}")
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        shown = epoch if len(epoch) <= 40 else epoch[:37] + "..."
        raise EnvironmentFault(f"SOURCE_DATE_EPOCH {shown} is out of range: it names no date "
                               "between the years 1 and 9999") from None


def _build_date(models: tuple[ModelEntry, ...], site_rec: schema.SiteRecord) -> datetime.date:
    date = source_date()
    if date is not None:
        return date
    dates = [m.lastmod for m in models]
    if site_rec.usage.as_of:
        dates.append(site_rec.usage.as_of)
    return max(dates, default=datetime.date(1970, 1, 1))


def modality_phrase(m: ModelEntry) -> str:
    """Return "text", or "text, image and audio" for the modalities a model touches."""
    return formats.join_words(m.modalities_all)


def overview(m: ModelEntry, site: schema.SiteRecord) -> str:
    """Return the generated summary paragraph of the seed page."""
    rec = m.record
    caps = [label.lower() for _, label, yes in m.capabilities if yes]
    released = f", released {m.released}" if m.released else ""
    output = f", output {formats.price(rec.pricing.output)}/M tokens" if rec.pricing.output is not None else ""
    text = (f"{rec.name} ({m.id}) is a {modality_phrase(m)} model from {m.provider.name}{released}. "
            f"Context window: {formats.number(rec.limits.context)} "
            f"tokens; max output {formats.number(rec.limits.max_output)}. Pricing via {site.name}: "
            f"input {formats.price(rec.pricing.input)}/M tokens{output}. ")
    if caps:
        text += f"Capabilities: {', '.join(caps)}. "
    text += (f"Call it via {site.api.base_url}/chat/completions with the OpenAI SDK — "
             f'set model="{m.id}".')
    if rec.use_cases:
        text += f" Best for: {', '.join(rec.use_cases)}."
    return text


def unit_price(row: PriceRow) -> str:
    """Return "$2.50 per 1M tokens" or "$0.025 per search"."""
    return f"{formats.price(row.value)} per {row.unit}"


def cost_answer(m: ModelEntry, fee: str) -> str:
    """Return the FAQ's cost answer: every price the record states, then the fee sentence."""
    rows = m.price_rows
    lead = [r for r in rows if r.key in ("input", "output")]
    text = "; ".join(f"{r.label if i == 0 else r.label.lower()} costs {unit_price(r)}"
                     for i, r in enumerate(lead)) + "."
    for r in rows[len(lead):]:
        text += f" {r.label} costs {unit_price(r)}."
    for t in m.record.pricing.tiers:  # only what changes: the rest stays as below the tier
        changed = [f"{r.label.lower()} {formats.price(r.value)}" for r in price_rows(t)]
        text += f" Above {formats.number(t.above)} prompt tokens: {', '.join(changed)} per 1M tokens."
    for _, label, rows in m.variants:
        text += f" {label}: " + ", ".join(f"{r.label.lower()} {unit_price(r)}" for r in rows) + "."
    if len(m.offers) > 1:
        cheapest = m.offers[0]
        text += (f" It is offered by {len(m.offers)} hosts; the cheapest is {cheapest.label} at "
                 f"{formats.price(cheapest.pricing.input)} input per 1M tokens.")
    if fee:
        text += f" {fee}"
    return text


def faq(m: ModelEntry, site: schema.SiteRecord) -> tuple[FaqItem, ...]:
    """Return the seed page's questions answered from the record, then the record's own."""
    rec, brand, name = m.record, site.name, m.record.name
    fee = site.fee
    items = [
        FaqItem(f"What is {name}?",
                f"{rec.summary} It is a {modality_phrase(m)} model from {m.provider.name}, accessible via "
                f"{brand}'s OpenAI-compatible API at slug {m.id}.", True),
    ]
    cost = cost_answer(m, prose.fee_note(fee))
    items.append(FaqItem(f"How much does {name} cost via {brand}?", cost, True))
    items.append(FaqItem(f"What is the context window of {name}?",
                         f"{formats.number(rec.limits.context)} tokens. Maximum output is "
                         f"{formats.number(rec.limits.max_output)} tokens.", True))
    items.append(FaqItem(f"How do I call {name} from my code?",
                         f"Point the OpenAI SDK at {site.api.base_url} with your {brand} key and set model "
                         f'to "{m.id}". The request and response shapes match OpenAI exactly.', True))
    flags = ". ".join(f"{label} — {'yes' if yes else 'no'}" for _, label, yes in m.capabilities)
    items.append(FaqItem(f"Does {name} support streaming, tool calling, vision, and JSON mode?",
                         flags + ".", True))
    if rec.use_cases or rec.strengths:
        answer = f"{', '.join(rec.use_cases)}." if rec.use_cases else ""
        if rec.strengths:
            answer += f" Key strengths: {'; '.join(rec.strengths)}."
        items.append(FaqItem(f"What are the best use cases for {name}?", answer.strip(), True))
    prov = m.provider.name
    if m.provider.byok:
        byok = (f"Yes. Attach a {prov} key in your {brand} dashboard and this model flips to "
                f"pass-through — you pay {prov} directly")
        waived = prose.platform_fee(fee)
        byok += f" and {brand} waives {waived} on those calls." if waived else "."
    else:
        byok = f"No. {brand} serves {name} with its own {prov} account; you pay through your {brand} balance."
    items.append(FaqItem(f"Can I bring my own {prov} API key (BYOK)?", byok, True))
    if m.lifecycle in ("deprecated", "shut_down", "scheduled"):
        dep = rec.deprecation
        if m.lifecycle == "scheduled":
            text = f"Not yet: {name} is scheduled to be deprecated on {dep.date.isoformat()}"
        else:
            text = f"Yes, {name} is deprecated"
            if dep:
                text += f" as of {dep.date.isoformat()}"
        if dep and dep.shutdown:
            verb = "stopped" if m.lifecycle == "shut_down" else "stops"
            text += f"; it {verb} answering on {dep.shutdown.isoformat()}"
        text += f"; move to {m.replacement.name} ({m.replacement.id})." if m.replacement else "."
        items.append(FaqItem(f"Is {name} deprecated?", text, True))
    items.extend(FaqItem(f.q, f.a, False) for f in rec.faq)
    return tuple(items)



# --- history: the catalog's git history (generator.history) on the resolved site ---------------

CHANGE_KINDS = {"new": "New model", "price": "Price change", "deprecation": "Deprecated", "removal": "Removed"}


@dataclass(frozen=True, eq=False)
class PriceChange:
    field: str  # "input", "output", "cached_input", ...
    old: float | None
    new: float | None

    @property
    def percent(self) -> float | None:
        """Return the change in percent of the old price, None when there is none to divide by."""
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (self.old, self.new)):
            return None
        return (self.new - self.old) / self.old * 100 if self.old else None

    @property
    def percent_text(self) -> str:
        p = self.percent
        return "" if p is None else f"{p:+.1f}%".replace(".0%", "%")

    @property
    def label(self) -> str:
        return self.field.replace("_", " ")


@dataclass(frozen=True, eq=False)
class Change:
    """One line of the changelog and one entry of feed.xml."""

    date: str  # YYYY-MM-DD, the commit's
    commit: str
    seq: int  # the commit's place in the history, oldest first
    kind: str  # new, price, deprecation, removal
    model_id: str
    name: str
    path: str  # the model's page, also for a removed model (its removed page)
    model: "ModelEntry | None" = None  # None for a removed model
    prices: tuple[PriceChange, ...] = ()
    replacement: str | None = None
    deprecation_date: str | None = None

    @property
    def kind_label(self) -> str:
        return CHANGE_KINDS[self.kind]

    @property
    def md_path(self) -> str | None:
        return self.model.md_path if self.model is not None else None


@dataclass(frozen=True, eq=False)
class RemovedModel:
    """A model whose record left the catalog: its page stays, saying when and what replaces it."""

    id: str
    provider_id: str
    slug: str
    name: str
    provider_name: str
    path: str
    date: str
    commit: str
    added: str | None
    replacement_id: str | None
    replacement: ModelEntry | None
    history: tuple = ()


@dataclass(frozen=True, eq=False)
class PricePoint:
    date: str
    commit: str
    input: float | None
    output: float | None
    changes: tuple[PriceChange, ...]


@dataclass(frozen=True, eq=False)
class PriceHistory:
    points: tuple[PricePoint, ...] = ()
    chart: dict | None = None  # {"width", "height", "series": [(name, "x,y x,y"...)], "ticks"}


def _number(v) -> float | None:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def price_history(m: ModelEntry) -> PriceHistory:
    """Return a model's prices when it was added and after each commit that changed them."""
    if not m.history:
        return PriceHistory()
    from .history import facts_of

    keys = {k for e in m.history for k in e.changes if k.startswith("pricing.")} | {"pricing.input", "pricing.output"}
    now = facts_of(m.record.model_dump(mode="json"))
    state = {}
    for k in keys:  # the price before its first change; a price never changed is the record's
        first = next((e.changes[k] for e in m.history if k in e.changes), None)
        state[k] = first[0] if first is not None else now.get(k)
    points = []
    for i, e in enumerate(m.history):
        changed = sorted(k for k in e.changes if k.startswith("pricing."))
        for k in changed:
            state[k] = e.changes[k][1]
        if i == 0 or changed:
            points.append(PricePoint(e.date, e.commit, _number(state.get("pricing.input")),
                                     _number(state.get("pricing.output")),
                                     tuple(PriceChange(k[len("pricing."):], *e.changes[k]) for k in changed)))
    return PriceHistory(tuple(points), _chart(points) if len(points) > 1 else None)


def _chart(points: list[PricePoint], width: int = 560, height: int = 160, pad: int = 8) -> dict | None:
    """Return the polylines of input and output price over time, in SVG user units (y down)."""
    days = [datetime.date.fromisoformat(p.date).toordinal() for p in points]
    span = days[-1] - days[0]
    xs = [(d - days[0]) / span if span else i / (len(points) - 1) for i, d in enumerate(days)]
    top = max((v for p in points for v in (p.input, p.output) if v is not None), default=None)
    if not top:
        return None
    series = []
    for name in ("input", "output"):
        pts = [(x, getattr(p, name)) for x, p in zip(xs, points) if getattr(p, name) is not None]
        if len(pts) > 1:
            series.append((name, " ".join(f"{pad + x * (width - 2 * pad):.1f},{pad + (1 - v / top) * (height - 2 * pad):.1f}"
                                          for x, v in pts)))
    if not series:
        return None
    return {"width": width, "height": height, "series": series, "top": top,
            "first": points[0].date, "last": points[-1].date}


def attach_history(site: Site, history) -> Site:
    """Return the site with each model's history, the changelog and the removed models
    (history: a generator.history.History)."""
    for m in site.models:
        entries = history.of(m.id)
        if entries:
            object.__setattr__(m, "history", entries)
    seq = {sha: i for i, sha in enumerate(history.commits)}
    changes: list[Change] = []
    removed: list[RemovedModel] = []
    for mid, h in history.models.items():
        m = site.models_by_id.get(mid)
        if m is None and h.removed is None:
            continue  # deleted but not committed: no page to point at, no entry
        pid, slug = mid.split("/", 1)
        path = urls.model(mid)
        name = m.name if m is not None else h.removed.name
        for i, e in enumerate(h.entries):
            base = dict(date=e.date, commit=e.commit, seq=seq.get(e.commit, -1), model_id=mid, name=name,
                        path=path, model=m)
            if not e.changes:
                changes.append(Change(kind="new", **base))
                continue
            prices = tuple(PriceChange(k[len("pricing."):], *e.changes[k]) for k in e.changes if k.startswith("pricing."))
            if prices:
                changes.append(Change(kind="price", prices=prices, **base))
            status = e.changes.get("status")
            scheduled = e.changes.get("deprecation.date")
            if (status and status[1] == "deprecated") or (scheduled and scheduled[0] is None and scheduled[1]):
                rep = e.changes.get("deprecation.replacement", (None, None))[1]
                changes.append(Change(kind="deprecation", replacement=rep if isinstance(rep, str) else None,
                                      deprecation_date=str(scheduled[1]) if scheduled and scheduled[1] else None,
                                      **base))
        if m is None:
            r = h.removed
            rep = r.replacement if isinstance(r.replacement, str) else None
            provider = site.providers_by_id.get(pid)
            removed.append(RemovedModel(mid, pid, slug, r.name, provider.name if provider else pid, path, r.date,
                                        r.commit, h.entries[0].date if h.entries else None, rep,
                                        site.models_by_id.get(rep) if rep else None, h.entries))
            changes.append(Change(date=r.date, commit=r.commit, seq=seq.get(r.commit, -1), kind="removal",
                                  model_id=mid, name=r.name, path=path, replacement=rep))
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    changes.sort(key=lambda c: (order[c.kind], c.model_id))
    changes.sort(key=lambda c: (c.date, c.seq), reverse=True)  # stable: newest first, ids ascending within
    return dataclasses.replace(site, changes=tuple(changes), removed=tuple(sorted(removed, key=lambda r: r.id)),
                               history_note=history.note, has_history=history.head is not None)

"""The views each model's outputs and each listing page render from, and the digest that keys them.

A model's page, its .md twin and its .json twin render from two values only: its
ModelEntry (generator.site: its record, and small copies of the entries it links to)
and the SiteFrame (what every model page shows of the site). Neither reaches the rest
of the catalog, so a digest of the two is a complete cache key: two builds that give
a model equal views write equal bytes for it, and a build re-renders exactly the
models whose view digest changed. tests/test_views.py renders the three outputs with
the rest of the site out of reach and holds the digest to the bytes;
tests/test_incremental.py holds incremental builds to cold ones.

A page of a paged listing (catalog, provider, collection, pricing, leaderboard) and its
Markdown twin render from its ListingPageView and the SiteFrame alone: its rows are
ListingRow views (what a row shows of a model), the rest small refs and scalars;
tests/test_views.py renders them with the site out of reach too.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
from dataclasses import dataclass

from pydantic import BaseModel

from .records import schema
from .site import ListingPage, ModelEntry, ProviderRef, RecordFacts, Site, SiteFacts, capability_rows


@dataclass(frozen=True)
class DocLink:
    title: str
    path: str


@dataclass(frozen=True, eq=False)
class SiteFrame(SiteFacts):
    """What a model's outputs show of the site: its record, URL and dates, the docs nav, the leaderboard's size."""

    record: schema.SiteRecord
    url: str  # ends in "/"
    build_date: datetime.date
    has_history: bool
    leaderboard_size: int  # 0: no record has usage, so no leaderboard to link
    docs: tuple[DocLink, ...]

    @classmethod
    def of(cls, site: Site) -> "SiteFrame":
        return cls(site.record, site.url, site.build_date, site.has_history, len(site.leaderboard),
                   tuple(DocLink(d.title, d.path) for d in site.docs))


@dataclass(frozen=True, eq=False)
class ListingRow(RecordFacts):
    """One model as a row of a listing shows it (the rows of templates/_model_list.html, pricing.html
    and leaderboard.html and of the listings' twins): what a page's view holds of each model it
    lists, so that a page is keyed by what its rows show, not by the rest of each model's page.
    The leaderboard's rows are RankedRows."""

    record: schema.ModelRecord
    id: str
    path: str
    md_path: str
    provider: ProviderRef

    @classmethod
    def of(cls, m: ModelEntry) -> "ListingRow":
        return cls(m.record, m.id, m.path, m.md_path, m.provider)

    @functools.cached_property
    def capabilities(self) -> tuple[tuple[str, str, bool], ...]:
        """Derived from the record (not a field: the digest reads the record already)."""
        return capability_rows(self.record)


@dataclass(frozen=True, eq=False)
class RankedRow:
    """One model as a row of the leaderboard shows it: its usage, rank and share, not its
    prices (a price edit leaves the leaderboard as it is); a usage edit moves every share."""

    id: str
    name: str
    path: str
    md_path: str
    provider: ProviderRef
    usage: schema.ModelUsage
    rank: int
    share: float | None

    @classmethod
    def of(cls, m: ModelEntry) -> "RankedRow":
        return cls(m.id, m.record.name, m.path, m.md_path, m.provider, m.record.usage, m.rank, m.share)


@dataclass(frozen=True)
class ProviderLink:
    id: str
    name: str
    path: str


@dataclass(frozen=True)
class CollectionLink:
    title: str
    path: str
    model_count: int


@dataclass(frozen=True)
class ProviderHead:
    """What a provider's listing pages show of it above their rows."""

    id: str
    name: str
    url: str | None
    description: str  # Markdown
    byok: bool
    path: str
    md_path: str
    llms_path: str


@dataclass(frozen=True)
class CollectionHead:
    """What a collection's listing pages show of it above their rows."""

    id: str
    title: str
    description: str  # Markdown
    where: schema.Where
    where_provider: ProviderLink | None  # the provider its rule names, when the catalog has it
    path: str


@dataclass(frozen=True)
class ListingPageView:
    """One page of a paged listing, as its HTML page and its Markdown twin show it."""

    kind: str  # catalog, provider, collection, pricing or leaderboard
    listing: ListingPage  # the page's path, number and count, and its rows (ListingRow or RankedRow objects)
    title: str  # the listing's, as its first page shows it
    description: str
    breadcrumbs: tuple[tuple[str, str | None], ...]  # (title, path) of the first page; None: itself
    head: ProviderHead | CollectionHead | None = None
    providers: tuple[ProviderLink, ...] = ()  # the provider filter's options (catalog, pricing)
    collections: tuple[CollectionLink, ...] = ()  # the catalog's links to every collection
    market_tokens: int = 0  # the leaderboard's: the volume shares divide by
    top_share: float | None = None  # the leaderboard's: the first model's share, which scales the bars


class Digest:
    """Digests of views: each value's canonical text, hashed.

    The text names every dataclass field (not cached properties: they derive from the
    fields), every pydantic model as its JSON, and refuses any other type, so a new field
    of a type it cannot read fails loudly instead of dropping out of the key. Values
    seen before (a provider's ref on each of its models' views) are written once.
    """

    def __init__(self, known: dict[int, str] | None = None):
        self._seen: dict[int, str] = dict(known or {})  # id(value) -> its text
        self._fields: dict[type, tuple[str, ...]] = {}

    def of(self, *values) -> str:
        h = hashlib.blake2b(digest_size=16)
        for v in values:
            h.update(self.text(v).encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def text(self, v) -> str:
        t = type(v)
        if t in _SCALARS:
            return repr(v)
        key = id(v)
        seen = self._seen.get(key)
        if seen is not None:
            return seen
        # Every value digested is a field of a view that outlives this Digest, so its id
        # stays its own while the texts are kept.
        if t is tuple or t is list:
            out = "(" + ",".join([repr(x) if type(x) in _SCALARS else self.text(x) for x in v]) + ")"
        elif t is dict:
            out = "{" + ",".join(sorted(f"{self.text(k)}:{self.text(x)}" for k, x in v.items())) + "}"
        elif isinstance(v, BaseModel):
            out = t.__name__ + v.model_dump_json()
        elif t is datetime.date or t is datetime.datetime:
            out = "d" + v.isoformat()
        elif dataclasses.is_dataclass(v):
            names = self._fields.get(t)
            if names is None:
                names = self._fields[t] = tuple(f.name for f in dataclasses.fields(v))
            values = [getattr(v, n) for n in names]
            out = t.__name__ + "(" + ",".join([repr(x) if type(x) in _SCALARS else self.text(x)
                                               for x in values]) + ")"
        else:
            raise TypeError(f"no canonical text for a {t.__name__} in a view")
        self._seen[key] = out
        return out


_SCALARS = frozenset({str, int, float, bool, type(None)})

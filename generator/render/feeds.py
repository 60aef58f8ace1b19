"""sitemap.xml, robots.txt and feed.xml (Atom): XML built with xml.etree, never templated.

Dates come from the data (a model's lastmod and release date, the site's
build date), so two builds are byte-identical. Past 50,000 URLs (the sitemap
protocol's limit per file) sitemap.xml becomes a sitemap index of
sitemap-<n>.xml files beside it. tests/test_sitemap_feed.py compares the
sitemap with the HTML files that were written.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import urlsplit

from .. import formats, urls
from .context import RenderContext
from ..site import Site, page_paths
from ..write import Output

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_URLS = 50_000  # per sitemap file (sitemaps.org)
FEED_ENTRIES = 50
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str | None) -> str:
    """Return text without the characters XML 1.0 cannot hold (ElementTree escapes the rest)."""
    return _XML_INVALID.sub("", text or "")


def html_pages(site: Site) -> list[tuple[str, datetime.date]]:
    """Return (site path, lastmod) of every indexable HTML page, in a fixed order (not 404.html)."""
    built = site.build_date

    def newest(models) -> datetime.date:
        return max((m.lastmod for m in models), default=built)

    def listing(base: str, rows: int, lastmod: datetime.date) -> list[tuple[str, datetime.date]]:
        return [(path, lastmod) for path in page_paths(base, rows)]  # every page of a paged listing

    pages = listing("", len(site.models), built)
    pages += [(m.path, m.lastmod) for m in site.models]
    for p in site.providers:
        pages += listing(p.path, len(p.models), newest(p.models))
    for c in site.collections:
        pages += listing(c.path, len(c.models), newest(c.models))
    pages += listing("providers/", len(site.providers), built) + listing("collections/", len(site.collections), built)
    pages += listing("pricing/", len(site.models), built) + [("compare/", built)]
    if site.leaderboard:  # no leaderboard page without usage figures
        pages += listing("leaderboard/", len(site.leaderboard), built)
    pages += [(d.path, built) for d in site.docs]
    # history: the changelog's pages and the pages kept for removed models
    if site.has_history:  # no changelog without the catalog's git history
        changed = datetime.date.fromisoformat(site.changes[0].date) if site.changes else built
        pages += listing("changelog/", len(site.changes), changed)
    pages += [(r.path, datetime.date.fromisoformat(r.date)) for r in site.removed]
    return pages


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _urlset(site: Site, pages: list[tuple[str, datetime.date]]) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for path, lastmod in pages:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = site.absolute(path)
        ET.SubElement(url, "lastmod").text = lastmod.isoformat()
    return _xml(root)


def sitemap_files(site: Site, max_urls: int = MAX_URLS) -> list[Output]:
    """Return sitemap.xml (and its parts, past max_urls pages)."""
    pages = html_pages(site)
    if len(pages) <= max_urls:
        return [Output(urls.SITEMAP, _urlset(site, pages))]
    outputs = []
    index = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    for n, start in enumerate(range(0, len(pages), max_urls), 1):
        chunk = pages[start:start + max_urls]
        path = f"sitemap-{n}.xml"  # beside sitemap.xml: a sitemap may only list URLs below its folder
        outputs.append(Output(path, _urlset(site, chunk)))
        entry = ET.SubElement(index, "sitemap")
        ET.SubElement(entry, "loc").text = site.absolute(path)
        ET.SubElement(entry, "lastmod").text = max(d for _, d in chunk).isoformat()
    return [Output(urls.SITEMAP, _xml(index))] + outputs


def robots(site: Site) -> Output:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {site.absolute('sitemap.xml')}\n"
    return Output("robots.txt", text.encode("utf-8"))


def _stamp(d: datetime.date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


def _feed_head(site: Site, title: str, alternate: str, updated: str) -> tuple[ET.Element, str]:
    """Return an Atom feed's root with what both feeds open with, and the namespace prefix."""
    ET.register_namespace("", ATOM_NS)
    a = f"{{{ATOM_NS}}}"
    root = ET.Element(f"{a}feed")
    ET.SubElement(root, f"{a}title").text = xml_text(title)
    if site.record.tagline:
        ET.SubElement(root, f"{a}subtitle").text = xml_text(site.record.tagline)
    ET.SubElement(root, f"{a}id").text = site.absolute(urls.FEED)
    ET.SubElement(root, f"{a}link", rel="self", type="application/atom+xml", href=site.absolute(urls.FEED))
    ET.SubElement(root, f"{a}link", rel="alternate", type="text/html", href=site.absolute(alternate))
    ET.SubElement(root, f"{a}updated").text = updated
    author = ET.SubElement(root, f"{a}author")
    ET.SubElement(author, f"{a}name").text = xml_text(site.name)
    ET.SubElement(root, f"{a}generator").text = "modelcat"
    return root, a


def feed(site: Site, entries: int = FEED_ENTRIES) -> Output:
    """Return feed.xml: the newest models first, each entry dated by its release."""
    newest = [m for m in site.newest if m.released_on is not None][:entries]  # dated by a known release
    updated = max((m.released_on for m in newest), default=site.build_date)
    root, a = _feed_head(site, f"New models on {site.name}", "", _stamp(updated))
    for m in newest:
        rec = m.record
        entry = ET.SubElement(root, f"{a}entry")
        ET.SubElement(entry, f"{a}title").text = xml_text(rec.name)
        ET.SubElement(entry, f"{a}id").text = site.absolute(m.path)
        ET.SubElement(entry, f"{a}link", rel="alternate", type="text/html", href=site.absolute(m.path))
        ET.SubElement(entry, f"{a}link", rel="alternate", type="text/markdown", href=site.absolute(m.md_path))
        ET.SubElement(entry, f"{a}published").text = _stamp(m.released_on)
        ET.SubElement(entry, f"{a}updated").text = _stamp(m.released_on)
        who = ET.SubElement(entry, f"{a}author")
        ET.SubElement(who, f"{a}name").text = xml_text(m.provider.name)
        ET.SubElement(entry, f"{a}category", term=m.provider_id, label=xml_text(m.provider.name))
        ET.SubElement(entry, f"{a}summary").text = xml_text(
            f"{rec.summary} ({m.id}: input {formats.price(rec.pricing.input)}, output "
            f"{formats.price(rec.pricing.output)} per 1M tokens; {formats.number(rec.limits.context)} "
            f"tokens of context.)")
    scheduled_deprecations(site, root, entries)
    return Output(urls.FEED, _xml(root))


def change_id(site: Site, c) -> str:
    """Return a change's Atom id, the same in every build: a tag URI (RFC 4151) of the site's
    host, the day, the commit, the model and the kind of change."""
    host = urlsplit(site.url).hostname or "localhost"
    return f"tag:{host},{c.date}:{c.commit}/{c.model_id}/{c.kind}"


def _change_text(site: Site, c) -> tuple[str, str]:
    """Return the (title, summary) of a change's feed entry."""
    if c.kind == "new" and c.model is None:  # added, and removed since
        return f"New: {c.name}", f"{c.model_id} was added to the catalog."
    if c.kind == "new":
        m = c.model
        rec = m.record
        return (f"New: {c.name}", f"{rec.summary} ({c.model_id}: input {formats.price(rec.pricing.input)}, output "
                f"{formats.price(rec.pricing.output)} per 1M tokens; {formats.number(rec.limits.context)} "
                "tokens of context.)")
    rep = f"; replacement: {c.replacement}" if c.replacement else ""
    if c.kind == "price":
        parts = [f"{p.label} {formats.price(p.old)} -> {formats.price(p.new)}"
                 + (f" ({p.percent_text})" if p.percent_text else "") for p in c.prices]
        return f"Price change: {c.name}", f"{c.model_id}: " + "; ".join(parts) + " per 1M tokens."
    if c.kind == "deprecation":
        when = f" from {c.deprecation_date}" if c.deprecation_date else ""
        return f"Deprecated: {c.name}", f"{c.model_id} is deprecated{when}{rep}."
    return f"Removed: {c.name}", f"{c.model_id} was removed from the catalog{rep}."


def change_feed(site: Site, entries: int = FEED_ENTRIES) -> Output:
    """Return feed.xml from the catalog's history: one entry per change, newest first, dated
    by its commit, with an id that stays the same across builds (change_id)."""
    changes = site.changes[:entries]
    root, a = _feed_head(site, f"Changes on {site.name}", "changelog/", f"{changes[0].date}T00:00:00Z")
    for c in changes:
        title, summary = _change_text(site, c)
        entry = ET.SubElement(root, f"{a}entry")
        ET.SubElement(entry, f"{a}title").text = xml_text(title)
        ET.SubElement(entry, f"{a}id").text = change_id(site, c)
        ET.SubElement(entry, f"{a}link", rel="alternate", type="text/html", href=site.absolute(c.path))
        if c.md_path:
            ET.SubElement(entry, f"{a}link", rel="alternate", type="text/markdown", href=site.absolute(c.md_path))
        ET.SubElement(entry, f"{a}published").text = f"{c.date}T00:00:00Z"
        ET.SubElement(entry, f"{a}updated").text = f"{c.date}T00:00:00Z"
        ET.SubElement(entry, f"{a}category", term=c.kind, label=xml_text(c.kind_label))
        ET.SubElement(entry, f"{a}summary").text = xml_text(summary)
    scheduled_deprecations(site, root, entries)  # announced, before the day: not a commit of its own
    return Output(urls.FEED, _xml(root))


def scheduled_deprecations(site: Site, root: ET.Element, entries: int = FEED_ENTRIES) -> None:
    """Append an entry to the feed for each scheduled deprecation: a model whose deprecation
    is announced for a later day than the lifecycle day (SOURCE_DATE_EPOCH, else today), soonest
    first. Past its day the model is deprecated and its entry leaves the feed.

    The id, tag:<host>,<deprecation date>:deprecation/<model id>/<deprecation date>, names the
    announcement: the same in every build, a new one if the date moves. `updated` is the
    model's lastmod (its newest own date: release, usage figures), which a build on another day
    does not change; the deprecation date itself is ahead, and a feed reader would file an
    entry dated in the future above everything for months. The feed's `updated` is raised to
    the newest of these dates.
    """
    a = f"{{{ATOM_NS}}}"
    host = urlsplit(site.url).hostname or "localhost"
    soon = sorted((m for m in site.models if m.lifecycle == "scheduled" and m.deprecation_date is not None),
                  key=lambda m: (m.deprecation_date, m.id))[:entries]
    feed_updated = root.find(f"{a}updated")
    for m in soon:
        dep = m.record.deprecation
        day = dep.date.isoformat()
        entry = ET.SubElement(root, f"{a}entry")
        ET.SubElement(entry, f"{a}title").text = xml_text(f"{m.record.name} will be deprecated on {day}")
        ET.SubElement(entry, f"{a}id").text = f"tag:{host},{day}:deprecation/{m.id}/{day}"
        ET.SubElement(entry, f"{a}link", rel="alternate", type="text/html", href=site.absolute(m.path))
        ET.SubElement(entry, f"{a}updated").text = _stamp(m.lastmod)
        who = ET.SubElement(entry, f"{a}author")
        ET.SubElement(who, f"{a}name").text = xml_text(m.provider.name)
        ET.SubElement(entry, f"{a}category", term="deprecation", label="Deprecation")
        text = f"{m.provider.name} deprecates {m.record.name} ({m.id}) on {day}"
        if dep.shutdown is not None:
            text += f"; it stops answering on {dep.shutdown.isoformat()}"
        if m.replacement is not None:
            text += f". Replacement: {m.replacement.name} ({m.replacement.id})"
        ET.SubElement(entry, f"{a}summary").text = xml_text(text + ".")
        if feed_updated is not None and _stamp(m.lastmod) > (feed_updated.text or ""):
            feed_updated.text = _stamp(m.lastmod)


def feed_files(ctx: RenderContext) -> Iterator[Output]:
    site = ctx.site
    yield from sitemap_files(site)
    yield robots(site)
    yield change_feed(site) if site.changes else feed(site)  # without history: the newest models

"""HTML pages for people: one function per page kind, each yielding Outputs.

Templates get a typed frame (PageInfo) plus the entries they show; links are
made relative by `link()`, so the site works under any sub-path and from disk.
tests/test_model_page.py, tests/test_listing_pages.py and tests/test_every_page.py parse
the built pages and check them against records.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterator
from urllib.parse import urlsplit

from markupsafe import Markup

from .. import urls
from . import fragments, markdown as md
from .context import Breadcrumb, PageInfo, RenderContext
from .env import relative
from .snippets import ModelSnippets
from .twins import index_twin, pointer, twin_of
from ..prose import plural
from ..site import ListingPage, ModelEntry, paginate, reader_order
from ..views import CollectionHead, CollectionLink, ListingPageView, ListingRow, ProviderHead, ProviderLink, RankedRow
from ..write import Output

NAV = (("Models", ""), ("Providers", "providers/"), ("Pricing", "pricing/"), ("Compare", "compare/"),
       ("Leaderboard", "leaderboard/"))


def render(ctx: RenderContext, template: str, page: PageInfo, site=None, **extra) -> Output:
    """Return one rendered HTML page; site: what the template may read of the site (ctx.site,
    or for a model page the SiteFrame, generator.views)."""
    site = site if site is not None else ctx.site
    folder = page.folder
    is_404 = page.kind == "404"
    # 404.html is served at any URL, at any depth, on any host: its links are absolute paths
    # from the path of the site's URL ("/" or "/catalog/"), and its stylesheet is inline.
    site_root = urlsplit(site.url).path or "/"

    def link(target: str) -> str:
        if is_404:
            return target if target.startswith(("http://", "https://", "mailto:", "#")) else site_root + target
        return relative(target, folder)

    def asset(name: str) -> str:
        return link(ctx.assets.paths[name])

    inline_css = None
    if is_404 and "site.css" in ctx.assets.paths:
        css_path = ctx.assets.paths["site.css"]
        css = next(o.data for o in ctx.assets.outputs if o.path == css_path).decode("utf-8")
        inline_css = Markup(css.replace("</", "<\\/"))

    crumbs = page.breadcrumbs
    if crumbs:
        page.jsonld.append({
            "@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": i + 1, "name": c.title,
                 "item": site.absolute(c.path if c.path is not None else page.path)}
                for i, c in enumerate(crumbs)],
        })
    rows = ctx.memo("rows", dict)

    show_usage = bool(site.leaderboard_size)

    def model_row(m: ModelEntry, show_provider: bool) -> Markup:
        # The same model is listed on the catalog, its provider and its collections:
        # a row is rendered once per distinct set of links and kept for the build.
        key = (m.id, show_provider, link(m.path), link(m.provider.path))
        row = rows.get(key)
        if row is None:
            macros = ctx.memo("_model_list.html", lambda: ctx.html.get_template("_model_list.html").module)
            row = rows[key] = macros.row(m, show_provider, show_usage, link)
        return row

    nav = [(title, path, link(path), _active(page.path, path)) for title, path in NAV
           if path != "leaderboard/" or site.leaderboard_size]
    docs_nav = [(d.title, d.path, link(d.path), page.path == d.path) for d in site.docs]
    canonical = site.absolute(page.path if page.path != "404.html" else "")
    variables = dict(
        site=site, page=page, link=link, asset=asset, canonical=canonical,
        nav=nav, docs_nav=docs_nav, llms_link=link(urls.LLMS), openapi_link=link(urls.OPENAPI_JSON),
        is_404=is_404, site_root=site_root, inline_css=inline_css, model_row=model_row, show_usage=show_usage,
        **extra)
    tpl = ctx.html.get_template(template)
    frame = fragments.frame(ctx, template, variables)
    if frame is None:
        html = tpl.render(layout="base.html", **variables)
    else:  # base.html made once for pages of this shape (generator/render/fragments.py)
        html = frame.fill(page, link, canonical, Markup(tpl.render(layout=frame.layout, **variables)))
    return Output(page.file, html.encode("utf-8"))


def _active(page_path: str, nav_path: str) -> bool:
    if nav_path == "":
        return page_path == ""
    return page_path.startswith(nav_path)


def model_page(ctx: RenderContext, m: ModelEntry) -> Output:
    """Return a model's page, rendered from its entry and the site frame alone (generator.views)."""
    site = ctx.frame
    rec = m.record
    page = PageInfo(
        path=m.path,
        title=f"{rec.name} ({m.id}) — pricing, context, API · {site.name}",
        description=_clip(f"{rec.name} by {m.provider.name}: {rec.summary}"),
        kind="model", md_twin=m.md_path, og_type="article",
        breadcrumbs=(Breadcrumb("Models", ""), Breadcrumb(m.provider.name, m.provider.path),
                     Breadcrumb(rec.name, None)),
    )
    page.jsonld.append({
        "@context": "https://schema.org", "@type": "FAQPage",
        "mainEntity": [{"@type": "Question", "name": f.q,
                        "acceptedAnswer": {"@type": "Answer", "text": md.plain_text(f.a)}} for f in m.faq],
    })
    snippets = ModelSnippets(ctx.snippets, m.id)
    playground = site.record.links.get("playground")
    return render(ctx, "model.html", page, site=site, m=m, rec=rec, snippets=snippets, fragments=fragments.Fragments(ctx),
                  playground=playground.replace("{model}", m.id) if playground else None)


def listed(ctx: RenderContext) -> tuple[ModelEntry, ...]:
    """Return every model in the listings' default order (most used, then newest)."""
    return ctx.memo("listed", lambda: reader_order(ctx.site.models))


def nth_page(first: PageInfo, lp: ListingPage) -> PageInfo:
    """Return the PageInfo of page lp of a listing whose first page is first: page n is its own
    canonical URL and says its number in its title and breadcrumbs."""
    if lp.number == 1:
        return first
    return dataclasses.replace(
        first, path=lp.path, md_twin=twin_of(lp.path) if first.md_twin else None,
        title=f"{first.title} — page {lp.number} of {lp.count}", jsonld=[],
        breadcrumbs=first.breadcrumbs[:-1] + (Breadcrumb(first.breadcrumbs[-1].title, first.path),
                                              Breadcrumb(f"Page {lp.number}", None))
        if first.breadcrumbs else ())


def listing_pages(ctx: RenderContext, template: str, items, first: PageInfo, **extra) -> Iterator[Output]:
    """Yield the pages of one listing that has no view (the providers and collections indexes):
    first.path holds the first page, first.path/page/<n>/ the next; the template gets the
    ListingPage as `listing` (its rows, and prev/next for rel links and the pager)."""
    for lp in paginate(items, first.path):
        yield render(ctx, template, nth_page(first, lp), listing=lp, **extra)


# --- the paged listings of models, each page from its view (generator.views) --------------------

LISTING_TEMPLATES = {"catalog": "catalog.html", "provider": "provider.html", "collection": "collection.html",
                     "pricing": "pricing.html", "leaderboard": "leaderboard.html"}


def listing_views(ctx: RenderContext) -> list[ListingPageView]:
    """Return a view of every page of the catalog, each provider and collection, pricing and the
    leaderboard (none without usage: nothing to rank)."""
    site = ctx.site
    name = site.name
    views: list[ListingPageView] = []
    row = {m.id: ListingRow.of(m) for m in site.models}  # one per model, on every page that lists it

    def add(kind, models, base, title, description, breadcrumbs=(), rows=row, **facts):
        views.extend(ListingPageView(kind, lp, title, description, breadcrumbs, **facts)
                     for lp in paginate((rows[m.id] for m in models), base))

    providers = tuple(ProviderLink(p.id, p.name, p.path) for p in site.providers)
    add("catalog", listed(ctx), "", f"{name} model catalog — {plural(len(site.models), 'model')}, prices and context",
        _clip(site.record.tagline or f"Every model on {name}: prices, context windows, capabilities and API."),
        providers=providers, collections=tuple(CollectionLink(c.title, c.path, len(c.models)) for c in site.collections))
    for p in site.providers:
        add("provider", reader_order(p.models), p.path, f"{p.name} models — pricing and API · {name}",
            _clip(md.plain_text(p.description) or f"{p.name} models on {name}."),
            (("Models", ""), ("Providers", "providers/"), (p.name, None)),
            head=ProviderHead(p.id, p.name, p.url, p.description, p.byok, p.path, p.md_path, p.llms_path))
    for c in site.collections:
        ruled = site.providers_by_id.get(c.where.provider) if c.where.provider else None
        add("collection", reader_order(c.models), c.path, f"{c.title} · {name}",
            _clip(md.plain_text(c.description) or f"{c.title} on {name}."),
            (("Models", ""), ("Collections", "collections/"), (c.title, None)),
            head=CollectionHead(c.id, c.title, c.description, c.where,
                                ProviderLink(ruled.id, ruled.name, ruled.path) if ruled else None, c.path))
    add("pricing", listed(ctx), "pricing/", f"Model pricing per 1M tokens · {name}",
        f"Input and output prices of all {plural(len(site.models), 'model')} on {name}, with a monthly cost calculator.",
        (("Models", ""), ("Pricing", None)), providers=providers)
    if site.leaderboard:
        add("leaderboard", site.leaderboard, "leaderboard/", f"Model leaderboard by usage · {name}",
            f"Models on {name} ranked by tokens processed, with share of tracked volume.",
            (("Models", ""), ("Leaderboard", None)), {m.id: RankedRow.of(m) for m in site.leaderboard},
            market_tokens=site.market_tokens,
            top_share=site.leaderboard[0].share)
    return views


def listing_page(ctx: RenderContext, view: ListingPageView) -> Output:
    """Return one listing page, rendered from its view and the site frame alone."""
    lp = view.listing
    first = PageInfo(path=lp.base, title=view.title, description=view.description, kind=view.kind,
                     md_twin=twin_of(lp.base), breadcrumbs=tuple(Breadcrumb(t, p) for t, p in view.breadcrumbs))
    head = {view.kind: view.head} if view.head is not None else {}
    return render(ctx, LISTING_TEMPLATES[view.kind], nth_page(first, lp), site=ctx.frame, view=view, listing=lp,
                  **head)


def providers_index(ctx: RenderContext) -> Iterator[Output]:
    site = ctx.site
    page = PageInfo(path="providers/", title=f"Providers — {len(site.providers):,} on {site.name}",
                    description=f"Every provider on {site.name} and how many models each serves.",
                    kind="providers", md_twin=twin_of("providers/"),
                    breadcrumbs=(Breadcrumb("Models", ""), Breadcrumb("Providers", None)))
    yield from listing_pages(ctx, "providers.html", site.providers, page)


def collections_index(ctx: RenderContext) -> Iterator[Output]:
    site = ctx.site
    page = PageInfo(path="collections/", title=f"Collections · {site.name}",
                    description=f"Every collection of models on {site.name}.",
                    kind="collections", md_twin=twin_of("collections/"),
                    breadcrumbs=(Breadcrumb("Models", ""), Breadcrumb("Collections", None)))
    yield from listing_pages(ctx, "collections.html", site.collections, page)


def compare_page(ctx: RenderContext) -> Iterator[Output]:
    site = ctx.site
    page = PageInfo(path="compare/", title=f"Compare models side by side · {site.name}",
                    description=f"Compare up to four models on {site.name}: prices, context, capabilities.",
                    kind="compare", md_twin=twin_of("compare/"),
                    breadcrumbs=(Breadcrumb("Models", ""), Breadcrumb("Compare", None)))
    yield render(ctx, "compare.html", page)


def doc_pages(ctx: RenderContext) -> Iterator[Output]:
    site = ctx.site
    for d in site.docs:
        content, toc = md.doc_html(_without_title(d.body, d.title))
        content = Markup(str(content).replace("\n</code></pre>", "</code></pre>"))  # no blank last line
        toc = [_toc_text(t) for t in toc]
        page = PageInfo(path=d.path, title=f"{d.title} · {site.name} docs",
                        description=_clip(d.description or md.plain_text(d.body)),
                        kind="doc", md_twin=twin_of(d.path),
                        breadcrumbs=(Breadcrumb("Docs", site.docs[0].path), Breadcrumb(d.title, None)))
        yield render(ctx, "doc.html", page, doc=d, content=content, toc=toc)


def _without_title(body: str, title: str) -> str:
    """Return body without a leading "# <title>" line: the page's <h1> already shows it."""
    lines = body.lstrip("\n").split("\n", 1)
    if lines[0].startswith("# ") and lines[0][2:].strip().strip("#").strip() == title:
        return lines[1] if len(lines) > 1 else ""
    return body


def _toc_text(entry: dict) -> dict:
    """Return a TOC entry whose names are plain text (the template escapes them once)."""
    return dict(entry, name=html.unescape(entry["name"]), children=[_toc_text(c) for c in entry["children"]])


def not_found_page(ctx: RenderContext) -> Iterator[Output]:
    page = PageInfo(path="404.html", title=f"Page not found · {ctx.site.name}",
                    description="This page does not exist.", kind="404", noindex=True)
    yield render(ctx, "404.html", page)


def _clip(text: str, limit: int = 158) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


# --- history: the changelog and removed models' pages (generator.history, site.attach_history) ---

CHANGELOG_PATH = "changelog/"
CHANGELOG_MD = "changelog.md"
CHANGELOG_MD_MAX = 2000  # changes in changelog.md; the HTML pages list every one


def by_day(changes) -> list[tuple[str, list]]:
    """Return changes (newest first) grouped by their day, in the same order."""
    days: list[tuple[str, list]] = []
    for c in changes:
        if not days or days[-1][0] != c.date:
            days.append((c.date, []))
        days[-1][1].append(c)
    return days


def changelog_pages(ctx: RenderContext) -> Iterator[Output]:
    """Yield changelog/ (paged, newest first, grouped by day) and its twin changelog.md (also at
    changelog/index.md); nothing without the catalog's git history (there is nothing to list)."""
    site = ctx.site
    if not site.has_history:
        return
    page = PageInfo(path=CHANGELOG_PATH, title=f"Changelog — new models, price changes, removals · {site.name}",
                    description=f"Every change to the {site.name} catalog, newest first: new models, price changes, "
                                "deprecations and removals, from the catalog's history.",
                    kind="changelog", md_twin=CHANGELOG_MD,
                    breadcrumbs=(Breadcrumb("Models", ""), Breadcrumb("Changelog", None)))
    for lp in paginate(site.changes, CHANGELOG_PATH):
        first = page if lp.number == 1 else dataclasses.replace(
            page, path=lp.path, title=f"{page.title} — page {lp.number} of {lp.count}", jsonld=[],
            breadcrumbs=page.breadcrumbs[:-1] + (Breadcrumb("Changelog", CHANGELOG_PATH),
                                                 Breadcrumb(f"Page {lp.number}", None)))
        yield render(ctx, "changelog.html", first, listing=lp, days=by_day(lp.items))
    shown = site.changes[:CHANGELOG_MD_MAX]
    text = ctx.text.get_template("changelog.md.j2").render(
        site=site, days=by_day(shown), total=len(site.changes), shown=len(shown), absolute=site.absolute)
    twin = Output(CHANGELOG_MD, (pointer(site) + text.strip("\n") + "\n").encode("utf-8"))
    yield twin
    yield index_twin(CHANGELOG_PATH, twin)


def removed_model_pages(ctx: RenderContext) -> Iterator[Output]:
    """Yield a page at the URL of each model that left the catalog: when, and what replaces it."""
    site = ctx.site
    for r in site.removed:
        page = PageInfo(path=r.path, title=f"{r.name} ({r.id}) — removed from {site.name}",
                        description=_clip(f"{r.name} by {r.provider_name} was removed from the {site.name} "
                                          f"catalog on {r.date}."), kind="removed",
                        breadcrumbs=(Breadcrumb("Models", ""), Breadcrumb("Changelog", CHANGELOG_PATH),
                                     Breadcrumb(r.name, None)))
        yield render(ctx, "removed_model.html", page, r=r)

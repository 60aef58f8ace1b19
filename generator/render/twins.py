"""Markdown twins of the HTML pages, for agents: models/<p>/<slug>.md, providers/<p>.md, docs/<page>.md,
and one per page of every listing (index.md for the catalog, pricing.md, pricing/page/2.md, ...).

Rendered with the text environment (templates/*.md.j2, overridable per
project). A twin is fetched on its own, away from the site, so every link in it
is an absolute URL (site.yaml `url` or `--base-url`), links inside record
Markdown (written for the HTML page) included; and it opens with a pointer to
the site's llms.txt. Each twin is written at both URLs agents try for a
directory page: `<page>.md` (what `rel="alternate"` names) and
`<page>/index.md`. tests/test_twins.py compares every figure of a twin with its
record; tests/test_agents.py holds the links, the pointer and the two URLs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from .. import formats
from . import markdown as md
from .context import RenderContext
from .mdtext import blocks, clean_markdown, fence, rebaser
from .snippets import PLACEHOLDER
from ..site import DocPage, ModelEntry, Site, paginate
from ..urls import twin_of  # noqa: F401  (pages and tests take it from here too)
from ..views import ListingPageView, ListingRow, RankedRow, SiteFrame
from ..write import Output


def pointer(site: Site | SiteFrame) -> str:
    """Return the blockquote that opens every Markdown twin: where the site's index for agents is."""
    return (f"> For the complete index of {md.inline_text(site.name)}'s pages for agents, "
            f"see [llms.txt]({site.absolute('llms.txt')}).\n\n")


def _twin_helpers(site: Site | SiteFrame, page_path: str, shift: int):
    link = site.absolute
    rebase = rebaser(page_path, absolute=site.absolute)

    def record_markdown(text: str | None) -> str:
        return clean_markdown(text, shift=shift, rebase=rebase)

    return link, record_markdown


def index_twin(page_path: str, twin: Output) -> Output:
    """Return the copy of a twin at <page>/index.md."""
    return Output(page_path + "index.md", twin.data)


@functools.lru_cache(maxsize=1)
def errors_table(site: Site) -> str:
    """Return the errors of site.yaml as a Markdown table (the same on every model page)."""
    if not site.record.errors:
        return ""
    rows = ["| Status | Type | Meaning | Retryable |", "|---|---|---|---|"]
    for e in site.record.errors:
        meaning = md.table_cell(e.message) + (f" (see the {md.table_cell(e.header)} header)" if e.header else "")
        rows.append(f"| {e.status} | {md.table_cell(e.type)} | {meaning} | {'yes' if e.retryable else 'no'} |")
    return "\n".join(rows)


def fenced_snippets(ctx: RenderContext) -> dict[str, str]:
    """Return every snippet as a fenced code block, with the placeholder where the model id goes."""
    return {k: fence(s.source, s.lang) for k, s in ctx.snippets.items()}


def model_twin(ctx: RenderContext, m: ModelEntry, template=None, fenced: dict[str, str] | None = None) -> Output:
    """Return models/<provider>/<slug>.md, from its entry and the site frame alone (generator.views)."""
    site = ctx.frame
    template = template or ctx.text.get_template("model.md.j2")
    fenced = fenced if fenced is not None else fenced_snippets(ctx)
    link, record_markdown = _twin_helpers(site, m.path, shift=2)
    code = {k: block.replace(PLACEHOLDER, m.id) for k, block in fenced.items()}
    text = template.render(site=site, m=m, rec=m.record, code=code, link=link, md=record_markdown,
                           twin_of=twin_of, errors_table=errors_table(site))
    return Output(m.md_path, (pointer(site) + _tidy(text)).encode("utf-8"))


def doc_md_path(d: DocPage) -> str:
    return twin_of(d.path)


def doc_twins(ctx: RenderContext) -> Iterator[Output]:
    template = ctx.text.get_template("doc.md.j2")
    for d in ctx.site.docs:
        path = doc_md_path(d)
        body = doc_body(d, rebaser(d.path, absolute=ctx.site.absolute))
        text = template.render(site=ctx.site, doc=d, body=body, starts_with_title=_starts_with_h1(body))
        out = Output(path, (pointer(ctx.site) + _tidy(text)).encode("utf-8"))
        yield out
        yield index_twin(d.path, out)


def doc_body(d: DocPage, rebase) -> str:
    """Return a docs page's Markdown with the HTML page's policy applied and its relative links rebased."""
    return clean_markdown(d.body, rebase=rebase)


def _starts_with_h1(body: str) -> bool:
    first = next((ln for ln in body.splitlines() if ln.strip()), "")
    return bool(re.match(r"^ {0,3}# ", first))


def _tidy(text: str) -> str:
    """Return text with runs of blank lines outside fenced code collapsed, and one final newline."""
    if "\n\n\n" not in text:
        return text.strip("\n") + "\n"
    out, blank = [], False
    for in_code, line in blocks(text):
        if not in_code and not line.strip():
            if blank:
                continue
            blank = True
        else:
            blank = False
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"



# --- listings --------------------------------------------------------------------------------

def _model_cell(site: Site | SiteFrame, m: ListingRow | RankedRow) -> str:
    return f"[{md.link_text(m.name)}]({site.absolute(m.md_path)})"


CAP_SHORT = {"tool_calling": "Tools", "vision": "Vision", "json_mode": "JSON", "prompt_caching": "Caching",
             "reasoning": "Reasoning", "structured_output": "Structured"}  # as templates/_model_list.html


def _model_name_cell(site: SiteFrame, m: ListingRow) -> str:
    """Return a model's name (linking its twin), its status when not active and its id, as the HTML row shows them."""
    status = "" if m.record.status == "active" else f" {m.record.status.capitalize()}"
    return f"{_model_cell(site, m)}{status} `{m.id}`"


def _model_columns(site: SiteFrame) -> list[str]:
    """Return the columns of a table of models, those of the HTML listing (templates/_model_list.html)."""
    return (["Model", "Provider", "Modalities in → out", "Capabilities", "Input $/1M", "Output $/1M", "Context",
             "Max output"] + (["Usage tokens"] if site.leaderboard_size else []) + ["Released"])


def _model_rows(site: SiteFrame, models) -> list[list[str]]:
    rows = []
    for m in models:
        rec = m.record
        caps = [CAP_SHORT[k] for k, _, yes in m.capabilities if yes and k in CAP_SHORT]
        if not rec.capabilities.streaming:
            caps.append("No streaming")
        row = [_model_name_cell(site, m), md.table_cell(m.provider.name),
               f"{', '.join(rec.modalities.input)} → {', '.join(rec.modalities.output)}", " ".join(caps),
               formats.price(rec.pricing.input), formats.price(rec.pricing.output),
               formats.tokens(rec.limits.context), formats.tokens(rec.limits.max_output)]
        if site.leaderboard_size:
            row.append(formats.count(rec.usage.tokens) if rec.usage else "—")
        rows.append(row + [m.released])  # as known: a day, a month or nothing
    return rows


def _one_in_one_out(m: ListingRow) -> str:
    """Return the cost of 1M input and 1M output tokens, or "—" for a model not billed by output tokens."""
    p = m.record.pricing
    return "—" if p.output is None else formats.money(p.input + p.output)


PRICE_NOTE = "Prices are USD per 1M tokens; context in tokens."


def _listing_text(site: SiteFrame, view: ListingPageView) -> dict:
    """Return what listing.md.j2 shows of one page of a listing of models besides its rows' place."""
    name, ms = site.name, view.listing.items
    order = "most used first, then newest" if site.leaderboard_size else "newest first"
    if view.kind == "catalog":
        return dict(title=f"{name} model catalog",
                    intro=md.inline_text(f"Every model on {name}, {order}. {PRICE_NOTE}"),
                    columns=_model_columns(site), rows=_model_rows(site, ms),
                    caption=md.inline_text(f"Every model on {name}: prices in USD per 1M tokens, "
                                           "context and output limits in tokens."))
    if view.kind == "pricing":
        return dict(title=f"Model pricing per 1M tokens on {name}",
                    intro=md.inline_text(f"Input and output prices of every model, {order}. {PRICE_NOTE} "
                                         f"{site.fee_note}".strip()),
                    columns=["Model", "Provider", "Input", "Output", "Cached input", "Cache write", "Context",
                             "1M in + 1M out"],
                    rows=[[_model_name_cell(site, m), md.table_cell(m.provider.name),
                           formats.price(m.record.pricing.input), formats.price(m.record.pricing.output),
                           formats.price(m.record.pricing.cached_input), formats.price(m.record.pricing.cache_write),
                           formats.tokens(m.record.limits.context), _one_in_one_out(m)] for m in ms],
                    caption=md.inline_text("Prices in USD per 1M tokens" + (
                        f"; the monthly estimate includes {site.platform_fee}" if site.platform_fee else "") + "."))
    if view.kind == "leaderboard":
        return dict(title=f"Model leaderboard by usage on {name}",
                    intro=md.inline_text(f"Models ranked by tokens processed; share is of "
                                         f"{formats.count(view.market_tokens)} tracked tokens. "
                                         "Models without usage figures are not ranked."),
                    columns=["Rank", "Model", "Id", "Provider", "Tokens", "Requests", "Share of tracked volume"],
                    rows=[[str(m.rank), _model_cell(site, m), f"`{m.id}`", md.table_cell(m.provider.name),
                           formats.count(m.usage.tokens),
                           formats.count(m.usage.requests) if m.usage.requests is not None else "—",
                           formats.percent(m.share)] for m in ms],
                    caption="Models ranked by usage tokens, most first.")
    c = view.head  # a collection
    return dict(title=f"{c.title} on {name}",
                intro=md.inline_text(" ".join(filter(None, [md.plain_text(c.description or ""), PRICE_NOTE]))),
                columns=_model_columns(site), rows=_model_rows(site, ms),
                caption=md.inline_text(f"{c.title} on {name}: prices in USD per 1M tokens."))


def listing_twin(ctx: RenderContext, view: ListingPageView) -> list[Output]:
    """Return the Markdown twin of one listing page, from its view and the site frame alone: at
    <page>.md, and at <page>/index.md too but for the catalog's first page (index.md itself).

    A provider's is providers/<provider>.md (templates/provider.md.j2), the others'
    templates/listing.md.j2, each page linking its neighbours."""
    site, lp = ctx.frame, view.listing
    if view.kind == "provider":
        link, record_markdown = _twin_helpers(site, lp.base, shift=2)
        text = ctx.text.get_template("provider.md.j2").render(
            site=site, p=view.head, link=link, md=record_markdown, twin_of=twin_of, listing=lp, models=lp.items)
    else:
        text = ctx.text.get_template("listing.md.j2").render(
            site=site, listing=lp, noun="model", link=site.absolute, twin_of=twin_of, **_listing_text(site, view))
    out = Output(twin_of(lp.path), (pointer(site) + _tidy(text)).encode("utf-8"))
    return [out, index_twin(lp.path, out)] if lp.path else [out]


def listing_twins(ctx: RenderContext) -> Iterator[Output]:
    """Yield the Markdown twin of every page of the providers and collections indexes, at both
    URLs, and compare's (the listings of models are twinned from their views: listing_twin)."""
    site = ctx.site
    template = ctx.text.get_template("listing.md.j2")

    def pages(base, items, title, intro, columns, rows_of, noun):
        for lp in paginate(items, base):
            text = template.render(site=site, listing=lp, title=title, intro=intro, columns=columns, caption="",
                                   rows=rows_of(lp.items), noun=noun, link=site.absolute,
                                   twin_of=twin_of)
            out = Output(twin_of(lp.path), (pointer(site) + _tidy(text)).encode("utf-8"))
            yield out
            yield index_twin(lp.path, out)

    yield from pages("providers/", site.providers, f"Providers on {site.name}",
                     md.inline_text(f"Every provider on {site.name} and how many models each serves."),
                     ["Provider", "Id", "Models", "Index"],
                     lambda ps: [[f"[{md.link_text(p.name)}]({site.absolute(p.md_path)})", f"`{p.id}`",
                                  formats.number(len(p.models)), f"[llms.txt]({site.absolute(p.llms_path)})"]
                                 for p in ps], "provider")
    yield from pages("collections/", site.collections, f"Collections on {site.name}",
                     md.inline_text(f"Every collection on {site.name} and how many models it holds."),
                     ["Collection", "Models", "About"],
                     lambda cs: [[f"[{md.link_text(c.title)}]({site.absolute(twin_of(c.path))})",
                                  formats.number(len(c.models)), md.table_cell(md.plain_text(c.description or ""))]
                                 for c in cs], "collection")
    example = site.models[0].id if site.models else "provider/model"
    text = ctx.text.get_template("compare.md.j2").render(site=site, link=site.absolute, twin_of=twin_of,
                                                          example=example)
    out = Output(twin_of("compare/"), (pointer(site) + _tidy(text)).encode("utf-8"))
    yield out
    yield index_twin("compare/", out)

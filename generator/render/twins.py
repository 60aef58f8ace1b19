"""Markdown twins of the HTML pages, for agents: models/<p>/<slug>.md, providers/<p>.md, docs/<page>.md.

Rendered with the text environment (templates/*.md.j2, overridable per
project). Each twin sits one folder above its HTML page, so its relative links
are made from the twin's own folder, and links inside record Markdown (written
for the HTML page) are rebased. tests/test_twins.py compares every figure of a
twin with its record.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from . import markdown as md
from .context import RenderContext
from .env import relative
from .mdtext import blocks, clean_markdown, fence, rebaser
from .snippets import PLACEHOLDER
from ..site import DocPage, ModelEntry, ProviderEntry, Site
from ..write import Output


def folder_of(path: str) -> str:
    """Return the site folder of a file path: "models/a/b.md" -> "models/a/"."""
    return path.rpartition("/")[0] + "/" if "/" in path else ""


def fee_note(site: Site) -> str:
    """Return the platform-fee sentence shown under prices ("" without a fee): Site.fee_note."""
    return site.fee_note


def _twin_helpers(twin_path: str, page_path: str, shift: int):
    folder = folder_of(twin_path)

    def link(target: str) -> str:
        return relative(target, folder)

    rebase = rebaser(page_path, folder)

    def record_markdown(text: str | None) -> str:
        return clean_markdown(text, shift=shift, rebase=rebase)

    return link, record_markdown


def model_twins(ctx: RenderContext) -> Iterator[Output]:
    template = ctx.text.get_template("model.md.j2")
    fenced = fenced_snippets(ctx)
    for m in ctx.site.models:
        yield model_twin(ctx, m, template, fenced)


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
    """Return models/<provider>/<slug>.md."""
    site = ctx.site
    template = template or ctx.text.get_template("model.md.j2")
    fenced = fenced if fenced is not None else fenced_snippets(ctx)
    link, record_markdown = _twin_helpers(m.md_path, m.path, shift=2)
    code = {k: block.replace(PLACEHOLDER, m.id) for k, block in fenced.items()}
    text = template.render(site=site, m=m, rec=m.record, code=code, link=link, md=record_markdown,
                           fee_note=fee_note(site), errors_table=errors_table(site))
    return Output(m.md_path, _tidy(text).encode("utf-8"))


def provider_twins(ctx: RenderContext) -> Iterator[Output]:
    template = ctx.text.get_template("provider.md.j2")
    for p in ctx.site.providers:
        yield provider_twin(ctx, p, template)


def provider_twin(ctx: RenderContext, p: ProviderEntry, template=None) -> Output:
    """Return providers/<provider>.md."""
    template = template or ctx.text.get_template("provider.md.j2")
    link, record_markdown = _twin_helpers(p.md_path, p.path, shift=2)
    text = template.render(site=ctx.site, p=p, link=link, md=record_markdown)
    return Output(p.md_path, _tidy(text).encode("utf-8"))


def doc_md_path(d: DocPage) -> str:
    return f"docs/{d.id}.md"


def doc_twins(ctx: RenderContext) -> Iterator[Output]:
    template = ctx.text.get_template("doc.md.j2")
    for d in ctx.site.docs:
        path = doc_md_path(d)
        body = doc_body(d, rebaser(d.path, folder_of(path)))
        text = template.render(site=ctx.site, doc=d, body=body, starts_with_title=_starts_with_h1(body))
        yield Output(path, _tidy(text).encode("utf-8"))


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


MARKDOWN_PRODUCERS = (model_twins, provider_twins, doc_twins)

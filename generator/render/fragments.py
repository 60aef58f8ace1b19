"""Fragments: what is the same on every model page but for the model, rendered once per build.

Two parts of a model page: _model_reference.html (the API schema, the SSE stream, the quickstart
snippets and the errors table: half of a page's bytes), which reads the site and, of the model,
only its name and id; and base.html around the content (head, header, breadcrumbs, footer), which
reads the site and the page's title, description, URLs, breadcrumbs and JSON-LD. Each is rendered
once per build with private-use characters in place of those values (chosen absent from the text
rendered with plain ones, so every one left is a slot) and cut there; a page fills the slots with
its values, escaped as the template escapes them. The model's id needs none: ids are [a-z0-9._/-],
which the snippets insert as they are (generator/render/snippets.py). The frame is made for each
shape of page (depth, nav, which breadcrumbs link) and model.html extends `layout`: base.html, or
a template of its content block alone. tests/test_fragments.py checks that the pages equal those
rendered in full, for generated names, ids and sites.

That holds for the theme's own templates and macros. Where a project overrides one (an edited or
ejected copy in its templates/) it is rendered for each page: what its copy does is not known.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .context import Breadcrumb, PageInfo, RenderContext
from .env import script_json
from .snippets import PLACEHOLDER
from ..site import ModelEntry
from ..theme import DEFAULT_TEMPLATES

REFERENCE = "_model_reference.html"
REFERENCE_READS = (REFERENCE, "_macros.html")  # the templates it is made of: the theme's own, or not split
REFERENCE_SNIPPETS = ("request", "response", "stream", "curl", "curl_stream", "python", "python_stream",
                      "js", "js_stream")  # each shown once
REFERENCE_NAMES = 1  # times the template shows the model's name


@dataclass(frozen=True)
class Split:
    """A rendered text cut at its slots: parts[0], a value, parts[1], a value, ..., parts[-1]."""

    parts: tuple[str, ...]
    slots: tuple[int, ...]  # the index of the value that goes in each slot

    @classmethod
    def cut(cls, text: str, sentinels: tuple[str, ...]) -> "Split":
        """Return text cut at every occurrence of each sentinel (slot i holds value i)."""
        found = re.compile("|".join(map(re.escape, sentinels)))
        return cls(tuple(found.split(text)), tuple(sentinels.index(s) for s in found.findall(text)))

    def fill(self, values: tuple[str, ...]) -> str:
        """Return the text with values in the slots (a join: str.format is ten times slower here)."""
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:]):
            out += (values[slot], part)
        return "".join(out)


class Fragments:
    """What a model page's template calls: {{ fragments.reference(m) }}."""

    def __init__(self, ctx: RenderContext):
        self.ctx = ctx

    def reference(self, m: ModelEntry) -> Markup:
        """Return the API schema, quickstart and errors sections of m's page."""
        split = reference_split(self.ctx)
        if split is None:
            return render_reference(self.ctx, m.record.name, {k: s.html(m.id) for k, s in self.ctx.snippets.items()})
        return Markup(split.fill((escape(m.record.name), escape(m.id))))


def render_reference(ctx: RenderContext, name: str, snippets: Mapping[str, Markup]) -> Markup:
    """Return _model_reference.html rendered for one model: its name, its highlighted snippets."""
    return Markup(ctx.html.get_template(REFERENCE).render(site=ctx.frame, name=name, snippets=snippets))


def reference_split(ctx: RenderContext) -> Split | None:
    """Return _model_reference.html cut where the model's name and id go, made once per build;
    None where the project overrides the template or its macros (they are rendered per model)."""
    return ctx.memo(REFERENCE, lambda: _reference_split(ctx))


def _reference_split(ctx: RenderContext) -> Split | None:
    if not _packaged(ctx, REFERENCE_READS):
        return None

    def text(model_id: str, name: str) -> str:
        snippets = {k: Markup(ctx.snippets[k].highlighted.replace(PLACEHOLDER, model_id)) for k in REFERENCE_SNIPPETS}
        return str(render_reference(ctx, name, snippets))

    marks = private_marks(text("x", "x"), 2)
    if marks is None:
        return None
    name, model_id = marks
    split = Split.cut(text(model_id, name), (name, model_id))
    want = (REFERENCE_NAMES, sum(ctx.snippets[k].highlighted.count(PLACEHOLDER) for k in REFERENCE_SNIPPETS))
    got = (split.slots.count(0), split.slots.count(1))
    assert got == want, f"{REFERENCE} shows the name and the id {got} times, not {want}"
    return split


def _packaged(ctx: RenderContext, names: tuple[str, ...]) -> bool:
    """Return whether each template named is the theme's own (the project overrides none)."""
    return all(Path(ctx.html.get_template(t).filename).parent == DEFAULT_TEMPLATES for t in names)


def private_marks(text: str, count: int) -> list[str] | None:
    """Return count characters of Unicode's private use area that text does not hold (None if
    there are not that many): rendered in place of a page's values, autoescape and the theme's
    macros leave them as they are, and every one in the output is a slot."""
    free = [c for c in map(chr, range(0xE000, 0xF900)) if c not in text][:count]
    return free if len(free) == count else None


# --- the frame: base.html around a page's content --------------------------------------------

FRAMED = ("model.html",)  # templates that extend `layout`: base.html is filled in around them
FRAME_READS = ("base.html", "_macros.html")
LAYOUT = "{% block content %}{% endblock %}"  # what a framed template extends: its content alone
FRAME = '{% extends "base.html" %}{% block content %}{{ content }}{% endblock %}'


@dataclass(frozen=True)
class Frame:
    """base.html as it is around every page of one shape, cut where the page's own values go."""

    layout: jinja2.Template
    split: Split

    def fill(self, page: PageInfo, link: Callable[[str], str], canonical: str, content: Markup) -> str:
        """Return the page: its frame around content, with its own values in the slots."""
        return self.split.fill(_frame_values(page, link, canonical, content))


def _frame_values(page: PageInfo, link: Callable[[str], str], canonical: str, content: Markup) -> list[str]:
    """Return what base.html shows of one page, escaped as it escapes them, in slot order."""
    values = [escape(page.title), escape(page.description), escape(canonical), content]
    if page.md_twin:
        values.append(escape(link(page.md_twin)))
    for c in page.breadcrumbs:
        values.append(escape(c.title))
        if c.path is not None:
            values.append(escape(link(c.path)))
    return values + [script_json(block) for block in page.jsonld]


def _probe(page: PageInfo, marks: Iterator[str]) -> tuple[PageInfo, str, Markup]:
    """Return page with a mark in place of each of its values (in _frame_values' order), and the
    marks of its canonical URL and its content."""
    title, description, canonical, content = next(marks), next(marks), next(marks), Markup(next(marks))
    md_twin = next(marks) if page.md_twin else None
    crumbs = tuple(Breadcrumb(next(marks), None if c.path is None else next(marks)) for c in page.breadcrumbs)
    jsonld = [next(marks) for _ in page.jsonld]
    return (dataclasses.replace(page, title=title, description=description, md_twin=md_twin, breadcrumbs=crumbs,
                                jsonld=jsonld), canonical, content)


def frame(ctx: RenderContext, template: str, variables: dict) -> Frame | None:
    """Return the frame of a page of template with these variables (pages.render's), made once per
    build for each shape of page; None where the template is not framed or the project overrides
    it, base.html or the macros. The links the frame holds besides nav's (the site's top-level
    files, assets/) climb to the root alike from every folder of one depth under one top folder."""
    if template not in FRAMED:
        return None
    page = variables["page"]
    shape = (template, page.folder.split("/")[0], page.folder.count("/"), tuple(variables["nav"]),
             tuple(variables["docs_nav"]),
             tuple(c.path is None for c in page.breadcrumbs), len(page.jsonld), bool(page.md_twin), page.kind,
             page.og_type, page.noindex)
    return ctx.memo(("frame", shape), lambda: _frame(ctx, template, variables))


def _frame(ctx: RenderContext, template: str, variables: dict) -> Frame | None:
    if not _packaged(ctx, (template, *FRAME_READS)):
        return None
    assert set(ctx.html.get_template(template).blocks) == {"content"}, f"{template} fills a block other than content"
    page, link = variables["page"], variables["link"]
    count = len(_frame_values(page, link, "", Markup()))

    def render(marks: list[str]) -> tuple[str, list[str]]:
        probe, canonical, content = _probe(page, iter(marks))

        def probe_link(target: str) -> str:
            return target if target in marks else link(target)

        text = ctx.html.from_string(FRAME).render(**dict(variables, page=probe, link=probe_link, canonical=canonical,
                                                         content=content))
        return text, [str(v) for v in _frame_values(probe, probe_link, canonical, content)]

    marks = private_marks(render(["x"] * count)[0], count)
    if marks is None:
        return None
    text, cuts = render(marks)
    split = Split.cut(text, tuple(cuts))
    assert set(split.slots) == set(range(count)), f"base.html does not show every value of a {page.kind} page"
    return Frame(ctx.html.from_string(LAYOUT), split)

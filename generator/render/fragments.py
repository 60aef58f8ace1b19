"""Fragments: the parts of a model page that are the same on every model page but for the model.

_model_reference.html (the API schema, the SSE stream, the quickstart snippets and the errors
table: half of a model page's bytes, a fifth of its rendering time) reads the site and, of the
model, only its name and its id. So it is rendered once per build with a sentinel character in
place of each and cut there; a page fills the slots with its model's name, escaped as autoescape
escapes it, and its id (escaping it changes nothing: ids are [a-z0-9._/-], which the snippets
insert as they are, generator/render/snippets.py). tests/test_fragments.py checks that this gives
the bytes of rendering the template for each model, for generated names, ids and sites.

That holds for the theme's own template and macros. A project that overrides either (an edited
or ejected copy in its templates/) gets the template rendered for each model: what its copy does
with the name is not known.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from .context import RenderContext
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
    return Markup(ctx.html.get_template(REFERENCE).render(site=ctx.site, name=name, snippets=snippets))


def reference_split(ctx: RenderContext) -> Split | None:
    """Return _model_reference.html cut where the model's name and id go, made once per build;
    None where the project overrides the template or its macros (they are rendered per model)."""
    return ctx.memo(REFERENCE, lambda: _reference_split(ctx))


def _reference_split(ctx: RenderContext) -> Split | None:
    if not all(Path(ctx.html.get_template(t).filename).parent == DEFAULT_TEMPLATES for t in REFERENCE_READS):
        return None
    # Characters the site's record does not hold (nor, then, the snippets made from it), from
    # Unicode's private use area: autoescape and the macros leave them as they are.
    record = ctx.site.record.model_dump_json()
    free = (c for c in map(chr, range(0xE000, 0xF900)) if c not in record)
    name, model_id = next(free, None), next(free, None)
    if model_id is None:  # a site.yaml holding all 6,400 of them: no sentinel, render per model
        return None
    snippets = {k: Markup(ctx.snippets[k].highlighted.replace(PLACEHOLDER, model_id)) for k in REFERENCE_SNIPPETS}
    split = Split.cut(str(render_reference(ctx, name, snippets)), (name, model_id))
    want = (REFERENCE_NAMES, sum(s.count(model_id) for s in snippets.values()))
    got = (split.slots.count(0), split.slots.count(1))
    assert got == want, f"{REFERENCE} shows the name and the id {got} times, not {want}"
    return split

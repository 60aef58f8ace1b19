"""A model's outputs render from its views alone, and the views' digest keys them (generator.views).

- The page, .md and .json of every model render the same bytes with the rest of the
  resolved site out of reach: nothing but the ModelEntry and the SiteFrame is read;
  so do the pages of every listing of models and their twins, from their ListingPageView.
- Soundness of the key, as a property: after random edits to a catalog, every model
  whose view digest is unchanged has byte-identical outputs.
- Precision where the old hand-listed keys failed: adding a model without usage
  re-renders only the models whose bytes change (its provider's, which list its count).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate_catalog
from generator.build import build, listing_outputs, model_outputs, theme_fingerprint, view_keys
from generator.catalog import load_catalog
from generator.render.context import RenderContext
from generator.render.pages import listing_views
from generator.views import Digest

from tests.edits import EDITS, model_files

from tests.builds import EXAMPLE


class OutOfReach:
    """Stands for the resolved site where a model's outputs must not look."""

    def __getattr__(self, name):
        raise AssertionError(f"an output read site.{name}, which is not in its views")


def outputs(project: Path) -> tuple[dict[str, str], dict[str, dict[str, bytes]]]:
    """Return each model's view key and its outputs (path -> bytes), rendered in this process."""
    site, _ = load_catalog(project)
    theme = theme_fingerprint(project)
    ctx = RenderContext.create(project, site, theme=theme)
    keys = view_keys(ctx, theme, {})
    return keys, {m.id: {o.path: o.data for o in model_outputs(ctx, m)} for m in site.models}


def test_model_outputs_read_only_their_views(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project / "catalog")
    site, _ = load_catalog(project)
    ctx = RenderContext.create(project, site, theme="t")
    want = {m.id: [o.data for o in model_outputs(ctx, m)] for m in site.models}
    blind = RenderContext.create(project, site, theme="t")
    blind.site = OutOfReach()
    for m in site.models:
        assert [o.data for o in model_outputs(blind, m)] == want[m.id], m.id


def test_listing_pages_read_only_their_views(tmp_path):
    project = tmp_path / "p"
    generate_catalog(project / "catalog", 260, seed=5)  # several pages per listing (PAGE_SIZE 100)
    site, _ = load_catalog(project)
    ctx = RenderContext.create(project, site, theme="t")
    views = listing_views(ctx)
    assert {v.kind for v in views} == {"catalog", "provider", "collection", "pricing", "leaderboard"}
    assert max(v.listing.count for v in views) >= 3
    want = [[(o.path, o.data) for o in listing_outputs(ctx, v)] for v in views]
    blind = RenderContext.create(project, site, theme="t")
    blind.site = OutOfReach()
    assert [[(o.path, o.data) for o in listing_outputs(blind, v)] for v in views] == want


def test_digest_reads_every_field_and_refuses_unknown_types():
    d = Digest()
    assert d.of({"a": 1, "b": (2.5, None)}) == Digest().of({"b": (2.5, None), "a": 1})
    assert d.of(datetime.date(2026, 1, 2)) != d.of("2026-01-02")
    assert d.of(1) != d.of(1.0) and d.of("1") != d.of(1)
    with pytest.raises(TypeError, match="set"):
        d.of({1, 2})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 500)), min_size=1, max_size=3))
def test_an_unchanged_view_digest_means_unchanged_outputs(tmp_path, edits):
    project = tmp_path / f"p{os.urandom(4).hex()}"
    generate_catalog(project / "catalog", 24, seed=3)
    keys, before = outputs(project)
    for edit, i in edits:
        edit(project, i)
    new_keys, after = outputs(project)
    for mid in after:
        if mid in before and keys[mid] == new_keys[mid]:
            assert after[mid] == before[mid], (mid, [e.__name__ for e, _ in edits])


def test_adding_a_model_without_usage_renders_only_the_pages_it_changes(tmp_path):
    project = tmp_path / "p"
    generate_catalog(project / "catalog", 300, seed=1)
    site_dir = project / "site"
    build(project, site_dir)
    before = {p: p.read_bytes() for p in site_dir.glob("models/*/*/index.html")}
    src = model_files(project)[0]
    added = src.with_name("added-model.yaml")
    text = re.sub(r"(?m)^id: (.*)/.*$", lambda m: f"id: {m.group(1)}/added-model", src.read_text(encoding="utf-8"))
    text = re.sub(r"(?ms)^usage:\n(?:  .*\n)*", "", text)
    added.write_text(text, encoding="utf-8")
    report = build(project, site_dir)
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    assert len(changed) < len(before) / 2  # its provider's pages, not the catalog's
    assert report.rendered == len(changed) + 1  # those, and the new model

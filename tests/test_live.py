"""serve's in-memory update (generator.live) gives a cold build's bytes, for every page it changes.

After random edits of model files, update() must return exactly the model outputs
a cold build changes (none missing), each byte-identical to the cold build's file;
a change it does not take returns None (serve then waits for the whole build).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate_catalog
from generator.build import build
from generator.live import LiveCatalog

from tests.edits import MODEL_EDITS, edit_provider, edit_site, model_files

MODEL_FILE_SUFFIXES = ("/index.html", "/index.md", ".md", ".json")


def model_outputs_on_disk(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "models").rglob("*")
            if p.is_file()}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(MODEL_EDITS), st.integers(0, 500)), min_size=1, max_size=3))
def test_an_update_gives_the_pages_a_cold_build_changes(tmp_path, edits):
    project = tmp_path / f"p{os.urandom(4).hex()}"
    generate_catalog(project / "catalog", 40, seed=5)
    build(project, project / "before", cache=False, workers=1)
    live = LiveCatalog(project)
    live.reset()
    for edit, i in edits:
        edit(project, i)
    got = live.update()
    build(project, project / "after", cache=False, workers=1)
    before, after = model_outputs_on_disk(project / "before"), model_outputs_on_disk(project / "after")
    assert got is not None
    changed = {p for p in after if after[p] != before.get(p)}
    assert changed <= set(got), sorted(changed - set(got))[:5]
    for path, data in got.items():
        assert data == after[path], path
    shutil.rmtree(project)


def test_a_second_update_starts_from_the_first(tmp_path):
    project = tmp_path / "p"
    generate_catalog(project / "catalog", 30, seed=2)
    live = LiveCatalog(project)
    live.reset()
    MODEL_EDITS[1](project, 4)
    assert live.update()
    assert live.update() == {}  # nothing changed since
    MODEL_EDITS[0](project, 9)
    got = live.update()
    build(project, project / "cold", cache=False, workers=1)
    assert got and all((project / "cold" / p).read_bytes() == data for p, data in got.items())


def test_changes_it_does_not_take(tmp_path):
    project = tmp_path / "p"
    generate_catalog(project / "catalog", 30, seed=2)
    live = LiveCatalog(project)
    live.reset()
    edit_site(project, 1)
    assert live.update() is None  # site.yaml: every page changes, the build does it
    live.reset()
    edit_provider(project, 1)
    assert live.update() is None
    live.reset()
    bad = model_files(project)[3]
    bad.write_text(bad.read_text(encoding="utf-8").replace("context:", "context: -1\n  x:", 1), encoding="utf-8")
    assert live.update() is None  # a problem: the build reports it
    live.reset()
    assert live.records is None  # a catalog with an error is not kept
    bad.unlink()
    live.reset()
    (project / "catalog" / "models" / "new.yaml").write_text("id: x\n", encoding="utf-8")
    assert live.update() is None  # a new file

"""What `modelcat serve` keeps in memory, so that a saved record's pages are served at once.

The records (each with the stamp of its file), the resolved site, its render context
and every model's view key (generator.views) stay in memory between saves. When only
model files changed, update() reads just those again, checks and resolves the catalog,
and renders the outputs of the models whose view key changed: serve answers with them
straight away, while the build on disk follows and then replaces them. Anything else
(site.yaml, a provider, collections, docs, a template, an added or removed file, any
problem) returns None, and serve waits for the build as before.

tests/test_live.py holds what update() returns to the bytes of a cold build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
from pathlib import Path

from .build import file_digests, model_outputs, theme_fingerprint, view_keys
from .catalog import check_catalog, today
from .records.checks import check_records
from .records.files import find_files
from .records.load import Records, read_valid
from .site import attach_history, build_site


class LiveCatalog:
    """The catalog as the last good state left it, for one project."""

    def __init__(self, project: Path, base_url: str | None = None):
        self.project = project
        self.base_url = base_url
        self.records: Records | None = None
        self.stamps: dict[str, tuple] = {}  # display path -> (size, mtime, ctime, inode)
        self.keys: dict[str, str] = {}  # model id -> view key
        self.digests: dict[str, str] = {}  # model id -> digest of its record (view_keys)
        self.theme = ""
        self.history = None

    def reset(self) -> None:
        """Read the whole catalog again (at start, and after a change update() does not take)."""
        with _no_gc():
            self._reset()

    def _reset(self) -> None:
        from .cache import RecordCache
        from .history import read_history

        self.records = None
        files, problems = find_files(self.project)
        if problems:
            return
        cache = RecordCache(self.project)
        records, problems = check_catalog(self.project, cache)
        if any(not p.warning for p in problems) or records.site is None:
            return
        self.theme = theme_fingerprint(self.project)
        self.history = read_history(self.project, cache=True)
        self.stamps = {f.display: f.stamp for f in files}
        self.records = records
        self.digests = file_digests(cache)
        ctx = self._context(records)
        self.keys = view_keys(ctx, self.theme, self.digests)

    def update(self) -> dict[str, bytes] | None:
        """Return the outputs (site path -> bytes) of every model whose views the saved files
        changed, or None when the change is not one update() takes (see the module)."""
        with _no_gc():
            return self._update()

    def _update(self) -> dict[str, bytes] | None:
        if self.records is None:
            return None
        files, problems = find_files(self.project)
        now = {f.display: f for f in files}
        if problems or now.keys() != self.stamps.keys() or self.theme != theme_fingerprint(self.project):
            return None
        changed = [f for d, f in now.items() if f.stamp != self.stamps[d]]
        if any(f.kind != "model" for f in changed):
            return None
        records = dataclasses.replace(self.records, models=dict(self.records.models), problems=[])
        digests = dict(self.digests)
        for f in changed:
            rec = read_valid(f)
            if rec is None:
                return None
            records.models[f.id] = rec
            digests[f.id] = hashlib.blake2b(rec.model_dump_json().encode(), digest_size=16).hexdigest()
        if any(not p.warning for p in check_records(records, today())):
            return None
        ctx = self._context(records)
        keys = view_keys(ctx, self.theme, digests)
        outputs = {}
        for m in ctx.site.models:
            if keys[m.id] != self.keys.get(m.id):
                outputs.update((o.path, o.data) for o in model_outputs(ctx, m))
        self.records, self.keys, self.digests = records, keys, digests
        self.stamps = {d: f.stamp for d, f in now.items()}
        return outputs

    def _context(self, records: Records):
        from .render.context import RenderContext

        site = attach_history(build_site(records, self.base_url), self.history)
        return RenderContext.create(self.project, site, theme=self.theme)


@contextlib.contextmanager
def _no_gc():
    """As a build does: resolving makes many objects and frees few, the collector would rescan them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

"""`modelcat build`: the whole pipeline, top to bottom.

load -> validate -> check -> resolve (generator.catalog) -> render every
output (generator.render.*) -> write atomically (generator.write). No stage
reaches back. tests/test_build.py holds determinism and atomicity.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from generator.catalog import load_catalog
from generator.problems import Problem, plural
from generator.render.context import RenderContext
from generator.render.pages import PAGE_PRODUCERS
from generator.write import Output, SiteWriter


@dataclass
class BuildReport:
    out: Path
    files: int
    pages: int
    bytes: int
    seconds: float
    warnings: list[Problem]
    models: int


def producers():
    """Return the ordered output producers: pages first, then the machine-readable outputs."""
    from generator.render.machine import MACHINE_PRODUCERS

    return PAGE_PRODUCERS + MACHINE_PRODUCERS


def render_all(ctx: RenderContext) -> Iterator[Output]:
    """Yield every output of the site, assets included, in a fixed order."""
    yield from ctx.assets.outputs
    for produce in producers():
        yield from produce(ctx)


class Builder:
    """Builds one project, keeping what later builds can reuse (serve rebuilds with one)."""

    def __init__(self, project: Path, base_url: str | None = None, strict: bool = False):
        self.project = project
        self.base_url = base_url
        self.strict = strict

    def build(self, out: Path | None = None, progress: "Progress | None" = None) -> BuildReport:
        return build(self.project, out, self.base_url, self.strict, progress)


def build(project: Path, out: Path | None = None, base_url: str | None = None, strict: bool = False,
          progress: "Progress | None" = None) -> BuildReport:
    """Build the site of project into out (default project/site); raise CatalogError on bad input."""
    start = time.perf_counter()
    out = out if out is not None else project / "site"
    site, warnings = load_catalog(project, base_url=base_url, strict=strict)
    ctx = RenderContext.create(project, site)
    pages = 0
    with SiteWriter(out) as writer:
        for output in render_all(ctx):
            writer.write(output)
            if output.path.endswith(".html"):
                pages += 1
                if progress is not None:
                    progress.tick(pages)
        verify = None
        if strict:
            from generator.linkcheck import verify_links
            verify = verify_links
        writer.commit(verify)
    return BuildReport(out, writer.count, pages, writer.bytes, time.perf_counter() - start, warnings,
                       len(site.models))


class Progress:
    """A one-line counter on a terminal; nothing in CI logs (the closing line says it all)."""

    def __init__(self, total: int | None = None):
        self.tty = sys.stderr.isatty()
        self.total = total
        self._last = 0.0

    def tick(self, pages: int) -> None:
        if not self.tty:
            return
        now = time.perf_counter()
        if now - self._last > 0.1:
            self._last = now
            sys.stderr.write(f"\rrendering … {pages:,} pages")
            sys.stderr.flush()

    def done(self) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def build_command(project: Path, out: Path | None, base_url: str | None, strict: bool) -> None:
    """Run a build for the CLI: warnings, then one closing line with counts and time."""
    progress = Progress()
    try:
        report = build(project, out, base_url, strict, progress)
    finally:
        progress.done()
    for w in report.warnings:
        click.echo(w.format(), err=True)
    try:
        shown = report.out.relative_to(Path.cwd())
    except ValueError:
        shown = report.out
    click.echo(f"built {report.pages:,} pages, {report.files:,} files ({report.bytes / 1e6:.1f} MB) "
               f"for {plural(report.models, 'model')} in {report.seconds:.2f} s -> {shown}/")

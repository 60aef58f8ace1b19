"""load -> validate -> check -> resolve: the catalog half of every command.

Returns a resolved Site, or raises CatalogError with every problem of every
file. Warnings are returned for printing; under --strict they are errors.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from .problems import CatalogError, Problem
from .records.checks import check_records
from .records.load import Records, load_records
from .site import Site, build_site, source_date
from .timing import timings


def today() -> datetime.date:
    """Return the date warnings are judged against: SOURCE_DATE_EPOCH, else the clock."""
    return source_date() or datetime.date.today()


def check_catalog(project: Path, cache=None, workers: int = 1) -> tuple[Records, list[Problem]]:
    """Return the loaded records and all problems (errors and warnings), sorted."""
    records = load_records(project, cache, workers)
    problems = list(records.problems)
    with timings("check"):
        if records.site is not None or records.models:
            problems.extend(check_records(records, today()))
    return records, sorted(problems)


def load_catalog(project: Path, base_url: str | None = None, strict: bool = False,
                 cache=None, workers: int = 1, history: bool = False) -> tuple[Site, list[Problem]]:
    """Return (resolved site, warnings), or raise CatalogError listing every problem.

    history: also read the catalog's git history (once, cached with the build cache) and
    attach it; where there is none, site.history_note says why (the build prints it as one
    `note:` line, not a warning)."""
    records, problems = check_catalog(project, cache, workers)
    if strict:
        problems = [p.as_error() for p in problems]
    errors = [p for p in problems if not p.warning]
    if errors or records.site is None:
        raise CatalogError(problems)
    with timings("resolve"):
        site = build_site(records, base_url)
    if history:
        site = with_history(project, site, cache is not None)
    return site, problems


def with_history(project: Path, site: Site, cache: bool) -> Site:
    """Return site with its git history attached (or, without one, the note why)."""
    from .history import read_history
    from .site import attach_history

    with timings("history"):
        return attach_history(site, read_history(project, cache=cache))

"""`modelcat import SOURCE FILE`: real catalogs in, valid records out (README "Import")."""

from __future__ import annotations

SOURCES = ("models.dev", "openrouter", "litellm")


def parse_source(source: str, data, provider: str | None):
    if source == "models.dev":
        from . import models_dev as mod
    elif source == "openrouter":
        from . import openrouter as mod
    else:
        from . import litellm as mod
    return mod.parse(data, provider)


DERIVED_NOTE = "summary derived by `modelcat import` from the source's facts (the source has none): rewrite it"


def run_import(project, source: str, file, provider: str | None, check: bool) -> tuple[list[str], int]:
    """Import FILE into project's catalog (or compare, with check); return (lines to print, exit code)."""
    import collections

    from .apply import apply, existing_ids
    from .common import load_json, plan
    from ..problems import EnvironmentFault

    try:
        data = load_json(file)
    except OSError as exc:
        raise EnvironmentFault(f"cannot read {file}: {exc.strerror}") from None
    except ValueError as exc:
        raise EnvironmentFault(f"{file} is not JSON: {exc}") from None
    parsed = parse_source(source, data, provider)
    planned, skipped, collisions = plan(parsed, existing_ids(project))
    report = apply(project, planned, parsed.providers, check, DERIVED_NOTE)
    lines: list[str] = []
    if check:
        lines.extend(report.diffs)
    else:
        lines.extend(f"wrote {i}" for i in report.written)
        lines.extend(f"updated {i}" for i in report.updated)
        lines.extend(f"wrote provider {p}" for p in report.providers)
    lines.extend(f"collision: {c}" for c in collisions)
    lines.extend(f"skipped {s.source_id}: {s.reason}" for s in skipped)
    lines.extend(f"refused {r}" for r in report.refused)
    reasons = collections.Counter(_reason_kind(s.reason) for s in skipped)
    for what, n in sorted(parsed.no_home.items()):
        lines.append(f"no home: {what}: {n}")
    derived = collections.Counter(parsed.derived)
    derived["summary (marked in the file)"] += sum(1 for p in planned if p.derived_summary and p.id in report.written)
    for what, n in sorted(derived.items()):
        if n:
            lines.append(f"derived: {what}: {n}")
    for what, n in sorted(reasons.items()):
        lines.append(f"skipped, {what}: {n}")
    offers = sum(len(p.record.get("offers", [])) for p in planned)
    verb = "would write" if check else "wrote"
    lines.append(f"import {source}: {len(parsed.entries) + len(parsed.skipped)} source records -> "
                 f"{len(planned)} models ({offers} offers); {verb} {len(report.written)}, "
                 f"{'would update' if check else 'updated'} {len(report.updated)}, unchanged {report.unchanged}, "
                 f"skipped {len(skipped)}, collisions {len(collisions)}, refused {len(report.refused)}, "
                 f"no home {sum(parsed.no_home.values())}")
    code = 1 if check and (report.diffs or report.refused) else 0
    return lines, code


def _reason_kind(reason: str) -> str:
    """A skip reason without its figures, for the counts."""
    import re

    return re.sub(r"[\d,]+", "N", reason.split(" (")[0].split(":")[0])

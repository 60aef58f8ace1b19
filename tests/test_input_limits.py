"""Inputs that used to crash or stall the build while `validate` said ok (issue 2.1).

Each case is conftest.valid_files() plus one change, and the exact problem lines it
yields, as in tests/test_validation.py.
"""

from __future__ import annotations

import pytest

from conftest import MODEL_PATH, make_project, problem_lines, valid_files, with_change

M = f"catalog/{MODEL_PATH}"
SITE = "catalog/site.yaml"
PROV = "catalog/providers/meta.yaml"


# --- dates: YAML written from JSON quotes them ---------------------------------------------

DATE_CASES = [
    ("released-quoted", MODEL_PATH, "released: 2024-09-25", "released: '2024-09-25'", []),
    ("released-double-quoted", MODEL_PATH, "released: 2024-09-25", 'released: "2024-09-25"', []),
    ("usage-as-of-quoted", MODEL_PATH, "as_of: 2026-05-30", "as_of: '2026-05-30'", []),
    ("deprecation-date-quoted", MODEL_PATH, "open_weights: true",
     "open_weights: true\nstatus: deprecated\ndeprecation: {date: '2025-01-01'}", []),
    ("site-usage-as-of-quoted", "site.yaml", "# usage:                  # market",
     "usage: {tracked_tokens: 10, as_of: '2026-05-30'}\n# market", []),
    ("knowledge-cutoff-quoted", MODEL_PATH, "open_weights: true",
     "open_weights: true\nknowledge_cutoff: '2024-12'", []),
    ("released-quoted-impossible", MODEL_PATH, "released: 2024-09-25", "released: '2024-13-45'",
     [f"{M}:7:11: released: cannot read '2024-13-45' as a date"]),
    ("released-quoted-not-iso", MODEL_PATH, "released: 2024-09-25", "released: '20240925'",
     [f"{M}:7:11: released: must be a date written YYYY-MM-DD, got '20240925'"]),
]


@pytest.mark.parametrize("rel, old, new, expected", [c[1:] for c in DATE_CASES],
                         ids=[c[0] for c in DATE_CASES])
def test_quoted_dates(tmp_path, rel, old, new, expected):
    assert problem_lines(make_project(tmp_path, with_change(rel, old, new))) == expected


def test_quoted_date_is_the_date(tmp_path):
    from generator.catalog import load_catalog

    project = make_project(tmp_path, with_change(MODEL_PATH, "released: 2024-09-25", "released: '2024-09-25'"))
    site, _ = load_catalog(project)
    assert site.models[0].record.released.isoformat() == "2024-09-25"

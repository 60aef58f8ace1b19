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


# --- ids end at the end of the text; paths and keys print on one line ---------------------

ID_RULE = ('is not a valid id: use lowercase letters, digits, ".", "_" or "-", starting with a letter '
           "or digit, at most 100 characters")


def test_doc_name_with_trailing_newline_is_refused_on_one_line(tmp_path):
    files = valid_files()
    files["docs/a\n.md"] = "# A\n"
    lines = problem_lines(make_project(tmp_path, files))
    assert lines == [f"catalog/docs/a\\n.md:1:1: docs page id 'a\\n' {ID_RULE}"]


def test_model_name_with_trailing_newline_is_refused(tmp_path):
    files = valid_files()
    files["models/meta/x\n.yaml"] = files[MODEL_PATH]
    assert problem_lines(make_project(tmp_path, files)) == [
        f"catalog/models/meta/x\\n.yaml:1:1: model slug 'x\\n' {ID_RULE}"]


def test_control_characters_in_a_path_are_escaped(tmp_path):
    files = valid_files()
    files["models/me\tta\x07/x.yaml"] = files[MODEL_PATH]
    assert problem_lines(make_project(tmp_path, files)) == [
        "catalog/models/me\\tta\\x07:1:1: provider folder 'me\\tta\\x07' is not a valid id: use "
        'lowercase letters, digits, ".", "_" or "-"']


def test_control_characters_in_a_key_are_escaped(tmp_path):
    files = with_change(MODEL_PATH, "open_weights: true", 'open_weights: true\n"x\\ny\\u2028": 1')
    assert problem_lines(make_project(tmp_path, files)) == [
        f"{M}:30:1: x\\ny\\u2028: unknown key; allowed here: id, name, family, summary, description, "
        "released, modalities, pricing, limits, capabilities, strengths, use_cases, usage, status, "
        "deprecation, tags, open_weights, license, knowledge_cutoff, links, faq"]


def test_id_re_ends_at_the_end_of_the_text():
    from generator.records.schema import ID_RE

    assert ID_RE.match("meta") and not ID_RE.match("meta\n")


# --- ids whose outputs land on the same path --------------------------------------------

MODEL_ID = "meta/llama-3.2-1b-instruct"


def _model_named(files: dict[str, str], slug: str) -> None:
    files[f"models/meta/{slug}.yaml"] = files[MODEL_PATH].replace(f"id: {MODEL_ID}", f"id: meta/{slug}")


@pytest.mark.parametrize("suffix, twin", [("md", "Markdown"), ("json", "JSON")])
def test_model_folder_on_another_models_twin(tmp_path, suffix, twin):
    files = valid_files()
    _model_named(files, f"llama-3.2-1b-instruct.{suffix}")
    assert problem_lines(make_project(tmp_path, files)) == [
        f"catalog/models/meta/llama-3.2-1b-instruct.{suffix}.yaml:1:5: id: clashes with \"{MODEL_ID}\": its "
        f"page folder models/{MODEL_ID}.{suffix}/ is the path of the {twin} twin of \"{MODEL_ID}\"; "
        "rename one of them"]


def test_model_names_that_only_look_alike_are_fine(tmp_path):
    files = valid_files()
    _model_named(files, "llama-3.2-1b-instruct.mdx")
    _model_named(files, "llama.md")
    assert problem_lines(make_project(tmp_path, files)) == []


def test_provider_folder_on_another_providers_twin(tmp_path):
    files = valid_files()
    files["providers/meta.md.yaml"] = files["providers/meta.yaml"].replace("id: meta", "id: meta.md")
    assert problem_lines(make_project(tmp_path, files)) == [
        'catalog/providers/meta.md.yaml:1:5: id: clashes with provider "meta": its page folder '
        'providers/meta.md/ is the path of the Markdown twin of "meta"; rename one of them']


def test_docs_page_folder_on_another_pages_twin(tmp_path):
    files = valid_files()
    files["docs/a.md"] = "# A\n"
    files["docs/a.md.md"] = "# A again\n"
    assert problem_lines(make_project(tmp_path, files)) == [
        'catalog/docs/a.md.md:1:1: clashes with docs page "a": its page folder docs/a.md/ is the path '
        'of the Markdown twin of "a"; rename one of them']


def test_build_reports_the_clash_instead_of_crashing(tmp_path):
    from conftest import run_cli

    files = valid_files()
    files["docs/a.md"] = "# A\n"
    files["docs/a.md.md"] = "# A again\n"
    project = make_project(tmp_path, files)
    result = run_cli("build", "--project", project, "--out", tmp_path / "site")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0].startswith('catalog/docs/a.md.md:1:1: clashes with docs page "a"')
    assert "Traceback" not in result.output and not (tmp_path / "site").exists()

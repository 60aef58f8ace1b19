"""Rules across records, and warnings for records that are valid but likely wrong.

"Today" is conftest.TODAY_EPOCH (2026-06-01) through SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import datetime
import shutil

import pytest

from conftest import (EXAMPLE, MODEL_PATH, MODEL_YAML, PROVIDER_YAML, make_project, problem_lines,
                      valid_files, with_change)
from generator.catalog import load_catalog, today
from generator.problems import CatalogError
from generator.records.checks import check_records
from generator.records.load import load_records

M = f"catalog/{MODEL_PATH}"
COLL = "catalog/collections.yaml"
TOOL_USE = f'{M}:23:49: warning: strengths[2]: claims "Tool use" but capabilities.tool_calling is false'


def test_today_comes_from_source_date_epoch():
    assert today() == datetime.date(2026, 6, 1)


def test_example_catalog_has_exactly_its_three_warnings(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "catalog")
    assert problem_lines(tmp_path) == [
        f"{COLL}:8:3: warning: where: this collection holds no model",
        f"{COLL}:12:3: warning: where: this collection holds no model",
        TOOL_USE,
    ]


def test_warnings_do_not_stop_loading_unless_strict(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "catalog")
    site, warnings = load_catalog(tmp_path)
    assert [m.id for m in site.models] == ["meta/llama-3.2-1b-instruct"]
    assert len(warnings) == 3 and all(w.warning for w in warnings)
    with pytest.raises(CatalogError) as exc:
        load_catalog(tmp_path, strict=True)
    assert exc.value.format_message().splitlines() == [
        f"{COLL}:8:3: where: this collection holds no model",
        f"{COLL}:12:3: where: this collection holds no model",
        TOOL_USE.replace("warning: ", ""),
        "3 errors in 2 files.",
    ]


# --- warnings -------------------------------------------------------------------

@pytest.mark.parametrize("key, text, cap", [
    ("strengths", "Tool use", "tool_calling"),
    ("strengths", "Function calling", "tool_calling"),
    ("use_cases", "Image understanding", "vision"),
    ("use_cases", "JSON extraction", "json_mode"),
    ("strengths", "Structured output", "structured_output"),
    ("strengths", "Step-by-step reasoning", "reasoning"),
    ("strengths", "Prompt caching", "prompt_caching"),
])
def test_claim_of_a_capability_marked_false_warns(tmp_path, key, text, cap):
    line = 23 if key == "strengths" else 24
    old = "[General-purpose chat, Long context, Multilingual]" if key == "strengths" \
        else "[Chatbots, Content generation, Agentic workflows]"
    files = with_change(MODEL_PATH, old, f"[{text}]")
    col = len(f"{key}: [") + 1
    assert problem_lines(make_project(tmp_path, files)) == [
        f'{M}:{line}:{col}: warning: {key}[0]: claims "{text}" but capabilities.{cap} is false']


def test_claim_of_a_capability_marked_true_is_fine(tmp_path):
    files = with_change(MODEL_PATH, "Long context, Multilingual]", "Long context, Tool use]")
    files[MODEL_PATH] = files[MODEL_PATH].replace("tool_calling: false", "tool_calling: true")
    assert problem_lines(make_project(tmp_path, files)) == []


def test_claim_of_a_missing_capability_warns(tmp_path):
    """A capability left out of the record is false (CONTRACT.md), so a claim of it warns."""
    files = with_change(MODEL_PATH, "Long context, Multilingual]", "Long context, Chain-of-thought]")
    assert problem_lines(make_project(tmp_path, files)) == [
        f'{M}:23:49: warning: strengths[2]: claims "Chain-of-thought" but capabilities.reasoning is false']


@pytest.mark.parametrize("as_of, stale", [
    ("2025-05-31", True),  # 366 days before today
    ("2025-06-01", False),  # exactly a year
    ("2026-05-30", False),
])
def test_usage_older_than_a_year_warns(tmp_path, as_of, stale):
    files = with_change(MODEL_PATH, "as_of: 2026-05-30", f"as_of: {as_of}")
    expected = [f"{M}:28:10: warning: usage.as_of: usage figures are from {as_of}, over a year old"]
    assert problem_lines(make_project(tmp_path, files)) == (expected if stale else [])


def test_collection_that_holds_no_model_warns(tmp_path):
    files = valid_files()
    files["collections.yaml"] += "- id: huge\n  title: Huge context\n  where:\n    min_context: 1000000\n"
    assert problem_lines(make_project(tmp_path, files)) == [
        f"{COLL}:7:3: warning: where: this collection holds no model"]


def test_collection_conditions_all_hold(tmp_path):
    files = valid_files()
    files["collections.yaml"] += ("- id: cheap-meta\n  title: Cheap Meta\n  where: {provider: meta, "
                                  "max_input_price: 0.02, min_context: 128000, status: active, "
                                  "input_modality: text, capability: streaming}\n")
    assert problem_lines(make_project(tmp_path, files)) == []


# --- rules across records ---------------------------------------------------------

def test_model_of_an_unknown_provider(tmp_path):
    files = valid_files()
    files["models/acme/foo.yaml"] = files[MODEL_PATH].replace("id: meta/llama-3.2-1b-instruct", "id: acme/foo")
    assert problem_lines(make_project(tmp_path, files)) == [
        'catalog/models/acme/foo.yaml:1:5: id: provider "acme" has no catalog/providers/acme.yaml']


def test_replacement_in_the_catalog_is_accepted(tmp_path):
    files = valid_files()
    files["models/meta/llama-4.yaml"] = files[MODEL_PATH].replace("id: meta/llama-3.2-1b-instruct",
                                                                    "id: meta/llama-4")
    files[MODEL_PATH] = files[MODEL_PATH].replace(
        "open_weights: true", "open_weights: true\nstatus: deprecated\n"
        "deprecation: {date: 2026-01-01, replacement: meta/llama-4}")
    assert problem_lines(make_project(tmp_path, files)) == []


def test_base_model_in_the_catalog_is_accepted(tmp_path):
    files = valid_files()
    files["models/meta/llama-3.2-1b-instruct-2024.yaml"] = files[MODEL_PATH].replace(
        "id: meta/llama-3.2-1b-instruct", "id: meta/llama-3.2-1b-instruct-2024\nbase_model: meta/llama-3.2-1b-instruct")
    assert problem_lines(make_project(tmp_path, files)) == []


def test_same_id_in_two_files(tmp_path):
    files = valid_files()
    files["models/meta/copy.yaml"] = files[MODEL_PATH]
    files["providers/meta-ai.yaml"] = PROVIDER_YAML
    assert problem_lines(make_project(tmp_path, files)) == [
        "catalog/models/meta/copy.yaml:1:5: id: must equal the file's path \"meta/copy\", "
        "got 'meta/llama-3.2-1b-instruct'",
        "catalog/providers/meta-ai.yaml:1:5: id: must equal the file name \"meta-ai\", got 'meta'",
    ]


def test_ids_that_differ_only_in_case_clash(tmp_path):
    """File names are lowercase ids, so only a case-insensitive file system could bring two
    such records together; the rule holds for the records themselves."""
    records = load_records(make_project(tmp_path, valid_files()))
    mid = "meta/llama-3.2-1b-instruct"
    twin = "meta/Llama-3.2-1b-instruct"
    records.models[twin] = records.models[mid].model_copy(update={"id": twin})
    records.paths[f"model:{twin}"] = records.paths[f"model:{mid}"]
    lines = [p.format() for p in sorted(check_records(records, datetime.date(2026, 6, 1)))]
    assert lines == [
        f'{M}:1:5: id: clashes with "meta/llama-3.2-1b-instruct": ids that differ only in case',
    ]


# --- one problem is reported once, not again by every record that refers to it -----

def test_invalid_provider_file_is_not_also_missing(tmp_path):
    files = with_change("providers/meta.yaml", "name: Meta", "name: [Meta")
    files["collections.yaml"] += "- id: meta-models\n  title: Meta\n  where: {provider: meta}\n"
    assert problem_lines(make_project(tmp_path, files)) == [
        "catalog/providers/meta.yaml:3:4: YAML syntax: did not find expected ',' or ']' "
        "(while parsing a flow sequence)"]


def test_invalid_replacement_is_not_also_missing(tmp_path):
    files = valid_files()
    files["models/meta/llama-4.yaml"] = "id: meta/llama-4\n"
    files[MODEL_PATH] = files[MODEL_PATH].replace(
        "open_weights: true", "open_weights: true\nstatus: deprecated\n"
        "deprecation: {date: 2026-01-01, replacement: meta/llama-4}")
    lines = problem_lines(make_project(tmp_path, files))
    assert lines and all(line.startswith("catalog/models/meta/llama-4.yaml:1:1: ") for line in lines)
    assert "catalog/models/meta/llama-4.yaml:1:1: summary: required key is missing" in lines


def test_collection_is_not_called_empty_while_a_model_is_invalid(tmp_path):
    files = with_change(MODEL_PATH, "input: 0.015", "input: -1")
    assert problem_lines(make_project(tmp_path, files)) == [
        f"{M}:12:10: pricing.input: must be >= 0, got -1"]


def test_example_model_text_matches_the_example_file():
    assert (EXAMPLE / "models/meta/llama-3.2-1b-instruct.yaml").read_text() == MODEL_YAML
    assert (EXAMPLE / "providers/meta.yaml").read_text() == PROVIDER_YAML

"""The command line of CONTRACT.md section 2, run in-process: exit codes 0, 1 and 2, and output."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

try:  # installed with the test extras (openapi-spec-validator needs it); checked by hand otherwise
    import jsonschema
except ImportError:  # pragma: no cover
    jsonschema = None

from conftest import EXAMPLE, MODEL_PATH, MODEL_YAML, make_project, run_cli, valid_files

REPO = Path(__file__).resolve().parents[1]
COLL = "catalog/collections.yaml"
M = f"catalog/{MODEL_PATH}"


def copy_example(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "catalog")
    return tmp_path


def error_lines(result) -> list[str]:
    return result.stderr.splitlines()


# --- validate ----------------------------------------------------------------------

def test_validate_example_catalog(tmp_path):
    result = run_cli("validate", "--project", copy_example(tmp_path))
    assert result.exit_code == 0, result.output
    assert error_lines(result) == [
        f"{COLL}:8:3: warning: where: this collection holds no model",
        f"{COLL}:12:3: warning: where: this collection holds no model",
        f'{M}:23:49: warning: strengths[2]: claims "Tool use" but capabilities.tool_calling is false',
    ]
    assert result.stdout.startswith("ok: 1 model, 1 provider")
    assert result.stdout.rstrip().endswith("(3 warnings in 2 files)")
    assert "Traceback" not in result.output


def test_validate_example_catalog_strict_fails_on_warnings(tmp_path):
    result = run_cli("validate", "--strict", "--project", copy_example(tmp_path))
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [
        f"{COLL}:8:3: where: this collection holds no model",
        f"{COLL}:12:3: where: this collection holds no model",
        f'{M}:23:49: strengths[2]: claims "Tool use" but capabilities.tool_calling is false',
        "3 errors in 2 files.",
    ]
    assert result.stdout == ""


def test_validate_project_catalog():
    """The catalog shipped in this repository validates."""
    result = run_cli("validate", "--project", REPO)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_validate_clean_catalog_prints_only_ok(tmp_path):
    result = run_cli("validate", "--strict", "--project", make_project(tmp_path, valid_files()))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("ok: 1 model, 1 provider")
    assert result.stdout.rstrip().endswith("0 docs pages")


def test_validate_runs_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path, valid_files()))
    assert run_cli("validate").exit_code == 0


def test_warnings_alone_exit_0_and_strict_exit_1(tmp_path):
    files = valid_files()
    files[MODEL_PATH] = files[MODEL_PATH].replace("as_of: 2026-05-30", "as_of: 2024-01-01")
    project = make_project(tmp_path, files)
    line = f"{M}:28:10: warning: usage.as_of: usage figures are from 2024-01-01, over a year old"
    relaxed = run_cli("validate", "--project", project)
    assert relaxed.exit_code == 0 and error_lines(relaxed) == [line]
    strict = run_cli("validate", "--strict", "--project", project)
    assert strict.exit_code == 1
    assert error_lines(strict) == [line.replace("warning: ", ""), "1 error in 1 file."]


def test_every_problem_of_every_file_in_one_run(tmp_path):
    files = valid_files()
    files[MODEL_PATH] = MODEL_YAML.replace("input: 0.015", "input: -1").replace("name: Llama-3.2-1b-Instruct",
                                                                               "name: no")
    files["models/meta/broken.yaml"] = "id: meta/broken\nname: [Broken\n"
    files["models/meta/Bad Name.yaml"] = MODEL_YAML
    files["models/acme/empty.yaml"] = ""
    files["providers/meta.yaml"] = files["providers/meta.yaml"].replace("byok: true", "byok: yes\nbyok: no")
    files["site.yaml"] = files["site.yaml"].replace("docs: https://aigateway.sh/docs", "docs: ftp://x")
    files["collections.yaml"] += "- id: acme\n  title: Acme\n  where: {provider: acme, colour: red}\n"
    result = run_cli("validate", "--project", make_project(tmp_path, files))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = error_lines(result)
    assert lines == [
        f"{COLL}:7:27: where.colour: unknown key; allowed here: provider, tag, input_modality, "
        "output_modality, capability, max_input_price, min_context, status",
        "catalog/models/acme/empty.yaml:1:1: file is empty",
        "catalog/models/meta/Bad Name.yaml:1:1: model slug 'Bad Name' is not a valid id: use lowercase "
        'letters, digits, ".", "_" or "-", starting with a letter or digit, at most 100 characters',
        "catalog/models/meta/broken.yaml:3:1: YAML syntax: did not find expected ',' or ']' "
        "(while parsing a flow sequence)",
        f'{M}:2:7: name: must be text, but YAML reads the unquoted no as false; write it in quotes: "no"',
        f"{M}:12:10: pricing.input: must be >= 0, got -1",
        "catalog/providers/meta.yaml:6:1: byok: duplicate key 'byok' (first at line 5); "
        "YAML would silently keep only the last",
        "catalog/site.yaml:29:9: links.docs: must be an http(s) URL, got 'ftp://x'",
        "8 errors in 7 files.",
    ]
    located = [line.split(":", 3)[:3] for line in lines[:-1]]
    assert located == sorted(located, key=lambda p: (p[0], int(p[1]), int(p[2])))


def test_bad_input_never_shows_a_traceback(tmp_path):
    files = valid_files()
    files[MODEL_PATH] = b"\x00\xff" + MODEL_YAML.encode()
    files["site.yaml"] = "- not\n- a mapping\n"
    files["providers/meta.yaml"] = "id: !!python/name:os.system meta\n"
    result = run_cli("validate", "--project", make_project(tmp_path, files))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] == "3 errors in 3 files."


@pytest.mark.parametrize("args", [
    ["validate", "--bogus"],
    ["validate", "--project", "/nonexistent/project"],
    ["frobnicate"],
    ["schema", "--kind", "nope"],
    ["new"],
])
def test_bad_usage_exits_2(args):
    result = run_cli(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_validate_without_catalog_folder_explains(tmp_path):
    result = run_cli("validate", "--project", tmp_path)
    assert result.exit_code == 2
    assert "no catalog/ folder in" in result.output
    assert "modelcat init DIR" in result.output


# --- schema ------------------------------------------------------------------------

def _json_ready(value):
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def test_schema_is_a_json_schema_that_accepts_the_example():
    result = run_cli("schema")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["title"] == "modelcat model record"
    assert doc["type"] == "object" and doc["additionalProperties"] is False
    assert {"id", "name", "summary", "modalities", "pricing", "limits"} <= set(doc["required"])
    example = _json_ready(yaml.safe_load(MODEL_YAML))
    assert set(example) <= set(doc["properties"])
    if jsonschema is None:  # the key checks above are all we can do
        return
    jsonschema.Draft202012Validator.check_schema(doc)
    validator = jsonschema.Draft202012Validator(doc, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(example)) == []
    assert not validator.is_valid({**example, "contxt": 1})
    assert not validator.is_valid({**example, "pricing": {"input": -1, "output": 0}})
    assert not validator.is_valid({k: v for k, v in example.items() if k != "summary"})


@pytest.mark.parametrize("kind", ["model", "provider", "site", "collections"])
def test_schema_of_every_kind_is_valid_json_schema(kind):
    result = run_cli("schema", "--kind", kind)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["title"] == f"modelcat {kind} record"
    if jsonschema is None:
        return
    jsonschema.Draft202012Validator.check_schema(doc)
    source = {"provider": EXAMPLE / "providers/meta.yaml", "site": EXAMPLE / "site.yaml",
              "collections": EXAMPLE / "collections.yaml", "model": EXAMPLE / MODEL_PATH}[kind]
    instance = _json_ready(yaml.safe_load(source.read_text()))
    assert list(jsonschema.Draft202012Validator(doc).iter_errors(instance)) == []


# --- new ---------------------------------------------------------------------------

def test_new_writes_a_record_that_fails_until_its_summary_and_prices_are_filled_in(tmp_path):
    project = make_project(tmp_path, valid_files())
    result = run_cli("new", "--project", project, "acme/foo-1")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "wrote catalog/providers/acme.yaml (new provider)",
        "wrote catalog/models/acme/foo-1.yaml: fill in the TODOs, then `modelcat validate`",
    ]
    record = project / "catalog/models/acme/foo-1.yaml"
    assert (project / ".modelcat/model.schema.json").is_file()

    check = run_cli("validate", "--strict", "--project", project)
    assert check.exit_code == 1
    # no price is written for the author: a record left as written is never published as "Free"
    assert error_lines(check) == [
        "catalog/models/acme/foo-1.yaml:8:9: summary: must be text, but the value is empty",
        "catalog/models/acme/foo-1.yaml:17:9: pricing.input: must be a number, got null (nothing)",
        "2 errors in 1 file.",
    ]

    text = record.read_text().replace("summary:       ", "summary: A small test model.", 1)
    record.write_text(text.replace("  input:       ", "  input: 0.5", 1))
    check = run_cli("validate", "--strict", "--project", project)
    assert check.exit_code == 1
    assert error_lines(check)[0].startswith("catalog/models/acme/foo-1.yaml:16:1: pricing.output: required key "
                                            "is missing for a chat model")
    record.write_text(record.read_text().replace("  output:      ", "  output: 1.5", 1))
    check = run_cli("validate", "--strict", "--project", project)
    assert check.exit_code == 0, check.output


def test_new_keeps_an_existing_provider(tmp_path):
    project = make_project(tmp_path, valid_files())
    before = (project / "catalog/providers/meta.yaml").read_text()
    result = run_cli("new", "--project", project, "meta/llama-5")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "wrote catalog/models/meta/llama-5.yaml: fill in the TODOs, then `modelcat validate`"]
    assert (project / "catalog/providers/meta.yaml").read_text() == before


@pytest.mark.parametrize("model_id", ["Acme/Foo", "acme", "acme/foo/bar", "acme/..", "../etc", "acme/foo bar",
                                      "acme/"])
def test_new_refuses_a_bad_id(tmp_path, model_id):
    project = make_project(tmp_path, valid_files())
    result = run_cli("new", "--project", project, model_id)
    assert result.exit_code == 2, result.output
    assert "model id must be" in result.output
    assert not (project / "catalog/models/acme").exists()


def test_new_refuses_to_overwrite(tmp_path):
    project = make_project(tmp_path, valid_files())
    result = run_cli("new", "--project", project, "meta/llama-3.2-1b-instruct")
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert (project / f"catalog/{MODEL_PATH}").read_text() == valid_files()[MODEL_PATH]


# --- init --------------------------------------------------------------------------

def test_init_creates_a_project_that_validates(tmp_path):
    target = tmp_path / "site-project"
    result = run_cli("init", target)
    assert result.exit_code == 0, result.output
    assert (target / "catalog/site.yaml").is_file()
    assert (target / "templates").is_dir()
    check = run_cli("validate", "--project", target)
    assert check.exit_code == 0, check.output


def test_init_refuses_an_existing_catalog(tmp_path):
    project = make_project(tmp_path, valid_files())
    result = run_cli("init", project)
    assert result.exit_code == 2
    assert "already exists" in result.output


# --- the program itself -------------------------------------------------------------

def test_python_m_generator_help():
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True,
                            timeout=60, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
    for command in ("build", "validate", "serve", "new", "schema", "init"):
        assert command in result.stdout


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.output.startswith("modelcat, version ")


def test_the_committed_schema_is_the_current_one():
    # README links .modelcat/model.schema.json; `modelcat schema > .modelcat/model.schema.json` renews it
    from generator.scaffold import json_schema

    committed = (Path(__file__).resolve().parent.parent / ".modelcat" / "model.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema("model", "07") + "\n"

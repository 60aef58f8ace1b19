"""modelcat where gateway teams work: problems as GitHub annotations (`--format github`), the
composite action and the documented workflow, the pre-commit hook, and the editors' schemas."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import MODEL_PATH, make_project, run_cli, valid_files, with_change
from test_validation import COLLECTION_CASES, MODEL_CASES, PROVIDER_CASES, SITE_CASES

# --- problems as workflow commands ------------------------------------------------------------

# ::error file=<path>,line=<l>,col=<c>,title=<field>::<message>; line, col and title when known
COMMAND = re.compile(r"::(error|warning) file=([^,:]*)(?:,line=(\d+))?(?:,col=(\d+))?(?:,title=([^,:]*))?::(.*)")


def unescape(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def as_plain(command: str) -> str:
    """Return the plain line that a workflow command stands for (asserting it is well escaped)."""
    m = COMMAND.fullmatch(command)
    assert m, f"not a workflow command: {command!r}"
    kind, path, line, col, title, message = m.groups()
    for raw in (path, title or "", message):
        assert "\n" not in raw and "\r" not in raw and not re.search(r"%(?!25|0D|0A|3A|2C)", raw), raw
    field = f"{unescape(title)}: " if title else ""
    return (f"{unescape(path)}:{line}:{col}: {'warning: ' if kind == 'warning' else ''}"
            f"{field}{unescape(message)}")


def both_formats(project, *args: str) -> tuple[list[str], list[str], int]:
    plain = run_cli("validate", "--project", project, *args)
    github = run_cli("validate", "--project", project, "--format", "github", *args)
    assert plain.exit_code == github.exit_code
    return plain.stderr.splitlines(), github.stderr.splitlines(), plain.exit_code


def cases():
    for case_id, rel, old, new, expected in MODEL_CASES:
        yield pytest.param(with_change(rel, old, new), expected, id=case_id)
    for case_id, old, new, expected in SITE_CASES:
        yield pytest.param(with_change("site.yaml", old, new), expected, id=case_id)
    for case_id, old, new, expected in PROVIDER_CASES:
        yield pytest.param(with_change("providers/meta.yaml", old, new), expected, id=case_id)
    for case_id, text, expected in COLLECTION_CASES:
        yield pytest.param({**valid_files(), "collections.yaml": text}, expected, id=case_id)


@pytest.mark.parametrize("files, expected", list(cases()))
def test_github_format_is_the_plain_format_as_workflow_commands(tmp_path, files, expected):
    """Every bad-input case of test_validation.py: each github line is its plain line, escaped."""
    plain, github, status = both_formats(make_project(tmp_path, files))
    if not expected:
        assert status == 0 and github == plain
        return
    assert status == 1
    assert plain[:-1] == expected
    assert github[-1] == plain[-1]  # the count line is the same
    assert [as_plain(line) for line in github[:-1]] == expected


def test_github_format_escapes_paths_fields_and_messages(tmp_path):
    from generator.problems import Problem

    p = Problem("catalog/a,b:c%.yaml", 3, 4, "links.a:b,c", "50% off\r\nnext line: yes, really")
    assert p.github() == ("::error file=catalog/a%2Cb%3Ac%25.yaml,line=3,col=4,title=links.a%3Ab%2Cc"
                          "::50%25 off%0D%0Anext line: yes, really")
    w = Problem("catalog/site.yaml", 1, 1, "", "old", warning=True)
    assert w.github("sub/dir/") == "::warning file=sub/dir/catalog/site.yaml,line=1,col=1::old"


def test_github_format_escapes_a_file_name_end_to_end(tmp_path):
    files = valid_files()
    files["models/meta/x,y:z%.yaml"] = files[MODEL_PATH]
    plain, github, status = both_formats(make_project(tmp_path, files))
    assert status == 1
    assert any("x,y:z%.yaml" in line for line in plain)
    assert any("file=catalog/models/meta/x%2Cy%3Az%25.yaml," in line for line in github)
    assert [as_plain(line) for line in github[:-1]] == plain[:-1]


def test_github_paths_are_relative_to_the_git_repository(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    project = make_project(tmp_path / "docs" / "models", with_change(MODEL_PATH, "input: 0.015", "input: -1"))
    _, github, status = both_formats(project)
    assert status == 1
    assert github[0] == (f"::error file=docs/models/project/catalog/{MODEL_PATH},line=12,col=10,"
                         "title=pricing.input::must be >= 0, got -1")
    # run from inside the project, too: the path still starts at the repository's root
    assert run_cli("validate", "--project", project / "catalog" / "..", "--format", "github"
                   ).stderr.splitlines()[0] == github[0]


def test_warnings_are_workflow_warnings_in_validate_and_build(tmp_path):
    files = with_change(MODEL_PATH, "Long context, Multilingual]", "Long context, Tool use]")
    project = make_project(tmp_path, files)
    plain, github, status = both_formats(project)
    assert status == 0
    assert plain[0].startswith(f"catalog/{MODEL_PATH}:") and ": warning: strengths[" in plain[0]
    assert github[0].startswith(f"::warning file=catalog/{MODEL_PATH},line=")
    assert as_plain(github[0]) == plain[0]
    built = run_cli("build", "--project", project, "--format", "github", "--workers", "1")
    assert built.exit_code == 0, built.output
    assert built.stderr.splitlines()[0] == github[0]
    strict = run_cli("build", "--project", project, "--format", "github", "--strict", "--workers", "1")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[0] == github[0].replace("::warning ", "::error ", 1)


def test_build_reports_errors_as_workflow_commands(tmp_path):
    project = make_project(tmp_path, with_change(MODEL_PATH, "context: 128000", "context: lots"))
    result = run_cli("build", "--project", project, "--format", "github")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"::error file=catalog/{MODEL_PATH},line=15,col=12,title=limits.context::must be a whole number, got 'lots'",
        "1 error in 1 file."]
    assert not (project / "site").exists()


def test_plain_stays_the_default_and_unknown_formats_are_bad_usage(tmp_path):
    project = make_project(tmp_path, with_change(MODEL_PATH, "context: 128000", "context: lots"))
    default = run_cli("validate", "--project", project)
    assert default.stderr.splitlines()[0] == (
        f"catalog/{MODEL_PATH}:15:12: limits.context: must be a whole number, got 'lots'")
    assert run_cli("validate", "--project", project, "--format", "plain").stderr == default.stderr
    assert run_cli("validate", "--project", project, "--format", "xml").exit_code == 2


# --- editors: draft-07 schemas, .modelcat/ and .vscode/settings.json --------------------------

KINDS = ["model", "provider", "site", "collections"]


def json_ready(value):
    """YAML's dates as the strings they are written as (what an editor's schema check sees)."""
    import datetime

    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def read_yaml(path):
    import yaml

    return json_ready(yaml.safe_load(path.read_text(encoding="utf-8")))


def draft7(doc):
    import jsonschema

    jsonschema.Draft7Validator.check_schema(doc)
    return jsonschema.Draft7Validator(doc, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("kind", KINDS)
def test_schema_draft_07_is_valid_and_accepts_every_example_record(kind):
    import json

    from conftest import EXAMPLE

    result = run_cli("schema", "--kind", kind, "--draft", "07")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert doc["title"] == f"modelcat {kind} record"
    text = json.dumps(doc)
    assert "$defs" not in text and "prefixItems" not in text and "unevaluated" not in text

    def refs_alone(node):  # draft-07 ignores whatever stands beside a $ref
        if isinstance(node, dict):
            assert "$ref" not in node or len(node) == 1, node
            return all(refs_alone(v) for v in node.values())
        return all(refs_alone(v) for v in node) if isinstance(node, list) else True
    assert refs_alone(doc)
    validator = draft7(doc)
    files = {"model": sorted(EXAMPLE.glob("models/*/*.yaml")), "provider": sorted(EXAMPLE.glob("providers/*.yaml")),
             "site": [EXAMPLE / "site.yaml"], "collections": [EXAMPLE / "collections.yaml"]}[kind]
    assert files
    for path in files:
        errors = [e.message for e in validator.iter_errors(read_yaml(path))]
        assert errors == [], f"{path.name}: {errors}"


def test_schema_draft_07_still_rejects_bad_records():
    import json

    from conftest import EXAMPLE

    validator = draft7(json.loads(run_cli("schema", "--draft", "07").stdout))
    example = read_yaml(EXAMPLE / MODEL_PATH)
    assert validator.is_valid(example)
    assert not validator.is_valid({**example, "contxt": 1})
    assert not validator.is_valid({**example, "pricing": {"input": -1, "output": 0}})
    assert not validator.is_valid({**example, "limits": {"context": 1000, "max_ouput": 10}})
    assert not validator.is_valid({**example, "capabilities": {"vison": True}})
    assert not validator.is_valid({k: v for k, v in example.items() if k != "summary"})
    site = draft7(json.loads(run_cli("schema", "--kind", "site", "--draft", "07").stdout))
    assert not site.is_valid({**read_yaml(EXAMPLE / "site.yaml"), "fee": {"percent": 150}})


def test_schema_refuses_an_unknown_draft():
    assert run_cli("schema", "--draft", "04").exit_code == 2


def test_init_maps_every_catalog_folder_to_its_schema(tmp_path):
    """.vscode/settings.json's yaml.schemas: every glob matches records, each valid under its schema."""
    import json

    target = tmp_path / "gateway-docs"
    result = run_cli("init", target)
    assert result.exit_code == 0, result.output
    assert "wrote .vscode/settings.json: editors check records against .modelcat/*.schema.json" in result.stdout
    settings = json.loads((target / ".vscode/settings.json").read_text())
    assert settings == {"yaml.schemas": {
        ".modelcat/model.schema.json": ["catalog/models/**/*.yaml"],
        ".modelcat/provider.schema.json": ["catalog/providers/*.yaml"],
        ".modelcat/site.schema.json": ["catalog/site.yaml"],
        ".modelcat/collections.schema.json": ["catalog/collections.yaml"],
    }}
    seen = set()
    for schema_file, globs in settings["yaml.schemas"].items():
        validator = draft7(json.loads((target / schema_file).read_text()))
        matched = [p for g in globs for p in target.glob(g)]
        assert matched, globs
        for path in matched:
            assert list(validator.iter_errors(read_yaml(path))) == [], path
            seen.add(path)
    records = {p for p in (target / "catalog").rglob("*.yaml")}
    assert seen == records  # every record file has its schema


def test_init_keeps_existing_editor_settings(tmp_path):
    import json

    target = tmp_path / "p"
    (target / ".vscode").mkdir(parents=True)
    (target / ".vscode/settings.json").write_text('{"editor.tabSize": 2, "yaml.schemas": {"x.json": "a.yaml"}}')
    assert run_cli("init", target).exit_code == 0
    settings = json.loads((target / ".vscode/settings.json").read_text())
    assert settings["editor.tabSize"] == 2
    assert settings["yaml.schemas"]["x.json"] == "a.yaml"
    assert settings["yaml.schemas"][".modelcat/site.schema.json"] == ["catalog/site.yaml"]
    commented = tmp_path / "q"
    (commented / ".vscode").mkdir(parents=True)
    (commented / ".vscode/settings.json").write_text('// mine\n{}\n')
    result = run_cli("init", commented)
    assert result.exit_code == 0
    assert (commented / ".vscode/settings.json").read_text() == "// mine\n{}\n"
    assert "kept .vscode/settings.json: add its yaml.schemas yourself" in result.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_the_committed_editor_schemas_are_current(kind):
    import json

    from generator.scaffold import json_schema, vscode_settings
    from tools import REPO

    assert (REPO / ".modelcat" / f"{kind}.schema.json").read_text(encoding="utf-8") == json_schema(kind, "07") + "\n"
    assert json.loads((REPO / ".vscode/settings.json").read_text()) == vscode_settings()

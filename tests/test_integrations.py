"""modelcat where gateway teams work: problems as GitHub annotations (`--format github`), the
composite action and the documented workflow, the pre-commit hook, and the editors' schemas."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    if all(": warning: " in line for line in expected):  # warnings alone: exit 0, no count line
        assert status == 0 and plain == expected
        assert [as_plain(line) for line in github] == expected
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


@given(st.text(), st.text(), st.text())
def test_any_text_survives_the_workflow_command_escapes(path, field, message):
    from generator.problems import Problem

    command = Problem(path, 7, 3, field, message).github()
    assert "\n" not in command and "\r" not in command
    expected_field = f"{field}: " if field else ""
    assert as_plain(command) == f"{path}:7:3: {expected_field}{message}"


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
    odd = tmp_path / "r"
    (odd / ".vscode").mkdir(parents=True)
    (odd / ".vscode/settings.json").write_text('{"yaml.schemas": ["not", "a", "mapping"]}')
    result = run_cli("init", odd)
    assert result.exit_code == 0, result.output
    assert "kept .vscode/settings.json" in result.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_the_committed_editor_schemas_are_current(kind):
    import json

    from generator.scaffold import json_schema, vscode_settings
    from tools import REPO

    assert (REPO / ".modelcat" / f"{kind}.schema.json").read_text(encoding="utf-8") == json_schema(kind, "07") + "\n"
    assert json.loads((REPO / ".vscode/settings.json").read_text()) == vscode_settings()


# --- GitHub Actions: action.yml and the README's workflow -------------------------------------

def _repo():
    from tools import REPO

    return REPO


def readme_workflow() -> str:
    """The GitHub Pages workflow of the README's "In CI" section (its first yaml block)."""
    text = (_repo() / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## In CI\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)[0]


def load_yaml(text: str):
    import yaml

    return yaml.safe_load(text)


def check_jsonschema(schema: str, path) -> None:
    import importlib.util
    import sys

    if importlib.util.find_spec("check_jsonschema") is None:
        from tools import missing

        missing("check-jsonschema is not installed (pip install check-jsonschema; in the test extra)")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_action_and_the_readme_workflow_pass_githubs_schemas(tmp_path):
    workflow = tmp_path / "catalog.yml"
    workflow.write_text(readme_workflow(), encoding="utf-8")
    check_jsonschema("vendor.github-actions", _repo() / "action.yml")
    check_jsonschema("vendor.github-workflows", workflow)


def test_the_readme_workflow_builds_pull_requests_and_deploys_only_main():
    action = load_yaml((_repo() / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"project", "out", "base-url", "strict"} <= set(action["inputs"])
    flow = load_yaml(readme_workflow())
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads the key on as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    steps = {s["uses"].split("@")[0]: s for s in build["steps"]}
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    ours = steps["OWNER/modelcat"]
    assert set(ours["with"]) <= set(action["inputs"])
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == f"${{{{ steps.{ours['id']}.outputs.site }}}}"
    assert "site" in action["outputs"]
    assert "pull_request" in steps["actions/upload-pages-artifact"]["if"]
    assert deploy["needs"] == "build" and "pull_request" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def run_action(action: dict, inputs: dict[str, str], context: dict[str, str], workspace, env) -> tuple[int, str, dict]:
    """Run a composite action's steps the way the runner does: `uses: actions/setup-python` is the
    caller's Python (first on PATH), each `run:` goes to `bash --noprofile --norc -eo pipefail`
    with its env's expressions substituted; GITHUB_PATH and GITHUB_OUTPUT are honoured.
    Return (exit status of the first failing step or 0, everything printed, step outputs)."""
    values = {f"inputs.{k}": str(inputs.get(k, spec.get("default", ""))) for k, spec in action["inputs"].items()}
    values.update(context)

    def subst(text: str) -> str:
        def one(m):
            assert m.group(1) in values, f"the test runner does not know the expression {m.group(0)}"
            return values[m.group(1)]
        return EXPRESSION.sub(one, str(text))

    printed, outputs = [], {}
    for i, step in enumerate(action["runs"]["steps"]):
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@"), step
            continue
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "expressions in run: are script injection; pass them in env:"
        script = workspace.parent / f"step-{i}.sh"
        script.write_text(step["run"], encoding="utf-8")
        out_file, path_file = workspace.parent / f"out-{i}", workspace.parent / f"path-{i}"
        out_file.write_text(""), path_file.write_text("")
        step_env = {**env, **{k: subst(v) for k, v in step.get("env", {}).items()},
                    "GITHUB_OUTPUT": str(out_file), "GITHUB_PATH": str(path_file)}
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                                env=step_env, capture_output=True, text=True, timeout=600)
        printed.append(result.stdout + result.stderr)
        if result.returncode:
            return result.returncode, "".join(printed), outputs
        for line in out_file.read_text().splitlines():
            name, _, value = line.partition("=")
            outputs[f"steps.{step.get('id')}.outputs.{name}"] = value
        for line in path_file.read_text().splitlines():
            env["PATH"] = line + os.pathsep + env["PATH"]
    values.update(outputs)
    return 0, "".join(printed), {k: subst(v["value"]) for k, v in action.get("outputs", {}).items()}


def package_copy(dest):
    """The package's source as a checkout holds it (so that pip's build files stay out of the repo)."""
    import shutil

    repo = _repo()
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", "action.yml", ".pre-commit-hooks.yaml"):
        shutil.copy2(repo / name, dest / name)
    shutil.copytree(repo / "generator", dest / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    return dest



@pytest.mark.slow
def test_the_action_installs_validates_and_builds_the_example(tmp_path):
    """slow (30-60 s): a fresh venv, modelcat installed from a copy of this checkout by the action's own
    steps (dependencies from the package index), then validate and build of the example catalog."""
    import shutil
    import sys

    from conftest import EXAMPLE

    action = load_yaml((_repo() / "action.yml").read_text(encoding="utf-8"))
    source = package_copy(tmp_path / "modelcat")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLE, workspace / "gateway" / "catalog")
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = str(venv / "bin") + os.pathsep + env["PATH"]
    context = {"github.action_path": str(source)}
    inputs = {"project": "gateway", "base-url": "https://docs.example.org/models/"}

    status, printed, outputs = run_action(action, inputs, context, workspace, env)
    assert status == 0, printed
    assert (venv / "bin" / "modelcat").is_file()  # installed into the caller's Python
    assert outputs == {"site": "gateway/site"}
    site = workspace / "gateway" / "site"
    assert (site / "index.html").is_file() and (site / "models/meta/llama-3.2-1b-instruct/index.html").is_file()
    assert "https://docs.example.org/models/models/meta/llama-3.2-1b-instruct/" in (site / "sitemap.xml").read_text()
    # the example's one warning, as an annotation on its line, with the path from the repository's root
    assert "::warning file=gateway/catalog/models/" in printed

    status, printed, _ = run_action(action, {**inputs, "strict": "true", "out": "public"}, context, workspace, env)
    assert status == 1
    assert "::error file=gateway/catalog/models/" in printed
    assert not (workspace / "public").exists()


# --- pre-commit -------------------------------------------------------------------------------

def git(cwd, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=modelcat tests", "-c", "user.email=tests@example.invalid",
                           "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True,
                          text=True, timeout=60).stdout.strip()


@pytest.mark.slow
def test_the_pre_commit_hook_fails_on_a_broken_record_and_passes_on_the_fix(tmp_path):
    """slow (30-60 s): the real pre-commit installs this package's published hook
    (.pre-commit-hooks.yaml, from a git repository at a commit) into its own environment."""
    import importlib.util
    import sys

    if importlib.util.find_spec("pre_commit") is None:
        from tools import missing

        missing("pre-commit is not installed (pip install pre-commit; in the test extra)")
    hook_repo = package_copy(tmp_path / "modelcat")
    git(hook_repo, "init", "-q")
    git(hook_repo, "add", "-A")
    git(hook_repo, "commit", "-q", "-m", "modelcat")
    rev = git(hook_repo, "rev-parse", "HEAD")

    project = make_project(tmp_path, with_change(MODEL_PATH, "input: 0.015", "input: -1"))
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: modelcat-validate\n",
        encoding="utf-8")
    (project / ".gitignore").write_text("site/\n.modelcat-cache/\n")  # as `modelcat init` writes it
    git(project, "init", "-q")
    git(project, "add", "-A")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")

    def pre_commit():
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                              cwd=project, env=env, capture_output=True, text=True, timeout=600)

    broken = pre_commit()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "modelcat validate" in broken.stdout and "Failed" in broken.stdout
    assert f"catalog/{MODEL_PATH}:12:10: pricing.input: must be >= 0, got -1" in broken.stdout

    record = project / "catalog" / MODEL_PATH
    record.write_text(record.read_text().replace("input: -1", "input: 0.015"))
    git(project, "add", "-A")
    fixed = pre_commit()
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert re.search(r"modelcat validate\.+Passed", fixed.stdout), fixed.stdout

"""Shared test helpers: a catalog written from a dict, a minimal valid catalog, the CLI.

`valid_files()` is the example catalog of CONTRACT.md as text, trimmed so that it
validates with no problem at all (not even a warning): tests change one thing and
assert the one line that change produces.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.builds import TODAY_EPOCH

# The build cache's per-user key (generator/cache.py) lives under XDG_CACHE_HOME: the suite
# keeps its own, so that it neither reads nor writes the user's, and removes it at the end.
_USER_CACHE = tempfile.mkdtemp(prefix="modelcat-test-user-cache-")
atexit.register(shutil.rmtree, _USER_CACHE, True)
os.environ["XDG_CACHE_HOME"] = _USER_CACHE

# A verbatim copy of the contract's example catalog (shared/example/catalog).
EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "example-catalog"

SITE_YAML = """\
# The gateway this catalog documents.
name: AIgateway
url: https://aigateway.sh/
tagline: One OpenAI-compatible API for every open model.
api:
  base_url: https://api.aigateway.sh/v1
  key_env: AIGATEWAY_API_KEY
  key_prefix: sk-aig-
  example_request:
    system: You are a helpful assistant.
    user: Hello!
    temperature: 0.7
    top_p: 0.95
    max_tokens: 1024
fee:
  percent: 5
  note: You pay pass-through; 5% applied at credit top-up, not per call.
# usage:                  # market volume that "market share" divides by;
#   tracked_tokens: ...    # without it, share is taken over this catalog's total
#   as_of: 2026-05-30
errors:
  - {status: 401, type: authentication_error, message: Invalid or missing API key, retryable: false}
  - {status: 402, type: insufficient_credits, message: Wallet empty (PAYG only), retryable: false}
  - {status: 404, type: not_found, message: Unknown model or endpoint, retryable: false}
  - {status: 429, type: rate_limit_error, message: Over per-minute limit, retryable: true, header: Retry-After}
  - {status: 500, type: server_error, message: Upstream provider failed, retryable: true}
  - {status: 503, type: service_unavailable, message: Upstream saturated, retryable: true}
links:
  docs: https://aigateway.sh/docs
  api_reference: https://aigateway.sh/docs/api
  playground: https://aigateway.sh/playground?model={model}
"""

PROVIDER_YAML = """\
id: meta
name: Meta
url: https://ai.meta.com
description: Meta's Llama family of open-weight models.
byok: true
"""

# The example's model record, line for line. Its "Tool use" strength (with
# tool_calling false) is a warning; valid_files() swaps it for a clean one.
MODEL_YAML = """\
id: meta/llama-3.2-1b-instruct
name: Llama-3.2-1b-Instruct
family: Llama 3
summary: >-
  The Llama 3.2 instruction-tuned text only models are optimized for multilingual
  dialogue use cases, including agentic retrieval and summarization tasks.
released: 2024-09-25
modalities:
  input: [text]
  output: [text]
pricing:
  input: 0.015
  output: 0.030
limits:
  context: 128000
  max_output: 4096
capabilities:
  streaming: true
  tool_calling: false
  vision: false
  json_mode: false
  prompt_caching: false
strengths: [General-purpose chat, Long context, Tool use]
use_cases: [Chatbots, Content generation, Agentic workflows]
usage:
  tokens: 215900000
  requests: 273400
  as_of: 2026-05-30
open_weights: true
"""

COLLECTIONS_YAML = """\
- id: text
  title: Text models
  description: Models that read and write text.
  where: {output_modality: text}
"""

MODEL_PATH = "models/meta/llama-3.2-1b-instruct.yaml"
# The date "today" is in tests: warnings such as "over a year old" must not
# change with the calendar. SOURCE_DATE_EPOCH is what the generator reads.


def valid_files() -> dict[str, str]:
    """Return a minimal valid catalog (paths relative to catalog/) that has no problems at all."""
    return {
        "site.yaml": SITE_YAML,
        "providers/meta.yaml": PROVIDER_YAML,
        MODEL_PATH: MODEL_YAML.replace("Long context, Tool use]", "Long context, Multilingual]"),
        "collections.yaml": COLLECTIONS_YAML,
    }


def make_project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """Write a project folder whose catalog/ holds files (relative path -> text or bytes)."""
    project = tmp_path / "project"
    catalog = project / "catalog"
    catalog.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = catalog / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return project


def run_cli(*args: str) -> Result:
    """Run `modelcat ARGS` in-process; result.output holds stdout and stderr."""
    return CliRunner().invoke(main, [str(a) for a in args])


def with_change(rel: str, old: str, new: str) -> dict[str, str]:
    """Return valid_files() with one change: the text old of catalog/<rel> replaced by new."""
    files = valid_files()
    text = files.get(rel, "")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    files[rel] = text.replace(old, new)
    return files


def problem_lines(project: Path) -> list[str]:
    """Return every problem of project's catalog (errors and warnings), formatted and sorted."""
    from generator.catalog import check_catalog

    _, problems = check_catalog(project)
    return [p.format() for p in problems]


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


# --- golden files (appended for tests/test_model_page.py) --------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current build instead of comparing")

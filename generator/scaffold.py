"""`modelcat new`, `modelcat schema` and `modelcat init`: files for people to start from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from generator.records import schema

PACKAGE = Path(__file__).parent
SCHEMA_URL = "https://modelcat.dev/schema/model.json"

KINDS = {
    "model": schema.ModelRecord,
    "provider": schema.ProviderRecord,
    "site": schema.SiteRecord,
    "collections": schema.CollectionRecord,
}


def json_schema(kind: str = "model") -> str:
    """Return the JSON Schema (draft 2020-12) of one record kind, from the pydantic models."""
    cls = KINDS[kind]
    doc = cls.model_json_schema(mode="validation")
    if kind == "collections":
        doc = {"type": "array", "items": doc, "$defs": doc.pop("$defs", {})}
    doc.pop("title", None)  # pydantic's class name; ours says what the file is
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "title": f"modelcat {kind} record", **doc}
    return json.dumps(doc, indent=2, sort_keys=False, ensure_ascii=False)


MODEL_TEMPLATE = """\
# yaml-language-server: $schema=../../../.modelcat/model.schema.json
# A model record (CONTRACT.md section 1). Replace every TODO; `modelcat validate`
# reports what is still missing or wrong, with its line.
id: {id}
name: {name}
# family: {family}                  # groups sibling models on the page
summary:                            # TODO: one plain-text paragraph on what the model is for
# description: |                    # optional Markdown, shown under the summary
#   Longer text. **Markdown** works; raw HTML is removed.
released: {today}                  # YYYY-MM-DD
modalities:
  input: [text]                     # text, image, audio, video, file
  output: [text]
pricing:                            # USD per 1M tokens
  input: 0.0
  output: 0.0
  # cached_input: 0.0
  # cache_write: 0.0
limits:
  context: 128000                   # tokens
  max_output: 4096                  # tokens, at most the context
capabilities:                       # missing = false
  streaming: true
  tool_calling: false
  vision: false                     # true needs image in modalities.input
  json_mode: false
  prompt_caching: false
  reasoning: false
  structured_output: false
strengths: []                       # e.g. [Long context, Multilingual]
use_cases: []                       # e.g. [Chatbots, Summarisation]
# usage: {{tokens: 0, requests: 0, as_of: {today}}}
# status: preview                   # active (default), preview or deprecated
# deprecation: {{date: YYYY-MM-DD, replacement: provider/other-model}}
tags: []                            # ids that collections select on, e.g. [frontier]
# open_weights: true
# license: apache-2.0
# knowledge_cutoff: "2024-12"       # quoted YYYY-MM
# links: {{model_card: https://...}}
# faq:
#   - q: A question people ask?
#     a: An answer, in Markdown.
"""

PROVIDER_TEMPLATE = """\
id: {id}
name: {name}
# url: https://...
description: ""                     # TODO: one or two sentences on {name} (Markdown)
byok: false                         # true: customers may bring their own key
"""


def new_model(project: Path, model_id: str) -> list[str]:
    """Write a commented model record (and its provider, if new); return what was done."""
    import datetime

    parts = model_id.split("/")
    if len(parts) != 2 or not all(_valid_id(p) for p in parts):
        raise click.UsageError(f'model id must be "<provider>/<slug>" in lowercase letters, digits, '
                               f'".", "_" or "-"; got {model_id!r}')
    provider, slug = parts
    path = project / "catalog" / "models" / provider / f"{slug}.yaml"
    if path.exists():
        raise click.UsageError(f"{path.relative_to(project).as_posix()} already exists")
    done = []
    prov_path = project / "catalog" / "providers" / f"{provider}.yaml"
    if not prov_path.exists():
        prov_path.parent.mkdir(parents=True, exist_ok=True)
        prov_path.write_text(PROVIDER_TEMPLATE.format(id=provider, name=_title(provider)), encoding="utf-8")
        done.append(f"wrote {prov_path.relative_to(project).as_posix()} (new provider)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MODEL_TEMPLATE.format(id=model_id, name=_title(slug), family=_title(slug.split("-")[0]),
                                          today=datetime.date.today().isoformat()), encoding="utf-8")
    schema_path = project / ".modelcat" / "model.schema.json"
    schema_path.parent.mkdir(exist_ok=True)
    schema_path.write_text(json_schema("model") + "\n", encoding="utf-8")
    done.append(f"wrote {path.relative_to(project).as_posix()}: fill in the TODOs, then `modelcat validate`")
    return done


def init_project(directory: Path) -> list[str]:
    """Create a project with the example catalog and the default templates; return what was done."""
    if (directory / "catalog").exists():
        raise click.UsageError(f"{directory}/catalog already exists; not overwriting it")
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(PACKAGE / "example", directory / "catalog")
    shutil.copytree(PACKAGE / "templates", directory / "templates", dirs_exist_ok=True)
    (directory / ".gitignore").write_text("site/\n.modelcat-cache/\n", encoding="utf-8")
    (directory / ".modelcat").mkdir(exist_ok=True)
    (directory / ".modelcat" / "model.schema.json").write_text(json_schema("model") + "\n", encoding="utf-8")
    return [f"created {directory}/ with catalog/ and templates/",
            f"next: cd {directory} && modelcat serve"]


def _valid_id(text: str) -> bool:
    return len(text) <= 100 and text not in (".", "..") and schema.ID_RE.match(text) is not None


def _title(slug: str) -> str:
    return " ".join(w.capitalize() if not any(c.isdigit() for c in w) else w
                    for w in slug.replace("_", "-").split("-"))

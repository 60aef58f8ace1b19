"""`modelcat new`, `modelcat schema` and `modelcat init`: files for people to start from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from .records import schema

PACKAGE = Path(__file__).parent
SCHEMA_URL = "https://modelcat.dev/schema/model.json"

KINDS = {
    "model": schema.ModelRecord,
    "provider": schema.ProviderRecord,
    "site": schema.SiteRecord,
    "collections": schema.CollectionRecord,
}


DRAFTS = {"2020-12": "https://json-schema.org/draft/2020-12/schema",
          "07": "http://json-schema.org/draft-07/schema#"}

# Where each record kind lives: the globs of .vscode/settings.json's yaml.schemas (workspace-relative)
SCHEMA_FILES = {
    "model": ["catalog/models/**/*.yaml"],
    "provider": ["catalog/providers/*.yaml"],
    "site": ["catalog/site.yaml"],
    "collections": ["catalog/collections.yaml"],
}


def json_schema(kind: str = "model", draft: str = "2020-12") -> str:
    """Return the JSON Schema of one record kind, from the pydantic models: draft 2020-12, or
    draft-07 (what SchemaStore and most editors' YAML support read best)."""
    doc = schema_doc(kind, draft)
    return json.dumps(doc, indent=2, sort_keys=False, ensure_ascii=False)


def schema_doc(kind: str, draft: str = "2020-12") -> dict:
    cls = KINDS[kind]
    defs_key = "$defs" if draft == "2020-12" else "definitions"
    doc = cls.model_json_schema(mode="validation", ref_template=f"#/{defs_key}/{{model}}")
    if kind == "collections":
        doc = {"type": "array", "items": doc, "$defs": doc.pop("$defs", {})}
    doc.pop("title", None)  # pydantic's class name; ours says what the file is
    doc = {"$schema": DRAFTS[draft], "title": f"modelcat {kind} record", **doc}
    if draft == "07":
        doc = {defs_key if k == "$defs" else k: v for k, v in doc.items()}
        doc = _ref_alone(doc)
    return doc


def _ref_alone(node):
    """Draft-07 ignores the keywords beside a $ref (a default, a description): move the $ref into
    an allOf so that they still count."""
    if isinstance(node, list):
        return [_ref_alone(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _ref_alone(v) for k, v in node.items()}
    if "$ref" in node and len(node) > 1:
        ref = node.pop("$ref")
        node = {"allOf": [{"$ref": ref}], **node}
    return node


def write_schemas(project: Path, kinds=tuple(SCHEMA_FILES)) -> None:
    """Write .modelcat/<kind>.schema.json (draft-07, for editors) for each kind."""
    folder = project / ".modelcat"
    folder.mkdir(parents=True, exist_ok=True)
    for kind in kinds:
        (folder / f"{kind}.schema.json").write_text(json_schema(kind, "07") + "\n", encoding="utf-8")


def vscode_settings() -> dict:
    """Return the .vscode/settings.json that maps the catalog's folders to their schemas
    (yaml.schemas of the Red Hat YAML extension)."""
    return {"yaml.schemas": {f".modelcat/{kind}.schema.json": globs for kind, globs in SCHEMA_FILES.items()}}


def _write_vscode_settings(directory: Path) -> str:
    path = directory / ".vscode" / "settings.json"
    wanted = vscode_settings()
    if path.exists():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # VS Code allows comments there; do not rewrite what we cannot read
            return (f"kept {path.relative_to(directory).as_posix()}: add its yaml.schemas yourself: "
                    + json.dumps(wanted["yaml.schemas"]))
        if not isinstance(current, dict) or not isinstance(current.get("yaml.schemas", {}), dict):
            return (f"kept {path.relative_to(directory).as_posix()}: add its yaml.schemas yourself: "
                    + json.dumps(wanted["yaml.schemas"]))
        wanted = {**current, "yaml.schemas": {**current.get("yaml.schemas", {}), **wanted["yaml.schemas"]}}
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    return f"wrote {path.relative_to(directory).as_posix()}: editors check records against .modelcat/*.schema.json"


MODEL_TEMPLATE = """\
# yaml-language-server: $schema=../../../.modelcat/model.schema.json
# A model record (CONTRACT.md section 1). Replace every TODO; `modelcat validate`
# reports what is still missing or wrong, with its line.
id: {id}
name: {name}
# family: {family}                  # groups sibling models on the page
# base_model: provider/other-model  # the model this is a version, snapshot or host's id of
summary:                            # TODO: one plain-text paragraph on what the model is for
# description: |                    # optional Markdown, shown under the summary
#   Longer text. **Markdown** works; raw HTML is removed.
# kind: chat                        # chat (default), embedding, rerank, image, speech, transcription, moderation, video
released: {today}                  # YYYY-MM-DD, or YYYY-MM when only the month is known; leave out if unknown
modalities:
  input: [text]                     # text, image, audio, video, file
  output: [text]
pricing:                            # USD per 1M tokens unless the key says otherwise
  input:                            # TODO: the published price (0 means free)
  output:                           # TODO: required for a chat model; other kinds may leave it out
  # cached_input: 0.0
  # cache_write: 0.0                # 5-minute cache write
  # cache_write_1h: 0.0             # 1-hour cache write
  # reasoning: 0.0                  # reasoning tokens, where billed apart from output
  # input_audio: 0.0
  # output_audio: 0.0
  # per_request: 0.0                # USD per request
  # per_search: 0.0                 # USD per web-search query
  # per_image: 0.0                  # USD per generated image
  # per_second_audio: 0.0           # USD per second of audio
  # per_second_video: 0.0           # USD per second of video
  # tiers:                          # prompts over `above` tokens: only the prices that change
  #   - {{above: 200000, input: 0.0, output: 0.0}}
  # variants:                       # batch, flex, priority: each with its own prices
  #   batch: {{input: 0.0, output: 0.0}}
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
# deprecation: {{date: YYYY-MM-DD, shutdown: YYYY-MM-DD, replacement: provider/other-model}}  # may be ahead
tags: []                            # ids that collections select on, e.g. [frontier]
# open_weights: true
# license: apache-2.0
# knowledge_cutoff: "2024-12"       # quoted YYYY-MM
# links: {{model_card: https://...}}
# faq:
#   - q: A question people ask?
#     a: An answer, in Markdown.
# offers:                           # the hosts this model is routed to, each with its own prices
#   - {{host: example, region: eu, pricing: {{input: 0.0, output: 0.0}}, limits: {{context: 128000}}, default: true}}
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
    write_schemas(project, ["model"])
    done.append(f"wrote {path.relative_to(project).as_posix()}: fill in the TODOs, then `modelcat validate`")
    return done


def init_project(directory: Path) -> list[str]:
    """Create a project with the example catalog (and no copy of the default theme: templates/
    holds overrides only, so that theme fixes reach the project); return what was done."""
    if (directory / "catalog").exists():
        raise click.UsageError(f"{directory}/catalog already exists; not overwriting it")
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(PACKAGE / "example", directory / "catalog")
    (directory / "templates").mkdir(exist_ok=True)
    (directory / ".gitignore").write_text("site/\n.modelcat-cache/\n", encoding="utf-8")
    write_schemas(directory)
    settings = _write_vscode_settings(directory)
    return [f"created {directory}/ with catalog/ and an empty templates/ (the default theme is used; "
            "`modelcat eject TEMPLATE` copies a template there to edit)", settings,
            f"next: cd {directory} && modelcat serve"]


def theme_files() -> list[str]:
    """Return every file of the default theme, as paths relative to it, sorted."""
    from .theme import DEFAULT_TEMPLATES

    return sorted(p.relative_to(DEFAULT_TEMPLATES).as_posix() for p in DEFAULT_TEMPLATES.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def _pick(names: tuple[str, ...], files: list[str]) -> list[str]:
    """Return the theme files that names select (a file, or a folder such as assets/css)."""
    if not names:
        return files
    picked, unknown = [], []
    for name in names:
        name = name.replace("\\", "/").strip("/").removeprefix("templates/")
        chosen = [f for f in files if f == name or f.startswith(name + "/")]
        picked += chosen
        if not chosen:
            unknown.append(name)
    if unknown:
        import difflib

        lines = []
        for name in unknown:
            close = difflib.get_close_matches(name, files, n=1)
            lines.append(f"{name!r} is not a template of the default theme"
                         + (f' (did you mean "{close[0]}"?)' if close else ""))
        raise click.UsageError("; ".join(lines) + "; `modelcat eject --list` shows them all")
    return sorted(set(picked))


def eject(project: Path, names: tuple[str, ...] = (), prune: bool = False) -> list[str]:
    """Copy default templates into project/templates/ (never over an existing file), or with
    prune delete the files there that are byte-identical to the default theme; return what was done."""
    from .theme import DEFAULT_TEMPLATES

    own = project / "templates"
    if own.resolve() == DEFAULT_TEMPLATES.resolve():
        raise click.UsageError(f"{own} is modelcat's default theme itself: nothing to eject or prune")
    files = _pick(names, theme_files())
    done = []
    if prune:
        for rel in files:
            path = own / rel
            if path.is_file() and not path.is_symlink() and path.read_bytes() == (DEFAULT_TEMPLATES / rel).read_bytes():
                path.unlink()
                done.append(f"removed templates/{rel} (the same as the default theme's)")
                for folder in path.parents:  # the folders it leaves empty, up to templates/
                    if folder == own or any(folder.iterdir()):
                        break
                    folder.rmdir()
        left = [rel for rel in files if (own / rel).is_file()]
        done.append(f"{len(done)} removed; {len(left)} kept that differ from the default theme"
                    + (": " + ", ".join(f"templates/{rel}" for rel in left) if left else ""))
        return done
    for rel in files:
        path = own / rel
        if path.exists() or path.is_symlink():
            done.append(f"kept templates/{rel} (it exists)")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEFAULT_TEMPLATES / rel, path)
        done.append(f"copied templates/{rel}")
    return done


def _valid_id(text: str) -> bool:
    return len(text) <= 100 and text not in (".", "..") and schema.ID_RE.match(text) is not None


def _title(slug: str) -> str:
    return " ".join(w.capitalize() if not any(c.isdigit() for c in w) else w
                    for w in slug.replace("_", "-").split("-"))

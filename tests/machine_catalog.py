"""A small catalog that exercises the machine-readable outputs: several providers, a deprecated
model with a replacement, docs pages, and records full of text that tries to break Markdown,
llms.txt lines and XML (brackets, parentheses, newlines, `#`, raw HTML, an unclosed fence,
control characters). Built once per session like tests/builds.py does.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from generator.build import build

SITE = """\
name: "AIgateway [beta] #1"
url: https://example.org/catalog/
tagline: "One API\\nfor # every ](model) > all"
api:
  base_url: https://api.example.org/v1
  key_env: EXAMPLE_API_KEY
  key_prefix: sk-ex-
fee:
  percent: 5
errors:
  - {status: 400, type: invalid_request_error, message: Malformed request body, retryable: false}
  - {status: 401, type: authentication_error, message: Invalid or missing API key, retryable: false}
  - {status: 404, type: not_found, message: Unknown model or endpoint, retryable: false}
  - {status: 429, type: rate_limit_error, message: Over per-minute limit, retryable: true, header: Retry-After}
  - {status: 503, type: overloaded, message: "Upstream saturated (see [status](x))", retryable: true, header: Retry-After}
links:
  docs: https://example.org/docs
  status: https://example.org/status_(page)
  playground: https://example.org/play?model={model}
"""

PROVIDERS = {
    "meta": "id: meta\nname: Meta\nurl: https://ai.meta.com\ndescription: Meta's Llama models.\nbyok: true\n",
    "evil": (
        'id: evil\nname: "Evil [Corp](https://x.y)\\n## Injected"\n'
        'description: "Makes <script>alert(1)</script> models.\\n\\n# Heading\\n\\nSee [prices](../../pricing/)."\n'
    ),
    "empty": "id: empty\nname: Empty Labs\n",
}

LLAMA = """\
id: meta/llama-3.2-1b-instruct
name: Llama-3.2-1b-Instruct
family: Llama 3
summary: A small multilingual chat model.
released: 2024-09-25
modalities: {input: [text], output: [text]}
pricing: {input: 0.015, output: 0.03}
limits: {context: 128000, max_output: 4096}
capabilities: {streaming: true}
strengths: [General-purpose chat]
use_cases: [Chatbots, Content generation]
usage: {tokens: 215900000, requests: 273400, as_of: 2026-05-30}
tags: [frontier]
open_weights: true
license: Llama 3.2 Community License
"""

OLD = """\
id: meta/llama-2-7b-chat
name: Llama 2 7B Chat
summary: An older chat model.
released: 2023-07-18
modalities: {input: [text], output: [text]}
pricing: {input: 0.1, output: 0.2, cached_input: 0.05, cache_write: 0.125}
limits: {context: 4096, max_output: 2048}
status: deprecated
deprecation: {date: 2026-03-01, replacement: meta/llama-3.2-1b-instruct}
usage: {tokens: 1000, as_of: 2026-05-30}
"""

VISION = """\
id: meta/llama-3.2-11b-vision
name: Llama 3.2 11B Vision
summary: Reads images and text.
released: 2024-09-25
modalities: {input: [text, image], output: [text]}
pricing: {input: 0, output: 0}
limits: {context: 131072, max_output: 8192}
capabilities: {streaming: true, vision: true, tool_calling: true, json_mode: true}
status: preview
links: {model_card: "https://huggingface.co/meta-llama/x_(y)"}
"""

EVIL = """\
id: evil/bad-model
name: "Bad ](https://evil.example) model\\n- [x](y) #tag"
family: "Fam|ily [1]"
summary: "Line one\\n## Not a heading\\n- [fake](https://evil.example): link\\r\\nend \\u2028 sep \\x01\\x02 <b>&amp;</b>"
description: "Intro <img src=x onerror=alert(1)> text.\\n\\n# Top\\n\\nSee [pricing](../../../pricing/).\\n\\n```\\nunclosed <b>"
released: 2025-01-02
modalities: {input: [text], output: [text]}
pricing: {input: 1.5, output: 2.5}
limits: {context: 32000, max_output: 1000}
strengths: ["[x](y)", "# h", "a | b"]
use_cases: ["`tick`"]
license: "MIT | GPL"
usage: {tokens: 5000000, as_of: 2026-05-30}
faq:
  - q: "Why\\n# not?"
    a: "<script>x</script> **bold** [home](../../../)"
"""

COLLECTIONS = """\
- id: frontier
  title: "Frontier [models]"
  description: The most capable models.
  where: {tag: frontier}
- id: vision
  title: Vision models
  where: {capability: vision}
"""

DOCS = {
    "quickstart.md": (
        "---\ntitle: Quickstart\ndescription: First request in five minutes.\norder: 1\n---\n\n"
        "Export your key, then call the API.\n\n```bash\nexport EXAMPLE_API_KEY=sk-ex-...\n```\n\n"
        "See the [pricing](../../pricing/) and the [billing page](../billing/).\n"
    ),
    "billing.md": "# Billing [and] limits\n\nPrices are per **1M tokens**.\n",
}


def write_catalog(catalog: Path) -> None:
    files = {"site.yaml": SITE, "collections.yaml": COLLECTIONS,
             "models/meta/llama-3.2-1b-instruct.yaml": LLAMA, "models/meta/llama-2-7b-chat.yaml": OLD,
             "models/meta/llama-3.2-11b-vision.yaml": VISION, "models/evil/bad-model.yaml": EVIL}
    files.update({f"providers/{k}.yaml": v for k, v in PROVIDERS.items()})
    files.update({f"docs/{k}": v for k, v in DOCS.items()})
    for rel, text in files.items():
        path = catalog / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@functools.lru_cache(maxsize=None)
def built_machine() -> Path:
    """Return the site folder of a fresh build of this catalog (once per session)."""
    project = Path(tempfile.mkdtemp(prefix="modelcat-machine-"))
    atexit.register(shutil.rmtree, project, True)
    write_catalog(project / "catalog")
    build(project, project / "site")
    return project / "site"


def project_of(site: Path) -> Path:
    return site.parent


def cleanup(site: Path) -> None:  # pragma: no cover - for manual runs
    shutil.rmtree(site.parent, ignore_errors=True)


def fast_site(catalog: Path):
    """Return the resolved Site of a generated catalog, read with libyaml and pydantic only.

    The big-catalog tests are about outputs, not loading: this skips the position-tracking
    loader (tested elsewhere) and is several times faster. Records are still validated by the
    same pydantic models, then resolved by the real build_site.
    """
    import yaml

    from generator.records import schema
    from generator.records.load import DocRecord, Records
    from generator.site import build_site

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def read(p: Path):
        return yaml.load(p.read_text(encoding="utf-8"), Loader=loader)

    records = Records()
    records.site = schema.SiteRecord.model_validate(read(catalog / "site.yaml"))
    for f in sorted((catalog / "providers").glob("*.yaml")):
        rec = schema.ProviderRecord.model_validate(read(f))
        records.providers[rec.id] = rec
    for f in sorted((catalog / "models").glob("*/*.yaml")):
        rec = schema.ModelRecord.model_validate(read(f))
        records.models[rec.id] = rec
    if (catalog / "collections.yaml").exists():
        records.collections = [schema.CollectionRecord.model_validate(c)
                               for c in read(catalog / "collections.yaml") or []]
    for f in sorted((catalog / "docs").glob("*.md")) if (catalog / "docs").is_dir() else []:
        lines = f.read_text(encoding="utf-8").split("\n")
        meta, body = {}, "\n".join(lines)
        if lines[0].rstrip() == "---":
            end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
            meta = yaml.load("\n".join(lines[1:end]), Loader=loader) or {}
            body = "\n".join(lines[end + 1:])
        records.docs.append(DocRecord(f.stem, schema.DocMeta.model_validate(meta), body, f"catalog/docs/{f.name}"))
    return build_site(records)

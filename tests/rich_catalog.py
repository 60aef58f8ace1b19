"""A small catalog that exercises every branch of the model and docs pages.

The contract's example has one active model and no docs; this one adds a
deprecated model with a replacement, a preview model, free and cached prices,
Markdown descriptions, model links, a custom FAQ, family siblings, a version of
a model (base_model), tracked market volume and docs pages. Used by tests/test_model_page.py and
tests/test_doc_pages.py (written into a temporary folder and built there).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from generator.build import build
from tests.builds import EXAMPLE

SITE_EXTRA = """\
usage:
  tracked_tokens: 10000000000
  as_of: 2026-05-30
"""

PROVIDER_ACME = """\
id: acme
name: Acme AI
url: https://acme.example
description: |
  Acme builds **multimodal** models.
byok: false
"""

LLAMA_70B = """\
id: meta/llama-3.3-70b-instruct
name: Llama-3.3-70B-Instruct
family: Llama 3
summary: A 70B instruction-tuned model for dialogue, tools and long documents.
description: |
  Llama 3.3 70B matches much larger models on *reasoning* benchmarks.

  - Multilingual: 8 languages
  - Trained on 15T tokens

  <script>alert(1)</script>
released: 2024-12-06
modalities:
  input: [text]
  output: [text]
pricing:
  input: 0.12
  output: 0.3
  cached_input: 0.06
  cache_write: 0.15
limits:
  context: 131072
  max_output: 8192
capabilities:
  streaming: true
  tool_calling: true
  json_mode: true
  prompt_caching: true
strengths: [Tool use, Long documents]
use_cases: [Agents, RAG]
usage:
  tokens: 1250000000
  requests: 980000
  as_of: 2026-05-30
tags: [frontier]
open_weights: true
license: Llama 3.3 Community License
knowledge_cutoff: 2023-12
links:
  model_card: https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct
  paper: https://arxiv.org/abs/2407.21783
faq:
  - q: Is Llama 3.3 70B good at code?
    a: It is **solid** at code; see the [model card](https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct).
"""

LLAMA_8B = """\
id: meta/llama-3.1-8b-instruct
name: Llama-3.1-8B-Instruct
family: Llama 3
summary: The 8B model of Llama 3.1, superseded by Llama 3.3.
released: 2024-07-23
modalities:
  input: [text]
  output: [text]
pricing:
  input: 0.02
  output: 0.05
limits:
  context: 131072
  max_output: 4096
capabilities:
  streaming: true
status: deprecated
deprecation:
  date: 2026-03-01
  replacement: meta/llama-3.3-70b-instruct
usage:
  tokens: 50000000
"""

LLAMA_70B_FP8 = """\
id: meta/llama-3.3-70b-instruct-fp8
name: Llama-3.3-70B-Instruct FP8
base_model: meta/llama-3.3-70b-instruct
summary: Llama-3.3-70B-Instruct served with FP8 weights.
modalities:
  input: [text]
  output: [text]
pricing:
  input: 0.1
  output: 0.25
limits:
  context: 131072
  max_output: 8192
"""

ACME_VISION = """\
id: acme/vision-pro
name: Vision Pro <beta>
summary: Acme's multimodal model that reads images & text & writes text.
released: 2026-04-01
modalities:
  input: [text, image]
  output: [text]
pricing:
  input: 0
  output: 1.5
limits:
  context: 1048576
  max_output: 65536
capabilities:
  streaming: true
  vision: true
  reasoning: true
  structured_output: true
  json_mode: true
status: preview
"""

COLLECTIONS = """\
- id: text
  title: Text models
  description: Models that read and write text.
  where: {output_modality: text}
- id: frontier
  title: Frontier models
  description: The most capable models in the catalog.
  where: {tag: frontier}
- id: vision
  title: Vision models
  description: Models that see.
  where: {capability: vision}
"""

DOC_START = """\
---
title: Getting started
description: Make your first call in two minutes.
order: 1
---
# Getting started

Create a key, then call the API.

## Install the SDK

```bash
pip install openai
```

### With uv

Run `uv add openai`.

## First request & response

```python
from openai import OpenAI
client = OpenAI()
```

| a | b |
|---|---|
| 1 | 2 |
"""

DOC_AUTH = """\
---
order: 2
---
# Authentication

Send `Authorization: Bearer <key>` with every request.

## Rotating keys

Rotate them <em>often</em>.<script>alert("doc")</script>
"""


def write_rich_catalog(project: Path) -> Path:
    """Write the rich catalog into project/catalog (the example plus the models above); return project."""
    cat = project / "catalog"
    for src in EXAMPLE.rglob("*"):
        if src.is_file():
            dest = cat / src.relative_to(EXAMPLE)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(src.read_bytes())
    site = (cat / "site.yaml").read_text(encoding="utf-8")
    (cat / "site.yaml").write_text(site + SITE_EXTRA, encoding="utf-8")
    files = {
        "providers/acme.yaml": PROVIDER_ACME,
        "models/meta/llama-3.3-70b-instruct.yaml": LLAMA_70B,
        "models/meta/llama-3.1-8b-instruct.yaml": LLAMA_8B,
        "models/meta/llama-3.3-70b-instruct-fp8.yaml": LLAMA_70B_FP8,
        "models/acme/vision-pro.yaml": ACME_VISION,
        "collections.yaml": COLLECTIONS,
        "docs/getting-started.md": DOC_START,
        "docs/authentication.md": DOC_AUTH,
    }
    for rel, text in files.items():
        path = cat / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project


@functools.lru_cache(maxsize=None)
def built_rich() -> Path:
    """Return the site folder of a fresh build of the rich catalog (once per test session)."""
    scratch = Path(tempfile.mkdtemp(prefix="modelcat-rich-"))
    atexit.register(shutil.rmtree, scratch, True)
    project = write_rich_catalog(scratch / "rich")
    build(project, project / "site")
    return project / "site"

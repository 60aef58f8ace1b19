"""Code snippets of the model page: curl, Python, JavaScript, request, response, SSE.

Each snippet depends on the site (base URL, key variable, example request)
and on one model id. Highlighting with Pygments costs about a millisecond a
block, so each snippet is written and highlighted once per build with a
placeholder id, then the (HTML-safe) id is substituted per model.
tests/test_openapi.py runs the Python one with the real openai SDK.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from ..records.schema import ID_RE, SiteRecord

PLACEHOLDER = "modelcat-placeholder/model-id"
_FORMATTER = HtmlFormatter(nowrap=True, classprefix="")


@dataclass(frozen=True)
class Snippet:
    key: str
    label: str  # tab label, e.g. "Python"
    lang: str  # Pygments lexer / code fence name
    source: str  # text with PLACEHOLDER where the model id goes
    highlighted: str  # HTML with PLACEHOLDER

    def text(self, model_id: str) -> str:
        return self.source.replace(PLACEHOLDER, model_id)

    def html(self, model_id: str) -> Markup:
        # model ids are [a-z0-9._-/] (checked at validation), so they need no escaping
        assert all(ID_RE.match(part) for part in model_id.split("/")), model_id
        return Markup(self.highlighted.replace(PLACEHOLDER, model_id))


class ModelSnippets(Mapping):
    """Every snippet highlighted for one model, each made when a template first reads it.

    The theme's model page shows one (the others are in the reference fragment, made once
    per build): making all ten for every page cost a tenth of its time.
    """

    def __init__(self, snippets: Mapping[str, Snippet], model_id: str):
        self._snippets, self._model_id, self._made = snippets, model_id, {}

    def __getitem__(self, key: str) -> Markup:
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._snippets[key].html(self._model_id)
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._snippets)

    def __len__(self) -> int:
        return len(self._snippets)


def base_url_env(key_env: str) -> str:
    """Return the variable that overrides the base URL in snippets: AIGATEWAY_API_KEY -> AIGATEWAY_BASE_URL."""
    for suffix in ("_API_KEY", "_KEY"):
        if key_env.endswith(suffix):
            return key_env[: -len(suffix)] + "_BASE_URL"
    return key_env + "_BASE_URL"


def make_snippets(site: SiteRecord, build_date: datetime.date) -> dict[str, Snippet]:
    """Return every snippet of the model page, keyed by name."""
    api = site.api
    ex = api.example_request
    base = api.base_url.rstrip("/")
    key_env = api.key_env
    base_env = base_url_env(key_env)
    m = PLACEHOLDER
    user = ex.user
    messages = ([{"role": "system", "content": ex.system}] if ex.system else []) + [{"role": "user", "content": user}]
    body = {"model": m, "messages": messages, "temperature": ex.temperature, "top_p": ex.top_p,
            "max_tokens": ex.max_tokens, "stream": False}
    created = int(datetime.datetime.combine(build_date, datetime.time(), datetime.timezone.utc).timestamp())
    response = {
        "id": "chatcmpl-abc123", "object": "chat.completion", "created": created, "model": m,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I help you today?"},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 24, "completion_tokens": 12, "total_tokens": 36},
    }
    chunk = {"id": "chatcmpl-abc123", "object": "chat.completion.chunk", "created": created, "model": m}

    def sse(delta: dict, finish=None) -> str:
        payload = dict(chunk, choices=[{"index": 0, "delta": delta, "finish_reason": finish}])
        return "data: " + json.dumps(payload, separators=(",", ":"), ensure_ascii=False)

    stream_text = "\n".join([
        "// 1. Role announcement (first chunk):",
        sse({"role": "assistant"}), "",
        "// 2. Content chunks (the answer, piece by piece):",
        sse({"content": "Hello"}), sse({"content": "!"}), "",
        "// 3. Finish chunk:",
        sse({}, "stop"), "",
        "// 4. Terminator:",
        "data: [DONE]",
    ])
    pyjson = json.dumps(user, ensure_ascii=False)

    def curl(stream: bool) -> str:
        payload = json.dumps({"model": m, "messages": [{"role": "user", "content": user}], "stream": stream},
                             separators=(",", ":"), ensure_ascii=False).replace("'", "'\\''")
        return (f"curl {base}/chat/completions \\\n"
                f'  -H "Authorization: Bearer ${key_env}" \\\n'
                f'  -H "Content-Type: application/json" \\\n'
                f"  -d '{payload}'")

    py_head = (f"# pip install openai\nimport os\n\nfrom openai import OpenAI\n\n"
               f"client = OpenAI(\n"
               f'    base_url=os.environ.get("{base_env}", "{base}"),\n'
               f'    api_key=os.environ["{key_env}"],\n)\n\n')
    python = (py_head + f'response = client.chat.completions.create(\n    model="{m}",\n'
              f'    messages=[{{"role": "user", "content": {pyjson}}}],\n)\n'
              f"print(response.choices[0].message.content)\n")
    python_stream = (py_head + f'stream = client.chat.completions.create(\n    model="{m}",\n'
                     f'    messages=[{{"role": "user", "content": {pyjson}}}],\n    stream=True,\n)\n'
                     "for chunk in stream:\n"
                     '    if chunk.choices:\n'
                     '        print(chunk.choices[0].delta.content or "", end="", flush=True)\n'
                     "print()\n")
    js_head = (f'// npm install openai\nimport OpenAI from "openai";\n\n'
               f"const client = new OpenAI({{\n"
               f'  baseURL: process.env.{base_env} ?? "{base}",\n'
               f"  apiKey: process.env.{key_env},\n}});\n\n")
    js = (js_head + f"const response = await client.chat.completions.create({{\n"
          f'  model: "{m}",\n  messages: [{{ role: "user", content: {pyjson} }}],\n}});\n'
          "console.log(response.choices[0].message.content);\n")
    js_stream = (js_head + f"const stream = await client.chat.completions.create({{\n"
                 f'  model: "{m}",\n  messages: [{{ role: "user", content: {pyjson} }}],\n  stream: true,\n}});\n'
                 "for await (const chunk of stream) {\n"
                 '  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");\n}\n')
    sources = [
        ("use", "curl", "bash", curl(True)),
        ("curl", "curl", "bash", curl(False)),
        ("curl_stream", "curl", "bash", curl(True)),
        ("python", "Python", "python", python),
        ("python_stream", "Python", "python", python_stream),
        ("js", "JavaScript", "javascript", js),
        ("js_stream", "JavaScript", "javascript", js_stream),
        ("request", "Request body", "json", json.dumps(body, indent=2, ensure_ascii=False)),
        ("response", "Response", "json", json.dumps(response, indent=2, ensure_ascii=False)),
        ("stream", "Streaming (SSE)", "text", stream_text),
    ]
    out = {}
    for key, label, lang, text in sources:
        text = text.rstrip("\n")
        html = highlight(text, get_lexer_by_name(lang), _FORMATTER).rstrip("\n")
        out[key] = Snippet(key, label, lang, text, html)
    return out

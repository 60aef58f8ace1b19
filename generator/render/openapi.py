"""openapi.json and openapi.yaml: OpenAPI 3.1 of the gateway the catalog documents.

`POST /chat/completions` (JSON or server-sent events), `GET /models`,
`GET /models/{model}`, and every error of site.yaml with its status, an
`{error: {message, type, code}}` body and its headers (Retry-After and the
like). `model` is named by the pattern of a model id and by reference to
api/models.json, which lists the catalog (not by an enum, which would grow the
spec with the catalog: 1,500 ids are 65,000 characters). Model objects have the shape of the
published model documents (generator.render.data), whose pydantic schema is
hoisted into components. Examples come from the catalog's first model and the
page snippets, so the spec, the pages and the SDK quickstart agree.
tests/test_openapi.py validates the spec and serves it to the real openai SDK.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import yaml

from .. import urls
from .context import RenderContext
from .data import model_document, model_schema
from .snippets import Snippet
from ..site import Site
from ..write import Output

REF = "#/components/schemas/{model}"
NOT_FOUND = {"status": 404, "type": "not_found", "message": "Unknown model", "retryable": False, "header": None}


def ref(name: str) -> dict:
    return {"$ref": REF.format(model=name)}


MODEL_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*$"  # generator.records.schema.ModelId


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def chat_schemas(site: Site) -> dict:
    """Return the request, response and chunk schemas of chat completions."""
    model = {"type": "string", "pattern": MODEL_ID_PATTERN, "maxLength": 201,
             "description": "Id of the model to use, <provider>/<model>, one of those listed in "
                            f"{site.absolute('api/models.json')} (GET /models)."}
    if site.models:
        model["examples"] = [site.models[0].id]
    ex = site.api.example_request
    message = {
        "type": "object",
        "description": "One message of the conversation.",
        "required": ["role"],
        "properties": {
            "role": {"type": "string", "enum": ["system", "developer", "user", "assistant", "tool"],
                     "description": "Who wrote the message."},
            "content": {"description": "The text of the message, or a list of content parts (text, image_url, "
                                       "input_audio, file) for models that take them.",
                        "anyOf": [{"type": "string"}, {"type": "array", "items": ref("ContentPart")},
                                  {"type": "null"}]},
            "name": {"type": "string", "description": "Optional name of the author."},
            "tool_calls": {"type": "array", "items": ref("ToolCall"),
                           "description": "Tool calls made by the assistant (assistant messages)."},
            "tool_call_id": {"type": "string", "description": "The call this message answers (tool messages)."},
        },
    }
    content_part = {
        "type": "object",
        "description": "A part of a multimodal message.",
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "enum": ["text", "image_url", "input_audio", "file"],
                     "description": "The kind of part."},
            "text": {"type": "string", "description": "Text, for type text."},
            "image_url": {"type": "object", "description": "Image, for type image_url.",
                          "properties": {"url": {"type": "string", "description": "http(s) or data: URL."},
                                         "detail": {"type": "string", "enum": ["auto", "low", "high"]}}},
            "input_audio": {"type": "object", "description": "Base64 audio, for type input_audio."},
            "file": {"type": "object", "description": "A file, for type file."},
        },
    }
    tool_call = {
        "type": "object",
        "description": "A call of a function tool by the model.",
        "required": ["id", "type", "function"],
        "properties": {
            "id": {"type": "string", "description": "Id of the call, echoed by the tool message."},
            "type": {"type": "string", "enum": ["function"], "description": "Always function."},
            "function": {"type": "object", "required": ["name", "arguments"],
                         "description": "The function and its arguments.",
                         "properties": {"name": {"type": "string", "description": "Function name."},
                                        "arguments": {"type": "string",
                                                      "description": "Arguments as a JSON string."}}},
        },
    }
    tool = {
        "type": "object",
        "description": "A function the model may call.",
        "required": ["type", "function"],
        "properties": {
            "type": {"type": "string", "enum": ["function"], "description": "Always function."},
            "function": {
                "type": "object", "required": ["name"], "description": "The function.",
                "properties": {
                    "name": {"type": "string", "description": "Function name."},
                    "description": {"type": "string", "description": "What the function does."},
                    "parameters": {"type": "object", "description": "JSON Schema of the arguments."},
                    "strict": {"type": "boolean", "description": "Follow the schema exactly."},
                },
            },
        },
    }
    request = {
        "type": "object",
        "description": "A chat completion request, as in the OpenAI API.",
        "required": ["model", "messages"],
        "properties": {
            "model": model,
            "messages": {"type": "array", "minItems": 1, "items": ref("ChatMessage"),
                         "description": "The conversation so far, oldest message first."},
            "temperature": {"type": "number", "minimum": 0, "maximum": 2,
                            "description": "Sampling temperature: higher is more random.",
                            "default": 1, "examples": [ex.temperature]},
            "top_p": {"type": "number", "exclusiveMinimum": 0, "maximum": 1,
                      "description": "Nucleus sampling: consider tokens within this probability mass.",
                      "default": 1, "examples": [ex.top_p]},
            "max_tokens": {"type": "integer", "minimum": 1,
                           "description": "Most tokens to generate; at most the model's max output.",
                           "examples": [ex.max_tokens]},
            "max_completion_tokens": {"type": "integer", "minimum": 1,
                                      "description": "Newer name of max_tokens."},
            "stream": {"type": "boolean", "default": False,
                       "description": "Send the answer as server-sent events (text/event-stream), ending with "
                                      "`data: [DONE]`."},
            "stream_options": {"type": "object", "description": "Streaming options.",
                               "properties": {"include_usage": {
                                   "type": "boolean", "description": "Send a last chunk with token usage."}}},
            "stop": {"description": "Up to 4 sequences where generation stops.",
                     "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "maxItems": 4},
                               {"type": "null"}]},
            "tools": {"type": "array", "items": ref("Tool"),
                      "description": "Functions the model may call (models with tool calling)."},
            "tool_choice": {"description": "none, auto, required, or a named function.",
                            "anyOf": [{"type": "string", "enum": ["none", "auto", "required"]},
                                      {"type": "object"}]},
            "response_format": {
                "type": "object", "description": "Force JSON output (models with JSON mode or structured output).",
                "required": ["type"],
                "properties": {
                    "type": {"type": "string", "enum": ["text", "json_object", "json_schema"],
                             "description": "text, json_object (JSON mode) or json_schema (structured output)."},
                    "json_schema": {"type": "object", "description": "The schema, for type json_schema."},
                },
            },
            "user": {"type": "string", "description": "Your end user's id, for abuse monitoring."},
        },
    }
    usage = {
        "type": "object", "description": "Tokens billed for the request.",
        "required": ["prompt_tokens", "completion_tokens", "total_tokens"],
        "properties": {k: {"type": "integer", "minimum": 0, "description": d} for k, d in (
            ("prompt_tokens", "Input tokens."), ("completion_tokens", "Output tokens."),
            ("total_tokens", "Input plus output tokens."))},
    }
    finish = {"description": "Why generation stopped.",
              "anyOf": [{"type": "string", "enum": ["stop", "length", "tool_calls", "content_filter"]},
                        {"type": "null"}]}
    completion = {
        "type": "object", "description": "A chat completion.",
        "required": ["id", "object", "created", "model", "choices"],
        "properties": {
            "id": {"type": "string", "description": "Id of the completion."},
            "object": {"type": "string", "enum": ["chat.completion"], "description": "Always chat.completion."},
            "created": {"type": "integer", "description": "Unix time of creation."},
            "model": {"type": "string", "description": "The model that answered."},
            "choices": {"type": "array", "description": "The answers (one unless n > 1).", "items": {
                "type": "object", "required": ["index", "message", "finish_reason"],
                "properties": {
                    "index": {"type": "integer", "description": "Position of the choice."},
                    "message": {"type": "object", "required": ["role"], "description": "The answer.",
                                "properties": {
                                    "role": {"type": "string", "enum": ["assistant"], "description": "assistant."},
                                    "content": {"anyOf": [{"type": "string"}, {"type": "null"}],
                                                "description": "The text of the answer."},
                                    "tool_calls": {"type": "array", "items": ref("ToolCall"),
                                                   "description": "Tool calls, if the model made any."}}},
                    "finish_reason": finish,
                }}},
            "usage": usage,
        },
    }
    chunk = {
        "type": "object",
        "description": "One server-sent event of a streamed completion: the line `data: <this JSON>`. "
                       "The stream ends with the line `data: [DONE]`.",
        "required": ["choices"],
        "properties": {
            "id": {"type": "string", "description": "Id of the completion (same in every chunk)."},
            "object": {"type": "string", "enum": ["chat.completion.chunk"],
                       "description": "Always chat.completion.chunk."},
            "created": {"type": "integer", "description": "Unix time of creation."},
            "model": {"type": "string", "description": "The model that answers."},
            "choices": {"type": "array", "description": "Deltas of the answers.", "items": {
                "type": "object", "required": ["index", "delta"],
                "properties": {
                    "index": {"type": "integer", "description": "Position of the choice."},
                    "delta": {"type": "object", "description": "What this chunk adds.",
                              "properties": {
                                  "role": {"type": "string", "enum": ["assistant"],
                                           "description": "Sent in the first chunk."},
                                  "content": {"anyOf": [{"type": "string"}, {"type": "null"}],
                                              "description": "The next piece of text."},
                                  "tool_calls": {"type": "array", "items": {"type": "object"},
                                                 "description": "Pieces of tool calls."}}},
                    "finish_reason": finish,
                }}},
            "usage": _nullable(usage),
        },
    }
    return {"ChatCompletionRequest": request, "ChatMessage": message, "ContentPart": content_part,
            "ToolCall": tool_call, "Tool": tool, "ChatCompletion": completion, "ChatCompletionChunk": chunk,
            "Usage": usage}


def error_schema() -> dict:
    return {
        "type": "object", "description": "Every error answers with this body.",
        "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["message", "type"],
            "description": "What went wrong.",
            "properties": {
                "message": {"type": "string", "description": "A human-readable explanation."},
                "type": {"type": "string", "description": "The error type, one of the gateway's error types."},
                "code": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}],
                         "description": "A machine-readable code, when there is one."},
            },
        }},
    }


def error_body(e: dict) -> dict:
    return {"error": {"message": e["message"], "type": e["type"], "code": e["type"]}}


def error_responses(site: Site, need_404: bool = False) -> dict:
    """Return an operation's error responses: a reference per status of site.yaml's errors (and
    404 where the operation can answer it) to the one definition in components (error_components)."""
    statuses = {e.status for e in site.record.errors} | ({404} if need_404 else set())
    return {str(s): {"$ref": f"#/components/responses/Error{s}"} for s in sorted(statuses)}


def error_components(site: Site) -> dict:
    """Return components.responses: every error of site.yaml, grouped by status (and a 404)."""
    errors = [e.model_dump() for e in site.record.errors]
    if not any(e["status"] == 404 for e in errors):
        errors.append(dict(NOT_FOUND))
    by_status: dict[int, list[dict]] = {}
    for e in errors:
        by_status.setdefault(e["status"], []).append(e)
    out = {}
    for status in sorted(by_status):
        group = by_status[status]
        description = "; ".join(f"{e['type']}: {e['message']}" + (" (retryable)" if e["retryable"] else "")
                                for e in group)
        media = {"schema": ref("Error")}
        if len(group) == 1:
            media["example"] = error_body(group[0])
        else:
            media["examples"] = {f"e{i}": {"summary": e["message"], "value": error_body(e)}
                                 for i, e in enumerate(group)}
        response = {"description": description, "content": {"application/json": media}}
        headers = {}
        for e in group:
            if e.get("header"):
                headers[e["header"]] = {
                    "description": f"Sent with {e['type']}"
                                   + ("; seconds to wait before retrying." if e["header"].lower() == "retry-after"
                                      else "."),
                    "schema": {"type": "string"},
                }
        if headers:
            response["headers"] = headers
        out[f"Error{status}"] = response
    return out


def sse_example(snippets: dict[str, Snippet], model_id: str) -> str:
    """Return the page's streaming example as a real event stream (the `data:` lines, blank-line separated)."""
    lines = [ln for ln in snippets["stream"].text(model_id).splitlines() if ln.startswith("data: ")]
    return "".join(f"{ln}\n\n" for ln in lines)


def _undocumented(schema):
    """Return a JSON Schema without its `description` keywords (a property named description stays)."""
    if isinstance(schema, list):
        return [_undocumented(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "description" and isinstance(value, str):
            continue
        if key in ("properties", "$defs", "patternProperties"):
            out[key] = {name: _undocumented(sub) for name, sub in value.items()}
        else:
            out[key] = _undocumented(value)
    return out


def spec(site: Site, snippets: dict[str, Snippet]) -> dict:
    """Return the OpenAPI 3.1 document of the gateway."""
    api = site.api
    first = site.models[0] if site.models else None
    example_id = first.id if first else "provider/model"
    # The model's field documentation lives in schema/model.json (linked from the Model schema);
    # repeated here it would double the spec, which agents read whole.
    model_component = _undocumented(model_schema(REF))
    defs = model_component.pop("$defs", {})
    schemas = chat_schemas(site)
    schemas["Error"] = error_schema()
    for name, value in defs.items():
        assert name not in schemas, f"component name clash: {name}"
        schemas[name] = value
    model_component["title"] = "Model"
    model_component["description"] = ("A model of the catalog: its record plus derived figures, as published at "
                                      f"{site.absolute('api/models.json')}; every field is documented in "
                                      f"{site.absolute('schema/model.json')}.")
    schemas["Model"] = model_component
    schemas["ModelList"] = {
        "type": "object", "description": "Every model of the catalog.", "required": ["object", "data"],
        "properties": {"object": {"type": "string", "enum": ["list"], "description": "Always list."},
                       "data": {"type": "array", "items": ref("Model"), "description": "The models."}},
    }
    model_example = model_document(site, first) if first else None
    request_example = json.loads(snippets["request"].text(example_id))
    response_example = json.loads(snippets["response"].text(example_id))
    key_hint = f" Keys look like {api.key_prefix}..." if api.key_prefix else ""

    chat = {
        "operationId": "createChatCompletion",
        "summary": "Create a chat completion",
        "description": "Send a conversation, get the model's answer. With `stream: true` the answer arrives as "
                       "server-sent events (text/event-stream), one ChatCompletionChunk per `data:` line, "
                       "ending with `data: [DONE]`.",
        "tags": ["Chat"],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": ref("ChatCompletionRequest"), "example": request_example}}},
        "responses": {
            "200": {"description": "The completion: JSON, or an event stream when `stream` is true.", "content": {
                "application/json": {"schema": ref("ChatCompletion"), "example": response_example},
                "text/event-stream": {
                    "schema": {"type": "string", "description": "Server-sent events: `data: ` followed by a "
                               "ChatCompletionChunk as JSON, a blank line between events, and `data: [DONE]` "
                               "last."},
                    "x-sse-data": ref("ChatCompletionChunk"),
                    "example": sse_example(snippets, example_id),
                }}},
            **error_responses(site, need_404=True),
        },
    }
    list_models = {
        "operationId": "listModels", "summary": "List models", "tags": ["Models"],
        "description": "Every model of the catalog, the same list as api/models.json.",
        "responses": {"200": {"description": "The models.", "content": {"application/json": {
            # no example here: it would repeat retrieveModel's whole model (the spec stays small for agents)
            "schema": ref("ModelList")}}},
            **error_responses(site)},
    }
    get_model = {
        "operationId": "retrieveModel", "summary": "Retrieve a model", "tags": ["Models"],
        "description": "One model of the catalog; 404 for an id the catalog does not have.",
        "parameters": [{
            "name": "model", "in": "path", "required": True,
            "description": 'A model id such as "' + example_id + '"; its "/" is sent percent-encoded (%2F), '
                           "as the OpenAI SDKs do.",
            "schema": {"type": "string"}, "example": example_id,
        }],
        "responses": {"200": {"description": "The model.", "content": {"application/json": {
            "schema": ref("Model"), **({"example": model_example} if model_example else {})}}},
            **error_responses(site, need_404=True)},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{site.name} API",
            "version": site.build_date.isoformat(),
            "summary": "OpenAI-compatible chat completions for every model of the catalog.",
            "description": f"{site.record.tagline or site.name} Point any OpenAI SDK at {api.base_url} and "
                           f"authenticate with `Authorization: Bearer ${api.key_env}`.{key_hint}",
        },
        "servers": [{"url": api.base_url, "description": f"{site.name} gateway"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": "Chat", "description": "Chat completions."},
                 {"name": "Models", "description": "The catalog's models."}],
        "paths": {
            "/chat/completions": {"post": chat},
            "/models": {"get": list_models},
            "/models/{model}": {"get": get_model},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": f"Your API key, from the environment variable {api.key_env}.{key_hint}"}},
            "schemas": schemas,
            "responses": error_components(site),
        },
        "externalDocs": {"description": "Model catalog", "url": site.absolute("")},
    }


def openapi_files(ctx: RenderContext) -> Iterator[Output]:
    doc = spec(ctx.site, ctx.snippets)
    yield Output(urls.OPENAPI_JSON, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    yield Output("openapi.yaml", text.encode("utf-8"))

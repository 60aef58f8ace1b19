"""A local stand-in for the gateway, driven by nothing but the generated openapi.json.

`serve(site)` starts a stdlib HTTP server in a thread on 127.0.0.1:0. Every request is
validated against the spec (path, method, bearer auth, parameters, JSON body), and so is
every response the server sends. It answers with the spec's own examples: the chat
completion (JSON or the text/event-stream example, by `stream`), the model list, the model,
and for errors the example of the status asked for. An unknown model gets the spec's 404.

Validation uses openapi-core when a release that works with the installed
openapi-spec-validator is importable (>= 0.19). No openapi-core release supports
openapi-spec-validator 0.9 (0.23.1 pins < 0.9), so otherwise the same checks run on
jsonschema (OAS 3.1 dialect) against the spec's own schemas: `Gateway.engine` says which.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

try:  # the OAS 3.1 dialect (2020-12 plus OpenAPI's annotation keywords)
    from openapi_schema_validator import OAS31Validator as SchemaValidator
except ImportError:  # pragma: no cover
    SchemaValidator = jsonschema.Draft202012Validator

TEST_STATUS_HEADER = "X-Test-Status"  # ask the stand-in for the example error of this status


# --- validators -----------------------------------------------------------------------

class JsonSchemaValidator:
    """Request/response validation against an OpenAPI 3.1 document with jsonschema."""

    engine = "jsonschema"

    def __init__(self, spec: dict):
        self.spec = spec
        self.base = urlsplit(spec["servers"][0]["url"]).path.rstrip("/")
        self.registry = Registry().with_resource("urn:spec", Resource.from_contents(
            spec, default_specification=DRAFT202012))
        self.routes = []
        for template, item in spec["paths"].items():
            pattern = re.escape(template)
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", pattern)
            self.routes.append((re.compile(f"^{pattern}$"), template, item))

    def _check(self, schema: dict, instance, where: str) -> list[str]:
        if "$ref" in schema:
            assert set(schema) == {"$ref"} and schema["$ref"].startswith("#/"), schema
            schema = {"$ref": "urn:spec" + schema["$ref"]}
        else:
            assert "$ref" not in json.dumps(schema), f"nested $ref in an inline schema at {where}"
        validator = SchemaValidator(schema, registry=self.registry,
                                    format_checker=SchemaValidator.FORMAT_CHECKER)
        return [f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(instance)]

    def _operation(self, method: str, path: str):
        if not path.startswith(self.base + "/"):
            return None, None, {}
        rest = path[len(self.base):]
        for regex, template, item in self.routes:
            m = regex.match(rest)
            if m and method.lower() in item:
                return template, item[method.lower()], {k: unquote(v) for k, v in m.groupdict().items()}
        return None, None, {}

    def request(self, method, path, headers, body, content_type) -> list[str]:
        template, op, params = self._operation(method, path)
        if op is None:
            return [f"no operation {method} {path}"]
        errors = []
        security = op.get("security", self.spec.get("security", []))
        if security:
            schemes = self.spec["components"]["securitySchemes"]
            ok = False
            for requirement in security:
                for name in requirement:
                    scheme = schemes[name]
                    if scheme["type"] == "http" and scheme["scheme"] == "bearer":
                        ok = ok or bool(re.match(r"^Bearer \S+$", headers.get("Authorization", "")))
            if not ok:
                errors.append("security: no bearer token")
        for p in op.get("parameters", []):
            if p["in"] == "path":
                errors += self._check(p["schema"], params.get(p["name"]), f"path parameter {p['name']}")
        rb = op.get("requestBody")
        if rb:
            if not body:
                if rb.get("required"):
                    errors.append("request body: missing")
                return errors
            media = (content_type or "").split(";")[0].strip().lower()
            if media not in rb["content"]:
                return errors + [f"request body: content type {media!r} not in the spec"]
            try:
                data = json.loads(body)
            except ValueError as exc:
                return errors + [f"request body: not JSON: {exc}"]
            errors += self._check(rb["content"][media]["schema"], data, "request body")
        return errors

    def response(self, method, path, status, headers, body, content_type) -> list[str]:
        template, op, _ = self._operation(method, path)
        if op is None:
            return [f"no operation {method} {path}"]
        response = op["responses"].get(str(status)) or op["responses"].get("default")
        if response is None:
            return [f"status {status} is not documented for {method} {template}"]
        errors = []
        for name in response.get("headers", {}):
            if name.lower() not in {k.lower() for k in headers}:
                errors.append(f"response header {name} missing")
        media = (content_type or "").split(";")[0].strip().lower()
        if media not in response.get("content", {}):
            return errors + [f"response content type {media!r} not documented"]
        spec_media = response["content"][media]
        text = body.decode("utf-8")
        if media == "application/json":
            errors += self._check(spec_media["schema"], json.loads(text), "response body")
        else:
            errors += self._check(spec_media["schema"], text, "response body")
        if "x-sse-data" in spec_media:
            for line in text.splitlines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    errors += self._check(spec_media["x-sse-data"], json.loads(line[6:]), "event data")
        return errors


class CoreValidator:
    """The same checks through openapi-core (a release compatible with the installed validators)."""

    engine = "openapi-core"

    def __init__(self, spec: dict, host_url: str):
        from openapi_core import Config, OpenAPI

        def text(value: bytes, **parameters: str) -> str:  # an event stream is UTF-8 text (WHATWG SSE)
            return value.decode(parameters.get("charset", "utf-8"))

        self.openapi = OpenAPI.from_dict(spec, config=Config(
            extra_media_type_deserializers={"text/event-stream": text}))
        self.host_url = host_url
        self.events = JsonSchemaValidator(spec)  # openapi-core does not look inside event streams

    def _request(self, method, path, headers, body, content_type):
        from openapi_core.testing import MockRequest

        return MockRequest(self.host_url, method, path, headers=dict(headers), data=body or None,
                           content_type=content_type or "")

    def request(self, method, path, headers, body, content_type) -> list[str]:
        try:
            self.openapi.validate_request(self._request(method, path, headers, body, content_type))
        except Exception as exc:  # openapi-core raises one error type per failed check
            return [f"{type(exc).__name__}: {exc} {getattr(exc, '__cause__', '') or ''}"]
        return []

    def response(self, method, path, status, headers, body, content_type) -> list[str]:
        from openapi_core.testing import MockResponse

        req = self._request(method, path, {}, None, "")
        resp = MockResponse(body, status_code=status, headers=dict(headers), content_type=content_type)
        errors = []
        try:
            self.openapi.validate_response(req, resp)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc} {getattr(exc, '__cause__', '') or ''}")
        if content_type.startswith("text/event-stream"):
            errors += [e for e in self.events.response(method, path, status, {}, body, content_type)
                       if "header" not in e]
        return errors


def make_validator(spec: dict, host_url: str):
    try:
        from importlib.metadata import version

        major, minor = (int(x) for x in version("openapi-core").split(".")[:2])
        if (major, minor) >= (0, 19):
            return CoreValidator(spec, host_url)
    except Exception:  # not installed, or an old release that cannot import with this validator
        pass
    return JsonSchemaValidator(with_responses_inlined(spec))


# --- the server ---------------------------------------------------------------------------

@dataclass
class Exchange:
    method: str
    path: str
    status: int
    request_errors: list[str]
    response_errors: list[str]
    body: dict | None = None


@dataclass
class Gateway:
    url: str  # base URL to give the SDK, ending in /v1 (the spec's server path)
    spec: dict
    engine: str
    exchanges: list[Exchange] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    def problems(self, allow_invalid_models: bool = False) -> list[str]:
        """Return every validation failure except, if allowed, those of requests answered 404."""
        out = []
        for ex in self.exchanges:
            out += [f"{ex.method} {ex.path}: response: {e}" for e in ex.response_errors]
            if not (allow_invalid_models and ex.status == 404):
                out += [f"{ex.method} {ex.path}: request: {e}" for e in ex.request_errors]
        return out

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _example(media: dict):
    if "example" in media:
        return media["example"]
    return next(iter(media["examples"].values()))["value"]


def with_responses_inlined(spec: dict) -> dict:
    """Return a copy of spec whose operations hold their responses, not `$ref`s to
    components.responses (the spec defines each error once): for the stand-in's own reading."""
    spec = copy.deepcopy(spec)
    shared = spec.get("components", {}).get("responses", {})
    for item in spec["paths"].values():
        for op in item.values():
            for status, response in op.get("responses", {}).items():
                if "$ref" in response:
                    op["responses"][status] = copy.deepcopy(shared[response["$ref"].rsplit("/", 1)[1]])
    return spec


def serve(site: Path) -> Gateway:
    """Start the stand-in for the gateway described by site/openapi.json."""
    spec = json.loads((site / "openapi.json").read_text(encoding="utf-8"))
    models = {m["id"]: m for m in json.loads((site / "api" / "models.json").read_text(encoding="utf-8"))["data"]}
    base_path = urlsplit(spec["servers"][0]["url"]).path.rstrip("/")
    inlined = with_responses_inlined(spec)
    chat = inlined["paths"]["/chat/completions"]["post"]
    list_op = inlined["paths"]["/models"]["get"]
    get_op = inlined["paths"]["/models/{model}"]["get"]

    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    host_url = f"http://127.0.0.1:{server.server_address[1]}"
    local_spec = copy.deepcopy(spec)
    local_spec["servers"] = [{"url": host_url + base_path}]
    validator = make_validator(local_spec, host_url)
    gateway = Gateway(host_url + base_path, spec, validator.engine, server=server)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):
            self._handle()

        def do_POST(self):
            self._handle()

        def _handle(self):
            body = self._body()
            path = urlsplit(self.path).path
            headers = {k.title(): v for k, v in self.headers.items()}
            ctype = self.headers.get("Content-Type", "")
            errors = validator.request(self.command, path, headers, body, ctype)
            rest = path[len(base_path):] if path.startswith(base_path) else path
            status, media_type, payload, extra = self._answer(rest, body, errors)
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
            out_headers = {"Content-Type": media_type, **extra}
            response_errors = validator.response(self.command, path, status, out_headers, data, media_type)
            parsed = None
            if media_type == "application/json":
                parsed = json.loads(data)
            gateway.exchanges.append(Exchange(self.command, self.path, status, errors, response_errors, parsed))
            self.send_response(status)
            for k, v in out_headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                parts = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(parts)
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _error(self, op: dict, status: int):
            response = op["responses"][str(status)]
            extra = {name: "1" for name in response.get("headers", {})}
            return status, "application/json", _example(response["content"]["application/json"]), extra

        def _answer(self, rest: str, body: bytes, errors: list[str]):
            wanted = self.headers.get(TEST_STATUS_HEADER)
            if self.command == "POST" and rest == "/chat/completions":
                op = chat
                if wanted:
                    return self._error(op, int(wanted))
                try:
                    request = json.loads(body or b"{}")
                except ValueError:
                    request = {}
                if request.get("model") not in models:
                    return self._error(op, 404)
                if errors:
                    return self._error(op, 400) if "400" in op["responses"] else self._error(op, 404)
                content = op["responses"]["200"]["content"]
                if request.get("stream"):
                    return 200, "text/event-stream", _example(content["text/event-stream"]).encode("utf-8"), {}
                return 200, "application/json", _example(content["application/json"]), {}
            if self.command == "GET" and rest == "/models":
                if wanted:
                    return self._error(list_op, int(wanted))
                # the list has no example of its own (it would repeat the model's): the catalog's models
                return 200, "application/json", {"object": "list", "data": list(models.values())}, {}
            if self.command == "GET" and rest.startswith("/models/"):
                model = unquote(rest[len("/models/"):])
                if wanted:
                    return self._error(get_op, int(wanted))
                if model not in models:
                    return self._error(get_op, 404)
                example = _example(get_op["responses"]["200"]["content"]["application/json"])
                return 200, "application/json", example if example["id"] == model else models[model], {}
            return self._error(get_op, 404)

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return gateway

"""openapi.json / openapi.yaml: a valid OpenAPI 3.1 document that real clients can live by.

The spec is checked by openapi-spec-validator, then served by a local stand-in gateway
(tests/openapi_server.py) that validates every request and response against it and answers
with its examples. The real openai SDK runs the Python quickstart copied verbatim from the
built model page, and the real curl binary runs the page's curl snippet.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import openai
import pytest
import yaml
from bs4 import BeautifulSoup
from openapi_spec_validator import validate

from tests.builds import built
from tests.machine_catalog import built_machine
from openapi_server import TEST_STATUS_HEADER, serve

from generator.render.snippets import base_url_env

MODEL = "meta/llama-3.2-1b-instruct"
SITES = {"example": lambda: built("example"), "project": lambda: built("project"), "machine": built_machine}


def load_spec(site: Path) -> dict:
    return json.loads((site / "openapi.json").read_text(encoding="utf-8"))


def site_yaml(site: Path) -> dict:
    project = site.parent
    return yaml.safe_load((project / "catalog" / "site.yaml").read_text(encoding="utf-8"))


def catalog_ids(site: Path) -> list[str]:
    return [m["id"] for m in json.loads((site / "api" / "models.json").read_text(encoding="utf-8"))["data"]]


@pytest.fixture(scope="module")
def example_server():
    gw = serve(built("example"))
    yield gw
    gw.close()


@pytest.fixture(scope="module")
def machine_server():
    gw = serve(built_machine())
    yield gw
    gw.close()


@pytest.fixture
def gateway(example_server):
    example_server.exchanges.clear()  # each test answers for its own requests
    return example_server


@pytest.fixture
def machine_gateway(machine_server):
    machine_server.exchanges.clear()
    return machine_server


def env_for(gw, key_env: str = "AIGATEWAY_API_KEY") -> dict:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update({key_env: "sk-test-key", base_url_env(key_env): gw.url, "NO_PROXY": "127.0.0.1"})
    return env


def post(url: str, payload: dict, headers: dict) -> int:
    request = urllib.request.Request(url, json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


# --- the document -----------------------------------------------------------------------

@pytest.mark.parametrize("name", SITES)
def test_spec_is_valid_openapi_31(name):
    site = SITES[name]()
    spec = load_spec(site)
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on any violation
    assert yaml.safe_load((site / "openapi.yaml").read_text(encoding="utf-8")) == spec


@pytest.mark.parametrize("name", SITES)
def test_spec_matches_site_yaml_and_catalog(name):
    site = SITES[name]()
    spec, conf = load_spec(site), site_yaml(site)
    assert spec["servers"] == [{"url": conf["api"]["base_url"], "description": spec["servers"][0]["description"]}]
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer") and spec["security"] == [{"bearerAuth": []}]
    request = spec["components"]["schemas"]["ChatCompletionRequest"]
    model = request["properties"]["model"]
    assert "enum" not in model  # named by pattern and by api/models.json, not by a catalog-sized enum
    assert all(re.fullmatch(model["pattern"].strip("^$"), i) for i in catalog_ids(site))
    assert "api/models.json" in model["description"]
    for prop in ("model", "messages", "temperature", "top_p", "max_tokens", "stream", "stop", "tools",
                 "response_format"):
        assert request["properties"][prop]["description"], prop
    chat = spec["paths"]["/chat/completions"]["post"]
    assert set(chat["responses"]["200"]["content"]) == {"application/json", "text/event-stream"}
    for op in (chat, spec["paths"]["/models/{model}"]["get"]):
        for err in conf["errors"]:
            ref = op["responses"][str(err["status"])]["$ref"]  # each error defined once, in components
            response = spec["components"]["responses"][ref.rsplit("/", 1)[1]]
            assert err["message"] in response["description"] and err["type"] in response["description"]
            media = response["content"]["application/json"]
            examples = [media["example"]] if "example" in media else [e["value"] for e in media["examples"].values()]
            assert {"message": err["message"], "type": err["type"], "code": err["type"]} in \
                [e["error"] for e in examples]
            if err.get("header"):
                assert err["header"] in response["headers"]
        assert "404" in op["responses"]
    first = catalog_ids(site)[0]
    assert chat["requestBody"]["content"]["application/json"]["example"]["model"] == first
    assert spec["paths"]["/models/{model}"]["get"]["responses"]["200"]["content"]["application/json"]["example"]["id"] \
        == first


def test_sse_example_is_an_event_stream_of_chunks():
    spec = load_spec(built("example"))
    media = spec["paths"]["/chat/completions"]["post"]["responses"]["200"]["content"]["text/event-stream"]
    events = media["example"].split("\n\n")
    assert events[-1] == "" and events[-2] == "data: [DONE]"
    chunks = [json.loads(e[len("data: "):]) for e in events[:-2]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant"}
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks) == "Hello!"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_every_example_validates_and_the_server_engine_is_reported(gateway):
    # A request built from the spec's own example passes the stand-in's validation.
    spec = gateway.spec
    example = spec["paths"]["/chat/completions"]["post"]["requestBody"]["content"]["application/json"]["example"]
    assert post(gateway.url + "/chat/completions", example, {"Authorization": "Bearer sk-test"}) == 200
    post(gateway.url + "/chat/completions", example, {})  # no key
    assert gateway.exchanges[-1].request_errors, "a request without a bearer token must fail validation"
    gateway.exchanges.pop()
    assert gateway.problems() == []
    print(f"validated with {gateway.engine}")
    if os.environ.get("CI"):  # the fallback is for odd local installs; CI proves it with openapi-core
        assert gateway.engine == "openapi-core"


# --- real clients --------------------------------------------------------------------------

def fenced(markdown: str, heading: str, lang: str) -> str:
    """Return the code of the first fenced block right under a heading of a Markdown twin."""
    m = re.search(rf"^{re.escape(heading)}\n(?:(?!#|`).*\n)*?(`{{3,}}){lang}\n([\s\S]*?)\n\1$", markdown, re.M)
    assert m, f"no {lang} block under {heading!r}"
    return m.group(2)


def md_twin(site: Path, model: str = MODEL) -> str:
    return (site / "models" / f"{model}.md").read_text(encoding="utf-8")


def page_soup(site: Path, model: str = MODEL) -> BeautifulSoup:
    page = site / "models" / model / "index.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def html_python(site: Path, stream: bool) -> str:
    """Return the text of the Python tab's <pre> (complete or streaming) of the HTML model page."""
    soup = page_soup(site)
    titled = [h for h in soup.find_all(["h3", "button"]) if h.get_text(strip=True) == "Python"]
    panels = [soup.find(id="quickstart-python")] + [h.find_parent(class_="tab-panel") for h in titled]
    pres = [pre.get_text() for panel in panels if panel is not None for pre in panel.find_all("pre")]
    found = [t for t in pres if "from openai import OpenAI" in t and ("stream=True" in t) == stream]
    if not found:
        pytest.fail(f"the HTML model page has no Python tab with a {'streaming' if stream else 'complete'} "
                    "quickstart <pre> (templates/model.html must show snippets.python / python_stream)")
    return found[0]


def html_use_curl(site: Path) -> str:
    """Return the text of the "Use this model" curl <pre> of the HTML model page."""
    soup = page_soup(site)
    section = soup.find(id="use") or next((h.find_parent("section") for h in soup.find_all("h2")
                                           if h.get_text(strip=True) == "Use this model"), None)
    pres = [pre.get_text() for pre in section.find_all("pre")] if section is not None else []
    found = [t for t in pres if t.lstrip().startswith("curl ")]
    if not found:
        pytest.fail('the HTML model page has no curl <pre> under "Use this model" (snippets.use)')
    return found[0]


def run_python(code: str, gw) -> str:
    proc = subprocess.run([sys.executable, "-c", code], env=env_for(gw), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_python_quickstart_from_markdown_twin_runs_with_the_sdk(gateway):
    site = built("example")
    code = fenced(md_twin(site), "### Python", "python")
    assert 'model="meta/llama-3.2-1b-instruct"' in code
    assert run_python(code, gateway).strip() == "Hello! How can I help you today?"
    stream = fenced(md_twin(site), "### Python (streaming)", "python")
    assert run_python(stream, gateway).strip() == "Hello!"
    assert gateway.problems() == []


def test_python_quickstart_from_html_page_runs_with_the_sdk(gateway):
    site = built("example")
    code = html_python(site, stream=False)
    assert code.strip() == fenced(md_twin(site), "### Python", "python").strip()
    assert run_python(code, gateway).strip() == "Hello! How can I help you today?"
    assert gateway.problems() == []


def test_python_streaming_quickstart_from_html_page(gateway):
    site = built("example")
    code = html_python(site, stream=True)
    assert run_python(code, gateway).strip() == "Hello!"
    assert gateway.problems() == []


def test_sdk_models_and_unknown_model(gateway):
    client = openai.OpenAI(base_url=gateway.url, api_key="sk-test", max_retries=0)
    listed = client.models.list()
    assert [m.id for m in listed.data] == [MODEL]
    assert client.models.retrieve(MODEL).id == MODEL
    with pytest.raises(openai.NotFoundError) as err:
        client.models.retrieve("meta/no-such-model")
    assert "Unknown model" in str(err.value)
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="meta/no-such-model", messages=[{"role": "user", "content": "hi"}])
    # the unknown id is well formed (the spec names models by pattern): the gateway answers 404
    assert gateway.problems() == []
    assert any(ex.status == 404 and not ex.request_errors for ex in gateway.exchanges)


def test_every_documented_error_reaches_the_sdk_as_its_exception(gateway):
    client = openai.OpenAI(base_url=gateway.url, api_key="sk-test", max_retries=0)
    for err in site_yaml(built("example"))["errors"]:
        with pytest.raises(openai.APIStatusError) as caught:
            client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}],
                                           extra_headers={TEST_STATUS_HEADER: str(err["status"])})
        exc = caught.value
        assert exc.status_code == err["status"]
        assert exc.body["type"] == err["type"] and err["message"] in exc.message
        if err["status"] == 404:
            assert isinstance(exc, openai.NotFoundError)
        if err["status"] == 429:
            assert isinstance(exc, openai.RateLimitError)
            assert exc.response.headers.get(err["header"]) is not None
    assert gateway.problems() == []


def test_tools_and_response_format_requests_validate(gateway):
    client = openai.OpenAI(base_url=gateway.url, api_key="sk-test", max_retries=0)
    client.chat.completions.create(
        model=MODEL, messages=[{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}],
        temperature=0.2, top_p=0.9, max_tokens=64, stop=["\n\n"], response_format={"type": "json_object"},
        tools=[{"type": "function", "function": {"name": "f", "description": "d",
                                                 "parameters": {"type": "object", "properties": {}}}}])
    assert gateway.problems() == []


def run_curl(snippet: str, gw, base_url: str) -> str:
    assert shutil.which("curl"), "the curl binary is needed"
    assert base_url in snippet
    script = snippet.replace(base_url, gw.url)
    proc = subprocess.run(["bash", "-c", script], env=env_for(gw), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_curl_snippet_from_markdown_twin_runs(gateway):
    site = built("example")
    snippet = fenced(md_twin(site), "## Use this model", "bash")
    out = run_curl(snippet, gateway, site_yaml(site)["api"]["base_url"])
    assert out.rstrip().endswith("data: [DONE]")
    assert '"content":"Hello"' in out
    assert gateway.problems() == []


def test_curl_snippet_from_html_page_runs(gateway):
    site = built("example")
    snippet = html_use_curl(site)
    assert snippet == fenced(md_twin(site), "## Use this model", "bash")
    out = run_curl(snippet, gateway, site_yaml(site)["api"]["base_url"])
    assert out.rstrip().endswith("data: [DONE]")
    assert gateway.problems() == []


def test_hostile_catalog_spec_serves_the_sdk(machine_gateway):
    # Every model id, a path-prefixed site URL, a 400 and two Retry-After errors.
    site = built_machine()
    key_env = site_yaml(site)["api"]["key_env"]
    client = openai.OpenAI(base_url=machine_gateway.url, api_key="sk-test", max_retries=0)
    for model in catalog_ids(site):
        assert client.models.retrieve(model).id == model
        reply = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])
        assert reply.choices[0].message.content
    code = fenced(md_twin(site, "evil/bad-model"), "### Python", "python")
    proc = subprocess.run([sys.executable, "-c", code], env=env_for(machine_gateway, key_env),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert machine_gateway.problems() == []

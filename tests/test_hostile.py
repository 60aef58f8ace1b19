"""Hostile text in any record field renders inert everywhere it appears.

For each field, hypothesis generates text built from injection payloads and
arbitrary characters, the site is built, and the parsed outputs are compared
with a build of the same catalog holding a harmless word: the same elements
and attributes (Markdown fields may add only allow-listed ones), every JSON
block parses, llms.txt keeps its structure, and the XML outputs parse.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.render.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "tests" / "fixtures" / "example-catalog"

PAYLOADS = [
    "</script><script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>",
    "{{ 7*7 }}", "{% for x in range(3) %}x{% endfor %}", "{{ site.__class__ }}", "]]><!--", "-->",
    "[click](javascript:alert(1))", "<a href=\"javascript:alert(1)\">x</a>", "\n# Heading\n", "\n- [x](y): z\n",
    "](http://evil.example)", "<style>body{display:none}</style>", "<iframe src=//evil.example>",
    "\u2028\u2029", "&amp;&lt;&#x3c;", "`code` | pipe | ", "\\", "<!DOCTYPE html>", "</textarea></title>",
    "<base href=//evil.example/>", "data:text/html,<script>x</script>", "<?xml version='1.0'?>",
    "\t\r\n", "\u0000\u0007\u001b", "\ufeff", "*", "_", "#", "\"", "'", "<", ">", "&",
]
hostile = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(min_size=1, max_size=12)),
                   min_size=1, max_size=5).map("".join).filter(lambda s: s.strip() != "")

MODEL = "catalog/models/meta/llama-3.2-1b-instruct.yaml"
PROVIDER = "catalog/providers/meta.yaml"
SITE = "catalog/site.yaml"
COLLECTIONS = "catalog/collections.yaml"
# (file, YAML line to replace, line with {text}, is Markdown)
FIELDS = {
    "model.name": (MODEL, "name: Llama-3.2-1b-Instruct", "name: {text}", False),
    "model.family": (MODEL, "family: Llama 3", "family: {text}", False),
    "model.summary": (MODEL, None, "summary: {text}", False),
    "model.description": (MODEL, None, "description: {text}", True),
    "model.strength": (MODEL, "strengths: [General-purpose chat, Long context, Tool use]",
                       "strengths: [General-purpose chat, {text}]", False),
    "model.use_case": (MODEL, "use_cases: [Chatbots, Content generation, Agentic workflows]",
                       "use_cases: [Chatbots, {text}]", False),
    "model.faq": (MODEL, None, "faq: [{{q: {text}, a: {text}}}]", True),
    "model.license": (MODEL, None, "license: {text}", False),
    "model.link": (MODEL, None, "links: {{model_card: 'https://example.com/{urltext}'}}", False),
    "provider.name": (PROVIDER, "name: Meta", "name: {text}", False),
    "provider.description": (PROVIDER, "description: Meta's Llama family of open-weight models.",
                             "description: {text}", True),
    "site.name": (SITE, "name: AIgateway", "name: {text}", False),
    "site.tagline": (SITE, "tagline: One OpenAI-compatible API for every open model.", "tagline: {text}", False),
    "site.fee_note": (SITE, "  note: You pay pass-through; 5% applied at credit top-up, not per call.",
                      "  note: {text}", False),
    "site.error_message": (SITE, "  - {status: 401, type: authentication_error, message: Invalid or missing API key, retryable: false}",
                           "  - {{status: 401, type: authentication_error, message: {text}, retryable: false}}", False),
    "collection.title": (COLLECTIONS, "  title: Text models", "  title: {text}", False),
}


def yaml_quote(text: str) -> str:
    """Return text as a YAML double-quoted scalar, escaping what YAML may not hold raw."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or (0xE000 <= o <= 0xFFFD and o != 0xFEFF) or o > 0xFFFF:
            out.append(ch)
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\ufffd")  # a lone surrogate cannot be encoded in any file
        else:
            out.append(f"\\u{o:04x}")
    return '"' + "".join(out) + '"'


def make_project(root: Path, field: str, text: str) -> Path:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(EXAMPLE, root / "catalog")
    path, old, new, _ = FIELDS[field]
    file = root / path
    content = file.read_text()
    line = new.format(text=yaml_quote(text), urltext=re.sub(r"[^A-Za-z0-9]", "", text) or "x")
    if old is None:
        if field.startswith("model.summary"):
            content = re.sub(r"summary: >-\n(  .*\n)+", lambda m: line + "\n", content)
        else:
            content += line + "\n"
    else:
        assert old in content, old
        content = content.replace(old, line)
    file.write_text(content)
    return root


def structure(html: str) -> Counter:
    """Return the multiset of (tag, attribute names) of a page, outside Markdown-rendered blocks."""
    soup = BeautifulSoup(html, "lxml")
    for md in soup.select(".prose, .md"):
        md.decompose()
    return Counter((el.name, tuple(sorted(el.attrs))) for el in soup.find_all(True))


def markdown_blocks_are_clean(html: str) -> list[str]:
    soup = BeautifulSoup(html, "lxml")
    bad = []
    for md in soup.select(".prose, .md"):
        for el in md.find_all(True):
            if el.name not in ALLOWED_TAGS:
                bad.append(f"tag {el.name}")
            for attr, value in el.attrs.items():
                allowed = ALLOWED_ATTRIBUTES.get(el.name, set()) | {"rel"}
                if attr not in allowed:
                    bad.append(f"attribute {el.name}[{attr}]")
                if attr == "href" and not re.match(r"^(https?:|mailto:|#|[^:]*$)", str(value)):
                    bad.append(f"href {value}")
    return bad


def outputs(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*")) if p.is_file() and p.suffix in (".html", ".json", ".txt", ".xml", ".md", ".yaml")}


_baselines: dict[str, dict[str, str]] = {}


def baseline(tmp: Path, field: str) -> dict[str, str]:
    if field not in _baselines:
        project = make_project(tmp / f"base-{field}", field, "Harmless")
        build(project, project / "site")
        _baselines[field] = outputs(project / "site")
    return _baselines[field]


LLMS_LINE = re.compile(r"^- \[[^\]\n]+\]\(https?://[^\s)]+\)(: .*)?$")


def check_site(files: dict[str, str], base: dict[str, str], markdown: bool) -> None:
    assert set(files) == set(base)
    for path, text in files.items():
        if path.endswith(".html"):
            got, want = structure(text), structure(base[path])
            assert got == want, f"{path}: elements differ: {(got - want) or (want - got)}"
            if markdown:
                assert markdown_blocks_are_clean(text) == [], path
            soup = BeautifulSoup(text, "lxml")
            inline = []
            for script in soup.find_all("script"):
                if script.get("type") in ("application/ld+json", "application/json"):
                    json.loads(script.string)
                elif not script.get("src"):
                    inline.append(script.string)
            # the theme's own inline scripts only: exactly those of the harmless build's page
            theirs = [s.string for s in BeautifulSoup(base[path], "lxml").find_all("script")
                      if not s.get("src") and s.get("type") not in ("application/ld+json", "application/json")]
            assert inline == theirs, f"{path}: inline script appeared"
        elif path.endswith(".json"):
            json.loads(text)
        elif path.endswith(".yaml"):
            yaml.safe_load(text)
        elif path.endswith(".xml"):
            ET.fromstring(text.encode("utf-8"))
        elif path.endswith("llms.txt"):
            section = False
            for line in text.splitlines():
                if line.startswith("## "):
                    section = True
                elif section and line.strip():
                    assert LLMS_LINE.match(line), f"{path}: broken line {line!r}"


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_hostile_text_is_inert(field: str, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    base = baseline(tmp, field)
    markdown = FIELDS[field][3]

    @settings(max_examples=12, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(text=hostile)
    def run(text: str):
        project = make_project(tmp / "case", field, text)
        build(project, project / "site")
        check_site(outputs(project / "site"), base, markdown)

    run()


def test_template_syntax_in_data_is_shown_not_evaluated(tmp_path):
    text = "{{ 7*7 }} {% if true %}x{% endif %} {{ site.__class__ }}"
    project = make_project(tmp_path / "tpl", "model.name", text)
    build(project, project / "site")
    site = project / "site"
    page = BeautifulSoup((site / "models/meta/llama-3.2-1b-instruct/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.h1.get_text() == text
    twin = (site / "models/meta/llama-3.2-1b-instruct.md").read_text(encoding="utf-8")
    title = next(ln for ln in twin.splitlines() if ln.startswith("# "))  # after the llms.txt pointer
    assert "49" not in title and "7\\*7" in title
    assert json.loads((site / "models/meta/llama-3.2-1b-instruct.json").read_text(encoding="utf-8"))["name"] == text


"""One policy for every output of record and docs Markdown: nothing unsafe carried, nothing else lost.

The HTML pages, the .md twins and llms-full.txt must drop the same raw HTML and
the same unsafe URLs (generator.render.markdown.safe_url), keeping the text
around them; and no Markdown, however deep or large, may crash or stall the
renderer.
"""

from __future__ import annotations

import re
import time

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator.build import build
from generator.render import markdown as md
from generator.render.mdtext import clean_markdown
from tests.conftest import MODEL_PATH, make_project, valid_files

# (name, Markdown, substrings none of the outputs may carry, text they must all keep)
HOSTILE = [
    ("script", "<script>alert(1)</script>", ["script", "alert"], []),
    ("script-block", "\n\n<script>\nalert(1)\n</script>\n\n", ["script", "alert"], []),
    ("style", "<style>body{display:none}</style>", ["style", "display"], []),
    ("iframe", "<iframe src=x>", ["iframe"], []),
    ("iframe-block", "\n\n<iframe src=x>\n\n", ["iframe"], []),
    ("img-onerror", "<img src=x onerror=alert(1)>", ["img", "onerror", "alert"], []),
    ("link", "[click](javascript:alert(1))", ["javascript", "alert"], ["click"]),
    ("link-case", "[tap](JaVaScRiPt:alert(1))", ["javascript", "alert"], ["tap"]),
    ("link-entity", "[ent](&#106;avascript:alert(1))", ["avascript", "alert"], ["ent"]),
    ("link-vbscript", "[vb](vbscript:msgbox(1))", ["vbscript", "msgbox"], ["vb"]),
    ("image-data", "![pic](data:text/html,payload)", ["data:", "payload"], ["pic"]),
    ("raw-anchor", '<a href="javascript:alert(1)">anchor</a>', ["javascript", "alert", "href"], ["anchor"]),
    ("autolink", "<javascript:alert(1)>", ["javascript", "alert"], []),
    ("reference", "[refd][r]{after}\n\n[r]: javascript:alert(1)\n\n", ["javascript", "alert"], ["refd"]),
    ("comment", "<!-- hidden -->", ["hidden", "<!--"], []),
]
# In every output each case sits between its two marker words, so what lies between them is the case's own.
# "&lt;" there would be markup shown as text (the old llms-full.txt) or swallowed by a raw <iframe>.
EVERYWHERE_FORBIDDEN = ["&lt;", "<iframe", "<script>", "onerror", "javascript:"]


def section(i: int, payload: str) -> str:
    after = f"omega{i}"
    body = payload.replace("{after}", f" {after}") if "{after}" in payload else f"{payload} {after}"
    return f"alpha{i} {body}"


def hostile_markdown() -> str:
    return "\n\n".join(section(i, payload) for i, (_, payload, _, _) in enumerate(HOSTILE)) + "\n\nalphaEND\n"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    text = hostile_markdown()
    files = valid_files()
    files["docs/hostile.md"] = "---\ntitle: Hostile\n---\n\n" + text
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    files[MODEL_PATH] += f'description: "{quoted}"\n'
    project = make_project(tmp_path_factory.mktemp("policy"), files)
    build(project, project / "site")
    site = project / "site"
    read = lambda rel: (site / rel).read_text(encoding="utf-8")  # noqa: E731
    # a page's cases are read in its <main>: the head repeats the first words (its description)
    main = lambda rel: read(rel)[read(rel).index("<main"):]  # noqa: E731
    return {
        "docs page": main("docs/hostile/index.html"),
        "docs twin": read("docs/hostile.md"),
        "llms-full.txt": read("llms-full.txt"),
        "model page": main("models/meta/llama-3.2-1b-instruct/index.html"),
        "model twin": read("models/meta/llama-3.2-1b-instruct.md"),
    }


def region(text: str, i: int) -> str:
    start = re.search(rf"alpha{i}(?!\d)", text).start()
    end = re.compile(rf"alpha{i + 1}(?!\d)" if i + 1 < len(HOSTILE) else "alphaEND").search(text, start).start()
    return text[start:end]


@pytest.mark.parametrize("where", ["docs page", "docs twin", "llms-full.txt", "model page", "model twin"])
@pytest.mark.parametrize("i", range(len(HOSTILE)), ids=[name for name, *_ in HOSTILE])
def test_every_output_drops_the_same_and_keeps_the_text(outputs, where, i):
    name, _, forbidden, kept = HOSTILE[i]
    part = region(outputs[where], i)
    text = BeautifulSoup(part, "html.parser").get_text() if where.endswith("page") else part
    for bad in forbidden:
        assert bad.lower() not in part.lower(), f"{where} carries {bad!r}: {part!r}"
    for bad in EVERYWHERE_FORBIDDEN:
        assert bad.lower() not in part.lower(), f"{where} carries {bad!r}: {part!r}"
    for word in [f"omega{i}", *kept]:
        assert word in text, f"{where} lost {word!r}: {part!r}"


# --- the same property on generated text, without a build -------------------------------

PAYLOADS = [payload.replace("{after}", "") for _, payload, _, _ in HOSTILE] + [
    "`<b>code</b>`", "[ok](https://example.com/a)", "<https://example.com/b>", "<b>bold</b>",
    "[a [b] c](javascript:alert(1))", "[x](<javascript:alert(1)>)", "[y]( javascript:alert(1) )",
    "<a href='java\tscript:alert(1)'>t</a>", "[n](java&#9;script:alert(1))", "<svg onload=alert(1)>",
    "<IMG SRC=x OnError=alert(1)>", "<img\nsrc=x\nonerror=alert(1)>", "[r2]\n\n[r2]:\n  javascript:alert(1)\n\n",
    # a backtick inside a link title or a tag is no code span, though a later one would close it
    '[t](javascript:alert(1) "`") `', '<img title="`" src=x onerror=alert(1)> `', "`a\n# h <script>alert(1)</script> `",
    "<!-- ` -->", "`<!--` -->",
]
SEPARATORS = [" ", "\n", "\n\n"]

# A reader that trusts its input: raw HTML passes, every link scheme is accepted.
_permissive = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_permissive.validateLink = lambda url: True
MARKDOWN_TAGS = {"p", "a", "em", "strong", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
                 "blockquote", "hr", "br", "img", "table", "thead", "tbody", "tr", "th", "td", "s"}


def unsafe_in(html: str, tags: set[str]) -> list[str]:
    bad = []
    for el in BeautifulSoup(html, "html.parser").find_all(True):
        if el.name not in tags:
            bad.append(f"<{el.name}>")
        for attr, value in el.attrs.items():
            if attr.startswith("on") or attr == "style":
                bad.append(f"{el.name}[{attr}]")
            if attr in ("href", "src") and not md.safe_url(str(value)):
                bad.append(f"{el.name}[{attr}={value!r}]")
    return bad


@st.composite
def documents(draw) -> tuple[str, list[str]]:
    parts, words = [], []
    for i in range(draw(st.integers(1, 6))):
        words.append(f"word{i}")
        parts += [f"word{i}", draw(st.sampled_from(SEPARATORS)), draw(st.sampled_from(PAYLOADS)),
                  draw(st.sampled_from(SEPARATORS))]
    return "".join(parts) + "wordEND", words + ["wordEND"]


@settings(max_examples=300, deadline=None, database=None)
@given(documents())
def test_html_and_markdown_outputs_carry_nothing_unsafe_and_keep_the_words(doc):
    text, words = doc
    html = md._full_html(text)
    twin = clean_markdown(text, shift=2)
    read = _permissive.render(twin)
    assert unsafe_in(html, md.ALLOWED_TAGS) == [], html
    assert unsafe_in(read, MARKDOWN_TAGS) == [], twin
    html_text = BeautifulSoup(html, "html.parser").get_text()
    read_text = BeautifulSoup(read, "html.parser").get_text()
    for word in words:
        assert word in html_text, (word, html)
        assert word in read_text, (word, twin)
    # no markup shown as text (outside code, where it is meant to be)
    assert "&lt;" not in re.sub(r"<code>.*?</code>", "", html, flags=re.S), html
    assert "&lt;" not in re.sub(r"`[^`]*`", "", twin), twin


@pytest.mark.parametrize("url, safe", [
    ("https://example.com", True), ("http://x", True), ("mailto:a@b.c", True), ("../pricing/", True),
    ("#top", True), ("/docs/", True), ("page?x=1:2", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), (" javascript:x", False),
    ("java\tscript:x", False), ("java&#9;script:x", False), ("&#106;avascript:x", False),
    ("javascript&colon;x", False), ("data:text/html,x", False), ("vbscript:x", False), ("file:///etc/passwd", False),
])
def test_safe_url_is_the_one_test(url, safe):
    assert md.safe_url(url) is safe


# --- bounded: no RecursionError, no quadratic time --------------------------------------

DEEP = {
    "300-level list": "".join("    " * i + "- x\n" for i in range(300)),
    "300-level list, 2 spaces": "".join("  " * i + "- x\n" for i in range(300)),
    "1000-level blockquote": ">" * 1000 + " x\n",
    "1000 blockquote lines": "".join(">" * i + " x\n" for i in range(1, 1000)),
    "1000 nested raw tags": "<div>" * 1000 + "x" + "</div>" * 1000,
    "1000 nested brackets": "[" * 1000 + "x" + "](y)" * 1000,
}


@pytest.mark.parametrize("name", DEEP)
def test_deep_markdown_renders_without_error(name):
    text = DEEP[name]
    md._full_html(text)
    md.doc_html(text)
    clean_markdown(text, shift=2)


def test_large_markdown_renders_in_linear_time():
    # Python-Markdown took over a minute on 16 KB of "[" (its time grows with the square of the size).
    start = time.perf_counter()
    md._full_html("[" * 16384)
    small = time.perf_counter() - start
    start = time.perf_counter()
    md._full_html("[" * 65536)
    clean_markdown("[" * 65536)
    large = time.perf_counter() - start
    assert small < 5 and large < 20, (small, large)
    assert large < 12 * max(small, 0.05), (small, large)  # 4x the size: about 4x the time


def test_a_large_realistic_page_renders_quickly():
    paragraph = ("Some **bold** text with a [link](https://example.com/x) and `code`, then a list:\n\n"
                 "- one\n- two [three](../three/)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint(1)\n```\n\n")
    page = "## Heading\n\n" + paragraph * (250_000 // len(paragraph))
    start = time.perf_counter()
    html, toc = md.doc_html(page)
    clean_markdown(page)
    assert time.perf_counter() - start < 20
    assert "<table>" in html and 'class="hl"' in html and toc[0]["id"] == "heading"

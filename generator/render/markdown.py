"""Markdown from records -> sanitised HTML; plain text from records -> safe Markdown.

Python-Markdown passes raw HTML (even <script>) straight through, so every
rendered fragment goes through nh3 with an allow-list: formatting tags,
tables, code, and links to http(s)/mailto only. tests/test_markdown.py and the
hostile-input property tests hold this.
"""

from __future__ import annotations

import functools
import re

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "div": {"class"},
    "span": {"class"},
    "pre": {"class"},
    "td": {"align"},
    "th": {"align"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}
_CLASS_OK = re.compile(r"^[A-Za-z0-9_ -]*$")


def _filter_attr(tag: str, attr: str, value: str) -> str | None:
    if attr == "class" and not _CLASS_OK.match(value):
        return None
    if attr == "id" and not re.match(r"^[A-Za-z0-9_-]+$", value):
        return None
    return value


def sanitize(html: str) -> str:
    """Return html with everything outside the allow-list removed."""
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow ugc", attribute_filter=_filter_attr, strip_comments=True,
    )


def _converter(toc: bool) -> markdown_lib.Markdown:
    extensions = ["fenced_code", "tables", "sane_lists", "codehilite"]
    config = {"codehilite": {"guess_lang": False, "css_class": "hl"}}
    if toc:
        extensions.append("toc")
        config["toc"] = {"permalink": False, "toc_depth": "2-3"}
    return markdown_lib.Markdown(extensions=extensions, extension_configs=config, output_format="html")


_plain = _converter(toc=False)


# One line of prose with nothing Markdown or HTML would treat specially: it converts to
# "<p>text</p>" exactly (tests/test_markdown_fast.py proves it against the full path
# for generated text). Generated FAQ answers are such lines; skipping the parser for
# them halves a model page's render time.
_PLAIN = re.compile("[A-Za-z\"'(][^\x00-\x1f\x7f\\\\`*_\\[\\]<>&#|~\u00a0\u0085\u2028\u2029]*")


@functools.lru_cache(maxsize=4096)
def _to_html(text: str) -> str:
    if text == text.strip() and _PLAIN.fullmatch(text):
        return f"<p>{text}</p>"
    return _full_html(text)


def _full_html(text: str) -> str:
    _plain.reset()
    return sanitize(_shift_headings(_plain.convert(text)))


def to_html(text: str | None) -> Markup:
    """Return record Markdown as sanitised HTML (headings shifted below the page's h1)."""
    if not text:
        return Markup("")
    return Markup(_to_html(text))


def doc_html(text: str) -> tuple[Markup, list[dict]]:
    """Return (sanitised HTML, table of contents) for a docs page."""
    conv = _converter(toc=True)
    html = conv.convert(text)
    toc = [_toc_entry(t) for t in getattr(conv, "toc_tokens", [])]
    return Markup(sanitize(_shift_headings(html))), toc


def _toc_entry(token: dict) -> dict:
    return {"id": token["id"], "name": _strip_tags(token["name"]), "level": token["level"],
            "children": [_toc_entry(c) for c in token.get("children", [])]}


def _shift_headings(html: str) -> str:
    # The page owns <h1>; a record's "# Title" becomes <h2> so the outline stays valid.
    return re.sub(r"<(/?)h1([ >])", r"<\1h2\2", html)


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]*>", "", text)


# --- plain text into Markdown outputs ------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>])")


def inline_text(text: str | None) -> str:
    """Return plain text safe as one line of Markdown: newlines folded, syntax escaped."""
    if not text:
        return ""
    folded = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", folded)


def link_text(text: str | None) -> str:
    """Return text safe inside [link text]: one line, brackets escaped."""
    return inline_text(text)


def table_cell(text: str | None) -> str:
    """Return text safe in a Markdown table cell."""
    return inline_text(text)


def plain_text(markdown_text: str | None) -> str:
    """Return Markdown reduced to one line of plain text (for meta descriptions)."""
    if not markdown_text:
        return ""
    html = _to_html(markdown_text)
    text = _strip_tags(html)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return " ".join(text.split())

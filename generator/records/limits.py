"""How big and how deep an authored text may be, and which URLs are links: bounds a page can show.

A 4.9 MB name once turned a 94 MB site into 1.34 GB (it is on every page that lists the
model), and a list nested 300 levels deep crashed the Markdown renderer. These bounds are
far above what real records hold (README.md, "The catalog"); past them `validate` reports a
located problem. Nesting is measured from line prefixes alone (indentation, `>`, list
markers, code fences): no Markdown parse, linear in the text. tests/test_input_limits.py
holds each bound with one valid record plus one change.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

NAME_MAX = 200  # names, titles, families, list items: one line of a page
TEXT_MAX = 2_000  # summaries, taglines, plain descriptions: one paragraph
MARKDOWN_MAX = 20_000  # Markdown in a record: model and provider descriptions, FAQ answers
DOC_MAX = 200_000  # the Markdown body of one docs page
NESTING_MAX = 20  # lists and block quotes inside each other
URL_MAX = 2_000
KEY_MAX = 100  # names of links
ITEMS_MAX = 100  # strengths, use cases, tags, FAQ entries, links, errors

_ITEM = re.compile(r"([-+*]|\d{1,9}[.)])([ \t]+|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})")


def nesting(text: str) -> tuple[int, int]:
    """Return (deepest nesting of lists and block quotes, its 1-based line) of Markdown text.

    An approximation of CommonMark's block structure: each `>` of a line's prefix is a
    level, a list item opens a level when it starts inside the content of the item above
    it, and lines of fenced or indented code count nothing.
    """
    deepest, where = 0, 0
    items: list[int] = []  # content columns of the open list items
    fence = ""
    for number, line in enumerate(text.split("\n"), 1):
        rest = line.expandtabs(4)
        quotes = 0
        while True:
            stripped = rest.lstrip(" ")
            if len(rest) - len(stripped) > 3 or not stripped.startswith(">"):
                break
            quotes += 1
            rest = stripped[1:]
            if rest.startswith(" "):
                rest = rest[1:]
        body = rest.lstrip(" ")
        indent = len(rest) - len(body)
        if fence:
            if body.startswith(fence):
                fence = ""
            continue
        if not body:
            if quotes > deepest:
                deepest, where = quotes, number
            continue
        mark = _FENCE.match(body)
        if mark and indent <= (items[-1] if items else 0) + 3:
            fence = mark.group(1)[0] * 3
            continue
        while items and indent < items[-1]:
            items.pop()
        item = _ITEM.match(body)
        if item and indent <= (items[-1] if items else 0) + 3:
            width = len(item.group(2))
            items.append(indent + len(item.group(1)) + (1 if width == 0 or width > 4 else width))
        depth = quotes + len(items)
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


_URL_REFUSED = re.compile(r"[\x00-\x20\x7f<>\"`]")


def http_url_error(value: str) -> str | None:
    """Return why value is not an absolute http(s) URL, or None when it is one.

    No pydantic here: `--base-url` is checked with this before anything is loaded.
    """
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[x": an IPv6 host that never closes
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc \
            or _URL_REFUSED.search(value):
        return f"must be an http(s) URL, got {value!r}"
    return None

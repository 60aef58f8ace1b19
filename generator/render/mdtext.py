"""Markdown text for agents: record Markdown made safe for a .md twin, code fences, link rebasing.

The HTML pages sanitise record Markdown with nh3; a Markdown twin has no
renderer in between, so raw HTML is neutralised here instead: a `<` that could
open a tag, outside code, becomes `&lt;`, which CommonMark, GFM and
Python-Markdown all show as a plain "<" (a backslash escape is CommonMark-only).
Headings are shifted below the twin's own sections, and relative links, written
for the HTML page's folder, are rebased to the twin's folder.
tests/test_twins.py holds these rules on hostile input.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator

from generator.render.env import relative

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s]*>")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_INLINE_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?)(\s|$)")
_BACKTICKS = re.compile(r"`+")


def fence(text: str, lang: str = "") -> str:
    """Return text as a fenced code block whose fence no run of backticks inside can close."""
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    bar = "`" * max(3, longest + 1)
    return f"{bar}{lang}\n{text.rstrip(chr(10))}\n{bar}"


def blocks(text: str, end: list | None = None) -> Iterator[tuple[bool, str]]:
    """Yield (inside a fenced code block, line) for each line of Markdown.

    If end is a list, the fence still open after the last line (or None) is appended to it.
    """
    open_fence: str | None = None
    for line in text.splitlines():
        m = _FENCE.match(line)
        if open_fence is None:
            if m:
                open_fence = m.group(1)
            yield open_fence is not None, line
        else:
            yield True, line
            if m and m.group(1)[0] == open_fence[0] and len(m.group(1)) >= len(open_fence) \
                    and not line.strip()[len(m.group(1)):].strip():
                open_fence = None
    if end is not None:
        end.append(open_fence)


def _escape_html(line: str) -> str:
    """Return a line with raw HTML neutralised outside code spans (autolinks kept)."""
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(line):
        out.append(_escape_html_plain(line[pos:m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_escape_html_plain(line[pos:]))
    return "".join(out)


def _escape_html_plain(text: str) -> str:
    parts, pos = [], 0
    for m in _AUTOLINK.finditer(text):
        parts.append(_TAG_START.sub("&lt;", text[pos:m.start()]))
        parts.append(m.group())
        pos = m.end()
    parts.append(_TAG_START.sub("&lt;", text[pos:]))
    return "".join(parts)


def rebase_links(line: str, rebase: Callable[[str], str]) -> str:
    """Return a line with the targets of inline links and reference definitions passed through rebase."""
    line = _INLINE_LINK.sub(lambda m: m.group(1) + rebase(m.group(2)), line)
    return _REF_DEF.sub(lambda m: m.group(1) + rebase(m.group(2)) + m.group(3) + m.group(4), line)


def rebaser(page_folder: str, twin_folder: str | None = None, absolute: Callable[[str], str] | None = None
            ) -> Callable[[str], str]:
    """Return a function that moves a link written for page_folder to twin_folder (or makes it absolute).

    Links with a scheme, a host, a leading "/" or only an anchor are left alone,
    and so is a relative link that climbs above the site root.
    """
    def rebase(url: str) -> str:
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith(("#", "/")):
            return url
        path, rest = re.match(r"^([^?#]*)(.*)$", url).groups()
        if not path:
            return url
        target = posixpath.normpath(posixpath.join(page_folder or ".", path))
        if target.startswith(".."):
            return url
        target = "" if target == "." else target
        if path.endswith("/") and target and not target.endswith("/"):
            target += "/"
        if absolute is not None:
            return absolute(target) + rest
        return relative(target, twin_folder or "") + rest

    return rebase


def clean_markdown(text: str | None, shift: int = 0, rebase: Callable[[str], str] | None = None) -> str:
    """Return record Markdown safe in a .md twin: no raw HTML, headings shifted, links rebased.

    Fenced code is copied as is. A setext heading becomes an ATX heading so it
    can be shifted like the others.
    """
    if not text:
        return ""
    out: list[str] = []
    prev_text = False
    still_open: list = []
    for in_code, line in blocks(text.replace("\r\n", "\n"), still_open):
        if in_code:
            out.append(line)
            prev_text = False
            continue
        s = _SETEXT.match(line)
        if s and prev_text and out:
            level = 1 if s.group(1)[0] == "=" else 2
            out[-1] = "#" * min(6, level + shift) + " " + out[-1].strip()
            prev_text = False
            continue
        h = _ATX.match(line)
        if h:
            line = h.group(1) + "#" * min(6, len(h.group(2)) + shift) + line[h.end():]
        line = _escape_html(line)
        if rebase is not None:
            line = rebase_links(line, rebase)
        out.append(line)
        prev_text = bool(line.strip()) and not h
    if still_open[0]:  # an unclosed fence would swallow the rest of the twin
        out.append(still_open[0])
    return "\n".join(out).strip("\n")

"""Markdown text for agents: record Markdown made safe for a .md twin, code fences, link rebasing.

A Markdown output (.md twins, llms-full.txt) has no sanitiser after it, so the
policy of the HTML pages (generator.render.markdown) is applied to the text:
raw HTML is dropped, script and style with their content, the text around it
kept; a link or image whose URL fails safe_url keeps its text and loses the
URL, and an unsafe autolink goes. A stray "<" that could open a tag becomes
`&lt;`, which CommonMark, GFM and Python-Markdown all show as a plain "<".
Code is copied as is. Headings are shifted below the twin's own sections, and
relative links, written for the HTML page's folder, are rebased to the twin's
folder. tests/test_markdown_policy.py and tests/test_twins.py hold these rules.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable, Iterator

from markdown_it import MarkdownIt

from .env import relative
from .markdown import safe_url, strip_html

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_INLINE_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?)(\s|$)")
_BACKTICKS = re.compile(r"`+")
# Raw HTML and autolinks, which bind as tightly as code spans: whichever starts first wins.
_HTML_FIRST = re.compile(
    r"""<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*/?>"""
    r"|</[A-Za-z][A-Za-z0-9-]*\s*>|<!---?>|<!--(?:[\s\S]*?-->|[\s\S]*)|<\?(?:[\s\S]*?\?>|[\s\S]*)"
    r"|<![A-Za-z][^>]*>?|<!\[CDATA\[(?:[\s\S]*?\]\]>|[\s\S]*)|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>")


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


_ANY_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>")
# The tail of an inline link or image: "](destination "title")".
_LINK_TAIL = re.compile(
    r"""\]\(\s*(?P<dest><[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"""
    r"""(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?\s*\)""")
_REF_DEFINITION = re.compile(
    r"""^ {0,3}\[(?P<label>(?:[^\[\]\\]|\\.){1,999})\]:[ \t]*\n?[ \t]*(?P<dest><[^<>\n]*>|\S+).*$""", re.M)
_REF_TAIL = re.compile(r"\]\[(?P<label>(?:[^\[\]\\]|\\.)+)\]")
_REF_SHORT = re.compile(r"(?<![\]\\])\[(?P<label>(?:[^\[\]\\]|\\.)+)\](?:\[\])?(?![(:\[])")


def _destination(raw: str) -> str:
    raw = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
    return re.sub(r"\\(.)", r"\1", raw)


def _label(raw: str) -> str:
    return " ".join(raw.split()).casefold()


def _unsafe_defined(text: str) -> tuple[str, set[str]]:
    """Return text without its unsafe link reference definitions, and their labels."""
    labels: set[str] = set()

    def drop(m: re.Match) -> str:
        if safe_url(_destination(m.group("dest"))):
            return m.group()
        labels.add(_label(m.group("label")))
        return ""

    return _REF_DEFINITION.sub(drop, text), labels


_LINK_TEXT_MAX = 2000  # past this a "[" is not looked for (the destination still goes)


def _open_bracket(text: str, close: int) -> int:
    """Return the index of the "[" that the "]" at close ends (-1 if none)."""
    depth = 0
    for i in range(close - 1, max(-1, close - _LINK_TEXT_MAX), -1):
        if text[i] == "]" and not _escaped(text, i):
            depth += 1
        elif text[i] == "[" and not _escaped(text, i):
            if depth == 0:
                return i
            depth -= 1
    return -1


def _escaped(text: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _unlink(text: str, tail: re.Pattern, unsafe: Callable[[re.Match], bool]) -> str:
    """Return text with each link whose tail is unsafe reduced to its text ("![" and "[" go too)."""
    pos = 0
    while m := tail.search(text, pos):
        if not unsafe(m):
            pos = m.start() + 1
            continue
        start = _open_bracket(text, m.start())
        if start > 0 and text[start - 1] == "!" and not _escaped(text, start - 1):
            start -= 1
        if start < 0:
            text = text[:m.start() + 1] + text[m.end():]
            pos = m.start() + 1
        else:
            inner = text[text.index("[", start) + 1:m.start()]
            text = text[:start] + inner + text[m.end():]
            pos = start
    return text


def _mask_code_spans(text: str, keep: Callable[[str], str]) -> str:
    """Return text with each code span replaced by keep(span), in one pass.

    A run of backticks opens a span that the next run of the same length closes
    (CommonMark), within one paragraph; an opener with no closer is literal, and
    a tag, comment or autolink that starts first takes the backticks inside it.
    """
    runs = [m for m in _BACKTICKS.finditer(text) if not _escaped(text, m.start())]
    by_length: dict[int, list[int]] = {}
    for i, m in enumerate(runs):
        by_length.setdefault(len(m.group()), []).append(i)
    seen: dict[int, int] = {}  # length -> how far its list has been used
    blanks = [m.start() for m in re.finditer(r"\n[ \t]*\n", text)]
    html = _HTML_FIRST.search(text)
    out, pos, i = [], 0, 0
    while i < len(runs):
        opener = runs[i]
        while html and html.end() <= opener.start():
            html = _HTML_FIRST.search(text, html.end())
        if html and html.start() < opener.start():  # the backticks belong to the tag
            i += 1
            continue
        n = len(opener.group())
        same = by_length[n]
        k = seen.get(n, 0)
        while k < len(same) and same[k] <= i:
            k += 1
        seen[n] = k
        closer = runs[same[k]] if k < len(same) else None
        if closer is None or _blank_between(blanks, opener.end(), closer.start()):
            i += 1
            continue
        out.append(text[pos:opener.start()])
        out.append(keep(text[opener.start():closer.end()]))
        pos = closer.end()
        i = same[k] + 1
        while html and html.start() < pos:
            html = _HTML_FIRST.search(text, pos)
    out.append(text[pos:])
    return "".join(out)


def _blank_between(blanks: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(blanks, start)
    return i < len(blanks) and blanks[i] < end


# A reader that trusts its input: what it would see in a defused text is what any reader could.
_reader = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_reader.validateLink = lambda url: True


def carries_unsafe(text: str) -> bool:
    """Return whether a CommonMark reader would find raw HTML or an unsafe link or image in text."""
    for tok in _reader.parse(text):
        if tok.type in ("html_block", "html_inline"):
            return True
        for child in tok.children or ():
            if child.type == "html_inline" or (
                    child.type in ("link_open", "image")
                    and not safe_url(child.attrs.get("href", child.attrs.get("src", "")))):
                return True
    return False


def defuse(text: str) -> str:
    """Return Markdown (outside fenced code) with the HTML pages' policy applied.

    Code spans are kept as written. But a backtick can belong to a tag or a link
    title that starts before it, so where a span was kept the text is also defused
    with none kept, and that is taken when the first broke a tag or a reader finds
    something unsafe in it (should the reader find something in both, the text is
    made wholly literal).
    """
    kept, spans = _defuse(text, keep_code=True)
    if not spans:
        return kept
    plain = _defuse(text, keep_code=False)[0]
    # A kept span that broke a tag leaves a stray "<" (shown as "&lt;") that the plain pass has not.
    best = plain if kept.count("&lt;") > plain.count("&lt;") or carries_unsafe(kept) else kept
    if best is kept or not carries_unsafe(best):
        return best
    return re.sub(r"([\\`*_\[\]])", r"\\\1", plain).replace("<", "&lt;")  # last resort: all literal


def _defuse(text: str, keep_code: bool) -> tuple[str, int]:
    spans: list[str] = []
    mark = next(c for c in map(chr, range(0xE000, 0xF900)) if c not in text)

    def keep(span: str) -> str:
        spans.append(span)
        return f"{mark}{len(spans) - 1}{mark}"

    if keep_code:
        text = _mask_code_spans(text, keep)
    masked = len(spans)
    text, labels = _unsafe_defined(text)
    text = _unlink(text, _LINK_TAIL, lambda m: not safe_url(_destination(m.group("dest"))))
    if labels:
        text = _unlink(text, _REF_TAIL, lambda m: _label(m.group("label")) in labels)
        text = _REF_SHORT.sub(lambda m: m.group("label") if _label(m.group("label")) in labels else m.group(),
                              text)
    text = _ANY_AUTOLINK.sub(lambda m: keep(m.group()) if safe_url(m.group(1)) else "", text)
    text = strip_html(text)
    return re.sub(f"{mark}(\\d+){mark}", lambda m: spans[int(m.group(1))], text), masked


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


def defuse_outside_code(text: str) -> str:
    """Return Markdown with every run of lines outside fenced code passed through defuse."""
    out: list[str] = []
    run: list[str] = []
    for in_code, line in blocks(text):
        if in_code:
            if run:
                out.append(defuse("\n".join(run)))
                run = []
            out.append(line)
        else:
            run.append(line)
    if run:
        out.append(defuse("\n".join(run)))
    return "\n".join(out)


def clean_markdown(text: str | None, shift: int = 0, rebase: Callable[[str], str] | None = None) -> str:
    """Return record Markdown safe in a .md twin: no raw HTML, headings shifted, links rebased.

    Fenced code is copied as is. A setext heading becomes an ATX heading so it
    can be shifted like the others.
    """
    if not text:
        return ""
    text = defuse_outside_code(text.replace("\r\n", "\n"))
    out: list[str] = []
    prev_text = False
    still_open: list = []
    for in_code, line in blocks(text, still_open):
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
        if rebase is not None:
            line = rebase_links(line, rebase)
        out.append(line)
        prev_text = bool(line.strip()) and not h
    if still_open[0]:  # an unclosed fence would swallow the rest of the twin
        out.append(still_open[0])
    return "\n".join(out).strip("\n")

"""Markdown from records -> sanitised HTML; plain text from records -> safe Markdown.

The parser is markdown-it-py (CommonMark plus tables and strikethrough): linear
in its input and bounded in nesting, so no record text can make it slow or
raise RecursionError (Python-Markdown took minutes on 16 KB of "[" and crashed
on deep lists). Raw HTML goes through to nh3, whose allow-list is the policy:
formatting tags, tables, code, and links whose URL passes safe_url. An unsafe
link keeps its text and loses its URL; the Markdown outputs apply the same
policy (generator.render.mdtext). tests/test_markdown_policy.py holds both.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

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
# Elements whose content goes with them (nh3's default): the Markdown outputs drop the same.
DROPPED_WITH_CONTENT = ("script", "style")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_CLASS_OK = re.compile(r"^[A-Za-z0-9_ -]*$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def safe_url(url: str) -> bool:
    """Return whether a link target may stay a link: relative, or http, https or mailto.

    Entities are decoded and the characters a browser ignores or strips in a
    scheme are removed first, so "JaVaScRiPt:", "java&#9;script:" and
    " javascript:" are all refused. The one test of every output.
    """
    text = _URL_IGNORED.sub("", html_lib.unescape(url))
    m = _SCHEME.match(text)
    return m is None or m.group(1).lower() in SAFE_SCHEMES


def _filter_attr(tag: str, attr: str, value: str) -> str | None:
    if attr == "class" and not _CLASS_OK.match(value):
        return None
    if attr == "id" and not re.match(r"^[A-Za-z0-9_-]+$", value):
        return None
    if attr == "href" and not safe_url(value):
        return None
    return value


def sanitize(html: str) -> str:
    """Return html with everything outside the allow-list removed."""
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES),
        clean_content_tags=set(DROPPED_WITH_CONTENT), link_rel="noopener nofollow ugc",
        attribute_filter=_filter_attr, strip_comments=True,
    )


# --- the parser -------------------------------------------------------------------

_FORMATTER = HtmlFormatter(cssclass="hl", wrapcode=True)
# The CommonMark preset's bound: deep enough for real text (validate refuses deeper input);
# past it markdown-it stops nesting, which keeps its recursion far below Python's limit and
# its time linear (a run of "[" costs each one up to this many label scans).
MAX_NESTING = 20


def _code_html(code: str, lang: str) -> str:
    try:
        lexer = get_lexer_by_name(lang) if lang else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return pygments_highlight(code, lexer, _FORMATTER)


def _fence(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    lang = html_lib.unescape(token.info).strip().split(maxsplit=1)[0] if token.info.strip() else ""
    return _code_html(token.content, lang)


def _code_block(renderer, tokens, idx, options, env) -> str:
    return _code_html(tokens[idx].content, "")


# Raw HTML as CommonMark sees it: an open or closing tag, a comment, a processing
# instruction, a declaration or CDATA; then any other "<" that could open a tag. An
# unclosed comment, instruction or CDATA runs to the end, as the HTML block it starts
# does (and so each is scanned once: the time stays linear).
_TAG_NAME = r"[A-Za-z][A-Za-z0-9-]*"
_ATTRIBUTE = r"""(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
_RAW_HTML = re.compile(
    rf"<(?P<open>{_TAG_NAME}){_ATTRIBUTE}*\s*/?>|</(?P<close>{_TAG_NAME})\s*>"
    r"|<!---?>|<!--(?:[\s\S]*?-->|[\s\S]*)|<\?(?:[\s\S]*?\?>|[\s\S]*)|<![A-Za-z][^>]*>?"
    r"|<!\[CDATA\[(?:[\s\S]*?\]\]>|[\s\S]*)"
    r"|(?P<auto><[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>)|(?P<stray><(?=[A-Za-z/!?]))")
_CONTENT_NAMES = "|".join(DROPPED_WITH_CONTENT)
# <script> opening a line starts an HTML block that runs to its end tag; elsewhere it is
# inline HTML, and its content ends with the paragraph.
_WITH_CONTENT = re.compile(
    rf"^ {{0,3}}<(?P<b>{_CONTENT_NAMES})(?=[\s/>]|$)[\s\S]*?(?:</(?P=b)(?=[\s/>])[^>]*>|\Z)"
    rf"|<(?P<i>{_CONTENT_NAMES})(?=[\s/>])[\s\S]*?(?:</(?P=i)(?=[\s/>])[^>]*>|(?=\n[ \t]*\n)|\Z)",
    re.I | re.M)


_UNFINISHED_TAG = re.compile(r"<[A-Za-z][^<>]*\Z")


def strip_html(text: str, keep: frozenset[str] | set[str] = frozenset(), block: bool = False) -> str:
    """Return text with its raw HTML dropped: script and style with their content, every other
    tag (but those named in keep) alone, its text kept; what looks like an autolink becomes its URL
    as text, or goes if the URL is unsafe;
    a stray "<" that could open a tag becomes "&lt;"."""
    text = _WITH_CONTENT.sub("", text)
    if block:  # an HTML block can end inside a tag that the next paragraph goes on with
        text = _UNFINISHED_TAG.sub("", text)

    def replace(m: re.Match) -> str:
        if m.group("auto"):
            url = m.group()[1:-1]  # in raw HTML it is no link: a safe one stays as its text
            return html_lib.escape(url, quote=False) if safe_url(url) else ""
        if m.group("stray"):
            return "&lt;"
        name = (m.group("open") or m.group("close") or "").lower()
        return m.group() if name in keep else ""

    return _RAW_HTML.sub(replace, text)


def _html_name(html: str) -> tuple[str, bool]:
    m = re.match(r"<(/?)([A-Za-z][A-Za-z0-9-]*)", html)
    return (m.group(2).lower(), bool(m.group(1))) if m else ("", False)


def _apply_policy(state) -> None:
    """Apply the policy to the parsed tokens before they become HTML.

    Raw HTML keeps only allow-listed tags (nh3 then cleans their attributes), so an
    <iframe> or <textarea> never swallows the rest of the page. Unsafe links lose
    their URL and keep their text (autolinks, whose text is the URL, go); images,
    which the allow-list does not hold, become their alt text.
    """
    for block in state.tokens:
        if block.type == "html_block":
            block.content = strip_html(block.content, ALLOWED_TAGS, block=True)
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        skipping = 0
        in_content = ""
        dropped: list[bool] = []
        for tok in block.children:
            if in_content:
                if tok.type == "html_inline" and _html_name(tok.content) == (in_content, True):
                    in_content = ""
                continue
            if skipping:
                skipping += 1 if tok.type == "link_open" else -1 if tok.type == "link_close" else 0
                continue
            if tok.type == "html_inline":
                name, closing = _html_name(tok.content)
                if name in DROPPED_WITH_CONTENT and not closing:
                    in_content = name
                    continue
                tok.content = strip_html(tok.content, ALLOWED_TAGS)
                out.append(tok)
            elif tok.type == "link_open":
                safe = safe_url(tok.attrs.get("href", ""))
                if not safe and tok.info == "auto":
                    skipping = 1
                    continue
                dropped.append(not safe)
                if safe:
                    out.append(tok)
            elif tok.type == "link_close":
                if not dropped.pop():
                    out.append(tok)
            elif tok.type == "image":
                text = Token("text", "", 0)
                text.content = "".join(c.content for c in tok.children or [] if c.type in ("text", "code_inline"))
                out.append(text)
            else:
                out.append(tok)
        block.children = out


def _heading_ids(state) -> None:
    used: set[str] = set()
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            name = _inline_text(tokens[i + 1])
            tok.attrSet("id", _unique(_slugify(name), used))
            tok.meta["name"] = html_lib.escape(" ".join(name.split()), quote=False)  # as the HTML shows it


def _inline_text(inline: Token) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def _slugify(value: str) -> str:
    # The same ids as Python-Markdown's toc extension gave, so existing anchors keep working.
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def _unique(slug: str, used: set[str]) -> str:
    base, n = slug, 0
    while slug in used or not slug:
        n += 1
        slug = f"{base}_{n}"
    used.add(slug)
    return slug


def _parser(ids: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    parser.enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True  # every link parses; _apply_policy decides what stays a link
    parser.core.ruler.push("modelcat_policy", _apply_policy)
    if ids:
        parser.core.ruler.push("modelcat_heading_ids", _heading_ids)
    parser.add_render_rule("fence", _fence)
    parser.add_render_rule("code_block", _code_block)
    return parser


_plain = _parser(ids=False)
_docs = _parser(ids=True)


# One line of prose with nothing Markdown or HTML would treat specially: it converts to
# "<p>text</p>" exactly (tests/test_markdown_fast.py proves it against the full path
# for generated text). Generated FAQ answers are such lines; skipping the parser for
# them saves most of a model page's Markdown time.
_PLAIN = re.compile("[A-Za-z\"'(][^\x00-\x1f\x7f\\\\`*_\\[\\]<>&#|~\u00a0\u0085\u2028\u2029]*")


def _is_plain(text: str) -> bool:
    return text == text.strip() and _PLAIN.fullmatch(text) is not None


@functools.lru_cache(maxsize=4096)
def _to_html(text: str) -> str:
    if _is_plain(text):
        return f"<p>{text}</p>"
    return _full_html(text)


def _full_html(text: str) -> str:
    return sanitize(_shift_headings(_plain.render(text))).strip()


def to_html(text: str | None) -> Markup:
    """Return record Markdown as sanitised HTML (headings shifted below the page's h1)."""
    if not text:
        return Markup("")
    return Markup(_to_html(text))


def doc_html(text: str) -> tuple[Markup, list[dict]]:
    """Return (sanitised HTML, table of contents of its h2 and h3) for a docs page."""
    tokens = _docs.parse(text)
    html = _docs.renderer.render(tokens, _docs.options, {})
    flat = [{"id": t.attrs["id"], "name": t.meta["name"], "level": int(t.tag[1]), "children": []}
            for t in tokens if t.type == "heading_open" and t.tag in ("h2", "h3")]
    return Markup(sanitize(_shift_headings(html)).strip()), _nest(flat)


def _nest(flat: list[dict]) -> list[dict]:
    out: list[dict] = []
    for entry in flat:
        if entry["level"] == 3 and out and out[-1]["level"] == 2:
            out[-1]["children"].append(entry)
        else:
            out.append(entry)
    return out


def _shift_headings(html: str) -> str:
    # The page owns <h1>; a record's "# Title" becomes <h2> so the outline stays valid.
    return re.sub(r"<(/?)h1([ >])", r"<\1h2\2", html)


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]*>", "", text)


# --- plain text into Markdown outputs ------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>])")


def _backslashed(match: re.Match) -> str:
    # a function, not the template r"\\\1": re expands a template at every match, at four
    # times the cost, and twins escape dozens of texts each
    return "\\" + match.group()


def inline_text(text: str | None) -> str:
    """Return plain text safe as one line of Markdown: newlines folded, syntax escaped."""
    if not text:
        return ""
    folded = " ".join(str(text).split())
    return _MD_SPECIAL.sub(_backslashed, folded)


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
    if _is_plain(markdown_text):  # "<p>text</p>": no tag to strip, no entity to decode
        return " ".join(markdown_text.split())
    html = _to_html(markdown_text)
    text = _strip_tags(html)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return " ".join(text.split())

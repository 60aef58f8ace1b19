"""A fast path for model and provider files: yaml_rs without positions, where it is provably safe.

The catalog is YAML as PyYAML (YAML 1.1) reads it, with positions (source.py);
that read costs ~200 us a record, most of the CPU of a cold validate. yaml_rs
(Rust, YAML 1.2) reads a record in ~20 us, but 1.2 reads some plain scalars
differently (`no`, `on`, `012`, `1e3`, `12:30`, dates), refuses duplicate keys
and has its own lexer. So `read_record` takes a file only when a pre-scan of its
text finds nothing outside a small subset of YAML in which both versions read
the same data:

- block mappings with identifier keys (a letter first), block sequences,
  one-line flow sequences of plain text or quoted items, `|` and `>` block
  scalars of at least one line and not last without a line break, one-line
  quoted scalars with the escapes \\\\ \\" \\n \\t, comments;
- plain scalars that are text starting with a letter (not a YAML 1.1 boolean
  word), `true`, `false`, `null`, decimal integers and decimals without an
  exponent, and dates YYYY-MM-DD (PyYAML makes them dates: so does `_dates`);
- no anchors, aliases, tags, merge keys, directives, document markers, flow
  mappings, multi-line plain or quoted scalars, lines of spaces in a block
  scalar, tabs, carriage returns, or characters Python does not count as
  printable (a subset of what libyaml accepts; NEL, LS, PS and BOM excluded);
- plain dates only where no quoted or block text reads YYYY-MM-DD too: which
  of those were plain is then known from the data alone.

Anything else, and any file whose data does not validate, goes to the exact path
(parse_yaml, then validate with positions), so every problem is reported as
before and this path only ever yields valid records. tests/test_fast_yaml.py and
the fast-path properties of tests/test_yaml_properties.py hold it to "admitted
text reads as parse_yaml reads it, types included"; benchmarks/yaml_parsers.py
measures it.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

try:  # optional: without it every file takes the exact path
    import yaml_rs
except ImportError:  # pragma: no cover - depends on the environment
    yaml_rs = None  # type: ignore[assignment]

__all__ = ["admit", "read_record", "read_data"]

_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_-]{0,99}):(?: +|$)")  # not `_0`: yaml_rs reads it as 0
# keys YAML 1.2 (yaml_rs) would read as a boolean or null, where parse_yaml keeps the text
_KEY_WORDS = frozenset("true True TRUE false False FALSE null Null NULL".split())
_DQ_BODY = r'[^"\\]*(?:\\[\\"nt][^"\\]*)*'  # (an unrolled loop: no alternation per character)
_SQ_BODY = r"[^']*(?:''[^']*)*"
_DQ = re.compile(rf'"({_DQ_BODY})"(?: *| +#.*)')
_SQ = re.compile(rf"'({_SQ_BODY})'(?: *| +#.*)")
_BLOCK = re.compile(r"[|>][-+]?")
_FLOW_ITEM = rf"""(?:"{_DQ_BODY}"|'{_SQ_BODY}'|[^\W\d_][^,\[\]{{}}#:"']*)"""
_FLOW = re.compile(rf"\[( *(?:{_FLOW_ITEM} *(?:, *{_FLOW_ITEM} *)*)?)\](?: *| +#.*)")
_FLOW_PLAIN = re.compile(r"""(?:^|,) *([^\W\d_][^,\[\]{}#:"']*?) *(?=,|$)""")
_FLOW_QUOTED = re.compile(rf"""(?:^|,) *(?:"({_DQ_BODY})"|'({_SQ_BODY})') *(?=,|$)""")
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})\.[0-9]{1,17}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SAME_WORDS = frozenset(("true", "false", "null"))
# YAML 1.1's booleans and nulls (PyYAML reads yes/no/on/off; the spec also lists y/n)
_WORDS_11 = frozenset("""y Y yes Yes YES n N no No NO true True TRUE false False FALSE
                         on On ON off Off OFF null Null NULL""".split())
MAX_INDENT = 64


def _valid_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _plain_ok(value: str, flow: bool) -> str | None:
    """Return "date", "same" or None (refused) for a plain scalar as written."""
    if value in _SAME_WORDS:
        return "same"
    # text: a letter first; no ": " (a mapping inside), no trailing ":" (a key)
    if value[:1].isalpha() and ": " not in value and value[-1] != ":":
        if value in _WORDS_11 or value.lower() in ("yes", "no", "on", "off", "true", "false", "null"):
            return None
        if flow and ":" in value:
            return None
        return "same"
    if flow:
        return None
    if _INT.fullmatch(value) or _FLOAT.fullmatch(value):
        return "same"
    if _DATE.fullmatch(value) and _valid_date(value):
        return "date"
    return None


# What one line outside a block scalar is: (kind, column, dates, indentation); kind is _SKIP
# (blank, comment), _NEST (`key:`, a block follows), _ONE (a one-line scalar: nothing deeper
# than its column may follow), _LITERAL or _FOLDED (a block scalar header); the column is the
# key's, or the dash's for an item without a key; dates: 1 a plain date, 2 a quoted one.
_SKIP, _NEST, _ONE, _LITERAL, _FOLDED = range(5)
_BLANK = (_SKIP, 0, 0, 0)
_lines: dict[str, tuple[int, int, int, int] | None] = {}


def _classify(line: str) -> tuple[int, int, int, int] | None:
    """Return what line is (see _lines), or None if it is outside the subset."""
    if not line.isprintable():
        return None  # Python's printable characters are a subset of what libyaml accepts
    rest = line.lstrip(" ")
    if not rest or rest[0] == "#":
        return _BLANK
    col = indent = len(line) - len(rest)
    if col > MAX_INDENT:
        return None
    item = rest[0] == "-"
    if item:
        if rest == "-" or rest[1] != " ":
            return None  # `-x`, `---`, an empty item: not worth the subset
        rest = rest[2:].lstrip(" ")
        if not rest or rest[0] == "#":
            return None
    m = _KEY.match(rest)
    if m is not None:
        if m.group(1) in _KEY_WORDS:
            return None
        col = len(line) - len(rest)  # the key's column: its mapping's indentation
        value = rest[m.end():]
        if not value or value[0] == "#":
            return (_NEST, col, 0, indent)  # a nested block (or null) follows
    elif item:
        value = rest  # the dash's column is the sequence's indentation
    else:
        return None  # neither a key nor an item: a bare scalar or something exotic
    first = value[0]
    if first == "|" or first == ">":
        if not _BLOCK.fullmatch(value):
            return None
        return (_FOLDED if first == ">" else _LITERAL, col, 0, indent)
    if first == '"' or first == "'":
        m = (_DQ if first == '"' else _SQ).fullmatch(value)
        if m is None:
            return None
        return (_ONE, col, 2 if _DATE.fullmatch(m.group(1)) else 0, indent)
    if first == "[":
        m = _FLOW.fullmatch(value)
        if m is None:
            return None
        inner = m.group(1)
        for word in _FLOW_PLAIN.findall(inner):
            if _plain_ok(word, True) is None:
                return None
        dates = any(_DATE.fullmatch(dq or sq) for dq, sq in _FLOW_QUOTED.findall(inner))
        return (_ONE, col, 2 if dates else 0, indent)
    cut = value.find(" #")
    if cut >= 0:
        value = value[:cut]
    kind = _plain_ok(value.rstrip(" "), False)
    if kind is None:
        return None
    return (_ONE, col, 1 if kind == "date" else 0, indent)


def admit(text: str) -> bool | None:
    """Return None if text is outside the subset, else whether it holds plain dates to convert."""
    lines = text.split("\n")
    dates = 0  # bit 1: a plain date; bit 2: a quoted or block scalar that reads as a date-like text
    limit = MAX_INDENT  # after a one-line scalar at column c, the next line must not be deeper than c
    known = _lines
    i, count = 0, len(lines)
    while i < count:
        line = lines[i]
        i += 1
        try:
            what = known[line]
        except KeyError:
            what = _classify(line)
            if len(known) > 50_000:
                known.clear()
            known[line] = what
        if what is None:
            return None
        kind, col, found, indent = what
        if kind == _SKIP:
            continue
        if indent > limit:
            return None
        dates |= found
        if kind == _ONE:
            limit = col
            continue
        limit = MAX_INDENT
        if kind == _NEST:
            continue
        # a block scalar: its lines are the ones deeper than col (and empty ones)
        inner = -1
        while i < count:
            body = lines[i]
            if not body:
                i += 1
                continue
            content = body.lstrip(" ")
            if not content or not content.isprintable():
                return None  # spaces only: how far they reach differs by parser
            depth = len(body) - len(content)
            if depth <= col:
                break
            if inner < 0:
                inner = depth
            elif depth != inner and (depth < inner or kind == _FOLDED):
                return None
            if len(content) < 16 and _DATE.fullmatch(content.rstrip(" ")):
                dates |= 2
            i += 1
        if inner < 0 or (i == count and lines[-1]):
            return None  # no line, or the file's last without a line break: the parsers disagree
    if dates == 3:
        return None  # which date-like texts were plain is more than the data tells
    return dates == 1


def _dates(value: Any) -> Any:
    """Turn each text value (not key) that is a date YYYY-MM-DD into the date, as PyYAML has it."""
    if type(value) is dict:
        for key, item in value.items():
            if type(item) is str:
                if len(item) == 10 and _DATE.fullmatch(item):
                    value[key] = datetime.date.fromisoformat(item)
            elif type(item) is dict or type(item) is list:
                _dates(item)
    elif type(value) is list:
        for index, item in enumerate(value):
            if type(item) is str:
                if len(item) == 10 and _DATE.fullmatch(item):
                    value[index] = datetime.date.fromisoformat(item)
            elif type(item) is dict or type(item) is list:
                _dates(item)
    elif type(value) is str and len(value) == 10 and _DATE.fullmatch(value):
        return datetime.date.fromisoformat(value)
    return value


def read_data(text: str) -> tuple[bool, Any]:
    """Return (True, the data PyYAML would read) for a text in the subset, else (False, None)."""
    if yaml_rs is None:
        return False, None
    plain_dates = admit(text)
    if plain_dates is None:
        return False, None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:  # noqa: BLE001 - any refusal, even a Rust panic (pyo3 raises those as
        return False, None  # BaseException), means: read it the exact way
    return True, (_dates(data) if plain_dates else data)


def read_record(cls, raw: bytes):
    """Return the validated record of one file's bytes, or None: then take the exact path."""
    if yaml_rs is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    ok, data = read_data(text)
    if not ok or not isinstance(data, dict):
        return None
    try:
        return cls.model_validate(data)
    except Exception:  # noqa: BLE001 - pydantic's ValidationError: the exact path words it
        return None

"""YAML text -> plain Python data plus a SourceMap of positions.

Built on the libyaml event stream (CSafeLoader where present) rather than
`yaml.load`, because we need what `yaml.load` throws away: where each value
is, duplicate keys (PyYAML keeps the last silently), which scalars were
unquoted (YAML 1.1 reads `no` as false and `3.10` as 3.1), and how big a
document becomes once aliases are expanded (an alias bomb is a few hundred
bytes that expand to millions of nodes). Aliased values are shared, never
copied, and their expanded size is counted so a bomb is refused before
anything walks it. tests/test_source.py and tests/test_yaml_properties.py
hold this module to "never raises, always locates".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

from ..problems import Problem
from .files import printable

try:  # libyaml is ~10x the pure-Python parser and still reports marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# A legitimate record has a few hundred nodes; allow generously more, in
# proportion to the text, and refuse documents that expand past it.
MAX_NODES_BASE = 100_000

Path_ = tuple  # a key path such as ("pricing", "input") or ("errors", 2, "status")


@dataclass
class SourceMap:
    """Where each value of one YAML file came from (1-based line and column)."""

    path: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Unquoted scalars that YAML turned into something other than a string,
    # with their text as written, for "did you mean the string 'no'?" messages.
    plain: dict[Path_, str] = field(default_factory=dict)

    def value_at(self, loc: Path_) -> tuple[int, int]:
        """Return the position of the value at loc, or of its nearest located parent."""
        for end in range(len(loc), -1, -1):  # () is located in a view of one list item
            pos = self.values.get(loc[:end])
            if pos:
                return pos
        return (1, 1)

    def key_at(self, loc: Path_) -> tuple[int, int]:
        """Return the position of the key at loc (falling back to its value, then parents)."""
        for end in range(len(loc), -1, -1):
            pos = self.keys.get(loc[:end]) or self.values.get(loc[:end])
            if pos:
                return pos
        return (1, 1)


def field_path(loc: tuple) -> str:
    """Return a dotted field path with list indexes in brackets: errors[2].status."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return printable(out)


class _Stop(Exception):
    """Raised inside the builder to abandon a document with one problem."""

    def __init__(self, mark, message: str, where: str = ""):
        self.mark = mark
        self.message = message
        self.where = where


_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _constructor.construct_yaml_timestamp,
}
_STR = "tag:yaml.org,2002:str"
_TAG_WORDS = {"null": "null", "bool": "true or false", "int": "a whole number", "float": "a number",
              "timestamp": "a date"}
_MERGE = "tag:yaml.org,2002:merge"


_plain_cache: dict[str, tuple[Any, bool]] = {}


def _scalar(event: ev.ScalarEvent) -> tuple[Any, bool]:
    """Return (value, was_plain_non_string) for a scalar event."""
    tag = event.tag
    if tag in (None, "!"):
        if tag == "!" or not event.implicit[0]:
            return event.value, False  # quoted, or non-specific tag: a string
        # Plain scalars repeat a lot (true, false, dates, prices): resolving
        # them is the loader's hottest step, and the results are immutable.
        hit = _plain_cache.get(event.value)
        if hit is not None:
            return hit
        tag = _resolver.resolve(yaml.ScalarNode, event.value, (True, False))
        if tag == _STR:
            result: tuple[Any, bool] = (event.value, False)
        else:
            result = _construct(event, tag, True)
        if len(_plain_cache) > 100_000:
            _plain_cache.clear()
        _plain_cache[event.value] = result
        return result
    return _construct(event, tag, False)


def _construct(event: ev.ScalarEvent, tag: str, plain: bool) -> tuple[Any, bool]:
    if tag == _STR:
        return event.value, False
    construct = _SCALAR_TAGS.get(tag)
    if construct is None:
        raise _Stop(event.start_mark, f"unsupported YAML tag {tag!r}; write plain values")
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    try:
        value = construct(node)
    except Exception:  # noqa: BLE001
        # an explicit tag (`!!int ''`, `!!timestamp x`) hands PyYAML's constructors text
        # their resolver never matched; they fail with IndexError, AttributeError, ...
        name = tag.rsplit(":", 1)[-1]
        raise _Stop(event.start_mark, f"cannot read {event.value!r} as {_TAG_WORDS.get(name, name)}")
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value, plain


_MERGE_KEY = object()  # marks a pending `<<` merge key


class _Frame:
    __slots__ = ("kind", "value", "path", "anchor", "size", "key", "key_mark", "mark", "merged")

    def __init__(self, kind, value, path, anchor, mark):
        self.kind = kind  # "map" or "seq"
        self.value = value
        self.path = path
        self.anchor = anchor
        self.size = 1
        self.key = None  # pending key of a mapping, None while waiting for one
        self.key_mark = None
        self.mark = mark
        self.merged: set = set()  # keys a `<<` merge supplied; an explicit key may override them


def parse_yaml(text: str, display: str) -> tuple[Any, SourceMap, list[Problem]]:
    """Return (data, source map, problems) for one YAML document; never raises."""
    sm = SourceMap(display)
    problems: list[Problem] = []

    def report(mark, message: str, where: str = "") -> None:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problems.append(Problem(display, line, col, where, message))

    limit = MAX_NODES_BASE + len(text)
    loader = _Loader(text)
    root: Any = None
    documents = 0
    try:
        stack: list[_Frame] = []
        anchors: dict[str, tuple[Any, int]] = {}
        total = 0

        def add(value, size, mark, anchor=None, plain_text=None, count=None):
            nonlocal root, total
            total += size if count is None else count
            if total > limit:
                raise _Stop(mark, f"document expands to more than {limit:,} values through aliases")
            if anchor is not None:
                anchors[anchor] = (value, size)
            if not stack:
                root = value
                return
            parent = stack[-1]
            parent.size += size
            if parent.kind == "seq":
                path = parent.path + (len(parent.value),)
                sm.values[path] = (mark.line + 1, mark.column + 1)
                if plain_text is not None:
                    sm.plain[path] = plain_text
                parent.value.append(value)
                return
            key = parent.key
            parent.key = None
            if key is _MERGE_KEY:
                for item in value if isinstance(value, list) else [value]:
                    if not isinstance(item, dict):
                        raise _Stop(mark, "a merge key (<<) needs a mapping or a list of mappings")
                    for k, v in item.items():
                        if k not in parent.value:
                            parent.value[k] = v
                            parent.merged.add(k)
                return
            path = parent.path + (key,)
            sm.keys[path] = parent.key_mark
            sm.values[path] = (mark.line + 1, mark.column + 1)
            if plain_text is not None:
                sm.plain[path] = plain_text
            parent.value[key] = value

        def add_key(event) -> None:
            parent = stack[-1]
            key = event.value
            mark = event.start_mark
            if key == "<<" and event.implicit[0] and event.tag is None:
                parent.key = _MERGE_KEY
                return
            path = parent.path + (key,)
            if key in parent.merged:
                parent.merged.discard(key)  # YAML: explicit keys override merged ones
            elif key in parent.value:
                first = sm.keys.get(path, (0, 0))[0]
                report(mark, f"duplicate key {key!r} (first at line {first}); "
                             "YAML would silently keep only the last", field_path(path))
            parent.key = key
            parent.key_mark = (mark.line + 1, mark.column + 1)

        while loader.check_event():
            event = loader.get_event()
            cls = type(event)
            if cls is ev.ScalarEvent:
                parent = stack[-1] if stack else None
                if parent is not None and parent.kind == "map" and parent.key is None:
                    # keys keep their text as written: `no:` is the key "no", not False
                    add_key(event)
                    continue
                try:
                    value, plain = _scalar(event)
                except _Stop as stop:
                    if parent is None:
                        raise
                    index = parent.key if parent.kind == "map" else len(parent.value)
                    raise _Stop(stop.mark, stop.message, field_path(parent.path + (index,)))
                add(value, 1, event.start_mark, event.anchor,
                    plain_text=event.value if plain else None)
            elif cls is ev.MappingStartEvent or cls is ev.SequenceStartEvent:
                if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    raise _Stop(event.start_mark, f"unsupported YAML tag {event.tag!r}")
                parent = stack[-1] if stack else None
                if parent is not None and parent.kind == "map" and parent.key is None:
                    raise _Stop(event.start_mark, "a mapping key must be plain text")
                if parent is None:
                    path = ()
                elif parent.kind == "map":
                    path = parent.path + (parent.key,)
                else:
                    path = parent.path + (len(parent.value),)
                is_map = cls is ev.MappingStartEvent
                stack.append(_Frame("map" if is_map else "seq", {} if is_map else [],
                                    path, event.anchor, event.start_mark))
            elif cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
                frame = stack.pop()
                add(frame.value, frame.size, frame.mark, frame.anchor, count=1)
            elif cls is ev.AliasEvent:
                if event.anchor not in anchors:
                    raise _Stop(event.start_mark, f"unknown alias *{event.anchor}")
                value, size = anchors[event.anchor]
                parent = stack[-1] if stack else None
                if parent is not None and parent.kind == "map" and parent.key is None:
                    raise _Stop(event.start_mark, "an alias cannot be a mapping key here")
                add(value, size, event.start_mark)
            elif cls is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Stop(event.start_mark, "only one YAML document per file (found '---' again)")
    except _Stop as stop:
        report(stop.mark, stop.message, stop.where)
        return None, sm, problems
    except yaml.MarkedYAMLError as exc:
        report(exc.problem_mark, _yaml_message(exc, text))
        return None, sm, problems
    except yaml.YAMLError as exc:  # ReaderError: bad characters, with a character index
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        problems.append(Problem(display, line, col, "", _yaml_message(exc, text)))
        return None, sm, problems
    except RecursionError:  # pragma: no cover - libyaml caps nesting first
        report(None, "document nests too deeply")
        return None, sm, problems
    finally:
        loader.dispose()
    if problems:
        return None, sm, problems
    return root, sm, problems


def _yaml_message(exc: yaml.YAMLError, text: str) -> str:
    """Return a one-line, user-facing rendering of a PyYAML error."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    mark = getattr(exc, "problem_mark", None)
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return "tab character; YAML indents with spaces only"
    if isinstance(exc, yaml.reader.ReaderError):
        return f"character not allowed in YAML: {exc.reason}"
    message = f"YAML syntax: {problem}"
    if context:
        message += f" ({context})"
    return " ".join(message.split())


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def decode(raw: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """Return the UTF-8 text of raw, or a located problem for the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start]
        line = head.count(b"\n") + 1
        col = len(head[head.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        return None, [Problem(display, line, col, "",
                              f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []

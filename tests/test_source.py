"""YAML text -> data plus positions: generator.records.source never raises, always locates."""

from __future__ import annotations

import datetime
import time

import pytest

from generator.records.source import MAX_NODES_BASE, SourceMap, decode, field_path, parse_yaml


def parse(text: str):
    data, sm, problems = parse_yaml(text, "f.yaml")
    return data, sm, [p.format() for p in problems]


def test_values_and_keys_are_located():
    data, sm, problems = parse("name: x\npricing:\n  input: 0.5\nerrors:\n  - {status: 401}\n  - status: 402\n")
    assert problems == []
    assert data == {"name": "x", "pricing": {"input": 0.5}, "errors": [{"status": 401}, {"status": 402}]}
    assert sm.values[("name",)] == (1, 7)
    assert sm.keys[("pricing", "input")] == (3, 3)
    assert sm.values[("pricing", "input")] == (3, 10)
    assert sm.values[("errors", 0)] == (5, 5)
    assert sm.values[("errors", 0, "status")] == (5, 14)
    assert sm.keys[("errors", 1, "status")] == (6, 5)


def test_positions_fall_back_to_the_nearest_parent():
    _, sm, _ = parse("pricing:\n  input: 1\n")
    assert sm.value_at(("pricing", "output")) == (2, 3)
    assert sm.key_at(("pricing", "input")) == (2, 3)
    assert sm.key_at(("nothing", "here")) == (1, 1)
    assert SourceMap("x").value_at(()) == (1, 1)


def test_unquoted_non_strings_remember_their_text():
    data, sm, problems = parse('a: no\nb: 3.10\nc: "no"\nd: 2024-01-02\ne: ~\nf: text\n')
    assert problems == []
    assert data == {"a": False, "b": 3.1, "c": "no", "d": datetime.date(2024, 1, 2), "e": None, "f": "text"}
    assert sm.plain == {("a",): "no", ("b",): "3.10", ("d",): "2024-01-02", ("e",): "~"}


def test_keys_keep_their_text():
    data, _, problems = parse("no: 1\n3.10: 2\ntrue: 3\n")
    assert problems == []
    assert data == {"no": 1, "3.10": 2, "true": 3}


def test_timezone_aware_timestamps_become_naive():
    data, _, problems = parse("a: 2024-01-02T03:04:05+02:00\n")
    assert problems == []
    assert data["a"].tzinfo is None


@pytest.mark.parametrize("text, expected", [
    ("a: [1\n", "f.yaml:2:1: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)"),
    ("a: 1\n b: 2\n", "f.yaml:2:3: YAML syntax: mapping values are not allowed in this context"),
    ("a:\n\tb: 1\n", "f.yaml:2:1: tab character; YAML indents with spaces only"),
    ("a: 1\na: 2\n", "f.yaml:2:1: a: duplicate key 'a' (first at line 1); YAML would silently keep only the last"),
    ("e:\n  - {x: 1, x: 2}\n",
     "f.yaml:2:12: e[0].x: duplicate key 'x' (first at line 2); YAML would silently keep only the last"),
    ("a: 1\n---\nb: 2\n", "f.yaml:2:1: only one YAML document per file (found '---' again)"),
    ("a: !!binary aGk=\n", "f.yaml:1:4: a: unsupported YAML tag 'tag:yaml.org,2002:binary'; write plain values"),
    ("a: !custom 1\n", "f.yaml:1:4: a: unsupported YAML tag '!custom'; write plain values"),
    ("a: !!set {x}\n", "f.yaml:1:4: unsupported YAML tag 'tag:yaml.org,2002:set'"),
    ("a: !!int twelve\n", "f.yaml:1:4: a: cannot read 'twelve' as a whole number"),
    ("a: [!!float x]\n", "f.yaml:1:5: a[0]: cannot read 'x' as a number"),
    ("a: !!timestamp x\n", "f.yaml:1:4: a: cannot read 'x' as a date"),
    ("a: !!int\n", "f.yaml:1:4: a: cannot read '' as a whole number"),
    ("a: 2024-02-30\n", "f.yaml:1:4: a: cannot read '2024-02-30' as a date"),
    ("a: *x\n", "f.yaml:1:4: unknown alias *x"),
    ("a: &x 1\n*x : 2\n", "f.yaml:2:1: an alias cannot be a mapping key here"),
    ("[a]: 1\n", "f.yaml:1:1: a mapping key must be plain text"),
    ("<<: 1\n", "f.yaml:1:5: a merge key (<<) needs a mapping or a list of mappings"),
    ("a: \x07\n", "f.yaml:1:4: character not allowed in YAML: control characters are not allowed"),
    ('a: "\\ud800"\n',
     "f.yaml:1:7: YAML syntax: found invalid Unicode character escape code (while parsing a quoted scalar)"),
], ids=["flow", "indent", "tab", "duplicate", "duplicate-in-list", "two-documents", "binary", "local-tag",
        "set", "bad-int", "bad-float", "bad-timestamp", "empty-int", "impossible-date", "unknown-alias", "alias-key",
        "complex-key", "bad-merge", "control-char", "bad-escape"])
def test_problem_is_located(text, expected):
    data, _, problems = parse(text)
    assert data is None
    assert problems == [expected]


def test_every_duplicate_key_is_reported():
    _, _, problems = parse("a: 1\nb: 2\na: 3\nb: 4\n")
    assert problems == [
        "f.yaml:3:1: a: duplicate key 'a' (first at line 1); YAML would silently keep only the last",
        "f.yaml:4:1: b: duplicate key 'b' (first at line 2); YAML would silently keep only the last",
    ]


def test_merge_keys_yield_to_explicit_keys():
    data, _, problems = parse("base: &b {x: 1, y: 2}\na:\n  <<: *b\n  x: 3\nc:\n  x: 4\n  <<: *b\n")
    assert problems == []
    assert data["a"] == {"x": 3, "y": 2} and data["c"] == {"x": 4, "y": 2}


def test_merged_key_given_twice_explicitly_is_a_duplicate():
    _, _, problems = parse("base: &b {x: 1}\na:\n  <<: *b\n  x: 2\n  x: 3\n")
    assert problems == [
        "f.yaml:5:3: a.x: duplicate key 'x' (first at line 4); YAML would silently keep only the last"]


def test_aliases_share_rather_than_copy():
    data, _, problems = parse("a: &x [1, 2]\nb: *x\n")
    assert problems == []
    assert data["a"] is data["b"]


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
    assert len(bomb) < 500  # expands to 10**9 values
    start = time.perf_counter()
    data, _, problems = parse(bomb)
    assert time.perf_counter() - start < 2
    assert data is None
    assert problems == [f"f.yaml:5:36: document expands to more than {MAX_NODES_BASE + len(bomb):,} "
                        "values through aliases"]


def test_many_small_aliases_are_fine():
    text = "a: &a {x: 1}\nitems:\n" + "".join("  - *a\n" for _ in range(1000))
    data, _, problems = parse(text)
    assert problems == []
    assert len(data["items"]) == 1000


@pytest.mark.parametrize("text", ["", "   \n", "# comment\n", "---\n", "--- \n...\n"])
def test_empty_documents_are_none(text):
    assert parse(text)[0] is None and parse(text)[2] == []


def test_nesting_is_capped_by_the_parser():
    _, _, problems = parse("[" * 100_000)
    assert problems == ["f.yaml:1:1001: YAML syntax: exceeded maximum nesting depth (while increasing flow level)"]


def test_field_path():
    assert field_path(("errors", 2, "status")) == "errors[2].status"
    assert field_path((0, "where", "provider")) == "[0].where.provider"
    assert field_path(()) == ""


# --- bytes -> text ----------------------------------------------------------------

def test_decode_accepts_utf8_and_drops_a_bom():
    assert decode("a: é\n".encode(), "f") == ("a: é\n", [])
    assert decode(b"\xef\xbb\xbfa: 1\n", "f") == ("a: 1\n", [])


@pytest.mark.parametrize("raw, expected", [
    (b"a: 1\nb: caf\xe9\n", "f:2:7: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    (b"\xff\xfea\x00", "f:1:1: not UTF-8 text (byte 0xff); save the file as UTF-8"),
    ("a: é\nb: ü".encode() + b"\x80", "f:2:5: not UTF-8 text (byte 0x80); save the file as UTF-8"),
], ids=["latin-1", "utf-16", "after-multibyte"])
def test_decode_locates_the_first_bad_byte(raw, expected):
    text, problems = decode(raw, "f")
    assert text is None
    assert [p.format() for p in problems] == [expected]

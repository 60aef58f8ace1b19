"""Whatever the bytes, reading the catalog returns problems and never raises.

Three kinds of input: any text; YAML-ish text from a grammar of the characters
that steer YAML (keys, colons, dashes, brackets, quotes, tabs, anchors, aliases,
tags, newlines); and any bytes as a whole catalog file. Plus one positive
property: data written by a YAML emitter reads back as written.
"""

from __future__ import annotations

import datetime
import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest

from conftest import MODEL_PATH, make_project, valid_files
from generator.catalog import check_catalog, load_catalog
from generator.problems import CatalogError, Problem
from generator.records.load import load_records
from generator.records.source import parse_yaml

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = [
    # keys and words, including the YAML 1.1 traps and the record's own keys
    "a", "b", "id", "name", "pricing", "input", "no", "on", "yes", "3.10", "0x1F", "1e400", ".inf",
    "~", "null", "2024-13-45", "2024-09-25", "12:30", "<<",
    # structure
    ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "? ", "|", ">-", "#", " #", "---", "...", "%YAML 1.1",
    # quoting and escapes
    "'", '"', "\\", '\\x00', '\\ud800', "''",
    # whitespace that matters
    "\n", "\n  ", "\n    ", "  ", " ", "\t", "\r\n", "\ufeff", "\x85", "\u2028",
    # anchors, aliases and tags
    "&a ", "*a", "&b ", "*b", "!!str ", "!!int ", "!!float ", "!!timestamp ", "!!binary ", "!!map ",
    "!!python/object:os.system ", "!x ", "! ",
]

yamlish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(string.printable, max_size=3)),
                   max_size=60).map("".join)


def assert_well_formed(text: str, result) -> None:
    data, sm, problems = result
    assert isinstance(problems, list)
    for p in problems:
        assert isinstance(p, Problem)
        assert p.path == "f.yaml"
        assert p.line >= 1 and p.col >= 1
        assert "\n" not in p.format()
    if problems:
        assert data is None


@SETTINGS
@given(st.text())
def test_parse_yaml_never_raises_on_any_text(text):
    assert_well_formed(text, parse_yaml(text, "f.yaml"))


@SETTINGS
@given(yamlish)
def test_parse_yaml_never_raises_on_yamlish_text(text):
    assert_well_formed(text, parse_yaml(text, "f.yaml"))


# PyYAML's emitter writes NEL and the Unicode line separators raw inside quotes, where
# every YAML reader (its own included) folds them: not a property of our reader.
emittable = st.text(st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029"), max_size=20)
scalars = st.one_of(
    emittable, st.integers(), st.booleans(), st.none(),
    st.floats(allow_nan=False, allow_infinity=False), st.dates(),
)
keys = st.text(st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029"), min_size=1, max_size=10)
documents = st.dictionaries(
    keys,
    st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                  st.dictionaries(keys, inner, max_size=4)),
                 max_leaves=12),
    max_size=6)


@SETTINGS
@given(documents, st.sampled_from([None, True, False]))
def test_emitted_yaml_reads_back_with_every_value_located(doc, flow):
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    data, sm, problems = parse_yaml(text, "f.yaml")
    assert problems == []
    assert data == doc
    lines = text.count("\n") + 1
    for key in doc:
        line, col = sm.value_at((key,))
        assert 1 <= line <= lines and col >= 1


# --- whole files through the loader ----------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("props"), valid_files())


def _load_with(project, rel: str, raw: bytes) -> None:
    (project / "catalog" / rel).write_bytes(raw)
    records = load_records(project)
    assert all(isinstance(p, Problem) for p in records.problems)
    _, problems = check_catalog(project)  # and the checks across records
    assert all(p.path.startswith("catalog/") for p in problems)
    try:  # and, when it is valid, the resolved site
        load_catalog(project)
    except CatalogError as exc:
        assert exc.exit_code == 1 and exc.problems


@SETTINGS
@given(st.binary(max_size=2000))
def test_load_records_never_raises_on_any_bytes(project, raw):
    _load_with(project, "models/meta/fuzz.yaml", raw)


@SETTINGS
@given(yamlish.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_load_records_never_raises_on_yamlish_files(project, raw):
    _load_with(project, "providers/fuzz.yaml", raw)


@SETTINGS
@given(st.sampled_from(sorted(valid_files())), st.data())
def test_load_records_never_raises_when_a_valid_file_is_mangled(project, rel, data):
    """Splice arbitrary text into a real record, so the fuzz reaches deep into validation."""
    text = valid_files()[rel]
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 20))
    insert = data.draw(yamlish)
    (project / "catalog" / MODEL_PATH).write_text(valid_files()[MODEL_PATH], encoding="utf-8")
    try:
        _load_with(project, rel, (text[:at] + insert + text[at + cut:]).encode("utf-8", "surrogatepass"))
    finally:
        (project / "catalog" / rel).write_text(text, encoding="utf-8")


def test_dates_are_dates():
    """st.dates() round-trips as datetime.date, the type the schema wants."""
    data, _, _ = parse_yaml(yaml.safe_dump({"d": datetime.date(2024, 1, 2)}), "f.yaml")
    assert data == {"d": datetime.date(2024, 1, 2)}


# --- the fast path (generator.records.fast) reads what the exact path reads -----------------

def _fast_agrees(text: str) -> None:
    from generator.records import fast

    ok, data = fast.read_data(text)
    if ok:
        exact, _, problems = parse_yaml(text, "f.yaml")
        assert problems == [] and data == exact
        assert repr(data) == repr(exact)  # types too: True is 1, 1.0 is 1 to ==


@SETTINGS
@given(yamlish)
def test_fast_path_reads_yamlish_text_as_the_exact_path_or_not_at_all(text):
    _fast_agrees(text)


words = st.from_regex(r"[A-Za-z][A-Za-z0-9 .,&'/-]{0,12}[A-Za-z0-9]", fullmatch=True)
record_like = st.dictionaries(
    st.from_regex(r"[a-z_][a-z0-9_-]{0,8}", fullmatch=True),
    st.recursive(st.one_of(words, st.integers(-10**6, 10**6), st.booleans(), st.none(), st.dates(),
                           st.floats(0, 1000, allow_nan=False).map(lambda f: round(f, 3))),
                 lambda inner: st.one_of(st.lists(inner, max_size=4),
                                         st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True),
                                                         inner, max_size=4)),
                 max_leaves=12),
    min_size=1, max_size=6)


@SETTINGS
@given(st.one_of(documents, record_like), st.sampled_from([None, True, False]))
def test_fast_path_reads_emitted_yaml_as_the_exact_path_or_not_at_all(doc, flow):
    _fast_agrees(yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True, sort_keys=False))


@SETTINGS
@given(st.sampled_from(sorted(valid_files())), st.data())
def test_fast_path_reads_a_mangled_record_as_the_exact_path_or_not_at_all(rel, data):
    text = valid_files()[rel]
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 20))
    insert = data.draw(st.one_of(yamlish, st.sampled_from(TOKENS)))
    _fast_agrees(text[:at] + insert + text[at + cut:])

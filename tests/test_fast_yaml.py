"""The fast path (generator.records.fast): yaml_rs where it reads what PyYAML reads, else the exact path.

The property: whenever the pre-scan admits a text, the fast path's data is the
exact path's (parse_yaml), types included, and the exact path finds no problem
in it. Then: a whole generated catalog loads to the same records with and
without it, and files that fail validation get the exact path's messages.
"""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate_catalog
from conftest import MODEL_PATH, make_project, valid_files
from generator.records import fast, load
from generator.records.load import load_records
from generator.records.source import parse_yaml

pytestmark = pytest.mark.skipif(fast.yaml_rs is None, reason="yaml_rs is not installed")

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same(a, b) -> bool:
    """Equal, and of the same types all the way down (True == 1 and 1.0 == 1 in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (a.keys() == b.keys() and sorted(map(repr, a)) == sorted(map(repr, b))
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def check_admitted(text: str) -> bool:
    """Assert the property for text; return whether the fast path took it."""
    ok, data = fast.read_data(text)
    if ok:
        exact, _, problems = parse_yaml(text, "f.yaml")
        assert problems == [], f"admitted, but the exact path finds {problems[0].format()}"
        assert same(data, exact), f"admitted, but read as {data!r}, not {exact!r}"
    return ok


# --- documents from the catalog's vocabulary and YAML's traps ------------------------------

# Mostly what the fast path takes (so that the property says something), plus the traps.
SAFE_KEYS = ["id", "name", "input", "as_of", "a", "b", "x_y", "k-1", "no", "on", "yes", "y", "inf"]
TRAP_KEYS = ["true", "True", "null", "Null", "<<", "1", "_0", "_x", "a b", "&x", "!k", "?", "'q'"]
SAFE_WORDS = ["text", "Lumo Flash 4", "Q&A", "C# code", "a#b", "http://x.y/z?a=1", "a:b", "x [y] {z}",
              "it's", 'say "hi"', "é", "Ünïcode", "nO", "true", "false", "null", "0", "7", "-3", "12",
              "3.10", "0.5", "-0", "-0.0", "123456789012345678", "2024-09-25", "2024-05", "x\\y"]
TRAP_WORDS = ["no", "No", "NO", "on", "On", "off", "OFF", "yes", "Yes", "y", "Y", "n", "True", "TRUE",
              "False", "Null", "NULL", "~", "012", "0o7", "0x1F", "0b11", "1_000", "+1", "1e3", "1.5e3",
              "1E3", "1.0e+3", ".5", "1.", "00", "12:30", "1:30:00", "190:20:30", "2024-9-5", "2024-13-45",
              "2024-02-30", "2024-09-25T10:00:00Z", "2024-09-25 10:00:00", ".inf", "-.inf", ".Inf", ".nan",
              ".NaN", "inf", "nan", "=", "<<", "&a x", "*a", "!!str x", "!x y", "! x", "%x", "@x", "`x`",
              "a: b", "a #c", "x:", "-", "- x", "?", "? x", "[a]", "{a: 1}", "|", ">",
              "99999999999999999999", "1234567890123456789", "tab\there", "nbsp\u00a0x", "a\u2028b",
              "\x85", "\ufeffx", "\x7f", "cr\rx", ""]


def mostly(safe: list[str], traps: list[str], one_in: int = 15):
    return st.integers(1, one_in).flatmap(lambda i: st.sampled_from(traps if i == 1 else safe))


KEY = mostly(SAFE_KEYS, TRAP_KEYS)
# A document holds safe words and a few TRAPWORD places, of which document() fills one with a
# trap: one trap in an otherwise admissible document is what tests the pre-scan's every word.
WORD = mostly(SAFE_WORDS, ["TRAPWORD"], 4)


def plain(w: str) -> str:
    return w


def double(w: str) -> str:
    return json.dumps(w, ensure_ascii=False)


def single(w: str) -> str:
    return "'" + w.replace("'", "''") + "'"


scalar = st.builds(lambda form, w: form(w), st.sampled_from([plain, plain, plain, double, single]), WORD)
FLOW_WORDS = ["text", "Lumo Flash 4", "Q&A", "é", "nO", "true", "false", "null"]
flow_scalar = st.builds(lambda form, w: form(w), st.sampled_from([plain, plain, plain, double, single]),
                        mostly(FLOW_WORDS, ["TRAPWORD"], 4))


@st.composite
def flow_list(draw) -> str:
    items = draw(st.lists(flow_scalar, max_size=4))
    sep = draw(st.sampled_from([", ", ",", " , "]))
    return "[" + sep.join(items) + "]" + draw(st.sampled_from(["", "", " # c", "  "]))


@st.composite
def block(draw, indent: int) -> list[str]:
    header = draw(mostly(["|", "|-", "|+", ">", ">-", ">+"], ["|2", "> # c", "|-1", ">x"]))
    lines = [header]
    for _ in range(draw(mostly([1, 2, 3, 4], [0]))):
        deeper = draw(mostly([2], [4, 0, 1, 3], 4))
        word = draw(st.one_of(WORD, st.sampled_from(["- item", "* item", "key: value", "# not a comment"])))
        lines.append(" " * (indent + deeper) + word if draw(st.integers(0, 5)) else "")
    return lines


@st.composite
def value(draw, indent: int, depth: int) -> list[str]:
    """The lines of one value: the first is what follows `key: ` (or `- `)."""
    kinds = ["scalar", "scalar", "flow", "block", "empty"] + (["map", "seq"] if depth < 3 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "scalar":
        return [draw(scalar) + draw(st.sampled_from(["", "", " # c", "   "]))]
    if kind == "flow":
        return [draw(flow_list())]
    if kind == "block":
        return draw(block(indent))
    if kind == "empty":
        return [""]
    step = draw(mostly([2, 4, 0] if kind == "seq" else [2, 4], [1, 3]))
    inner = mapping(indent + step, depth + 1) if kind == "map" else sequence(indent + step, depth + 1)
    return [""] + draw(inner)


@st.composite
def mapping(draw, indent: int = 0, depth: int = 0) -> list[str]:
    out = []
    for key in draw(st.lists(KEY, min_size=1, max_size=5)):
        first, *rest = draw(value(indent, depth))
        out.append(" " * indent + key + ":" + (" " + first if first else ""))
        out += rest
        if draw(st.integers(0, 8)) == 0:
            out.append(draw(st.sampled_from(["", "# comment", "   ", "  # indented comment"])))
    return out


@st.composite
def sequence(draw, indent: int, depth: int) -> list[str]:
    out = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()) and depth < 3:  # - key: value, the mapping at indent + 2
            first, *rest = draw(mapping(indent + 2, depth + 1))
            out.append(" " * indent + "- " + first.lstrip(" "))
            out += rest
        else:
            first, *rest = draw(value(indent, depth))
            out.append(" " * indent + "-" + (" " + first if first else ""))
            out += rest
    return out


@st.composite
def document(draw) -> str:
    lines = draw(mapping())
    if draw(st.integers(0, 5)) == 0 and lines:  # shift one line: structure the parsers may disagree on
        i = draw(st.integers(0, len(lines) - 1))
        shift = draw(st.sampled_from([-2, -1, 1, 2]))
        lines[i] = lines[i][-shift:] if shift < 0 else " " * shift + lines[i]
    head = draw(mostly(["", "# c\n"], ["---\n", "%YAML 1.1\n---\n", "\ufeff"]))
    text = head + "\n".join(lines) + draw(mostly(["\n", "", "\n\n"], ["\n...\n", "\n---\n"]))
    if draw(st.integers(0, 3)):
        text = text.replace("TRAPWORD", draw(st.sampled_from(TRAP_WORDS)), 1)
    return text.replace("TRAPWORD", "text")


@SETTINGS
@given(document())
def test_an_admitted_document_reads_as_pyyaml_reads_it(text):
    check_admitted(text)


FORMS = [plain, double, single]
CONTEXTS = ["k: {}\n", "k: [{}]\n", "k: [a, {}, b]\n", "k:\n- {}\n", "k:\n  - {}\n  - x\n", "k:\n  j: {}\n",
            "- k: {}\n  j: 1\n", "k: |\n  {}\n", "k: >-\n  a\n  {}\n", "{}: 1\n"]


def test_every_word_in_every_form_and_place():
    """Each word of the vocabulary, plain and quoted, as a value, an item, a key and in a block."""
    admitted = 0
    for word in SAFE_WORDS + TRAP_WORDS + SAFE_KEYS + TRAP_KEYS:
        for form in FORMS:
            for context in CONTEXTS:
                admitted += check_admitted(context.replace("{}", form(word), 1))
    assert admitted > 300


def test_the_vocabulary_reaches_the_fast_path():
    """The property is not vacuous: catalog-like documents are admitted, traps are not."""
    admitted = ["name: Lumo Flash 4\nreleased: 2024-09-25\nprice: 0.5\ncount: 12\nok: true\nnone:\n",
                "tags: [a, 'b', \"c d\"]\nitems:\n- x\n- y: 1\n  z: text\ndescription: |\n  - no\n  on: 1\n",
                "summary: >-\n  Part of the family,\n  a model.\nknowledge_cutoff: \"2024-05\"\n"]
    refused = ["a: no\n", "a: On\n", "a: y\n", "a: 1e3\n", "a: 12:30\n", "a: 012\n", "a: 0o7\n", "a: ~\n",
               "a: .inf\n", "a: 1_000\n", "a: 2024-09-25T10:00:00\n", "a: 2024-02-30\n", "a: &x 1\nb: *x\n",
               "<<: {a: 1}\n", "a: !!str 1\n", "a: 1\na: 2\n", "---\na: 1\n", "a: {b: 1}\n", "a: b\n  c\n",
               "a: \"x\n  y\"\n", "a:\tb\n", "a: b\r\n", "true: 1\n", "a: '2024-09-25'\nb: 2024-09-25\n",
               "a: |\n   x\n  y\n", "a: >\n  x\n    y\n", "a: \"\\x41\"\n"]
    assert [t for t in admitted if not check_admitted(t)] == []
    assert [t for t in refused if check_admitted(t)] == []


def test_plain_dates_become_dates_and_quoted_ones_stay_text():
    assert fast.read_data("a: 2024-09-25\nb: [x]\n") == (True, {"a": datetime.date(2024, 9, 25), "b": ["x"]})
    assert fast.read_data("a: '2024-09-25'\n") == (True, {"a": "2024-09-25"})
    assert fast.read_data("a: |-\n  2024-09-25\nb: 2024-09-25\n") == (False, None)


# --- whole catalogs ---------------------------------------------------------------------------

def _load(project, monkeypatch, use_fast: bool, workers: int = 1):
    with monkeypatch.context() as m:
        if not use_fast:
            m.setattr(fast, "yaml_rs", None)
        return load_records(project, workers=workers)


@pytest.mark.parametrize("n, workers", [(60, 1), (load.PARALLEL_MIN, 2)])
def test_a_generated_catalog_loads_the_same_records_with_and_without_the_fast_path(
        tmp_path, monkeypatch, n, workers):
    generate_catalog(tmp_path / "catalog", n=n, seed=3)
    taken = []
    read_record = fast.read_record

    def counting(cls, raw):
        rec = read_record(cls, raw)
        taken.append(rec is not None)
        return rec

    monkeypatch.setattr(fast, "read_record", counting)
    with_fast = _load(tmp_path, monkeypatch, True, workers)
    without = _load(tmp_path, monkeypatch, False, workers)
    assert with_fast.problems == without.problems == []
    assert with_fast.models == without.models and len(with_fast.models) == n
    assert with_fast.providers == without.providers
    assert with_fast.site == without.site and with_fast.collections == without.collections
    if workers == 1:  # (in workers the count stays in the workers)
        assert taken and all(taken)  # every model and provider file took the fast path


BROKEN = [  # admitted by the pre-scan, refused by validation: the exact path words each problem
    ("pricing:\n  input: 0.015", "pricing:\n  input: -1"),
    ("name: Llama-3.2-1b-Instruct", "name: 2024-09-25"),
    ("name: Llama-3.2-1b-Instruct", "name: 12"),
    ("context: 128000", "context: 128000.5"),
    ("streaming: true", "streaming: maybe"),
    ("id: meta/llama-3.2-1b-instruct", "id: Meta/Llama"),
    ("released: 2024-09-25", "released: '2024-9-25'"),
    ("released: 2024-09-25", "relased: 2024-09-25"),
]


@pytest.mark.parametrize("old, new", BROKEN)
def test_a_file_that_fails_validation_gets_the_exact_paths_messages(tmp_path, monkeypatch, old, new):
    files = valid_files()
    assert files[MODEL_PATH].count(old) == 1
    files[MODEL_PATH] = files[MODEL_PATH].replace(old, new)
    assert fast.admit(files[MODEL_PATH]) is not None  # the fast path tries it, and must hand it on
    project = make_project(tmp_path, files)
    with_fast = _load(project, monkeypatch, True)
    without = _load(project, monkeypatch, False)
    assert with_fast.problems and [p.format() for p in with_fast.problems] == \
        [p.format() for p in without.problems]
    assert with_fast.invalid == without.invalid == {"model:meta/llama-3.2-1b-instruct"}


def test_without_yaml_rs_every_file_takes_the_exact_path(tmp_path, monkeypatch):
    project = make_project(tmp_path, valid_files())
    monkeypatch.setattr(fast, "yaml_rs", None)
    monkeypatch.setattr(fast, "admit", lambda text: pytest.fail("the pre-scan ran without yaml_rs"))
    records = load_records(project)
    assert records.problems == [] and list(records.models) == ["meta/llama-3.2-1b-instruct"]

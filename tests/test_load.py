"""Reading catalog/: the tree, the bytes and the YAML of each file, one bad thing at a time.

Each case is conftest.valid_files() with one change, and the exact lines it yields.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from conftest import (MODEL_PATH, MODEL_YAML, PROVIDER_YAML, make_project, problem_lines,
                      valid_files, with_change)
from generator.records import load, source
from generator.records.load import find_files, load_records

M = f"catalog/{MODEL_PATH}"
BAD_ID = ('is not a valid id: use lowercase letters, digits, ".", "_" or "-", starting with a '
          "letter or digit, at most 100 characters")

# Nine anchors, each a list of ten aliases of the previous: 10**9 values once
# expanded, in a few hundred bytes.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def lines_for(tmp_path, files) -> list[str]:
    return problem_lines(make_project(tmp_path, files))


def test_load_records_reads_every_kind(tmp_path):
    records = load_records(make_project(tmp_path, valid_files()))
    assert records.problems == []
    assert records.site is not None and records.site.name == "AIgateway"
    assert list(records.providers) == ["meta"]
    assert list(records.models) == ["meta/llama-3.2-1b-instruct"]
    assert [c.id for c in records.collections] == ["text"]
    assert records.paths["model:meta/llama-3.2-1b-instruct"] == M
    assert records.sources[M].value_at(("pricing", "input")) == (12, 10)
    assert records.sources[M].key_at(("pricing", "input")) == (12, 3)


def test_files_are_found_in_a_stable_order(tmp_path):
    files = valid_files()
    for slug in ("zeta", "alpha", "mid"):
        files[f"models/meta/{slug}.yaml"] = MODEL_YAML
    files["providers/acme.yaml"] = PROVIDER_YAML
    found, problems = find_files(make_project(tmp_path, files))
    assert problems == []
    assert [f.display for f in found] == [
        "catalog/site.yaml",
        "catalog/collections.yaml",
        "catalog/providers/acme.yaml",
        "catalog/providers/meta.yaml",
        "catalog/models/meta/alpha.yaml",
        f"catalog/models/meta/llama-3.2-1b-instruct.yaml",
        "catalog/models/meta/mid.yaml",
        "catalog/models/meta/zeta.yaml",
    ]
    assert [f.id for f in found if f.kind == "model"][0] == "meta/alpha"


# --- the bytes and the YAML of one file -------------------------------------

YAML_CASES = [
    ("syntax-error-at-parser-line", "name: Llama-3.2-1b-Instruct", "name: [Llama-3.2",
     [f"{M}:3:7: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)"]),
    ("bad-indentation", "  input: 0.015", "  input: 0.015\n output: 0.030",
     [f"{M}:13:2: YAML syntax: did not find expected key (while parsing a block mapping)"]),
    ("unclosed-quote", "name: Llama-3.2-1b-Instruct", 'name: "Llama',
     [f"{M}:30:1: YAML syntax: found unexpected end of stream (while scanning a quoted scalar)"]),
    ("tab-indentation", "  context: 128000", "\tcontext: 128000",
     [f"{M}:15:1: tab character; YAML indents with spaces only"]),
    ("duplicate-key", "open_weights: true", "open_weights: true\nname: Other",
     [f"{M}:30:1: name: duplicate key 'name' (first at line 2); YAML would silently keep only the last"]),
    ("duplicate-nested-key", "  max_output: 4096", "  max_output: 4096\n  context: 5",
     [f"{M}:17:3: limits.context: duplicate key 'context' (first at line 15); "
      "YAML would silently keep only the last"]),
    ("duplicate-key-in-list-item", "open_weights: true", "open_weights: true\nfaq:\n  - {q: a, q: b, a: c}",
     [f"{M}:31:12: faq[0].q: duplicate key 'q' (first at line 31); YAML would silently keep only the last"]),
    ("second-document", "open_weights: true", "open_weights: true\n---\nname: Other",
     [f"{M}:30:1: only one YAML document per file (found '---' again)"]),
    ("python-tag-refused", "name: Llama-3.2-1b-Instruct", "name: !!python/object/apply:os.system [ls]",
     [f"{M}:2:7: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"]),
    ("explicit-tag-on-bad-text", "released: 2024-09-25", "released: !!timestamp soon",
     [f"{M}:7:11: released: cannot read 'soon' as a date"]),
    ("unknown-alias", "name: Llama-3.2-1b-Instruct", "name: *brand",
     [f"{M}:2:7: unknown alias *brand"]),
    ("control-character", "name: Llama-3.2-1b-Instruct", "name: Llama\x07",
     [f"{M}:2:12: character not allowed in YAML: control characters are not allowed"]),
]


@pytest.mark.parametrize("old, new, expected", [c[1:] for c in YAML_CASES], ids=[c[0] for c in YAML_CASES])
def test_yaml_problem(tmp_path, old, new, expected):
    assert lines_for(tmp_path, with_change(MODEL_PATH, old, new)) == expected


def test_anchors_aliases_and_merge_keys_are_accepted(tmp_path):
    files = with_change(MODEL_PATH, "modalities:\n  input: [text]\n  output: [text]",
                        "modalities:\n  input: &io [text]\n  output: *io")
    files[MODEL_PATH] = files[MODEL_PATH].replace(
        "pricing:\n  input: 0.015\n  output: 0.030",
        "pricing:\n  <<: {input: 0.015, output: 1}\n  output: 0.030")
    records = load_records(make_project(tmp_path, files))
    assert records.problems == []
    model = records.models["meta/llama-3.2-1b-instruct"]
    assert model.modalities.output == ["text"]
    assert (model.pricing.input, model.pricing.output) == (0.015, 0.030)  # explicit keys win


@pytest.mark.parametrize("content, expected", [
    ("", "file is empty"),
    ("\n\n   \n", "file is empty"),
    ("# only a comment\n# and another\n", "file is empty"),
    ("---\n", "expected a mapping of keys to values, but the file is empty"),
    ("- id: meta/llama-3.2-1b-instruct\n- name: Llama\n",
     "expected a mapping of keys to values, but the file is a list"),
    ("just some words\n", "expected a mapping of keys to values, but the file is a single text value"),
    ("42\n", "expected a mapping of keys to values, but the file is a number"),
], ids=["empty", "blank-lines", "comments-only", "document-marker-only", "list", "text", "number"])
def test_file_is_not_a_mapping(tmp_path, content, expected):
    files = valid_files()
    files[MODEL_PATH] = content
    assert lines_for(tmp_path, files) == [f"{M}:1:1: {expected}"]


def test_non_utf8_bytes_are_located(tmp_path):
    files = valid_files()
    files[MODEL_PATH] = files[MODEL_PATH].encode().replace(b"Llama 3", b"Ll\xffama 3")
    assert lines_for(tmp_path, files) == [f"{M}:3:11: not UTF-8 text (byte 0xff); save the file as UTF-8"]


def test_latin1_file_is_refused_at_its_first_bad_byte(tmp_path):
    files = valid_files()
    files["providers/meta.yaml"] = PROVIDER_YAML.replace("Meta's", "Méta's").encode("latin-1")
    assert lines_for(tmp_path, files) == [
        "catalog/providers/meta.yaml:4:15: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    files = valid_files()
    files[MODEL_PATH] = "\ufeff" + files[MODEL_PATH]
    assert lines_for(tmp_path, files) == []


def test_alias_bomb_is_refused_quickly(tmp_path):
    assert len(ALIAS_BOMB) < 500
    files = valid_files()
    files[MODEL_PATH] = ALIAS_BOMB
    start = time.perf_counter()
    lines = lines_for(tmp_path, files)
    assert time.perf_counter() - start < 2
    limit = source.MAX_NODES_BASE + len(ALIAS_BOMB)
    assert lines == [f"{M}:5:36: document expands to more than {limit:,} values through aliases"]


def test_deep_nesting_is_refused(tmp_path):
    files = valid_files()
    files[MODEL_PATH] = "name: " + "[" * 5000 + "]" * 5000 + "\n"
    assert lines_for(tmp_path, files) == [
        f"{M}:1:1006: YAML syntax: exceeded maximum nesting depth (while increasing flow level)"]


# --- the tree: names, links, pipes and folders --------------------------------

@pytest.mark.parametrize("name, shown", [
    ("Llama-3.yaml", "'Llama-3'"),
    ("llama 3.yaml", "'llama 3'"),
    ("-llama.yaml", "'-llama'"),
    ("_llama.yaml", "'_llama'"),
    ("llama:3.yaml", "'llama:3'"),
    ("lläma.yaml", "'lläma'"),
    ("x" * 101 + ".yaml", repr("x" * 101)),
], ids=["uppercase", "space", "leading-dash", "leading-underscore", "colon", "non-ascii", "too-long"])
def test_model_file_name_must_be_an_id(tmp_path, name, shown):
    files = valid_files()
    files[f"models/meta/{name}"] = MODEL_YAML
    assert lines_for(tmp_path, files) == [f"catalog/models/meta/{name}:1:1: model slug {shown} {BAD_ID}"]


def test_uppercase_twin_of_a_model_is_refused_not_merged(tmp_path):
    files = valid_files()
    files["models/meta/Llama-3.2-1b-Instruct.yaml"] = MODEL_YAML
    assert lines_for(tmp_path, files) == [
        f"catalog/models/meta/Llama-3.2-1b-Instruct.yaml:1:1: model slug 'Llama-3.2-1b-Instruct' {BAD_ID}"]


def test_longest_id_is_accepted(tmp_path):
    slug = "x" * 100
    files = valid_files()
    files[f"models/meta/{slug}.yaml"] = valid_files()[MODEL_PATH].replace(
        "id: meta/llama-3.2-1b-instruct", f"id: meta/{slug}")
    assert lines_for(tmp_path, files) == []


def test_provider_file_and_folder_names_must_be_ids(tmp_path):
    files = valid_files()
    files["providers/Meta AI.yaml"] = PROVIDER_YAML
    files["models/Meta/llama.yaml"] = MODEL_YAML
    assert lines_for(tmp_path, files) == [
        "catalog/models/Meta:1:1: provider folder 'Meta' is not a valid id: use lowercase letters, "
        'digits, ".", "_" or "-"',
        f"catalog/providers/Meta AI.yaml:1:1: provider id 'Meta AI' {BAD_ID}",
    ]


def test_hidden_files_are_ignored(tmp_path):
    """Editors leave .#x, .x.swp and ._x behind; names starting with "." are never ids."""
    files = valid_files()
    for name in (".#llama.yaml", "..yaml", "...yaml", ".hidden.yaml"):
        files[f"models/meta/{name}"] = "not: [valid"
    files[".git/config"] = "x"
    assert lines_for(tmp_path, files) == []


def test_other_extensions_and_entries_are_warned_about(tmp_path):
    files = valid_files()
    files["models/meta/llama-4.yml"] = MODEL_YAML
    files["models/meta/notes.txt"] = "x"
    files["README.md"] = "# catalog"
    assert lines_for(tmp_path, files) == [
        "catalog/README.md:1:1: warning: ignored: not part of the catalog layout "
        "(site.yaml, collections.yaml, providers/, models/, docs/)",
        "catalog/models/meta/llama-4.yml:1:1: warning: ignored: not a .yaml file (use the .yaml extension)",
        "catalog/models/meta/notes.txt:1:1: warning: ignored: not a .yaml file",
    ]


def test_missing_site_yaml(tmp_path):
    files = valid_files()
    del files["site.yaml"]
    assert lines_for(tmp_path, files) == [
        "catalog/site.yaml:1:1: required file is missing: the gateway's name, URL, API and errors"]


def test_symlink_leading_outside_the_catalog_is_refused(tmp_path):
    project = make_project(tmp_path, valid_files())
    secret = tmp_path / "secret.yaml"
    secret.write_text(MODEL_YAML)
    os.symlink(secret, project / "catalog/models/meta/stolen.yaml")
    os.symlink(tmp_path, project / "catalog/models/elsewhere")
    os.symlink("../../../../secret.yaml", project / "catalog/providers/relative.yaml")
    assert problem_lines(project) == [
        "catalog/models/elsewhere:1:1: symbolic link leads outside the catalog; copy the file in instead",
        "catalog/models/meta/stolen.yaml:1:1: symbolic link leads outside the catalog; copy the file in instead",
        "catalog/providers/relative.yaml:1:1: symbolic link leads outside the catalog; copy the file in instead",
    ]


def test_symlink_inside_the_catalog_is_followed(tmp_path):
    project = make_project(tmp_path, valid_files())
    os.symlink("meta.yaml", project / "catalog/providers/meta2.yaml")
    os.symlink(project / "catalog/providers/gone.txt", project / "catalog/providers/gone.yaml")
    assert problem_lines(project) == [
        "catalog/providers/gone.yaml:1:1: symbolic link points at nothing",
        "catalog/providers/meta2.yaml:1:5: id: must equal the file name \"meta2\", got 'meta'",
    ]


def test_fifo_in_models_does_not_hang(tmp_path):
    project = make_project(tmp_path, valid_files())
    os.mkfifo(project / "catalog/models/meta/pipe.yaml")
    os.mkfifo(project / "catalog/models/pipe")
    result: list[list[str]] = []
    worker = threading.Thread(target=lambda: result.append(problem_lines(project)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert result == [["catalog/models/meta/pipe.yaml:1:1: not a regular file (a pipe, socket or device?); "
                       "refusing to read it",
                       "catalog/models/pipe:1:1: expected a folder here"]]


def test_folder_where_a_file_belongs(tmp_path):
    project = make_project(tmp_path, valid_files())
    (project / "catalog/models/meta/folder.yaml").mkdir()
    (project / "catalog/collections.yaml").unlink()
    (project / "catalog/collections.yaml").mkdir()
    assert problem_lines(project) == [
        "catalog/collections.yaml:1:1: expected a file, found a folder",
        "catalog/models/meta/folder.yaml:1:1: expected a file, found a folder",
    ]


def test_file_where_a_folder_belongs(tmp_path):
    files = valid_files()
    files["models/acme"] = "not a folder"
    project = make_project(tmp_path, files)
    assert problem_lines(project) == ["catalog/models/acme:1:1: expected a folder here"]


def test_oversized_file_is_refused_before_reading(tmp_path):
    project = make_project(tmp_path, valid_files())
    big = project / "catalog/models/meta/huge.yaml"
    with open(big, "wb") as fh:
        fh.truncate(load.MAX_FILE_BYTES + 1)  # sparse: no 5 MB written
    assert problem_lines(project) == [
        "catalog/models/meta/huge.yaml:1:1: file is 5.2 MB; catalog files are limited to 5 MB"]


def test_every_bad_file_is_reported_in_one_pass(tmp_path):
    files = valid_files()
    files["models/meta/a.yaml"] = ""
    files["models/meta/b.yaml"] = "name: [oops"
    files["models/meta/c.yaml"] = MODEL_YAML.replace("input: 0.015", "input: -1")
    files["providers/acme.yaml"] = "id: acme\nname: Acme\nbyok: perhaps\n"
    lines = lines_for(tmp_path, files)
    assert lines == [
        "catalog/models/meta/a.yaml:1:1: file is empty",
        "catalog/models/meta/b.yaml:2:1: YAML syntax: did not find expected ',' or ']' "
        "(while parsing a flow sequence)",
        "catalog/models/meta/c.yaml:12:10: pricing.input: must be >= 0, got -1",
        "catalog/providers/acme.yaml:3:7: byok: must be true or false, got 'perhaps'",
    ]

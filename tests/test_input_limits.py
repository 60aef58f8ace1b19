"""Inputs that used to crash or stall the build while `validate` said ok (issue 2.1).

Each case is conftest.valid_files() plus one change, and the exact problem lines it
yields, as in tests/test_validation.py.
"""

from __future__ import annotations

import pytest

from conftest import MODEL_PATH, make_project, problem_lines, valid_files, with_change

M = f"catalog/{MODEL_PATH}"
SITE = "catalog/site.yaml"
PROV = "catalog/providers/meta.yaml"


# --- dates: YAML written from JSON quotes them ---------------------------------------------

DATE_CASES = [
    ("released-quoted", MODEL_PATH, "released: 2024-09-25", "released: '2024-09-25'", []),
    ("released-double-quoted", MODEL_PATH, "released: 2024-09-25", 'released: "2024-09-25"', []),
    ("usage-as-of-quoted", MODEL_PATH, "as_of: 2026-05-30", "as_of: '2026-05-30'", []),
    ("deprecation-date-quoted", MODEL_PATH, "open_weights: true",
     "open_weights: true\nstatus: deprecated\ndeprecation: {date: '2025-01-01'}", []),
    ("site-usage-as-of-quoted", "site.yaml", "# usage:                  # market",
     "usage: {tracked_tokens: 10, as_of: '2026-05-30'}\n# market", []),
    ("knowledge-cutoff-quoted", MODEL_PATH, "open_weights: true",
     "open_weights: true\nknowledge_cutoff: '2024-12'", []),
    ("released-quoted-impossible", MODEL_PATH, "released: 2024-09-25", "released: '2024-13-45'",
     [f"{M}:7:11: released: cannot read '2024-13-45' as a date"]),
    ("released-quoted-not-iso", MODEL_PATH, "released: 2024-09-25", "released: '20240925'",
     [f"{M}:7:11: released: must be a date written YYYY-MM-DD, got '20240925'"]),
]


@pytest.mark.parametrize("rel, old, new, expected", [c[1:] for c in DATE_CASES],
                         ids=[c[0] for c in DATE_CASES])
def test_quoted_dates(tmp_path, rel, old, new, expected):
    assert problem_lines(make_project(tmp_path, with_change(rel, old, new))) == expected


def test_quoted_date_is_the_date(tmp_path):
    from generator.catalog import load_catalog

    project = make_project(tmp_path, with_change(MODEL_PATH, "released: 2024-09-25", "released: '2024-09-25'"))
    site, _ = load_catalog(project)
    assert site.models[0].record.released.isoformat() == "2024-09-25"


# --- ids end at the end of the text; paths and keys print on one line ---------------------

ID_RULE = ('is not a valid id: use lowercase letters, digits, ".", "_" or "-", starting with a letter '
           "or digit, at most 100 characters")


def test_doc_name_with_trailing_newline_is_refused_on_one_line(tmp_path):
    files = valid_files()
    files["docs/a\n.md"] = "# A\n"
    lines = problem_lines(make_project(tmp_path, files))
    assert lines == [f"catalog/docs/a\\n.md:1:1: docs page id 'a\\n' {ID_RULE}"]


def test_model_name_with_trailing_newline_is_refused(tmp_path):
    files = valid_files()
    files["models/meta/x\n.yaml"] = files[MODEL_PATH]
    assert problem_lines(make_project(tmp_path, files)) == [
        f"catalog/models/meta/x\\n.yaml:1:1: model slug 'x\\n' {ID_RULE}"]


def test_control_characters_in_a_path_are_escaped(tmp_path):
    files = valid_files()
    files["models/me\tta\x07/x.yaml"] = files[MODEL_PATH]
    assert problem_lines(make_project(tmp_path, files)) == [
        "catalog/models/me\\tta\\x07:1:1: provider folder 'me\\tta\\x07' is not a valid id: use "
        'lowercase letters, digits, ".", "_" or "-"']


def test_control_characters_in_a_key_are_escaped(tmp_path):
    files = with_change(MODEL_PATH, "open_weights: true", 'open_weights: true\n"x\\ny\\u2028": 1')
    assert problem_lines(make_project(tmp_path, files)) == [
        f"{M}:30:1: x\\ny\\u2028: unknown key; allowed here: id, name, family, base_model, summary, description, "
        "kind, released, modalities, pricing, limits, capabilities, strengths, use_cases, usage, status, "
        "deprecation, tags, open_weights, license, knowledge_cutoff, links, faq, offers"]


def test_id_re_ends_at_the_end_of_the_text():
    from generator.records.schema import ID_RE

    assert ID_RE.match("meta") and not ID_RE.match("meta\n")


# --- ids whose outputs land on the same path --------------------------------------------

MODEL_ID = "meta/llama-3.2-1b-instruct"


def _model_named(files: dict[str, str], slug: str) -> None:
    files[f"models/meta/{slug}.yaml"] = files[MODEL_PATH].replace(f"id: {MODEL_ID}", f"id: meta/{slug}")


@pytest.mark.parametrize("suffix, twin", [("md", "Markdown"), ("json", "JSON")])
def test_model_folder_on_another_models_twin(tmp_path, suffix, twin):
    files = valid_files()
    _model_named(files, f"llama-3.2-1b-instruct.{suffix}")
    assert problem_lines(make_project(tmp_path, files)) == [
        f"catalog/models/meta/llama-3.2-1b-instruct.{suffix}.yaml:1:5: id: clashes with \"{MODEL_ID}\": its "
        f"page folder models/{MODEL_ID}.{suffix}/ is the path of the {twin} twin of \"{MODEL_ID}\"; "
        "rename one of them"]


def test_model_names_that_only_look_alike_are_fine(tmp_path):
    files = valid_files()
    _model_named(files, "llama-3.2-1b-instruct.mdx")
    _model_named(files, "llama.md")
    assert problem_lines(make_project(tmp_path, files)) == []


def test_provider_folder_on_another_providers_twin(tmp_path):
    files = valid_files()
    files["providers/meta.md.yaml"] = files["providers/meta.yaml"].replace("id: meta", "id: meta.md")
    assert problem_lines(make_project(tmp_path, files)) == [
        'catalog/providers/meta.md.yaml:1:5: id: clashes with provider "meta": its page folder '
        'providers/meta.md/ is the path of the Markdown twin of "meta"; rename one of them']


def test_docs_page_folder_on_another_pages_twin(tmp_path):
    files = valid_files()
    files["docs/a.md"] = "# A\n"
    files["docs/a.md.md"] = "# A again\n"
    assert problem_lines(make_project(tmp_path, files)) == [
        'catalog/docs/a.md.md:1:1: clashes with docs page "a": its page folder docs/a.md/ is the path '
        'of the Markdown twin of "a"; rename one of them']


def test_build_reports_the_clash_instead_of_crashing(tmp_path):
    from conftest import run_cli

    files = valid_files()
    files["docs/a.md"] = "# A\n"
    files["docs/a.md.md"] = "# A again\n"
    project = make_project(tmp_path, files)
    result = run_cli("build", "--project", project, "--out", tmp_path / "site")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0].startswith('catalog/docs/a.md.md:1:1: clashes with docs page "a"')
    assert "Traceback" not in result.output and not (tmp_path / "site").exists()


# --- lengths a page can show; Markdown a renderer survives ----------------------------------

SUMMARY = ("summary: >-\n  The Llama 3.2 instruction-tuned text only models are optimized for multilingual\n"
           "  dialogue use cases, including agentic retrieval and summarization tasks.")


def nested_list(levels: int, indent: str = "") -> str:
    return "".join(indent + "  " * i + "- x\n" for i in range(levels))


NEST = "lists and block quotes nest 21 levels deep"
LIMIT_CASES = [
    ("name-too-long", MODEL_PATH, "name: Llama-3.2-1b-Instruct", "name: " + "n" * 201,
     [f"{M}:2:7: name: must be at most 200 characters long, got 201"]),
    ("name-at-the-limit", MODEL_PATH, "name: Llama-3.2-1b-Instruct", "name: " + "n" * 200, []),
    ("family-too-long", MODEL_PATH, "family: Llama 3", "family: " + "f" * 490_000,
     [f"{M}:3:9: family: must be at most 200 characters long, got 490,000"]),
    ("summary-too-long", MODEL_PATH, SUMMARY, "summary: " + "s" * 2001,
     [f"{M}:4:10: summary: must be at most 2,000 characters long, got 2,001"]),
    ("strength-too-long", MODEL_PATH, "[General-purpose chat, Long context, Multilingual]",
     "[General-purpose chat, " + "l" * 300 + "]",
     [f"{M}:23:35: strengths[1]: must be at most 200 characters long, got 300"]),
    ("too-many-tags", MODEL_PATH, "open_weights: true",
     "open_weights: true\ntags: [" + ", ".join(f"t{i}" for i in range(101)) + "]",
     [f"{M}:30:7: tags: has 101 items; at most 100 are allowed"]),
    ("link-too-long", MODEL_PATH, "open_weights: true",
     "open_weights: true\nlinks: {paper: 'https://x.org/" + "p" * 2000 + "'}",
     [f"{M}:30:16: links.paper: must be at most 2,000 characters long, got 2,014"]),
    ("description-too-long", MODEL_PATH, "open_weights: true", "open_weights: true\ndescription: " + "d" * 20_001,
     [f"{M}:30:14: description: must be at most 20,000 characters long, got 20,001"]),
    ("description-nests-too-deep", MODEL_PATH, "open_weights: true",
     "open_weights: true\ndescription: |\n" + nested_list(21, "  "),
     [f"{M}:30:14: description: {NEST} (line 21 of the text); at most 20 are allowed"]),
    ("description-nests-20-deep", MODEL_PATH, "open_weights: true",
     "open_weights: true\ndescription: |\n" + nested_list(20, "  "), []),
    ("description-code-is-not-nesting", MODEL_PATH, "open_weights: true",
     "open_weights: true\ndescription: |\n  ```yaml\n" + nested_list(30, "  ") + "  ```\n", []),
    ("faq-answer-quotes-too-deep", MODEL_PATH, "open_weights: true",
     "open_weights: true\nfaq:\n  - q: Deep?\n    a: '" + ">" * 21 + " x'",
     [f"{M}:32:8: faq[0].a: {NEST} (line 1 of the text); at most 20 are allowed"]),
    ("provider-description-too-deep", "providers/meta.yaml", "description: Meta's Llama family of open-weight models.",
     "description: '" + "> " * 21 + "x'",
     [f"{PROV}:4:14: description: {NEST} (line 1 of the text); at most 20 are allowed"]),
    ("provider-name-too-long", "providers/meta.yaml", "name: Meta", "name: " + "m" * 201,
     [f"{PROV}:2:7: name: must be at most 200 characters long, got 201"]),
    ("site-name-too-long", "site.yaml", "name: AIgateway", "name: " + "a" * 201,
     [f"{SITE}:2:7: name: must be at most 200 characters long, got 201"]),
    ("collection-description-too-deep", "collections.yaml", "description: Models that read and write text.",
     "description: '" + ">" * 21 + "'",
     [f"catalog/collections.yaml:3:16: description: {NEST} (line 1 of the text); at most 20 are allowed"]),
]


@pytest.mark.parametrize("rel, old, new, expected", [c[1:] for c in LIMIT_CASES],
                         ids=[c[0] for c in LIMIT_CASES])
def test_limits(tmp_path, rel, old, new, expected):
    assert problem_lines(make_project(tmp_path, with_change(rel, old, new))) == expected


def test_docs_page_too_big(tmp_path):
    files = valid_files()
    files["docs/big.md"] = "---\ntitle: Big\n---\n" + "b" * 200_001
    assert problem_lines(make_project(tmp_path, files)) == [
        "catalog/docs/big.md:4:1: the page is 200,001 characters long; a docs page may hold at most 200,000"]


def test_docs_page_nests_too_deep_at_its_line(tmp_path):
    files = valid_files()
    files["docs/deep.md"] = "---\ntitle: Deep\n---\n# Deep\n\n" + nested_list(25)
    files["docs/flat.md"] = "# Flat\n\n" + nested_list(20)
    assert problem_lines(make_project(tmp_path, files)) == [
        "catalog/docs/deep.md:30:1: lists and block quotes nest 25 levels deep; at most 20 are allowed"]


def test_a_300_level_list_is_a_problem_not_a_traceback(tmp_path):
    from conftest import run_cli

    files = valid_files()
    files["docs/deep.md"] = nested_list(300)
    result = run_cli("validate", "--project", make_project(tmp_path, files))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "catalog/docs/deep.md:300:1: lists and block quotes nest 300 levels deep; at most 20 are allowed",
        "1 error in 1 file."]


# --- the command line's environment: --base-url and SOURCE_DATE_EPOCH ------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)//", "ftp://example.com/", "https://", "example.com/docs",
                                 "https://exa mple.com/", "http://[::1/"])
def test_base_url_must_be_http(tmp_path, url):
    from conftest import run_cli

    project = make_project(tmp_path, valid_files())
    result = run_cli("build", "--project", project, "--out", tmp_path / "site", "--base-url", url)
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"error: --base-url must be an http(s) URL, got {url!r}"]
    assert not (tmp_path / "site").exists()


def test_base_url_http_is_used(tmp_path):
    from conftest import run_cli

    project = make_project(tmp_path, valid_files())
    result = run_cli("build", "--project", project, "--out", tmp_path / "site",
                     "--base-url", "https://org.github.io/catalog")
    assert result.exit_code == 0, result.output
    assert "https://org.github.io/catalog/models/meta/" in (tmp_path / "site" / "sitemap.xml").read_text()


def test_build_site_refuses_a_bad_base_url(tmp_path):
    from generator.problems import BadUsage
    from generator.records.load import load_records
    from generator.site import build_site

    records = load_records(make_project(tmp_path, valid_files()))
    with pytest.raises(BadUsage):
        build_site(records, "javascript:alert(1)//")


EPOCH_WORDS = "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC (as `date +%s` prints)"


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("epoch, line", [
    ("yesterday", f"error: {EPOCH_WORDS}, got 'yesterday'"),
    ("1.5e9", f"error: {EPOCH_WORDS}, got '1.5e9'"),
    ("99999999999999", "error: SOURCE_DATE_EPOCH 99999999999999 is out of range: it names no date "
                       "between the years 1 and 9999"),
    ("9" * 5000, f"error: SOURCE_DATE_EPOCH {'9' * 37}... is out of range: it names no date "
                 "between the years 1 and 9999"),
])
def test_source_date_epoch_that_names_no_date_is_one_line_exit_1(tmp_path, monkeypatch, command, epoch, line):
    """Garbage is an environment fault, like a date out of range: the reproducible-builds
    specification says a malformed value fails the build, so neither falls back to the clock."""
    from conftest import run_cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    args = ["--out", tmp_path / "site"] if command == "build" else []
    result = run_cli(command, "--project", make_project(tmp_path, valid_files()), *args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [line]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("epoch, date", [("", None), (" 1780272000\n", "2026-06-01"), ("-86400", "1969-12-31")])
def test_source_date_epoch_read(monkeypatch, epoch, date):
    from generator.site import source_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert (source_date() and source_date().isoformat()) == date


# --- numbers in exponent form: JSON and YAML 1.2 read 1e308 as a number, YAML 1.1 as text ---------

NUMBER_CASES = [
    ("price-1e308", "input: 0.015", "input: 1e308",
     [f"{M}:12:10: pricing.input: must be a number, but YAML reads 1e308 as text (YAML 1.1 numbers "
      "need a dot and a signed exponent); write 1.0e+308"]),
    ("price-2E-6", "input: 0.015", "input: 2E-6",
     [f"{M}:12:10: pricing.input: must be a number, but YAML reads 2E-6 as text (YAML 1.1 numbers "
      "need a dot and a signed exponent); write 2.0e-6"]),
    ("price-written-as-advised", "input: 0.015", "input: 2.0e-6", []),
    ("context-1e6", "context: 128000", "context: 1e6",
     [f"{M}:15:12: limits.context: must be a whole number, but YAML reads 1e6 as text (YAML 1.1 "
      "numbers need a dot and a signed exponent); write 1000000"]),
    ("quoted-yaml11-number-stays-plain", "input: 0.015", "input: '1.0e+3'",
     [f"{M}:12:10: pricing.input: must be a number, got '1.0e+3'"]),
]


@pytest.mark.parametrize("old, new, expected", [c[1:] for c in NUMBER_CASES], ids=[c[0] for c in NUMBER_CASES])
def test_exponent_numbers(tmp_path, old, new, expected):
    assert problem_lines(make_project(tmp_path, with_change(MODEL_PATH, old, new))) == expected

"""One valid catalog plus one change per rule: each change yields exactly these lines.

Every expectation is the full `path:line:col: field: message` line of CONTRACT.md
("Bad input"), so file, line, column, field path and wording are all pinned. The
catalog is conftest.valid_files(), which on its own has no problem at all.
"""

from __future__ import annotations

import pytest

from conftest import MODEL_PATH, make_project, problem_lines, valid_files, with_change

M = f"catalog/{MODEL_PATH}"
SITE = "catalog/site.yaml"
COLL = "catalog/collections.yaml"
PROV = "catalog/providers/meta.yaml"

DEPRECATED = "open_weights: true\nstatus: deprecated\ndeprecation:\n  date: 2025-01-01\n"


def test_valid_files_have_no_problem(tmp_path):
    assert problem_lines(make_project(tmp_path, valid_files())) == []


# (case id, file under catalog/, text, replacement, expected lines)
MODEL_CASES = [
    # unknown keys, with and without a close match
    ("unknown-key-did-you-mean", MODEL_PATH, "open_weights: true", "open_weigths: true",
     [f'{M}:29:1: open_weigths: unknown key (did you mean "open_weights"?)']),
    ("unknown-nested-key-did-you-mean", MODEL_PATH, "  max_output: 4096", "  max_ouput: 4096",
     [f"{M}:14:1: limits.max_output: required key is missing",
      f'{M}:16:3: limits.max_ouput: unknown key (did you mean "max_output"?)']),
    ("unknown-key-named-like-a-type", MODEL_PATH, "open_weights: true", "open_weights: true\nstr: 1\n0[x: 2",
     [f"{M}:30:1: str: unknown key; allowed here: id, name, family, base_model, summary, description, kind, "
      "released, modalities, pricing, limits, capabilities, strengths, use_cases, usage, status, deprecation, "
      "tags, open_weights, license, knowledge_cutoff, links, faq, offers",
      f"{M}:31:1: 0[x: unknown key; allowed here: id, name, family, base_model, summary, description, kind, "
      "released, modalities, pricing, limits, capabilities, strengths, use_cases, usage, status, deprecation, "
      "tags, open_weights, license, knowledge_cutoff, links, faq, offers"]),
    ("link-named-date", MODEL_PATH, "open_weights: true", "open_weights: true\nlinks: {date: 'ftp://x'}",
     [f"{M}:30:15: links.date: must be an http(s) URL, got 'ftp://x'"]),
    ("unknown-key-lists-allowed", MODEL_PATH, "  output: 0.030", "  output: 0.030\n  zzz: 1",
     [f"{M}:14:3: pricing.zzz: unknown key; allowed here: input, output, cached_input, cache_write, "
      "cache_write_1h, reasoning, input_audio, output_audio, per_request, per_search, per_image, per_second_audio, "
      "per_second_video, tiers, variants"]),
    # missing required keys: located at the enclosing key (or the top of the file)
    ("missing-top-level", MODEL_PATH, "name: Llama-3.2-1b-Instruct\n", "",
     [f"{M}:1:1: name: required key is missing"]),
    ("missing-nested", MODEL_PATH, "  output: 0.030\n", "",
     [f"{M}:11:1: pricing.output: required key is missing for a chat model (models of other kinds may "
      "leave it out)"]),
    ("missing-section", MODEL_PATH, "limits:\n  context: 128000\n  max_output: 4096\n", "",
     [f"{M}:1:1: limits: required key is missing"]),
    # wrong types
    ("int-given-text", MODEL_PATH, "context: 128000", "context: lots",
     [f"{M}:15:12: limits.context: must be a whole number, got 'lots'"]),
    ("int-given-float", MODEL_PATH, "context: 128000", "context: 1.5",
     [f"{M}:15:12: limits.context: must be a whole number, got 1.5"]),
    ("bool-given-int", MODEL_PATH, "streaming: true", "streaming: 1",
     [f"{M}:18:14: capabilities.streaming: must be true or false, got 1"]),
    ("bool-given-text", MODEL_PATH, "tool_calling: false", "tool_calling: sometimes",
     [f"{M}:19:17: capabilities.tool_calling: must be true or false, got 'sometimes'"]),
    ("list-given-text", MODEL_PATH, "  input: [text]", "  input: text",
     [f"{M}:9:10: modalities.input: must be a list, got 'text'"]),
    ("list-given-mapping", MODEL_PATH, "  input: [text]", "  input: {text: true}",
     [f"{M}:9:10: modalities.input: must be a list, got a mapping"]),
    ("mapping-given-list", MODEL_PATH, "pricing:\n  input: 0.015\n  output: 0.030",
     "pricing:\n  - 0.015\n  - 0.030",
     [f"{M}:12:3: pricing: must be a mapping of keys to values, got a list"]),
    ("number-given-quoted-text", MODEL_PATH, "input: 0.015", 'input: "0.015"',
     [f"{M}:12:10: pricing.input: must be a number, got '0.015'"]),
    ("date-given-text", MODEL_PATH, "released: 2024-09-25", "released: yesterday",
     [f"{M}:7:11: released: must be a date written YYYY-MM-DD, got 'yesterday'"]),
    ("impossible-date", MODEL_PATH, "released: 2024-09-25", "released: 2024-13-45",
     [f"{M}:7:11: released: cannot read '2024-13-45' as a date"]),
    ("text-given-empty", MODEL_PATH, "family: Llama 3", "family:",
     []),  # optional: an empty value is null, i.e. no family
    ("required-text-given-empty", MODEL_PATH, "name: Llama-3.2-1b-Instruct", "name:",
     [f"{M}:2:6: name: must be text, but the value is empty"]),
    ("empty-string", MODEL_PATH, "name: Llama-3.2-1b-Instruct", 'name: ""',
     [f"{M}:2:7: name: must not be empty"]),
    ("empty-modalities", MODEL_PATH, "  output: [text]", "  output: []",
     [f"{M}:10:11: modalities.output: needs at least one item"]),
    ("unknown-modality", MODEL_PATH, "  input: [text]", "  input: [text, imgae]",
     [f"{M}:9:17: modalities.input[1]: must be one of text, image, audio, video, file; "
      f"got 'imgae' (did you mean \"image\"?)"]),
    ("unknown-status", MODEL_PATH, "open_weights: true", "open_weights: true\nstatus: deprecatd",
     [f"{M}:30:9: status: must be one of active, preview, deprecated; got 'deprecatd' "
      f'(did you mean "deprecated"?)']),
    ("tag-not-an-id", MODEL_PATH, "open_weights: true", "open_weights: true\ntags: [Frontier]",
     [f'{M}:30:8: tags[0]: must be an id: lowercase letters, digits, ".", "_" or "-", '
      f"starting with a letter or digit; got 'Frontier'"]),
    ("tag-dot-dot", MODEL_PATH, "open_weights: true", "open_weights: true\ntags: [ok, '..']",
     [f'{M}:30:12: tags[1]: must be an id: lowercase letters, digits, ".", "_" or "-", '
      f"starting with a letter or digit; got '..'"]),
    ("knowledge-cutoff-not-a-month", MODEL_PATH, "open_weights: true",
     'open_weights: true\nknowledge_cutoff: "Dec 2024"',
     [f'{M}:30:19: knowledge_cutoff: must be a month written "YYYY-MM" (quoted), got \'Dec 2024\'']),
    ("faq-entry-missing-answer", MODEL_PATH, "open_weights: true",
     "open_weights: true\nfaq:\n  - q: Is it good?",
     [f"{M}:31:5: faq[0].a: required key is missing"]),
    # numbers out of range
    ("negative-price", MODEL_PATH, "input: 0.015", "input: -1",
     [f"{M}:12:10: pricing.input: must be >= 0, got -1"]),
    ("negative-optional-price", MODEL_PATH, "  output: 0.030", "  output: 0.030\n  cached_input: -0.5",
     [f"{M}:14:17: pricing.cached_input: must be >= 0, got -0.5"]),
    ("infinite-price", MODEL_PATH, "input: 0.015", "input: .inf",
     [f"{M}:12:10: pricing.input: must be a finite number, got inf"]),
    ("zero-context", MODEL_PATH, "context: 128000", "context: 0",
     [f"{M}:15:12: limits.context: must be > 0, got 0"]),
    ("negative-usage", MODEL_PATH, "tokens: 215900000", "tokens: -5",
     [f"{M}:26:11: usage.tokens: must be >= 0, got -5"]),
    # rules across keys of one record
    ("max-output-over-context", MODEL_PATH, "max_output: 4096", "max_output: 200000",
     [f"{M}:16:15: limits.max_output: must be <= limits.context (128,000), got 200,000"]),
    ("vision-without-image-input", MODEL_PATH, "vision: false", "vision: true",
     [f"{M}:20:11: capabilities.vision: vision is true but modalities.input has no image; "
      "add image or set vision: false"]),
    ("id-not-path", MODEL_PATH, "id: meta/llama-3.2-1b-instruct", "id: meta/llama-3.2-1b",
     [f"{M}:1:5: id: must equal the file's path \"meta/llama-3.2-1b-instruct\", got 'meta/llama-3.2-1b'"]),
    ("id-not-an-id", MODEL_PATH, "id: meta/llama-3.2-1b-instruct", "id: Meta/Llama",
     [f'{M}:1:5: id: must be "<provider>/<slug>" in lowercase letters, digits, ".", "_" or "-"; '
      "got 'Meta/Llama'"]),
    ("deprecation-replacement-missing", MODEL_PATH, "open_weights: true",
     DEPRECATED + "  replacement: meta/llama-9",
     [f'{M}:33:16: deprecation.replacement: no model "meta/llama-9" in the catalog']),
    ("deprecation-replaces-itself", MODEL_PATH, "open_weights: true",
     DEPRECATED + "  replacement: meta/llama-3.2-1b-instruct",
     [f"{M}:33:16: deprecation.replacement: a model cannot replace itself"]),
    ("base-model-missing", MODEL_PATH, "open_weights: true", "open_weights: true\nbase_model: meta/llama-9",
     [f'{M}:30:13: base_model: no model "meta/llama-9" in the catalog']),
    ("base-model-is-itself", MODEL_PATH, "open_weights: true",
     "open_weights: true\nbase_model: meta/llama-3.2-1b-instruct",
     [f"{M}:30:13: base_model: a model cannot be a version of itself"]),
    ("base-model-not-an-id", MODEL_PATH, "open_weights: true", "open_weights: true\nbase_model: Llama",
     [f'{M}:30:13: base_model: must be "<provider>/<slug>" in lowercase letters, digits, ".", "_" or "-"; '
      "got 'Llama'"]),
    ("deprecation-date-missing", MODEL_PATH, "open_weights: true",
     "open_weights: true\nstatus: deprecated\ndeprecation: {replacement: meta/llama-3.2-1b-instruct}",
     [f"{M}:31:1: deprecation.date: required key is missing"]),
    # a deprecation may be scheduled while the model is active; once its day is past, a warning
    ("deprecation-past-with-status-preview", MODEL_PATH, "open_weights: true",
     "open_weights: true\nstatus: preview\ndeprecation:\n  date: 2025-01-01",
     [f"{M}:32:9: warning: deprecation.date: deprecated since 2025-01-01 but status is preview; "
      "set status: deprecated"]),
    ("deprecation-past-with-default-status", MODEL_PATH, "open_weights: true",
     "open_weights: true\ndeprecation: {date: 2025-01-01}",
     [f"{M}:30:21: warning: deprecation.date: deprecated since 2025-01-01 but status is active; "
      "set status: deprecated"]),
    ("deprecation-scheduled", MODEL_PATH, "open_weights: true",
     "open_weights: true\ndeprecation: {date: 2027-01-14, shutdown: 2027-04-14}", []),
    ("deprecation-on-build-day", MODEL_PATH, "open_weights: true",
     "open_weights: true\ndeprecation: {date: 2026-06-01}",
     [f"{M}:30:21: warning: deprecation.date: deprecated since 2026-06-01 but status is active; "
      "set status: deprecated"]),
    ("shutdown-before-deprecation", MODEL_PATH, "open_weights: true",
     "open_weights: true\nstatus: deprecated\ndeprecation: {date: 2025-01-01, shutdown: 2024-12-31}",
     [f"{M}:31:43: deprecation.shutdown: must be on or after deprecation.date (2025-01-01), got 2024-12-31"]),
    ("shutdown-on-deprecation-day", MODEL_PATH, "open_weights: true",
     "open_weights: true\nstatus: deprecated\ndeprecation: {date: 2025-01-01, shutdown: 2025-01-01}", []),
    ("shutdown-not-a-date", MODEL_PATH, "open_weights: true",
     "open_weights: true\nstatus: deprecated\ndeprecation: {date: 2025-01-01, shutdown: soon}",
     [f"{M}:31:43: deprecation.shutdown: must be a date written YYYY-MM-DD, got 'soon'"]),
    # prices as price lists state them: tiers, variants, per-unit prices (one change each)
    ("every-price-kind", MODEL_PATH, "  output: 0.030",
     "  output: 0.030\n  cached_input: 0.01\n  cache_write: 0.02\n  cache_write_1h: 0.03\n  reasoning: 0.03\n"
     "  input_audio: 1\n  output_audio: 2\n  per_request: 0.001\n  per_search: 0.025\n  per_image: 0.04\n"
     "  per_second_audio: 0.006\n  per_second_video: 0.1\n"
     "  tiers: [{above: 32000, input: 0.02}, {above: 64000, input: 0.03, output: 0.06}]\n"
     "  variants: {batch: {input: 0.0075, output: 0.015}, flex: {input: 0.01}, priority: {output: 0.05}}", []),
    ("tier-not-below-context", MODEL_PATH, "  output: 0.030", "  output: 0.030\n  tiers: [{above: 128000, input: 1}]",
     [f"{M}:14:19: pricing.tiers[0].above: must be below the context window (128,000 tokens), since no prompt "
      "is longer, got 128,000"]),
    ("tiers-not-increasing", MODEL_PATH, "  output: 0.030",
     "  output: 0.030\n  tiers:\n    - {above: 64000, input: 1}\n    - {above: 32000, input: 2}",
     [f"{M}:16:15: pricing.tiers[1].above: must be greater than the previous tier's 64,000 (tiers go from the "
      "smallest context up), got 32,000"]),
    ("tier-names-no-price", MODEL_PATH, "  output: 0.030", "  output: 0.030\n  tiers:\n    - above: 64000",
     [f"{M}:15:7: pricing.tiers[0]: tier above 64,000 tokens names no price; give at least one of input, output, "
      "cached_input..."]),
    ("tier-without-above", MODEL_PATH, "  output: 0.030", "  output: 0.030\n  tiers:\n    - input: 1",
     [f"{M}:15:7: pricing.tiers[0].above: required key is missing"]),
    ("variant-names-no-price", MODEL_PATH, "  output: 0.030", "  output: 0.030\n  variants:\n    batch: {}",
     [f"{M}:15:5: pricing.variants.batch: the batch variant names no price; give at least one of input, "
      "output, cached_input..."]),
    ("variant-unknown", MODEL_PATH, "  output: 0.030", "  output: 0.030\n  variants:\n    express: {input: 1}",
     [f"{M}:15:5: pricing.variants.express: unknown key; allowed here: batch, flex, priority"]),
    ("per-unit-price-negative", MODEL_PATH, "  output: 0.030", "  output: 0.030\n  per_image: -0.04",
     [f"{M}:14:14: pricing.per_image: must be >= 0, got -0.04"]),
    # kind: output prices are optional only where no tokens are generated
    ("embedding-without-output", MODEL_PATH, "pricing:\n  input: 0.015\n  output: 0.030\n",
     "kind: embedding\npricing:\n  input: 0.015\n", []),
    ("speech-without-output", MODEL_PATH, "pricing:\n  input: 0.015\n  output: 0.030\n",
     "kind: speech\npricing:\n  input: 0.6\n  output_audio: 12\n  per_second_audio: 0.00025\n", []),
    ("chat-kind-stated-without-output", MODEL_PATH, "pricing:\n  input: 0.015\n  output: 0.030\n",
     "kind: chat\npricing:\n  input: 0.015\n",
     [f"{M}:12:1: pricing.output: required key is missing for a chat model (models of other kinds may "
      "leave it out)"]),
    ("kind-unknown", MODEL_PATH, "open_weights: true", "open_weights: true\nkind: robot",
     [f"{M}:30:7: kind: must be one of chat, embedding, rerank, image, speech, transcription, moderation, "
      "video; got 'robot'"]),
    # released: optional, and a month is enough
    ("released-month", MODEL_PATH, "released: 2024-09-25", "released: 2024-09", []),
    ("released-quoted-month", MODEL_PATH, "released: 2024-09-25", "released: '2024-09'", []),
    ("released-missing", MODEL_PATH, "released: 2024-09-25\n", "", []),
    ("released-bad-month", MODEL_PATH, "released: 2024-09-25", "released: 2024-13",
     [f"{M}:7:11: released: must be a date written YYYY-MM-DD, got '2024-13'"]),
    # offers: one record, several hosts
    ("offers-valid", MODEL_PATH, "open_weights: true",
     "open_weights: true\noffers:\n  - {host: meta, pricing: {input: 0.015, output: 0.03}, default: true}\n"
     "  - {host: azure, region: eu, pricing: {input: 0.02, output: 0.04}, limits: {context: 64000}}\n"
     "  - {host: azure, region: us, pricing: {input: 0.02, output: 0.04}}", []),
    ("offers-two-defaults", MODEL_PATH, "open_weights: true",
     "open_weights: true\noffers:\n  - {host: meta, pricing: {input: 1, output: 2}, default: true}\n"
     "  - {host: azure, pricing: {input: 1, output: 2}, default: true}",
     [f"{M}:32:60: offers[1].default: only one offer may be the default; offers[0] already is"]),
    ("offers-same-host-twice", MODEL_PATH, "open_weights: true",
     "open_weights: true\noffers:\n  - {host: azure, region: eu, pricing: {input: 1, output: 2}}\n"
     "  - {host: azure, region: eu, pricing: {input: 1, output: 2}}",
     [f"{M}:32:12: offers[1].host: azure in region eu is already offered at offers[0]; give each host and "
      "region once"]),
    ("offer-max-output-over-context", MODEL_PATH, "open_weights: true",
     "open_weights: true\noffers:\n  - {host: azure, pricing: {input: 1, output: 2}, "
     "limits: {context: 8000, max_output: 9000}}",
     [f"{M}:31:87: offers[0].limits.max_output: must be <= the offer's context (8,000), got 9,000"]),
    ("offer-tier-over-its-context", MODEL_PATH, "open_weights: true",
     "open_weights: true\noffers:\n  - host: azure\n    limits: {context: 8000}\n"
     "    pricing: {input: 1, output: 2, tiers: [{above: 8000, input: 2}]}",
     [f"{M}:33:52: offers[0].pricing.tiers[0].above: must be below the context window (8,000 tokens), since no "
      "prompt is longer, got 8,000"]),
    ("offer-without-output", MODEL_PATH, "open_weights: true",
     "open_weights: true\noffers:\n  - {host: azure, pricing: {input: 1}}",
     [f"{M}:31:19: offers[0].pricing.output: required key is missing for a chat model (models of other "
      "kinds may leave it out)"]),
    # YAML 1.1 reads these unquoted words as something other than text
    ("yaml11-no", MODEL_PATH, "name: Llama-3.2-1b-Instruct", "name: no",
     [f'{M}:2:7: name: must be text, but YAML reads the unquoted no as false; write it in quotes: "no"']),
    ("yaml11-on", MODEL_PATH, "family: Llama 3", "family: on",
     [f'{M}:3:9: family: must be text, but YAML reads the unquoted on as true; write it in quotes: "on"']),
    ("yaml11-3.10", MODEL_PATH, "name: Llama-3.2-1b-Instruct", "name: 3.10",
     [f'{M}:2:7: name: must be text, but YAML reads the unquoted 3.10 as 3.1; '
      'write it in quotes: "3.10"']),
    ("yaml11-in-list", MODEL_PATH, "[General-purpose chat, Long context, Multilingual]",
     "[General-purpose chat, yes]",
     [f'{M}:23:35: strengths[1]: must be text, but YAML reads the unquoted yes as true; '
      'write it in quotes: "yes"']),
    ("yaml11-date-as-month", MODEL_PATH, "open_weights: true", "open_weights: true\nknowledge_cutoff: 2024-12-01",
     [f"{M}:30:19: knowledge_cutoff: must be text, but YAML reads the unquoted 2024-12-01 as "
      'the date 2024-12-01; write it in quotes: "2024-12-01"']),
    ("yaml-number-where-text-belongs", MODEL_PATH, "name: Llama-3.2-1b-Instruct", "name: 2024",
     [f'{M}:2:7: name: must be text, got 2024; write it in quotes: "2024"']),
    ("quoted-is-fine", MODEL_PATH, "name: Llama-3.2-1b-Instruct", 'name: "3.10"', []),
    # links must be http(s)
    ("link-javascript", MODEL_PATH, "open_weights: true",
     "open_weights: true\nlinks:\n  model_card: javascript:alert(1)",
     [f"{M}:31:15: links.model_card: must be an http(s) URL, got 'javascript:alert(1)'"]),
    ("link-ftp", MODEL_PATH, "open_weights: true", "open_weights: true\nlinks: {paper: 'ftp://x.org/p.pdf'}",
     [f"{M}:30:16: links.paper: must be an http(s) URL, got 'ftp://x.org/p.pdf'"]),
    ("link-without-host", MODEL_PATH, "open_weights: true", "open_weights: true\nlinks: {paper: 'https:///p'}",
     [f"{M}:30:16: links.paper: must be an http(s) URL, got 'https:///p'"]),
]


@pytest.mark.parametrize("rel, old, new, expected",
                         [c[1:] for c in MODEL_CASES], ids=[c[0] for c in MODEL_CASES])
def test_model_rule(tmp_path, rel, old, new, expected):
    assert problem_lines(make_project(tmp_path, with_change(rel, old, new))) == expected


SITE_CASES = [
    ("site-url-ftp", "url: https://aigateway.sh/", "url: ftp://aigateway.sh/",
     [f"{SITE}:3:6: url: must be an http(s) URL, got 'ftp://aigateway.sh/'"]),
    ("site-link-javascript", "docs: https://aigateway.sh/docs", "docs: javascript:alert(1)",
     [f"{SITE}:29:9: links.docs: must be an http(s) URL, got 'javascript:alert(1)'"]),
    ("site-api-typo", "  key_env: AIGATEWAY_API_KEY", "  key_env: AIGATEWAY_API_KEY\n  kye_prefix: x",
     [f'{SITE}:8:3: api.kye_prefix: unknown key (did you mean "key_prefix"?)']),
    ("site-key-env", "key_env: AIGATEWAY_API_KEY", "key_env: AIGATEWAY API KEY",
     [f"{SITE}:7:12: api.key_env: must be an environment variable name, got 'AIGATEWAY API KEY'"]),
    ("site-error-status-range", "{status: 503,", "{status: 200,",
     [f"{SITE}:27:14: errors[5].status: must be >= 400, got 200"]),
    ("site-error-retryable-type", "Upstream saturated, retryable: true}", "Upstream saturated, retryable: maybe}",
     [f"{SITE}:27:86: errors[5].retryable: must be true or false, got 'maybe'"]),
    ("site-duplicate-error-status", "{status: 402,", "{status: 401,",
     [f"{SITE}:23:14: errors[1].status: status 401 is listed twice"]),
    ("site-fee-percent", "  percent: 5", "  percent: 150",
     [f"{SITE}:16:12: fee.percent: must be <= 100, got 150"]),
    ("site-temperature", "temperature: 0.7", "temperature: hot",
     [f"{SITE}:12:18: api.example_request.temperature: must be a number, got 'hot'"]),
    ("site-usage-tracked-tokens", "# usage:                  # market",
     "usage: {tracked_tokens: 0}\n# market",
     [f"{SITE}:18:25: usage.tracked_tokens: must be > 0, got 0"]),
]


@pytest.mark.parametrize("old, new, expected", [c[1:] for c in SITE_CASES], ids=[c[0] for c in SITE_CASES])
def test_site_rule(tmp_path, old, new, expected):
    assert problem_lines(make_project(tmp_path, with_change("site.yaml", old, new))) == expected


PROVIDER_CASES = [
    ("provider-id-not-file-name", "id: meta", "id: meta-ai",
     [f"{PROV}:1:5: id: must equal the file name \"meta\", got 'meta-ai'"]),
    ("provider-byok-type", "byok: true", "byok: yes please",
     [f"{PROV}:5:7: byok: must be true or false, got 'yes please'"]),
    ("provider-url", "url: https://ai.meta.com", "url: ai.meta.com",
     [f"{PROV}:3:6: url: must be an http(s) URL, got 'ai.meta.com'"]),
    ("provider-unknown-key", "byok: true", "byok: true\nhomepage: https://ai.meta.com",
     [f"{PROV}:6:1: homepage: unknown key; allowed here: id, name, url, description, byok"]),
]


@pytest.mark.parametrize("old, new, expected", [c[1:] for c in PROVIDER_CASES],
                         ids=[c[0] for c in PROVIDER_CASES])
def test_provider_rule(tmp_path, old, new, expected):
    """A broken provider file is reported once; its models do not also claim it is missing."""
    assert problem_lines(make_project(tmp_path, with_change("providers/meta.yaml", old, new))) == expected


TEXT = "- id: text\n  title: Text models\n  where: {output_modality: text}\n"
COLLECTION_CASES = [
    ("collection-unknown-key", "- id: text\n  title: Text models\n  wher: {output_modality: text}\n",
     [f'{COLL}:3:3: wher: unknown key (did you mean "where"?)']),
    ("collection-unknown-where-key", "- id: text\n  title: Text\n  where: {output_modalty: text}\n",
     [f'{COLL}:3:11: where.output_modalty: unknown key (did you mean "output_modality"?)']),
    ("collection-unknown-where-key-list", "- id: text\n  title: Text\n  where: {colour: red}\n",
     [f"{COLL}:3:11: where.colour: unknown key; allowed here: provider, tag, input_modality, "
      "output_modality, capability, max_input_price, min_context, status"]),
    ("collection-unknown-provider", TEXT + "- id: acme\n  title: Acme\n  where:\n    provider: acme\n",
     [f'{COLL}:7:15: where.provider: no provider "acme" in the catalog']),
    ("collection-unknown-capability", "- id: text\n  title: Text\n  where: {capability: vison}\n",
     [f"{COLL}:3:23: where.capability: must be one of streaming, tool_calling, vision, json_mode, "
      "prompt_caching, reasoning, structured_output; got 'vison' (did you mean \"vision\"?)"]),
    ("collection-missing-title", TEXT + "- id: big\n  where: {min_context: 1000}\n",
     [f"{COLL}:4:3: title: required key is missing"]),
    ("collection-duplicate-id", TEXT + "- id: text\n  title: Again\n",
     [f'{COLL}:4:7: id: duplicate collection id "text"']),
    ("collection-id-dot-dot", "- id: '..'\n  title: Dots\n  where: {output_modality: text}\n",
     [f'{COLL}:1:7: id: must be an id: lowercase letters, digits, ".", "_" or "-", '
      "starting with a letter or digit; got '..'"]),
    ("collection-negative-price", TEXT + "- id: cheap\n  title: Cheap\n  where: {max_input_price: -1}\n",
     [f"{COLL}:6:28: where.max_input_price: must be >= 0, got -1"]),
    ("collection-item-not-mapping", TEXT + "- cheap\n",
     [f"{COLL}:4:3: expected a mapping of keys to values, but collection 2 is a single text value"]),
    ("collections-not-a-list", "text:\n  title: Text\n",
     [f"{COLL}:1:1: expected a list of collections ({{id, title, description, where}})"]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in COLLECTION_CASES],
                         ids=[c[0] for c in COLLECTION_CASES])
def test_collection_rule(tmp_path, text, expected):
    files = valid_files()
    files["collections.yaml"] = text
    assert problem_lines(make_project(tmp_path, files)) == expected

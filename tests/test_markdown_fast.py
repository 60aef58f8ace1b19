"""The fast path for one-line prose gives exactly what the Markdown parser and sanitiser give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import markdown as md

# Characters plain prose is made of, plus every one the fast path must refuse.
ALPHABET = st.sampled_from(list("abcXYZ019 .,;:!?'\"()/-=+%$@^{}") + list("_*`[]<>&#|~\\\n\t\r\x00\x02\x03\x7f")
                           + ["\u00a0", "\u2028", "\u00e9", "\u2014", "\u3000", "  ", "1. ", "- ", "> ", "---",
                              "http://x.y", "&amp;", "<b>", "**", "    "])
texts = st.lists(ALPHABET, max_size=20).map("".join)


@settings(max_examples=3000, deadline=None, database=None)
@given(texts)
def test_fast_path_equals_the_full_path(text):
    if not text:
        return
    assert md._to_html.__wrapped__(text) == md._full_html(text)


@given(st.text(max_size=40))
@settings(max_examples=1500, deadline=None, database=None)
def test_fast_path_equals_the_full_path_for_any_text(text):
    if not text:
        return
    assert md._to_html.__wrapped__(text) == md._full_html(text)


def test_generated_faq_answers_take_the_fast_path():
    answer = ('Point the OpenAI SDK at https://api.aigateway.sh/v1 with your AIgateway key and set model '
              'to "meta/llama-3.2-1b-instruct". The request and response shapes match OpenAI exactly.')
    assert md._PLAIN.fullmatch(answer)


@settings(max_examples=2000, deadline=None, database=None)
@given(texts)
def test_plain_text_fast_path_equals_the_full_path(text):
    # the one-line fast path skips stripping the tags and decoding the entities of "<p>text</p>"
    full = md._strip_tags(md._full_html(text)) if text else ""
    full = full.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    assert md.plain_text(text) == " ".join(full.split())

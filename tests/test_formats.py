"""How figures read on the page: the seed page's own figures first, then the edges."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import formats
from generator.render.env import make_env


@pytest.mark.parametrize("value, text", [
    (0.015, "$0.015"),  # seed page
    (0.03, "$0.030"),  # seed page
    (0.030, "$0.030"),
    (0.1, "$0.100"),
    (0.5, "$0.500"),
    (0.0001, "$0.0001"),
    (0.000125, "$0.000125"),
    (1, "$1.00"),
    (1.25, "$1.25"),
    (1.125, "$1.125"),
    (2.5, "$2.50"),
    (15, "$15.00"),
    (1234.5, "$1,234.50"),
    (0, "$0"),
    (None, "—"),
])
def test_price(value, text):
    assert formats.price(value) == text


def test_price_of_zero_can_say_free():
    assert formats.price(0, free="Free") == "Free"
    assert formats.price(0.0, free="Free") == "Free"


@pytest.mark.parametrize("n, text", [
    (128000, "128K"),  # seed page; also 125 * 1024, but written in thousands
    (4096, "4K"),  # seed page
    (8192, "8K"),
    (32768, "32K"),
    (131072, "128K"),
    (200000, "200K"),
    (262144, "256K"),
    (163840, "160K"),
    (12345, "12K"),
    (1000, "1K"),
    (1024, "1K"),
    (1500, "1.5K"),
    (999_500, "1M"),  # rounds up to the next unit, never "1000K"
    (1_000_000, "1M"),
    (1_048_576, "1M"),
    (1_500_000, "1.5M"),
    (2_000_000, "2M"),
    (2_097_152, "2M"),
    (999, "999"),
    (0, "0"),
    (None, "—"),
])
def test_tokens(n, text):
    assert formats.tokens(n) == text


@pytest.mark.parametrize("n, text", [
    (215_900_000, "215.9M"),  # seed page
    (273_400, "273.4K"),  # seed page
    (999, "999"),
    (1000, "1K"),
    (1050, "1.1K"),
    (999_949, "999.9K"),
    (999_950, "1M"),  # never "1000K"
    (1_000_000, "1M"),
    (1_234_567_890, "1.2B"),
    (2_500_000_000_000, "2.5T"),
    (0, "0"),
    (None, "—"),
])
def test_count(n, text):
    assert formats.count(n) == text


@pytest.mark.parametrize("n, text", [
    (128000, "128,000"),  # seed page
    (4096, "4,096"),  # seed page
    (5, "5"),
    (5.0, "5"),  # a fee percent typed `5` is read as 5.0: "5% platform fee"
    (2.5, "2.5"),
    (1234567, "1,234,567"),
])
def test_number(n, text):
    assert formats.number(n) == text


@pytest.mark.parametrize("share, text", [
    (None, "—"),
    (0, "0%"),
    (0.00004, "<0.01%"),
    (0.0001, "0.01%"),
    (0.005, "0.5%"),
    (0.1234, "12.3%"),
    (0.5, "50%"),
    (1.0, "100%"),
])
def test_percent(share, text):
    assert formats.percent(share) == text


@pytest.mark.parametrize("value, text", [
    (0, "$0"),
    (0.0042, "$0.0042"),
    (0.5, "$0.50"),
    (1234.567, "$1,234.57"),
])
def test_money(value, text):
    assert formats.money(value) == text


@pytest.mark.parametrize("items, text", [
    ([], ""),
    (["text"], "text"),
    (["text", "image"], "text and image"),
    (["text", "image", "audio"], "text, image and audio"),
])
def test_join_words(items, text):
    assert formats.join_words(items) == text
    assert formats.join_words(iter(items)) == text


def test_join_words_with_or():
    assert formats.join_words(["a", "b", "c"], last="or") == "a, b or c"


@pytest.mark.parametrize("value, html", [
    (0.015, '$0.015<span class="unit"> /1M</span>'),
    (2.5, '$2.50<span class="unit"> /1M</span>'),
    (2, '$2.00<span class="unit"> /1M</span>'),
    (0, "Free"),
    (None, "—"),
])
def test_price_per_million_as_html_from_the_filter_and_the_macro(value, html, tmp_path: Path):
    env = make_env(tmp_path)
    assert env.from_string("{{ v | per_m }}").render(v=value) == html
    assert env.from_string('{% import "_macros.html" as ui %}{{ ui.per_m(v) }}').render(v=value) == html


@pytest.mark.parametrize("flag, word", [(True, "Yes"), (False, "No"), (None, "No")])
def test_yes_no_says_the_word_beside_the_glyph(flag, word, tmp_path: Path):
    env = make_env(tmp_path)
    html = env.from_string("{{ f | yesno }}").render(f=flag)
    assert html.endswith(f"</span>{word}</span>") and 'aria-hidden="true"' in html
    assert env.from_string('{% import "_macros.html" as ui %}{{ ui.yesno(f) }}').render(f=flag) == html

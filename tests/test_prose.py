"""generator.prose: the words every output writes the same way (fee sentences, link labels, counts).

The unit tests pin each function; the build tests check that a page, its Markdown twin and
llms.txt write the same labels, the same fee sentences and no "1 models" anywhere.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import MODEL_PATH, make_project, valid_files
from generator.build import build
from generator.prose import fee_note, link_label, platform_fee, plural
from generator.records.schema import Fee


@pytest.mark.parametrize("key, label", [
    ("github", "GitHub"), ("hf", "Hugging Face"), ("huggingface", "Hugging Face"), ("arxiv", "arXiv"),
    ("api_reference", "API reference"), ("model_card", "Model card"), ("status", "Status page"),
    ("release-notes", "Release notes"), ("weights", "Weights"), ("paper_v2", "Paper v2"),
])
def test_link_label(key, label):
    assert link_label(key) == label


@pytest.mark.parametrize("n, text", [(0, "0 models"), (1, "1 model"), (2, "2 models"), (10_000, "10,000 models")])
def test_plural(n, text):
    assert plural(n, "model") == text


def test_fee_sentences():
    assert fee_note(Fee(percent=5, note="Billed at top-up.")) == "Billed at top-up."
    assert fee_note(Fee(percent=5.0)) == "A 5% platform fee applies."
    assert fee_note(Fee(percent=2.5)) == "A 2.5% platform fee applies."
    assert fee_note(Fee()) == fee_note(Fee(percent=0)) == ""
    assert platform_fee(Fee(percent=2.5, note="Billed at top-up.")) == "the 2.5% platform fee"
    assert platform_fee(Fee(note="Billed at top-up.")) == ""


LINKS = {"github": "https://github.com/x/y", "hf": "https://huggingface.co/x", "release-notes": "https://x.example/n"}
LABELS = {"https://github.com/x/y": "GitHub", "https://huggingface.co/x": "Hugging Face",
          "https://x.example/n": "Release notes"}


@pytest.fixture(scope="module")
def one_model_site(tmp_path_factory):
    """A catalog of one model from one provider, a plain 2.5% fee and links under every kind of key."""
    files = valid_files()
    links = "".join(f"  {k}: {v}\n" for k, v in LINKS.items())
    files["site.yaml"] = (files["site.yaml"]
                          .replace("  percent: 5\n  note: You pay pass-through; 5% applied at credit top-up, not per call.\n",
                                   "  percent: 2.5\n")
                          .replace("links:\n", "links:\n" + links))
    files[MODEL_PATH] += "links:\n" + links
    project = make_project(tmp_path_factory.mktemp("prose"), files)
    build(project, project / "site")
    return project / "site"


def test_page_twin_and_llms_txt_label_links_alike(one_model_site):
    page = BeautifulSoup((one_model_site / "models/meta/llama-3.2-1b-instruct/index.html").read_text(), "html.parser")
    twin = (one_model_site / "models/meta/llama-3.2-1b-instruct.md").read_text()
    llms = (one_model_site / "llms.txt").read_text()
    for url, label in LABELS.items():
        on_page = {a.get_text().replace("↗", "").strip() for a in page.find_all("a", href=url)}
        assert on_page == {label}, url  # the model's Links section and the footer's site links
        assert re.findall(rf"- \[([^\]]*)\]\(<{re.escape(url)}>\)", twin) == [label]
        assert re.findall(rf"\[([^\]]*)\]\({re.escape(url)}\)", llms) == [label]


def test_fee_sentences_are_the_same_everywhere(one_model_site):
    sentence = "A 2.5% platform fee applies."
    for rel in ("index.html", "pricing/index.html", "models/meta/llama-3.2-1b-instruct/index.html",
                "models/meta/llama-3.2-1b-instruct.md", "llms.txt", "pricing.md"):
        assert sentence in (one_model_site / rel).read_text(), rel
    pricing = (one_model_site / "pricing/index.html").read_text()
    assert "Estimates are per month and include the 2.5% platform fee." in pricing
    assert "the monthly estimate includes the 2.5% platform fee." in pricing
    assert "the monthly estimate includes the 2.5% platform fee." in (one_model_site / "pricing.md").read_text()
    assert ", without the 2.5% platform fee." in (one_model_site / "providers/meta/index.html").read_text()
    every = " ".join(p.read_text() for p in one_model_site.rglob("*") if p.suffix in (".html", ".md", ".txt"))
    assert sorted(set(re.findall(r"\d+(?:\.\d+)?% platform fee", every))) == ["2.5% platform fee"]


def test_one_of_a_kind_is_counted_in_the_singular(one_model_site):
    texts = {p.relative_to(one_model_site).as_posix(): p.read_text() for p in one_model_site.rglob("*")
             if p.suffix in (".html", ".md", ".txt", ".json", ".xml")}
    wrong = sorted(f"{rel}: {m}" for rel, text in texts.items()
                   for m in re.findall(r"\b1 (?:AI )?(?:models|providers|collections|changes)\b", text))
    assert wrong == []
    assert "1 model from 1 provider" in texts["index.html"]
    assert "1 provider." in texts["providers.md"]

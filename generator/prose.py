"""The words more than one output writes: the fee sentences, link labels and counted nouns.

An HTML page, its Markdown twin, llms.txt and the FAQ each say these things; made here
once, they cannot drift apart (a page once said "GitHub" where its .md twin said "Github").
generator.render.env registers them for templates. tests/test_prose.py holds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import formats

if TYPE_CHECKING:
    from .records.schema import Fee

# Keys of a `links` map (site.yaml's and each model's) spelled as their owners spell them.
LINK_LABELS = {"api_reference": "API reference", "api": "API", "docs": "Docs", "faq": "FAQ", "github": "GitHub",
               "huggingface": "Hugging Face", "hf": "Hugging Face", "model_card": "Model card", "arxiv": "arXiv",
               "status": "Status page"}


def link_label(key: str) -> str:
    """Return the label of a `links` key: "github" -> "GitHub", any other "release-notes" -> "Release notes"."""
    return LINK_LABELS.get(key) or key.replace("_", " ").replace("-", " ").capitalize()


def plural(n: int, word: str) -> str:
    """Return '1 model', '2 models', '10,000 models'."""
    return f"{formats.number(n)} {word}{'' if n == 1 else 's'}"


def fee_note(fee: Fee) -> str:
    """Return the sentence shown beside every price ("" without a fee): site.yaml's note, else the percent.

    The fee is never added into a price: every price kind (tokens, tiers, variants, offers,
    per-unit fees) is shown as authored with this one sentence beside it.
    """
    if fee.note:
        return fee.note
    if fee.percent:
        return f"A {formats.number(fee.percent)}% platform fee applies."
    return ""


def platform_fee(fee: Fee) -> str:
    """Return "the 5% platform fee", as the sentences that name it write it ("" without a percent).

    Cost estimates include it; calls with the user's own provider key (BYOK) skip it.
    """
    return f"the {formats.number(fee.percent)}% platform fee" if fee.percent else ""

"""Every route and output path of a site, in one place (CONTRACT.md's output layout).

Site paths are relative to the site's root, with forward slashes: a folder path ("models/a/b/")
is an HTML page's URL, served from its index.html; "" is the home page. The resolver
(generator.site) and every renderer take their paths from here. tests/test_layout.py holds the
layout to the contract.
"""

from __future__ import annotations

# the machine files at the root, and below api/ and schema/
LLMS = "llms.txt"
LLMS_FULL = "llms-full.txt"
LLMS_INDEX = "llms-index.txt"  # the unbounded index, written only when llms.txt cannot hold it
OPENAPI_JSON = "openapi.json"
SITEMAP = "sitemap.xml"
FEED = "feed.xml"
API_MODELS = "api/models.json"
API_INDEX = "api/index.json"
API_MODELS_DEV = "api/models-dev.json"
API_OPENROUTER = "api/openrouter.json"
MODEL_SCHEMA = "schema/model.json"


def model(model_id: str) -> str:
    """The page of a model "<provider>/<slug>": models/<provider>/<slug>/."""
    return f"models/{model_id}/"


def model_md(model_id: str) -> str:
    return f"models/{model_id}.md"


def model_json(model_id: str) -> str:
    return f"models/{model_id}.json"


def provider(provider_id: str) -> str:
    return f"providers/{provider_id}/"


def provider_md(provider_id: str) -> str:
    return f"providers/{provider_id}.md"


def provider_llms(provider_id: str) -> str:
    return f"providers/{provider_id}/{LLMS}"


def provider_llms_full(provider_id: str) -> str:
    return f"providers/{provider_id}/{LLMS_FULL}"


def collection(collection_id: str) -> str:
    return f"collections/{collection_id}/"


def doc(doc_id: str) -> str:
    return f"docs/{doc_id}/"


def page_path(base: str, n: int) -> str:
    """The site path of page n (1-based) of the listing at base: base itself, then base/page/<n>/."""
    return base if n <= 1 else f"{base}page/{n}/"


def twin_of(path: str) -> str:
    """The Markdown twin of an HTML page's site path: "pricing/" -> "pricing.md", "" -> "index.md"."""
    return path.rstrip("/") + ".md" if path else "index.md"

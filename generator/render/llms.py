"""llms.txt (llmstxt.org) for agents: the root index, one index per provider, and llms-full.txt.

The root is an H1, a `>` summary, a paragraph on calling the API, then H2
sections holding only `- [title](absolute URL): note` lines. It stays under
LIMIT characters (and bytes) at any catalog size by stepping down a ladder:

1. every model listed, one "## Models: <provider>" section per provider;
2. one line per provider pointing at `providers/<p>/llms.txt` (always written),
   with a note of prices and context, then with a shorter note, then none;
3. past that (thousands of providers) the largest providers and the pages that
   fit, plus a line to `llms-index.txt`, the same index without the bound.

Every link leads to Markdown (or another llms.txt): the listings to their
Markdown twins, the API and machine files (OpenAPI, JSON, sitemap, feed) to
API_PAGE, a Markdown page that lists them. llms-full.txt is bounded too: past
FULL_LIMIT it keeps the docs and links one providers/<p>/llms-full.txt per
provider instead of listing every model.

Every text from a record goes through markdown.inline_text (newlines folded,
Markdown syntax escaped); link titles also lose their square brackets, which
no llms.txt reader can take inside `[...]`. URLs are built from validated ids.
tests/test_llms_txt.py parses the files with the reference parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import formats, urls
from ..prose import link_label, plural
from . import markdown as md
from .context import RenderContext
from .data import MODELS_PATH, SCHEMA_PATH
from .mdtext import clean_markdown, rebaser
from .twins import doc_md_path
from ..site import ModelEntry, ProviderEntry, Site, price_rows
from ..write import Output

LIMIT = 50_000  # llms.txt stays strictly below this many characters and bytes
INDEX_PATH = urls.LLMS_INDEX  # the unbounded index, written only when the root cannot hold it
FULL_PATH = urls.LLMS_FULL
FULL_LIMIT = 500_000  # llms-full.txt lists every model only below this many bytes (~125,000 tokens)
API_PAGE = "api.md"  # the API and machine files, as a Markdown page


# --- text pieces ---------------------------------------------------------------

def clip(text: str, limit: int) -> str:
    """Return text folded to one line and cut at a word boundary to at most limit characters."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(",;:.") + "…"


def title(text: str, fallback: str = "untitled", limit: int = 120) -> str:
    """Return plain text as a link title: one line, no square brackets, Markdown escaped."""
    plain = clip(str(text).replace("[", "(").replace("]", ")"), limit)
    return md.inline_text(plain) or md.inline_text(fallback)


def note(text: str, limit: int = 200) -> str:
    return md.inline_text(clip(text, limit))


def safe_url(url: str) -> str:
    """Return an absolute URL that cannot end a Markdown link early (parentheses encoded)."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def line(text: str, url: str, description: str = "") -> str:
    entry = f"- [{text}]({safe_url(url)})"
    return f"{entry}: {description}" if description else entry


def section(name: str, lines: list[str]) -> str:
    return f"## {name}\n\n" + "\n".join(lines) + "\n"


def head(h1: str, summary: str, details: str) -> str:
    return f"# {md.inline_text(clip(h1, 200))}\n\n> {note(summary, 400)}\n\n{details}\n"


def size(text: str) -> int:
    """Return the length that the bound applies to: UTF-8 bytes, never fewer than characters."""
    return len(text.encode("utf-8"))


# --- lines -----------------------------------------------------------------------

def model_note(m: ModelEntry) -> str:
    rec = m.record
    output = f", {formats.price(rec.pricing.output)} output" if rec.pricing.output is not None else ""
    text = f"{formats.price(rec.pricing.input)} input{output} per 1M tokens"
    if m.tiers:
        text += f" (more above {formats.tokens(m.tiers[0].above)})"
    text += f"; {formats.tokens(rec.limits.context)} context"
    if m.lifecycle == "scheduled":
        text += f"; deprecation scheduled {rec.deprecation.date.isoformat()}"
    elif m.lifecycle == "shut_down":
        text += "; shut down"
    elif rec.status != "active" or m.lifecycle == "deprecated":
        text += f"; {'deprecated' if m.lifecycle == 'deprecated' else rec.status}"
    return text


def model_line(site: Site, m: ModelEntry) -> str:
    return line(title(m.name, m.id), site.absolute(m.md_path), model_note(m))


def provider_note(p: ProviderEntry, detail: int) -> str:
    n = len(p.models)
    count = plural(n, "model")
    if detail < 2 or not p.models:
        return count if detail else ""
    lo = min(m.record.pricing.input for m in p.models)
    hi = max(m.record.pricing.input for m in p.models)
    prices = formats.price(lo) if lo == hi else f"{formats.price(lo)}–{formats.price(hi)}"
    ctx = max(m.record.limits.context for m in p.models)
    return f"{count}; input {prices} per 1M tokens; context up to {formats.tokens(ctx)}"


def provider_line(site: Site, p: ProviderEntry, detail: int) -> str:
    return line(title(p.name, p.id), site.absolute(p.llms_path), provider_note(p, detail))


def model_section_names(site: Site) -> dict[str, str]:
    """Return provider id -> its unique H2 name ("Models: Meta"); the parser keys sections by name."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for p in site.providers:
        name = f"Models: {title(p.name, p.id)}"
        if name.lower() in taken:
            name = f"Models: {title(p.name, p.id)} \\({p.id}\\)"
        n = 2
        while name.lower() in taken:  # only if a provider is named like another's fallback
            name = f"Models: {title(p.name, p.id)} \\({p.id}\\) {n}"
            n += 1
        taken.add(name.lower())
        names[p.id] = name
    return names


def api_lines(site: Site) -> list[str]:
    return [line("API and machine-readable files", site.absolute(API_PAGE),
                 "the OpenAPI 3.1 spec (JSON and YAML), every model as JSON, the model JSON Schema, "
                 "the sitemap and the feed, each described")]


def machine_files(site: Site) -> list[tuple[str, str, str]]:
    """Return (title, site path, note) of every machine-readable file, as API_PAGE lists them."""
    return [
        ("OpenAPI spec (JSON)", "openapi.json",
         "OpenAPI 3.1 of the gateway: chat completions (JSON and server-sent events), models, every error"),
        ("OpenAPI spec (YAML)", "openapi.yaml", "the same specification as YAML"),
        ("Models as JSON", MODELS_PATH, "every model with prices, limits and capabilities, in the shape of GET /models"),
        ("Model JSON Schema", SCHEMA_PATH, "the schema of each model's JSON document"),
        ("Sitemap", "sitemap.xml", "every HTML page"),
        ("New models feed", "feed.xml", "Atom feed of the newest models"),
    ]


def docs_lines(site: Site) -> list[str]:
    return [line(title(d.title, d.id), site.absolute(doc_md_path(d)), note(d.description)) for d in site.docs]


def page_lines(site: Site) -> list[str]:
    """Return the Optional lines every root has: the full file and the listings, as Markdown."""
    from .twins import twin_of

    lines = [
        line("llms-full.txt", site.absolute(FULL_PATH), "every docs page and every model in one file"),
        line("Model catalog", site.absolute(twin_of("")), "every model, most used first (Markdown)"),
        line("Providers", site.absolute(twin_of("providers/")), "every provider and its number of models (Markdown)"),
        line("Collections", site.absolute(twin_of("collections/")), "every collection of models (Markdown)"),
        line("Pricing", site.absolute(twin_of("pricing/")), "every model's prices (Markdown)"),
        line("Compare", site.absolute(twin_of("compare/")), "how to compare models side by side (Markdown)"),
    ]
    if site.has_history:  # the changelog exists only with the catalog's git history
        lines.append(line("Changelog", site.absolute("changelog.md"),
                          "new models, price changes, deprecations and removals, newest first (Markdown)"))
    if site.leaderboard:  # the page exists only when some record has usage
        lines.append(line("Leaderboard", site.absolute(twin_of("leaderboard/")), "models ranked by usage (Markdown)"))
    for c in site.collections:
        n = len(c.models)
        lines.append(line(title(f"Collection: {c.title}", c.id), site.absolute(twin_of(c.path)),
                          note(c.description or plural(n, "model"))))
    for name, url in sorted(site.record.links.items()):
        if "{model}" not in url:
            lines.append(line(title(link_label(name), name), url, f"{note(site.name, 80)} {link_label(name)}, on the web"))
    return lines


def provider_page_lines(site: Site, p: ProviderEntry) -> list[str]:
    return [line(title(f"{p.name} models", p.id), site.absolute(p.md_path),
                 f"the {note(p.name, 80)} page as Markdown, with a table of its models")]


def details(site: Site, example: str | None, extra: str = "") -> str:
    api = site.api
    base = api.base_url.rstrip("/")
    text = (f"{md.inline_text(clip(site.name, 200))} serves these models through one OpenAI-compatible API. "
            f"Base URL: {base} (for example `POST {base}/chat/completions`). "
            f"Authenticate with the header `Authorization: Bearer ${api.key_env}`")
    text += (f" (keys look like {md.inline_text(clip(api.key_prefix, 40))}...)." if api.key_prefix else ".")
    text += " Set `model` to a model id"
    text += f" such as `{example}`" if example else ""
    text += ("; any OpenAI SDK works once its base URL points there. Model links lead to each model's page "
             "as Markdown: prices in USD per 1M tokens, context in tokens, a curl and SDK quickstart, "
             "the request and response schema and the errors.")
    fee = site.fee_note
    if fee:
        text += " " + note(fee, 300)
    if extra:
        text += " " + extra
    return text


# --- files -----------------------------------------------------------------------

@dataclass
class Root:
    text: str
    level: str  # "full", "nested", "nested-short", "nested-bare" or "overflow"
    index: str | None = None  # llms-index.txt when level is "overflow"


def summary_of(site: Site) -> str:
    n, p = len(site.models), len(site.providers)
    return site.record.tagline or (f"{plural(n, 'AI model')} from {plural(p, 'provider')}, callable through "
                                   f"{site.name}'s OpenAI-compatible API.")


def root_llms(site: Site, model_lines: dict[str, str] | None = None, limit: int = LIMIT) -> Root:
    """Return the root llms.txt, as detailed as the bound allows."""
    if model_lines is None:
        model_lines = {m.id: model_line(site, m) for m in site.models}
    example = site.models[0].id if site.models else None
    h1, summary = site.name, summary_of(site)
    docs = docs_lines(site)
    pages = page_lines(site)
    n, np = len(site.models), len(site.providers)

    # 1. everything
    names = model_section_names(site)
    parts = [head(h1, summary, details(site, example)), section("API", api_lines(site))]
    if docs:
        parts.append(section("Docs", docs))
    parts += [section(names[p.id], [model_lines[m.id] for m in p.models]) for p in site.providers if p.models]
    optional = pages + [ln for p in site.providers for ln in provider_page_lines(site, p)]
    parts.append(section("Optional", optional))
    text = "\n".join(parts)
    if size(text) < limit:
        return Root(text, "full")

    # 2. one line per provider, linking its own llms.txt
    nested_details = details(site, example, (
        f"The catalog holds {plural(n, 'model')} from {plural(np, 'provider')}, too many to list here: each line under "
        "Models links that provider's own llms.txt, which lists its models and its page."))
    listed = list(site.providers)
    for detail, level in ((2, "nested"), (1, "nested-short"), (0, "nested-bare")):
        parts = [head(h1, summary, nested_details), section("API", api_lines(site))]
        if docs:
            parts.append(section("Docs", docs))
        parts.append(section("Models", [provider_line(site, p, detail) for p in listed]))
        parts.append(section("Optional", pages))
        text = "\n".join(parts)
        if size(text) < limit:
            return Root(text, level)
    index = text_nested(site, h1, summary, nested_details, docs, pages, listed)

    # 3. the largest providers and what else fits, plus the complete index
    over_details = details(site, example, (
        f"The catalog holds {plural(n, 'model')} from {plural(np, 'provider')}. This file lists the largest providers; "
        f"{INDEX_PATH} lists every provider and page. Each provider line links that provider's own llms.txt."))
    fixed = [head(h1, summary, over_details), section("API", api_lines(site))]
    index_line = line("Complete index", site.absolute(INDEX_PATH),
                      f"every provider ({np:,}) and every page, in this format")
    by_size = sorted(listed, key=lambda p: (-len(p.models), p.id))
    # Filled in order of worth (docs, then the site's pages, then the largest providers),
    # written in the usual order; whatever does not fit is in the complete index.
    candidates = {"Docs": docs, "Optional": pages, "Models": [provider_line(site, p, 1) for p in by_size]}
    chosen: dict[str, list[str]] = {"Docs": [], "Models": [index_line], "Optional": []}
    used = size("\n".join(fixed)) + 1 + size("## Models\n\n") + size(index_line) + 1
    for name in ("Docs", "Optional", "Models"):
        heading = 0 if chosen[name] else 1 + size(f"## {name}\n\n")
        for ln in candidates[name]:
            cost = size(ln) + 1 + heading
            if used + cost >= limit:
                break
            chosen[name].append(ln)
            used += cost
            heading = 0
    parts = fixed + [section(name, chosen[name]) for name in ("Docs", "Models", "Optional") if chosen[name]]
    return Root("\n".join(parts), "overflow", index)


def text_nested(site: Site, h1: str, summary: str, det: str, docs: list[str], pages: list[str],
                listed: list[ProviderEntry]) -> str:
    parts = [head(h1, summary, det), section("API", api_lines(site))]
    if docs:
        parts.append(section("Docs", docs))
    parts.append(section("Models", [provider_line(site, p, 2) for p in listed]))
    parts.append(section("Optional", pages))
    return "\n".join(parts)


def provider_llms(site: Site, p: ProviderEntry, model_lines: dict[str, str], section_name: str) -> str:
    """Return providers/<p>/llms.txt: the provider's models, each linking its .md."""
    n = len(p.models)
    summary = md.plain_text(p.description) if p.description else ""
    if not summary:
        summary = (f"{plural(n, 'model')} from {p.name}, callable through "
                   f"{site.name}'s OpenAI-compatible API.")
    example = p.models[0].id if p.models else None
    det = details(site, example, f"This index lists the {plural(n, note(p.name, 100) + ' model')} of the catalog.")
    parts = [head(f"{p.name} models on {site.name}", summary, det)]
    lines = [model_lines[m.id] for m in p.models]
    if lines:
        parts.append(section(section_name, lines))
    optional = provider_page_lines(site, p) + [
        line(title(f"{site.name} llms.txt", "llms.txt"), site.absolute("llms.txt"), "every provider and page"),
    ]
    parts.append(section("Optional", optional))
    return "\n".join(parts)


def llms_full(site: Site, limit: int = FULL_LIMIT) -> tuple[str, dict[str, str]]:
    """Return llms-full.txt and the per-provider full files it links (none below the bound).

    Below limit bytes it inlines every docs page, then a compact entry for every model;
    past it, the docs and one line per provider, linking providers/<p>/llms-full.txt.
    """
    example = site.models[0].id if site.models else None
    docs = []
    for d in site.docs:
        body = clean_markdown(d.body, shift=2, rebase=rebaser(d.path, absolute=site.absolute))
        body = _drop_title(body, d.title)
        docs.append(f"## Docs: {md.inline_text(clip(d.title, 200))}\n\nSource: {site.absolute(doc_md_path(d))}\n\n"
                    f"{body}\n")
    n = len(site.models)
    out = [head(f"{site.name}: full catalog", summary_of(site), details(
        site, example, f"This file inlines every docs page, then lists all {plural(n, 'model')}; "
                       f"the index is {site.absolute('llms.txt')}."))] + docs
    out.append(f"## Models\n\n{plural(n, 'model')}, by id. Prices are USD per 1M tokens.\n")
    out.extend(model_entry(site, m) for m in site.models)
    text = "\n".join(out)
    if size(text) < limit:
        return text, {}
    out = [head(f"{site.name}: full catalog", summary_of(site), details(
        site, example, f"This file inlines every docs page. The {n:,} models are too many for one file: "
                       f"each provider's full file below lists its models; the index is "
                       f"{site.absolute('llms.txt')}."))] + docs
    lines = [line(title(p.name, p.id), site.absolute(provider_full_path(p)), provider_note(p, 1))
             for p in site.providers]
    out.append(section("Providers", lines))
    files = {provider_full_path(p): provider_full(site, p) for p in site.providers}
    return "\n".join(out), files


def provider_full_path(p: ProviderEntry) -> str:
    return urls.provider_llms_full(p.id)


def provider_full(site: Site, p: ProviderEntry) -> str:
    """Return providers/<p>/llms-full.txt: a compact entry for every model of one provider."""
    n = len(p.models)
    example = p.models[0].id if p.models else None
    out = [head(f"{p.name} models on {site.name}: full list",
                f"{plural(n, 'model')} from {p.name}, callable through {site.name}'s "
                "OpenAI-compatible API.",
                details(site, example, f"This file lists the {plural(n, note(p.name, 100) + ' model')}; "
                                       f"the index is {site.absolute('llms.txt')}."))]
    out.append(f"## Models\n\n{plural(n, 'model')}, by id. Prices are USD per 1M tokens.\n")
    out.extend(model_entry(site, m) for m in p.models)
    return "\n".join(out)


def api_page(site: Site) -> str:
    """Return API_PAGE: the API in a paragraph and every machine-readable file, linked and described."""
    from .twins import pointer

    example = site.models[0].id if site.models else None
    lines = [line(t, site.absolute(path), n) for t, path, n in machine_files(site)]
    return (pointer(site) + f"# {md.inline_text(clip(site.name, 200))} API and machine-readable files\n\n"
            f"{details(site, example)}\n\n" + section("Files", lines))


def _drop_title(body: str, doc_title: str) -> str:
    """Drop a first heading that only repeats the page title (it is the section name)."""
    lines = body.split("\n")
    for i, ln in enumerate(lines):
        if ln.strip():
            if ln.lstrip("#").strip() == doc_title.strip() and ln.startswith("#"):
                return "\n".join(lines[i + 1:]).strip("\n")
            break
    return body


def model_entry(site: Site, m: ModelEntry) -> str:
    rec = m.record
    prices = ", ".join(f"{r.label.lower()} {formats.price(r.value)}" + ("" if r.per_token else f" per {r.unit}")
                       for r in m.price_rows)
    for t in m.record.pricing.tiers:  # only what changes above it
        prices += f"; above {formats.number(t.above)} prompt tokens: " + ", ".join(
            f"{r.label.lower()} {formats.price(r.value)}" for r in price_rows(t))
    for _, label, rows in m.variants:
        prices += f"; {label.lower()}: " + ", ".join(f"{r.label.lower()} {formats.price(r.value)}" for r in rows)
    if len(m.offers) > 1:
        prices += f"; {len(m.offers)} hosts, cheapest {m.offers[0].label}"
    caps = ", ".join(label.lower() for _, label, yes in m.capabilities if yes) or "none"
    status = rec.status
    dep = rec.deprecation
    if dep:
        word = "deprecation scheduled" if m.lifecycle == "scheduled" else "retired"
        status += f" ({word} {dep.date.isoformat()}"
        if dep.shutdown:
            status += f", shutdown {dep.shutdown.isoformat()}"
        status += f", use {m.replacement.id})" if m.replacement else ")"
    lines = [
        f"### {md.inline_text(clip(rec.name, 200))}",
        "",
        md.inline_text(rec.summary),
        "",
        f"- id: {m.id}",
        f"- provider: {md.inline_text(clip(m.provider.name, 200))} ({m.provider_id})",
        f"- price per 1M tokens: {prices}",
        f"- context: {formats.number(rec.limits.context)} tokens; max output: "
        f"{formats.number(rec.limits.max_output)} tokens",
        f"- modalities: input {', '.join(rec.modalities.input)}; output {', '.join(rec.modalities.output)}",
        f"- capabilities: {caps}",
        f"- status: {status}",
        f"- kind: {rec.kind}",
        f"- released: {m.released or 'not published'}",
        f"- url: {site.absolute(m.path)} (Markdown: {site.absolute(m.md_path)})",
        "",
    ]
    return "\n".join(lines)


def llms_files(ctx: RenderContext) -> Iterator[Output]:
    """Yield llms.txt, every providers/<p>/llms.txt, llms-index.txt if needed, llms-full.txt (and its
    per-provider files past its bound) and API_PAGE."""
    site = ctx.site
    model_lines = {m.id: model_line(site, m) for m in site.models}
    root = root_llms(site, model_lines)
    yield Output(urls.LLMS, root.text.encode("utf-8"))
    if root.index is not None:
        yield Output(INDEX_PATH, root.index.encode("utf-8"))
    names = model_section_names(site)
    for p in site.providers:
        yield Output(p.llms_path, provider_llms(site, p, model_lines, names[p.id]).encode("utf-8"))
    full, per_provider = llms_full(site)
    yield Output(FULL_PATH, full.encode("utf-8"))
    for path, text in per_provider.items():
        yield Output(path, text.encode("utf-8"))
    yield Output(API_PAGE, api_page(site).encode("utf-8"))

"""llms.txt, providers/<p>/llms.txt and llms-full.txt, read the way agents read them.

Each file goes through the reference parser (llms_txt.parse_llms_file). That parser is
loose, so the structure is also checked line by line: H1, `>` summary, one details
paragraph, then H2 sections holding only `- [title](absolute URL): note` lines. From the
root, every HTML page of the site is reachable (directly or through its Markdown twin),
every model through at most one nested index, and the root stays under 50,000 characters
for a 10,000-model catalog and for thousands of providers.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml
from llms_txt import parse_llms_file

from tests.builds import built
from tests.machine_catalog import built_machine, fast_site

from generator.catalog import load_catalog
from generator.render import markdown as md
from generator.render.context import RenderContext
from generator.render.llms import (FULL_LIMIT, INDEX_PATH, LIMIT, llms_files, llms_full, provider_full_path,
                                  root_llms, size)
from generator.records import schema
from generator.records.load import Records
from generator.site import build_site

LINK = re.compile(r"^- \[[^\]]+\]\(https?://[^)]+\)(: .*)?$")
SITES = {"example": lambda: built("example"), "project": lambda: built("project"), "machine": built_machine}


def conf(site: Path) -> dict:
    return yaml.safe_load((site.parent / "catalog" / "site.yaml").read_text(encoding="utf-8"))


def base_url(site: Path) -> str:
    url = conf(site)["url"]
    return url if url.endswith("/") else url + "/"


def check_llms(text: str):
    """Parse an llms.txt with the reference parser and check its structure strictly; return the parse."""
    assert text.endswith("\n") and "\r" not in text
    assert text.splitlines() == text.split("\n")[:-1], "a character that splits lines slipped through"
    lines = text.split("\n")[:-1]
    assert lines[0].startswith("# ") and lines[1] == ""
    assert lines[2].startswith("> ") and lines[3] == ""
    assert lines[4] and not lines[4].startswith(("#", ">", "- ")) and lines[5] == ""
    names = []
    for i, line in enumerate(lines[6:], 6):
        if line.startswith("## "):
            names.append(line[3:])
            assert lines[i + 1] == "" and LINK.match(lines[i + 2]), f"section {line!r} starts with no link"
        elif line:
            assert LINK.match(line), f"line {i + 1} is not a link line: {line!r}"
            assert not line.startswith("## ")
    parsed = parse_llms_file(text)
    assert list(parsed.sections) == names, "section names must be unique and all seen by the parser"
    for name, links in parsed.sections.items():
        for link in links:
            assert link.url.startswith(("http://", "https://")) and link.title
    return parsed


def section_urls(parsed) -> dict[str, list[str]]:
    return {name: [link.url for link in links] for name, links in parsed.sections.items()}


def html_of(path: str) -> str | None:
    """Return the HTML page a site path stands for (a Markdown twin stands for its page)."""
    if path == "" or path.endswith("/"):
        return path + "index.html"
    if path == "index.md":  # the catalog's twin
        return "index.html"
    if path.endswith(".md"):
        return path[:-3] + "/index.html"
    if path.endswith(".html"):
        return path
    return None


def reach(files: dict[str, str], base: str, external: frozenset = frozenset()) -> tuple[set[str], dict[str, int]]:
    """Follow llms.txt links; return (site paths linked, depth of each nested index visited).

    external: URLs of site.yaml `links`, which may sit under the site's URL without being its files.
    """
    linked: set[str] = set()
    depth = {"llms.txt": 0}
    queue = ["llms.txt"]
    while queue:
        current = queue.pop(0)
        parsed = check_llms(files[current])
        for links in parsed.sections.values():
            for link in links:
                if not link.url.startswith(base) or link.url in external:
                    continue
                path = link.url[len(base):]
                linked.add(path)
                if path.endswith(".txt") and path != "llms-full.txt" and path not in depth:
                    depth[path] = depth[current] + 1
                    queue.append(path)
    return linked, depth


def site_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in site.rglob("*.txt")}


# --- built sites -------------------------------------------------------------------------

@pytest.mark.parametrize("name", SITES)
def test_root_llms_txt_format(name):
    site = SITES[name]()
    c = conf(site)
    text = (site / "llms.txt").read_text(encoding="utf-8")
    assert len(text) < LIMIT and len(text.encode("utf-8")) < LIMIT
    parsed = check_llms(text)
    assert parsed.title == md.inline_text(c["name"])
    assert parsed.summary == md.inline_text(c["tagline"])
    assert c["api"]["base_url"] in parsed.info and "OpenAI-compatible" in parsed.info
    assert f"Authorization: Bearer ${c['api']['key_env']}" in parsed.info
    urls = section_urls(parsed)
    base = base_url(site)
    assert urls["API"] == [base + "api.md"]  # a Markdown page that lists the machine files
    api = (site / "api.md").read_text(encoding="utf-8")
    for path in ("openapi.json", "openapi.yaml", "api/models.json", "schema/model.json", "sitemap.xml", "feed.xml"):
        assert f"]({base}{path}): " in api
    assert base + "llms-full.txt" in urls["Optional"]
    for twin in ("index.md", "pricing.md", "compare.md", "leaderboard.md", "providers.md", "collections.md"):
        assert base + twin in urls["Optional"]  # every listing as its Markdown twin
    external = {u.replace("(", "%28").replace(")", "%29") for u in c.get("links", {}).values()}
    links = [u for us in urls.values() for u in us if u.startswith(base) and u not in external]
    assert [u for u in links if not u.endswith((".md", ".txt"))] == []
    assert urls["Models: Meta"] == sorted(urls["Models: Meta"])
    assert all(u.startswith(base + "models/meta/") and u.endswith(".md") for u in urls["Models: Meta"])


@pytest.mark.parametrize("name", SITES)
def test_every_html_page_and_model_is_reachable(name):
    site = SITES[name]()
    base = base_url(site)
    external = frozenset(u.replace("(", "%28").replace(")", "%29") for u in conf(site).get("links", {}).values())
    linked, depth = reach(site_files(site), base, external)
    for path in linked:
        assert (site / (path + "index.html" if path == "" or path.endswith("/") else path)).is_file(), path
    pages = {html_of(p) for p in linked} - {None}
    html = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}
    assert html <= pages, f"not reachable from llms.txt: {sorted(html - pages)[:10]}"
    models = {p.relative_to(site).as_posix() for p in (site / "models").glob("*/*.md")}
    assert models <= linked
    assert max(depth.values()) <= 1


@pytest.mark.parametrize("name", SITES)
def test_every_provider_has_its_own_llms_txt(name):
    site = SITES[name]()
    base = base_url(site)
    for provider in sorted((site.parent / "catalog" / "providers").glob("*.yaml")):
        pid = provider.stem
        text = (site / "providers" / pid / "llms.txt").read_text(encoding="utf-8")
        parsed = check_llms(text)
        urls = section_urls(parsed)
        folder = site / "models" / pid
        models = sorted(p.relative_to(site).as_posix()[:-3] for p in folder.glob("*.md")) if folder.is_dir() else []
        listed = [u for name, us in urls.items() if name.startswith("Models") for u in us]
        assert listed == [base + m + ".md" for m in models]  # in id order
        assert base + f"providers/{pid}.md" in urls["Optional"]
        assert all(u.endswith((".md", ".txt")) for u in urls["Optional"])  # no HTML page


def test_hostile_record_text_keeps_every_line_in_place():
    site = built_machine()
    text = (site / "llms.txt").read_text(encoding="utf-8")
    parsed = check_llms(text)
    names = list(parsed.sections)
    assert names[:2] == ["API", "Docs"] and names[-1] == "Optional"
    assert len([n for n in names if n.startswith("Models: ")]) == 2  # evil and meta; empty has no models
    evil = [line for line in text.split("\n") if "models/evil/bad-model.md" in line]
    assert len(evil) == 1 and LINK.match(evil[0])
    assert "## Not a heading" not in text and "## Injected\n" not in text
    (evil_link,) = parsed.sections[names[2]]
    assert evil_link.url == base_url(site) + "models/evil/bad-model.md"
    assert "evil.example" in evil_link.title  # the text survives, only defused
    # the tagline had a newline, "#", "](" and ">" in it
    assert parsed.summary == md.inline_text("One API for # every ](model) > all")
    provider = check_llms((site / "providers" / "evil" / "llms.txt").read_text(encoding="utf-8"))
    assert "<script>" not in provider.summary


def test_llms_full_inlines_docs_and_every_model():
    site = built_machine()
    text = (site / "llms-full.txt").read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "Export your key, then call the API." in text and "export EXAMPLE_API_KEY=sk-ex-..." in text
    assert "(https://example.org/catalog/pricing/)" in text  # docs links made absolute
    base = base_url(site)
    for f in sorted((site.parent / "catalog" / "models").glob("*/*.yaml")):
        rec = yaml.safe_load(f.read_text(encoding="utf-8"))
        entry = text.split(f"- id: {rec['id']}\n", 1)[1].split("\n\n", 1)[0]
        assert f"- url: {base}models/{rec['id']}/ (Markdown: {base}models/{rec['id']}.md)" in entry
        assert f"- status: {rec.get('status', 'active')}" in entry
        assert f"max output: {rec['limits']['max_output']:,} tokens" in entry
    # headings of inlined text never climb above the file's own sections
    assert not re.search(r"^#{1,2} (Top|Heading|Not a heading)", text, re.M)


def test_ladder_keeps_the_bound_at_every_level():
    project = built_machine().parent
    site, _ = load_catalog(project)
    full = root_llms(site)
    assert full.level == "full"
    levels = []
    for limit in (len(full.text.encode()) + 1, len(full.text.encode()), 2400, 2250, 2000, 1500):
        root = root_llms(site, limit=limit)
        assert len(root.text.encode("utf-8")) < limit or root.level == "overflow" and limit < 1600
        levels.append(root.level)
        check_llms(root.text)
    assert levels[0] == "full" and levels[1].startswith("nested") and "overflow" in levels
    over = root_llms(site, limit=2000)
    assert len(over.text.encode()) < 2000
    assert f"{site.url}{INDEX_PATH}" in over.text
    index = check_llms(over.index)
    assert [u for u in section_urls(index)["Models"]] == [site.absolute(p.llms_path) for p in site.providers]


# --- big catalogs ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ten_thousand(tmp_path_factory):
    from benchmarks.generate import generate_catalog

    project = tmp_path_factory.mktemp("llms10k")
    generate_catalog(project / "catalog", n=10_000, seed=0)
    site = fast_site(project / "catalog")
    ctx = RenderContext.create(project, site)
    return site, {o.path: o.data.decode("utf-8") for o in llms_files(ctx)}


def test_ten_thousand_models_nest_under_the_bound(ten_thousand):
    site, files = ten_thousand
    root = files["llms.txt"]
    assert len(root) < 50_000 and len(root.encode("utf-8")) < 50_000
    assert INDEX_PATH not in files
    linked, depth = reach(files, site.url)
    assert max(depth.values()) == 1  # root -> providers/<p>/llms.txt -> model .md
    assert {m.md_path for m in site.models} <= linked
    assert {p.llms_path for p in site.providers} == set(depth) - {"llms.txt"}
    for p in site.providers:
        assert p.md_path in linked
    assert {d.path for d in site.docs} <= {html_of(p)[: -len("index.html")] for p in linked if html_of(p)}


def _synthetic_site(providers: int, per_provider: int, name_length: int):
    """Return a resolved site of providers x per_provider models, built in memory."""
    records = Records()
    records.site = schema.SiteRecord(name="Gateway", url="https://example.com/", api=schema.Api(
        base_url="https://api.example.com/v1", key_env="GW_API_KEY"))
    for i in range(providers):
        pid = f"p{i:05d}"
        name = (f"Provider {i} [x](y)\n# " + "n" * name_length)[: max(name_length, 20)]
        records.providers[pid] = schema.ProviderRecord(id=pid, name=name)
        for j in range(per_provider):
            mid = f"{pid}/m{j}"
            records.models[mid] = schema.ModelRecord(
                id=mid, name=f"Model {j} " + "m" * name_length, summary="s", released=datetime.date(2025, 1, 1),
                modalities=schema.Modalities(input=["text"], output=["text"]),
                pricing=schema.Pricing(input=1.0, output=2.0), limits=schema.Limits(context=8192, max_output=1024))
    return build_site(records)


def test_thousands_of_providers_still_fit():
    site = _synthetic_site(providers=4_000, per_provider=1, name_length=190)  # names near the 200-character cap
    root = root_llms(site)
    assert root.level == "overflow"
    assert len(root.text) < LIMIT and len(root.text.encode("utf-8")) < LIMIT
    parsed = check_llms(root.text)
    assert section_urls(parsed)["Models"][0] == site.absolute(INDEX_PATH)
    assert "API" in parsed.sections
    index = check_llms(root.index)
    assert len(section_urls(index)["Models"]) == 4_000


def test_few_providers_with_long_names_drop_notes_first():
    site = _synthetic_site(providers=300, per_provider=2, name_length=40)
    root = root_llms(site)
    assert root.level.startswith("nested") and root.index is None
    assert len(root.text.encode("utf-8")) < LIMIT
    assert len(section_urls(check_llms(root.text))["Models"]) == 300


def test_llms_full_past_its_bound_is_one_file_per_provider():
    """llms-full.txt is bounded like llms.txt: past FULL_LIMIT it keeps the docs and links one full
    file per provider, which together hold every model's entry."""
    project = built_machine().parent
    site, _ = load_catalog(project)
    whole, none = llms_full(site)
    assert none == {} and size(whole) < FULL_LIMIT
    full, files = llms_full(site, limit=size(whole))  # just past the bound
    assert size(full) < size(whole) and "## Docs: " in full
    assert set(files) == {provider_full_path(p) for p in site.providers}
    providers = full.split("\n## Providers\n\n", 1)[1]
    assert re.findall(r"^- \[[^\]]+\]\(([^)]+)\): ", providers, re.M) == \
        [site.absolute(provider_full_path(p)) for p in site.providers]
    for p in site.providers:
        text = files[provider_full_path(p)]
        assert text.startswith("# ") and [ln[6:] for ln in text.splitlines() if ln.startswith("- id: ")] == \
            [m.id for m in p.models]
    assert "- id: " not in full

"""A model page made with fragments is the page made without (generator/render/fragments.py).

_model_reference.html, and base.html around the page's content, are rendered once per build with
sentinels for the page's own values, and filled in per page. For generated catalogs (names with
the characters HTML escapes, braces and private-use characters, ids of the contract's charset,
sites with and without a key prefix, errors or a playground link), every model page equals, byte
for byte, the page of the same catalog rendered where the project holds unedited copies of both
templates, which are then rendered for each page.
"""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from generator.catalog import load_catalog
from generator.render import fragments, pages
from generator.render.context import RenderContext
from generator.theme import DEFAULT_TEMPLATES
from tests.conftest import MODEL_YAML, PROVIDER_YAML, SITE_YAML, make_project

# what autoescape changes, what a format string would read, what the sentinels are made of
TEXT = st.text(alphabet=st.sampled_from("Aa z9&<>\"'{}é→\ue000\ue001\ue002"), min_size=1, max_size=24).map(
    str.strip).filter(bool)
SLUGS = st.lists(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,30}", fullmatch=True), min_size=1, max_size=3, unique=True)
ERRORS = st.lists(st.fixed_dictionaries(
    {"status": st.integers(400, 599), "type": TEXT, "message": TEXT, "retryable": st.booleans()},
    optional={"header": TEXT}), max_size=3, unique_by=lambda e: e["status"])


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """Return (a project on the default theme, one holding copies of the templates made once per build)."""
    plain = make_project(tmp_path_factory.mktemp("plain"), {
        "providers/meta.yaml": PROVIDER_YAML,
        "providers/acme.yaml": PROVIDER_YAML.replace("id: meta", "id: acme").replace("name: Meta", "name: A & <cme>")})
    ejected = make_project(tmp_path_factory.mktemp("ejected"), {})
    (ejected / "templates").mkdir()
    for name in (fragments.REFERENCE, "base.html"):
        shutil.copy(DEFAULT_TEMPLATES / name, ejected / "templates" / name)
    return plain, ejected


def framed_pages(ctx, models) -> tuple[list[bytes], int]:
    """Return the pages of models, and how many were framed by a base.html made once."""
    fills = []
    fill = fragments.Frame.fill
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fragments.Frame, "fill", lambda self, *a: fills.append(1) or fill(self, *a))
        return [pages.model_page(ctx, m).data for m in models], len(fills)


def write_catalog(project, site_name, key_prefix, errors, playground, names, slugs) -> None:
    site = yaml.safe_load(SITE_YAML)
    site["name"] = site_name
    site["api"].pop("key_prefix")
    if key_prefix is not None:
        site["api"]["key_prefix"] = key_prefix
    site["errors"] = errors
    if not playground:
        del site["links"]["playground"]
    catalog = project / "catalog"
    (catalog / "site.yaml").write_text(json.dumps(site), encoding="utf-8")  # JSON is YAML
    shutil.rmtree(catalog / "models", ignore_errors=True)
    for i, (name, slug) in enumerate(zip(names, slugs)):
        provider = ("meta", "acme")[i % 2]  # pages in two folders: their breadcrumbs link apart
        record = (MODEL_YAML.replace("id: meta/llama-3.2-1b-instruct", f"id: {provider}/{slug}")
                  .replace("name: Llama-3.2-1b-Instruct", f"name: {json.dumps(name)}"))
        path = catalog / "models" / provider / f"{slug}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record, encoding="utf-8")


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(site_name=TEXT, key_prefix=st.none() | TEXT, errors=ERRORS, playground=st.booleans(),
       names=st.lists(TEXT, min_size=3, max_size=3), slugs=SLUGS)
def test_a_page_with_fragments_is_the_page_rendered_in_full(projects, site_name, key_prefix, errors, playground,
                                                           names, slugs):
    plain, ejected = projects
    write_catalog(plain, site_name, key_prefix, errors, playground, names, slugs)
    site, _ = load_catalog(plain)
    with_fragments = RenderContext.create(plain, site, theme="test")
    in_full = RenderContext.create(ejected, site, theme="test")
    assert fragments.reference_split(with_fragments) is not None
    assert fragments.reference_split(in_full) is None
    got, framed = framed_pages(with_fragments, site.models)
    want, unframed = framed_pages(in_full, site.models)
    assert (framed, unframed) == (len(site.models), 0)
    for m, page, full in zip(site.models, got, want):
        assert page == full, m.id
        assert f"Call {escape(m.record.name)} from any OpenAI SDK.".encode() in page


def test_an_edited_copy_of_the_template_is_rendered_for_each_model(projects):
    plain, ejected = projects
    write_catalog(plain, "Gateway", None, [], True, ["First <model>", "Second"], ["first", "second"])
    site, _ = load_catalog(plain)
    edited = ejected.parent / "edited"
    shutil.copytree(ejected, edited)
    copy = edited / "templates" / fragments.REFERENCE
    copy.write_text(copy.read_text(encoding="utf-8").replace("{{ name }}", "{{ name | upper }}"), encoding="utf-8")
    ctx = RenderContext.create(edited, site, theme="edited")
    shows = {m.id: b"Call FIRST &lt;MODEL&gt; from any OpenAI SDK." in pages.model_page(ctx, m).data
             for m in site.models}
    assert shows == {"meta/first": True, "acme/second": False}


def test_split_fills_every_slot_with_its_value():
    split = fragments.Split.cut("a\ue000b\ue001c\ue000", ("\ue000", "\ue001"))
    assert split == fragments.Split(("a", "b", "c", ""), (0, 1, 0))
    assert split.fill(("{N}", "<i>")) == "a{N}b<i>c{N}"


def test_a_site_holding_every_private_use_character_is_rendered_per_page(projects):
    plain, _ = projects
    private = "".join(map(chr, range(0xE000, 0xF900)))
    errors = [{"status": 400 + i, "type": "t", "message": private[i::4], "retryable": False} for i in range(4)]
    write_catalog(plain, "Gateway", None, errors, False, ["A <model>"], ["a"])
    site_yaml = plain / "catalog" / "site.yaml"
    site = json.loads(site_yaml.read_text(encoding="utf-8"))
    site["links"].update({private[i:i + 100]: f"https://example.com/{i}" for i in range(0, len(private), 100)})
    site_yaml.write_text(json.dumps(site), encoding="utf-8")  # the footer lists every link
    site, _ = load_catalog(plain)
    ctx = RenderContext.create(plain, site, theme="test")
    assert fragments.reference_split(ctx) is None
    [page], framed = framed_pages(ctx, site.models)
    assert framed == 0
    page = page.decode()
    assert "Call A &lt;model&gt; from any OpenAI SDK." in page and private[::4] in page and private[:100] in page

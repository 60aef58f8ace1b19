"""The `modelcat` MkDocs plugin (CONTRACT.md section 4, "In CI and editors"): real `mkdocs build`
and `properdocs build` runs of a small site naming it.

The plugin is found the way MkDocs finds every plugin, by its entry point in the group
`mkdocs.plugins`. The shared test environment may have modelcat installed from another checkout
(or not at all), so the runs here do not rely on that install: they put a stand-in distribution
on the subprocess's PYTHONPATH, a bare `modelcat_shim-0.dist-info` whose entry_points.txt declares
the same entry point as pyproject.toml (importlib.metadata finds any dist-info on sys.path), with
this checkout first on the path. test_entry_point_is_declared holds that pyproject.toml declares it.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.linkcheck import broken_links
from tests.conftest import MODEL_YAML, make_project, valid_files, with_change

REPO = Path(__file__).resolve().parent.parent
ENTRY_POINT = "generator.mkdocs_plugin:ModelcatPlugin"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE_URL = "https://docs.example.com/gw/"

MKDOCS_YML = """\
site_name: Gateway docs
{site_url}
theme: {{name: {theme}}}
plugins:
  - search
  - modelcat:
      project: .
      path: models
"""


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shim")
    info = root / "modelcat_shim-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: modelcat-shim\nVersion: 0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[mkdocs.plugins]\nmodelcat = {ENTRY_POINT}\n", encoding="utf-8")
    return root


def docs_site(tmp_path: Path, files=None, site_url: str | None = SITE_URL, theme: str = "mkdocs") -> Path:
    """Write a project that is both a modelcat project and an MkDocs site (mkdocs.yml, docs/)."""
    project = make_project(tmp_path, files or valid_files())
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Gateway docs\n\nHello.\n", encoding="utf-8")
    # As the mkdocs-llmstxt plugin would leave it (MkDocs copies it as a static file)
    (project / "docs" / "llms.txt").write_text(
        f"# Gateway docs\n\n> The gateway's docs.\n\n## Docs\n\n- [Home]({SITE_URL}): start here\n", encoding="utf-8")
    line = f"site_url: {site_url}" if site_url else ""
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(site_url=line, theme=theme), encoding="utf-8")
    return project


def run_engine(engine: str, project: Path, shim: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(shim)]),
           "DISABLE_MKDOCS_2_WARNING": "true"}
    return subprocess.run([sys.executable, "-m", engine, "build"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def installed(*modules: str) -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in modules)


def engines() -> list:
    """Return (engine, theme) pairs: MkDocs with its own theme and Material's, and ProperDocs."""
    def unless_missing(engine, theme, *modules):
        skip = pytest.mark.skipif(not installed(*modules), reason=f"{', '.join(modules)} not installed "
                                  "(the test extra has it)")
        return pytest.param(engine, theme, marks=skip, id=f"{engine}-{theme}")

    return [pytest.param("mkdocs", "mkdocs", id="mkdocs-mkdocs"),
            unless_missing("mkdocs", "material", "material"),
            unless_missing("properdocs", "mkdocs", "properdocs", "properdocs_theme_mkdocs")]


def test_entry_point_is_declared():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["entry-points"]["mkdocs.plugins"] == {"modelcat": ENTRY_POINT.replace("generator.", "modelcat_site.", 1)}  # installed name
    assert any(d.replace(" ", "").startswith("mkdocs>=1.6,<2") for d in meta["dependencies"])
    from generator.mkdocs_plugin import ModelcatPlugin
    from mkdocs.plugins import BasePlugin

    assert issubclass(ModelcatPlugin, BasePlugin)


@pytest.mark.parametrize("engine, theme", engines())
def test_build_puts_the_catalog_in_the_site(tmp_path, shim, engine, theme):
    project = docs_site(tmp_path, theme=theme)
    first = run_engine(engine, project, shim)
    assert first.returncode == 0, first.stderr
    assert "models rendered -> models/" in first.stderr
    site = project / "site"
    catalog = site / "models"
    assert (catalog / "index.html").is_file()
    assert (catalog / "models" / "meta" / "llama-3.2-1b-instruct" / "index.html").is_file()

    # the catalog takes the MkDocs site's URL
    canonical = BeautifulSoup((catalog / "index.html").read_text(encoding="utf-8"), "lxml").find(
        "link", rel="canonical")["href"]
    assert canonical == SITE_URL + "models/"
    # the nav entry, on the MkDocs pages
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    assert {a.get_text(strip=True) for a in home.find_all("a", href="models/")} == {"Models"}
    assert broken_links(catalog) == []
    assert (site / "models" / "index.html").is_file()  # where the nav link goes

    # MkDocs' sitemap lists its pages and the catalog's; the .gz holds the same
    locs = [e.text.strip() for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", NS)]
    assert SITE_URL in locs and SITE_URL + "models/" in locs
    assert SITE_URL + "models/models/meta/llama-3.2-1b-instruct/" in locs
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    # the site's llms.txt links the catalog's
    llms = (site / "llms.txt").read_text(encoding="utf-8")
    assert llms.startswith("# Gateway docs\n")
    assert f"\n## Models\n\n- [Models]({SITE_URL}models/llms.txt): " in llms
    assert (catalog / "llms.txt").is_file()

    # MkDocs empties site_dir: the second build still finds the catalog's cache in the project
    second = run_engine(engine, project, shim)
    assert second.returncode == 0, second.stderr
    assert "catalog up to date" in second.stderr or "0 of 1 models rendered" in second.stderr, second.stderr
    assert llms.count("## Models") == 1
    assert (catalog / "models" / "meta" / "llama-3.2-1b-instruct.md").is_file()
    leftovers = [p.relative_to(site).as_posix() for p in site.rglob("*")
                 if ".tmp-" in p.name or "lock" in p.name.lower()]
    assert leftovers == []


def plugin_for(folder: Path, site_url: str | None = SITE_URL, strict: bool = False, **options):
    """Return the plugin after its on_config, as MkDocs would call it for folder/mkdocs.yml."""
    from mkdocs.config.defaults import MkDocsConfig

    from generator.mkdocs_plugin import ModelcatPlugin

    plugin = ModelcatPlugin()
    errors, warnings = plugin.load_config(options, str(folder / "mkdocs.yml"))
    assert errors == [] and warnings == []
    config = MkDocsConfig(config_file_path=str(folder / "mkdocs.yml"))
    config["site_url"] = site_url
    config["strict"] = strict
    plugin.on_config(config)
    return plugin


def test_bad_catalog_aborts_the_build_with_its_problems(tmp_path):
    from mkdocs.exceptions import PluginError

    files = with_change("models/meta/llama-3.2-1b-instruct.yaml", "input: 0.015", "input: -1")
    project = docs_site(tmp_path, files)
    with pytest.raises(PluginError) as err:
        plugin_for(project)
    assert str(err.value).splitlines() == [
        "modelcat: catalog/models/meta/llama-3.2-1b-instruct.yaml:12:10: pricing.input: must be >= 0, got -1",
        "1 error in 1 file."]


def test_strict_makes_the_catalogs_warnings_errors(tmp_path):
    from mkdocs.exceptions import PluginError

    files = valid_files()
    files["models/meta/llama-3.2-1b-instruct.yaml"] = MODEL_YAML  # claims "Tool use": a warning
    project = docs_site(tmp_path, files)
    assert plugin_for(project).strict is False
    with pytest.raises(PluginError, match=r"llama-3.2-1b-instruct.yaml:23:49: strengths\[2\]: claims \"Tool use\""):
        plugin_for(project, strict=True)


def test_the_options_name_a_project_and_a_folder_in_the_site(tmp_path):
    from mkdocs.exceptions import PluginError

    project = docs_site(tmp_path)
    plugin = plugin_for(project.parent, project="project", path="/catalog/")
    assert (plugin.project, plugin.path, plugin.base_url) == (project, "catalog", SITE_URL + "catalog/")
    for path in ("", "/", ".", "..", "../up"):
        with pytest.raises(PluginError, match="`path` must name a folder inside the site"):
            plugin_for(project, path=path)
    with pytest.raises(PluginError, match="no catalog/ folder in"):
        plugin_for(project, project="docs")


def test_without_site_url_the_catalog_keeps_its_own(tmp_path, shim):
    project = docs_site(tmp_path, site_url=None)
    result = run_engine("mkdocs", project, shim)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert "https://aigateway.sh/" in (site / "models" / "llms.txt").read_text(encoding="utf-8")
    assert "- [Models](models/llms.txt): " in (site / "llms.txt").read_text(encoding="utf-8")
    # no absolute URL to put in MkDocs' sitemap: it is left as MkDocs wrote it
    assert "aigateway.sh" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_docs_in_the_catalogs_folder_stop_the_build(tmp_path):
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File, Files

    project = docs_site(tmp_path)
    plugin = plugin_for(project)
    docs = project / "docs"
    files = Files([File("index.md", str(docs), str(project / "site"), True),
                   File("models/index.md", str(docs), str(project / "site"), True)])
    with pytest.raises(PluginError) as err:
        plugin.on_files(files, config=None)
    assert "the catalog goes into models/, where the docs already have models/index.md" in str(err.value)
    files = Files([File("index.md", str(docs), str(project / "site"), True),
                   File("models.md", str(docs), str(project / "site"), False)])  # models.html: no clash
    assert plugin.on_files(files, config=None) is files


def test_the_nav_entry_links_the_catalog(tmp_path):
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation

    plugin = plugin_for(docs_site(tmp_path), nav_title="Model catalog")
    for directory_urls, url in ((True, "models/"), (False, "models/index.html")):
        config = MkDocsConfig()
        config["use_directory_urls"] = directory_urls
        nav = plugin.on_nav(Navigation([], []), config=config, files=None)
        assert [(item.title, item.url) for item in nav.items] == [("Model catalog", url)]


def test_big_sitemaps_become_an_index(tmp_path):
    from generator.mkdocs_plugin import merge_sitemap

    site = tmp_path / "site"
    (site / "models").mkdir(parents=True)
    urlset = '<urlset xmlns="{}">{}</urlset>'
    url = "<url><loc>{}</loc></url>"
    (site / "sitemap.xml").write_text(urlset.format(NS["s"], url.format(SITE_URL)), encoding="utf-8")
    (site / "models" / "sitemap.xml").write_text(
        urlset.format(NS["s"], url.format(SITE_URL + "models/") + url.format(SITE_URL + "models/pricing/")),
        encoding="utf-8")
    assert merge_sitemap(site, site / "models", "models", SITE_URL, max_urls=2)
    index = ET.parse(site / "sitemap.xml").getroot()
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    assert [e.text for e in index.findall("s:sitemap/s:loc", NS)] == [
        SITE_URL + "sitemap-docs.xml", SITE_URL + "models/sitemap.xml"]
    docs = ET.parse(site / "sitemap-docs.xml").getroot()
    assert [e.text for e in docs.findall("s:url/s:loc", NS)] == [SITE_URL]


def test_a_catalog_sitemap_index_gives_its_parts(tmp_path):
    from generator.mkdocs_plugin import merge_sitemap

    urlset = '<urlset xmlns="{}">{}</urlset>'
    url = "<url><loc>{}</loc></url>"
    for max_urls, expected in ((10, None), (2, ["sitemap-docs.xml", "models/sitemap-1.xml", "models/sitemap-2.xml"])):
        site = tmp_path / str(max_urls)
        (site / "models").mkdir(parents=True)
        (site / "sitemap.xml").write_text(urlset.format(NS["s"], url.format(SITE_URL)), encoding="utf-8")
        parts = "".join(f"<sitemap><loc>{SITE_URL}models/sitemap-{n}.xml</loc></sitemap>" for n in (1, 2))
        (site / "models" / "sitemap.xml").write_text(
            f'<sitemapindex xmlns="{NS["s"]}">{parts}</sitemapindex>', encoding="utf-8")
        for n in (1, 2):
            (site / "models" / f"sitemap-{n}.xml").write_text(
                urlset.format(NS["s"], url.format(f"{SITE_URL}models/page-{n}/")), encoding="utf-8")
        assert merge_sitemap(site, site / "models", "models", SITE_URL, max_urls=max_urls)
        root = ET.parse(site / "sitemap.xml").getroot()
        if expected is None:  # it fits: one urlset, MkDocs' pages first
            assert [e.text for e in root.findall("s:url/s:loc", NS)] == [
                SITE_URL, SITE_URL + "models/page-1/", SITE_URL + "models/page-2/"]
        else:
            assert [e.text for e in root.findall("s:sitemap/s:loc", NS)] == [SITE_URL + p for p in expected]


def test_serve_watches_the_catalog_and_templates(tmp_path):
    from generator.mkdocs_plugin import ModelcatPlugin

    project = make_project(tmp_path, valid_files())
    (project / "templates").mkdir()
    plugin = ModelcatPlugin()
    plugin.project = project

    class Server:
        watched: list[str] = []

        def watch(self, path, func=None, recursive=True):
            self.watched.append(path)

    server = plugin.on_serve(Server(), config=None, builder=None)
    assert server.watched == [str(project / "catalog"), str(project / "templates")]


def test_mkdocs_serve_rebuilds_the_catalog_on_change(tmp_path, shim):
    # MkDocs watches docs/ and mkdocs.yml only; a record edit must reach the served page too
    import socket
    import time
    import urllib.error
    import urllib.request

    project = docs_site(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(shim)]), "DISABLE_MKDOCS_2_WARNING": "true"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    page = f"http://127.0.0.1:{port}/gw/models/models/meta/llama-3.2-1b-instruct/"

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read()
            try:
                with urllib.request.urlopen(page, timeout=5) as response:
                    if text in response.read().decode("utf-8"):
                        return
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared at {page}")

    try:
        wait_for("Llama-3.2-1b-Instruct")
        record = project / "catalog" / "models" / "meta" / "llama-3.2-1b-instruct.yaml"
        record.write_text(record.read_text(encoding="utf-8").replace(
            "name: Llama-3.2-1b-Instruct", "name: Llama-Served-Anew"), encoding="utf-8")
        wait_for("Llama-Served-Anew")
    finally:
        server.terminate()
        server.wait(timeout=30)

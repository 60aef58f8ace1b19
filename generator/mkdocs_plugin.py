"""The `modelcat` MkDocs plugin: the catalog as a part of an MkDocs 1.6 site (or a drop-in fork's,
such as ProperDocs). tests/test_mkdocs_plugin.py builds real sites with it.

    plugins:
      - search
      - modelcat: {project: ., path: models}

- on_config validates the catalog (its problems abort the build, one line each) and takes the
  site's `site_url`;
- the nav gains a link to `<path>/`;
- on_post_build builds the catalog with `<site_url>/<path>/` as its base URL into a folder of
  the project's .modelcat-cache/ (MkDocs empties site_dir on every build: a cache there would
  make every build a cold one, and modelcat's temporary folder and lock would sit in site_dir),
  then hard-links the finished tree into `<site_dir>/<path>/` and adds its pages to MkDocs'
  sitemap.xml and its llms.txt to the site's llms.txt, where those exist;
- on_serve watches catalog/ (and templates/).
"""

from __future__ import annotations

import gzip
import os
import posixpath
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.nav import Link

from .cache import CACHE_DIR

log = get_plugin_logger("modelcat")

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # per sitemap file (sitemaps.org)
BUILD_FOLDER = "mkdocs-site"  # in the project's .modelcat-cache/: the catalog's last build


class ModelcatConfig(Config):
    project = c.Type(str, default=".")
    """The modelcat project (holding catalog/), relative to mkdocs.yml's folder."""
    path = c.Type(str, default="models")
    """Where the catalog goes in the site: `<site_dir>/<path>/`."""
    nav_title = c.Optional(c.Type(str))
    """The nav entry's title (default: "Models")."""


class ModelcatPlugin(BasePlugin[ModelcatConfig]):
    supports_multiple_instances = False

    def on_config(self, config):
        base = Path(config.config_file_path or ".").absolute().parent
        self.project = (base / self.config.project).resolve()
        self.path = _clean_path(self.config.path)
        if not (self.project / "catalog").is_dir():
            raise PluginError(f"modelcat: no catalog/ folder in {self.project} (the plugin's `project` "
                              "option names the folder that holds it, relative to mkdocs.yml)")
        site_url = config.site_url
        self.base_url = f"{site_url.rstrip('/')}/{self.path}/" if site_url else None
        self.strict = bool(config.strict)  # `mkdocs build --strict`: modelcat's too (warnings, broken links)
        _validate(self.project, self.base_url, self.strict)
        return config

    def on_files(self, files, config):
        clash = sorted(f.src_uri for f in files if f.dest_uri.startswith(self.path + "/"))
        if clash:  # silently replacing someone's pages would be worse than stopping
            raise PluginError(f"modelcat: the catalog goes into {self.path}/, where the docs already have "
                              f"{', '.join(clash[:5])}; set the plugin's `path` to another folder")
        return files

    def on_nav(self, nav, config, files):
        # with use_directory_urls off the site also works from disk, where a folder is no page
        url = self.path + ("/" if config.use_directory_urls else "/index.html")
        nav.items.append(Link(self.config.nav_title or "Models", url))
        return nav

    @event_priority(-100)  # last: after plugins that write llms.txt or touch the sitemap
    def on_post_build(self, config):
        import click

        from .build import build

        cached = self.project / CACHE_DIR / BUILD_FOLDER
        try:
            report = build(self.project, cached, self.base_url, self.strict)
        except click.ClickException as exc:  # bad input, or broken links with --strict
            raise PluginError(f"modelcat: {exc.format_message()}") from None
        except OSError as exc:
            raise PluginError(f"modelcat: cannot build the catalog: {exc}") from None
        for w in report.warnings:
            log.warning(w.format())
        site_dir = Path(config.site_dir)
        target = site_dir / self.path
        if target.exists():  # a --dirty build keeps the last copy
            shutil.rmtree(target)
        copy_tree(cached, target)
        if self.base_url:
            merge_sitemap(site_dir, target, self.path, self.base_url[: -len(self.path) - 1])
        add_llms_link(site_dir, self.path, self.base_url, self.config.nav_title or "Models")
        if report.up_to_date:
            log.info(f"catalog up to date ({report.models} models) -> {self.path}/")
        else:
            log.info(f"catalog built: {report.pages:,} pages, {report.rendered:,} of {report.models:,} "
                     f"models rendered -> {self.path}/")

    def on_serve(self, server, config, builder):
        server.watch(str(self.project / "catalog"))
        if (self.project / "templates").is_dir():
            server.watch(str(self.project / "templates"))
        return server


def _clean_path(path: str) -> str:
    """Return the `path` option as a relative folder, or raise PluginError."""
    bare = path.replace("\\", "/").strip("/")  # "/models/" means models/ too
    clean = posixpath.normpath(bare) if bare else ""
    if clean in ("", ".", "..") or clean.startswith("../"):
        raise PluginError(f"modelcat: `path` must name a folder inside the site, got {path!r}")
    return clean


def _validate(project: Path, base_url: str | None, strict: bool) -> None:
    from .cache import RecordCache
    from .catalog import load_catalog
    from .problems import CatalogError

    cache = RecordCache(project)
    try:
        load_catalog(project, base_url=base_url, strict=strict, cache=cache)
    except CatalogError as exc:
        raise PluginError(f"modelcat: {exc.format_message()}") from None
    finally:
        cache.save()


def copy_tree(src: Path, dst: Path) -> None:
    """Copy src to dst as hard links (the catalog's files never change in place: a build makes
    new ones), or as copies across devices (mkdocs serve builds into a temporary folder)."""
    linking = [True]

    def link_or_copy(a: str, b: str) -> None:
        if linking[0]:
            try:
                os.link(a, b)
                return
            except OSError:
                linking[0] = False
        shutil.copy2(a, b)

    shutil.copytree(src, dst, copy_function=link_or_copy)


def _catalog_urls(catalog_dir: Path) -> list[ET.Element]:
    """Return the <url> elements of the catalog's sitemap.xml (and its parts, if it is an index)."""
    root = ET.parse(catalog_dir / "sitemap.xml").getroot()
    if root.tag != f"{{{SITEMAP_NS}}}sitemapindex":
        return root.findall(f"{{{SITEMAP_NS}}}url")
    urls = []
    for loc in root.iterfind(f"{{{SITEMAP_NS}}}sitemap/{{{SITEMAP_NS}}}loc"):
        name = posixpath.basename(loc.text.strip())
        urls += ET.parse(catalog_dir / name).getroot().findall(f"{{{SITEMAP_NS}}}url")
    return urls


def merge_sitemap(site_dir: Path, catalog_dir: Path, path: str, site_root: str, max_urls: int = MAX_URLS) -> bool:
    """Add the catalog's pages to MkDocs' sitemap.xml (and .gz), if it has one; return whether it did.

    Past max_urls in all, MkDocs' own list moves to sitemap-docs.xml and sitemap.xml becomes an
    index of it and the catalog's sitemaps (site_root: the MkDocs site's URL, ending in /).
    """
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file() or not (catalog_dir / "sitemap.xml").is_file():
        return False
    ET.register_namespace("", SITEMAP_NS)
    tree = ET.parse(sitemap)
    root = tree.getroot()
    if root.tag != f"{{{SITEMAP_NS}}}urlset":
        log.warning("sitemap.xml is not a <urlset>: the catalog's pages are not added to it")
        return False
    gz = (site_dir / "sitemap.xml.gz").exists()
    ours = _catalog_urls(catalog_dir)
    if len(root) + len(ours) <= max_urls:
        root.extend(ours)
        _write_sitemap(sitemap, tree, gz)
        return True
    _write_sitemap(site_dir / "sitemap-docs.xml", tree, False)
    parts = ["sitemap-docs.xml"]
    catalog_root = ET.parse(catalog_dir / "sitemap.xml").getroot()
    if catalog_root.tag == f"{{{SITEMAP_NS}}}sitemapindex":  # an index may not list an index
        parts += [f"{path}/{posixpath.basename(loc.text.strip())}"
                  for loc in catalog_root.iterfind(f"{{{SITEMAP_NS}}}sitemap/{{{SITEMAP_NS}}}loc")]
    else:
        parts.append(f"{path}/sitemap.xml")
    index = ET.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for part in parts:
        entry = ET.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        ET.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = site_root + part
    _write_sitemap(sitemap, ET.ElementTree(index), gz)
    return True


def _write_sitemap(path: Path, tree: ET.ElementTree, gz: bool) -> None:
    ET.indent(tree)
    data = ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True) + b"\n"
    path.write_bytes(data)
    if gz:  # as MkDocs writes it: the build's timestamp, so that two builds are identical
        from mkdocs.utils import get_build_timestamp

        name = path.with_name(path.name + ".gz")
        with open(name, "wb") as fh, gzip.GzipFile(fileobj=fh, filename=str(name), mode="wb",
                                                   mtime=get_build_timestamp()) as out:
            out.write(data)


def add_llms_link(site_dir: Path, path: str, base_url: str | None, title: str) -> bool:
    """Append a `## Models` section linking the catalog's llms.txt to the site's llms.txt, if any."""
    llms = site_dir / "llms.txt"
    if not llms.is_file():
        return False
    url = f"{base_url}llms.txt" if base_url else f"{path}/llms.txt"
    text = llms.read_text(encoding="utf-8")
    if f"]({url})" in text:  # a --dirty build keeps the last one
        return False
    line = f"- [{title}]({url}): every model of the catalog, with prices, limits and capabilities"
    llms.write_text(text.rstrip("\n") + f"\n\n## {title}\n\n{line}\n", encoding="utf-8")
    return True

"""What every renderer gets: the resolved site, the Jinja environments, assets, snippets.

Built once per build, before any page renders; renderers never read the disk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import env as envs
from .snippets import Snippet, make_snippets
from ..site import Site
from ..views import SiteFrame
from ..write import Output


@dataclass(frozen=True)
class Breadcrumb:
    title: str
    path: str | None  # site path, None for the current page


@dataclass
class PageInfo:
    """The head-and-frame facts of one HTML page."""

    path: str  # site folder of the page ("" for home, "models/a/b/"), or a file ("404.html")
    title: str
    description: str
    kind: str  # model, catalog, provider, collection, pricing, compare, leaderboard, doc, 404
    md_twin: str | None = None  # site path of the Markdown twin
    breadcrumbs: tuple[Breadcrumb, ...] = ()
    jsonld: list = field(default_factory=list)
    og_type: str = "website"
    noindex: bool = False

    @property
    def folder(self) -> str:
        """Return the site folder the page's relative links start from."""
        if self.path == "" or self.path.endswith("/"):
            return self.path
        return self.path.rpartition("/")[0] + "/" if "/" in self.path else ""

    @property
    def file(self) -> str:
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path


@dataclass
class Assets:
    """Fingerprinted static files: logical name -> site path, and their outputs."""

    paths: dict[str, str]
    outputs: list[Output]


def collect_assets(project: Path) -> Assets:
    """Return the theme's assets, CSS concatenated into one stylesheet, names fingerprinted."""
    files: dict[str, bytes] = {}
    for folder in reversed(envs.template_dirs(project)):  # project files override the theme's
        root = folder / "assets"
        if root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.is_file() and not p.name.startswith("."):
                    files[p.relative_to(root).as_posix()] = p.read_bytes()
    css = b"\n".join(data for name, data in sorted(files.items()) if name.startswith("css/") and name.endswith(".css"))
    rest = {name: data for name, data in files.items() if not name.startswith("css/")}
    if css:
        rest["site.css"] = css
    paths, outputs = {}, []
    for name, data in sorted(rest.items()):
        digest = hashlib.sha256(data).hexdigest()[:10]
        stem, dot, ext = name.rpartition(".")
        fingerprinted = f"assets/{stem}.{digest}.{ext}" if dot else f"assets/{name}.{digest}"
        paths[name] = fingerprinted
        outputs.append(Output(fingerprinted, data))
    return Assets(paths, outputs)


@dataclass
class RenderContext:
    project: Path
    site: Site
    html: jinja2.Environment
    text: jinja2.Environment
    assets: Assets
    snippets: dict[str, Snippet]
    frame: SiteFrame  # all a model's outputs see of the site (generator.views)
    _memo: dict = field(default_factory=dict)

    def memo(self, name: str, make):
        """Return a value computed once per build (blocks that are the same on every page)."""
        if name not in self._memo:
            self._memo[name] = make()
        return self._memo[name]

    @classmethod
    def create(cls, project: Path, site: Site, theme: str | None = None) -> "RenderContext":
        """theme: a digest of the templates, if the caller has one (generator.build does)."""
        return cls(project, site, envs.shared_env(project, False, theme), envs.shared_env(project, True, theme),
                   collect_assets(project), make_snippets(site.record, site.build_date), SiteFrame.of(site))

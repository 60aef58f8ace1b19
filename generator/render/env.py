"""The Jinja environments: HTML (autoescape, StrictUndefined) and text (Markdown twins, llms.txt).

A project's own templates/ folder overrides the packaged default theme file by
file. Filters are the tested functions of generator.formats and generator.prose:
nothing in a template does arithmetic, writes a plural or labels a link by hand.
tests/test_hostile.py holds the escaping rules.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .. import formats, prose
from . import markdown as md
from ..theme import DEFAULT_TEMPLATES, template_dirs  # noqa: F401

def script_json(value) -> Markup:
    """Return JSON safe inside <script>: no </script>, <!--, or U+2028 can break out."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


@functools.lru_cache(maxsize=4096, typed=True)
def per_m(value: float | None) -> Markup:
    """Return a USD price per 1M tokens as HTML: "$0.015<span class="unit"> /1M</span>", "Free" or "—".

    A filter, not a macro: a model page shows a dozen (its siblings' cards), and a Jinja
    macro call costs several times the filter's work; a catalog has few distinct prices.
    _macros.html's per_m is this.
    """
    if value is None:
        return Markup("—")
    if value == 0:
        return Markup("Free")
    return Markup(f'{escape(formats.price(value))}<span class="unit"> /1M</span>')


_YES = Markup('<span class="yes"><span class="glyph" aria-hidden="true">✓</span>Yes</span>')
_NO = Markup('<span class="no"><span class="glyph" aria-hidden="true">–</span>No</span>')


def yesno(flag) -> Markup:
    """Return yes/no with a glyph, the words and a colour class, never colour alone (as per_m: a filter)."""
    return _YES if flag else _NO


def relative(target: str, from_dir: str) -> str:
    """Return a relative link from the page folder from_dir to the site path target.

    Folder targets ("models/a/b/") get an explicit index.html so that the
    site also works opened from disk, where servers don't add it.
    """
    if target.startswith(("http://", "https://", "mailto:", "#")):
        return target
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    if target == "" or target.endswith("/"):
        target += "index.html"
    # posixpath.relpath would do, but its abspath calls cost more than a page's
    # rendering when every page holds dozens of links; site paths are already normal.
    t = target.split("/")
    f = from_dir.split("/")[:-1] if from_dir else []
    common = 0
    while common < len(f) and common < len(t) - 1 and f[common] == t[common]:
        common += 1
    return "../" * (len(f) - common) + "/".join(t[common:]) + anchor


_ENVS: dict[tuple, jinja2.Environment] = {}
_KEEP = 4  # environments kept per process (tests build many projects in one)


def shared_env(project: Path, text: bool = False, version: str | None = None) -> jinja2.Environment:
    """Return make_env(project, text) with every template compiled, kept for the life of the process.

    Compiled templates live in memory only: Jinja's on-disk bytecode cache unpickles
    its files, and nothing in the project folder may run (tests/test_cache_safety.py).
    Compiling the default theme takes ~0.3 s; it is done here once, before the build
    forks its render workers, so that they inherit it instead of each compiling their
    own, and serve reuses it across rebuilds. The key holds a version of the templates
    (their digest, or every file's stamp), taken once per build: an edited template gets
    a new environment, and rendering never stats files (Jinja's auto_reload would, for
    every page).
    """
    if version is None:  # the build passes its digest of the theme; other callers stat the files
        version = repr([(str(p), (st := p.stat()).st_mtime_ns, st.st_size)
                        for d in template_dirs(project) for p in sorted(d.rglob("*")) if p.is_file()])
    key = (version, text, str(project.absolute()))
    env = _ENVS.pop(key, None)
    if env is None:
        env = make_env(project, text)
        _compile_all(env, text)
    _ENVS[key] = env  # most recently used last
    while len(_ENVS) > _KEEP:
        del _ENVS[next(iter(_ENVS))]
    return env


def _compile_all(env: jinja2.Environment, text: bool) -> None:
    """Compile every template of env's kind now; one that fails is left to fail where it is used."""
    suffix = ".j2" if text else ".html"
    for name in env.list_templates(filter_func=lambda n: n.endswith(suffix) and not n.startswith("assets/")):
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001 - the page that uses it reports it, with its position
            pass


def make_env(project: Path, text: bool = False) -> jinja2.Environment:
    """Return the HTML environment, or with text=True the plain-text one (no autoescape)."""
    loader = jinja2.FileSystemLoader([str(d) for d in template_dirs(project)])
    env = jinja2.Environment(
        loader=loader,
        autoescape=False if text else jinja2.select_autoescape(["html", "xml", "svg"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        price=formats.price, money=formats.money, tokens=formats.tokens, count=formats.count,
        number=formats.number, percent=formats.percent, join_words=formats.join_words,
        script_json=script_json, plural=prose.plural, link_label=prose.link_label,
    )
    if text:
        env.filters.update(md_text=md.inline_text, md_cell=md.table_cell, md_link_text=md.link_text)
    else:
        env.filters.update(markdown=md.to_html, per_m=per_m, yesno=yesno)
    return env

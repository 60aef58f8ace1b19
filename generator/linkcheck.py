"""Every internal link and asset reference of a built site must resolve.

Used by `build --strict` (before the new site is swapped in) and by the tests.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click

_REF = re.compile(r"""\s(?:href|src)=(?:"([^"]*)"|'([^']*)')""")
_BASE = re.compile(r"""<base\s+href=["']([^"']*)["']""")
_ROOT = re.compile(r"""<html[^>]*\sdata-site-root=["']([^"']*)["']""")  # 404.html: absolute paths from it


def broken_links(root: Path) -> list[str]:
    """Return "page: link" for every internal href/src in root's HTML that points at nothing."""
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    broken = []
    for page in sorted(f for f in files if f.endswith(".html")):
        text = (root / page).read_text(encoding="utf-8")
        base = _BASE.search(text)
        folder = "" if base else posixpath.dirname(page)
        site_root = _ROOT.search(text[:2000])
        for m in _REF.finditer(text):
            ref = m.group(1) if m.group(1) is not None else m.group(2)
            ref = ref.replace("&amp;", "&")
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith(("#", "data:", "mailto:")) or not parts.path:
                continue
            path = unquote(parts.path)
            if site_root and path.startswith(site_root.group(1)):
                path = "./" + path[len(site_root.group(1)):]
            target = posixpath.normpath(posixpath.join("" if site_root else folder, path))
            if target == ".":  # "../../" from a nested page: the site's root
                target = "index.html"
            elif parts.path.endswith("/"):
                target = posixpath.join(target, "index.html")
            if target.startswith("..") or target not in files:
                broken.append(f"{page}: {ref}")
    return broken


def verify_links(root: Path) -> None:
    """Raise a ClickException (exit 1) listing broken internal links, if any."""
    broken = broken_links(root)
    if broken:
        shown = "\n".join(broken[:50]) + (f"\n… and {len(broken) - 50:,} more" if len(broken) > 50 else "")
        raise click.ClickException(f"{len(broken):,} broken internal links (--strict):\n{shown}")

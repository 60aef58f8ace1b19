"""Where templates come from: the project's templates/, then the packaged default theme.

No Jinja here: a no-op build fingerprints the theme without importing the renderer.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates"


def template_dirs(project: Path) -> list[Path]:
    """Return the template search path: the project's templates/, then the default theme."""
    own = project / "templates"
    dirs = [own] if own.is_dir() and own.resolve() != DEFAULT_TEMPLATES.resolve() else []
    return dirs + [DEFAULT_TEMPLATES]

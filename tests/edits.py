"""Edits that keep a generated catalog valid, each changing what some model pages show:
the random steps of tests/test_views.py and tests/test_live.py."""

from __future__ import annotations

import re
from pathlib import Path


def model_files(project: Path) -> list[Path]:
    return sorted((project / "catalog" / "models").rglob("*.yaml"))


def _sub(path: Path, pattern: str, repl: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, repl, text, count=1, flags=re.M)
    path.write_text(new, encoding="utf-8")


def edit_name(project: Path, i: int) -> None:
    _sub(model_files(project)[i % len(model_files(project))], r"^name: .*$", f"name: Renamed {i}")


def edit_price(project: Path, i: int) -> None:
    _sub(model_files(project)[i % len(model_files(project))], r"^(pricing:\n(?:  .*\n)*?)  input: .*$",
         rf"\g<1>  input: {i % 13 + 0.25}")


def edit_usage(project: Path, i: int) -> None:
    _sub(model_files(project)[i % len(model_files(project))], r"^  tokens: \d+$", f"  tokens: {1000 + i * 7919}")


def edit_provider(project: Path, i: int) -> None:
    p = sorted((project / "catalog" / "providers").glob("*.yaml"))[i % 3]
    _sub(p, r"^name: .*$", f"name: Provider {i}")


def edit_site(project: Path, i: int) -> None:
    _sub(project / "catalog" / "site.yaml", r"^name: .*$", f"name: Gateway {i}")


def remove_model(project: Path, i: int) -> None:
    files = model_files(project)
    if len(files) > 5:
        files[i % len(files)].unlink()


EDITS = [edit_name, edit_price, edit_usage, edit_provider, edit_site, remove_model]


# the edits of model files only: what serve's in-memory update takes (generator.live)
MODEL_EDITS = [edit_name, edit_price, edit_usage]

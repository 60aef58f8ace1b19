"""Problems found in a catalog, and how they are printed.

Every problem is `path:line:col: field.path: message` (CONTRACT.md, "Bad input").
tests/test_validation.py holds this format. `--format github` prints the same problems
as GitHub Actions workflow commands (`::error file=...::message`), which GitHub shows on
the line of the pull request's diff; tests/test_integrations.py holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import click

from .prose import plural


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem; ordering sorts by file, then position."""

    path: str
    line: int
    col: int
    field: str
    message: str
    warning: bool = False

    def format(self) -> str:
        kind = "warning: " if self.warning else ""
        field = f"{self.field}: " if self.field else ""
        return f"{self.path}:{self.line}:{self.col}: {kind}{field}{self.message}"

    def as_error(self) -> "Problem":
        return Problem(self.path, self.line, self.col, self.field, self.message, False)

    def github(self, prefix: str = "") -> str:
        """Return the problem as a workflow command; prefix leads from the git root to the project."""
        props = [f"file={escape_property(prefix + self.path)}"]
        if self.line > 0:
            props.append(f"line={self.line}")
            if self.col > 0:
                props.append(f"col={self.col}")
        if self.field:
            props.append(f"title={escape_property(self.field)}")
        kind = "warning" if self.warning else "error"
        return f"::{kind} {','.join(props)}::{escape_data(self.message)}"


def escape_data(text: str) -> str:
    """Escape a workflow command's message (as @actions/core does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def git_prefix(project: Path) -> str:
    """Return the project's folder relative to the root of the git repository holding it, as a
    prefix for the project-relative paths of problems ("" when it is the root or in no repository)."""
    here = project.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            rel = here.relative_to(folder).as_posix()
            return "" if rel == "." else rel + "/"
    return ""


def formatter(fmt: str = "plain", project: Path | None = None) -> Callable[[Problem], str]:
    """Return the function that prints one problem in format fmt ("plain" or "github")."""
    if fmt == "github":
        prefix = git_prefix(project) if project is not None else ""
        return lambda p: p.github(prefix)
    return Problem.format


def summary(problems: list[Problem]) -> str:
    """Return the closing count line, e.g. '2 errors, 1 warning in 2 files.'"""
    errors = sum(1 for p in problems if not p.warning)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    parts = []
    if errors:
        parts.append(plural(errors, "error"))
    if warnings:
        parts.append(plural(warnings, "warning"))
    return f"{', '.join(parts) or 'no problems'} in {plural(files, 'file')}."


class CatalogError(click.ClickException):
    """Bad input: printed as located problem lines and a count, exit status 1."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        self.show_problem: Callable[[Problem], str] = Problem.format  # the CLI's --format sets it
        super().__init__(summary(self.problems))

    def format_message(self) -> str:
        lines = [self.show_problem(p) for p in self.problems]
        lines.append(summary(self.problems))
        return "\n".join(lines)

    def show(self, file=None) -> None:  # click prints "Error: ..." by default; we print plain lines
        click.echo(self.format_message(), err=True)


class EnvironmentFault(click.ClickException):
    """A fault of the environment, not of the catalog: one line `error: ...`, exit status 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class BadUsage(EnvironmentFault):
    """Bad usage of the command line, said in one line: exit status 2."""

    exit_code = 2

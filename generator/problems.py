"""Problems found in a catalog, and how they are printed.

Every problem is `path:line:col: field.path: message` (CONTRACT.md, "Bad input").
tests/test_problems.py and tests/test_validation.py hold this format.
"""

from __future__ import annotations

from dataclasses import dataclass

import click


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


def plural(n: int, word: str) -> str:
    """Return '1 model', '2 models', '10,000 models'."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class CatalogError(click.ClickException):
    """Bad input: printed as located problem lines and a count, exit status 1."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(summary(self.problems))

    def format_message(self) -> str:
        lines = [p.format() for p in self.problems]
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

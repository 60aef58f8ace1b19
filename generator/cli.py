"""The `modelcat` command line (CONTRACT.md section 2). Thin: each command
imports its module lazily and calls one function. tests/test_cli.py runs them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__

project_option = click.option(
    "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="Project folder holding catalog/ (and optionally templates/).")

format_option = click.option(
    "--format", "fmt", type=click.Choice(["plain", "github"]), default="plain", show_default=True,
    help="How problems are printed: plain lines, or GitHub Actions workflow commands (annotations "
         "on the pull request's diff; paths relative to the git repository's root).")


def _project(path: Path) -> Path:
    if not (path / "catalog").is_dir():
        raise click.UsageError(f"no catalog/ folder in {path.resolve()} (run in a project folder, "
                               "pass --project DIR, or start one with `modelcat init DIR`)")
    return path


def _base_url(value: str | None) -> str | None:
    if value is not None:  # one line, exit 2, before anything is loaded
        from .problems import BadUsage
        from .records.limits import http_url_error

        error = http_url_error(value)
        if error:
            raise BadUsage(f"--base-url {error}")
    return value


def _print_warnings(problems, show) -> None:
    for p in problems:
        click.echo(show(p), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="modelcat")
def main() -> None:
    """modelcat: turn a catalog of model records into a static docs site.

    \b
    Typical use, in a project folder holding catalog/:
      modelcat validate        check every record, report every problem
      modelcat build           write the site into site/
      modelcat serve           build, serve on 127.0.0.1 and rebuild on save
    """


@main.command()
@project_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@format_option
def validate(project: Path, strict: bool, fmt: str) -> None:
    """Validate the catalog: every problem as path:line:col: field: message."""
    from .catalog import load_catalog
    from .problems import CatalogError, formatter, summary
    from .prose import plural

    from .build import default_workers
    from .cache import RecordCache

    import gc

    gc.disable()  # many objects, little garbage: the collector would only rescan them
    root = _project(project)
    show = formatter(fmt, root)
    cache = RecordCache(root)
    try:
        site, warnings = load_catalog(root, strict=strict, cache=cache, workers=default_workers())
    except CatalogError as exc:
        exc.show_problem = show
        raise
    finally:
        cache.save()
    _print_warnings(warnings, show)
    tail = f" ({summary(warnings)[:-1]})" if warnings else ""
    counts = [plural(len(site.models), "model"), plural(len(site.providers), "provider"),
              plural(len(site.collections), "collection"), plural(len(site.docs), "docs page")]
    click.echo(f"ok: {', '.join(counts)}{tail}")


@main.command()
@project_option
@click.option("--out", type=click.Path(path_type=Path), default=None,  # checked by the build: one line
              help="Output folder (default: site/ in the project); replaced only if a build made it.")
@click.option("--base-url", default=None, callback=lambda ctx, param, value: _base_url(value),
              help="Override site.yaml url for absolute URLs (an http(s) URL).")
@click.option("--strict", is_flag=True, help="Fail on warnings and on broken internal links.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes that render model pages (default: the CPUs available).")
@click.option("--no-cache", is_flag=True,
              help="Ignore .modelcat-cache/: parse every record and render every page.")
@click.option("--timings", is_flag=True, help="Print the time of each build phase.")
@click.option("--hosting", type=click.Choice(["cloudflare", "netlify", "vercel", "github"]), default=None,
              help="Add that host's files to the site: headers, Markdown negotiation (README \"Hosting\").")
@format_option
def build(project: Path, out: Path | None, base_url: str | None, strict: bool, workers: int | None,
          no_cache: bool, timings: bool, hosting: str | None, fmt: str) -> None:
    """Validate, then render the whole site into --out atomically."""
    from .build import build_command
    from .problems import CatalogError, formatter

    root = _project(project)
    show = formatter(fmt, root)
    try:
        build_command(root, out, base_url, strict, workers, not no_cache, timings, show, hosting)
    except CatalogError as exc:
        exc.show_problem = show
        raise
    _fast_exit()


def _fast_exit() -> None:
    """Leave without tearing down the interpreter: freeing a big build's heap object by object
    takes seconds and changes nothing. Only as the real program (not under a test runner)."""
    if sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__:
        import os

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@main.command()
@project_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; pages are served only to requests naming it or localhost.")
@click.option("--out", type=click.Path(path_type=Path), default=None,  # checked by the build: one line
              help="Output folder (default: a temporary one, removed on exit).")
def serve(project: Path, port: int, host: str, out: Path | None) -> None:
    """Build, serve on 127.0.0.1 (or --host), rebuild on change and reload the browser."""
    from .serve import serve as run

    run(_project(project), port, out, host)


@main.command()
@project_option
@click.argument("model_id")
def new(project: Path, model_id: str) -> None:
    """Write a commented model record, catalog/models/<provider>/<slug>.yaml, to fill in."""
    from .scaffold import new_model

    for line in new_model(_project(project), model_id):
        click.echo(line)


@main.command()
@click.option("--kind", type=click.Choice(["model", "provider", "site", "collections"]), default="model",
              show_default=True)
@click.option("--draft", type=click.Choice(["2020-12", "07"]), default="2020-12", show_default=True,
              help="JSON Schema dialect: 2020-12, or draft-07 (SchemaStore, most editors).")
def schema(kind: str, draft: str) -> None:
    """Print the JSON Schema of a record, for editors (yaml-language-server)."""
    from .scaffold import json_schema

    click.echo(json_schema(kind, draft))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Start a new project in DIRECTORY: an example catalog (the default theme stays in modelcat)."""
    from .scaffold import init_project

    for line in init_project(directory):
        click.echo(line)


@main.command()
@project_option
@click.option("--prune", is_flag=True,
              help="Instead, delete the files of templates/ that are byte-identical to the default theme's "
                   "(copies an older `init` made) and list them; a file that differs is never deleted.")
@click.option("--list", "show", is_flag=True, help="List the default theme's templates and stop.")
@click.argument("templates", nargs=-1)
def eject(project: Path, prune: bool, show: bool, templates: tuple[str, ...]) -> None:
    """Copy default templates (those named, else all) into templates/ to edit; never overwrites."""
    from .scaffold import eject as run, theme_files

    if show:
        for name in theme_files():
            click.echo(name)
        return
    for line in run(_project(project), templates, prune):
        click.echo(line)


@main.command("import")
@project_option
@click.option("--provider", default=None, help="The serving provider's block to import, where the source has "
                                               "several (models.dev); default: every block.")
@click.option("--check", is_flag=True, help="Write nothing; list each difference and exit 1 when there is one.")
@click.argument("source", type=click.Choice(["models.dev", "openrouter", "litellm"]))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_(project: Path, provider: str | None, check: bool, source: str, file: Path) -> None:
    """Import SOURCE's FILE (models.dev, openrouter, litellm) into catalog/: merge, never overwrite."""
    from .importers import run_import

    lines, code = run_import(_project(project), source, file, provider, check)
    for line in lines:
        click.echo(line)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Placeholder until issue 2/5: the build command."""
import click


def build_command(project, out, base_url, strict):
    raise click.ClickException("modelcat build is not implemented yet (issue 2/5)")

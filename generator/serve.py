"""Placeholder until issue 2/5: the dev server."""
import click


def serve(project, port, out):
    raise click.ClickException("modelcat serve is not implemented yet (issue 2/5)")

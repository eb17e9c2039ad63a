"""The `portal` console script: the Flask CLI bound to this app's factory."""

from flask.cli import FlaskGroup

from portal import create_app


def _create_app():
    return create_app()


cli = FlaskGroup(create_app=_create_app, help="善治案例库 management commands.")


def main() -> None:
    """Run the portal command line."""
    cli(prog_name="portal")

"""``jianbao show``: a human-readable digest of a processed issue (or of a bulletin, parsed on the fly)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..api import read_input
from ..render import issue_digest
from ._app import app, handle_errors


@app.command("show")
@handle_errors
def show_cli(input: Path = typer.Argument(..., help="An issue JSON (e.g. from 'jianbao process') or a bulletin.")) -> None:
    """Print titles, themes, suggested 提要 lines and entities of each article."""
    typer.echo(issue_digest(read_input(input)), nl=False)

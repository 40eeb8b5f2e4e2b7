"""``jianbao process``: run the whole pipeline (or a subset) on a bulletin or an issue JSON."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..api import dump_issue, parse_components, process, read_input
from ..io_utils import write_atomic
from ..pipeline import load_pipeline
from ._app import app, handle_errors, model_options, setting_options


@app.command("process")
@handle_errors
def process_cli(
    input: Path = typer.Argument(..., help="A bulletin file, or an issue JSON (ids, titles, bodies kept)."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Output issue JSON (default: stdout)."),
    components: Optional[str] = typer.Option(None, "--components", "-c",
                                             help="Comma-separated subset of parse,themes,summary,ner."),
    model: List[str] = typer.Option([], "--model", "-m", help="NAME=PATH: use this model directory for a component."),
    fmt: str = typer.Option("json", "--format", "-f", help="json, jsonl or md."),
    taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help="Your own theme taxonomy (YAML)."),
    set_: List[str] = typer.Option([], "--set", "-s",
                                   help="NAME.KEY=VALUE: a component setting, e.g. summary.backend=extractive."),
) -> None:
    """Parse (unless given an issue JSON) and annotate: themes, suggested 提要 lines, entities."""
    names = parse_components(components)
    settings = setting_options(set_, {"themes": {"taxonomy": str(taxonomy)}} if taxonomy else None)
    issue = read_input(input)
    pipeline = load_pipeline([n for n in names if n != "parse"], models=model_options(model), settings=settings)
    for name, reason in pipeline.missing.items():
        typer.echo(f"jianbao: warning: component {name!r} is not installed ({reason}); its fields are left empty",
                   err=True)
    process(issue, pipeline)
    text = dump_issue(issue, fmt)
    if out:
        write_atomic(out, text)
    else:
        typer.echo(text, nl=False)

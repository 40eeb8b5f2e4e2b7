"""``jianbao batch``: a whole archive of bulletins to JSONL (and Parquet / SQLite), resumable."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._app import app, fail, handle_errors, model_options, setting_options



@app.command("batch")
@handle_errors
def batch_cli(
    sources: List[Path] = typer.Argument(..., help="Bulletin files or folders (searched recursively)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output JSONL (errors go to OUT.errors.jsonl)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=0,
                                          help="Worker processes (default: all cores; 0: in this process)."),
    engine: str = typer.Option("local", "--engine", help="local (process pool) or ray (Ray Data)."),
    parquet: Optional[Path] = typer.Option(None, "--parquet",
                                           help="Also write issues/articles/entities tables: X.parquet or DIR."),
    sqlite: Optional[Path] = typer.Option(None, "--sqlite", help="Also write the three tables to this SQLite file."),
    components: Optional[str] = typer.Option(None, "--components", "-c",
                                             help="Comma-separated subset of parse,themes,summary,ner."),
    model: List[str] = typer.Option([], "--model", "-m", help="NAME=PATH: use this model directory for a component."),
    set_: List[str] = typer.Option([], "--set", "-s",
                                   help="NAME.KEY=VALUE: a component setting, e.g. summary.backend=extractive."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Connect to this Ray cluster (engine ray)."),
    retry_errors: bool = typer.Option(False, "--retry-errors", help="Try the files recorded as failed again."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar."),
) -> None:
    """Process every bulletin under SRC...; failed files are recorded and skipped; re-run to resume."""
    from ..api import parse_components
    from ..batch import errors_path, run_batch

    if engine not in ("local", "ray"):
        fail(f"unknown --engine {engine!r} (local or ray)")
    names = parse_components(components) if components is not None else None
    result = run_batch(sources, out, workers=workers, engine=engine, components=names, models=model_options(model),
                       parquet=parquet, sqlite=sqlite, show_progress=not no_progress, ray_address=ray_address,
                       retry_errors=retry_errors, settings=setting_options(set_) or None)
    for name, reason in result.missing_components.items():
        typer.echo(f"jianbao: warning: component {name!r} is not installed ({reason}); its fields are left empty",
                   err=True)
    typer.echo(f"jianbao: batch: {result.summary()}", err=True)
    if result.failed:
        typer.echo(f"jianbao: batch: failures recorded in {errors_path(out)}", err=True)
    for p in result.extra_outputs:
        typer.echo(f"jianbao: batch: wrote {p}", err=True)

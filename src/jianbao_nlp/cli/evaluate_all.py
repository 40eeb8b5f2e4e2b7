"""``jianbao evaluate --gold DIR`` with no task named: every task scored in one HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._app import evaluate_app, fail, handle_errors


@evaluate_app.callback()
@handle_errors
def evaluate_all_cli(
    ctx: typer.Context,
    gold: Optional[Path] = typer.Option(None, "--gold", "-g", help="Folder of labelled issue JSON files."),
    pred: Optional[Path] = typer.Option(None, "--pred", "-p",
                                        help="Folder of predicted issue JSON (default: run the pipeline)."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="HTML report (default: a summary on stdout)."),
    sources: List[Path] = typer.Option([], "--sources", help="Where the gold issues' bulletins are (parse scores)."),
    components: Optional[str] = typer.Option(None, "--components", "-c",
                                             help="Comma-separated subset of parse,themes,summary,ner."),
) -> None:
    """Score every task (parse, themes, summary, ner) side by side; name a task for its own options."""
    if ctx.invoked_subcommand is not None:
        return
    if gold is None:
        typer.echo(ctx.get_help())
        fail("give --gold DIR (or name a task: jianbao evaluate TASK --help)")
    from ..api import parse_components
    from ..io_utils import write_atomic
    from ..report import _headline, evaluate_all, evaluation_html

    names = parse_components(components) if components is not None else None
    result = evaluate_all(gold, pred_dir=pred, sources=sources, components=names)
    if out:
        write_atomic(out, evaluation_html(result))
        typer.echo(f"jianbao: evaluate: report written to {out}", err=True)
    for task, r in result["tasks"].items():
        figures = _headline(task, r["result"]) if r["status"] == "ok" else f"{r['status']} ({r.get('reason', '')})"
        typer.echo(f"{task:<8} {figures}")

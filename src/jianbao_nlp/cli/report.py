"""``jianbao report``: an HTML overview of batch results (themes, agencies, places, warnings)."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from ._app import app, handle_errors


@app.command("report")
@handle_errors
def report_cli(
    results: List[Path] = typer.Argument(..., help="Batch output (OUT.jsonl), issue JSON files or folders."),
    out: Path = typer.Option(..., "-o", "--out", help="The HTML report to write."),
    title: str = typer.Option("简报档案报告", "--title", help="Report title."),
) -> None:
    """Themes per issue and per year, most frequent agencies and places, issues with parse warnings."""
    from ..io_utils import write_atomic
    from ..report import archive_report_html, gather

    stats = gather(results)
    write_atomic(out, archive_report_html(stats, title=title))
    typer.echo(f"jianbao: report: {stats.issues} issues, {stats.articles} articles -> {out}", err=True)

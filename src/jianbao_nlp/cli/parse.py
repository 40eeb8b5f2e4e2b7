"""``jianbao parse``: bulletins in, issue JSON (or JSONL / Markdown) out."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..api import dump_issue, read_input
from ..io_utils import write_atomic
from ._app import app, fail, handle_errors, progress

EXT = {"json": ".json", "jsonl": ".jsonl", "md": ".md"}


@app.command("parse")
@handle_errors
def parse_cli(
    inputs: List[Path] = typer.Argument(..., help="Bulletin files (.md .txt .docx .pdf .html); an issue .json is validated and passed through."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Output file (default: stdout)."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Write one output per input into DIR."),
    fmt: str = typer.Option("json", "--format", "-f", help="json, jsonl or md."),
) -> None:
    """Parse bulletins into structure: metadata, 本期提要, sections, articles, footer."""
    if fmt not in EXT:
        fail(f"unknown --format {fmt!r} (json, jsonl or md)")
    if out and out_dir:
        fail("give -o or --out-dir, not both")
    if len(inputs) > 1 and out and fmt != "jsonl":
        fail("several inputs need --out-dir, or --format jsonl with -o")
    # Parse everything first, so that a bad input leaves no partial output behind.
    issues = [read_input(p) for p in progress(inputs, total=len(inputs), desc="parse")]
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        for path, issue in zip(inputs, issues):
            write_atomic(out_dir / (path.stem + EXT[fmt]), dump_issue(issue, fmt))
    else:
        text = "".join(dump_issue(i, fmt) for i in issues)
        if out:
            write_atomic(out, text)
        else:
            typer.echo(text, nl=False)
    for issue in issues:
        for w in issue.extra.get("warnings", []):
            typer.echo(f"jianbao: warning: {issue.source.get('file') if issue.source else issue.id}: {w}", err=True)

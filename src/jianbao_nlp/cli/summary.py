"""Summary-line commands: ``jianbao toc`` (the 本期提要 block), ``jianbao suggest``,
``jianbao train summary`` and ``jianbao evaluate summary``. Each wraps an importable function."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._app import app, evaluate_app, fail, handle_errors, train_app


@app.command("toc")
@handle_errors
def toc_cli(
    input: Path = typer.Argument(..., help="A bulletin file or an issue JSON."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="OUT.md, OUT.txt or OUT.docx (default: stdout)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="md, txt or docx (default: from the suffix)."),
) -> None:
    """Print the 本期提要 block built from the articles' titles, grouped by section."""
    from ..api import read_input
    from ..components.summary.block import write_block

    if fmt not in (None, "md", "txt", "docx"):
        fail(f"unknown --format {fmt!r} (md, txt or docx)")
    if fmt == "docx" and out is None:
        fail("--format docx needs -o OUT.docx")
    text = write_block(read_input(input), out, fmt)
    if text is not None:
        typer.echo(text, nl=False)


@app.command("suggest")
@handle_errors
def suggest_cli(
    input: Path = typer.Argument(..., help="A bulletin file or an issue JSON."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A summary model directory."),
    backend: Optional[str] = typer.Option(None, "--backend", "-b", help="extractive, compression or seq2seq."),
    k: int = typer.Option(3, "-k", help="Suggestions per article."),
) -> None:
    """Print suggested 提要 lines for every article (from the body only), best first."""
    from ..api import read_input
    from ..components.summary import create_component

    issue = read_input(input)
    comp = create_component(model=model, backend=backend, k=k)
    comp.process_issue(issue)
    for a in issue.articles:
        typer.echo(f"{a.id}\t" + "\t".join(a.suggested_summary_lines))


@train_app.command("summary")
@handle_errors
def train_summary_cli(
    out: Path = typer.Option(..., "--out", "-o", help="Model directory to write."),
    backend: str = typer.Option("compression", "--backend", "-b", help="compression or seq2seq."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="Headline JSONL(.gz) of {id,date,title,body} "
                                          "(default: the 新闻联播 corpus under ../shared)."),
    n_train: int = typer.Option(30000, "--n-train", help="Training pairs (subsampled, date <= 2025-06-30)."),
    n_rerank: int = typer.Option(1500, "--n-rerank", help="Tune pairs (2025-07..12) for the reranker."),
    base_model: Optional[Path] = typer.Option(None, "--base-model", help="seq2seq: a local checkpoint directory."),
    max_steps: int = typer.Option(-1, "--max-steps", help="seq2seq: stop after this many steps."),
    epochs: float = typer.Option(1.0, "--epochs", help="seq2seq: training epochs."),
    batch_size: int = typer.Option(8, "--batch-size", help="seq2seq: batch size."),
) -> None:
    """Train a summary model: the compression tagger + reranker, or a seq2seq fine-tune."""
    from ..components.summary.train import train_compression, train_seq2seq_from_corpus

    if backend == "compression":
        res = train_compression(out, corpus=corpus, n_train=n_train, n_rerank=n_rerank)
        typer.echo(f"saved {out}: {res['scores']}")
    elif backend == "seq2seq":
        if base_model is None:
            fail("--backend seq2seq needs --base-model DIR (a local Chinese BART/T5/Pegasus checkpoint)")
        res = train_seq2seq_from_corpus(base_model, out, corpus=corpus, n_train=n_train, max_steps=max_steps,
                                        epochs=epochs, batch_size=batch_size)
        typer.echo(f"saved {out}: {res}")
    else:
        fail(f"unknown --backend {backend!r} (compression or seq2seq)")


@evaluate_app.command("summary")
@handle_errors
def evaluate_summary_cli(
    gold: List[Path] = typer.Option(..., "--gold", "-g", help="Gold issue JSON file(s) or folder(s)."),
    backend: List[str] = typer.Option([], "--backend", "-b", help="extractive, compression (repeatable)."),
    model: List[Path] = typer.Option([], "--model", "-m", help="A summary model directory (repeatable)."),
    report: Optional[Path] = typer.Option(None, "--report", "-r", help="Write a report: OUT.md or OUT.html."),
) -> None:
    """Score suggested lines (first suggestion) against printed lines, with the lead-sentence baseline."""
    from ..eval.summary import SUMMARY_HEAD, _summary_rows, evaluate, to_html, to_markdown
    from ..io_utils import write_atomic

    if report is not None and report.suffix.lower() not in (".md", ".html", ".htm"):
        fail(f"{report}: report must be .md or .html")
    backends = ["default" if b == "compression" else b for b in backend]
    res = evaluate(gold, backends=backends, models=model)
    typer.echo("\t".join(SUMMARY_HEAD))
    for row in _summary_rows(res):
        typer.echo("\t".join(row))
    if report is not None:
        write_atomic(report, to_markdown(res) if report.suffix.lower() == ".md" else to_html(res))

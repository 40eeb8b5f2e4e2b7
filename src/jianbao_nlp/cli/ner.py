"""``jianbao index``, ``jianbao train ner`` and ``jianbao evaluate ner``: thin wrappers over
``components.ner`` and ``eval.ner``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ._app import app, evaluate_app, fail, handle_errors, train_app


@app.command("index")
@handle_errors
def index_cli(
    results: List[Path] = typer.Argument(..., help="Processed issue JSON files or batch JSONL output."),
    out: Path = typer.Option(..., "-o", "--out", help="OUT.jsonl or OUT.csv"),
) -> None:
    """Entity index: canonical entity -> label, issues and articles where it appears, counts."""
    from ..components.ner.index import write_index

    rows = write_index(results, out)
    typer.echo(f"jianbao: index: {len(rows)} entities written to {out}", err=True)


def evaluate_ner(gold: List[Path], pred: Optional[Path] = None, model: Optional[Path] = None,
                 backend: Optional[str] = None, fields: Optional[List[str]] = None) -> dict:
    """Score predictions (issue JSON) or a model run on the gold texts against gold entities."""
    from ..api import predictions_for
    from ..errors import InputError
    from ..eval.ner import score
    from ..model import load_issue

    if pred is not None and model is not None:
        raise InputError("give either --pred or --model, not both")
    gold_issues = [load_issue(g) for g in gold]

    def make():
        from ..components.ner import create_component

        return create_component(model=model, backend=backend)

    bad = sorted(set(fields or ()) - {"title", "body"})
    if bad:
        raise InputError(f"--field must be title or body, not {', '.join(bad)}")
    return score(gold_issues, predictions_for(gold_issues, pred, "ner", make), fields=fields)


@evaluate_app.command("ner")
@handle_errors
def evaluate_ner_cli(
    gold: List[Path] = typer.Option(..., "--gold", "-g", help="Gold issue JSON (repeatable)."),
    pred: Optional[Path] = typer.Option(None, "--pred", "-p", help="Predicted issue JSON."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model directory (default: shipped)."),
    backend: Optional[str] = typer.Option(None, "--backend", "-b", help="rules (no model needed), crf, transformer."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write a .md or .html report."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
    field: List[str] = typer.Option([], "--field", help="Score only this field (title, body; repeatable): "
                                                        "for gold annotated in bodies only."),
) -> None:
    """Strict span P/R/F1 (micro and per label) with lists of missed and spurious entities."""
    from ..eval.ner import to_html, to_markdown
    from ..io_utils import write_atomic

    if report is not None and report.suffix.lower() not in (".md", ".html", ".htm"):
        fail(f"{report}: --report must end in .md or .html")
    result = evaluate_ner(gold, pred=pred, model=model, backend=backend, fields=field or None)
    if report is not None:
        text = to_markdown(result) if report.suffix.lower() == ".md" else (
            "<!doctype html><meta charset=\"utf-8\"><title>NER evaluation</title>\n" + to_html(result))
        write_atomic(report, text)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    typer.echo(f"all  P {result['precision']:.3f}  R {result['recall']:.3f}  F1 {result['f1']:.3f}  "
               f"(gold {result['gold']}, predicted {result['pred']})")
    for lab, r in result["per_label"].items():
        typer.echo(f"{lab:<4} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  (gold {r['gold']})")


@train_app.command("ner")
@handle_errors
def train_ner_cli(
    backend: str = typer.Option("crf", "--backend", "-b", help="rules, crf or transformer."),
    out: Path = typer.Option(..., "--out", "-o", help="Model directory to write."),
    train: List[str] = typer.Option([], "--train", "-t",
                                    help="Corpus [KIND:]PATH (bio, bmes, weibo, cluener; repeatable)."),
    clusters: Optional[Path] = typer.Option(None, "--clusters", help="A char_clusters.tsv to reuse (crf)."),
    unlabelled: Optional[Path] = typer.Option(None, "--unlabelled",
                                              help="新闻联播 jsonl.gz to learn character clusters from (crf)."),
    max_iterations: int = typer.Option(120, "--max-iterations", help="CRF L-BFGS iterations."),
    c1: float = typer.Option(0.05, "--c1", help="CRF L1 penalty."),
    c2: float = typer.Option(0.01, "--c2", help="CRF L2 penalty."),
    minfreq: float = typer.Option(2, "--minfreq", help="CRF: drop features seen fewer times."),
    base_model: Optional[Path] = typer.Option(None, "--base-model", help="Local checkpoint (transformer)."),
    epochs: float = typer.Option(1.0, "--epochs", help="Transformer epochs."),
) -> None:
    """Train a NER model (the rules backend just writes its model card) and save it."""
    from ..components.ner.train import train as train_ner

    settings: dict = {}
    if backend == "crf":
        settings = {"max_iterations": max_iterations, "c1": c1, "c2": c2, "minfreq": minfreq}
    elif backend == "transformer":
        settings = {"base_model": str(base_model) if base_model else None, "epochs": epochs}
    train_ner(backend, out, corpora=train, clusters=clusters, unlabelled=unlabelled, settings=settings)
    typer.echo(f"saved {backend} NER model to {out}")

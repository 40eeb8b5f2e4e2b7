"""``jianbao train themes`` and ``jianbao evaluate themes``: thin wrappers over
``components.themes.train.train_themes`` and ``eval.themes``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ._app import evaluate_app, fail, handle_errors, train_app


@train_app.command("themes")
@handle_errors
def train_themes_cli(
    backend: str = typer.Option("linear", "--backend", "-b", help="lexicon, linear or transformer."),
    out: Path = typer.Option(..., "--out", "-o", help="Model directory to write."),
    taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help="Taxonomy YAML/JSON (default: shipped)."),
    train: List[Path] = typer.Option([], "--train", help="Issue JSON / folder / id-label JSONL (repeatable)."),
    dev: Optional[Path] = typer.Option(None, "--dev", help="Held-out labels for threshold tuning and scores."),
    base_model: Optional[Path] = typer.Option(None, "--base-model", help="Local checkpoint (transformer backend)."),
    evaluate: List[Path] = typer.Option([], "--eval", help="Extra gold files to score the model on (repeatable)."),
) -> None:
    """Train a theme tagger and save it as a model directory."""
    from ..components.themes.train import train_themes

    tagger = train_themes(backend, out=out, taxonomy=taxonomy, train=train, dev=dev, base_model=base_model,
                          eval_paths=evaluate)
    typer.echo(f"saved {backend} theme model to {out}")
    for name, sc in tagger.scores_.items():
        if isinstance(sc, dict) and sc:
            typer.echo(f"  {name}: " + " ".join(f"{k}={v}" for k, v in sc.items()))


def evaluate_themes(gold: List[Path], pred: Optional[Path] = None, model: Optional[Path] = None,
                    taxonomy: Optional[Path] = None):
    """Score predictions (an issue JSON) or a model (run on the gold texts) against gold labels."""
    from ..api import predictions_for
    from ..components.themes import create_component
    from ..components.themes.data import read_gold
    from ..errors import InputError
    from ..eval.themes import score

    gold_issues = read_gold(gold)
    if pred is not None and model is not None:
        raise InputError("give either --pred or --model, not both")
    pred_issues = predictions_for(gold_issues, pred, "themes",
                                  lambda: create_component(model=model, taxonomy=taxonomy))
    return score(gold_issues, pred_issues)


@evaluate_app.command("themes")
@handle_errors
def evaluate_themes_cli(
    gold: List[Path] = typer.Option(..., "--gold", "-g", help="Gold issue JSON or id-label JSONL (repeatable)."),
    pred: Optional[Path] = typer.Option(None, "--pred", "-p", help="Predicted issue JSON."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model directory (default: shipped)."),
    taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help="Taxonomy file (lexicon backend)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write a .md or .html report."),
    confusion: Optional[Path] = typer.Option(None, "--confusion", help="Write the primary-theme confusion PNG."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
) -> None:
    """Micro/macro F1, per-label P/R/F1, primary-theme accuracy, confusion matrix, error report."""
    from ..eval.themes import confusion_png, summary_line, to_html_page, to_markdown
    from ..io_utils import write_atomic

    result = evaluate_themes(gold, pred=pred, model=model, taxonomy=taxonomy)
    if report is not None:
        suffix = report.suffix.lower()
        if suffix not in (".md", ".html", ".htm"):
            fail(f"{report}: --report must end in .md or .html")
        write_atomic(report, to_markdown(result) if suffix == ".md" else to_html_page(result))
    if confusion is not None:
        confusion_png(result, confusion)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    typer.echo(summary_line(result))
    for label, v in result["per_label"].items():
        typer.echo(f"  {label:<20} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} support {v['support']}")

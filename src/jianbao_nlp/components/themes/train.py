"""Training entry point behind ``jianbao train themes`` and ``scripts/train_themes.py``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ...errors import InputError
from .data import Example, examples_to_issue, read_examples, read_gold
from .tagger import BACKENDS, ThemeTagger, tune_thresholds

log = logging.getLogger(__name__)


def evaluate_tagger(tagger: ThemeTagger, gold_paths: Sequence[str | Path]) -> dict[str, Any]:
    """Score a tagger on gold files (issue JSON or id/label JSONL) with ``eval.themes.score``."""
    from ...eval.themes import score

    gold = read_gold(gold_paths)
    pred = [g.copy() for g in gold]
    for issue in pred:
        tagger.process_issue(issue)
    return score(gold, pred)


def _headline(result: dict[str, Any]) -> dict[str, float]:
    return {k: round(float(result[k]), 4) for k in ("micro_f1", "macro_f1", "primary_accuracy")} | {
        "n": result["n_articles"]}


def cross_tuned_score(tagger: ThemeTagger, dev: Sequence[Example], folds: int = 2, seed: int = 0) -> dict[str, Any]:
    """An honest dev figure when thresholds are tuned on dev: tune on k-1 folds, score the held-out fold."""
    from ...eval.themes import score

    if len(dev) < 2 * folds:
        return {}
    S = tagger.predict_raw([(e.title, e.body) for e in dev])
    Y = tagger._matrix(dev)
    order = np.random.default_rng(seed).permutation(len(dev))
    saved = tagger.thresholds_.copy()
    preds = [None] * len(dev)
    default = float(tagger.taxonomy_.settings["threshold"])
    lex = tagger._lexicon()
    for f in range(folds):
        test = order[f::folds]
        train = np.setdiff1d(order, test)
        tagger.thresholds_ = tune_thresholds(S[train], Y[train], default=default)
        for i in test:
            preds[i] = tagger.decode(S[i], lex.title_scores(dev[i].title, dev[i].body))
    tagger.thresholds_ = saved
    gold = examples_to_issue(dev, "dev")
    pred = examples_to_issue([Example(e.id, e.title, e.body, p) for e, p in zip(dev, preds)], "dev")
    return _headline(score(gold, pred))


def train_themes(backend: str, out: str | Path | None = None, taxonomy: str | Path | None = None,
                 train: Sequence[str | Path] = (), dev: str | Path | None = None,
                 base_model: str | Path | None = None, eval_paths: Sequence[str | Path] = (),
                 weak_weight: float = 1.0, **settings: Any) -> ThemeTagger:
    """Train (or, for ``lexicon``, calibrate) a theme tagger, tune thresholds on ``dev``, score it on
    ``dev`` and ``eval_paths``, and save it to ``out`` when given."""
    if backend not in BACKENDS:
        raise InputError(f"unknown theme backend {backend!r} (choose from {', '.join(BACKENDS)})")
    if backend == "transformer":
        if base_model is None:
            raise InputError("the transformer backend needs --base-model DIR (a local checkpoint)")
        settings["base_model"] = str(base_model)
    train_ex = read_examples(list(train)) if train else []
    dev_ex = read_examples([dev]) if dev else []
    if backend != "lexicon" and not train_ex:
        raise InputError(f"the {backend} backend needs --train data with themes")
    weights = None
    if train_ex and weak_weight != 1.0:
        weights = np.array([weak_weight if "weak" in Path(e.source).name else 1.0 for e in train_ex])
    log.info("themes: %d training and %d dev examples", len(train_ex), len(dev_ex))
    tagger = ThemeTagger(backend=backend, taxonomy=taxonomy, **settings)
    tagger.fit(train_ex, dev=dev_ex or None, sample_weight=weights)
    scores: dict[str, Any] = {}
    if dev_ex:
        from ...eval.themes import score

        gold = examples_to_issue(dev_ex, "dev")
        pred = gold.copy()
        tagger.process_issue(pred)
        scores["dev_tuned"] = _headline(score(gold, pred))
        scores["dev_cross_tuned"] = cross_tuned_score(tagger, dev_ex)
        scores["dev_file"] = str(dev)
    for p in eval_paths:
        try:
            scores[f"eval:{Path(p).name}"] = _headline(evaluate_tagger(tagger, [p]))
        except InputError as err:
            log.warning("cannot score on %s (%s)", p, err)
    tagger.scores_.update(scores)
    if out is not None:
        tagger.save_pretrained(out)
    return tagger

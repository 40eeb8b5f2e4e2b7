#!/usr/bin/env python3
"""Rebuild the shipped theme models end to end (a few minutes on 2 CPU cores):

  1. weak labels: the lexicon as labelling functions over 新闻联播 train-split items (<= 2025-06-30)
     -> data/themes/weak_train.jsonl (ids + labels only; skipped with --reuse-weak if present);
  2. models/themes-linear: TF-IDF (jieba words + char 1-3-grams) + lexicon features, one-vs-rest
     logistic regression on weak_train.jsonl (+ data/themes/train_human.jsonl when present),
     per-label thresholds tuned on data/themes/dev.jsonl (hand-annotated, 2025-07..12 items);
  3. models/themes-lexicon: the lexicon backend with default thresholds (no training);
  4. scores on the dev set (tuned, and 2-fold cross-tuned) and on the seed issue (never trained on)
     are written to each meta.json.

  python scripts/train_themes.py [--reuse-weak] [--out-dir models]
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jianbao_nlp.components.themes.data import shared_dir  # noqa: E402
from jianbao_nlp.components.themes.taxonomy import Taxonomy  # noqa: E402
from jianbao_nlp.components.themes.train import train_themes  # noqa: E402
from jianbao_nlp.components.themes.weak import weak_label, write_jsonl  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=str(ROOT / "models"))
    ap.add_argument("--data-dir", default=str(ROOT / "data/themes"))
    ap.add_argument("--taxonomy", default=None)
    ap.add_argument("--reuse-weak", action="store_true", help="keep an existing weak_train.jsonl")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    t0 = time.time()
    data = Path(args.data_dir)
    weak = data / "weak_train.jsonl"
    if not (args.reuse_weak and weak.is_file()):
        n = write_jsonl(weak_label(Taxonomy.load(args.taxonomy), progress=True), weak)
        print(f"[{time.time() - t0:.0f}s] weak labels: {n} rows -> {weak}", flush=True)
    train = [weak] + [p for p in [data / "train_human.jsonl"] if p.is_file()]
    dev = data / "dev.jsonl"
    dev = dev if dev.is_file() else None
    seed = shared_dir() / "data/labelled/sc-jgswj-2021-08.json"
    evals = [seed] if seed.is_file() else []
    out = Path(args.out_dir)
    lin = train_themes("linear", out=out / "themes-linear", taxonomy=args.taxonomy, train=train, dev=dev,
                       eval_paths=evals)
    print(f"[{time.time() - t0:.0f}s] themes-linear: {lin.scores_}", flush=True)
    lex = train_themes("lexicon", out=None, taxonomy=args.taxonomy, dev=dev, eval_paths=evals)
    # the lexicon baseline keeps its default thresholds (it is the untrained reference)
    import numpy as np

    lex.thresholds_ = np.full(len(lex.labels), float(lex.taxonomy_.settings["threshold"]))
    from jianbao_nlp.components.themes.train import _headline, evaluate_tagger

    if dev:
        lex.scores_ = {"dev": _headline(evaluate_tagger(lex, [dev])), "dev_file": str(dev)}
    for p in evals:
        lex.scores_[f"eval:{p.name}"] = _headline(evaluate_tagger(lex, [p]))
    lex.save_pretrained(out / "themes-lexicon")
    print(f"[{time.time() - t0:.0f}s] themes-lexicon: {lex.scores_}", flush=True)
    print(f"done in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

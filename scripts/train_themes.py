#!/usr/bin/env python3
"""Rebuild the shipped theme models end to end (a few minutes on 2 CPU cores):

  1. weak labels: the lexicon as labelling functions over 新闻联播 train-split items (<= 2025-06-30)
     -> data/themes/weak_train.jsonl (ids + labels only; skipped with --reuse-weak if present);
  2. models/themes-linear: TF-IDF (jieba words + char 1-3-grams) + lexicon features, one-vs-rest
     logistic regression on weak_train.jsonl (weight 0.3) + data/themes/train_human.jsonl (when
     present, weight 1), blended 50/50 with the lexicon score,
     per-label thresholds tuned on data/themes/dev.jsonl (hand-annotated, 2025-07..12 items);
  3. models/themes-lexicon: the lexicon backend with default thresholds (no training);
  4. scores on the dev set (tuned, and 2-fold cross-tuned) and on the seed issue (never trained on)
     are written to each meta.json.

  python scripts/train_themes.py [--reuse-weak] [--out-dir models]
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jianbao_nlp.components.themes.data import shared_dir  # noqa: E402
from jianbao_nlp.components.themes.taxonomy import Taxonomy  # noqa: E402
from jianbao_nlp.components.themes.train import train_themes  # noqa: E402
from jianbao_nlp.components.themes.weak import weak_label, write_jsonl  # noqa: E402


REBUILD = ".venv/bin/python scripts/train_themes.py"


def _fmt(sc: dict) -> str:
    if not sc:
        return "n/a"
    return (f"micro-F1 {sc['micro_f1']:.3f}, macro-F1 {sc['macro_f1']:.3f}, "
            f"primary accuracy {sc['primary_accuracy']:.3f} (n={sc['n']})")


def write_card(path: Path, name: str, tagger, other: dict, seconds: float) -> None:
    """The README.md model card: data, scores (beside the other backend), the rebuild command."""
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    sc = meta["scores"]
    td = meta["training_data"]
    lines = [f"# {name}", "",
             f"Theme tagger for 机关事务 bulletin articles, backend `{meta['backend']}` "
             f"(multi-label, primary theme first; labels: {', '.join(meta['labels'])}).", "",
             "Load it with `jianbao_nlp.components.themes.create_component(model=PATH)`, or use it as the "
             "`themes` component of `jianbao process` (`--model themes=PATH`).", "",
             "## Rebuild", "", "```", REBUILD, "```", "",
             f"(weak labelling + training + threshold tuning; took {seconds / 60:.1f} min on the 2-core build machine).",
             "", "## Training data", ""]
    if meta["backend"] == "lexicon":
        lines += ["None: weighted terms and patterns of `taxonomy.yaml` (domain knowledge of 机关事务 work), "
                  "scored sentence by sentence; default thresholds (0.5).", ""]
    else:
        lines += [f"- {td.get('n_train', 0)} examples from {', '.join(Path(x).name for x in td.get('sources', []))} "
                  "(see data/themes/README.md): train-split items only (新闻联播 dated <= 2025-06-30 and 2011 "
                  "procurement-portal news); `weak_train.jsonl` is weakly labelled by the lexicon (weight 0.3), "
                  "`train_human.jsonl` is hand-annotated (weight 1). Only ids and labels are stored; the text is "
                  "read from ../shared at training time.",
                  f"- thresholds tuned per label on data/themes/dev.jsonl ({td.get('n_dev', 0)} hand-annotated "
                  "items dated 2025-07..12); grid 0.25-0.75.",
                  f"- fingerprint of the training ids+labels: `{td.get('fingerprint')}`",
                  "- the seed bulletin's gold (sc-jgswj-2021-08) is a dev set: never trained on; one threshold setting was chosen after seeing its score (see Notes).", ""]
    lines += ["## Scores", "", "| set | this model | other backend |", "| --- | --- | --- |"]
    if "dev_tuned" in sc:
        lines.append(f"| dev.jsonl, thresholds tuned on it | {_fmt(sc['dev_tuned'])} | {_fmt(other.get('dev', {}))} |")
    if sc.get("dev_cross_tuned"):
        lines.append(f"| dev.jsonl, 2-fold cross-tuned (honest) | {_fmt(sc['dev_cross_tuned'])} | |")
    if "dev" in sc:
        lines.append(f"| dev.jsonl (default thresholds) | {_fmt(sc['dev'])} | {_fmt(other.get('dev_tuned', {}))} |")
    for key in (k for k in sc if k.startswith("eval:")):
        name_ = key[5:]
        label = ("seed issue sc-jgswj-2021-08 (10 articles)" if name_.startswith("sc-jgswj") else
                 f"data/dev/{name_} (team-written 机关事务 items)")
        lines.append(f"| {label} | {_fmt(sc[key])} | {_fmt(other.get(key, {}))} |")
    lines += ["", "Measured by this script; check with "
              f"`.venv/bin/jianbao evaluate themes --gold data/themes/dev.jsonl --model models/{name}`.", "",
              "## Files", "", "- `meta.json`: task, backend, labels, thresholds, scores, training-data fingerprint, versions",
              "- `taxonomy.yaml`: the taxonomy (lexicon) the model was built with"]
    if meta["backend"] == "linear":
        lines += ["- `vocab.json` (feature strings: T:/W: jieba words of title/body, C: char 1-3-grams) and "
                  "`weights.npz` (idf, coef, intercept): scored by pure numpy, no pickle",
                  f"- final score = {1 - meta['backend_config']['settings']['lexicon_blend']:.2f} x logistic "
                  f"regression + {meta['backend_config']['settings']['lexicon_blend']:.2f} x lexicon score"]
    if meta["backend"] == "linear":
        lines += ["", "## Notes", "",
                  "- Dev-tuned thresholds are shrunk towards 0.5 (20 pseudo-examples per label). This was added "
                  "after the unshrunk thresholds were seen to give seed micro-F1 0.897 (primary accuracy 1.0); "
                  "on dev, 2-fold cross-tuning is indifferent to it (micro-F1 0.864 without, 0.862 with). No lexicon "
                  "entry or rule was added for the seed.",
                  "- The lexicon's list rule (a sentence naming three or more work areas counts 0.3 as much for each: "
                  "`list_themes`, `list_discount` in taxonomy.yaml) was added after reading over-tagged whole-field "
                  "articles in data/dev/agency-news-a.json and -b.json; its value was chosen among three on those "
                  "sets and dev.jsonl, so their scores here are not unbiased. Set c was first scored with the rule "
                  "counting general_work as a listed area (micro-F1 0.898, primary accuracy 0.925; 0.911 / 0.975 "
                  "without the rule); after that was corrected (a none-of-the-above theme is no work area), 0.920 / 0.975."]
    lines += ["", "## Limits", "",
              "Weak labels come from central news (新闻联播), where office space, official cars and logistics "
              "are rare; the lexicon carries those themes. Scores on real bulletins are from one issue only.", ""]
    (path / "README.md").write_text("\n".join(lines), encoding="utf-8")


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
    evals = ([seed] if seed.is_file() else []) + sorted((ROOT / "data/dev").glob("agency-news-[abc].json"))
    out = Path(args.out_dir)
    # weak labels count 0.3 of a hand label (they are many and noisy)
    lin = train_themes("linear", out=out / "themes-linear", taxonomy=args.taxonomy, train=train, dev=dev,
                       eval_paths=evals, weak_weight=0.3)
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
    lin_card_time = time.time() - t0
    write_card(out / "themes-linear", "themes-linear", lin, lex.scores_, lin_card_time)
    write_card(out / "themes-lexicon", "themes-lexicon", lex, lin.scores_, time.time() - t0)
    print(f"done in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

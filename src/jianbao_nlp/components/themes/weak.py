"""Weak supervision: the taxonomy's lexicon as labelling functions (with abstain) over the 新闻联播
corpus, train-split dates only (<= 2025-06-30). Only ids and labels are kept, never text.

Labelling functions, per item:
- ``title``: the title (a headline names the main theme) scores a theme strongly -> that theme;
- ``article``: the sentence-level lexicon fires a theme with high confidence -> that theme;
- both abstain on items where no theme is strongly supported.

An item is kept when the title function fires and the article function agrees with it (or does not
contradict it), or when the article function fires confidently on its own; a random sample of
items on which every function abstains is kept as ``general`` negatives (the fallback theme),
so that the model learns what is *not* a specific theme. Since the corpus is mostly central news,
only a small share of it is kept.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Iterator

import numpy as np

from .data import TRAIN_END, iter_corpus
from .lexicon import LexiconScorer
from .taxonomy import Taxonomy


def label_item(lex: LexiconScorer, title: str | None, body: str | None, confident: float = 0.85,
               title_strong: float = 0.5) -> tuple[list[str], str]:
    """(themes primary first, reason) or ([], 'abstain')."""
    labels = lex.labels
    ev = lex.analyse(title, body)
    p = np.array([e.score for e in ev])
    fired = [k for k in np.argsort(-p) if p[k] >= float(lex.settings["threshold"])]
    t = lex.title_scores(title, body)
    title_k = int(np.argmax(t)) if t.max() >= title_strong else None
    fallback = lex.taxonomy.fallback
    if title_k is not None and (title_k in fired or not fired):
        rest = [labels[k] for k in fired if k != title_k and labels[k] != fallback]
        return [labels[title_k]] + rest, "title+article" if title_k in fired else "title"
    top = ev[fired[0]] if fired else None
    if top is not None and top.score >= confident and top.n_sentences >= 2 \
            and top.max_sentence >= float(lex.settings["strong_sentence"]):
        return [labels[k] for k in fired], "article"
    return [], "abstain"


def weak_label(taxonomy: Taxonomy | None = None, corpus: str | Path | None = None, max_date: str = TRAIN_END,
               negatives: int = 1500, max_per_theme: int = 3000, seed: int = 13,
               progress: bool = False) -> Iterator[dict]:
    """Yield ``{"id", "themes", "lf"}`` rows (ids + labels only) for train-split corpus items."""
    if max_date > TRAIN_END:
        raise ValueError(f"weak labels may only come from train-split items (<= {TRAIN_END})")
    tax = taxonomy or Taxonomy.load()
    lex = LexiconScorer(tax)
    rng = random.Random(seed)
    fallback = tax.fallback
    kept: dict[str, list[dict]] = {}
    abstained: list[str] = []
    n = 0
    for d in iter_corpus(corpus, max_date=max_date):
        n += 1
        if progress and n % 10000 == 0:
            print(f"weak_label: {n} items read", flush=True)
        themes, why = label_item(lex, d.get("title"), d.get("body"))
        if themes:
            kept.setdefault(themes[0], []).append({"id": d["id"], "themes": themes, "lf": why})
        else:
            abstained.append(d["id"])
    rows: list[dict] = []
    for theme, items in sorted(kept.items()):
        if len(items) > max_per_theme:
            items = rng.sample(items, max_per_theme)
        rows += items
    for i in rng.sample(abstained, min(negatives, len(abstained))):
        rows.append({"id": i, "themes": [fallback], "lf": "negative"})
    rows.sort(key=lambda r: r["id"])
    yield from rows


def write_jsonl(rows, path: str | Path) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n

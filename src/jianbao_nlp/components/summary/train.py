"""Training recipes for the summary backends (used by ``jianbao train summary`` and scripts/).

Headline corpora are JSON Lines (optionally gzipped) of ``{"id", "date", "title", "body"}``.
The 新闻联播 split rule is enforced here: training uses items dated up to 2025-06-30, tuning
uses 2025-07-01..2025-12-31, and items from 2026 on are never read.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import time
from pathlib import Path
from typing import Any, Iterator, Sequence

from ...errors import InputError
from ...modeldir import shared_dir
from ...modeldir import fingerprint, write_meta
from .text import lead_sentence, rouge_l, squash

log = logging.getLogger(__name__)

TRAIN_END = "2025-06-30"
TUNE_START, TUNE_END = "2025-07-01", "2025-12-31"
FORBIDDEN_FROM = "2026-01-01"




def default_corpus() -> Path:
    return shared_dir() / "data" / "external" / "headlines" / "cctv_xinwenlianbo" / "xinwenlianbo.jsonl.gz"


def read_pairs(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield records with non-empty ``title`` and ``body`` from a (gzipped) JSON Lines file."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such headline corpus", p)
    opener = gzip.open if p.suffix == ".gz" else open
    try:
        with opener(p, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    d = json.loads(line)
                except json.JSONDecodeError:
                    raise InputError(f"line {n} is not valid JSON", p) from None
                if isinstance(d, dict) and d.get("title") and d.get("body"):
                    yield d
    except (OSError, EOFError) as err:
        raise InputError(f"cannot read ({err})", p) from None


def split_rows(rows: Sequence[dict[str, Any]], ordinary_only: bool = True
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(train, tune) by the date rule; 2026+ rows are dropped. Undated rows go to train."""
    train, tune = [], []
    for r in rows:
        if ordinary_only and str(r.get("id", "")).count("-") == 3:
            continue
        d = str(r.get("date") or "")
        if d >= FORBIDDEN_FROM:
            continue
        if TUNE_START <= d <= TUNE_END:
            tune.append(r)
        else:
            train.append(r)
    return train, tune


def keep_extractive(rows: Sequence[dict[str, Any]], min_overlap: float = 0.5) -> list[dict[str, Any]]:
    """Rows whose headline shares enough characters with the body's first 600 characters."""
    from .text import lcs_len

    out = []
    for r in rows:
        h = squash(r["title"])
        head = squash(r["body"])[:600]
        if 4 <= len(h) <= 40 and lcs_len(head[:250], h) / len(h) >= min_overlap:
            out.append(r)
    return out


def evaluate_pairs(suggest, pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    rl = [rouge_l((suggest(b) or [""])[0], h) for b, h in pairs]
    base = [rouge_l(lead_sentence(b), h) for b, h in pairs]
    return {"rougeL": sum(rl) / len(rl), "lead_rougeL": sum(base) / len(base), "n": len(pairs)}


def shuffled_split(corpus: str | Path | None, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(train, tune) rows of the corpus by the split rule (2026+ never read), each shuffled with ``seed``."""
    corpus = Path(corpus) if corpus else default_corpus()
    rows = [r for r in read_pairs(corpus) if str(r.get("date") or "") < FORBIDDEN_FROM]
    train_rows, tune_rows = split_rows(rows)
    rng = random.Random(seed)
    rng.shuffle(train_rows)
    rng.shuffle(tune_rows)
    return train_rows, tune_rows


def select_data(corpus: str | Path | None = None, n_train: int = 30000, n_rerank: int = 1500, n_eval: int = 800,
                seed: int = 13) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(train, rerank, eval) rows by the split rule, shuffled with ``seed``."""
    train_rows, tune_rows = shuffled_split(corpus, seed)
    train_sel = keep_extractive(train_rows[: int(n_train * 1.6)])[:n_train]
    tune_sel = tune_rows[: n_rerank + n_eval]
    return train_sel, tune_sel[:n_rerank], tune_sel[n_rerank:]


def train_compression(out_dir: str | Path, corpus: str | Path | None = None, n_train: int = 30000,
                      n_rerank: int = 1500, n_eval: int = 800, seed: int = 13, max_iterations: int = 100,
                      c1: float = 0.3, c2: float = 0.01, tagger: str | Path | None = None) -> dict[str, Any]:
    """Train the shipped compression model end to end and save it as a model directory.

    ``tagger`` reuses an already trained crfsuite file (then only the reranker is fitted)."""
    import shutil

    from .compression import CRF_FILE, PREDICT_SENTENCES, CompressionModel

    corpus = Path(corpus) if corpus else default_corpus()
    t0 = time.time()
    train_sel, rerank_rows, eval_rows = select_data(corpus, n_train, n_rerank, n_eval, seed)
    log.info("corpus read: %d train, %d rerank, %d eval (%.0fs)", len(train_sel), len(rerank_rows),
             len(eval_rows), time.time() - t0)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = CompressionModel()
    if tagger:
        if Path(tagger).resolve() != (out_dir / CRF_FILE).resolve():
            shutil.copyfile(tagger, out_dir / CRF_FILE)
        model.open_tagger(out_dir / CRF_FILE)
        from .compression import best_source

        used = sum(best_source(r["body"], r["title"])[2] >= 0.6 for r in train_sel)  # fit_tagger's filter
        stats: dict[str, Any] = {"pairs_seen": len(train_sel), "pairs_used": used}
    else:
        stats = model.fit_tagger(((r["body"], r["title"]) for r in train_sel), out_dir / CRF_FILE,
                                 max_iterations=max_iterations, c1=c1, c2=c2)
    log.info("tagger ready: %s (%.0fs)", stats, time.time() - t0)
    stats.update(model.fit_reranker([(r["body"], r["title"]) for r in rerank_rows]))
    log.info("reranker fitted (%.0fs)", time.time() - t0)
    model.max_sentences = PREDICT_SENTENCES
    scores = evaluate_pairs(model.suggest, [(r["body"], r["title"]) for r in eval_rows])
    log.info("tune hold-out: %s", scores)
    model.save(out_dir)
    write_meta(out_dir, task="summary", backend="compression", labels=["K", "D"],
               scores={"xwlb_tune_holdout": scores},
               training_data={
                   "corpus": corpus.name, "split_rule": f"train <= {TRAIN_END}; tune {TUNE_START}..{TUNE_END}; "
                                                         "2026+ never read",
                   "train_pairs": stats["pairs_used"], "rerank_pairs": len(rerank_rows), "eval_pairs": len(eval_rows),
                   "fingerprint": fingerprint(r["id"] for r in train_sel + rerank_rows + eval_rows)},
               settings={"n_train": n_train, "n_rerank": n_rerank, "seed": seed, "c1": c1, "c2": c2,
                         "max_iterations": max_iterations},
               files=[CRF_FILE, "reranker.json"])
    return {"stats": stats, "scores": scores, "seconds": round(time.time() - t0),
            "eval_pairs": [(r["body"], r["title"]) for r in eval_rows]}


def train_seq2seq_from_corpus(base_model: str | Path, out_dir: str | Path, corpus: str | Path | None = None,
                              n_train: int = 30000, n_eval: int = 300, seed: int = 13, **kwargs: Any
                              ) -> dict[str, Any]:
    """Fine-tune a local seq2seq checkpoint on the headline corpus (same split rule as above)."""
    from .seq2seq import train_seq2seq

    train_rows, tune_rows = shuffled_split(corpus, seed)
    pairs = [(r["body"], r["title"]) for r in train_rows[:n_train]]
    eval_pairs = [(r["body"], r["title"]) for r in tune_rows[:n_eval]]
    backend = train_seq2seq(base_model, pairs, out_dir, seed=seed, eval_pairs=eval_pairs, **kwargs)
    from ...modeldir import read_meta

    return {"scores": read_meta(out_dir).get("scores"), "model": type(backend.model).__name__}

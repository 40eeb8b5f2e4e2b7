"""Training entry point shared by ``jianbao train ner`` and ``scripts/train_ner.py``."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Sequence

from ...errors import InputError
from ...modeldir import file_digest, fingerprint
from .corpora import guess_kind, load_corpus

log = logging.getLogger(__name__)


def parse_corpus_spec(spec: str) -> tuple[str, Path]:
    """``KIND:PATH`` or ``PATH`` (kind guessed from the name: .json -> cluener, weibo, .bmes, else bio)."""
    kind, sep, path = spec.partition(":")
    if sep and kind in ("bio", "bmes", "weibo", "cluener"):
        return kind, Path(path)
    return guess_kind(spec), Path(spec)


def load_training_data(specs: Sequence[str]):
    from datasets import concatenate_datasets

    parts, files = [], []
    for k, spec in enumerate(specs):
        kind, path = parse_corpus_spec(spec)
        if not path.is_file():
            raise InputError("no such training corpus", path)
        parts.append(load_corpus(kind, path, prefix=f"{k}:"))
        files.append({"path": str(path), "kind": kind, "sha256": file_digest(path), "rows": len(parts[-1])})
    if not parts:
        raise InputError("no training corpora given")
    ds = concatenate_datasets(parts) if len(parts) > 1 else parts[0]
    return ds, files


def train(backend: str, out: str | Path, corpora: Sequence[str] = (), clusters: str | Path | None = None,
          unlabelled: str | Path | None = None, settings: dict[str, Any] | None = None, seed: int = 0):
    """Train a NER component and save it to ``out``; returns the component."""
    from . import NERComponent

    settings = dict(settings or {})
    out = Path(out)
    if backend == "rules":
        comp = NERComponent(backend="rules", **settings)
        comp.save_pretrained(out)
        return comp
    ds, files = load_training_data(corpora)
    fp = fingerprint([f["sha256"] for f in files])
    training_data = {"corpora": files, "fingerprint": fp, "sentences": len(ds)}
    if backend == "crf":
        from .clusters import learn_clusters, load_clusters, xinwenlianbo_texts

        if clusters:
            table = load_clusters(clusters)
            training_data["clusters"] = {"from": str(clusters)}
        elif unlabelled:
            t0 = time.time()
            table = learn_clusters(xinwenlianbo_texts(unlabelled, limit=settings.pop("cluster_items", 40000)))
            training_data["clusters"] = {"from": str(unlabelled), "until": "2025-06-30",
                                         "seconds": round(time.time() - t0)}
        else:
            table = {}
        comp = NERComponent(backend="crf", **settings)
        comp.fit(ds, clusters=table, work_dir=out)
    elif backend == "transformer":
        comp = NERComponent(backend="transformer", **settings)
        comp.fit(ds, seed=seed)
    else:
        raise InputError(f"unknown NER backend {backend!r} (rules, crf or transformer)")
    comp.training_data = training_data
    comp.save_pretrained(out)
    return comp

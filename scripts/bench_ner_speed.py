#!/usr/bin/env python3
"""NER throughput on ONE core, side by side with jieba.posseg on the same sentences in one run.

    python scripts/bench_ner_speed.py [--model DIR] [--n 2000] [--source msra|xwlb] [--out bench_ner_speed.json]

Text: the first N sentences of the MSRA NER test split (default) or 新闻联播 items dated before
2025-07-01, read from ../shared (or $JIANBAO_SHARED). Threads are pinned to 1 (torch / OpenMP /
BLAS); the CRF is single-threaded. Both systems are timed after a warm-up (jieba dictionary loaded,
model opened) on the same list of texts; the NER figure includes the whole component
(segmentation into sentences, features, CRF decoding, guideline layer), without canonical names.
Prints chars/s of each and the ratio, and writes a JSON record.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import gzip
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JIANBAO_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))


def msra_sentences(n: int) -> list[str]:
    path = SHARED / "data" / "external" / "ner" / "msra" / "msra_test_bio"
    out, cur = [], []
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            if cur:
                out.append("".join(cur))
                cur = []
                if len(out) >= n:
                    break
        else:
            cur.append(line[0])
    return out


def xwlb_texts(n: int) -> list[str]:
    path = SHARED / "data" / "external" / "headlines" / "cctv_xinwenlianbo" / "xinwenlianbo.jsonl.gz"
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["date"] <= "2025-06-30":
                out.append(d["body"])
                if len(out) >= n:
                    break
    return out


def best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=None, help="NER model directory (default: shipped ner-crf)")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--source", choices=("msra", "xwlb"), default="msra")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("bench_ner_speed.json"))
    args = ap.parse_args(argv)
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    texts = msra_sentences(args.n) if args.source == "msra" else xwlb_texts(args.n)
    n_chars = sum(len(t) for t in texts)

    import jieba
    import jieba.posseg as pseg

    from jianbao_nlp.components.ner import create_component
    from jianbao_nlp.components.ner import features as ner_features

    jieba.setLogLevel(60)
    jieba.initialize()
    comp = create_component(model=args.model)
    comp.predict_texts(texts[:20])
    list(pseg.cut(texts[0]))

    def run_posseg():
        for t in texts:
            list(pseg.cut(t))

    def run_ner():
        ner_features._cut.cache_clear()  # no help from an earlier pass
        comp.predict_texts(texts)

    t_pos = best_of(run_posseg, args.repeats)
    t_ner = best_of(run_ner, args.repeats)
    rec = {
        "texts": len(texts), "chars": n_chars, "source": args.source,
        "ner_backend": comp.backend, "ner_model": str(comp.path) if comp.path else None,
        "rules_layer": comp.rules_layer,
        "ner_chars_per_s": round(n_chars / t_ner), "posseg_chars_per_s": round(n_chars / t_pos),
        "ratio_ner_over_posseg": round(t_pos / t_ner, 3),
        "threads": 1, "python": platform.python_version(), "machine": platform.machine(),
    }
    print(f"{len(texts)} texts, {n_chars} chars, one core")
    print(f"NER ({comp.backend})  {rec['ner_chars_per_s']:>10,} chars/s")
    print(f"jieba.posseg     {rec['posseg_chars_per_s']:>10,} chars/s")
    print(f"ratio NER/posseg {rec['ratio_ner_over_posseg']:.2f}")
    args.out.write_text(json.dumps(rec, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

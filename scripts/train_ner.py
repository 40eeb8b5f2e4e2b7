#!/usr/bin/env python3
"""Rebuild the shipped NER model ``models/ner-crf`` (or any NER backend) from ../shared corpora.

    python scripts/train_ner.py [--out models/ner-crf] [--max-iterations 150] [--c1 0.05] [--c2 0.01]

Steps (CRF): learn character clusters from 新闻联播 items dated <= 2025-06-30 (the corpus's
training split; first 40,000 such items), train the character CRF on MSRA train + CLUENER2020
train (mapped: name->PER, address->LOC, government/organization/company->ORG), then score the
model on People's Daily dev and CLUENER dev (reported in meta.json and README.md; never on the
MSRA / People's Daily test splits, which are benchmarks only) and write the model card.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JIANBAO_SHARED", ROOT.parent / "shared"))
EXT = SHARED / "data" / "external"
sys.path.insert(0, str(ROOT / "src"))

CORPORA = {
    "msra": f"bio:{EXT / 'ner/msra/msra_train_bio'}",
    "cluener": f"cluener:{EXT / 'ner/cluener/train.json'}",
    "weibo": f"weibo:{EXT / 'ner/weibo/weiboNER_2nd_conll.train'}",
    "resume": f"bmes:{EXT / 'ner/resume/train.char.bmes'}",
}
DEV = {
    "peoples_daily_dev": ("bio", EXT / "ner/peoples_daily/example.dev"),
    "cluener_dev": ("cluener", EXT / "ner/cluener/dev.json"),
}
XWLB = EXT / "headlines/cctv_xinwenlianbo/xinwenlianbo.jsonl.gz"


def dev_scores(comp, limit: int | None = None) -> dict:
    """Strict span F1 of the component on each dev corpus (sentences as articles)."""
    from jianbao_nlp.components.ner.corpora import load_corpus
    from jianbao_nlp.components.ner.spans import bio_to_spans

    out = {}
    for name, (kind, path) in DEV.items():
        if not path.is_file():
            continue
        ds = load_corpus(kind, path)
        rows = ds if limit is None else ds.select(range(min(limit, len(ds))))
        texts = [r["text"] for r in rows]
        t = time.time()
        preds = comp.predict_texts(texts)
        gold = {(k, s, e, l) for k, r in enumerate(rows) for s, e, l in bio_to_spans(r["tags"])}
        pred = {(k, s, e, l) for k, sp in enumerate(preds) for s, e, l in sp}
        tp = len(gold & pred)
        p = tp / len(pred) if pred else 0.0
        r = tp / len(gold) if gold else 0.0
        out[name] = {"precision": round(p, 4), "recall": round(r, 4),
                     "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4), "sentences": len(texts),
                     "seconds": round(time.time() - t, 1)}
    return out


CARD = """# ner-crf — character CRF for ORG / PER / LOC (jianbao-nlp)

The default entity model of `jianbao process` (component `ner`, backend `crf`), followed at run time
by the guideline layer (gazetteer and agency-name rules, 《》 titles excluded, longest span only) and
canonical-name resolution.

## Files
- `model.crfsuite`: crfsuite's own binary model (L-BFGS, c1={c1}, c2={c2}, {iters} iterations,
  feature.minfreq={minfreq}); opened with `pycrfsuite.Tagger().open(path)`.
- `char_clusters.tsv`: character clusters (PPMI over left/right neighbours -> SVD(64) -> k-means
  48 / 256) learned from 新闻联播 items dated on or before 2025-06-30.
- `meta.json`: task, backend, labels, scores, training-data fingerprint, versions.

## Training data
{corpora}

Features: character unigrams/bigrams in a +-2 window, jieba (`jieba.cut`) word-position tags and
words, gazetteer tags (administrative divisions from cpca's adcodes table, named regions, national
agency aliases), surname/title cues, character clusters. Tags: BIOES.

## Scores (strict span F1, model + guideline layer)
{scores}

Benchmarks (MSRA test, People's Daily test, CLUENER dev) are measured with
`../shared/checks/bench ner-msra-test ner-peoples-daily-test ner-cluener-dev`; see the project's
reports. The MSRA and People's Daily test splits were never used for training or tuning.

## Rebuild

```
.venv/bin/python scripts/train_ner.py --out models/ner-crf
```
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "ner-crf")
    ap.add_argument("--backend", default="crf", choices=("crf", "transformer", "rules"))
    ap.add_argument("--corpora", default="msra,cluener", help="comma-separated: msra, cluener, weibo, resume")
    ap.add_argument("--clusters", type=Path, default=None, help="reuse a char_clusters.tsv instead of learning one")
    ap.add_argument("--max-iterations", type=int, default=150)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--minfreq", type=float, default=2)
    ap.add_argument("--base-model", default=None, help="transformer: local checkpoint directory")
    ap.add_argument("--epochs", type=float, default=1.0)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    from jianbao_nlp.components.ner.train import train
    from jianbao_nlp.modeldir import update_scores

    corpora = [CORPORA[c.strip()] for c in args.corpora.split(",") if c.strip()]
    if args.backend == "crf":
        settings = {"max_iterations": args.max_iterations, "c1": args.c1, "c2": args.c2, "minfreq": args.minfreq}
    elif args.backend == "transformer":
        settings = {"base_model": args.base_model, "epochs": args.epochs}
    else:
        settings = {}
    t0 = time.time()
    comp = train(args.backend, args.out, corpora=corpora, clusters=args.clusters,
                 unlabelled=None if args.clusters else XWLB, settings=settings)
    logging.info("trained in %.0f s", time.time() - t0)
    scores = {"dev": dev_scores(comp), "train_seconds": round(time.time() - t0)}
    update_scores(args.out, scores)
    if args.backend == "crf":
        meta = json.loads((args.out / "meta.json").read_text(encoding="utf-8"))
        corp = "\n".join(f"- `{c['path'].split('data/external/')[-1]}` ({c['kind']}, {c['rows']} sentences, "
                         f"sha256 {c['sha256'][:12]}...)" for c in meta["training_data"].get("corpora", []))
        sc = "\n".join(f"- {k}: P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} ({v['sentences']} sentences)"
                       for k, v in scores["dev"].items())
        (args.out / "README.md").write_text(CARD.format(c1=args.c1, c2=args.c2, iters=args.max_iterations,
                                                        minfreq=args.minfreq, corpora=corp, scores=sc),
                                            encoding="utf-8")
    print(json.dumps(scores, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Weakly label 新闻联播 train-split items (<= 2025-06-30) with the theme lexicon.

  python scripts/weak_label_themes.py [--taxonomy FILE] [--out data/themes/weak_train.jsonl]

Writes ids + labels only (never text); the text is joined from ../shared at training time.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jianbao_nlp.components.themes.taxonomy import Taxonomy  # noqa: E402
from jianbao_nlp.components.themes.weak import weak_label, write_jsonl  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--taxonomy", default=None)
    ap.add_argument("--corpus", default=None, help="新闻联播 jsonl.gz (default: $JIANBAO_SHARED/...)")
    ap.add_argument("--out", default=str(ROOT / "data/themes/weak_train.jsonl"))
    ap.add_argument("--negatives", type=int, default=1500)
    ap.add_argument("--max-per-theme", type=int, default=3000)
    args = ap.parse_args(argv)
    t0 = time.time()
    rows = list(weak_label(Taxonomy.load(args.taxonomy), args.corpus, negatives=args.negatives,
                           max_per_theme=args.max_per_theme, progress=True))
    n = write_jsonl(rows, args.out)
    prim = collections.Counter(r["themes"][0] for r in rows)
    lfs = collections.Counter(r["lf"] for r in rows)
    print(f"wrote {n} rows to {args.out} in {time.time() - t0:.0f}s; primary: {dict(prim)}; by function: {dict(lfs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

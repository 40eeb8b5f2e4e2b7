#!/usr/bin/env python3
"""Rebuild the shipped summary model (models/summary-compression) end to end.

    .venv/bin/python scripts/train_summary.py            # about 15 minutes on 2 CPU cores

Steps: read the 新闻联播 headline corpus from ../shared (or $JIANBAO_SHARED); train the CRF
keep/delete tagger on pairs dated <= 2025-06-30; fit the reranker on 2025-07..12 pairs and
report a 2025-H2 hold-out; then, for the model card only (never used for any choice), score the
seed bulletin (a dev set) and the 2026 bench (``make_bench.py``'s headlines-xwlb-test items).
Writes the model directory and its README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jianbao_nlp.components.summary.train import shared_dir, train_compression  # noqa: E402
from jianbao_nlp.errors import InputError  # noqa: E402
from jianbao_nlp.modeldir import read_meta, update_scores  # noqa: E402

CARD = """# summary-compression — suggested 提要 lines by sentence compression

Backend `compression` of the `summary` component (the shipped default).

- **What it does**: for each of the first {max_sentences} sentences of an article's body (the reranker is
  fitted on candidates of the first {fit_sentences}), a linear-chain
  CRF (python-crfsuite; `tagger.crfsuite`, crfsuite's own format) labels every word keep/delete from
  lexical, POS, word-shape, clause and position features (trained with 25% word dropout so that it
  also works on names and terms it never saw). Each sentence yields several candidates: the Viterbi
  labelling, thresholds on the keep marginals, and a rule-based main-clause compression (date, purpose
  clause and trailing detail dropped). A linear reranker (`reranker.json`, {n_features} features: length,
  keep-probabilities, expected F1 against the tagger's soft headline, log-probability, number of kept
  runs, sentence position, event-sentence score, tagger uncertainty...) is fitted listwise on tune
  pairs, half of them seen with 35% of words hidden from the tagger to imitate unfamiliar text; the top
  3 distinct lines are returned. Run-in items that list points (一是…二是…) are handled by rules
  (contributor + what the points add up to); items with a `contributor` are headed by it.
- **Never reads** the article's title or printed summary line.

## Training data
- CCTV 新闻联播 headline/body pairs (`../shared/data/external/headlines/cctv_xinwenlianbo`, research use).
  Ordinary items only (digest sub-items left out).
- Tagger: {train_pairs} pairs dated <= 2025-06-30 (sampled; the headline must share >= 50% of its
  characters with the body's lead), targets from an LCS alignment of headline characters onto the
  lead sentence that covers the headline best.
- Reranker: {rerank_pairs} pairs dated 2025-07-01..2025-12-31; {eval_pairs} further pairs of that period
  are the hold-out below. Items dated 2026 or later are never used for training or tuning.
- Fingerprint: `{fingerprint}`

## Scores (character ROUGE-L F1 of the first suggestion; lead sentence = body up to its first 。)
The component as `jianbao process` runs it: the model's lines, headed by the lead's main clause when
that reads "{{agency}} {{acts}} …" (an agency's own news item; `--set summary.agency_first=false` turns
this off). The model alone scores {model_only:.3f} on the 新闻联播 hold-out. The rule was checked on
新闻联播 (hold-out and 3,000 older unseen items: -0.0006 each), procurement news (-0.008) and our
own bulletin articles (+0.08); its several-agencies case (A、B 在 X 召开…) was added after reading
a failure on the seed bulletin, the dev set (seed 0.529 -> 0.546). Later rule changes: a meeting
clause too long for one line is turned round (Y 会在 X 召开) instead of cut mid-word, the event is found
behind a purpose clause, adverbs may stand before the verb and an agency's framing clause may join the
next clause that acts; on 新闻联播 and procurement news they change 1 of 3,828 first lines, on the seed
they give 0.546 -> 0.583 (the turned-round meeting line came from reading a seed failure). A run-in item (一是…二是…) is summed up as
"{{contributor}}多措并举推进{{work area}}", the work area being the best-supported theme of the default
taxonomy (its `topic` phrase) unless the body's repeated phrase names that theme and recurs in most
points: our own bulletins' 20 run-in items 0.562 -> 0.583, 新闻联播 unchanged, seed 0.583 -> 0.642 (two of its
four run-in items; the seed's lines had been read, so this is not an unbiased figure). Then (read on team-written bulletin items, data/dev/agency-news-a.json and -b.json, after their
first unbiased run: set a 0.602, set b 0.497): a meeting named by its kind only (召开专题会议) gives way to
what it did (传达学习…精神); a leader-activity lead gives "{{name}}{{act}}" without the titles where the
model's line lost the name; a contributor is not repeated where a line kept the end of its name. Set a
0.602 -> 0.614, set b 0.497 -> 0.530, own bulletins 0.6325 -> 0.640; 11 of 3,828 新闻联播 and procurement first lines
change (the 3,700 新闻联播 items 0.5281 before and after), procurement 0.3604 -> 0.3576.

| set | model | lead-sentence baseline |
|---|---|---|
{rows}

## Rebuild
```
.venv/bin/python scripts/train_summary.py
```
(`jianbao train summary --out DIR` trains the same model without the card.)
"""


def bench_2026_pairs() -> list[tuple[str, str]]:
    """The public 2026 bench items (evaluation only), selected by shared/checks/make_bench.py."""
    path = shared_dir() / "checks" / "make_bench.py"
    spec = importlib.util.spec_from_file_location("make_bench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    _, gold = mod.headline_bench()
    return [(a["body"], a["summary_line"]) for a in gold["articles"]]


def procurement_pairs() -> list[tuple[str, str]]:
    """Government-procurement news of 2011 (channels 采购动态, 招投标专题, 行业瞭望): a domain-shift
    check closer to 机关事务 news than 新闻联播; evaluation only."""
    from jianbao_nlp.components.summary.train import read_pairs

    path = shared_dir() / "data" / "external" / "headlines" / "procurement_portal_2011" / "procurement_news_2011.jsonl.gz"
    keep = ("caigoudt", "zhaotoubiaozt", "hangyeliaowang")
    return [(r["body"], r["title"]) for r in read_pairs(path) if str(r.get("id", "")).split("-")[1:2][0] in keep]


def seed_scores(model_dir: Path) -> dict[str, float] | None:
    from jianbao_nlp.components.summary import create_component
    from jianbao_nlp.eval.summary import BASELINE, load_gold, predict_issues, score

    path = shared_dir() / "data" / "labelled"
    if not path.is_dir():
        return None
    gold = load_gold([path])
    res = score(gold, predict_issues(gold, create_component(model=model_dir)))
    return {"rougeL": res["rougeL"], "lead_rougeL": res["systems"][BASELINE]["rougeL"], "n": res["articles"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "summary-compression")
    ap.add_argument("--n-train", type=int, default=30000)
    ap.add_argument("--n-rerank", type=int, default=1500)
    ap.add_argument("--n-eval", type=int, default=700)
    ap.add_argument("--max-iterations", type=int, default=100)
    ap.add_argument("--c1", type=float, default=0.3, help="L1 penalty of the CRF (higher: smaller model)")
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--tagger", type=Path, default=None,
                    help="reuse a tagger.crfsuite trained by this recipe (refits only the reranker)")
    ap.add_argument("--no-card-scores", action="store_true", help="skip the seed and 2026 bench scores")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    import jieba

    jieba.setLogLevel(logging.WARNING)
    t0 = time.time()
    res = train_compression(args.out, corpus=args.corpus, n_train=args.n_train, n_rerank=args.n_rerank,
                            n_eval=args.n_eval, max_iterations=args.max_iterations, c1=args.c1,
                            tagger=args.tagger)
    logging.info("trained in %ss: %s", res["seconds"], res["scores"])
    scores = {"xwlb_tune_holdout": res["scores"]}
    from jianbao_nlp.components.summary import create_component
    from jianbao_nlp.components.summary.train import evaluate_pairs

    comp = create_component(model=args.out)
    # the card reports the component (model + the agency-first rule), as `jianbao process` runs it
    scores["xwlb_tune_holdout"] = evaluate_pairs(lambda b: comp.backend.suggest(b, k=1), res["eval_pairs"])
    scores["xwlb_tune_holdout"]["model_only_rougeL"] = res["scores"]["rougeL"]
    if not args.no_card_scores:
        from jianbao_nlp.components.summary.compression import CompressionModel

        try:
            scores["xwlb_2026_bench"] = evaluate_pairs(
                lambda b: comp.backend.suggest(b, k=1), bench_2026_pairs())
        except (OSError, AttributeError) as err:  # shared checks absent
            logging.warning("2026 bench not scored: %s", err)
        try:
            scores["procurement_2011"] = evaluate_pairs(lambda b: comp.backend.suggest(b, k=1), procurement_pairs())
        except (OSError, IndexError, InputError) as err:
            logging.warning("procurement check not scored: %s", err)
        s = seed_scores(args.out)
        if s:
            scores["seed_dev"] = s
        del CompressionModel
    update_scores(args.out, scores)
    meta = read_meta(args.out)
    td = meta["training_data"]
    labels = {"xwlb_tune_holdout": "新闻联播 2025-H2 hold-out", "xwlb_2026_bench": "新闻联播 2026 bench (300)",
              "seed_dev": "seed bulletin (dev, 10 items)",
              "procurement_2011": "procurement news 2011 (domain-shift check)"}
    rows = "\n".join(f"| {labels[k]} (n={v['n']}) | {v['rougeL']:.3f} | {v['lead_rougeL']:.3f} |"
                     for k, v in scores.items())
    from jianbao_nlp.components.summary.compression import FEATURE_NAMES, MAX_SOURCE_SENTENCES, PREDICT_SENTENCES

    card = CARD.format(max_sentences=PREDICT_SENTENCES, fit_sentences=MAX_SOURCE_SENTENCES, n_features=len(FEATURE_NAMES),
                       train_pairs=td["train_pairs"], rerank_pairs=td["rerank_pairs"], eval_pairs=td["eval_pairs"],
                       fingerprint=td["fingerprint"], rows=rows,
                       model_only=scores["xwlb_tune_holdout"]["model_only_rougeL"])
    (args.out / "README.md").write_text(card, encoding="utf-8")
    logging.info("wrote %s in %.0fs", args.out, time.time() - t0)


if __name__ == "__main__":
    main()

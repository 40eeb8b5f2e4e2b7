"""Acceptance figures of the shipped theme model, measured on data read from ../shared at run time
(skipped cleanly when it is absent): the seed gold (a dev set, never trained on) and the
hand-annotated 新闻联播 dev set (ids + labels in data/themes/dev.jsonl)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jianbao_nlp.components.themes import create_component
from jianbao_nlp.components.themes.data import corpus_path, read_gold
from jianbao_nlp.eval.themes import score
from jianbao_nlp.model import load_issue

ROOT = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("JIANBAO_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "data" / "labelled" / "sc-jgswj-2021-08.json"
DEV = ROOT / "data" / "themes" / "dev.jsonl"


@pytest.fixture(scope="module")
def tagger():
    return create_component()


def test_seed_targets(tagger):
    if not GOLD.is_file():
        pytest.skip("../shared gold labels not available")
    gold = load_issue(GOLD)
    pred = gold.copy()
    for a in pred.articles:
        a.themes, a.primary_theme, a.theme_scores = [], None, {}
    tagger.process_issue(pred)
    r = score(gold, pred)
    assert r["micro_f1"] >= 0.90 and r["primary_accuracy"] >= 0.90, r


def test_dev_set_target(tagger):
    if not DEV.is_file() or not corpus_path().is_file():
        pytest.skip("dev labels or the 新闻联播 corpus not available")
    gold = read_gold([DEV])
    if gold[0].articles and len(gold[0].articles) < 30:
        pytest.skip("dev set still too small to measure")
    pred = [g.copy() for g in gold]
    for issue in pred:
        tagger.process_issue(issue)
    r = score(gold, pred)
    assert r["micro_f1"] >= 0.80, r["micro_f1"]

"""eval.themes: figures computed by hand on a tiny gold/pred pair; report and PNG outputs."""

from __future__ import annotations

import pytest

from jianbao_nlp.eval.themes import confusion_png, score, to_html, to_markdown
from jianbao_nlp.model import Article, Issue


def _issue(rows):
    issue = Issue(id="i1")
    for aid, themes, title in rows:
        a = Article(id=aid, title=title, body="正文")
        if themes is not None:
            a.themes = list(themes)
            a.primary_theme = themes[0] if themes else None
        issue.articles.append(a)
    return issue


@pytest.fixture
def pair():
    gold = _issue([("a", ["energy_saving"], "甲"), ("b", ["office_space", "asset_management"], "乙"),
                   ("c", ["party_study"], "丙"), ("d", None, "无标注")])
    pred = _issue([("a", ["energy_saving"], "甲"), ("b", ["asset_management"], "乙"),
                   ("c", ["party_study", "general_work"], "丙"), ("d", ["general_work"], "无标注")])
    return gold, pred


def test_figures(pair):
    r = score(*pair)
    # tp: energy a, asset b, party c = 3; fp: general c = 1; fn: office b = 1
    assert r["n_articles"] == 3  # d has no gold themes
    assert r["micro_precision"] == pytest.approx(3 / 4)
    assert r["micro_recall"] == pytest.approx(3 / 4)
    assert r["micro_f1"] == pytest.approx(0.75)
    # per label F1 over labels with support: energy 1, office 0, asset 1, party 1 -> macro 0.75
    assert r["macro_f1"] == pytest.approx(0.75)
    assert r["per_label"]["office_space"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1, "predicted": 0}
    assert r["per_label"]["general_work"]["predicted"] == 1 and r["per_label"]["general_work"]["support"] == 0
    assert r["primary_accuracy"] == pytest.approx(2 / 3)  # b: office vs asset
    assert r["confusion"]["office_space"] == {"asset_management": 1}
    assert {e["id"] for e in r["errors"]} == {"b", "c"}


def test_missing_prediction_counts_as_empty(pair):
    gold, pred = pair
    pred.articles = pred.articles[:1]
    r = score(gold, pred)
    assert r["n_missing"] == 2 and r["primary_accuracy"] == pytest.approx(1 / 3)


def test_reports_and_png(pair, tmp_path):
    r = score(*pair)
    md = to_markdown(r)
    assert "| office_space |" in md and "乙" in md and "Wrong articles (2)" in md
    html = to_html(r)
    assert "<table>" in html and "丙" in html
    png = confusion_png(r, tmp_path / "c.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

"""Evaluation of suggested summary lines: metric, report formats, CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianbao_nlp.eval.summary import BASELINE, evaluate, rouge, score, to_html, to_markdown
from jianbao_nlp.model import Article, Issue

PAIRS = [
    ("县后勤服务中心开展食堂安全检查", "县后勤中心检查食堂安全"),
    ("市机关事务局召开节能会议", "市局召开年度节能工作会议"),
    ("区管理局举办公务用车培训", "区管理局举办培训班"),
    ("省直机关建成节约型单位", "省直机关节约型单位建成"),
]


def test_rouge_matches_rouge_chinese():
    rc = pytest.importorskip("rouge_chinese")
    r = rc.Rouge()
    for pred, gold in PAIRS:  # no repeated n-grams, where rouge-chinese's set-based counts agree
        ref = r.get_scores(" ".join(pred), " ".join(gold))[0]
        ours = rouge(pred, gold)
        assert ours["rouge1"] == pytest.approx(ref["rouge-1"]["f"], abs=1e-6)
        assert ours["rouge2"] == pytest.approx(ref["rouge-2"]["f"], abs=1e-6)
        assert ours["rougeL"] == pytest.approx(ref["rouge-l"]["f"], abs=1e-6)


def test_rouge_ignores_whitespace_and_clips_counts():
    assert rouge("市局 召开 会议", "市局召开会议")["rougeL"] == 1.0
    # repeated characters count only as often as the gold has them (the referee's definition)
    assert rouge("会会会会", "会议")["rouge1"] == pytest.approx(2 * (1 / 4) * (1 / 2) / (1 / 4 + 1 / 2))


def _issues():
    gold = Issue(id="g", articles=[
        Article(id="a", body="5月3日，市局召开节能会议。会议要求落实。", summary_line="市局召开节能会议"),
        Article(id="b", body="近日，县局开展检查。", summary_line="县局开展食堂检查"),
        Article(id="c", body="没有提要的文章。"),
    ])
    pred = Issue(id="g", articles=[
        Article(id="a", body="", suggested_summary_lines=["市局召开节能会议", "市局召开会议"]),
        Article(id="b", body="", suggested_summary_lines=[]),
    ])
    return gold, pred


def test_score_structure_and_values():
    gold, pred = _issues()
    res = score([gold], [pred])
    assert res["articles"] == 2  # the article without a printed line is not scored
    assert res["exact_match"] == 0.5
    assert res["rougeL"] == pytest.approx(0.5)  # 1.0 and a missing suggestion (0)
    base = res["systems"][BASELINE]
    assert 0 < base["rougeL"] < 1 and base["exact_match"] == 0
    rows = {a["id"]: a for a in res["per_article"]}
    assert set(rows) == {"a", "b"}
    assert rows["a"]["rougeL"]["model"] == 1.0 and rows["b"]["suggestions"]["model"] == []


def test_reports():
    gold, pred = _issues()
    res = score([gold], [pred])
    md = to_markdown(res)
    assert "| model |" in md and BASELINE in md and "市局召开节能会议 (1.00)" in md
    page = to_html(res)
    assert page.startswith("<!doctype html>") and "<table>" in page
    frag = to_html(res, full_page=False)
    assert frag.startswith("<section") and "县局开展食堂检查" in frag


def test_evaluate_runs_blind(tmp_path):
    gold, _ = _issues()
    path = tmp_path / "gold.json"
    path.write_text(gold.to_json(), encoding="utf-8")
    res = evaluate([path], backends=["extractive"])
    assert set(res["systems"]) == {"extractive", BASELINE}
    assert res["systems"]["extractive"]["rougeL"] > res["systems"][BASELINE]["rougeL"]


def test_cli_evaluate_and_toc(tmp_path):
    from jianbao_nlp.cli import app

    gold, _ = _issues()
    gold.articles[0].title = "市局召开节能会议。"
    path = tmp_path / "gold.json"
    path.write_text(gold.to_json(), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["evaluate", "summary", "--gold", str(path), "-b", "extractive",
                            "--report", str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    assert "extractive" in r.output and (tmp_path / "r.html").is_file()
    r = runner.invoke(app, ["toc", str(path)])
    assert r.exit_code == 0 and "- 市局召开节能会议" in r.output
    r = runner.invoke(app, ["toc", str(tmp_path / "missing.json")])
    assert r.exit_code != 0 and "missing.json" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["evaluate", "summary", "--gold", str(path), "--report", str(tmp_path / "r.pdf")])
    assert r.exit_code != 0


def test_seed_extractive_beats_lead_baseline():
    shared = Path(os.environ.get("JIANBAO_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
    path = shared / "data" / "labelled" / "sc-jgswj-2021-08.json"
    if not path.is_file():
        pytest.skip("shared labelled data not available")
    res = evaluate([path], backends=["extractive"])
    assert res["systems"]["extractive"]["rougeL"] > res["systems"][BASELINE]["rougeL"] + 0.1
    json.dumps(res, ensure_ascii=False)

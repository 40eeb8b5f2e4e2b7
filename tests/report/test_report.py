"""Archive report over batch JSONL, and the all-tasks evaluation report."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jianbao_nlp.report import archive_report_html, evaluate_all, evaluation_html, gather, score_parse
from jianbao_nlp.model import Issue

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "archive"
SHARED = Path(os.environ.get("JIANBAO_SHARED", REPO.parent / "shared"))


def _issue(iid, year, themes, ents=(), warnings=None):
    arts = [{"id": f"a{i}", "body": "正文", "themes": t, "primary_theme": t[0] if t else None,
             "entities": [dict(e) for e in ents]} for i, t in enumerate(themes)]
    obj = {"format": "jianbao-issue/1", "id": iid, "issue": {"year": year, "number": 1}, "articles": arts}
    if warnings:
        obj["warnings"] = warnings
    return obj


@pytest.fixture
def results(tmp_path):
    org1 = {"field": "body", "start": 0, "end": 3, "label": "ORG", "text": "省局", "canonical": "青川省机关事务管理局"}
    org2 = {"field": "body", "start": 0, "end": 3, "label": "ORG", "text": "市局"}
    loc = {"field": "body", "start": 0, "end": 2, "label": "LOC", "text": "东林"}
    lines = [_issue("i1", 2023, [["energy_saving"], ["official_vehicles", "safety_epidemic"]], [org1, org2, loc]),
             _issue("i2", 2024, [["energy_saving"]], [org1], warnings=["本期提要 lists 3 lines for 2 articles"]),
             _issue("i3", 2024, [[]])]
    p = tmp_path / "out.jsonl"
    p.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines) + '{"torn', encoding="utf-8")
    return p


def test_gather_counts(results):
    st = gather([results])
    assert (st.issues, st.articles) == (3, 4)
    assert st.per_year["2024"] == {"energy_saving": 1, "(none)": 1}
    assert st.orgs.most_common(1) == [("青川省机关事务管理局", 3)]  # canonical, counted per mention
    assert st.orgs["市局"] == 2                                     # text when no canonical
    assert st.locs["东林"] == 2
    assert [w[0] for w in st.warnings] == ["i2"]


def test_report_html_has_plots_tables_and_warnings(results):
    page = archive_report_html(gather([results]))
    assert len(re.findall(r'src="data:image/png;base64,[A-Za-z0-9+/=]{200,}"', page)) == 2
    assert "青川省机关事务管理局" in page and "东林" in page
    assert "本期提要 lists 3 lines for 2 articles" in page


def _cli(*args):
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.run([sys.executable, "-c", "import sys; from jianbao_nlp.cli import main; main(sys.argv[1:])",
                           *args], env=env, capture_output=True, text=True, timeout=300)


def test_report_cli(results, tmp_path):
    out = tmp_path / "r.html"
    r = _cli("report", str(results), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "<img" in out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json}\n", encoding="utf-8")
    r = _cli("report", str(bad), "-o", str(tmp_path / "x.html"))
    assert r.returncode != 0 and "bad.jsonl" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.html").exists()


def test_score_parse():
    gold = Issue.from_json((FIXTURES / "issue_c.json").read_text(encoding="utf-8"))
    pred = gold.copy()
    pred.articles[1].title = "别的标题"
    pred.articles[1].body = pred.articles[1].body[:10]
    res = score_parse([gold], [pred])
    assert res["title_p"] == 0.5 and res["title_r"] == 0.5
    assert res["section_acc"] == 1.0
    assert 0.5 < res["body_similarity"] < 1.0


def test_evaluate_all_with_pred_dir(tmp_path, monkeypatch):
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    shutil.copy(FIXTURES / "issue_c.json", gold / "c.json")
    p = json.loads((FIXTURES / "issue_c.json").read_text(encoding="utf-8"))
    p["articles"][0]["themes"] = ["asset_management"]
    (pred / "c.json").write_text(json.dumps(p, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setitem(sys.modules, "jianbao_nlp.eval.ner", None)  # an evaluator that is not installed
    res = evaluate_all(gold, pred_dir=pred)
    assert res["tasks"]["parse"]["status"] == "ok"
    assert res["tasks"]["parse"]["result"]["title_f1"] == 1.0
    assert res["tasks"]["ner"]["status"] == "not installed"
    page = evaluation_html(res)
    assert "not installed" in page and "<h2>parse</h2>" in page


@pytest.mark.skipif(not (SHARED / "data" / "labelled").is_dir(), reason="shared data not available")
def test_evaluate_cli_on_shared_gold(tmp_path):
    out = tmp_path / "ev.html"
    r = _cli("evaluate", "--gold", str(SHARED / "data" / "labelled"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    for task in ("parse", "themes", "summary", "ner"):
        assert f"<h2>{task}</h2>" in page
    first = r.stdout.splitlines()[0].split()
    assert first[0] == "parse" and first[1] == "title_f1" and float(first[2].rstrip(",")) > 0.8

"""Training recipe: the date split rule and the `jianbao train summary` command on a tiny corpus."""

from __future__ import annotations

import gzip
import json

from typer.testing import CliRunner

from jianbao_nlp.components.summary import create_component
from jianbao_nlp.components.summary.train import select_data, split_rows
from jianbao_nlp.modeldir import read_meta

ORGS = ["市机关事务局", "县后勤服务中心", "区管理局", "省节能办", "市公务用车中心", "县财政局", "镇政府", "市档案馆"]
ACTS = ["召开节能工作会议", "开展食堂安全检查", "举办公务用车培训班", "组织干部学习新规", "启动垃圾分类行动",
        "出台办公用房管理办法"]


def _corpus(path, n=90):
    rows = []
    for i in range(n):
        date = ["2024-03-0%d" % (1 + i % 9), "2025-09-1%d" % (i % 10), "2026-02-0%d" % (1 + i % 9)][i % 3]
        org, act = ORGS[i % len(ORGS)], ACTS[(i * 7) % len(ACTS)]
        rows.append({"id": f"x-{i:03d}-01", "date": date, "title": org + act,
                     "body": f"{i % 28 + 1}日，{org}{act}，部署下一步工作。会议要求各单位认真落实。"})
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return rows


def test_split_rule_never_uses_2026(tmp_path):
    rows = _corpus(tmp_path / "c.jsonl.gz")
    train, tune = split_rows(rows + [{"id": "d-1-2-3", "date": "2024-01-01", "title": "t", "body": "b"}])
    assert all(r["date"] <= "2025-06-30" for r in train) and all("2025-07-01" <= r["date"] <= "2025-12-31" for r in tune)
    assert not any(r["id"] == "d-1-2-3" for r in train)  # digest sub-items are left out
    tr, rr, ev = select_data(tmp_path / "c.jsonl.gz", n_train=100, n_rerank=10, n_eval=5)
    used = tr + rr + ev
    assert used and not any(r["date"] >= "2026-01-01" for r in used)
    assert len(rr) == 10 and len(ev) == 5


def test_cli_train_summary_round_trip(tmp_path):
    from jianbao_nlp.cli import app

    _corpus(tmp_path / "c.jsonl.gz")
    out = tmp_path / "model"
    r = CliRunner().invoke(app, ["train", "summary", "--out", str(out), "--corpus", str(tmp_path / "c.jsonl.gz"),
                                 "--n-train", "30", "--n-rerank", "10"])
    assert r.exit_code == 0, r.output
    meta = read_meta(out, task="summary")
    assert meta["backend"] == "compression" and meta["training_data"]["fingerprint"].startswith("sha256:")
    comp = create_component(model=out)
    from jianbao_nlp.model import Article

    art = Article(id="a", body="7日，市档案馆开展食堂安全检查，部署下一步工作。会议要求各单位认真落实。")
    comp(art)
    assert art.suggested_summary_lines and all(len(x) <= 40 for x in art.suggested_summary_lines)
    r = CliRunner().invoke(app, ["train", "summary", "--out", str(tmp_path / "m2"), "--corpus",
                                 str(tmp_path / "missing.jsonl.gz")])
    assert r.exit_code != 0 and "missing.jsonl.gz" in r.output

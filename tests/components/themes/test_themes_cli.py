"""``jianbao train themes`` / ``jianbao evaluate themes`` through the typer app (in process)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from jianbao_nlp.cli import app
from jianbao_nlp.modeldir import read_meta

from .conftest import ARTICLES


@pytest.fixture
def gold_file(tmp_path):
    arts = []
    for k, (theme, (title, body)) in enumerate(sorted(ARTICLES.items())):
        arts.append({"id": f"a{k:02d}", "title": title, "body": body, "themes": [theme], "primary_theme": theme})
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"format": "jianbao-issue/1", "id": "fixture", "articles": arts}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_train_and_evaluate(tmp_path, gold_file):
    runner = CliRunner()
    train_jsonl = tmp_path / "train.jsonl"
    lines = []
    for c in range(3):
        for theme, (title, body) in ARTICLES.items():
            lines.append(json.dumps({"id": f"{theme}{c}", "title": title, "body": body + "。" * c, "themes": [theme]},
                                    ensure_ascii=False))
    train_jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "m"
    res = runner.invoke(app, ["train", "themes", "--backend", "linear", "--out", str(out), "--train", str(train_jsonl),
                              "--dev", str(gold_file)])
    assert res.exit_code == 0, res.output
    meta = read_meta(out, task="themes")
    assert meta["backend"] == "linear" and "dev_tuned" in meta["scores"]

    report, png = tmp_path / "r.md", tmp_path / "c.png"
    res = runner.invoke(app, ["evaluate", "themes", "--gold", str(gold_file), "--model", str(out),
                              "--report", str(report), "--confusion", str(png)])
    assert res.exit_code == 0, res.output
    assert "micro-F1" in res.output and report.read_text(encoding="utf-8").startswith("## Theme tagging")
    assert png.stat().st_size > 0

    # --pred: score an issue JSON of predictions
    pred = json.loads(gold_file.read_text(encoding="utf-8"))
    for a in pred["articles"]:
        a["themes"], a["primary_theme"] = ["general_work"], "general_work"
    pred_file = tmp_path / "pred.json"
    pred_file.write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    res = runner.invoke(app, ["evaluate", "themes", "--gold", str(gold_file), "--pred", str(pred_file), "--json"])
    assert res.exit_code == 0
    r = json.loads(res.output)
    assert r["primary_accuracy"] == pytest.approx(1 / 9) and r["micro_f1"] == pytest.approx(1 / 9)


def test_lexicon_backend_with_own_taxonomy(tmp_path, gold_file):
    runner = CliRunner()
    tax = tmp_path / "t.yaml"
    tax.write_text("themes:\n  - {id: green, name: 绿色, terms: {节能: 2, 垃圾分类: 2}}\n"
                   "  - {id: other, name: 其他, fallback: true}\n", encoding="utf-8")
    out = tmp_path / "lex"
    res = runner.invoke(app, ["train", "themes", "--backend", "lexicon", "--out", str(out), "--taxonomy", str(tax)])
    assert res.exit_code == 0, res.output
    assert read_meta(out)["labels"] == ["green", "other"]


@pytest.mark.parametrize("args", [
    ["train", "themes", "--backend", "linear", "--out", "OUT", "--train", "MISSING.jsonl"],
    ["train", "themes", "--backend", "nonsense", "--out", "OUT"],
    ["evaluate", "themes", "--gold", "MISSING.json"],
    ["evaluate", "themes", "--gold", "BAD"],
])
def test_bad_input_is_one_line_error(tmp_path, args):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    args = [a.replace("OUT", str(tmp_path / "o")).replace("MISSING", str(tmp_path / "missing"))
            .replace("BAD", str(bad)) for a in args]
    res = CliRunner().invoke(app, args)
    assert res.exit_code != 0
    assert "Traceback" not in res.output
    assert res.output.strip().count("\n") == 0 and res.output.startswith("jianbao: error:")

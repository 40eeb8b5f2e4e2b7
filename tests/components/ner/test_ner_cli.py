"""CLI: index, evaluate ner, train ner (rules backend; CRF on a tiny corpus)."""

import csv
import json

from typer.testing import CliRunner

from jianbao_nlp.cli import app
from jianbao_nlp.model import Article, Entity, Issue

runner = CliRunner()


def _processed(tmp_path):
    a1 = Article(id="a1", body="王小明到杭州市财政局", entities=[
        Entity(field="body", start=0, end=3, label="PER", text="王小明", canonical="王小明"),
        Entity(field="body", start=4, end=10, label="ORG", text="杭州市财政局", canonical="杭州市财政局")])
    a2 = Article(id="a2", body="杭州市财政局发文", entities=[
        Entity(field="body", start=0, end=6, label="ORG", text="杭州市财政局", canonical="杭州市财政局")])
    i1 = Issue(id="i1", articles=[a1])
    i2 = Issue(id="i2", articles=[a2])
    (tmp_path / "i1.json").write_text(i1.to_json(), encoding="utf-8")
    (tmp_path / "batch.jsonl").write_text(json.dumps(i2.to_dict(), ensure_ascii=False) + "\n"
                                          + json.dumps({"file": "x.pdf", "error": "bad"}) + "\n", encoding="utf-8")
    return tmp_path / "i1.json", tmp_path / "batch.jsonl"


def test_index_jsonl_and_csv(tmp_path):
    f1, f2 = _processed(tmp_path)
    res = runner.invoke(app, ["index", str(f1), str(f2), "-o", str(tmp_path / "idx.jsonl")])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in (tmp_path / "idx.jsonl").read_text(encoding="utf-8").splitlines()]
    top = rows[0]
    assert top["canonical"] == "杭州市财政局" and top["count"] == 2 and top["issues"] == ["i1", "i2"]
    assert top["articles"] == ["i1/a1", "i2/a2"]
    res = runner.invoke(app, ["index", str(f1), "-o", str(tmp_path / "idx.csv")])
    assert res.exit_code == 0
    table = list(csv.DictReader(open(tmp_path / "idx.csv", encoding="utf-8")))
    assert {r["canonical"] for r in table} == {"王小明", "杭州市财政局"}


def test_index_bad_input_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    res = runner.invoke(app, ["index", str(bad), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code != 0
    assert "bad.json" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "o.jsonl").exists()


def test_evaluate_ner_pred_and_rules_model(tmp_path):
    gold, _ = _processed(tmp_path)
    pred = Issue.from_json(gold.read_text(encoding="utf-8"))
    pred.articles[0].entities = pred.articles[0].entities[:1]
    (tmp_path / "pred.json").write_text(pred.to_json(), encoding="utf-8")
    res = runner.invoke(app, ["evaluate", "ner", "--gold", str(gold), "--pred", str(tmp_path / "pred.json"),
                              "--report", str(tmp_path / "r.md")])
    assert res.exit_code == 0, res.output
    assert "R 0.500" in res.output and "P 1.000" in res.output
    assert "杭州市财政局" in (tmp_path / "r.md").read_text(encoding="utf-8")
    res = runner.invoke(app, ["evaluate", "ner", "--gold", str(gold), "--backend", "rules", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["per_label"]["ORG"]["recall"] == 1.0


def test_train_ner_crf_cli(tmp_path):
    corpus = tmp_path / "tiny_bio"
    lines = []
    for name, place in (("王小明", "杭州"), ("李红梅", "宜宾"), ("赵志刚", "洛阳")) * 4:
        for k, ch in enumerate(name):
            lines.append(f"{ch}\t{'B' if k == 0 else 'I'}-PER")
        lines.append("到\tO")
        for k, ch in enumerate(place):
            lines.append(f"{ch}\t{'B' if k == 0 else 'I'}-LOC")
        lines.append("")
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "m"
    res = runner.invoke(app, ["train", "ner", "--backend", "crf", "--out", str(out), "--train", f"bio:{corpus}",
                              "--max-iterations", "20", "--minfreq", "1"])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["training_data"]["fingerprint"].startswith("sha256:")
    res = runner.invoke(app, ["train", "ner", "--backend", "crf", "--out", str(out), "--train", str(tmp_path / "none")])
    assert res.exit_code != 0 and "none" in res.output

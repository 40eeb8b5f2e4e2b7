"""The command-line contract: parse, process, info; bad input gives one line, non-zero, no output file."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from typer.testing import CliRunner

from jianbao_nlp.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_parse_json_and_md(sample_path, tmp_path):
    out = tmp_path / "o.json"
    res = run("parse", sample_path, "-o", out)
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "jianbao-issue/1" and len(data["articles"]) == 5
    assert data["source"]["file"] == "sample-bulletin.md" and len(data["source"]["sha256"]) == 64
    res = run("parse", sample_path, "--format", "md")
    assert res.exit_code == 0 and "## 本期提要" in res.stdout


def test_parse_many_to_dir_and_jsonl(sample_path, tmp_path):
    other = tmp_path / "b.md"
    other.write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    res = run("parse", sample_path, other, "--out-dir", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b.json", "sample-bulletin.json"]
    res = run("parse", sample_path, other, "--format", "jsonl", "-o", tmp_path / "all.jsonl")
    assert res.exit_code == 0
    assert len((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_process_keeps_ids_titles_bodies_of_issue_json(tmp_path):
    issue = {"format": "jianbao-issue/1", "id": "x", "issue": {}, "articles": [
        {"id": "k7", "title": "  标题 原样 ", "body": "正文 保持\n原样。", "themes": ["bogus"], "entities": [
            {"field": "body", "start": 0, "end": 1, "label": "ORG", "text": "正"}]}]}
    src = tmp_path / "in.json"
    src.write_text(json.dumps(issue, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.json"
    res = run("process", src, "-o", out, "--components", "parse")
    assert res.exit_code == 0, res.output
    art = json.loads(out.read_text(encoding="utf-8"))["articles"][0]
    assert (art["id"], art["title"], art["body"]) == ("k7", "  标题 原样 ", "正文 保持\n原样。")


def test_process_rejects_unknown_component(sample_path, tmp_path):
    res = run("process", sample_path, "-o", tmp_path / "o.json", "--components", "parse,nonsense")
    assert res.exit_code != 0 and "nonsense" in res.output
    assert not (tmp_path / "o.json").exists()


def test_info():
    res = run("info", "--json")
    assert res.exit_code == 0
    info = json.loads(res.stdout)
    assert info["components"]["parse"] == "installed" and "version" in info


def _bad_inputs(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "garbage.txt").write_bytes(bytes(range(256)) * 64)
    import docx

    d = docx.Document()
    d.add_paragraph("正文。")
    d.save(tmp_path / "full.docx")
    data = (tmp_path / "full.docx").read_bytes()
    (tmp_path / "truncated.docx").write_bytes(data[: len(data) // 2])
    (tmp_path / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (tmp_path / "zip-named.md").write_bytes(b"PK\x03\x04" + b"\0" * 64)
    (tmp_path / "malformed.json").write_text('{"format": "jianbao-issue/1", "articles": [', encoding="utf-8")
    (tmp_path / "not-an-issue.json").write_text('[1, 2, 3]', encoding="utf-8")
    with open(tmp_path / "huge.txt", "wb") as f:
        line = "机关事务管理局召开节能工作会议。\n".encode("utf-8")
        f.write(line * (50 * 1024 * 1024 // len(line) + 1))
    return ["empty.md", "garbage.txt", "truncated.docx", "truncated.pdf", "zip-named.md", "malformed.json",
            "not-an-issue.json", "huge.txt", "missing.md"]


def test_bad_input_one_line_error_no_traceback_no_output(tmp_path):
    names = _bad_inputs(tmp_path)
    exe = [sys.executable, "-m", "jianbao_nlp"]
    for name in names:
        for verb in ("parse", "process"):
            out = tmp_path / f"{name}.{verb}.out.json"
            proc = subprocess.run(exe + [verb, str(tmp_path / name), "-o", str(out), "--format", "json"]
                                  + (["--components", "parse"] if verb == "process" else []),
                                  capture_output=True, text=True, timeout=120)
            err = proc.stderr.strip()
            assert proc.returncode != 0, (name, verb)
            assert "Traceback" not in proc.stderr and err.count("\n") == 0, (name, verb, err)
            assert name in err, (name, err)
            assert not out.exists()
            assert not list(tmp_path.glob(f".{out.name}*"))  # no temp leftovers


def test_parse_several_with_one_bad_writes_nothing(sample_path, tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    res = run("parse", sample_path, tmp_path / "empty.md", "--out-dir", tmp_path / "out")
    assert res.exit_code != 0
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_labels_of_a_missing_component_are_not_passed_through(tmp_path, monkeypatch):
    from jianbao_nlp import pipeline as pl

    monkeypatch.setitem(pl.FACTORIES, "ner", "jianbao_nlp.no_such_module:create_component")
    issue = {"format": "jianbao-issue/1", "id": "x", "issue": {}, "articles": [
        {"id": "a1", "body": "正文。", "entities": [{"field": "body", "start": 0, "end": 1, "label": "ORG", "text": "正"}]}]}
    src = tmp_path / "in.json"
    src.write_text(json.dumps(issue, ensure_ascii=False), encoding="utf-8")
    res = run("process", src, "-o", tmp_path / "o.json", "--components", "ner")
    assert res.exit_code == 0, res.output
    art = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))["articles"][0]
    assert not art.get("entities")


def test_process_with_a_user_taxonomy(sample_path, tmp_path):
    tax = tmp_path / "tax.yaml"
    tax.write_text("themes:\n  - id: green\n    name: 绿色\n    definition: 节能\n    terms: {节能: 2, 节约型机关: 3}\n"
                   "  - id: other\n    name: 其他\n    definition: 其他\n    terms: {会议: 0.5}\n    fallback: true\n",
                   encoding="utf-8")
    out = tmp_path / "o.json"
    res = run("process", sample_path, "-o", out, "--components", "themes", "--taxonomy", tax)
    assert res.exit_code == 0, res.output
    arts = json.loads(out.read_text(encoding="utf-8"))["articles"]
    assert {t for a in arts for t in a["themes"]} <= {"green", "other"}
    assert arts[0]["primary_theme"] == "green"


def test_process_component_settings(sample_path, tmp_path):
    out = tmp_path / "o.json"
    res = run("process", sample_path, "-o", out, "-c", "summary", "--set", "summary.backend=extractive",
              "--set", "summary.k=2")
    assert res.exit_code == 0, res.output
    arts = json.loads(out.read_text(encoding="utf-8"))["articles"]
    assert all(1 <= len(a["suggested_summary_lines"]) <= 2 for a in arts)
    # a typo in an explicit setting is an error, not a silently skipped component
    res = run("process", sample_path, "-c", "summary", "--set", "summary.backend=extractiv")
    assert res.exit_code == 1 and "unknown summary backend 'extractiv'" in res.output
    res = run("process", sample_path, "--set", "summary")
    assert res.exit_code == 1 and "NAME.KEY=VALUE" in res.output


def test_an_internal_error_is_one_line_and_non_zero(sample_path, tmp_path, monkeypatch):
    import jianbao_nlp.cli.process as process_module

    def broken(path):
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(process_module, "read_input", broken)
    out = tmp_path / "o.json"
    res = run("process", sample_path, "-o", out, "--components", "parse")
    assert res.exit_code == 1 and not out.exists()
    assert res.output.strip() == ("jianbao: error: RuntimeError: a bug over two lines "
                                  "(an internal error; set JIANBAO_DEBUG=1 for the traceback)")
    monkeypatch.setenv("JIANBAO_DEBUG", "1")
    res = run("process", sample_path, "-o", out, "--components", "parse")
    assert isinstance(res.exception, RuntimeError)

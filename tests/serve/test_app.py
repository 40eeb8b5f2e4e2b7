"""The JSON API: processing uploads and pasted text, errors as JSON with 4xx, the 提要 block."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient

from jianbao_nlp.serve import create_app


@pytest.fixture
def client(pipeline):
    with TestClient(create_app(pipeline=pipeline, max_upload=64 * 1024)) as c:
        yield c


def test_process_issue_json_upload(client, archive):
    data = (archive / "issue_c.json").read_bytes()
    r = client.post("/api/process", files={"file": ("issue_c.json", data, "application/json")})
    assert r.status_code == 200, r.text
    issue = r.json()
    assert [a["id"] for a in issue["articles"]] == ["a01", "a02"]
    # labels carried by the input are replaced by the pipeline's output
    assert issue["articles"][1]["themes"] == ["general_work"]
    assert issue["articles"][0]["suggested_summary_lines"][0].startswith("建议甲：9月3日")


def test_process_markdown_upload(client, archive):
    data = (archive / "bulletin_a.md").read_bytes()
    r = client.post("/api/process", files={"file": ("bulletin_a.md", data, "text/markdown")})
    assert r.status_code == 200, r.text
    issue = r.json()
    assert len(issue["articles"]) == 3
    assert issue["articles"][0]["title"] == "市机关事务管理局召开节约型机关创建推进会"
    assert all(len(a["suggested_summary_lines"]) == 2 for a in issue["articles"])


def test_process_text(client, archive):
    text = (archive / "bulletin_b.md").read_text(encoding="utf-8")
    r = client.post("/api/process-text", json={"text": text})
    assert r.status_code == 200, r.text
    assert [a["title"] for a in r.json()["articles"]] == ["市机关事务管理局党组开展专题党课学习",
                                                          "机关事务标准化试点通过省级验收"]
    r = client.post("/api/process-text", json={"text": text, "name": "../草稿 第3期.md"})
    assert r.status_code == 200, r.text
    issue = r.json()
    assert issue["id"] == "草稿_第3期" and issue["source"]["file"] == "草稿_第3期.md"


def test_empty_text_is_422(client):
    r = client.post("/api/process-text", json={"text": "  "})
    assert r.status_code == 422 and "text" in r.json()["error"]


def test_broken_docx_is_4xx_json_naming_the_file(client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document>" * 50)
    truncated = buf.getvalue()[:60]
    r = client.post("/api/process", files={"file": ("草稿.docx", truncated, "application/octet-stream")})
    assert 400 <= r.status_code < 500
    body = r.json()
    assert set(body) == {"error"} and "草稿.docx" in body["error"]


def test_broken_issue_json_is_422(client, archive):
    data = (archive / "broken_issue.json").read_bytes()
    r = client.post("/api/process", files={"file": ("broken_issue.json", data, "application/json")})
    assert r.status_code == 422 and "broken_issue.json" in r.json()["error"]


def test_too_large_is_413(client):
    big = b"x" * (64 * 1024 + 1)
    r = client.post("/api/process", files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413 and "error" in r.json()


def test_wrong_type_is_415(client):
    r = client.post("/api/process", files={"file": ("photo.png", b"\x89PNG....", "image/png")})
    assert r.status_code == 415 and ".png" in r.json()["error"]


def test_missing_field_is_422_json(client):
    r = client.post("/api/process", data={"other": "1"})
    assert r.status_code == 422 and r.json()["error"].startswith("invalid request")


def test_unknown_route_is_json_404(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and "error" in r.json()


def test_index_and_openapi(client):
    r = client.get("/")
    assert r.status_code == 200 and 'id="dl-md"' in r.text
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/process", "/api/process-text", "/api/block"} <= set(spec["paths"])


def _issue(archive):
    return json.loads((archive / "issue_c.json").read_text(encoding="utf-8"))


def test_block_markdown_uses_chosen_lines(client, archive):
    issue = _issue(archive)
    r = client.post("/api/block", json={"issue": issue, "chosen": {"a01": "编辑改写的第一条", "a02": "第二条"},
                                        "format": "md"})
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    md = r.text
    assert "本期提要" in md and "局内动态" in md
    assert md.index("编辑改写的第一条") < md.index("第二条")


def test_block_docx(client, archive):
    import docx

    r = client.post("/api/block", json={"issue": _issue(archive), "chosen": {"a01": "甲行", "a02": "乙行"},
                                        "format": "docx"})
    assert r.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "甲行" in text and "乙行" in text


def test_block_unknown_article_is_422(client, archive):
    r = client.post("/api/block", json={"issue": _issue(archive), "chosen": {"zz": "x"}})
    assert r.status_code == 422 and "zz" in r.json()["error"]


def test_block_bad_format_is_422(client, archive):
    r = client.post("/api/block", json={"issue": _issue(archive), "format": "pdf"})
    assert r.status_code == 422 and "format" in r.json()["error"]

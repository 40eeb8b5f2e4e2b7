"""The 提要 block from chosen lines: choices applied, and the local fallback renderer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from jianbao_nlp.errors import InputError
from jianbao_nlp.model import Issue
from jianbao_nlp.serve import block

ARCHIVE = Path(__file__).resolve().parents[1] / "fixtures" / "archive"


def _issue() -> Issue:
    issue = Issue.from_json((ARCHIVE / "issue_c.json").read_text(encoding="utf-8"))
    issue.articles[1].section = "区县动态"
    return issue


def test_apply_choices_by_id_and_by_position():
    issue = block.apply_choices(_issue(), {"a02": " 选中的  第二条 "})
    assert issue.articles[1].summary_line == "选中的 第二条"
    assert issue.articles[1].suggested_summary_lines[0] == "选中的 第二条"
    assert issue.articles[0].summary_line is None
    issue = block.apply_choices(_issue(), ["第一条", None])
    assert issue.articles[0].summary_line == "第一条" and issue.articles[1].summary_line is None
    with pytest.raises(InputError):
        block.apply_choices(_issue(), ["a", "b", "c"])


def test_fallback_markdown_groups_by_section(monkeypatch):
    monkeypatch.setattr(block, "_theirs", lambda: None)
    issue = block.apply_choices(_issue(), {"a01": "甲", "a02": "乙"})
    md = block.block_markdown(issue)
    assert md.splitlines()[0] == "## 本期提要"
    assert md.index("### 局内动态") < md.index("- 甲") < md.index("### 区县动态") < md.index("- 乙")


def test_fallback_docx(monkeypatch):
    import docx

    monkeypatch.setattr(block, "_theirs", lambda: None)
    data = block.block_docx(block.apply_choices(_issue(), {"a01": "甲行", "a02": "乙行"}))
    paras = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert paras[0] == "本期提要" and "甲行" in paras and "乙行" in paras

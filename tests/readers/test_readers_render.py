"""The renderers and scripts/make_sample_formats.py: every format reads back to the same bulletin."""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path

import pytest

from jianbao_nlp.readers import read_document
from jianbao_nlp.readers.render import inline_runs, parse_markdown

REPO = Path(__file__).resolve().parents[2]
SAMPLE_PATH = REPO / "tests" / "fixtures" / "readers" / "bulletin.md"


def test_parse_markdown_blocks():
    kinds = [b.kind for b in parse_markdown(SAMPLE_PATH.read_text(encoding="utf-8"))]
    assert kinds[:3] == ["heading", "para", "para"]
    assert {"list", "table", "rule"} <= set(kinds)
    assert inline_runs("**甲**乙**丙") == [("甲", True), ("乙**丙", False)]


def test_make_sample_formats_script(tmp_path, monkeypatch):
    pytest.importorskip("reportlab")
    monkeypatch.setattr(sys, "argv", ["make_sample_formats.py", str(SAMPLE_PATH), "--out-dir", str(tmp_path)])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(str(REPO / "scripts" / "make_sample_formats.py"), run_name="__main__")
    assert exit_.value.code == 0
    squash = lambda t: re.sub(r"\s+", "", t.replace("**", ""))  # noqa: E731
    want = squash(SAMPLE_PATH.read_text(encoding="utf-8").replace("|", "").replace("---", ""))
    for ext in ("docx", "pdf", "html"):
        got = read_document(tmp_path / f"bulletin.{ext}").text
        assert squash(got.replace("|", "").replace("---", "")) == want, ext

"""The seed bulletin rendered as .docx, .pdf and .html parses like the seed itself.

Same article titles in order (whitespace ignored), and every article body at least 0.98 similar
(difflib ratio on whitespace-squashed text). Skipped when ../shared is absent.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # seed_render, under any import mode
from seed_render import seed_docx, seed_html, seed_path, seed_pdf, seed_text  # noqa: E402

pytestmark = pytest.mark.skipif(seed_path() is None, reason="shared seed bulletin not available")
pytest.importorskip("reportlab")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").replace("**", ""))


@pytest.fixture(scope="module")
def reference():
    from jianbao_nlp.parser import parse_file

    return parse_file(seed_path())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed_formats")
    (out / "big").mkdir()
    return {
        "docx": seed_docx(out),
        "pdf": seed_pdf(out),
        # 三号 (16 pt) body as in printed bulletins, another header text and page-number style
        "pdf-16pt": seed_pdf(out / "big", body_size=16, running_header="机关事务工作简报", page_number_format="第 {n} 页"),
        "html": seed_html(out),
    }


@pytest.mark.parametrize("kind", ["docx", "pdf", "pdf-16pt", "html"])
def test_rendered_seed_parses_like_the_seed(reference, rendered, kind):
    from jianbao_nlp.parser import parse_file

    issue = parse_file(rendered[kind])
    want = [_squash(a.title) for a in reference.articles]
    got = [_squash(a.title) for a in issue.articles]
    assert len(want) >= 5
    assert got == want
    for ref, art in zip(reference.articles, issue.articles):
        ratio = difflib.SequenceMatcher(None, _squash(ref.body), _squash(art.body), autojunk=False).ratio()
        assert ratio >= 0.98, (kind, ref.title, ratio)
        assert _squash(art.section) == _squash(ref.section)


def test_pdf_running_header_and_page_numbers_do_not_leak(rendered):
    from jianbao_nlp.readers import read_document

    text = read_document(rendered["pdf"]).text
    assert not re.search(r"^- \d+ -$", text, re.M)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    header = lines[0].lstrip("# ").strip()
    # the running header repeats the masthead: it must appear exactly as often as in the seed
    assert text.count(header) == seed_text().count(header)

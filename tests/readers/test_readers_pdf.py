"""PDF reading: pages joined, running headers/footers and page numbers removed, paragraphs rebuilt."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from jianbao_nlp.errors import InputError  # noqa: E402
from jianbao_nlp.readers import read_document  # noqa: E402
from jianbao_nlp.readers.pdf import is_page_number  # noqa: E402
from jianbao_nlp.readers.render import BODY_FONT, _register_fonts, render_pdf  # noqa: E402

HEADER = "示范市机关事务简报"
_PHRASES = [
    "各单位要严格落实公共机构节能目标责任制", "持续推进办公用房集中统一管理", "规范公务用车使用和维修保养",
    "加强机关食堂餐饮服务质量监督", "推广新能源汽车和充电基础设施", "完善资产配置标准和处置流程",
    "开展节约型机关创建和评估工作", "强化安全生产检查和隐患整改",
]


def _paragraph(i: int) -> str:
    """An invented paragraph, unique per i, long enough to wrap over several lines."""
    parts = [f"第{i + 1}项工作中，"]
    for k in range(7):
        parts.append(_PHRASES[(i + k) % len(_PHRASES)] + ("，" if k < 6 else "。"))
    return "".join(parts)


def _bulletin(n_paragraphs: int = 22) -> tuple[str, list[str]]:
    paras = [_paragraph(i) for i in range(n_paragraphs)]
    md = [f"# {HEADER}", "", "2025 年第 5 期", "", "## 工作动态", "", "# 市局推进机关运行保障工作", ""]
    for i, p in enumerate(paras):
        md += [p, ""]
        if i == n_paragraphs // 2:
            md += ["# 区局加强公务用车管理", ""]
    return "\n".join(md), paras


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    md, paras = _bulletin()
    path = render_pdf(md, out / "bulletin.pdf", running_header=HEADER, page_number_format="- {n} -")
    return path, paras


def _page_texts(path: Path) -> list[str]:
    with pdfplumber.open(str(path)) as pdf:
        return [re.sub(r"\s+", "", p.extract_text() or "") for p in pdf.pages]


def test_fixture_really_has_headers_numbers_and_a_split_paragraph(built):
    path, paras = built
    pages = _page_texts(path)
    assert len(pages) >= 3
    assert all(HEADER in p for p in pages)
    assert all(f"-{i + 1}-" in p for i, p in enumerate(pages))
    # a page whose body does not start with a paragraph's opening words continues one from the page before
    starts = tuple(p[:8] for p in paras)
    continued = [p for p in pages[1:] if not p[len(HEADER):].startswith(starts)]
    assert continued, "no paragraph crosses a page break; the fixture is too short"


def test_pdf_headers_page_numbers_removed_paragraphs_intact(built):
    path, paras = built
    result = read_document(path)
    assert result.kind == "pdf" and result.encoding is None
    text = result.text
    blocks = text.strip().split("\n\n")
    for p in paras:
        assert p in blocks, p[:20]  # whole paragraph, no header/footer text inside
    assert not re.search(r"-\s*\d+\s*-", text)
    # the masthead heading stays; the running header copies of it are gone
    assert text.count(HEADER) == 1
    assert text.startswith(f"# {HEADER}\n")
    headings = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert headings == [f"# {HEADER}", "## 工作动态", "# 市局推进机关运行保障工作", "# 区局加强公务用车管理"]


@pytest.mark.parametrize("fmt", ["第 {n} 页", "— {n} —", "{n}", "{n}/9"])
def test_page_number_styles(tmp_path, fmt):
    md, paras = _bulletin(16)
    path = render_pdf(md, tmp_path / "b.pdf", running_header="", page_number_format=fmt)
    text = read_document(path).text
    for p in paras:
        assert p in text.strip().split("\n\n")
    assert not re.search(r"^\S{0,3}\d+\S{0,3}$", text, re.M)


def test_is_page_number():
    for s in ["3", "- 3 -", "— 12 —", "第3页", "第 3 页 共 10 页", "3/10", "Page 3 of 10", "－ 7 －", "- iv -"]:
        assert is_page_number(s), s
    for s in ["2021年", "三是加强管理", "第3项工作", "12345", "iv"]:
        assert not is_page_number(s), s


def test_bold_runs_and_bullets_survive(tmp_path):
    md = "# 标题甲\n\n**加粗的开头。**后面是普通文字，内容较短。\n\n- 要点一\n- 要点二\n"
    text = read_document(render_pdf(md, tmp_path / "b.pdf", running_header="")).text
    assert text == md


def test_repeated_footer_text_removed(tmp_path):
    """A footer with varying page numbers inside text ("示范市… 第 N 页") is recognised as running."""
    _register_fonts()
    path = tmp_path / "footer.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    body_lines = []
    for page in range(3):
        c.setFont(BODY_FONT, 9)
        c.drawString(72, 30, f"示范市机关事务管理局 第 {page + 1} 页 共 3 页")
        c.setFont(BODY_FONT, 11)
        for k in range(5):
            line = _PHRASES[(page + k) % len(_PHRASES)][: 6 + page + k] + "。"
            body_lines.append(line)
            c.drawString(94, 760 - 40 * k, line)
        c.showPage()
    c.save()
    text = read_document(path).text
    assert "示范市" not in text
    assert re.sub(r"\s+", "", text) == "".join(body_lines)


def test_scanned_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.rect(72, 72, 400, 600, fill=1)
        c.showPage()
    c.save()
    with pytest.raises(InputError, match="has no text layer; it needs OCR, which is out of scope"):
        read_document(path)


def test_truncated_pdf(built, tmp_path):
    data = built[0].read_bytes()
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated or damaged PDF") as err:
        read_document(bad)
    assert str(bad) in str(err.value)


def test_pdf_named_docx_is_read_as_pdf(built, tmp_path):
    wrong = tmp_path / "bulletin.docx"
    wrong.write_bytes(built[0].read_bytes())
    result = read_document(wrong)
    assert result.kind == "pdf"
    assert result.warnings and "pdf" in result.warnings[0]
    assert result.text == read_document(built[0]).text


def test_not_a_pdf(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(bytes(range(256)) * 3)
    with pytest.raises(InputError, match=r"not a \.pdf file"):
        read_document(path)


def _gov_style_pdf(path: Path, paras: list[tuple[str, bool]], title: str, masthead: str) -> None:
    """A PDF laid out like a printed government bulletin, one glyph at a time: 30 pt masthead and
    a thick rule, 22 pt centred title, 16 pt justified body with a two-character indent, run-in
    lead sentences in "fake bold" (each glyph stroked twice), page numbers alternating sides."""
    _register_fonts()
    width, height = A4
    left, right, top, bottom, size = 79.0, width - 74.0, 72.0, 80.0, 16.0
    per_line = int((right - left) // size)
    c = canvas.Canvas(str(path), pagesize=A4)
    page = [1]
    y = [height - top]

    def page_break():
        c.setFont(BODY_FONT, 14)
        label = f"— {page[0]} —"
        if page[0] % 2:
            c.drawRightString(right, 40, label)
        else:
            c.drawString(left, 40, label)
        c.showPage()
        page[0] += 1
        y[0] = height - top

    def draw_line(glyphs: list[tuple[str, bool]], x0: float, justify: bool):
        c.setFont(BODY_FONT, size)
        n = len(glyphs)
        extra = ((right - x0) - n * size) / (n - 1) if justify and n > 1 else 0.0
        for i, (ch, bold) in enumerate(glyphs):
            x = x0 + i * (size + extra)
            c.drawString(x, y[0], ch)
            if bold:
                c.drawString(x + 0.35, y[0], ch)

    c.setFont(BODY_FONT, 30)
    c.setFillColorRGB(0.8, 0, 0)
    c.drawCentredString(width / 2, y[0] - 20, masthead)
    c.setStrokeColorRGB(0.8, 0, 0)
    c.setLineWidth(2)
    c.line(left, y[0] - 45, right, y[0] - 45)
    c.setFillColorRGB(0, 0, 0)
    y[0] -= 100
    c.setFont(BODY_FONT, 22)
    c.drawCentredString(width / 2, y[0], title)
    y[0] -= 50
    for text, bold_lead in paras:
        lead = text.index("。") + 1 if bold_lead else 0
        glyphs = [(ch, i < lead) for i, ch in enumerate(text)]
        first = True
        while glyphs:
            if y[0] < bottom:
                page_break()
            x0 = left + (2 * size if first else 0)
            n = int((right - x0) // size)
            line, glyphs = glyphs[:n], glyphs[n:]
            draw_line(line, x0, justify=bool(glyphs))
            y[0] -= size * 1.75
            first = False
    page_break()
    c.save()


def test_gov_style_pdf_per_glyph_layout(tmp_path):
    paras = [(_paragraph(i), i % 3 == 2) for i in range(12)]
    path = tmp_path / "gov.pdf"
    _gov_style_pdf(path, paras, title="市局推进节约型机关建设", masthead="示范市机关事务简报")
    text = read_document(path).text
    blocks = text.strip().split("\n\n")
    assert blocks[:3] == ["# 示范市机关事务简报", "---", "## 市局推进节约型机关建设"]
    expected = []
    for p, bold in paras:
        if bold:
            k = p.index("。") + 1
            expected.append(f"**{p[:k]}**{p[k:]}")
        else:
            expected.append(p)
    assert blocks[3:] == expected


def _encrypted(path: Path, user_password: str) -> Path:
    from reportlab.lib import pdfencrypt

    _register_fonts()
    enc = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner-secret", canCopy=0, strength=128)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.setFont(BODY_FONT, 12)
    c.drawString(72, 700, "限制复制的文件正文。")
    c.showPage()
    c.save()
    return path


def test_copy_protected_pdf_is_still_read(tmp_path):
    result = read_document(_encrypted(tmp_path / "owner.pdf", ""))
    assert result.text.strip() == "限制复制的文件正文。"


def test_password_protected_pdf(tmp_path):
    with pytest.raises(InputError, match="encrypted PDF"):
        read_document(_encrypted(tmp_path / "user.pdf", "open-secret"))


def test_sample_bulletin_round_trip_with_ruled_table(tmp_path):
    sample = (Path(__file__).parents[1] / "fixtures" / "readers" / "bulletin.md").read_text(encoding="utf-8")
    text = read_document(render_pdf(sample, tmp_path / "sample.pdf")).text
    assert text == re.sub(r"[ \u3000]+", " ", sample)


@pytest.mark.parametrize("body_font_is_hei", [False, True])
def test_heiti_run_in_titles_count_as_bold(tmp_path, body_font_is_hei):
    from jianbao_nlp.readers.render import HEI_FONT

    _register_fonts()
    body_font = HEI_FONT if body_font_is_hei else BODY_FONT
    path = tmp_path / "hei.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 760
    paras = [("一是强化组织领导。", "成立工作专班，压实", "责任。"), ("二是完善制度机制。", "修订管理办法三项，", "并印发执行。")]
    for lead, rest, tail in paras:  # first line indented two characters, the wrapped tail at the margin
        c.setFont(HEI_FONT, 14)
        c.drawString(128, y, lead)
        c.setFont(body_font, 14)
        c.drawString(128 + 14 * len(lead), y, rest)
        c.drawString(100, y - 24, tail)
        y -= 48
    c.showPage()
    c.save()
    text = read_document(path).text
    if body_font_is_hei:
        assert text == "一是强化组织领导。成立工作专班，压实责任。\n\n二是完善制度机制。修订管理办法三项，并印发执行。\n"
    else:
        assert text == "**一是强化组织领导。**成立工作专班，压实责任。\n\n**二是完善制度机制。**修订管理办法三项，并印发执行。\n"


def test_horizontal_watermark_on_every_page_is_dropped(tmp_path):
    md, paras = _bulletin(22)
    plain = render_pdf(md, tmp_path / "plain.pdf", running_header=HEADER)
    from pypdf import PdfReader, PdfWriter

    _register_fonts()
    stamp = tmp_path / "stamp.pdf"
    c = canvas.Canvas(str(stamp), pagesize=A4)
    c.setFont(BODY_FONT, 40)
    c.setFillGray(0.85)
    c.drawCentredString(A4[0] / 2, A4[1] / 2, "内部资料")
    c.save()
    writer = PdfWriter(clone_from=str(plain))
    for page in writer.pages:
        page.merge_page(PdfReader(str(stamp)).pages[0])
    marked = tmp_path / "marked.pdf"
    with open(marked, "wb") as f:
        writer.write(f)
    text = read_document(marked).text
    assert "内部资料" not in text
    assert text == read_document(plain).text

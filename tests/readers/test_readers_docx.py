"""Word .docx reading: heading styles, bold runs, lists, tables in place, wrong extensions, damage."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from jianbao_nlp.errors import InputError
from jianbao_nlp.readers import read_document
from jianbao_nlp.readers.render import render_docx

SAMPLE = (Path(__file__).parents[1] / "fixtures" / "readers" / "bulletin.md").read_text(encoding="utf-8")


def _build(path: Path) -> Path:
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(12)
    d.add_heading("示范市机关事务工作简报", level=0)  # the "Title" style
    d.add_heading("工作动态", level=2)
    d.add_heading("市局召开节能工作推进会", level=1)
    p = d.add_paragraph()
    p.add_run("会议").bold = True
    p.add_run("要求，").bold = True  # two adjacent bold runs → one bold span
    p.add_run("各单位要持续推进绿色办公。")
    d.add_paragraph().add_run("全段加粗的一句话。").bold = True
    table = d.add_table(rows=2, cols=2)
    for (i, j), text in {(0, 0): "项目", (0, 1): "目标", (1, 0): "能耗", (1, 1): "下降 2%"}.items():
        table.cell(i, j).text = text
    d.add_paragraph("表格之后的一段。")
    d.add_paragraph("要点一", style="List Bullet")
    d.add_heading("第四级标题", level=4)
    d.save(str(path))
    return path


EXPECTED = """# 示范市机关事务工作简报

## 工作动态

# 市局召开节能工作推进会

**会议要求，**各单位要持续推进绿色办公。

**全段加粗的一句话。**

| 项目 | 目标 |
| --- | --- |
| 能耗 | 下降 2% |

表格之后的一段。

- 要点一

### 第四级标题
"""


def test_docx_headings_bold_table_in_order(tmp_path):
    result = read_document(_build(tmp_path / "b.docx"))
    assert result.kind == "docx" and result.encoding is None and result.warnings == []
    assert result.text == EXPECTED


def test_custom_heading_styles(tmp_path):
    d = docx.Document()
    custom = d.styles.add_style("文章标题", 1)  # 1 = paragraph style
    custom.base_style = d.styles["Heading 2"]
    d.add_paragraph("自定义样式的标题", style="文章标题")
    d.add_paragraph("正文。")
    d.save(str(tmp_path / "c.docx"))
    assert read_document(tmp_path / "c.docx").text == "## 自定义样式的标题\n\n正文。\n"


def _centred(d, text: str, size: float):
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(size)


def test_large_centred_bold_paragraph_is_a_title_but_body_sized_one_stays_bold(tmp_path):
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(12)
    _centred(d, "示范市机关事务简报", 22)
    _centred(d, "居中加粗但字号不变", 12)
    d.add_paragraph("正文第一段，介绍本期内容。")
    d.add_paragraph("正文第二段，继续介绍。")
    d.save(str(tmp_path / "t.docx"))
    text = read_document(tmp_path / "t.docx").text
    assert text.splitlines()[0] == "# 示范市机关事务简报"
    assert "**居中加粗但字号不变**" in text


def test_rendered_sample_round_trip(tmp_path):
    path = render_docx(SAMPLE, tmp_path / "sample.docx")
    assert read_document(path).text == SAMPLE


def test_truncated_docx(tmp_path):
    data = _build(tmp_path / "b.docx").read_bytes()
    bad = tmp_path / "truncated.docx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"truncated or damaged \.docx") as err:
        read_document(bad)
    assert str(bad) in str(err.value)


def test_zip_that_is_not_docx(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "不是文档")
    with pytest.raises(InputError, match="ZIP archive that is not a Word"):
        read_document(path)


def test_docx_named_txt_is_read_as_docx(tmp_path):
    real = _build(tmp_path / "b.docx")
    wrong = tmp_path / "bulletin.txt"
    wrong.write_bytes(real.read_bytes())
    result = read_document(wrong)
    assert result.kind == "docx" and result.text == EXPECTED
    assert result.warnings and "docx" in result.warnings[0]


def test_text_named_docx(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text(SAMPLE, encoding="gb18030")
    result = read_document(path)
    assert result.kind == "txt" and result.text == SAMPLE and result.warnings


def test_garbage_named_docx(tmp_path):
    path = tmp_path / "bad.docx"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"not a \.docx file"):
        read_document(path)


def test_legacy_doc(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(InputError, match="legacy Word"):
        read_document(path)


def _add_numbering(d, fmt: str, text: str) -> str:
    """Append an abstract numbering + num instance with one level; returns its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    root = d.part.numbering_part.element
    abs_id, num_id = "90", "91"
    root.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abs_id}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
    ))
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abs_id}"/></w:num>'))
    return num_id


def _number(paragraph, num_id: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))


def test_automatic_numbering_is_written_out(tmp_path):
    d = docx.Document()
    num = _add_numbering(d, "chineseCounting", "%1、")
    for text in ["加强组织领导", "完善制度建设", "强化监督检查"]:
        _number(d.add_heading(text, level=2), num)
    d.add_paragraph("第一项", style="List Number")
    d.add_paragraph("第二项", style="List Number")
    d.add_paragraph("圆点项", style="List Bullet")
    d.save(str(tmp_path / "n.docx"))
    lines = read_document(tmp_path / "n.docx").text.strip().split("\n\n")
    assert lines[:3] == ["## 一、加强组织领导", "## 二、完善制度建设", "## 三、强化监督检查"]
    assert lines[3:] == ["1. 第一项", "2. 第二项", "- 圆点项"]


def test_format_number():
    from jianbao_nlp.readers.docx import format_number

    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 35)] == ["一", "十", "十一", "二十", "三十五"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(4, "upperRoman") == "IV" and format_number(2, "ideographTraditional") == "乙"


def _east_asian_font(run, name: str) -> None:
    from docx.oxml.ns import qn

    run.font.name = name
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


@pytest.mark.parametrize("body_font", ["仿宋_GB2312", "黑体"])
def test_heiti_runs_read_as_bold_unless_the_body_is_heiti(tmp_path, body_font):
    d = docx.Document()
    for lead, rest in [("一是强化组织领导。", "成立工作专班，压实责任。"), ("二是完善制度机制。", "修订管理办法三项。")]:
        p = d.add_paragraph()
        _east_asian_font(p.add_run(lead), "黑体")
        _east_asian_font(p.add_run(rest), body_font)
    d.save(str(tmp_path / "h.docx"))
    text = read_document(tmp_path / "h.docx").text
    if body_font == "黑体":
        assert text == "一是强化组织领导。成立工作专班，压实责任。\n\n二是完善制度机制。修订管理办法三项。\n"
    else:
        assert text == "**一是强化组织领导。**成立工作专班，压实责任。\n\n**二是完善制度机制。**修订管理办法三项。\n"


def test_soft_line_breaks_after_sentences_split_paragraphs(tmp_path):
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("第一段结束。").add_break()
    p.add_run("第二段开头").add_break()
    p.add_run("接着写完。").bold = True
    d.add_paragraph().add_run("2025 年第 3 期").add_break()
    d.paragraphs[-1].add_run("（总第 40 期）")
    d.save(str(tmp_path / "br.docx"))
    assert read_document(tmp_path / "br.docx").text == (
        "第一段结束。\n\n第二段开头\n**接着写完。**\n\n2025 年第 3 期\n（总第 40 期）\n"
    )

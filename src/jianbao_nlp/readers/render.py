"""Render a Markdown-like bulletin into .docx, .pdf and .html, the formats editors actually send.

Used by tests (round trips through the readers) and by ``scripts/make_sample_formats.py``.
The PDF imitates a printed bulletin: a running header and a page number on every page, body
paragraphs with a two-character first-line indent wrapped across lines and pages, headings set
larger. python-docx and reportlab are imported lazily (reportlab is a test-only dependency).
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field
from pathlib import Path

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_LIST = re.compile(r"^\s*[-*+]\s+(.*)$")


@dataclass
class Block:
    """One Markdown block: kind is heading / para / list / rule / table."""

    kind: str
    level: int = 0
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def parse_markdown(text: str) -> list[Block]:
    """Split Markdown-like text into blocks (headings, paragraphs, list items, rules, pipe tables)."""
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("para", lines=[ln.rstrip() for ln in para]))
            para.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        m = _HEADING.match(line)
        if m:
            flush()
            blocks.append(Block("heading", level=len(m.group(1)), lines=[m.group(2)]))
        elif _RULE.match(line):
            flush()
            blocks.append(Block("rule"))
        elif line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            flush()
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue  # the header separator row
            if blocks and blocks[-1].kind == "table" and not para:
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif _LIST.match(line):
            flush()
            blocks.append(Block("list", lines=[_LIST.match(line).group(1)]))
        else:
            para.append(line.strip())
    flush()
    return blocks


def inline_runs(text: str) -> list[tuple[str, bool]]:
    """``**bold**`` markup → [(text, bold)] runs (an unmatched ``**`` is kept as text)."""
    parts = text.split("**")
    if len(parts) % 2 == 0:  # odd number of markers: leave the last one literal
        parts = parts[:-2] + [parts[-2] + "**" + parts[-1]]
    return [(p, i % 2 == 1) for i, p in enumerate(parts) if p]


def plain(text: str) -> str:
    return text.replace("**", "")


# ----------------------------------------------------------------------------------------- docx


def _docx_rule(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    pPr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    pPr.append(bdr)


def render_docx(markdown: str, out: str | Path) -> Path:
    """Write ``markdown`` as a Word document: styled headings, bold runs, bullet lists, tables, rules."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    for b in parse_markdown(markdown):
        if b.kind == "heading":
            document.add_heading(plain(b.text), level=min(b.level, 9))
        elif b.kind == "rule":
            _docx_rule(document.add_paragraph())
        elif b.kind == "list":
            p = document.add_paragraph(style="List Bullet")
            for text, bold in inline_runs(b.text):
                p.add_run(text).bold = bold or None
        elif b.kind == "table":
            width = max(len(r) for r in b.rows)
            table = document.add_table(rows=len(b.rows), cols=width)
            table.style = "Table Grid"
            for i, row in enumerate(b.rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = plain(cell.replace("\\|", "|"))
        else:
            p = document.add_paragraph()
            for k, line in enumerate(b.lines):
                runs = inline_runs(line)
                for text, bold in runs:
                    p.add_run(text).bold = bold or None
                if k < len(b.lines) - 1:
                    (p.runs[-1] if p.runs else p.add_run()).add_break()
    out = Path(out)
    document.save(str(out))
    return out


# ----------------------------------------------------------------------------------------- html


def _html_inline(text: str) -> str:
    return "".join(
        f"<strong>{_html.escape(t)}</strong>" if bold else _html.escape(t) for t, bold in inline_runs(text)
    )


def render_html(markdown: str, out: str | Path, title: str | None = None, encoding: str = "utf-8") -> Path:
    """Write ``markdown`` as a saved web page: site chrome (nav, header, footer, script) around an article."""
    blocks = parse_markdown(markdown)
    if title is None:
        title = next((plain(b.text) for b in blocks if b.kind == "heading"), "简报")
    body: list[str] = []
    in_list = False
    for b in blocks:
        if b.kind == "list":
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"  <li>{_html_inline(b.text)}</li>")
            continue
        if in_list:
            body.append("</ul>")
            in_list = False
        if b.kind == "heading":
            lv = min(b.level, 6)
            body.append(f"<h{lv}>{_html.escape(plain(b.text))}</h{lv}>")
        elif b.kind == "rule":
            body.append("<hr>")
        elif b.kind == "table":
            rows = []
            for i, row in enumerate(b.rows):
                tag = "th" if i == 0 else "td"
                rows.append("<tr>" + "".join(f"<{tag}>{_html_inline(c)}</{tag}>" for c in row) + "</tr>")
            body.append("<table>\n" + "\n".join(rows) + "\n</table>")
        else:
            body.append("<p>" + "<br>\n".join(_html_inline(ln) for ln in b.lines) + "</p>")
    if in_list:
        body.append("</ul>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{encoding}">
<title>{_html.escape(title)}</title>
<style>body {{ font-family: serif; }} .nav li {{ display: inline; }}</style>
<script>var siteStats = {{page: "bulletin"}};</script>
</head>
<body>
<header><div class="logo">网站首页</div></header>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/news">工作动态</a></li>
<li><a href="/open">信息公开</a></li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 工作动态</div>
<article>
{chr(10).join(body)}
</article>
<aside><h3>相关链接</h3><ul><li><a href="/a">相关新闻一</a></li></ul></aside>
<footer><p>版权所有 网站主办单位</p></footer>
<script>document.title = document.title;</script>
</body>
</html>
"""
    out = Path(out)
    out.write_bytes(page.encode(encoding))
    return out


# ------------------------------------------------------------------------------------------ pdf

_FONTS_READY = False
BODY_FONT = "STSong-Light"
BOLD_FONT = "STSong-Light-Bold"
HEI_FONT = "STSong-Light-Hei"


def register_cid_variant(name: str, pdf_name: str, face: str = BODY_FONT) -> str:
    """Register ``name``: the glyphs of CID font ``face`` under the PDF font name ``pdf_name``.

    ReportLab's built-in Chinese font has no bold or 黑体 face; a variant whose PDF name says
    ``STSong-Light,Bold`` (the standard request for synthetic bold) or ``SimHei`` lets tests make
    PDFs whose font names carry weight, as real bulletins' do.
    """
    import copy

    from reportlab.pdfbase import cidfonts, pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    class VariantCIDFont(UnicodeCIDFont):
        def __init__(self):
            super().__init__(face)
            self.name = self.fontName = name

        def addObjects(self, doc):  # noqa: N802 - reportlab's name
            original = cidfonts.CIDFontInfo[self.face.name]
            patched = copy.deepcopy(original)
            patched["BaseFont"] = "/" + pdf_name
            for sub in patched.get("DescendantFonts", []):
                sub["BaseFont"] = "/" + pdf_name
                desc = sub.get("FontDescriptor")
                if isinstance(desc, dict) and "FontName" in desc:
                    desc["FontName"] = "/" + pdf_name
            cidfonts.CIDFontInfo[self.face.name] = patched
            try:
                super().addObjects(doc)
            finally:
                cidfonts.CIDFontInfo[self.face.name] = original

    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(VariantCIDFont())
    return name


def _register_fonts() -> None:
    """Register STSong-Light, a bold variant (PDF name ``STSong-Light,Bold``) and a 黑体 one (``SimHei``)."""
    global _FONTS_READY
    if _FONTS_READY:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(BODY_FONT))
    register_cid_variant(BOLD_FONT, BODY_FONT + ",Bold")
    register_cid_variant(HEI_FONT, "SimHei")
    addMapping(BODY_FONT, 0, 0, BODY_FONT)
    addMapping(BODY_FONT, 1, 0, BOLD_FONT)
    addMapping(BODY_FONT, 0, 1, BODY_FONT)
    addMapping(BODY_FONT, 1, 1, BOLD_FONT)
    _FONTS_READY = True


def _pdf_inline(text: str) -> str:
    return "".join(
        f"<b>{_html.escape(t, quote=False)}</b>" if bold else _html.escape(t, quote=False)
        for t, bold in inline_runs(text)
    )


def render_pdf(
    markdown: str,
    out: str | Path,
    running_header: str | None = None,
    page_number_format: str = "- {n} -",
    body_size: float = 11.0,
) -> Path:
    """Write ``markdown`` as a multi-page A4 PDF set in STSong-Light (a text layer, no embedding).

    Headings are 1.6/1.35/1.18 times the body size (levels 1/2/3+), the body ``body_size`` pt, justified, with a
    two-character first-line indent; every page carries ``running_header`` (default: the first
    heading) at the top and a page number (``page_number_format``) at the bottom.
    """
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    blocks = parse_markdown(markdown)
    if running_header is None:
        running_header = next((plain(b.text) for b in blocks if b.kind == "heading"), "")
    lead = body_size * 1.6
    body = ParagraphStyle(
        "body", fontName=BODY_FONT, fontSize=body_size, leading=lead, firstLineIndent=2 * body_size,
        alignment=TA_JUSTIFY, wordWrap="CJK", spaceAfter=lead * 0.3,
    )
    heads = {
        1: ParagraphStyle("h1", parent=body, fontSize=round(body_size * 1.6), leading=round(body_size * 2.3),
                          firstLineIndent=0, alignment=TA_CENTER, spaceBefore=10, spaceAfter=10),
        2: ParagraphStyle("h2", parent=body, fontSize=round(body_size * 1.35), leading=round(body_size * 2),
                          firstLineIndent=0, alignment=TA_LEFT, spaceBefore=8, spaceAfter=6),
        3: ParagraphStyle("h3", parent=body, fontSize=round(body_size * 1.18), leading=round(body_size * 1.75),
                          firstLineIndent=0, alignment=TA_LEFT, spaceBefore=6, spaceAfter=4),
    }
    item = ParagraphStyle("li", parent=body, firstLineIndent=0, leftIndent=2 * body_size, bulletIndent=body_size * 0.5,
                          alignment=TA_LEFT, bulletFontName=BODY_FONT)
    story = []
    for b in blocks:
        if b.kind == "heading":
            story.append(Paragraph(_html.escape(plain(" ".join(b.lines)), quote=False), heads[min(b.level, 3)]))
        elif b.kind == "rule":
            story.append(HRFlowable(width="100%", thickness=0.8, spaceBefore=4, spaceAfter=8))
        elif b.kind == "list":
            story.append(Paragraph(_pdf_inline(b.text), item, bulletText="●"))
        elif b.kind == "table":
            cell = ParagraphStyle("cell", parent=body, firstLineIndent=0, alignment=TA_LEFT, spaceAfter=0)
            data = [[Paragraph(_pdf_inline(c), cell) for c in row] for row in b.rows]
            t = Table(data)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
            story += [t, Spacer(1, lead * 0.5)]
        else:
            story.append(Paragraph("<br/>".join(_pdf_inline(ln) for ln in b.lines), body))

    def decorate(canvas, doc) -> None:
        width, height = A4
        canvas.saveState()
        if running_header:
            canvas.setFont(BODY_FONT, 9)
            canvas.drawCentredString(width / 2, height - 15 * mm, running_header)
            canvas.setLineWidth(0.5)
            canvas.line(20 * mm, height - 17 * mm, width - 20 * mm, height - 17 * mm)
        if page_number_format:
            canvas.setFont(BODY_FONT, 9)
            canvas.drawCentredString(width / 2, 12 * mm, page_number_format.format(n=doc.page))
        canvas.restoreState()

    out = Path(out)
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=22 * mm,
        title=running_header or "bulletin",
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out


def render_all(markdown: str, out_dir: str | Path, stem: str) -> dict[str, Path]:
    """Write ``<stem>.docx``, ``<stem>.pdf`` and ``<stem>.html`` into ``out_dir``; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "docx": render_docx(markdown, out_dir / f"{stem}.docx"),
        "pdf": render_pdf(markdown, out_dir / f"{stem}.pdf"),
        "html": render_html(markdown, out_dir / f"{stem}.html"),
    }

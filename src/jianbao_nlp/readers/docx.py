"""Word .docx reader (python-docx): headings, bold runs, lists, rules and tables, in document order.

The body XML is walked directly (not ``document.paragraphs``) so that tables stay where they are
and content controls (``w:sdt``) are not lost. Bold is the *effective* bold of a run: its own
setting, else its character style, else its paragraph style.
"""

from __future__ import annotations

import re
from io import BytesIO
from statistics import median

from ..errors import InputError
from ._md import inline_md, join_blocks, pipe_table

_HEADING_NUM = re.compile(r"^(?:heading|标题)\s*(\d)", re.I)
_SENT_END = "。！？；：!?;:，,"
_RULE_TEXT = re.compile(r"^[-—_─━=＝]{3,}$")


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _style_chain(style):
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = style.base_style
        seen += 1


def _heading_level(paragraph) -> int | None:
    """Heading level 1..3 from the paragraph style (or its base styles) or an outline level."""
    style = paragraph.style
    for s in _style_chain(style):
        name = (s.name or "").strip()
        m = _HEADING_NUM.match(name)
        if m:
            return max(1, min(3, int(m.group(1))))
        low = name.lower()
        if low in ("subtitle", "副标题"):
            return 2
        if low in ("title", "标题"):
            return 1
    name = (style.name or "") if style is not None else ""
    low = name.lower()
    if "heading" in low or "标题" in name:
        if "副" in name or "sub" in low:
            return 2
        return 1 if ("title" in low or "标题" in name) else 2
    # an explicit outline level (0-8) on the paragraph or its style marks a heading too
    for el in [paragraph._p.pPr] + [getattr(s.element, "pPr", None) for s in _style_chain(style)]:
        if el is None:
            continue
        lvl = el.find(_qn("w:outlineLvl"))
        if lvl is not None:
            try:
                val = int(lvl.get(_qn("w:val")))
            except (TypeError, ValueError):
                continue
            return max(1, min(3, val + 1)) if 0 <= val <= 8 else None
    return None


def _effective(run, paragraph, attr: str):
    """A font attribute ('bold', 'size') of a run: direct, else character style, else paragraph style."""
    val = getattr(run.font, attr)
    if val is not None:
        return val
    try:
        rstyle = run.style
    except Exception:  # noqa: BLE001 - a broken style reference is not fatal
        rstyle = None
    for s in _style_chain(rstyle):
        if s.name and s.name.lower() == "default paragraph font":
            break
        val = getattr(s.font, attr, None)
        if val is not None:
            return val
    for s in _style_chain(paragraph.style):
        val = getattr(s.font, attr, None)
        if val is not None:
            return val
    return None


def _alignment(paragraph):
    if paragraph.alignment is not None:
        return paragraph.alignment
    for s in _style_chain(paragraph.style):
        fmt = getattr(s, "paragraph_format", None)
        if fmt is not None and fmt.alignment is not None:
            return fmt.alignment
    return None


def _runs(p_el):
    """``w:r`` elements of a paragraph in order, inside hyperlinks/insertions, but not deleted text or text boxes."""
    skip = {_qn("w:del"), _qn("w:txbxContent"), _qn("w:pPr"), _qn("w:moveFrom")}
    r_tag = _qn("w:r")

    def walk(el):
        for child in el:
            if child.tag in skip:
                continue
            if child.tag == r_tag:
                yield child
            elif isinstance(child.tag, str) and not child.tag.endswith("}Fallback"):
                yield from walk(child)

    return walk(p_el)


def _is_list(paragraph) -> bool:
    name = (paragraph.style.name or "") if paragraph.style is not None else ""
    if "list" in name.lower() or "列表" in name or "项目符号" in name:
        return True
    pPr = paragraph._p.pPr
    return pPr is not None and pPr.find(_qn("w:numPr")) is not None


def _has_border(paragraph) -> bool:
    pPr = paragraph._p.pPr
    return pPr is not None and pPr.find(_qn("w:pBdr")) is not None


def _join_lines(text: str) -> str:
    """A heading on one line: soft breaks become nothing between CJK characters, else a space."""
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return re.sub(r"\s+", " ", text).strip()


class _Para:
    __slots__ = ("kind", "level", "md", "plain", "all_bold", "centred", "size")

    def __init__(self, kind, level=0, md="", plain="", all_bold=False, centred=False, size=None):
        self.kind, self.level, self.md, self.plain = kind, level, md, plain
        self.all_bold, self.centred, self.size = all_bold, centred, size


def _paragraph(p_el, parent) -> _Para | None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    para = Paragraph(p_el, parent)
    segments: list[tuple[str, bool]] = []
    sizes: list[tuple[float, int]] = []
    for r_el in _runs(p_el):
        run = Run(r_el, para)
        text = run.text.replace("\t", " ")
        if not text:
            continue
        bold = bool(_effective(run, para, "bold"))
        segments.append((text, bold))
        size = _effective(run, para, "size")
        if size is not None and text.strip():
            sizes.append((size.pt, len(text.strip())))
    plain = "".join(t for t, _ in segments)
    if not plain.strip():
        return _Para("rule") if _has_border(para) else None
    if _RULE_TEXT.match(plain.strip()):
        return _Para("rule")
    level = _heading_level(para)
    if level:
        return _Para("heading", level=level, plain=_join_lines(plain))
    visible = [(t, b) for t, b in segments if t.strip()]
    all_bold = bool(visible) and all(b for _, b in visible)
    size = None
    if sizes:
        total = sum(n for _, n in sizes)
        size = sum(s * n for s, n in sizes) / total
    md = inline_md(segments).strip()
    if _is_list(para):
        return _Para("list", md="- " + md, plain=plain.strip(), size=size)
    return _Para(
        "para", md=md, plain=plain.strip(), all_bold=all_bold,
        centred=_alignment(para) == WD_ALIGN_PARAGRAPH.CENTER, size=size,
    )


def _table(tbl_el, parent, blocks: list, warnings: list[str]) -> None:
    from docx.table import Table

    table = Table(tbl_el, parent)
    rows = []
    for row in table.rows:
        try:
            rows.append([cell.text for cell in row.cells])
        except Exception:  # noqa: BLE001 - malformed merged cells: fall back to raw cells
            rows.append(["".join(t.text or "" for t in tc.iter(_qn("w:t"))) for tc in row._tr.iter(_qn("w:tc"))])
    width = max((len(r) for r in rows), default=0)
    if not rows or width <= 1:
        # a one-column table is a layout box (framed text): read its content as ordinary blocks
        for tc in tbl_el.iter(_qn("w:tc")):
            _blocks(tc, parent, blocks, warnings)
        return
    blocks.append(("table", pipe_table(rows)))


def _blocks(container, parent, blocks: list, warnings: list[str]) -> None:
    p_tag, tbl_tag, sdt_tag = _qn("w:p"), _qn("w:tbl"), _qn("w:sdt")
    for child in container:
        if child.tag == p_tag:
            para = _paragraph(child, parent)
            if para is not None:
                blocks.append(para)
        elif child.tag == tbl_tag:
            _table(child, parent, blocks, warnings)
        elif child.tag == sdt_tag:
            content = child.find(_qn("w:sdtContent"))
            if content is not None:
                _blocks(content, parent, blocks, warnings)
        elif child.tag in (_qn("w:customXml"), _qn("w:ins")):
            _blocks(child, parent, blocks, warnings)


def read_docx(data: bytes, path: object | None = None, warnings: list[str] | None = None) -> str:
    """Markdown-like text of a .docx file given as bytes."""
    import zipfile

    import docx

    warnings = warnings if warnings is not None else []
    try:
        document = docx.Document(BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError("truncated or damaged .docx (bad zip file)", path) from None
    except KeyError as err:
        raise InputError(f"damaged .docx (missing part {err})", path) from None
    except Exception as err:  # noqa: BLE001
        raise InputError(f"damaged .docx ({type(err).__name__}: {str(err)[:120]})", path) from None
    blocks: list = []
    _blocks(document.element.body, document._body, blocks, warnings)

    # body font size: the size most text is set in, to recognise an unstyled large centred title
    sized = [(b.size, len(b.plain)) for b in blocks if isinstance(b, _Para) and b.kind == "para" and b.size]
    body_size = None
    if sized:
        body_size = median([s for s, n in sized for _ in range(min(n, 200))])

    out: list[str] = []
    for b in blocks:
        if isinstance(b, tuple):
            out.append(b[1])
        elif b.kind == "rule":
            out.append("---")
        elif b.kind == "heading":
            out.append("#" * b.level + " " + b.plain)
        elif (
            b.kind == "para" and b.all_bold and b.centred and body_size and b.size
            and b.size >= 1.2 * body_size and len(b.plain) <= 40 and "\n" not in b.plain.strip()
            and b.plain.strip()[-1] not in _SENT_END
        ):
            out.append("# " + _join_lines(b.plain))
        else:
            out.append(b.md)
    text = join_blocks(out)
    if not text.strip():
        raise InputError("no text in .docx (empty document)", path)
    return text

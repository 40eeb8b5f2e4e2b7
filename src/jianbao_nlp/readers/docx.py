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


class _Styles:
    """Style look-ups with caches: python-docx resolves a style id by scanning every style."""

    def __init__(self, document):
        from docx.enum.style import WD_STYLE_TYPE

        self.by_id = {}
        try:
            for st in document.styles:
                if st.style_id:
                    self.by_id[st.style_id] = st
            self.default_para = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        except Exception:  # noqa: BLE001 - a broken styles part: run with no styles
            self.default_para = None
        self._attr: dict = {}
        self._chain: dict = {}

    def chain(self, style) -> tuple:
        if style is None:
            return ()
        key = id(style)
        if key not in self._chain:
            out, seen = [], set()
            while style is not None and style.style_id not in seen and len(out) < 20:
                out.append(style)
                seen.add(style.style_id)
                try:
                    style = style.base_style
                except Exception:  # noqa: BLE001
                    style = None
            self._chain[key] = tuple(out)
        return self._chain[key]

    def _ref(self, el, prop: str, tag: str):
        pr = el.find(_qn(prop))
        ref = pr.find(_qn(tag)) if pr is not None else None
        return ref.get(_qn("w:val")) if ref is not None else None

    def para_style(self, p_el):
        sid = self._ref(p_el, "w:pPr", "w:pStyle")
        return self.by_id.get(sid, self.default_para) if sid else self.default_para

    def run_style(self, r_el):
        sid = self._ref(r_el, "w:rPr", "w:rStyle")
        return self.by_id.get(sid) if sid else None

    def font_attr(self, style, attr: str, skip_default_font: bool = False):
        """The first non-None ``font.<attr>`` along a style's base-style chain (cached)."""
        key = (id(style), attr)
        if key not in self._attr:
            val = None
            for st in self.chain(style):
                if skip_default_font and (st.name or "").lower() == "default paragraph font":
                    break
                val = getattr(st.font, attr, None)
                if val is not None:
                    break
            self._attr[key] = val
        return self._attr[key]

    def hei(self, style) -> bool:
        """Whether a style (or its base styles) sets a 黑体 (gothic) face."""
        key = (id(style), "hei")
        if key not in self._attr:
            val = False
            for st in self.chain(style):
                fonts = _run_fonts(st.element)
                if fonts.strip():
                    val = bool(_HEI.search(fonts))
                    break
            self._attr[key] = val
        return self._attr[key]

    def alignment(self, style):
        key = (id(style), "align")
        if key not in self._attr:
            val = None
            for st in self.chain(style):
                fmt = getattr(st, "paragraph_format", None)
                if fmt is not None and fmt.alignment is not None:
                    val = fmt.alignment
                    break
            self._attr[key] = val
        return self._attr[key]

    def heading_level(self, p_el, style) -> int | None:
        """Heading level 1..3 from the paragraph style (or its base styles) or an outline level."""
        key = (id(style), "heading")
        if key not in self._attr:
            self._attr[key] = self._style_heading(style)
        level = self._attr[key]
        if level:
            return level
        return _outline_level(p_el.find(_qn("w:pPr")))

    def _style_heading(self, style) -> int | None:
        chain = self.chain(style)
        for st in chain:
            name = (st.name or "").strip()
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
            return 1 if ("title" in low or name.endswith("标题")) else 2
        for st in chain:
            level = _outline_level(getattr(st.element, "pPr", None))
            if level:
                return level
        return None


def _outline_level(pPr) -> int | None:
    """An explicit outline level 0-8 marks a heading (9 is body text)."""
    if pPr is None:
        return None
    lvl = pPr.find(_qn("w:outlineLvl"))
    if lvl is None:
        return None
    try:
        val = int(lvl.get(_qn("w:val")))
    except (TypeError, ValueError):
        return None
    return max(1, min(3, val + 1)) if 0 <= val <= 8 else None


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


_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CN_DIGITS, ten: str = "十") -> str:
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    out = (digits[tens] if tens > 1 else "") + (ten if tens else "")
    return out + (digits[ones] if ones else "")


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def format_number(n: int, fmt: str) -> str:
    """One level's counter in a Word number format (decimal, chineseCounting, upperRoman ...)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese(n, _CN_LEGAL, "拾")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and 0 < n <= 12:
        return _BRANCHES[n - 1]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        s = _letters(n)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.lower() if fmt == "lowerRoman" else s
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Word's automatic numbering: the label ("一、", "（2）", "1.") a numbered paragraph displays."""

    def __init__(self, document):
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part
            return
        val = _qn("w:val")
        for absn in root.findall(_qn("w:abstractNum")):
            levels = {}
            for lvl in absn.findall(_qn("w:lvl")):
                try:
                    ilvl = int(lvl.get(_qn("w:ilvl"), "0"))
                    fmt_el, text_el, start_el = (lvl.find(_qn(t)) for t in ("w:numFmt", "w:lvlText", "w:start"))
                    start = int(start_el.get(val)) if start_el is not None else 1
                except (TypeError, ValueError):
                    continue
                levels[ilvl] = (
                    fmt_el.get(val, "decimal") if fmt_el is not None else "decimal",
                    text_el.get(val, "") if text_el is not None else "",
                    start,
                )
            self.levels[absn.get(_qn("w:abstractNumId"))] = levels
        for num in root.findall(_qn("w:num")):
            ref = num.find(_qn("w:abstractNumId"))
            if ref is None:
                continue
            overrides = {}
            for ov in num.findall(_qn("w:lvlOverride")):
                so = ov.find(_qn("w:startOverride"))
                if so is not None:
                    try:
                        overrides[int(ov.get(_qn("w:ilvl"), "0"))] = int(so.get(val))
                    except (TypeError, ValueError):
                        pass
            self.nums[num.get(_qn("w:numId"))] = (ref.get(val), overrides)

    def label(self, num_id: str, ilvl: int) -> tuple[str, bool] | None:
        """(label text, is a bullet) for the next paragraph of list ``num_id`` at level ``ilvl``."""
        if num_id not in self.nums:
            return None
        abs_id, overrides = self.nums[num_id]
        levels = self.levels.get(abs_id, {})
        if ilvl not in levels:
            return None
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "", True
        counts = self.counters.setdefault(num_id, {})

        def start(k: int) -> int:
            return overrides.get(k, levels.get(k, ("", "", 1))[2])

        counts[ilvl] = counts.get(ilvl, start(ilvl) - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            n = counts.get(k, start(k))
            return format_number(n, levels.get(k, ("decimal", "", 1))[0])

        return re.sub(r"%(\d)", sub, text), False


def _num_pr(p_el, style, styles) -> tuple[str, int] | None:
    """(numId, ilvl) of a numbered paragraph, from its own properties or its style chain."""
    val = _qn("w:val")
    candidates = [p_el.find(_qn("w:pPr"))] + [getattr(st.element, "pPr", None) for st in styles.chain(style)]
    num_id = ilvl = None
    for pPr in candidates:
        numPr = pPr.find(_qn("w:numPr")) if pPr is not None else None
        if numPr is None:
            continue
        nid, lvl = numPr.find(_qn("w:numId")), numPr.find(_qn("w:ilvl"))
        if num_id is None and nid is not None:
            num_id = nid.get(val)
        if ilvl is None and lvl is not None:
            ilvl = lvl.get(val)
        if num_id is not None and ilvl is not None:
            break
    if num_id is None or num_id == "0":
        return None
    try:
        return num_id, int(ilvl or 0)
    except ValueError:
        return num_id, 0


def _is_list(p_el, style) -> bool:
    name = (style.name or "") if style is not None else ""
    if "list" in name.lower() or "列表" in name or "项目符号" in name:
        return True
    pPr = p_el.find(_qn("w:pPr"))
    return pPr is not None and pPr.find(_qn("w:numPr")) is not None


def _has_border(p_el) -> bool:
    pPr = p_el.find(_qn("w:pPr"))
    return pPr is not None and pPr.find(_qn("w:pBdr")) is not None


def _join_lines(text: str) -> str:
    """A heading on one line: soft breaks become nothing between CJK characters, else a space."""
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return re.sub(r"\s+", " ", text).strip()


class _Para:
    """A paragraph before rendering: (text, weight) runs, weight 2 = bold, 1 = 黑体 face, 0 = regular."""

    __slots__ = ("kind", "level", "segments", "prefix", "plain", "centred", "size")

    def __init__(self, kind, level=0, segments=None, prefix="", plain="", centred=False, size=None):
        self.kind, self.level, self.segments, self.prefix, self.plain = kind, level, segments or [], prefix, plain
        self.centred, self.size = centred, size

    def runs(self, hei_is_bold: bool) -> list[tuple[str, bool]]:
        return [(t, w == 2 or (w == 1 and hei_is_bold)) for t, w in self.segments]

    def all_bold(self, hei_is_bold: bool) -> bool:
        visible = [b for t, b in self.runs(hei_is_bold) if t.strip()]
        return bool(visible) and all(visible)

    def md(self, hei_is_bold: bool) -> str:
        """Markdown; a soft line break (Shift+Enter) after a finished sentence, or before an
        indented line, is taken as the paragraph break that editors often use it for."""
        lines: list[list[tuple[str, bool]]] = [[]]
        for text, bold in self.runs(hei_is_bold):
            parts = text.split("\n")
            for k, part in enumerate(parts):
                if k:
                    lines.append([])
                if part:
                    lines[-1].append((part, bold))
        paras: list[list[tuple[str, bool]]] = []
        for line in lines:
            text = "".join(t for t, _ in line)
            if not text.strip():
                continue
            prev = "".join(t for t, _ in paras[-1]).rstrip() if paras else ""
            if paras and not prev.endswith(_PARA_END) and not re.match(r"^(?:\u3000| {2,}|\t)", text):
                paras[-1] = paras[-1] + [("\n", False)] + line
            else:
                paras.append(line)
        mds = [inline_md(p).strip() for p in paras]
        return self.prefix + "\n\n".join(m for m in mds if m)


_HEI = re.compile(r"黑|hei", re.I)
_PARA_END = ("。", "！", "？", "；", "…", "!", "?", "”", "’", "」", "』")


def _run_fonts(el) -> str:
    """The font names an ``rPr`` holder (run or style element) sets, East Asian first."""
    rPr = el.find(_qn("w:rPr")) if el is not None else None
    fonts = rPr.find(_qn("w:rFonts")) if rPr is not None else None
    if fonts is None:
        return ""
    return " ".join(fonts.get(_qn(k)) or "" for k in ("w:eastAsia", "w:ascii", "w:hAnsi"))


def _paragraph(p_el, parent, styles: _Styles, numbering: "_Numbering | None" = None) -> _Para | None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    para = Paragraph(p_el, parent)
    pstyle = styles.para_style(p_el)
    p_bold = styles.font_attr(pstyle, "bold")
    p_size = styles.font_attr(pstyle, "size")
    segments: list[tuple[str, int]] = []
    sizes: list[tuple[float, int]] = []
    p_hei = styles.hei(pstyle)
    for r_el in _runs(p_el):
        run = Run(r_el, para)
        text = run.text.replace("\t", " ")
        if not text:
            continue
        rstyle = styles.run_style(r_el)
        bold = run.font.bold
        if bold is None and rstyle is not None:
            bold = styles.font_attr(rstyle, "bold", skip_default_font=True)
        if bold is None:
            bold = p_bold
        if bold:
            weight = 2
        else:
            fonts = _run_fonts(r_el)
            hei = bool(_HEI.search(fonts)) if fonts.strip() else (styles.hei(rstyle) if rstyle is not None else p_hei)
            weight = 1 if hei else 0
        segments.append((text, weight))
        size = run.font.size
        if size is None and rstyle is not None:
            size = styles.font_attr(rstyle, "size", skip_default_font=True)
        if size is None:
            size = p_size
        if size is not None and text.strip():
            sizes.append((size.pt, len(text.strip())))
    label = None
    num = _num_pr(p_el, pstyle, styles) if numbering is not None else None
    if num is not None:
        label = numbering.label(*num)
    if label is not None and label[0] and any(t.strip() for t, _ in segments):
        prefix = label[0]
        if not re.search(r"[\u3000-\u303f\uff00-\uffef、]$", prefix):
            prefix += " "
        segments.insert(0, (prefix, 0))
    plain = "".join(t for t, _ in segments)
    if not plain.strip():
        return _Para("rule") if _has_border(p_el) else None
    if _RULE_TEXT.match(plain.strip()):
        return _Para("rule")
    level = styles.heading_level(p_el, pstyle)
    if level:
        return _Para("heading", level=level, plain=_join_lines(plain))
    size = None
    if sizes:
        total = sum(n for _, n in sizes)
        size = sum(s * n for s, n in sizes) / total
    if (label is not None and label[1]) or (label is None and _is_list(p_el, pstyle)):
        return _Para("list", segments=segments, prefix="- ", plain=plain.strip(), size=size)
    align = para.alignment if para.alignment is not None else styles.alignment(pstyle)
    return _Para(
        "para", segments=segments, plain=plain.strip(), centred=align == WD_ALIGN_PARAGRAPH.CENTER, size=size,
    )


def _table(tbl_el, parent, blocks: list, styles: _Styles, numbering=None) -> None:
    from docx.table import Table

    table = Table(tbl_el, parent)
    rows = []
    for row in table.rows:
        try:
            cells, seen = [], set()
            for cell in row.cells:  # a merged cell comes back once per column it spans: read it once
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(cell.text)
            rows.append(cells)
        except Exception:  # noqa: BLE001 - malformed merged cells: fall back to raw cells
            rows.append(["".join(t.text or "" for t in tc.iter(_qn("w:t"))) for tc in row._tr.iter(_qn("w:tc"))])
    width = max((len(r) for r in rows), default=0)
    if not rows or width <= 1:
        # a one-column table is a layout box (framed text): read its content as ordinary blocks
        for tr in tbl_el.findall(_qn("w:tr")):
            for tc in tr.findall(_qn("w:tc")):
                _blocks(tc, parent, blocks, styles, numbering)
        return
    blocks.append(("table", pipe_table(rows)))


def _blocks(container, parent, blocks: list, styles: _Styles, numbering=None) -> None:
    p_tag, tbl_tag, sdt_tag = _qn("w:p"), _qn("w:tbl"), _qn("w:sdt")
    txbx = _qn("w:txbxContent")
    for child in container:
        if child.tag == p_tag:
            para = _paragraph(child, parent, styles, numbering)
            if para is not None:
                blocks.append(para)
            # text boxes anchored in the paragraph (not their VML fallback copies) follow it
            for box in child.iter(txbx):
                if not any(str(a.tag).endswith("}Fallback") or a.tag == txbx for a in box.iterancestors()):
                    _blocks(box, parent, blocks, styles, numbering)
        elif child.tag == tbl_tag:
            _table(child, parent, blocks, styles, numbering)
        elif child.tag == sdt_tag:
            content = child.find(_qn("w:sdtContent"))
            if content is not None:
                _blocks(content, parent, blocks, styles, numbering)
        elif child.tag in (_qn("w:customXml"), _qn("w:ins")):
            _blocks(child, parent, blocks, styles, numbering)


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
    _blocks(document.element.body, document._body, blocks, _Styles(document), _Numbering(document))

    # body font size: the size most text is set in, to recognise an unstyled large centred title
    sized = [(b.size, len(b.plain)) for b in blocks if isinstance(b, _Para) and b.kind == "para" and b.size]
    body_size = None
    if sized:
        body_size = median([s for s, n in sized for _ in range(min(n, 200))])

    # 黑体 runs read as bold, unless the body text itself is set in 黑体
    lengths = [(w, len(t.strip())) for b in blocks if isinstance(b, _Para) for t, w in b.segments]
    hei_share = sum(n for w, n in lengths if w == 1) / max(1, sum(n for _, n in lengths))
    hei_is_bold = hei_share < 0.5

    out: list[str] = []
    for b in blocks:
        if isinstance(b, tuple):
            out.append(b[1])
        elif b.kind == "rule":
            out.append("---")
        elif b.kind == "heading":
            out.append("#" * b.level + " " + b.plain)
        elif (
            b.kind == "para" and b.all_bold(hei_is_bold) and b.centred and body_size and b.size
            and b.size >= 1.2 * body_size and len(b.plain) <= 40 and "\n" not in b.plain.strip()
            and b.plain.strip()[-1] not in _SENT_END
        ):
            out.append("# " + _join_lines(b.plain))
        else:
            out.append(b.md(hei_is_bold))
    text = join_blocks(out)
    if not text.strip():
        raise InputError("no text in .docx (empty document)", path)
    return text

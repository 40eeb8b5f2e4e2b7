"""PDF reader (pdfplumber): text layer → Markdown-like text with paragraphs rebuilt from lines.

Steps: characters → lines (by baseline) per page; running headers/footers (the same text at the
same height on many pages) and page numbers (``- 3 -``, ``第3页``, ``3/10`` ...) at the top or
bottom of a page are removed; lines are then joined across pages into paragraphs. Chinese text
wraps mid-sentence, so wrapped lines are joined without a space; a new paragraph starts on a
first-line indent, a bullet, a vertical gap, a change of font size, or after a line that stops
short of the right margin. Lines set clearly larger than the body are headings (``#`` for the
largest size, then ``##``, ``###``); characters in a bold font become ``**bold**``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from io import BytesIO
from statistics import median

from ..errors import InputError
from ._md import inline_md, join_blocks, pipe_table

_BOLD_FONT = re.compile(r"bold|black|heavy|demi|semibold|,b\b|-bd\b", re.I)
# 黑体 (SimHei, STHeiti ...) sets headings and run-in titles in Chinese documents set in 宋体/仿宋:
# it counts as bold unless the body itself is set in it (then nothing is bold by font family)
_HEI_FONT = re.compile(r"hei|黑", re.I)


def _weight(fontname: str) -> int:
    """2 for a bold face, 1 for a 黑体 (gothic) face, 0 for a regular one."""
    if _BOLD_FONT.search(fontname):
        return 2
    return 1 if _HEI_FONT.search(fontname) else 0
_CID = re.compile(r"^\(cid:\d+\)$")
_BULLETS = set("•●○◆◇■□▪▫▶►▸✓✔➢➤★☆◎◼◻⚫⚪")
_DECOR = "-—–－_~·•・ \u3000"
_PAGE_NUM = [
    re.compile(r"^(?:第\s*)?\d{1,3}\s*页?(?:\s*[/／]\s*(?:共\s*)?\d{1,3}\s*页?)?(?:\s*[，,]?\s*共\s*\d{1,3}\s*页)?$"),
    re.compile(r"^(?:page|p\.?)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.I),
    re.compile(r"^[ivxlc]{1,6}$", re.I),
]
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    chars: list = field(default_factory=list)  # [(text, bold)]
    bullet: bool = False
    rule: bool = False
    table: str = ""  # a ruled table, already as a Markdown pipe table

    @cached_property
    def text(self) -> str:
        return "".join(t for t, _ in self.chars)

    @cached_property
    def key(self) -> str:
        """The text without spaces and with digits masked: equal for a header on every page."""
        return _norm(self.text)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ("\u2e80" <= ch[0] <= "\u9fff" or "\uf900" <= ch[0] <= "\ufaff" or "\uff00" <= ch[0] <= "\uffef")


def is_page_number(text: str) -> bool:
    """True for a line that is only a page number, in the usual Chinese and Western forms."""
    core = text.strip().strip(_DECOR).strip()
    if not core:
        return False
    core = re.sub(r"\s+", " ", core)
    if _PAGE_NUM[2].match(core) and core == core.lower() and text.strip() != core:
        return True  # roman numerals only when decorated: "- iii -"
    return any(p.match(core) for p in _PAGE_NUM[:2])


def _inside(c: dict, boxes: list[tuple]) -> bool:
    cx, cy = (float(c["x0"]) + float(c["x1"])) / 2, (float(c["top"]) + float(c["bottom"])) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _page_tables(page, page_no: int) -> list[_Line]:
    """Ruled tables (pdfplumber's line strategy) as pipe-table pseudo-lines; only on pages with rulings."""
    if len(page.lines) + len(page.rects) < 4:
        return []
    out = []
    for table in page.find_tables():
        try:
            rows = table.extract()
        except Exception:  # noqa: BLE001
            continue
        rows = [[_cell(c) for c in row] for row in rows if row and any(c and c.strip() for c in row)]
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        x0, top, x1, bottom = table.bbox
        out.append(_Line(page=page_no, top=float(top), bottom=float(bottom), x0=float(x0), x1=float(x1), size=0.0,
                         chars=[("[table]", False)], table=pipe_table(rows)))
    return out


def _cell(text: str | None) -> str:
    text = (text or "").strip()
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return re.sub(r"\s+", " ", text)


def _page_lines(page, page_no: int, exclude: list[tuple] | None = None) -> list[_Line]:
    return glyph_lines(page.chars, float(page.height), page_no, exclude)


def glyph_lines(glyphs: list[dict], height: float, page_no: int, exclude: list[tuple] | None = None) -> list[_Line]:
    """Group one page's glyphs (pdfplumber char dicts) into text lines, top to bottom."""
    chars = [dict(c) for c in glyphs if c.get("upright", True) and c.get("text")]
    if exclude:
        chars = [c for c in chars if not _inside(c, exclude)]
    if not chars:
        return []
    for c in chars:
        m = c.get("matrix")
        c["_base"] = height - float(m[5]) if m else float(c["bottom"])
    chars.sort(key=lambda c: (c["_base"], c["x0"]))
    groups: list[list[dict]] = []
    for c in chars:
        size = float(c.get("size") or 10)
        for g in reversed(groups[-4:]):
            gsize = float(g[0].get("size") or 10)
            # same baseline, and a comparable size: a large watermark across a body line stays apart
            similar = 0.7 <= size / gsize <= 1.43 or not (c["text"].isalnum() or _is_cjk(c["text"]))
            if abs(c["_base"] - g[0]["_base"]) <= max(1.0, 0.35 * min(size, gsize)) and similar:
                g.append(c)
                break
        else:
            groups.append([c])
    groups.sort(key=lambda g: g[0]["_base"])
    lines = []
    for g in groups:
        g.sort(key=lambda c: c["x0"])
        out: list[tuple[str, bool]] = []
        prev = None
        bullet = False
        for c in g:
            t = c["text"]
            size = float(c.get("size") or 10)
            if prev is not None and t == prev["text"] and abs(c["x0"] - prev["x0"]) < 0.3 * size:
                # the same glyph printed twice with a small offset: a "fake bold" stroke
                if out:
                    out[-1] = (out[-1][0], 2)
                continue
            if _CID.match(t) or ("\ue000" <= t <= "\uf8ff"):
                if not out:
                    bullet = True  # an unmapped symbol-font glyph at line start is a bullet
                prev = c
                continue
            if prev is not None and out and t != " " and out[-1][0] != " ":
                gap = float(c["x0"]) - float(prev["x1"])
                # beside a CJK character only a whole missing glyph counts as a space (grid-aligned
                # layouts pad half-width digits); between Latin letters, ordinary word spacing does
                wide = _is_cjk(t) or _is_cjk(out[-1][0]) or (t.isdigit() and out[-1][0].isdigit())
                if gap > (0.8 if wide else 0.25) * size:
                    out.append((" ", False))
            out.append((t, _weight(c.get("fontname") or "")))
            prev = c
        while out and not out[0][0].strip():
            out.pop(0)
        while out and not out[-1][0].strip():
            out.pop()
        if not out:
            continue
        if out[0][0] in _BULLETS:
            bullet = True
            out.pop(0)
            while out and not out[0][0].strip():
                out.pop(0)
            if not out:
                continue
        visible = [c for c in g if c["text"].strip() and not _CID.match(c["text"])]
        if bullet and visible and visible[0]["text"] in _BULLETS:
            visible = visible[1:] or visible
        sizes = Counter(round(float(c.get("size") or 10) * 2) / 2 for c in visible) if visible else Counter([10.0])
        lines.append(
            _Line(
                page=page_no,
                top=min(float(c["top"]) for c in g),
                bottom=max(float(c["bottom"]) for c in g),
                x0=float(visible[0]["x0"]) if visible else float(g[0]["x0"]),
                x1=float(visible[-1]["x1"]) if visible else float(g[-1]["x1"]),
                size=sizes.most_common(1)[0][0],
                chars=out,
                bullet=bullet,
            )
        )
    return lines


def _page_rules(page, page_no: int, boxes: list[tuple] | None = None) -> list[_Line]:
    return path_rules(list(page.lines) + list(page.rects), float(page.width), page_no, boxes)


def path_rules(objs: list[dict], width: float, page_no: int, boxes: list[tuple] | None = None) -> list[_Line]:
    """Horizontal rules drawn across the text block (not table grid lines): they become ``---``."""
    verticals = [o for o in objs if float(o["bottom"]) - float(o["top"]) > 5 and float(o["x1"]) - float(o["x0"]) <= 2]
    rules = []
    for o in objs:
        x0, x1, top, bottom = float(o["x0"]), float(o["x1"]), float(o["top"]), float(o["bottom"])
        if x1 - x0 < 0.4 * width or bottom - top > 2.5:
            continue
        if any(float(v["top"]) - 2 <= top <= float(v["bottom"]) + 2 and x0 - 2 <= float(v["x0"]) <= x1 + 2 for v in verticals):
            continue  # part of a table grid
        if boxes and any(bx0 - 2 <= x0 and x1 <= bx1 + 2 and btop - 2 <= top <= bbottom + 2 for bx0, btop, bx1, bbottom in boxes):
            continue
        if any(abs(r.top - top) < 3 for r in rules):
            continue
        rules.append(_Line(page=page_no, top=top, bottom=bottom, x0=x0, x1=x1, size=0.0, chars=[("---", False)], rule=True))
    return rules


def _insert_rules(lines: list[_Line], rules: list[_Line]) -> list[_Line]:
    """Rules between the first and last remaining text lines of a page (a rule under a removed
    running header, or above a removed footer, is dropped with it)."""
    if not rules:
        return lines
    if not lines:
        return [r for r in rules if r.table]
    first, last = lines[0].top, lines[-1].top
    kept = [r for r in rules if r.table or first < r.top < last]
    return sorted(lines + kept, key=lambda ln: ln.top)


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def strip_running(pages: list[list[_Line]], depth: int = 2) -> list[list[_Line]]:
    """Remove running headers/footers (same text at the same height on many pages), page numbers,
    and from three pages on, any line repeated at the same height on most pages (a watermark)."""
    n = len(pages)
    if n >= 2:
        counts: Counter = Counter()
        for lines in pages:
            seen = set()
            for ln in lines[:depth]:
                seen.add(("top", ln.key, round(ln.top / 6)))
            for ln in lines[-depth:]:
                seen.add(("bot", ln.key, round(ln.bottom / 6)))
            for ln in lines:  # a watermark or stamp repeated mid-page
                seen.add(("any", ln.key, round(ln.top / 6)))
            counts.update(seen)
        need = max(2, math.ceil(0.5 * n))
        repeated = {k for k, v in counts.items() if v >= need and k[0] != "any"}
        if n == 2:
            repeated = {k for k, v in counts.items() if v >= 2 and k[0] != "any"}
        repeated |= {k for k, v in counts.items() if k[0] == "any" and v >= max(3, math.ceil(0.6 * n))}
        out = []
        for lines in pages:
            keep = []
            for i, ln in enumerate(lines):
                if ("any", ln.key, round(ln.top / 6)) in repeated:
                    continue
                if i < depth and ("top", ln.key, round(ln.top / 6)) in repeated:
                    continue
                if i >= len(lines) - depth and ("bot", ln.key, round(ln.bottom / 6)) in repeated:
                    continue
                keep.append(ln)
            out.append(keep)
        pages = out
    cleaned = []
    for lines in pages:
        lines = list(lines)
        for _ in range(depth):  # a page number may sit outside or inside a running header/footer
            if lines and is_page_number(lines[0].text):
                lines.pop(0)
            if lines and is_page_number(lines[-1].text):
                lines.pop()
        cleaned.append(lines)
    return cleaned


def drop_masthead_echo(pages: list[list[_Line]], heights: list[float]) -> list[list[_Line]]:
    """Drop a small line at the very top of a page that repeats a larger line of the document.

    This is a running header that repetition cannot prove (a one-page PDF): it echoes the
    bulletin's masthead or title in a smaller type.
    """
    lines = [ln for page in pages for ln in page]
    out = []
    for page, height in zip(pages, heights):
        if page and page[0].top < 0.1 * height and len(page) > 1:
            first = page[0]
            key = first.key
            later = [ln for ln in lines if ln is not first and ln.key == key]
            if later and max(ln.size for ln in later) > first.size + 1 and page[1].top - first.bottom > first.size:
                page = page[1:]
        out.append(page)
    return out


def _weighted_mode(values: list[tuple[float, int]]) -> float:
    c: Counter = Counter()
    for v, w in values:
        c[v] += w
    return c.most_common(1)[0][0]


def _join(a: list, b: list) -> list:
    """Join two wrapped lines: no space between CJK characters, a space between two Latin words."""
    if a and b and _ASCII_WORD.match(a[-1][0][-1:] or "") and _ASCII_WORD.match(b[0][0][:1] or ""):
        return a + [(" ", False)] + b
    return a + b


def lines_to_markdown(pages: list[list[_Line]]) -> str:
    """Rebuild headings, paragraphs and list items from the body lines of all pages."""
    all_lines = [ln for page in pages for ln in page]
    lines = [ln for ln in all_lines if not ln.rule and not ln.table]
    if not lines:
        return ""
    body_size = _weighted_mode([(ln.size, len(ln.chars)) for ln in lines])
    body = [ln for ln in lines if abs(ln.size - body_size) < 0.75]
    n = len(body)
    # text block edges: the extreme line starts/ends, ignoring the outer 2% on long documents
    x0s = sorted(ln.x0 for ln in body)
    x1s = sorted(ln.x1 for ln in body)
    cut = int(0.02 * (n - 1)) if n >= 50 else 0
    left, right = x0s[cut], x1s[n - 1 - cut]
    em = body_size
    pitches = [
        b.top - a.top
        for a, b in zip(body, body[1:])
        if a.page == b.page and 0 < b.top - a.top < 3 * em
    ]
    pitch = median(pitches) if pitches else 1.6 * em

    head_sizes = sorted({ln.size for ln in lines if ln.size >= body_size * 1.12 and ln.size - body_size >= 1}, reverse=True)
    level_of = {s: min(3, i + 1) for i, s in enumerate(head_sizes)}
    weights = Counter(w for ln in lines for t, w in ln.chars if t.strip())
    total = max(1, sum(weights.values()))
    hei_is_bold = weights[1] < 0.5 * total  # the body is not itself set in a 黑体 face
    bold_share = (weights[2] + (weights[1] if hei_is_bold else 0)) / total
    use_bold = 0 < bold_share < 0.8

    def boldness(chars: list) -> list:
        if not use_bold:
            return [(t, False) for t, _ in chars]
        return [(t, w == 2 or (w == 1 and hei_is_bold)) for t, w in chars]

    blocks: list[dict] = []
    prev: _Line | None = None
    for ln in all_lines:
        if ln.rule or ln.table:
            blocks.append({"kind": "table" if ln.table else "rule", "chars": [], "md": ln.table})
            prev = None
            continue
        chars = boldness(ln.chars)
        if ln.size in level_of:
            cur = blocks[-1] if blocks else None
            if (
                cur and cur["kind"] == "heading" and prev is not None and prev.size == ln.size
                and prev.page == ln.page and ln.top - prev.bottom < 1.0 * ln.size
                and prev.x1 - prev.x0 >= 0.75 * (right - left)
            ):
                cur["chars"] = _join(cur["chars"], chars)
            else:
                blocks.append({"kind": "heading", "level": level_of[ln.size], "chars": chars})
            prev = ln
            continue
        cur = blocks[-1] if blocks else None
        new = True
        if cur is not None and cur["kind"] in ("para", "list") and prev is not None and prev.size not in level_of:
            full = prev.x1 >= right - 1.5 * em
            indented = ln.x0 - left >= 0.8 * em
            if cur["kind"] == "list":
                indented = ln.x0 - cur["x0"] >= 0.8 * em  # continuation lines of a bullet hang
            gap = prev.page == ln.page and ln.top - prev.top > 1.45 * pitch
            new = ln.bullet or not full or indented or gap or abs(ln.size - prev.size) >= 0.75
        if new:
            blocks.append({"kind": "list" if ln.bullet else "para", "chars": list(chars), "x0": ln.x0})
        else:
            cur["chars"] = _join(cur["chars"], chars)
        prev = ln

    out = []
    for b in blocks:
        if b["kind"] == "rule":
            out.append("---")
        elif b["kind"] == "table":
            out.append(b["md"])
        elif b["kind"] == "heading":
            text = re.sub(r"\s+", " ", "".join(t for t, _ in b["chars"])).strip()
            if len(text) > 120:  # a long run of large text is body copy, not a heading
                out.append(inline_md(b["chars"]).strip())
            else:
                out.append("#" * b["level"] + " " + text)
        elif b["kind"] == "list":
            out.append("- " + inline_md(b["chars"]).strip())
        else:
            out.append(inline_md(b["chars"]).strip())
    return join_blocks(out)


def _read_pdfplumber(data: bytes) -> tuple:
    """(lines per page, rules+tables per page, page heights, glyph count, unmapped count) by pdfminer."""
    import pdfplumber

    pages, rules, heights, n_chars, n_unmapped = [], [], [], 0, 0
    with pdfplumber.open(BytesIO(data)) as pdf:
        for i, page in enumerate(pdf.pages):
            chars = page.chars
            n_chars += sum(1 for c in chars if (c.get("text") or "").strip())
            n_unmapped += sum(1 for c in chars if _CID.match(c.get("text") or ""))
            tables = _page_tables(page, i)
            boxes = [(t.x0 - 1, t.top - 1, t.x1 + 1, t.bottom + 1) for t in tables]
            pages.append(_page_lines(page, i, boxes))
            heights.append(float(page.height))
            rules.append(_page_rules(page, i, boxes) + tables)
            if hasattr(page, "flush_cache"):
                page.flush_cache()
    return pages, rules, heights, n_chars, n_unmapped


def read_pdf(data: bytes, path: object | None = None, warnings: list[str] | None = None) -> str:
    """Markdown-like text of a PDF with a text layer; scanned PDFs raise ``InputError`` (no OCR)."""
    warnings = warnings if warnings is not None else []
    if b"%%EOF" not in data[-4096:]:
        raise InputError("truncated or damaged PDF (no %EOF end marker)", path)
    try:
        result = _read_pdfplumber(data)
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - pdfminer raises many kinds of errors on bad files
        what = f"{type(err).__name__} {err!r} {getattr(err, 'args', '')!r}"
        if "Password" in what or "Encrypt" in what:
            raise InputError("encrypted PDF (a password is needed to read it)", path) from None
        text = _fallback_text(data, warnings)
        if text:
            return text
        raise InputError(f"truncated or damaged PDF ({type(err).__name__})", path) from None
    pages, rules, heights, n_chars, n_unmapped = result
    if not pages:
        raise InputError("PDF has no pages", path)
    if n_chars == 0 or n_unmapped > 0.5 * n_chars:
        text = _fallback_text(data, warnings)
        if text:
            return text
        raise InputError("PDF (scanned?) has no text layer; it needs OCR, which is out of scope", path)
    if n_unmapped:
        warnings.append(f"{n_unmapped} glyphs without a Unicode mapping were dropped")
    cleaned = drop_masthead_echo(strip_running(pages), heights)
    body = [_insert_rules(lines, r) for lines, r in zip(cleaned, rules)]
    text = lines_to_markdown(body)
    if not text.strip():
        raise InputError("PDF has no text layer beyond headers and page numbers; it needs OCR, which is out of scope", path)
    return text


def _fallback_text(data: bytes, warnings: list[str]) -> str:
    """Plain text by pypdf when pdfminer finds nothing usable (e.g. CID fonts it cannot map in an
    owner-password PDF). No layout: pages are cleaned like ``pdftotext`` output and lines kept."""
    try:
        import pypdf

        reader = pypdf.PdfReader(BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return ""
        pages = [(page.extract_text() or "") for page in reader.pages]
    except Exception:  # noqa: BLE001 - the fallback is best effort
        return ""
    from .text import looks_like_text, strip_text_pages

    text = strip_text_pages("\f".join(pages)) if len(pages) > 1 else pages[0] if pages else ""
    text = re.sub(r"[ \t]+\n", "\n", text).strip()
    if len(re.sub(r"\s+", "", text)) < 2 or not looks_like_text(text):
        return ""
    lines = [ln for ln in text.split("\n") if not is_page_number(ln)]
    warnings.append("PDF text read without layout (pypdf fallback): paragraphs may be split at line ends")
    return "\n".join(lines).strip() + "\n"

"""Plain-text decoding: detect the encoding of a bulletin saved as .txt/.md (never assume UTF-8).

Order: byte-order mark, UTF-16 without BOM (many NUL bytes in one byte lane), strict UTF-8,
strict GB18030 (a superset of GBK/GB2312), UTF-16 without NULs (all-CJK text), then
charset-normalizer. Every candidate must also *look like* text (few control characters,
mostly CJK / ASCII / punctuation); otherwise the input is rejected as binary.
"""

from __future__ import annotations

import codecs
import re
from typing import Iterator

from ..errors import InputError
from ..text import PAGE_NUMBER

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

_CTRL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PLAUSIBLE_SET = (
    "\t\n\r\f\x20-\x7e"
    "\u00a0-\u024f"  # Latin-1 supplement, Latin extended
    "\u0370-\u03ff\u0400-\u04ff"  # Greek, Cyrillic (① symbols, units)
    "\u2000-\u206f\u2100-\u214f\u2150-\u218f\u2190-\u21ff\u2200-\u22ff"  # punctuation, symbols, arrows, maths
    "\u2460-\u24ff\u2500-\u257f\u25a0-\u25ff\u2600-\u26ff"  # enclosed numbers, boxes, shapes
    "\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u32ff"  # CJK punctuation, kana, bopomofo, enclosed
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\ufe30-\ufe4f\uff00-\uffef\ufeff\ufffd"
)
_IMPLAUSIBLE = re.compile(f"[^{_PLAUSIBLE_SET}]")  # counted instead of the plausible ones: few matches
_CJK_SHARE = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def _bom_encoding(data: bytes) -> tuple[str | None, int]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None, 0


def plausibility(text: str) -> float:
    """Share of characters that are ordinary text for a Chinese document (CJK, ASCII, punctuation)."""
    if not text:
        return 1.0
    return (len(text) - len(_IMPLAUSIBLE.findall(text))) / len(text)


def looks_like_text(text: str) -> bool:
    """True when ``text`` has almost no control characters and is mostly ordinary characters."""
    if not text:
        return True
    n = len(text)
    if "\x00" in text or len(_CTRL.findall(text)) > max(1, n // 200):
        return False
    return plausibility(text) >= 0.9


def _utf16_lane_guess(data: bytes) -> str | None:
    """UTF-16 without BOM: NUL bytes concentrated in the odd (LE) or even (BE) positions."""
    if len(data) < 4:
        return None
    sample = data[: 1 << 16]
    sample = sample[: len(sample) - len(sample) % 2]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    # ASCII characters put their NUL in one lane; a few CJK characters (U+4E00 ...) put one in the other
    if odd > 0.03 * half and even <= 0.5 * odd:
        return "utf-16-le"
    if even > 0.03 * half and odd <= 0.5 * even:
        return "utf-16-be"
    return None


def _try(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CJK_SHARE.findall(text)) / len(text)


def _lenient_utf8(data: bytes, warnings: list[str] | None) -> str | None:
    """UTF-8 with a few bad bytes (a truncated last character, a stray byte in a long file).

    Decoding such a file strictly as GB18030 would turn all of it into mojibake, so a handful of
    invalid sequences are replaced instead (with a warning).
    """
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    tail_only = bad == 1 and text.endswith("\ufffd") and len(data) >= 64
    if bad <= 0 or not (tail_only or (len(text) >= 1000 and bad <= 0.001 * len(text))):
        return None
    if warnings is not None:
        warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced by \ufffd")
    return text


def _common_share(text: str, codec: str, lo: int, hi: int) -> float:
    """Share of the CJK characters whose ``codec`` lead byte lies in its common-character block."""
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"][:2000]
    if not cjk:
        return 0.0
    hits = 0
    for ch in cjk:
        try:
            hits += lo <= ch.encode(codec)[0] <= hi
        except UnicodeEncodeError:
            pass
    return hits / len(cjk)


def _gb_or_big5(data: bytes, gb_text: str) -> tuple[str, str]:
    """Big5 bytes also decode as GB18030, into rare characters: keep GB18030 only when its
    characters are the common ones (GB2312 level 1), else prefer a Big5 reading that is."""
    if sum(1 for ch in gb_text if "\u4e00" <= ch <= "\u9fff") < 8:
        return gb_text, "gb18030"
    gb_share = _common_share(gb_text, "gb2312", 0xB0, 0xD7)
    if gb_share >= 0.6:
        return gb_text, "gb18030"
    for enc in ("big5", "big5hkscs"):
        text = _try(data, enc)
        if text is not None and looks_like_text(text) and _common_share(text, "big5", 0xA4, 0xC6) > gb_share:
            return text, enc
    return gb_text, "gb18030"


def _candidates(data: bytes, warnings: list[str] | None) -> Iterator[tuple[str, str]]:
    """(text, encoding) readings of ``data`` in order of preference, each decoded only when the
    ones before it were not taken."""
    enc, skip = _bom_encoding(data)
    if enc:
        text = _try(data[skip:], enc.replace("-sig", ""))
        if text is not None:
            yield text, enc
        return
    lane = _utf16_lane_guess(data)
    if lane and len(data) % 2 == 0:
        text = _try(data, lane)
        if text is not None:
            yield text, lane
    text = _try(data, "utf-8")
    if text is None:
        text = _lenient_utf8(data, warnings)
    if text is not None:
        yield text, "utf-8"
    text = _try(data, "gb18030")
    if text is not None:
        yield text, "gb18030"
    if len(data) % 2 == 0 and b"\x00" not in data:
        # all-CJK UTF-16 has no NULs; accept only when it is overwhelmingly CJK
        for enc in ("utf-16-le", "utf-16-be"):
            text = _try(data, enc)
            if text is not None and _cjk_share(text) > 0.9:
                yield text, enc


def decode_bytes(data: bytes, path: object | None = None, warnings: list[str] | None = None) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text with \\n newlines, encoding name).

    Raises ``InputError`` when no encoding gives something that looks like text.
    """
    for text, enc in _candidates(data, warnings):
        if looks_like_text(text):
            if enc == "gb18030":
                text, enc = _gb_or_big5(data, text)
            return normalise_newlines(text), enc
    # last resort: statistical detection (Big5, Latin-1 ...)
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # noqa: BLE001 - the detector must never crash the reader
        best = None
    if best is not None:
        text = str(best)
        if looks_like_text(text):
            return normalise_newlines(text), best.encoding
    raise InputError("binary or unknown encoding (not readable as text)", path)


def normalise_newlines(text: str) -> str:
    """\\r\\n and \\r (and Unicode line/paragraph separators) become \\n; a leading BOM is dropped."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n\n")


_STRAY_CTRL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def strip_text_pages(text: str, warnings: list[str] | None = None) -> str:
    """Text with form feeds (``pdftotext`` output): drop running headers/footers and page numbers.

    A line among the first or last two non-blank lines of a page is dropped when the same line
    (digits ignored) opens or closes at least half of the pages, or when it is a page number;
    the first page keeps its top lines (there the header text may be the masthead itself).
    Pages are joined with a newline, so a paragraph broken by the page break stays one block.
    """
    from .pdf import is_page_number

    pages = text.split("\f")
    if len(pages) < 2:
        return text
    norm = lambda s: re.sub(r"\d+", "#", re.sub(r"\s+", "", s))  # noqa: E731
    edges = []
    for page in pages:
        idx = [i for i, ln in enumerate(page.split("\n")) if ln.strip()]
        edges.append((idx[:2], idx[-2:]))
    counts: dict = {}
    for page, (head, tail) in zip(pages, edges):
        lines = page.split("\n")
        for key in {("top", norm(lines[i])) for i in head} | {("bot", norm(lines[i])) for i in tail}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    out, dropped = [], 0
    for n, (page, (head, tail)) in enumerate(zip(pages, edges)):
        lines = page.split("\n")
        drop = set()
        for i in head:
            # page one keeps its top lines: there a "running header" may be the masthead itself
            if (n and counts.get(("top", norm(lines[i])), 0) >= need) or is_page_number(lines[i]):
                drop.add(i)
        for i in tail:
            if counts.get(("bot", norm(lines[i])), 0) >= need or is_page_number(lines[i]):
                drop.add(i)
        dropped += len(drop)
        out.append("\n".join(ln for i, ln in enumerate(lines) if i not in drop).strip("\n"))
    if dropped and warnings is not None:
        warnings.append(f"removed {dropped} running header/footer or page-number line(s) at page breaks")
    return "\n".join(p for p in out if p.strip()) + "\n"


# the East Asian wide and full-width blocks (Unicode's W and F widths, by range)
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def _width(line: str) -> int:
    """Display width (a wide CJK character counts two columns), as a fixed-width layout sets it."""
    return len(line) + len(_WIDE.findall(line))


def _indent(line: str) -> int:
    return _width(line[: len(line) - len(line.lstrip(" \u3000"))])


# a line that opens a field (送：…, 联系人：…): never the continuation of the line before
_FIELD_START = re.compile(r"^[\u4e00-\u9fff]{1,4}\s*[:：]")


def unwrap_hard_lines(text: str, warnings: list[str] | None = None) -> str:
    """Text laid out at a fixed width (``pdftotext -layout``, plain-text exports): paragraphs are
    broken into lines of about the same width, and a new paragraph is indented. Join each full line
    with the unindented line after it; text that is not laid out this way is returned as it is.

    Laid out means: at least 6 and a quarter of the non-blank lines end within a few columns of the
    common full width (the 90th percentile, at least 40 columns), and hardly any line is longer."""
    lines = text.split("\n")
    n_filled = sum(1 for ln in lines if ln.strip())
    if n_filled < 12 or sum(len(ln) > 100 for ln in lines) > n_filled // 20:
        return text  # lines of over 100 characters: paragraphs are lines, nothing is laid out
    widths = [_width(ln.rstrip()) for ln in lines]
    filled = sorted(w for ln, w in zip(lines, widths) if ln.strip())
    full_w = filled[int(0.9 * (len(filled) - 1))]
    slack = max(6, full_w // 10)
    n_full = sum(w >= full_w - slack for w in filled)
    if full_w < 40 or n_full < max(6, len(filled) // 4) or sum(w > full_w + 4 for w in filled) > len(filled) // 20:
        return text
    # a short line that recurs (digits aside) is a running page header or footer: never a continuation
    norm = [re.sub(r"\d+", "#", re.sub(r"\s+", "", ln)) for ln in lines]
    seen: dict[str, int] = {}
    for k in norm:
        seen[k] = seen.get(k, 0) + 1
    out: list[str] = []
    joined = 0
    cont = False  # the last output line ends with a full line: an unindented line continues it
    for ln, w, k in zip(lines, widths, norm):
        if PAGE_NUMBER.fullmatch(ln.strip()):
            continue  # a page number between a line and its continuation
        if (cont and ln.strip() and _indent(ln) < 2 and not ln.lstrip().startswith(("#", "|", "-", "*"))
                and not _FIELD_START.match(ln.strip()) and not (seen[k] > 1 and len(k) <= 30)):
            out[-1] = out[-1].rstrip() + ln.strip()
            joined += 1
        elif cont and not ln.strip():
            continue  # a blank line between a full line and its continuation (a page break)
        else:
            out.append(ln)
        cont = bool(ln.strip()) and w >= full_w - slack
    if joined and warnings is not None:
        warnings.append(f"joined {joined} line(s) of text laid out at a fixed width")
    return "\n".join(out)


def read_text(data: bytes, path: object | None = None, warnings: list[str] | None = None) -> tuple[str, str]:
    """Decode a .txt/.md file; it is already Markdown-like text, so it is returned nearly as it is:
    stray control characters are dropped, and form-feed pages lose their running headers."""
    text, enc = decode_bytes(data, path, warnings)
    if "\f" in text:
        text = strip_text_pages(text, warnings)
    return _STRAY_CTRL.sub("", text), enc

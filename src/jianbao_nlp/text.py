"""Text normalisation shared by the parser and the components.

The rules follow the annotation guidelines: Markdown markers removed, stray spaces that PDF
conversion put next to Chinese characters removed (``1250 家`` -> ``1250家``), paragraphs split by
page breaks joined.
"""

from __future__ import annotations

import re
import unicodedata

#: A paragraph ending in one of these ends a sentence; otherwise it was split by a page break.
SENTENCE_FINAL = "。！？；”」』）…!?;:：】)"

_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
# a run of spaces with a CJK character (or CJK punctuation) on at least one side
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \u00a0\u3000]+|[ \u00a0\u3000]+(?=[{_CJK}])")
# spaces between a number (or %) and CJK are covered above; spaces inside numbers: "28. 33"
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)[ \u00a0]+(?=[.%．])|(?<=[.．])[ \u00a0]+(?=\d)")
_MD_BOLD = re.compile(r"\*\*|__")
_MULTI_SPACE = re.compile(r"[ \u00a0\u3000]{2,}")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def strip_invisible(text: str) -> str:
    """Drop zero-width characters and soft hyphens; normalise NBSP and ideographic spaces."""
    return _ZERO_WIDTH.sub("", text)


def squash_cjk_spaces(text: str) -> str:
    """Remove spaces next to Chinese characters; collapse other runs of spaces to one."""
    if " " not in text and "\u00a0" not in text and "\u3000" not in text:
        return text.strip()  # nothing for the three patterns to match (most lines of Chinese text)
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _SPACE_IN_NUMBER.sub("", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def strip_markdown(text: str) -> str:
    """Remove bold markers and stray leading heading hashes."""
    text = _MD_BOLD.sub("", text)
    return re.sub(r"^\s*#{1,6}\s*", "", text)


def clean_inline(text: str) -> str:
    """One line of title or body text, cleaned as the guidelines say."""
    return squash_cjk_spaces(strip_markdown(strip_invisible(text)))


def ends_sentence(text: str) -> bool:
    t = text.rstrip()
    return bool(t) and t[-1] in SENTENCE_FINAL


def join_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Join a paragraph that does not end a sentence to the next one (a page-break split)."""
    out: list[str] = []
    for para in paragraphs:
        para = para.strip()
        if not para:
            continue
        if out and not ends_sentence(out[-1]):
            out[-1] = out[-1] + para
        else:
            out.append(para)
    return out


def squash(text: str | None) -> str:
    """All white space removed (for comparisons)."""
    return re.sub(r"\s+", "", text or "")


def cjk_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_CJK_CHAR.findall(text)) / len(text)


def nfkc_digits(text: str) -> str:
    """Full-width digits and letters to ASCII (for number parsing only; bodies keep their form)."""
    return unicodedata.normalize("NFKC", text)


_CN_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}


def parse_int(text: str) -> int | None:
    """Parse an Arabic (half or full width) or simple Chinese numeral (一…九十九, 〇-digit years)."""
    t = nfkc_digits(text).strip()
    if t.isdigit():
        return int(t)
    if not t or any(c not in _CN_NUM and c not in "十百" for c in t):
        return None
    if "十" not in t and "百" not in t:  # digit by digit: 二〇二一
        return int("".join(str(_CN_NUM[c]) for c in t))
    total, num = 0, 0
    for c in t:
        if c in _CN_NUM:
            num = _CN_NUM[c]
        elif c == "十":
            total += (num or 1) * 10
            num = 0
        elif c == "百":
            total += (num or 1) * 100
            num = 0
    return total + num

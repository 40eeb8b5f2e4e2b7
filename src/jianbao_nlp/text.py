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


# a PDF's page number on a line of its own: "— 2 —", "- 3 -", "·4·", "第 5 页", "第5页/共8页"
PAGE_NUMBER = re.compile(r"[—－–\-·•]+\s*[0-9０-９]{1,3}\s*[—－–\-·•]+|第\s*[0-9０-９]{1,3}\s*页(?:\s*[/，,]?\s*共\s*[0-9０-９]{1,3}\s*页)?")


# the heads of an editors' note (编者按：…), which says why an item is printed, not what happened
EDITOR_NOTE_WORDS = "编者按|编者的话|编者注|按语"


# a web page's controls around an article
WEB_CHROME = re.compile(r"^(?:(?:[【\[][^【】\[\]]{0,6}(?:打印|关闭|收藏|字号|返回|分享|窗口|下载|纠错|[大中小])"
                        r"[^【】\[\]]{0,6}[】\]]\s*)+|分享到[:：].*|扫一扫.{0,20}|上一篇[:：].*|下一篇[:：].*|"
                        r"字号[:：].{0,10}|返回顶部|打印本页|关闭窗口|\[\s*打印\s*\].*|\[\s*关闭\s*\].*)$")
# fields of a web page's meta line: 发布时间：2024-03-15　来源：市机关事务管理局　浏览次数：356
_META_KEYS = ("发布时间", "发布日期", "发文日期", "时间", "日期", "来源", "文章来源", "信息来源", "作者", "撰稿", "供稿",
              "浏览次数", "点击数", "阅读次数", "访问量", "字号", "编辑", "责任编辑", "审核", "摄影")
_META_FIELD = re.compile(r"(" + "|".join(sorted(_META_KEYS, key=len, reverse=True)) + r")\s*[:：]\s*")


def meta_fields(raw: str) -> dict | None:
    """The fields of a line made only of "key：value" pairs from a web page's meta line, or None."""
    text = clean_inline(raw) if "**" in raw else raw.strip()
    starts = list(_META_FIELD.finditer(text))
    if not starts or starts[0].start() != 0:
        return None
    out = {}
    for m, nxt in zip(starts, starts[1:] + [None]):
        value = text[m.end(): nxt.start() if nxt else len(text)].strip(" \u3000|｜")
        if len(value) > 40:
            return None
        out[m.group(1)] = value
    return out if (len(out) >= 2 or next(iter(out)) not in ("编辑", "责任编辑", "审核", "供稿", "时间", "日期")) else None


# -- what PDF/Word-to-Markdown converters (marker, MinerU, pandoc, docling) leave in the text ------
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_HTML_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_HTML_ROW = re.compile(r"<tr\b.*?</tr>", re.S | re.I)
_HTML_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S | re.I)
_HTML_SUP = re.compile(r"<sup\b[^>]*>.*?</sup>", re.S | re.I)
_HTML_BR = re.compile(r"<br\s*/?>", re.I)
_HTML_TAG = re.compile(r"</?(?:span|font|div|p|a|u|i|em|strong|b|sub|small|big|center|section|article)\b[^>]*>", re.I)
_PANDOC_SPAN = re.compile(r"\[([^\]\n]+)\]\{[^}\n]*\}")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"'])")
_HARD_BREAK = re.compile(r"(?<!\\)\\$", re.M)
_MD_ITALIC = re.compile(r"(?<![*A-Za-z0-9])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*A-Za-z0-9])")
_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$", re.M)
_MATH = re.compile(r"\$([^$\n]{1,60})\$")


def _math(m: re.Match) -> str:
    """Inline LaTeX a converter made of a number, unit or footnote mark ($1 2 . 5 \\%$, $1 8 ^ { \\circ } C$)."""
    t = m.group(1)
    t = re.sub(r"\\(?:mathrm|text|mathbf|rm)\s*\{([^{}]*)\}", r"\1", t)
    t = re.sub(r"\^\s*\{\s*\\circ\s*\}", "°", t)
    if re.fullmatch(r"\s*\^\s*\{?\s*[0-9*]+\s*\}?\s*", t):
        return ""  # a footnote mark
    t = re.sub(r"\^\s*\{\s*([0-9]+)\s*\}", "", t)
    t = t.replace("\\%", "%").replace("\\times", "×").replace("\\sim", "～").replace("\\cdot", "·")
    t = t.replace("\\leq", "≤").replace("\\geq", "≥").replace("\\le", "≤").replace("\\ge", "≥")
    t = re.sub(r"\s+", "", t)
    return t if not re.search(r"[\\{}^_]", t) else m.group(0)


def clean_converter_markup(text: str) -> str:
    """Undo what PDF/Word-to-Markdown converters add around a bulletin's text: image placeholders and
    HTML comments go, HTML tables become Markdown table rows, <br> breaks lines (inside a heading it
    joins them), footnote marks (<sup>) go, other inline tags are unwrapped and entities decoded,
    Markdown escapes and pandoc's hard breaks and attribute spans are undone, single-asterisk
    italics lose their marks, grid-table borders go, and inline LaTeX numbers read as text."""
    import html

    if not any(c in text for c in "<&!\\[*$+"):
        return text
    text = _HTML_COMMENT.sub("", text)
    text = _MD_IMAGE.sub("", text)
    text = _HTML_TABLE.sub(lambda t: "\n".join(
        "| " + " | ".join(re.sub(r"<[^>]+>", "", c).strip() for c in _HTML_CELL.findall(r)) + " |"
        for r in _HTML_ROW.findall(t.group(0))) + "\n", text)
    text = _HTML_SUP.sub("", text)
    text = "\n".join(_HTML_BR.sub("", ln) if ln.lstrip().startswith("#") else _HTML_BR.sub("\n", ln)
                     for ln in text.split("\n"))
    text = _HTML_TAG.sub("", text)
    text = _PANDOC_SPAN.sub(r"\1", text)
    text = _HARD_BREAK.sub("", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    text = _MD_ITALIC.sub(r"\1", text)
    text = _GRID_RULE.sub("", text)
    text = _MATH.sub(_math, text)
    if "&" in text:
        text = html.unescape(text).replace("\xa0", " ")
    return text


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

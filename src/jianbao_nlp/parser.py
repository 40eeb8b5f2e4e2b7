"""Bulletin parser: Markdown-like text (from any reader) -> ``Issue``.

A bulletin is read as a list of line blocks and split into zones: the cover (publication,
年第N期, 总第M期, issuer, date), the 本期提要 list (grouped by section), the body (sections and
articles, either heading articles or run-in items whose bold or 【】 head is the title), and the
footer (公开选项, 主送, 抄送, 印发 line, copies). Conversion damage is repaired on the way:
paragraphs split by page breaks, stray spaces next to Chinese characters, inconsistent heading
levels, bold markers inside headings, titles broken over two heading lines.
"""

from __future__ import annotations

import copy
import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import InputError
from .model import Article, Issue, IssueMeta
from .readers.text import unwrap_hard_lines
from .text import (
    EDITOR_NOTE_WORDS, PAGE_NUMBER, WEB_CHROME, clean_converter_markup, clean_inline, ends_sentence,
    join_broken_paragraphs, meta_fields, parse_int, squash, strip_invisible,
)

# --------------------------------------------------------------------------------------------
# vocabularies
TOC_HEADINGS = re.compile(r"^(本期提要|本期要目|本期目录|目\s*录|要\s*目|内容提要|本期导读|导\s*读|提\s*要)$")
KNOWN_SECTIONS = {
    "省局动态", "基层动态", "工作动态", "经验交流", "信息快递", "领导讲话", "市县动态", "部门动态", "地方动态",
    "市州动态", "区县动态", "县区动态", "本局动态", "局内动态", "机关动态", "系统动态", "各地动态", "要闻",
    "要闻速递", "工作交流", "典型经验", "调查研究", "理论研究", "他山之石", "图片新闻", "领导活动", "重要会议",
    "政策法规", "学习园地", "党建工作", "简讯", "综合信息", "专题报道", "工作信息", "工作简讯", "基层信息",
    "经验做法", "特别关注", "专题", "综合", "来信来稿", "信息集萃", "工作部署", "上级精神", "领导批示",
}
SECTION_SUFFIX = re.compile(
    r"(动态|交流|快递|快讯|讲话|信息|简讯|要闻|专栏|之窗|视点|聚焦|传真|风采|调研|综述|经验|研究|园地|论坛|播报|"
    r"速递|纵横|一线|要情|专题|集萃|做法|活动|精神|批示|之石|新闻|部署|关注)$")
SECTION_MARKS = "■□◆◇●○◎★☆▲△▶►▪◉▌▍"   # decorations before a section name: ■ 工作动态
SECTION_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}\s*[、.．])\s*")
POINT_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|"
                          r"\d+[、.．]|第[一二三四五六七八九十]+[，,、]|首先|其次|再次|最后|此外|同时)")
PUBLICATION_WORDS = re.compile(r"(简报|简讯|信息|动态|通讯|快报|专报|情况反映|要情|工作通报|参阅|内参|通报)$")
ORG_SUFFIX = re.compile(r"(局|厅|委|办|办公室|委员会|中心|政府|部|署|院|处|所|站|党组|管理局|服务中心)$")
ISSUE_NO = re.compile(r"([0-9０-９]{4}|[〇零一二三四五六七八九]{4})\s*年\s*第\s*([0-9０-９]+|[一二三四五六七八九十百〇零两]+)\s*期")
# "第 5 期" on a line of its own (the year is in the date): an issue number without a year
ISSUE_NO_ALONE = re.compile(r"(?:^|(?<=[\s|]))第\s*([0-9０-９]{1,3}|[一二三四五六七八九十百〇零两]{1,4})\s*期"
                            r"(?=$|\s|[（(]\s*总|\|)")
TOTAL_NO = re.compile(r"总\s*第\s*([0-9０-９]+|[一二三四五六七八九十百〇零两]+)\s*期")
DATE = re.compile(r"([0-9０-９]{4}|[〇零一二三四五六七八九]{4})\s*年\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
                  r"([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日")
COPIES = re.compile(r"[（(]?\s*共\s*印\s*([0-9０-９]+)\s*份\s*[)）]?")
_FOOTER_HEADS = r"信息公开选项|公开选项|公开属性|公开方式|主\s*送|抄\s*送|抄\s*报|分\s*送|报\s*送|发\s*送|"
FOOTER_START = re.compile(r"^\s*(" + _FOOTER_HEADS + r"报\s*[:：]|送\s*[:：]|发\s*[:：])\s*[:：]?")
# colophon fields (责任编辑：…  审核：…): the footer's start when they come in the document's back half
COLOPHON_START = re.compile(r"^\s*(?:责任编辑|编\s*辑|审\s*核|审\s*签|签\s*发|校\s*对)\s*[:：]")
FOOTER_FIELD = re.compile(r"^\s*(" + _FOOTER_HEADS + r"报|送|发|"
                          r"责任编辑|编\s*辑|审\s*核|签\s*发|校\s*对|联系电话|联\s*系\s*人|电\s*话)\s*[:：]\s*(.*)$")
ISSUER_LABEL = re.compile(r"^(?:主\s*办|主办单位|编\s*印|编印单位|编\s*发|编)\s*[:：]\s*")
PRINT_LINE = re.compile(r"(印\s*发|编\s*印|印\s*制)\s*$")
# a unit's name in a credit: 市机关事务管理局节能科, 局机关党委 (not the 办 of 办公区)
_UNIT = r"[^（）()\s，。,.；;：:]{2,24}(?:局|厅|委|办(?!公)|办公室|中心|处|科|室|所|站|院|组|部|队)"
_AUTHOR = r"(?:\s*[\u4e00-\u9fff]{2,3}(?:\s+[\u4e00-\u9fff]{2,3})*)?"  # the writer's name after the unit
# a credit closing the last paragraph: …转型。（市机关事务管理局节能科供稿）, …10名。（浏阳市X中心）
CONTRIB_INLINE = re.compile(r"(?<=[。！？”])\s*[（(]\s*(?:(?:供稿|供稿单位|来源|稿源)[:：]\s*([^（）()]{2,30})|"
                            r"([^（）()]{2,30}?)\s*供稿|(" + _UNIT + r"))\s*[)）]\s*$")
# a credit line without brackets: 供稿：节能处
CONTRIB_LABELLED = re.compile(r"^(?:供稿|供稿单位|来源|稿源)\s*[:：]\s*([^（）()，。,.；;]{2,30})$")
CONTRIB_TAIL_STRICT = re.compile(r"^[（(]\s*(?:(?:供稿|供稿单位|来源|稿源|报送单位)[:：]\s*([^（）()]{2,30})|"
                                 r"([^（）()]{2,30}?)\s*(?:供稿|报送)|"
                                 # a unit's name alone or with its writer: （省局办公室）, （局机关党委　张晓燕）
                                 r"(" + _UNIT + r")" + _AUTHOR + r")"
                                 r"\s*[)）]$")
CAPTION = re.compile(r"^(?:[▲△▼]|图为|图：|图:|（图|\(图|图片：)")  # a photo's caption line
SUBHEAD_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])\s*")
EDITOR_NOTE = re.compile(rf"^[【\[]?(?:{EDITOR_NOTE_WORDS})[】\]]?\s*[:：]?\s*$")
CLASSIFICATION = re.compile(r"^(内部资料|注意保存|内部刊物|秘密|机密|绝密|[★☆]|仅供参考|领导参阅|此件.*)")
BULLET = re.compile(r"^\s*(?:[-*+•●◆◇■□★☆·▪►]\s*|\d{1,2}\s*[.、．]\s*|[（(]\d{1,2}[)）]\s*)")


@dataclass
class Block:
    """One non-blank line of the input with its Markdown role."""

    kind: str  # heading | para | item | rule | table
    text: str  # raw text without the heading hashes / bullet marker
    level: int = 0
    gap: int = 0  # blank lines before it
    line: int = 0


@dataclass
class _Draft:
    title: str | None = None
    contributor: str | None = None
    section: str | None = None
    paras: list[str] = field(default_factory=list)
    style: str = "heading"  # heading | runin | untitled
    subtitle: str | None = None
    bold_line: bool = False  # the title is a bold line of its own
    meta: dict = field(default_factory=dict)  # a web page's 发布时间/来源/作者 line under the title


# --------------------------------------------------------------------------------------------
# tokenising

def to_blocks(text: str) -> list[Block]:
    """Split text into line blocks; each non-blank line is one block (a PDF paragraph is one line)."""
    blocks: list[Block] = []
    gap = 0
    for n, raw in enumerate(strip_invisible(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        line = raw.replace("\t", " ").strip()
        if not line:
            gap += 1
            continue
        if PAGE_NUMBER.fullmatch(line):
            gap += 1  # a PDF's page number ("— 2 —", "- 3 -", "第 4 页"): a page break, no text
            continue
        m = re.match(r"^(#{1,6})\s*(.*?)\s*#*$", line)
        if m and m.group(2):
            blocks.append(Block("heading", m.group(2), len(m.group(1)), gap, n))
        elif re.fullmatch(r"(-\s*){3,}|(\*\s*){3,}|(_\s*){3,}|={3,}|[─━—＿﹍﹎＝═\s]{6,}", line):
            blocks.append(Block("rule", "", 0, gap, n))
        elif line.startswith("|") and line.endswith("|"):
            if not re.fullmatch(r"\|[\s:|-]+\|", line):
                cells = [c.strip() for c in line.strip("|").split("|")]
                blocks.append(Block("table", "\t".join(c for c in cells if c), 0, gap, n))
        elif line[:1] in SECTION_MARKS and section_name(line, set()):
            blocks.append(Block("para", line, 0, gap, n))  # "■ 工作动态": a section line, not a list item
        elif re.match(r"^[-*+•●◆◇■□▪►]\s+", line):
            blocks.append(Block("item", re.sub(r"^[-*+•●◆◇■□▪►]\s+", "", line), 0, gap, n))
        else:
            blocks.append(Block("para", line, 0, gap, n))
        gap = 0
    return blocks


@functools.lru_cache(maxsize=1024)
def _plain(text: str) -> str:
    """``clean_inline`` of a block's text, which the section, unit, run-in and footer tests each
    ask for (a block's text is cleaned about eight times in one parse)."""
    return clean_inline(text)


def section_name(text: str, known: set[str]) -> str | None:
    """The section name a heading or line stands for, or None when it is not a section."""
    t = _plain(text)
    if WEB_CHROME.match(t):
        return None  # 【打印本页】
    t = SECTION_NUMBER.sub("", t)
    bracketed = bool(re.fullmatch(r"[" + SECTION_MARKS + r"]?\s*(?:【[^【】]{2,12}】|〖[^〖〗]{2,12}〗)", t))
    t = t.strip("【】[]〖〗 " + SECTION_MARKS)
    t = re.sub(r"\s+", "", t)
    if not t or len(t) > 12 or ends_sentence(t) or re.search(r"[，,。：:；;“”\"《》]", t):
        return None
    if t in known or t in KNOWN_SECTIONS or bracketed:  # 【服务保障】: a section, whatever its name
        return t
    if len(re.sub(r"[（(][^）)]{1,6}[）)]", "", t)) <= 6 and SECTION_SUFFIX.search(t):
        return t  # 基层动态, 区县（市）动态
    return None


def _bold_prefix(text: str) -> tuple[str, str] | None:
    """Split ``**head**rest`` into (head, rest); None when the paragraph does not start bold."""
    m = re.match(r"^\s*\*\*(.+?)\*\*\s*(.*)$", text)
    if not m:
        return None
    head, rest = m.group(1), m.group(2)
    if rest.startswith("**"):  # several bold runs: "**a****b**" -> treat the joined run as head
        m2 = re.match(r"^((?:\*\*.+?\*\*)+)\s*(.*)$", text.strip())
        if m2:
            head, rest = m2.group(1).replace("**", ""), m2.group(2)
    return head, rest


def _bracket_prefix(text: str) -> tuple[str, str] | None:
    m = re.match(r"^\s*[【〖]([^】〗]{2,60})[】〗]\s*(.*)$", text)
    return (m.group(1), m.group(2)) if m else None


def _title_text(text: str) -> str:
    t = clean_inline(text)
    m = re.fullmatch(r"[【〖\[](.+)[】〗\]]", t)
    if m and not re.search(r"[【】〖〗]", m.group(1)):
        t = m.group(1).strip()
    return t.rstrip("。．. ")


UNIT_SUFFIXES = ("机关事务管理局", "机关事务服务中心", "机关事务中心", "机关事务局", "事务管理局", "服务中心", "管理局",
                 "办公室", "事务局", "局", "厅", "中心", "办")
_VERBISH = re.compile(r"[抓推召出开展强加举组做落完实建践措优提深全进行创促搞办理抓好在对与和及为把将从向于]")


def unit_of(title: str) -> str | None:
    """The unit a run-in head names at its start (襄阳局, 绵阳市机关事务管理局...), or None."""
    t = _plain(title)
    for end in range(2, min(len(t), 16) + 1):
        head = t[:end]
        suffix = next((s for s in UNIT_SUFFIXES if head.endswith(s)), None)
        # 局/厅/办 need a two-character name before them (not 该局); 机关事务管理局 can follow 省/市/县
        if suffix is None or end - len(suffix) < (2 if len(suffix) <= 2 else 1):
            continue
        if suffix == "办" and t[end:end + 2] == "公室":  # 市委办 -> 市委办公室
            head, suffix = t[:end + 2], "办公室"
        elif suffix == "办" and t[end:end + 1] == "公":  # 集中办公区, 办公用房: no unit
            continue
        prefix = head[: len(head) - len(suffix)]
        if POINT_MARKER.match(head) or not re.fullmatch(r"[\u4e00-\u9fff]+", head):
            return None
        if _VERBISH.search(prefix) and _VERBISH.search(prefix[_place_length(prefix):]):
            return None  # a verb before the suffix (召开…局): no unit; a place name may hold one (深圳, 开封)
        return head
    return None


def _title_unit(title: str) -> str | None:
    """The unit a heading title starts with, held to a stricter test than a run-in head: a full agency
    suffix (…管理局, …服务中心, …办公室), or a short one after a place name (宜昌局, 渝北区中心);
    not 关注叙利亚局(势), 鼓励社会办(医)."""
    unit = unit_of(title)
    if unit is None:
        return None
    suffix = next(s for s in UNIT_SUFFIXES if unit.endswith(s))
    if len(suffix) >= 3:
        return unit
    n = _place_length(unit)
    return unit if n and n == len(unit) - len(suffix) else None


def _place_length(text: str) -> int:
    """Length of the administrative division name ``text`` starts with (深圳市, 和平区, 开封), or 0."""
    from .components.ner.gazetteer import load_gazetteer

    g = load_gazetteer()
    return next((n for n in range(min(len(text), 10), 1, -1) if g.is_loc(text[:n])), 0)


def _issuer_core(text: str) -> str:
    """An issuer line without its role words: "主办：X局", "X局编印" -> "X局"."""
    return ISSUER_LABEL.sub("", re.sub(r"\s*(编印|主办|编|印发)$", "", text))


def _running_header(publication: str | None, issuer: str | None = None) -> "re.Pattern[str] | None":
    """A line that is the publication's name alone or with its issue number or date (and perhaps the
    issuer before it): the header a PDF repeats at each page top (matched against the squashed line)."""
    name = squash(publication or "")
    if len(name) < 4:
        return None
    num = r"[0-9０-９〇零一二三四五六七八九十百两]+"
    extra = rf"(?:{num}年)?(?:第{num}期)?(?:[（(]?总第{num}期[)）]?)?(?:{num}年{num}月{num}日)?"
    who = squash(_issuer_core(issuer or "")).removesuffix("办公室")
    prefix = f"(?:{re.escape(who)})?" if len(who) >= 4 and not name.startswith(who) else ""
    return re.compile(prefix + re.escape(name) + extra)


def _credited(m: re.Match) -> str:
    """The unit a credit pattern (CONTRIB_*) matched: whichever of its alternatives took part."""
    return next(g for g in m.groups() if g).strip()


def _untitled_key(article: Article) -> str:
    """What an untitled item's 提要 line is compared with: its unit, then its first sentence."""
    first = squash(re.split(r"[。；;！？]", article.body, maxsplit=1)[0])
    unit = squash(article.contributor or "")
    return ((unit if unit and not first.startswith(unit) else "") + DATE_LEAD.sub("", first))[:40]


DATE_LEAD = re.compile(r"^(?:近日|日前|近期|今年以来|[0-9]{1,2}月(?:[0-9]{1,2}日|上旬|中旬|下旬)?)[，,]?")


def _join_paragraphs(raws: list[str], page_breaks: bool = True) -> list[str]:
    """An article's paragraphs, cleaned, with those a page break split joined again (``page_breaks``);
    a bold line of its own (a sub-heading: **一、健全标准体系**), a table row and a photo caption
    (▲…, 图为…) stay paragraphs of their own."""
    out: list[str] = []
    run: list[str] = []
    for raw in raws:
        r = raw.strip()
        if not page_breaks or "\t" in r or CAPTION.match(r) or (
                r.startswith("**") and r.endswith("**") and "**" not in r[2:-2] and len(r) > 4):
            out += join_broken_paragraphs(run)
            run = []
            cell = clean_inline(r) if "\t" not in r else " | ".join(clean_inline(c) for c in r.split("\t"))
            if cell:
                out.append(cell)
        else:
            run.append(clean_inline(raw))
    return out + join_broken_paragraphs(run)


def _own_unit(unit: str, issuer: str | None) -> bool:
    """Whether ``unit`` (省机关事务管理局, 省局) is the issuing bureau itself, not a submitting unit.
    With no issuer known, a unit named by its level alone (省机关事务管理局, 市局) is taken as the issuer."""
    m = re.fullmatch(r"(省|市|县|区|州|自治区|自治州|盟|旗)(局|机关事务管理局|机关事务服务中心|机关事务中心|机关事务局)", unit)
    if not issuer:
        return bool(m)
    core = re.sub(r"(办公室|综合处|秘书处)$", "", issuer)
    if unit in core:
        return True
    return bool(m) and core.endswith(tuple(m.group(1) + s for s in ("机关事务管理局", "机关事务服务中心", "机关事务中心",
                                                                     "机关事务局")))


_ORG_END = "厅局委办室部院会府心"  # last characters of organisations' names (市委办公厅, 市政府)


def split_list(text: str) -> list[str]:
    """Split a recipients line on ，、；。 outside brackets (and on a space between two names that
    each end like an organisation: 市委办公厅 市政府办公厅)."""
    text = re.sub(rf"(?<=[{_ORG_END}])[ \u3000]+(?=[\u4e00-\u9fff])", "、", text.strip())
    out, cur, depth = [], [], 0
    for ch in text:
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "，,、；;。":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    items = [s for s in (clean_inline(x).strip() for x in out) if s]
    # 各市、州、县机关事务管理部门: bare level words belong to the name that follows them
    merged: list[str] = []
    open_name = False  # the last item has no organisation's ending: it shares the next one's
    for item in items:
        if open_name:
            merged[-1] = merged[-1] + "、" + item
        else:
            merged.append(item)
        open_name = bool(_LEVELS_ONLY.fullmatch(item) or _SHARES_ENDING.fullmatch(item))
    return merged


# 各设区市、平潭综合实验区机关事务管理部门; 杨凌示范区、韩城市机关事务管理局
_SHARES_ENDING = re.compile(r"各?[\u4e00-\u9fff]{1,8}(?:市|县|区|州|盟|旗|示范区|新区|实验区|开发区|高新区)")
_LEVELS_ONLY = re.compile(r"各?(?:[省市州县区盟旗乡镇]|直管市|直辖县|省直管县){1,2}")


def _date(m: re.Match) -> str | None:
    y, mo, d = (parse_int(g) for g in m.groups())
    if not y or not mo or not d or not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2200):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


# --------------------------------------------------------------------------------------------
# the parser

_FIRST_SENTENCE = re.compile(r"^(.{4,60}?[。！？])(.*)$", re.S)


def _first_sentence(raw: str) -> tuple[str, str] | None:
    m = _FIRST_SENTENCE.match(raw.strip())
    return (m.group(1), m.group(2).strip()) if m and m.group(2).strip() else None


def _runin_by_shape(raw: str, after_runin: bool = False) -> tuple[str, str] | None:
    """A run-in item whose bold was lost: a short first sentence naming a unit, then 一是… points
    (after another run-in item, the points need not start with 一是)."""
    split = _first_sentence(_plain(raw))
    if not split:
        return None
    head, rest = split
    if len(head) > 45 or not unit_of(head) or POINT_MARKER.match(head):
        return None
    if not POINT_MARKER.match(rest) and not (after_runin and len(head) <= 40):
        return None
    return head, rest


def _matcher(b: str) -> difflib.SequenceMatcher:
    """A matcher with ``b`` fixed (``set_seq1`` then varies ``a``), as ``SequenceMatcher(a=…, b=b)``."""
    sm = difflib.SequenceMatcher(autojunk=False)
    sm.set_seq2(b)
    return sm


class _Anchors:
    """The printed 本期提要 lines, used to recognise titles that carry no mark-up."""

    def __init__(self, lines: list[str]):
        self.keys = [self._key(x) for x in lines if self._key(x)]
        # one matcher per printed line (difflib indexes its second sequence once)
        self._matchers = [_matcher(k) for k in self.keys]

    @staticmethod
    def _key(text: str) -> str:
        return re.sub(r"[\s，,。．.、：:]", "", _plain(text))

    def _take(self, text: str, threshold: float = 0.8) -> bool:
        """Does ``text`` match an unused printed line? A match uses the line up."""
        key = self._key(text)
        if not key or not self.keys:
            return False
        best, i = -1.0, -1
        for j, sm in enumerate(self._matchers):
            sm.set_seq1(key)
            floor = max(best, threshold)  # a line whose upper bound is below this cannot win
            if sm.real_quick_ratio() < floor or sm.quick_ratio() < floor:
                continue
            r = sm.ratio()
            if (r, j) > (best, i):
                best, i = r, j
        if best < threshold:
            return False
        del self.keys[i]
        del self._matchers[i]
        return True

    def whole(self, text: str) -> bool:
        return bool(self.keys) and len(text) <= 90 and not text.endswith(("。", "；")) and self._take(text)

    def runin(self, raw: str) -> tuple[str, str] | None:
        split = _first_sentence(_plain(raw)) if self.keys else None
        return split if split and self._take(split[0]) else None


class BulletinParser:
    """Stateless parser; ``parse(text)`` returns an ``Issue`` (no articles -> InputError)."""

    def __init__(self, min_body_chars: int = 1):
        self.min_body_chars = min_body_chars

    # -- entry points ------------------------------------------------------------------------
    def parse(self, text: str, issue_id: str | None = None, source: dict | None = None,
              path: object | None = None, page_breaks: bool = True) -> Issue:
        if not isinstance(text, str):
            raise InputError("expected text", path)
        notes: list[str] = []
        blocks = to_blocks(unwrap_hard_lines(clean_converter_markup(text), notes))
        if not blocks:
            raise InputError("no text found (empty document)", path)
        issue = Issue(id=issue_id or "issue", source=source)
        issue.warnings.extend(notes)
        self._parse_blocks(blocks, issue, page_breaks)
        if not issue.articles:
            raise InputError("no articles found: the text has no bulletin body", path)
        if not issue.extra.get("warnings"):
            issue.extra.pop("warnings", None)
        return issue

    # -- zones -------------------------------------------------------------------------------
    def _parse_blocks(self, blocks: list[Block], issue: Issue, page_breaks: bool = True) -> None:
        meta = issue.issue
        warnings = issue.warnings
        markdown = any(b.kind == "heading" for b in blocks) or any("**" in b.text for b in blocks)
        toc_at = next((i for i, b in enumerate(blocks) if TOC_HEADINGS.match(re.sub(r"[\s*#【】]", "", b.text))
                       and len(b.text) <= 12), None)
        footer_at = self._footer_start(blocks, toc_at)
        cover_end = self._parse_cover(blocks, meta, toc_at, footer_at, markdown)

        toc: list[tuple[str | None, str]] = []
        body_start = cover_end
        if toc_at is not None and toc_at >= cover_end:
            toc, body_start = self._parse_toc(blocks, toc_at, footer_at, markdown)
        elif toc_at is not None:  # 提要 inside what looked like the cover
            toc, body_start = self._parse_toc(blocks, toc_at, footer_at, markdown)
        known = {s for s, _ in toc if s}
        drafts, sections = self._parse_body(blocks[body_start:footer_at], known, markdown, [line for _, line in toc],
                                            meta.publication, meta.issuer)
        self._parse_footer(blocks[footer_at:], meta)

        if not sections and known:
            sections = list(dict.fromkeys(s for s, _ in toc if s))
        if sections:
            meta.sections = sections
        notes = [d for d in drafts if d.style == "note"]
        if notes:
            issue.extra["editor_notes"] = [" ".join(clean_inline(p) for p in d.paras) for d in notes]
        drafts = [d for d in drafts if d.style != "note"]
        width = max(2, len(str(len(drafts))))
        for n, d in enumerate(drafts, 1):
            paras = _join_paragraphs(d.paras, page_breaks)
            contributor = d.contributor
            if paras:
                # a credit names the contributor, before any unit the title starts with
                m = CONTRIB_TAIL_STRICT.match(paras[-1]) or CONTRIB_LABELLED.match(paras[-1])
                m2 = None if m or len(paras) < 3 else CONTRIB_TAIL_STRICT.match(paras[-2])
                if m:  # a closing line "（襄阳局供稿）", "（来源：X）", "供稿：X"
                    contributor = _credited(m)
                    paras = paras[:-1]
                elif m2:  # the credit, then a footnote
                    contributor = _credited(m2)
                    paras = paras[:-2] + paras[-1:]
                elif m := CONTRIB_INLINE.search(paras[-1]):  # "…。（X供稿）" at the end of the text
                    contributor = _credited(m)
                    paras[-1] = paras[-1][:m.start()].rstrip()
                    paras = [p for p in paras if p]
            if contributor is None and d.title and d.style == "heading":
                contributor = _title_unit(d.title)  # 株洲市机关事务管理局完成…: the unit named first sent it in
                from_title = True
            else:
                from_title = d.contributor == contributor
            if contributor and from_title and _own_unit(contributor, meta.issuer):
                contributor = None  # the title names the issuing bureau itself: its own news
            if contributor is None and d.meta.get("来源") and unit_of(d.meta["来源"]) == d.meta["来源"] \
                    and not _own_unit(d.meta["来源"], meta.issuer):
                contributor = d.meta["来源"]  # a web page's 来源：X局
            art = Article(id=f"a{n:0{width}d}", section=d.section, title=d.title or None,
                          contributor=contributor, body="\n".join(paras))
            if d.meta:
                art.extra["source_meta"] = d.meta
            if d.subtitle:
                art.extra["subtitle"] = d.subtitle
            issue.articles.append(art)
        self._align_toc(issue, toc)
        for art in issue.articles:
            if not art.body:
                warnings.append(f"article {art.id} ({art.title}) has an empty body")

    def _footer_start(self, blocks: list[Block], toc_at: int | None) -> int:
        start = (toc_at or 0) + 1
        n = len(blocks)
        for i in range(start, n):
            b = blocks[i]
            t = re.sub(r"\*\*", "", b.text)
            if b.kind == "table":
                t = t.split("\t", 1)[0]  # a footer laid out as a table: its first cell
            if b.kind in ("para", "heading", "table") and len(t) < 400 and (
                    FOOTER_START.match(t) or COLOPHON_START.match(t) and i >= n // 2):
                j = i
                while j > 0 and blocks[j - 1].kind == "rule":
                    j -= 1
                return j
        # no explicit footer field: trailing print line / copies / date-only lines
        j = n
        while j > start:
            t = _plain(blocks[j - 1].text)
            if blocks[j - 1].kind == "rule" or COPIES.fullmatch(t) or (PRINT_LINE.search(t) and DATE.search(t)):
                j -= 1
                continue
            if j < n and (DATE.fullmatch(t) or (len(t) <= 30 and ORG_SUFFIX.search(t) and not ends_sentence(t))) \
                    and any(PRINT_LINE.search(_plain(b.text)) or COPIES.search(_plain(b.text)) for b in blocks[j:]):
                j -= 1
                continue
            break
        return j

    @staticmethod
    def _cover_field(t: str, meta: IssueMeta, has_issue_no: bool, i: int) -> bool:
        """Read one cover line (or one part of a line) into ``meta``; whether it was a cover field."""
        matched = False
        m = ISSUE_NO.search(t)
        if m:
            meta.year = parse_int(m.group(1))
            meta.number = parse_int(m.group(2))
            matched = True
        elif meta.number is None and (m := ISSUE_NO_ALONE.match(t)):
            meta.number = parse_int(m.group(1))
            matched = True
        m = TOTAL_NO.search(t)
        if m:
            meta.total_number = parse_int(m.group(1))
            matched = True
        if not matched:
            m = DATE.search(t)
            if m and len(t) <= len(m.group(0)) + 8 and not PRINT_LINE.search(t):
                meta.date = meta.date or _date(m)
                matched = meta.date is not None
            elif m and has_issue_no and not PRINT_LINE.search(t) and not ends_sentence(t):
                # "XX局办公室      2024年5月10日": the issuer and the date on one line
                rest = (t[:m.start()] + " " + t[m.end():]).strip()
                core = _issuer_core(rest)
                if len(core) <= 30 and ORG_SUFFIX.search(core) and (d := _date(m)):
                    meta.date = meta.date or d
                    meta.issuer = meta.issuer or core
                    matched = True
        if not matched and CLASSIFICATION.match(t) and len(t) <= 20:
            matched = True
        if not matched and has_issue_no and meta.publication is None and PUBLICATION_WORDS.search(t) and len(t) <= 40:
            meta.publication = t
            matched = True
        if not matched and has_issue_no and len(t) <= 40 and not ends_sentence(t):
            core = _issuer_core(t)
            if meta.issuer is None and ORG_SUFFIX.search(core):
                meta.issuer = core
                matched = True
            elif meta.publication is None and i == 0:
                meta.publication = t
                matched = True
        return matched

    def _parse_cover(self, blocks: list[Block], meta: IssueMeta, toc_at: int | None, footer_at: int,
                     markdown: bool) -> int:
        """Read cover fields from the leading blocks; return the index where the cover ends."""
        limit = min(toc_at if toc_at is not None else len(blocks), footer_at, 20)
        end = 0
        has_issue_no = any(ISSUE_NO.search(t) or TOTAL_NO.search(t) or ISSUE_NO_ALONE.match(t)
                           or ISSUE_NO_ALONE.search(b.text)
                           for b, t in ((b, _plain(b.text)) for b in blocks[:limit]))
        for i in range(limit):
            t = _plain(blocks[i].text)
            # fields set apart by wide spaces on one line (2024年第11期　　XX局　　2024年11月22日)
            parts = [p for p in re.split(r"[ \u3000\t]{2,}|[\u3000\t]", blocks[i].text.strip()) if _plain(p)]
            matched = False
            if len(parts) > 1:
                # every part must be a cover field (tried on a copy first), else the line is read whole
                trial = copy.deepcopy(meta)
                if all(self._cover_field(_plain(p), trial, has_issue_no, i) for p in parts):
                    for p in parts:
                        self._cover_field(_plain(p), meta, has_issue_no, i)
                    matched = True
            if not matched:
                matched = self._cover_field(t, meta, has_issue_no, i)
            if matched:
                end = i + 1
            elif has_issue_no:
                # cover lines may come in any order; stop at the first line that is body-like
                if section_name(blocks[i].text, set()) or len(t) > 40 or ends_sentence(t):
                    break
            else:
                break
        if meta.year is None and meta.number is not None and meta.date:
            meta.year = int(meta.date[:4])  # "第 5 期" printed without its year
        if meta.issuer is None and meta.publication:
            core = PUBLICATION_WORDS.sub("", meta.publication)
            if ORG_SUFFIX.search(core):
                meta.issuer = core
        return end if has_issue_no else 0

    def _parse_toc(self, blocks: list[Block], toc_at: int, footer_at: int, markdown: bool):
        """Read the 本期提要 list; return ([(section, line)], index after the list)."""
        head = blocks[toc_at]
        entries: list[tuple[str | None, str]] = []
        group: str | None = None
        i = toc_at + 1
        groups_seen: list[str] = []
        numbered = False                # groups are numbered (一、工作动态)
        entry_at: list[int] = []        # block index of each entry
        group_at: dict[int, str] = {}   # block index of each group line
        while i < footer_at:
            b = blocks[i]
            t = _plain(b.text)
            if b.kind == "heading" and head.kind == "heading" and b.level <= head.level:
                break
            if b.kind == "heading" and head.kind != "heading" and entries:
                break  # a bold or plain 目录 head, then Markdown headings: the body has begun
            if b.kind == "table":
                # a 提要 laid out as a table: the row's text without its page-number cell
                cells = [c for c in b.text.split("\t") if c.strip() and not re.fullmatch(r"\s*\d{1,3}\s*", c)]
                if not cells:
                    i += 1
                    continue
                b = Block("para", " ".join(cells), b.level, b.gap, b.line)
                t = _plain(b.text)
            sec = section_name(b.text, set(groups_seen))
            if sec and (b.kind == "heading" or not BULLET.match(t) or t[:1] in SECTION_MARKS):
                if sec in groups_seen and entries:  # the body repeats the first group name: list over
                    break
                if entries and not groups_seen:
                    break  # a flat list, then a section line: the body has begun
                group = sec
                groups_seen.append(sec)
                group_at[i] = sec
                numbered = numbered or bool(SECTION_NUMBER.match(t))
                i += 1
                continue
            m = SECTION_NUMBER.match(t)
            if m and numbered and re.fullmatch(r"[\u4e00-\u9fff]{2,10}", t[m.end():]) and t[m.end():] not in groups_seen:
                # "三、节能知识" among numbered groups: a group, whatever its name
                group = t[m.end():]
                groups_seen.append(group)
                group_at[i] = group
                i += 1
                continue
            if b.kind == "heading" and head.kind == "heading":
                # a deeper heading that is no section: with Markdown, the list is over
                if entries:
                    break
            if b.kind in ("item", "para", "heading") and t:
                if b.kind == "para" and not markdown and (len(t) > 60 or (ends_sentence(t) and len(t) > 40)):
                    # body text: a plain line right before it was the first article's title, not an
                    # entry, and a group line right before that title was the first section
                    if entry_at and entry_at[-1] == i - 1 and not BULLET.match(blocks[i - 1].text):
                        entries.pop()
                        entry_at.pop()
                        i -= 1
                        if i - 1 in group_at and not any(g == group_at[i - 1] for g, _ in entries):
                            i -= 1
                    break
                if b.kind == "para" and markdown and (len(t) > 80 or _bold_prefix(b.text)):
                    break
                line = BULLET.sub("", b.text).strip()
                line = re.sub(r"\*\*", "", line)
                line = re.sub(r"(?:[\s.．…·]{3,}|[.．…·]{2,}|\s+)\s*\d{1,3}\s*$", "", line)  # leaders, page numbers
                line = re.sub(r"\s*[.．…·]{3,}\s*$", "", line)
                line = re.sub(r"^[一二三四五六七八九十]{1,3}[、.．]\s*", "", line)  # Word's automatic 一、 numbering
                entries.append((group, line.strip()))
                entry_at.append(i)
            i += 1
        return entries, i

    def _parse_body(self, blocks: list[Block], known: set[str], markdown: bool, toc_lines: list[str] | None = None,
                    publication: str | None = None, issuer: str | None = None):
        anchors = _Anchors(toc_lines or [])
        running = _running_header(publication, issuer)
        drafts: list[_Draft] = []
        sections: list[str] = []
        section: str | None = None
        cur: _Draft | None = None
        last_kind = None

        def start(title: str | None, style: str, contributor: str | None = None) -> _Draft:
            d = _Draft(title=title, section=section, style=style, contributor=contributor)
            drafts.append(d)
            return d

        for idx, b in enumerate(blocks):
            raw = b.text
            t = _plain(raw)
            if not t:
                continue
            if b.kind == "rule":
                continue
            sec = section_name(raw, known) if b.kind in ("heading", "para") else None
            if sec and b.kind == "para":
                # a plain line is a section only when it looks like one: 【】, numbered, a known name,
                # or a name like one (…动态, …传真) standing between the end of an item and a title
                nxt = blocks[idx + 1] if idx + 1 < len(blocks) else None
                title_next = nxt is not None and (nxt.kind == "heading" or _bold_prefix(nxt.text) is not None)
                between = (title_next and cur is not None and cur.paras
                           and (ends_sentence(_plain(cur.paras[-1])) or _plain(cur.paras[-1]).endswith(("）", ")"))))
                bold = _bold_prefix(raw)
                bold_before_title = title_next and bold is not None and not bold[1].strip()
                if not (t.startswith(("【", "〖")) or sec in known or sec in KNOWN_SECTIONS
                        or SECTION_NUMBER.match(raw) or t.startswith(tuple(SECTION_MARKS)) or between
                        or bold_before_title):
                    sec = None
            if sec:
                section = sec
                if sec not in sections:
                    sections.append(sec)
                cur = None
                last_kind = "section"
                continue
            if running is not None and running.fullmatch(squash(t)):
                continue  # the publication's name repeated at a page top (with its issue number)
            if WEB_CHROME.match(t):
                continue  # 【打印本页】【关闭窗口】, 分享到：, 上一篇：… of a web page
            fields = (meta_fields(raw) if b.kind == "para" and len(t) <= 120 and (cur is None or not cur.paras)
                      else None)
            if fields:
                if cur is not None:
                    cur.meta.update(fields)  # 发布时间：…　来源：…　作者：… under the title
                continue
            if (b.kind == "para" and cur is not None and cur.title and not cur.paras and last_kind == "title"
                    and t.startswith(("——", "—", "--")) and len(t) <= 60):
                cur.subtitle = t.lstrip("—- ")  # ——市局…工作综述
                continue
            if (b.kind in ("para", "heading") and cur is not None and cur.title and not cur.paras
                    and last_kind == "title" and not cur.contributor and len(t) <= 24 and unit_of(t) == t):
                cur.contributor = t  # the submitting unit on a line of its own under the title
                continue
            if b.kind == "para" and cur is not None and cur.paras and (CONTRIB_TAIL_STRICT.match(t)
                                                                        or CONTRIB_LABELLED.match(t)):
                cur.paras.append(raw)  # the contributor line that ends an article, not a title
                last_kind = "para"
                continue
            if (b.kind == "heading" and cur is not None and cur.paras and SUBHEAD_NUMBER.match(t)
                    and len(SUBHEAD_NUMBER.sub("", t)) <= 30 and not anchors.whole(t)):
                cur.paras.append(f"**{t}**")  # a numbered sub-heading of a speech or report, not a title
                last_kind = "para"
                continue
            if b.kind == "heading":
                title = _title_text(raw)
                if cur is not None and not cur.paras and cur.style == "heading" and cur.title and last_kind == "title":
                    # a title broken over two heading lines, or a subtitle
                    if t.startswith(("——", "--", "—")):
                        cur.subtitle = t.lstrip("—- ")
                    elif not ends_sentence(cur.title):
                        cur.title = _title_text(cur.title + title)
                    else:
                        cur.subtitle = t
                    continue
                cur = start(title, "heading")
                last_kind = "title"
                continue
            runin = None
            if b.kind == "para":
                runin = _bold_prefix(raw) or _bracket_prefix(raw)
            if runin and EDITOR_NOTE.match(_plain(runin[0])):
                # **编者按：**…: the editors' note on the issue or the item below, not an item
                note = _Draft(title=None, section=section, style="note")
                note.paras.append(raw)
                drafts.append(note)
                last_kind = "para"
                continue
            if runin:
                head, rest = runin
                head_plain = _plain(head)
                is_point = bool(POINT_MARKER.match(head_plain))
                whole_bold = not rest.strip()
                if whole_bold and not is_point and len(head_plain) <= 80 and not (cur and cur.style == "heading"
                                                                                  and cur.paras and len(head_plain) < 6):
                    if (cur is not None and cur.bold_line and not cur.paras and last_kind == "title"
                            and not ends_sentence(cur.title or "") and len((cur.title or "") + head_plain) <= 60):
                        # a bold title broken over two lines
                        head_plain = _plain((cur.title or "") + head_plain)
                        head = head_plain
                        drafts.pop()
                    if unit_of(head_plain) == head_plain:
                        # "**宝安区机关事务管理局**" alone, its text below: an untitled item by that unit
                        cur = start(None, "runin", head_plain)
                        cur.bold_line = True
                        last_kind = "title"
                        continue
                    # a bold paragraph on its own: a title (run-in style when it ends a sentence)
                    style = "runin" if ends_sentence(head_plain) or unit_of(head_plain) else "heading"
                    cur = start(_title_text(head), style, unit_of(head_plain) if style == "runin" else None)
                    cur.bold_line = True
                    last_kind = "title"
                    continue
                if (not whole_bold and cur is not None and cur.bold_line and not cur.paras and last_kind == "title"
                        and cur.title and not ends_sentence(cur.title) and len(cur.title + head_plain) <= 80):
                    # a bold run-in head cut by a page break: **…推进平台** / **化管理。**一是…
                    head = head_plain = _plain(cur.title + head_plain)
                    drafts.pop()
                    cur = drafts[-1] if drafts else None
                unit = head_plain.rstrip("：:")
                if not whole_bold and unit != head_plain and unit_of(unit) == unit:
                    # "**南京局：**多措并举推进….一是…": the unit, then the item's headline sentence
                    first = _first_sentence(rest)
                    title = unit + first[0].rstrip("。！？") if first and len(first[0]) <= 41 else None
                    cur = start(title, "runin", unit)
                    cur.paras.append(first[1] if title and first else rest)
                    last_kind = "para"
                    continue
                if not whole_bold and unit == head_plain and unit_of(unit) == unit and len(_plain(rest)) >= 10:
                    # "**三亚市机关事务管理局**　近日完成…": the unit is the subject of an untitled item
                    cur = start(None, "runin", unit)
                    cur.paras.append(unit + rest.strip().lstrip("\u3000"))
                    last_kind = "para"
                    continue
                if not whole_bold and not is_point and 4 <= len(head_plain) <= 80 and (
                        cur is None or cur.style != "heading" or not cur.paras or unit_of(head_plain)
                        or ends_sentence(head_plain) and len(head_plain) >= 12):
                    cur = start(_title_text(head), "runin", unit_of(head_plain))
                    cur.paras.append(rest)
                    last_kind = "para"
                    continue
            if b.kind == "para" and anchors.whole(t):
                # a line that is one of the printed 提要 lines is a title, whatever its mark-up
                cur = start(_title_text(raw), "heading")
                last_kind = "title"
                continue
            if b.kind == "para":
                # a title line on its own (heading or bold) with no text yet: this is its text
                fresh_heading = cur is not None and (cur.style == "heading" or cur.bold_line) and not cur.paras
                head_rest = None if fresh_heading else anchors.runin(raw) or (
                    _runin_by_shape(raw, cur is not None and cur.style == "runin")
                    if cur is None or cur.style != "heading" else None)
                if head_rest:
                    head, rest = head_rest
                    cur = start(_title_text(head), "runin", unit_of(head))
                    cur.paras.append(rest)
                    last_kind = "para"
                    continue
            if not markdown and b.kind == "para" and self._plain_title(blocks, idx, cur, last_kind):
                cur = start(_title_text(raw), "heading")
                last_kind = "title"
                continue
            if cur is None:
                cur = start(None, "untitled")
            cur.paras.append(raw if b.kind != "table" else raw)
            last_kind = "para"
        drafts = [d for d in drafts if d.title or any(_plain(p) for p in d.paras)]
        return drafts, sections

    @staticmethod
    def _plain_title(blocks: list[Block], idx: int, cur: _Draft | None, last_kind: str | None) -> bool:
        """In plain text (no Markdown), is this line a title? Short, no final punctuation, body follows."""
        t = _plain(blocks[idx].text)
        # a closing quote or bracket ends a title as often as a sentence: “节约型机关”
        quoted_end = t.endswith(("”", "）", ")", "」", "》")) and "。" not in t and len(t) <= 45
        if len(t) < 4 or len(t) > 60 or (ends_sentence(t) and not quoted_end) or t.endswith(("，", ",", "、")):
            return False
        if POINT_MARKER.match(t) or DATE.fullmatch(t):
            return False
        if idx + 1 >= len(blocks):
            return False
        nxt = _plain(blocks[idx + 1].text)
        if not nxt or len(nxt) < len(t) and not ends_sentence(nxt):
            return False
        prev_ok = idx == 0 or last_kind in (None, "section", "title") or ends_sentence(_plain(blocks[idx - 1].text))
        # a line cut by a page break continues its sentence: a title is preceded by a finished one
        return prev_ok and (blocks[idx].gap > 0 or idx == 0 or last_kind != "para" or len(t) <= 40)

    def _parse_footer(self, blocks: list[Block], meta: IssueMeta) -> None:
        fld = None
        for b in self._split_fields(blocks):
            t = _plain(b.text)
            if not t or b.kind == "rule":
                fld = None if b.kind == "rule" else fld
                continue
            m = COPIES.search(t)
            if m:
                meta.copies = parse_int(m.group(1))
                t = COPIES.sub("", t).strip()
                if not t:
                    continue
            m = FOOTER_FIELD.match(t)
            if m:
                key, val = re.sub(r"\s", "", m.group(1)), m.group(2).strip()
                if key in ("信息公开选项", "公开选项", "公开属性", "公开方式"):
                    meta.disclosure = val.rstrip("。") or None
                    fld = None
                elif key in ("主送", "报送", "发送", "分送", "报", "送", "发"):
                    meta.recipients.extend(split_list(val))
                    fld = "recipients"
                elif key in ("抄送", "抄报"):
                    meta.cc.extend(split_list(val))
                    fld = "cc"
                else:
                    meta.extra.setdefault("footer", {})[key] = val
                    fld = None
                continue
            if PRINT_LINE.search(t):
                m = DATE.search(t)
                if m:
                    meta.print_date = _date(m)
                org = DATE.sub("", PRINT_LINE.sub("", t)).strip()
                if org:
                    meta.extra.setdefault("printed_by", org)
                fld = None
                continue
            if DATE.fullmatch(t):
                meta.print_date = meta.print_date or _date(DATE.fullmatch(t))
                continue
            if fld == "recipients" and not ORG_SUFFIX.search(t) or fld == "recipients" and re.search(r"[，、]", t):
                meta.recipients.extend(split_list(t))
                continue
            if fld == "cc" and re.search(r"[，、。]", t):
                meta.cc.extend(split_list(t))
                continue
            if len(t) <= 30 and ORG_SUFFIX.search(t):
                meta.extra.setdefault("printed_by", t)
                fld = None

    @staticmethod
    def _split_fields(blocks: list[Block]) -> list[Block]:
        """A footer line holding several fields set apart by wide spaces (责任编辑：张明　　审核：刘红)
        as one block per field."""
        out = []
        for b in blocks:
            # cells of a footer laid out as a table; fields set apart by wide spaces, or by one space
            # before the next field's head (报：A、B 送：C)
            text = b.text.replace("\t", "\u3000")
            text = re.sub(r"\s+(?=(?:抄\s*送|抄\s*报|报\s*送|主\s*送|分\s*送|送|发)\s*[:：])", "\u3000", text)
            if FOOTER_START.match(text):  # 报：市委办公厅 市政府办公厅: names set apart by single spaces
                text = re.sub(rf"(?<=[{_ORG_END}])[ ](?=[\u4e00-\u9fff])", "、", text)
            parts = [p for p in re.split(r"[ \u3000]{2,}|\u3000", text.strip()) if p.strip()]
            if len(parts) > 1 and (b.kind == "table" or all(FOOTER_FIELD.match(_plain(p)) for p in parts)):
                out.extend(Block("para", p, b.level, b.gap, b.line) for p in parts)
            elif b.kind == "table" and parts:
                out.append(Block("para", parts[0], b.level, b.gap, b.line))
            else:
                out.append(b)
        return out

    # -- 本期提要 alignment ---------------------------------------------------------------------
    def _align_toc(self, issue: Issue, toc: list[tuple[str | None, str]]) -> None:
        if not toc:
            return
        # an untitled item (a run-in paragraph) is keyed by its first clause
        arts = [a for a in issue.articles if a.title or a.body]
        tkeys = [squash(a.title).rstrip("。．.") if a.title else _untitled_key(a) for a in arts]
        matchers = [_matcher(t) for t in tkeys]
        scores = []
        for i, (group, line) in enumerate(toc):
            key = squash(line).rstrip("。．.")
            for j, tkey in enumerate(tkeys):
                bonus = 0.05 if group and arts[j].section and group == arts[j].section else 0.0
                sm = matchers[j]
                sm.set_seq1(key)
                if key and (key in tkey or tkey in key):
                    r = max(sm.ratio(), 0.9)
                else:
                    # pairs under 0.5 are never used: skip the full ratio when its bound rules them out
                    if sm.real_quick_ratio() + bonus < 0.5 or sm.quick_ratio() + bonus < 0.5:
                        continue
                    r = sm.ratio()
                scores.append((r + bonus, -abs(i - j), i, j))
        scores.sort(reverse=True)
        used_l, used_a = set(), set()
        for r, _, i, j in scores:
            if r < 0.5 or i in used_l or j in used_a:
                continue
            used_l.add(i)
            used_a.add(j)
            arts[j].summary_line = toc[i][1]
        unmatched = [line for i, (_, line) in enumerate(toc) if i not in used_l]
        if unmatched:
            issue.extra["unmatched_summary_lines"] = unmatched
            for line in unmatched:
                issue.warnings.append(f"提要 line aligns with no article: {line}")
        missing = [a.id for j, a in enumerate(arts) if j not in used_a and a.title]
        if missing:
            issue.warnings.append(f"articles with no 提要 line: {', '.join(missing)}")


# --------------------------------------------------------------------------------------------
# public functions

_PARSER = BulletinParser()


def slug(text: str) -> str:
    s = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff_.-]+", "-", text).strip("-")
    return s or "issue"


def parse_text(text: str, issue_id: str | None = None, source: dict | None = None,
               path: object | None = None, page_breaks: bool = True) -> Issue:
    """Parse bulletin text (Markdown-like or plain) into an ``Issue``. ``page_breaks``: the text may
    hold paragraphs split by page breaks (PDF, text) to join again; False for Word, whose paragraph
    ends are real."""
    return _PARSER.parse(text, issue_id=issue_id, source=source, path=path, page_breaks=page_breaks)


def parse_file(path: str | Path) -> Issue:
    """Read a bulletin file of any supported type (.md .txt .docx .pdf .html) and parse it."""
    from .readers import read_document

    p = Path(path)
    doc = read_document(p)
    return parse_document(doc, p)


def parse_document(doc, p: Path) -> Issue:
    """Parse what a reader returned (``ReadResult``) for the file or upload named ``p``."""
    try:
        issue = parse_text(doc.text, issue_id=slug(p.stem), source={"file": p.name, "sha256": doc.sha256}, path=p,
                           page_breaks=doc.kind != "docx")
    except InputError:
        raise
    except RecursionError:
        raise InputError("document structure too deeply nested", p) from None
    except Exception as err:  # never let a parser bug surface as a traceback to users
        raise InputError(f"could not parse the bulletin ({type(err).__name__}: {err}); please report this", p) from None
    if getattr(doc, "warnings", None):
        issue.warnings.extend(doc.warnings)
    return issue


def iter_parse(paths: Iterable[str | Path]):
    for p in paths:
        yield parse_file(p)

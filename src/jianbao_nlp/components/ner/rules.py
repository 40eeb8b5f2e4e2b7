"""Rule-based entity finder: gazetteer places, agency-name grammar, Party/government short forms,
contributor short forms (X局), province abbreviations in context, and person names (surname +
title context). Works with no training; also used as a high-precision layer on top of the CRF.

Every rule returns ``(start, end, label, rule)``; the caller resolves overlaps (longest first).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from typing import Any

from ...segment import word_freq
from .features import _cut
from .gazetteer import Gazetteer, load_gazetteer

HAN = "\u4e00-\u9fff"
LEVEL_CHARS = set("省市县区州乡镇")
LEVEL = "(?:省|市|县|区|州|自治区|自治州|乡|镇)"
# Party and government organs that follow a level prefix (省委, 市政府, 县纪委监委 ...)
ORGANS = ["纪委监委", "纪委", "监委", "委", "政府", "人大常委会", "人大", "政协", "法院", "检察院", "人民法院",
          "人民检察院", "委员会"]
# offices attached to an organ (省委办公厅, 市政府办公室, 省委党校, 市委组织部 ...)
ORGAN_UNITS = ["办公厅", "办公室", "党校", "组织部", "宣传部", "统战部", "政法委", "编办", "深改委", "财经委",
               "外办", "政研室", "研究室", "目标绩效办", "改革办", "网信办", "台办", "督查室", "信访局", "机关工委",
               "直属机关工委", "社治委", "金融委", "农办", "党建办", "巡察办", "机要局", "保密办", "教育工委"]
AGENCY_SUFFIX = ["局", "厅", "委", "办", "委员会", "办公室", "中心", "署", "总局", "管理局", "服务中心", "事务中心"]
SHORT_SUFFIXES = ("服务中心", "中心", "局")
INSTITUTION_SUFFIX = ("党校", "学院", "大学", "医院", "中医院", "人民医院", "中学", "小学", "学校", "研究院", "研究所",
                      "设计院", "公司", "集团", "银行", "出版社", "报社", "电视台", "协会", "学会", "基金会",
                      "行政学院", "职业技术学院", "师范学院", "领导小组", "执委会", "指挥部", "委员会", "管委会")
# set phrases whose place names are not annotated
SET_PHRASES = ("中国特色", "中国梦", "美丽中国", "健康中国", "平安中国", "数字中国", "法治中国", "中国式现代化",
               "中国方案", "中国智慧", "中国之治", "中国制造", "中国故事", "中国声音", "中华民族", "治蜀兴川",
               "中国人民", "中华文化")
UNIT_RE = re.compile(f"[{HAN}]{{2,9}}?(?<![公上])司")  # 政策法规司, 公共机构节能管理司
LOCATIVE = set("在赴到至于")
BODY_STOP = set("的了和与及在是为对将把被从这那该其一家个受")
_SET_RE = re.compile("|".join(SET_PHRASES))
MOVE_VERBS = set("在来进赴抵返离驻入出援回留")
SAFE_ABBR = set("京津冀晋辽沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇陕陇蜀港澳")
_ABBR_RUN = re.compile("[" + "".join(map(re.escape, sorted(SAFE_ABBR))) + "]{1,4}")
GENERIC_HEADS = ("各", "有关", "相关", "该", "本", "其他", "其它", "所属", "下属", "上级", "同级", "全省", "全市",
                 "全县", "全区", "全国", "各级", "这", "那", "我", "贵")


def _alt(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    g = load_gazetteer()
    city_names = {s for s, codes in g.short_names.items() if any(g.divisions[c].level <= 2 for c in codes)}
    city_names |= {n for n, codes in g.loc_names.items() if any(g.divisions[c].level <= 2 for c in codes)}
    return {
        "organ": re.compile(_alt(ORGANS)),
        "organ_unit": re.compile(_alt(ORGAN_UNITS)),
        "agency_suffix": re.compile(_alt(AGENCY_SUFFIX)),
        "institution": re.compile(_alt(INSTITUTION_SUFFIX)),
        "committee": re.compile("执委会|组委会|筹委会"),
        "party_group": re.compile("[局厅委办](?:党组|党委)"),
        "city_names": city_names,
        "bodies": g.org_bodies,
        "max_body": max(len(b) for b in g.org_bodies),
    }


LONG_INSTITUTIONS = ("领导小组", "指挥部", "执委会", "组委会", "筹委会")


def token_bounds(text: str) -> tuple[set[int], set[int]]:
    """Start and end offsets of jieba tokens."""
    cum = list(accumulate(map(len, _cut(text))))     # end of each token
    ends = set(cum)
    starts = set(cum[:-1])
    if cum:
        starts.add(0)
    return starts, ends


def _ok_head(text: str, s: int) -> bool:
    return not any(text.startswith(h, s) for h in GENERIC_HEADS)


def rule_spans(text: str, gaz: Gazetteer | None = None, persons: bool = True) -> list[tuple[int, int, str, str]]:
    """High-precision rule matches over one text: (start, end, label, rule name)."""
    g = gaz or load_gazetteer()
    pats = _patterns()
    starts, ends = token_bounds(text)
    out: list[tuple[int, int, str, str]] = []
    locs: dict[int, int] = {}  # end -> start of each place match
    # places and national aliases from the gazetteer
    for s, e, kind in g.matches(text):
        if kind not in ("a", "c", "r"):
            locs[e] = s
        if kind == "a":
            if e < len(text) and (text[e - 1:e + 1] in g.titles or text[e] in "门官"):
                continue  # 财政部长 (a title), 司法部门, 最高法官
            if e - s > 2 or (s in starts and e in ends):
                out.append((s, e, "ORG", "alias"))
        elif kind == "c":
            # county short forms only right after a locative verb (在荣X召开), as a whole token
            if s > 0 and text[s - 1] in LOCATIVE and s in starts and e in ends:
                out.append((s, e, "LOC", "county"))
        elif kind.startswith("s") and not (s in starts and e in ends) and _inside_word(text, s, e, starts, ends):
            continue  # a short form inside an ordinary word (长治久安)
        else:
            out.append((s, e, "LOC", "gaz"))
    out.extend(org_spans(text, g, pats, starts, locs))
    for m in pats["party_group"].finditer(text):
        s = m.start()
        # a bare 局党组 (not the tail of a longer name: 省机关事务管理局党组 is handled by the agency rule)
        if s == 0 or not ("\u4e00" <= text[s - 1] <= "\u9fff") or text[s - 1] in "我本" or s in starts:
            out.append((s, m.end(), "ORG", "party_group"))
    # a named internal unit belongs to the organisation: 国管局政策法规司
    for s, e, lab, name in list(out):
        if lab == "ORG" and name in ("alias", "agency"):
            m = UNIT_RE.match(text, e)
            if m:
                out.append((s, m.end(), "ORG", "unit"))
    out.extend(abbreviation_spans(text, g))
    out.extend(compound_spans(text, starts))
    if persons:
        out.extend(person_spans(text, g))
    return out


# a named office compound: 金牛集中办公区, 海河东岸行政办公区, 环岛商务中心 (LOC by the guidelines)
COMPOUND_SUFFIX = re.compile(r"(?:集中办公区|行政办公区|行政中心|商务中心|办公园区)")
_GENERIC_COMPOUND = re.compile(r"(?:省直|市直|区直|县直|州直|省级|市级|区级|县级|州级|机关|党政|全省|全市|全区|全县|各|该|本|"
                               r"所属|第[一二三四五六七八九十]|[一二三四五六七八九十两几多]个|新|老|原|现)")


def compound_spans(text: str, starts: set[int]) -> list[tuple[int, int, str, str]]:
    """Named office compounds: the name-like words right before 集中办公区 / 行政办公区 / 行政中心 /
    商务中心 (place or proper names: 海河东岸, 金牛, 环岛), not a verb or a generic word before it
    (加强集中办公区, 省直机关集中办公区)."""
    from ...segment import posseg

    out = []
    for m in COMPOUND_SUFFIX.finditer(text):
        b = m.start()
        a0 = max(0, b - 8)
        words = list(posseg(text[a0:b]))
        name, closest = "", True
        for w, tag in reversed(words):
            if not (tag in _NAME_TAGS or (closest and tag == "n")) or len(name + w) > 6:
                break
            name, closest = w + name, False
        a = b - len(name)
        if len(name) >= 2 and all(_is_han(c) for c in name) and not _GENERIC_COMPOUND.search(name) \
                and (a in starts or a == 0):
            out.append((a, m.end(), "LOC", "compound"))
    return out


_NAME_TAGS = {"ns", "nz", "nr", "nrt", "nrfg", "nt", "s", "f", "j"}


def _inside_word(text: str, s: int, e: int, starts: set[int], ends: set[int]) -> bool:
    """Whether [s, e) sits inside one longer jieba dictionary word."""
    a = max((p for p in starts if p <= s), default=0)
    b = min((p for p in ends if p >= e), default=len(text))
    return (b - a) > (e - s) and a <= s and _word_freq(text[a:b]) > 0 and not any(a < p < b for p in starts)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _prefix_start(text: str, b: int, starts: set[int], locs: dict[int, int]) -> int | None:
    """Start of a place / level prefix ending at ``b`` (四川省|成都市|省|市...), else None."""
    if b in locs:
        return locs[b]
    if b > 0 and text[b - 1] in LEVEL_CHARS:
        if b - 1 in locs:                       # 成都 + 市 written apart from the gazetteer form
            return locs[b - 1]
        # the level character must not end an ordinary word (城市, 省市, 社区, 全省)
        if b < 2 or not _is_han(text[b - 2]) or _word_freq(text[b - 2:b]) <= 50:
            return b - 1
    return None


def _word_freq(w: str) -> int:
    return word_freq(w)


def org_spans(text: str, g: Gazetteer, pats: dict[str, Any], starts: set[int], locs: dict[int, int]
              ) -> list[tuple[int, int, str, str]]:
    """Agency grammar, driven by suffixes (fast: no place-name alternation in a regex)."""
    out = []
    n = len(text)
    # Party / government organs after a level prefix: 省委, 市政府, 四川省委 (+ 办公厅 / 深改委 ...)
    for m in pats["organ"].finditer(text):
        k = m.start()
        st = None
        if k in locs and text[k - 1] in LEVEL_CHARS:
            st = locs[k]
        elif k > 0 and text[k - 1] in LEVEL_CHARS:
            st = _prefix_start(text, k, starts, locs)
        if st is None or not _ok_head(text, st):
            continue
        e = m.end()
        u = pats["organ_unit"].match(text, e)
        for p in ("中共", "共青团"):
            if text.startswith(p, st - len(p)):
                st -= len(p)
                break
        out.append((st, u.end() if u else e, "ORG", "organ"))
    # agencies: [place|level] + function words + 局/厅/委/办...; bare 财政局 too
    bodies, mb = pats["bodies"], pats["max_body"]
    for m in pats["agency_suffix"].finditer(text):
        b = None
        # a long suffix may have swallowed the end of the body (机关事务 + 中心 read as 机关 + 事务中心):
        # try the suffix as matched, then its shorter endings
        for k in [m.start()] + [m.end() - len(x) for x in SHORT_SUFFIXES if m.group().endswith(x) and len(x) < len(m.group())]:
            for L in range(min(mb, k), 0, -1):
                if text[k - L:k] in bodies:
                    b = k - L
                    break
            if b is not None:
                break
        if b is None:
            continue
        st = _prefix_start(text, b, starts, locs)
        if st is None:
            if b > 0 and _is_han(text[b - 1]) and text[b - 1] not in "、和与及同由经在对向为":
                continue
            if m.group().endswith("中心") and m.start() - b < 3:
                continue  # bare 数据中心 is a facility; 不动产登记中心 names a body
            st = b
        if _ok_head(text, st):
            out.append((st, m.end(), "ORG", "agency"))
    # institutions: [place|level] ... 学院 / 医院 / 党校 / 领导小组 ...
    for m in pats["institution"].finditer(text):
        k = m.start()
        maxb = 12 if m.group() in LONG_INSTITUTIONS else 6
        b = k
        st = None
        while b >= 0 and k - b <= maxb:
            st = _prefix_start(text, b, starts, locs)
            if st is not None or b == 0 or not _is_han(text[b - 1]):
                break
            b -= 1
        if st is not None and _ok_head(text, st) and st < k:
            body = text[st:k]
            if any(c in BODY_STOP for c in body) or any(c.isdigit() for c in body):
                continue  # 镇的某某的公司, 一家电脑公司: a description, not a name
            out.append((st, m.end(), "ORG", "institution"))
    # event committees: 大运会执委会
    for m in pats["committee"].finditer(text):
        k = m.start()
        if k >= 2 and text[k - 1] == "会":
            b = k - 1
            while b > 0 and k - b < 5 and _is_han(text[b - 1]) and text[b - 1] not in "的和与在":
                b -= 1
            if k - 1 - b >= 1:
                out.append((b, m.end(), "ORG", "committee"))
    # contributor short forms: 成都局 / 凉山州局 (not 局长)
    cities = pats["city_names"]
    k = text.find("局")
    while k != -1:
        if k + 1 >= n or text[k + 1] not in "长面势部限":
            for L in range(min(7, k), 1, -1):
                if text[k - L:k] in cities:
                    a = k - L
                    if a == 0 or not _is_han(text[a - 1]) or text[a - 1] in "、和与及同":
                        out.append((a, k + 1, "ORG", "short_bureau"))
                    break
        k = text.find("局", k + 1)
    return out


def abbreviation_spans(text: str, g: Gazetteer) -> list[tuple[int, int, str, str]]:
    """川渝 / 京津冀 (+地区) and single abbreviations after a movement verb (在京, 入川)."""
    out = []
    # a run of up to four abbreviations from each abbreviation on; a run that is not itself a
    # place is used whole (the scan goes on after it), otherwise the scan goes on at the next one
    m = _ABBR_RUN.search(text)
    if m is None:
        return out  # the rules below need an abbreviation too
    while m is not None:
        i, j = m.span()
        if j - i >= 2 and not g.is_loc(text[i:j]):
            # the first character must not end a place name (四川渝... -> 四川)
            if not (i > 0 and g.is_loc(text[i - 1:i + 1])) and not (i > 1 and g.is_loc(text[i - 2:i + 1])) \
                    and not text.startswith(("铁路", "高铁", "线", "办", "公路", "高速", "区"), j):
                e = j + 2 if text.startswith("地区", j) else j
                out.append((i, e, "LOC", "abbr_combo"))
            m = _ABBR_RUN.search(text, j)
        else:
            m = _ABBR_RUN.search(text, i + 1)
    toks = _cut(text)
    pos = 0
    for t in toks:
        if len(t) == 1 and t in SAFE_ABBR and pos > 0 and text[pos - 1] in MOVE_VERBS:
            out.append((pos, pos + 1, "LOC", "abbr_move"))
        elif len(t) == 2 and t[0] in MOVE_VERBS and t[1] in SAFE_ABBR:
            out.append((pos + 1, pos + 2, "LOC", "abbr_move"))
        pos += len(t)
    return out


NOT_NAME_CHARS = set("局厅委省市县部处院校会司所办府组队科室党团") | set("的了和与及在是为对将把被从要不也就还又说们等")


def _name_like(cand: str, g: Gazetteer) -> bool:
    """A plausible personal name: Han only, not a place/alias/title, no organisation character,
    not a frequent dictionary word (单位, 同志)."""
    if not all("\u4e00" <= c <= "\u9fff" for c in cand):
        return False
    if cand in g.titles or cand in g.aliases or g.is_loc(cand):
        return False
    if any(c in NOT_NAME_CHARS for c in cand[1:]):
        return False
    if len(cand) == 3 and word_freq(cand[1:]) > 5000:
        return False  # 关负责, 单位: the rest is an ordinary word
    return word_freq(cand) < 200


# a leader's name before an ideology's name is still PER (guidelines): 某某新时代…思想, 某某理论
IDEOLOGY_CUES = ("新时代中国特色社会主义思想", "生态文明思想", "法治思想", "外交思想", "强军思想", "经济思想",
                 "文化思想", "思想", "理论")


@lru_cache(maxsize=1)
def _title_regex(g: Gazetteer) -> re.Pattern:
    return re.compile(_alt([t for t in g.titles if len(t) >= 2] + list(IDEOLOGY_CUES)))


class _EndsTitle(dict):
    """token -> whether it is a title or ends with one of 2-3 characters (memoised per gazetteer)."""

    def __init__(self, titles):
        super().__init__()
        self.titles = titles

    def __missing__(self, w: str) -> bool:
        t = self.titles
        v = self[w] = bool(w) and (w in t or w[-2:] in t or w[-3:] in t)
        return v


def person_spans(text: str, g: Gazetteer) -> list[tuple[int, int, str, str]]:
    """Surname + 1-2 characters right before a title word (郭某某局长, 王某同志), or a jieba word
    of 2-3 characters starting with a surname right after a title (局长王某某主持)."""
    out = []
    toks = _cut(text)
    starts = [0, *accumulate(map(len, toks))]
    tok_starts = set(starts[:-1])
    tok_set = set(toks)
    ends_title = g.__dict__.get("_ends_title")
    # started afresh past 8,192 tokens: the frequent ones soon come back (50,000 held ~9 MB a worker)
    if ends_title is None or ends_title.titles is not g.titles or len(ends_title) > 8192:
        ends_title = g.__dict__["_ends_title"] = _EndsTitle(g.titles)
    after = [k + 1 for k, f in enumerate(map(ends_title.__getitem__, toks[:-1])) if f]
    for k in after:  # tokens right after a token that is or ends with a title
        t = toks[k]
        pos = starts[k]
        cand = ""
        if 2 <= len(t) <= 3 and (t[0] in g.surnames or t[:2] in g.surnames):
            cand = t
        elif t in g.surnames and k + 1 < len(toks) and 1 <= len(toks[k + 1]) <= 2:
            cand = t + toks[k + 1]
        if cand and len(cand) <= 4 and _name_like(cand, g):
            out.append((pos, pos + len(cand), "PER", "title_before"))
    for tm in _title_regex(g).finditer(text):
        j = tm.start()
        if j < 2:
            continue
        for L in (3, 2):
            s = j - L
            if s < 0:
                continue
            cand = text[s:j]
            if not all("\u4e00" <= c <= "\u9fff" for c in cand):
                continue
            if (cand[:2] in g.surnames and L == 3) or cand[0] in g.surnames:
                if not _name_like(cand, g):
                    continue
                # the name must start a jieba token, unless it stands after punctuation or a
                # delimiter (澳门日报社长 -> no name; 学习习近平总书记 -> 习近平)
                if s not in tok_starts and s > 0 and _is_han(text[s - 1]) and text[s - 1] not in "、和与及同":
                    continue
                if tm.group() in IDEOLOGY_CUES and (cand not in tok_set or _word_freq(cand) > 50):
                    continue  # before 思想 / 理论 only a name jieba keeps whole (习近平, 邓小平)
                out.append((s, j, "PER", "title"))
                break
    return out


def in_set_phrase(text: str, s: int, e: int) -> bool:
    if not _SET_RE.search(text, max(0, s - 8), e + 8):
        return False
    for p in SET_PHRASES:
        k = text.find(p, max(0, s - len(p)), e + len(p))
        while k != -1 and k < e:
            if k <= s and e <= k + len(p) and (e - s) < len(p):
                return True
            k = text.find(p, k + 1, e + len(p))
    return False

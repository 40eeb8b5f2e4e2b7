"""The guideline layer applied after any backend: add rule matches, drop what is never annotated,
keep flat, non-overlapping, longest spans."""

from __future__ import annotations

import math
import re
from typing import Iterable, Sequence

from .gazetteer import load_gazetteer
from .rules import GENERIC_HEADS, in_set_phrase
from .spans import quoted_ranges

# rules precise enough to override a shorter model span they contain
STRONG_RULES = {"alias", "organ", "agency", "short_bureau", "party_group", "abbr_combo", "institution", "gaz",
                "unit"}


def _valid(text: str, s: int, e: int, label: str) -> bool:
    if s >= e or e > len(text):
        return False
    t = text[s:e]
    if t != t.strip() or not t.strip():
        return False
    if label == "PER" and e - s < 2 and not t.isascii():
        return False
    if label == "ORG" and any(t.startswith(h) for h in GENERIC_HEADS):
        g = load_gazetteer()
        # 各有关部门, 全市各单位, 贵单位 (but 全国人大, and places such as 贵阳, 本溪, 那曲, are names)
        if t not in g.aliases and not any(g.is_loc(t[:k]) for k in (2, 3, 4)):
            return False
    if label == "ORG" and t in BARE_GENERIC:
        return False  # 中心负责人表示 (the centre just named), 检查组重点查看
    if label == "LOC" and len(t) == 2 and t[0] == "全" and t[1] in "省市县区州盟旗乡镇":
        return False  # 全州16个县 is the whole prefecture (the county is 全州县)
    return True


#: a generic word for the body just named, never a name by itself
BARE_GENERIC = frozenset(("中心", "本中心", "该中心", "我中心", "检查组", "工作组", "督查组", "督导组", "巡查组", "调研组",
                          "指导组", "专班", "代表队", "局机关", "机关"))


EVENT_SUFFIXES = ("推进会", "座谈会", "研讨会", "工作会", "现场会", "培训会", "交流会", "见面会", "发布会", "表彰会",
                  "动员会", "调度会", "评审会", "推介会", "洽谈会", "报告会", "论坛", "年会", "峰会", "博览会",
                  "展览会", "运动会", "交易会", "茶话会", "联欢会", "招待会", "纪念会", "部署会", "协调会", "汇报会",
                  "观摩会", "例会", "讨论会", "听证会", "培训班", "研讨班", "会议", "讲坛", "讲堂")
ORG_FINAL = set("局厅部委会院校学司行社团队组所处党府军台馆站厂店场室办协联盟署营连师旅庭报刊科系班约署")
ORG_FINAL_WORDS = ("中心", "公司", "集团", "银行", "医院", "政府", "大学", "中学", "小学", "集团")
NUMERAL_HEADS = set("一二两三四五六七八九十各等")
STRONG_TILES = {"alias", "organ", "agency", "short_bureau", "party_group", "gaz", "abbr_combo"}


_ORDINAL = re.compile("第?[零一二三四五六七八九十百]+届")


def _trim_ordinal(text: str, s: int, e: int, lab: str) -> tuple[int, int, str]:
    """十四届全国人大 -> 全国人大 (the session number is not part of the name)."""
    if lab == "ORG":
        m = _ORDINAL.match(text, s)
        if m and m.end() < e - 1:
            return (m.end(), e, lab)
    return (s, e, lab)


# a person-name piece in a run: (surname length, name length) -> cost (lower is likelier); Han
# names are mostly three characters, two is common, four goes with a compound surname
_NAME_SHAPES = {(1, 3): 0.0, (1, 2): 1.0, (2, 3): 0.3, (2, 4): 0.3}
_HAN_ONLY = re.compile("[\u4e00-\u9fff]+")
# characters of transliterated foreign names that Han given names hardly use: a run with one
# in its given names (普里马科夫, 阿姆斯特朗) is one foreign name, not several Han names
_TRANSLIT = frozenset("斯尔夫基娃诺耶娜科卡茨奇兹姆普塔莱蒂索贝格图罗维萨")


def _surname_cost(rank: int) -> float:
    """Surname frequencies fall off about as 1/rank: a rare one (国, 华) more likely ends a given name."""
    return 0.4 * math.log(rank + 1)


def split_name_run(name: str, surnames: dict[str, int]) -> list[tuple[int, int]] | None:
    """A PER span of five or more Han characters is a run of names written without separators
    (a list of attendees, or names once padded with spaces to align, as PDFs often have): split it
    into names that each begin with a known surname (``surnames``: surname -> frequency rank),
    preferring three-character names and frequent surnames. None when
    the run cannot be read that way (a rare surname, a transliterated name), so it is kept whole."""
    n = len(name)
    if n < 5 or not _HAN_ONLY.fullmatch(name):
        return None
    inf = float("inf")
    best = [inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        if best[i] == inf:
            continue
        for (sl, nl), cost in _NAME_SHAPES.items():
            j = i + nl
            rank = surnames.get(name[i:i + sl])
            if j > n or rank is None or not _TRANSLIT.isdisjoint(name[i + sl:j]):
                continue
            cost += best[i] + (_surname_cost(rank) if sl == 1 else 0.0)
            if cost < best[j]:
                best[j], back[j] = cost, i
    if best[n] == inf:
        return None
    pieces, j = [], n
    while j > 0:
        pieces.append((back[j], j))
        j = back[j]
    return pieces[::-1] if len(pieces) > 1 else None


def split_name_runs(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Each PER span that reads as a run of several names, replaced by those names."""
    surnames = load_gazetteer().surname_rank
    out: list[tuple[int, int, str]] = []
    for s, e, lab in spans:
        pieces = split_name_run(text[s:e], surnames) if lab == "PER" else None
        out.extend([(s + a, s + b, lab) for a, b in pieces] if pieces else [(s, e, lab)])
    return out


def _title_follows(text: str, e: int, titles: set[str]) -> bool:
    return any(text[e:e + L] in titles for L in (2, 3, 4, 5))


#: verbs and prepositions a model ORG span may swallow from the clause (联合县住建局 -> 县住建局)
LEAD_WORDS = ("联合", "会同", "配合", "协调", "邀请", "委托", "督促", "指导", "陪同", "经", "报", "由", "向", "请")
#: what joins two organisations acting together (A局联合B支队)
JOIN_WORDS = ("联合", "会同", "、", "和", "与", "及")
#: actions a model ORG span may run on into (市机关事务管理局召开党组…)
ACTION_WORDS = ("召开", "举办", "举行", "开展", "印发", "出台", "部署", "启动", "召集", "组织召开", "组织开展", "联合召开",
                "联合开展", "联合印发", "深入", "积极", "认真", "扎实")
_COUNT_TAIL = re.compile("等[0-9零一二两三四五六七八九十百]")


def _org_final(t: str) -> bool:
    return bool(t) and (t[-1] in ORG_FINAL or t.endswith(ORG_FINAL_WORDS))


LEVEL_START = set("省市县区州乡镇")


def _level_start(text: str, p: int, g) -> bool:
    """An organisation name can start at ``p``: a level character (县住建局) or a place (长沙市…)."""
    return text[p:p + 1] in LEVEL_START or any(g.is_loc(text[p:p + k]) for k in (2, 3, 4))


def repair_org(text: str, s: int, e: int, g) -> list[tuple[int, int, str]] | None:
    """A model ORG span that breaks the guidelines in a way the words show, as the spans it should
    be; None when it looks fine. A connective or verb swallowed at its head (联合县住建局, 经县财政局,
    报市财政局) is cut off; two organisations joined by 联合/、/和 become two (巴州机关事务管理局联合州
    公安局交警支队); a span that runs on into an action (市机关事务管理局召开党组) ends before it."""
    t = text[s:e]
    whole = _org_final(t)  # a cut or a split leaves names only where the span ends like one
    for w in LEAD_WORDS if whole else ():
        p = t.find(w)
        while p != -1:
            q = s + p + len(w)
            # 会同 is also a county (会同县): a verb only where a subject stands before it
            county = w == "会同" and not (s + p > 0 and "\u4e00" <= text[s + p - 1] <= "\u9fff")
            if not county and not _org_final(t[:p]) and e - q >= 3 and _level_start(text, q, g):
                return repair_org(text, q, e, g) or [(q, e, "ORG")]
            p = t.find(w, p + 1)
    for w in ACTION_WORDS:
        p = t.find(w, 2)
        if p != -1 and _org_final(t[:p]):
            return [(s, s + p, "ORG")]
    for w in JOIN_WORDS if whole else ():
        p = t.find(w, 2)
        while p != -1:
            q = p + len(w)
            if _org_final(t[:p]) and e - (s + q) >= 3 and _level_start(text, s + q, g):
                return [(s, s + p, "ORG")] + (repair_org(text, s + q, e, g) or [(s + q, e, "ORG")])
            p = t.find(w, p + 1)
    return None


def split_places(text: str, s: int, e: int, g) -> list[tuple[int, int, str]]:
    """A LOC span that names a place and then a place inside it, as separate places (陕西榆林 ->
    陕西 + 榆林, 长沙市岳麓区 -> 长沙市 + 岳麓区, 邛崃市高何镇 -> 邛崃市 + 高何镇), as the guidelines annotate."""
    out = []
    while True:
        t = text[s:e]
        cut = next((p for p in range(len(t) - 2, 1, -1)
                    if g.is_loc(t[:p]) and (g.is_loc(t[p:]) or (len(t) - p >= 3 and t.endswith(("镇", "乡", "街道"))
                                                                and not any(c.isdigit() for c in t[p:])))), None)
        if cut is None:
            out.append((s, e, "LOC"))
            return out
        out.append((s, s + cut, "LOC"))
        s += cut


def clean_model_spans(text: str, spans: Iterable[tuple[int, int, str]],
                      rule_matches: Sequence[tuple[int, int, str, str]],
                      token_ends: set[int] | None) -> list[tuple[int, int, str]]:
    """Repair model ORG spans that break the guidelines or the word segmentation:
    - an ORG that is two or more rule names side by side (省委省政府) -> those names;
    - an ORG that ends inside a word (遂宁局多|举措), in digits, or is an event (…推进会) -> the place
      it starts with, if any, else nothing;
    - an ORG that is exactly a place name (四川) -> LOC."""
    g = load_gazetteer()
    strong = [r for r in rule_matches if r[3] in STRONG_TILES]
    by_span = {(r[0], r[1]): r for r in strong}
    out: list[tuple[int, int, str]] = []
    compounds = {(r[0], r[1]) for r in rule_matches if r[3] == "compound"}
    for s, e, lab in spans:
        m = _COUNT_TAIL.search(text, s, e)
        if m and m.start() - s >= 2 and lab in ("ORG", "LOC"):
            e = m.start()  # 玉潭大厦等4处办公区 -> 玉潭大厦
        if lab == "LOC":
            out.extend(split_places(text, s, e, g))
            continue
        if lab == "ORG" and (s, e) in compounds:
            out.append((s, e, "LOC"))  # a named office compound (金凤区行政中心) is a place
            continue
        if lab == "ORG" and (s, e) not in by_span:
            fixed = repair_org(text, s, e, g)
            if fixed is not None:
                out.extend(fixed)
                continue
        if lab != "ORG" or (s, e) in by_span and by_span[(s, e)][2] == "ORG":
            out.append((s, e, lab))
            continue
        r = by_span.get((s, e))
        if r is not None and r[2] == "LOC" and text[s:e] not in g.aliases:
            out.append((s, e, "LOC"))
            continue
        inner = sorted((r for r in strong if s <= r[0] and r[1] <= e and (r[0], r[1]) != (s, e)),
                       key=lambda r: (r[0], -(r[1] - r[0])))
        if token_ends is not None and s > 0 and s not in token_ends:
            # the span starts inside a word (对标国管局 -> 标国管局): the rule name it ends with, if any
            tail = [r for r in inner if r[1] == e and r[2] == "ORG" and r[0] in token_ends]
            if tail:
                out.append((tail[0][0], e, "ORG"))
                continue
        tiles, pos = [], s
        for r in inner:
            if r[0] < pos:
                continue
            if text[pos:r[0]].strip("、和与及") == "":
                tiles.append(r)
                pos = r[1]
        if len(tiles) >= 2 and pos == e:
            out.extend((r[0], r[1], r[2]) for r in tiles)
            continue
        t = text[s:e]
        bad = (not (t[-1].isalpha() or t[-1] in "）)")) or t.endswith(EVENT_SUFFIXES)
        if not bad and token_ends is not None and e not in token_ends and not _title_follows(text, e, g.titles):
            bad = True
        head = [r for r in inner if r[0] == s and r[2] == "LOC"]
        if not bad and head:
            tail = text[max(r[1] for r in head):e]
            # a place + something that is not an organisation name (四川机关, 重庆两省市…, 重庆荣昌组织)
            bad = (tail[:1] in NUMERAL_HEADS) or (tail[-1:] not in ORG_FINAL and not tail.endswith(ORG_FINAL_WORDS))
        if bad:
            if head:
                h = max(head, key=lambda r: r[1])
                out.append((h[0], h[1], "LOC"))
            continue
        out.append((s, e, lab))
    return out


def postprocess(text: str, model_spans: Iterable[tuple[int, int, str]],
                rule_matches: Iterable[tuple[int, int, str, str]] = (), model_backed: bool = True,
                token_ends: set[int] | None = None) -> list[tuple[int, int, str]]:
    """Merge model spans with rule matches and apply the annotation guidelines."""
    titles = quoted_ranges(text) if "《" in text else []   # no 《: no range (skips a per-character scan)
    rule_matches = list(rule_matches)
    if model_backed:
        model_spans = clean_model_spans(text, split_name_runs(text, model_spans), rule_matches, token_ends)

    def keep(s: int, e: int, lab: str) -> bool:
        if not _valid(text, s, e, lab):
            return False
        if any(a <= s and e <= b for a, b in titles):
            return False
        if lab == "LOC" and in_set_phrase(text, s, e):
            return False
        return True

    model_spans = [_trim_ordinal(text, s, e, l) for s, e, l in model_spans]
    chosen = {(s, e, l) for s, e, l in model_spans if keep(s, e, l)}
    rules = sorted({r for r in rule_matches if keep(r[0], r[1], r[2])}, key=lambda r: (-(r[1] - r[0]), r[0]))
    if not model_backed:
        # rules alone: longest first, no overlap
        out: list[tuple[int, int, str]] = []
        taken: set[int] = set()
        for s, e, l, _ in rules:
            if taken.isdisjoint(range(s, e)):
                out.append((s, e, l))
                taken.update(range(s, e))
        return sorted(out)
    for s, e, l, name in rules:
        overl = [c for c in chosen if c[0] < e and s < c[1]]
        if not overl:
            chosen.add((s, e, l))
        elif name in STRONG_RULES and all(s <= c[0] and c[1] <= e for c in overl) and \
                not any((c[0], c[1]) == (s, e) for c in overl):
            chosen.difference_update(overl)
            chosen.add((s, e, l))
    # final: flat, longest first
    out = []
    taken = set()
    for s, e, l in sorted(chosen, key=lambda x: (-(x[1] - x[0]), x[0])):
        if taken.isdisjoint(range(s, e)):
            out.append((s, e, l))
            taken.update(range(s, e))
    return sorted(out)

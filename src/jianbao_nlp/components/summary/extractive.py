"""Rule-based headline suggestions: event-sentence choice + compression, and run-in (一是/二是) items.

Used on its own as the ``extractive`` backend, and by the other backends for run-in items that
list their points (一是…二是…) without stating the event.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .text import (DATE_ANY, MAX_CHARS, PURPOSE, distinct, headline_clean, split_clauses, split_sentences,
                   squash, strip_date_prefix)

EVENT_VERBS = ("召开", "举行", "举办", "开展", "出台", "印发", "制定", "发布", "启动", "部署", "会见", "出席",
               "考察", "调研", "完成", "实现", "建成", "组织", "签署", "通过", "审议", "公布", "成立", "开通",
               "上线", "作", "主持", "参加", "赴", "到", "视察", "走访", "检查", "督导", "培训", "推进", "获评",
               "入选", "荣获", "授予", "表彰", "迎来", "落地", "投入使用", "揭牌", "开班", "开讲", "开幕", "闭幕")
SCENE_STARTS = ("近年来", "今年以来", "随着", "当前", "目前", "长期以来", "多年来", "众所周知", "据了解", "据悉",
                "为深入", "为全面", "为进一步", "为切实", "为认真", "为加快", "为推动", "为贯彻")
ENUM = re.compile(r"(?:^|[。；;\n])\s*(?:[一二三四五六七八九十]是|[一二三四五六七八九十]、|（[一二三四五六七八九十]）|"
                  r"第[一二三四五六七八九十]，|首先|其次|再次)")
POINT_SPLIT = re.compile(r"(?:[一二三四五六七八九十]是|[一二三四五六七八九十]、|（[一二三四五六七八九十]）)")
PAREN = re.compile(r"（[^（）]*）|\([^()]*\)")
CN_NUM = "零一二三四五六七八九十"
GENERIC_NOUNS = {"工作", "单位", "部门", "全市", "全省", "全县", "全区", "情况", "问题", "措施", "要求", "方面", "进一步",
                 "有效", "相关", "机制", "制度", "能力", "水平", "服务", "管理", "建设", "保障", "市级", "县级", "省级",
                 "同志", "负责", "领导", "重点", "目标", "任务", "活动", "日常", "推进"}
#: class nouns (every bulletin item is about them): never the topic of one item
CLASS_NOUNS = ("公共机构", "党政机关", "机关事业单位", "干部职工", "工作人员", "各单位", "相关部门")


def drop_parentheticals(text: str) -> str:
    """Drop parentheses that hold dates, numbers or abbreviations (以下简称…); keep name parts."""
    def repl(m: re.Match) -> str:
        inner = m.group(0)[1:-1]
        if any(c.isdigit() for c in inner) or "简称" in inner or len(inner) > 12:
            return ""
        return m.group(0)

    return PAREN.sub(repl, text)


@lru_cache(maxsize=4096)  # the backends compress the same lead sentences several times per article
def compress_sentence(sentence: str, max_chars: int = MAX_CHARS) -> str:
    """Date, lead-in and purpose clauses dropped; the main clause kept; trailing detail dropped."""
    main = _main_clause(sentence)
    if main is None:
        return ""
    return headline_clean(shorten(main, max_chars), max_chars)


@lru_cache(maxsize=4096)
def _clauses_from_main(sentence: str) -> tuple[str, ...]:
    """The sentence's clauses from its main clause on: date, purpose and scene-setting clauses
    before it dropped."""
    s = drop_parentheticals(strip_date_prefix(squash(sentence)))
    clauses = split_clauses(s)
    while len(clauses) > 1 and (PURPOSE.match(clauses[0]) or clauses[0].startswith(SCENE_STARTS)
                                or not DATE_ANY.sub("", clauses[0]).strip("，,")):
        clauses = clauses[1:]
    return tuple(clauses)


@lru_cache(maxsize=4096)
def _main_clause(sentence: str) -> str | None:
    """The main clause of ``compress_sentence`` before it is shortened (None: no clause at all);
    memoised apart, as the compression backend asks for two lengths of each sentence."""
    clauses = _clauses_from_main(sentence)
    if not clauses:
        return None
    main = DATE_ANY.sub("", strip_date_prefix(clauses[0])).replace("在在", "在")
    # a short subject clause ("XX局，") is joined to the next clause
    if len(squash(main)) <= 8 and len(clauses) > 1:
        main = main.rstrip("，,") + clauses[1]
    return main


LOCATION_BEFORE_VERB = re.compile(r"在[^，。；、“”]{1,14}?(?=(?:组织)?(?:召开|举行|举办|开展|组织|启动|主持|参加))")
VERB_HEAD = re.compile(r"(?:联合|共同|组织|专题|集中|正式)(?=召开|举行|举办|开展|印发|出台|发布)")


# "{who} 召开 {meeting}": the shape that a headline can turn round into "{meeting} 在 {place} 召开"
MEETING_CLAUSE = re.compile(r"^[^，,；;]{2,}?(?P<act>召开|举行|举办)(?P<meeting>[^，,；;。]{4,}?"
                            r"(?:会议|会|论坛|讲坛|培训班|研讨班|仪式))$")


def shorten(clause: str, max_chars: int = MAX_CHARS) -> str:
    """Make an over-long main clause fit: drop the place before the verb, then verb modifiers;
    a meeting that still does not fit behind its organisers' names heads the line instead
    (A、B 在 X 召开 Y 推进会 -> Y 推进会在 X 召开), the usual headline of a meeting item."""
    text = squash(clause).rstrip("，,。；;")
    place = ""
    if len(text) > max_chars:
        m = LOCATION_BEFORE_VERB.search(text)
        if m:
            place = m.group()
            text = text[:m.start()] + text[m.end():]
    if len(text) > max_chars:
        text = VERB_HEAD.sub("", text, count=1)
    if len(text) > max_chars:
        m = MEETING_CLAUSE.match(text)
        if m:
            for line in (m["meeting"] + place + m["act"], m["meeting"] + m["act"]):
                if len(line) <= max_chars:
                    return line
    return text


_MONTH_START = re.compile(r"^[0-9]{1,2}月")
_LEADIN_STARTS = ("会议", "他指出", "他强调", "她指出", "会上", "报告", "据")


@lru_cache(maxsize=4096)
def sentence_score(sentence: str, index: int) -> float:
    """How likely a sentence states the event (higher is better)."""
    s = squash(sentence)
    score = -0.35 * index
    if s.startswith(SCENE_STARTS):
        score -= 1.0
    if any(v in s[:60] for v in EVENT_VERBS):
        score += 0.6
    if DATE_ANY.match(s) or _MONTH_START.match(s):
        score += 0.4
    if len(s) < 12:
        score -= 0.8
    if s.startswith(_LEADIN_STARTS):
        score -= 0.5
    return score


_RUNIN_START = re.compile(r"^(?:[一1]是|一、|（一）|首先)")


def is_runin(body: str) -> bool:
    """A run-in item lists points (一是…二是…) from its first lines instead of stating the event."""
    b = squash(body)
    return bool(_RUNIN_START.match(b)) or (
        len(ENUM.findall(b[:400])) >= 2 and "二是" in b and b.find("一是") < 60)


def point_heads(body: str) -> list[str]:
    """The head phrase of each point: the text after 一是/二是… up to its first 。；or ，."""
    b = squash(body)
    parts = POINT_SPLIT.split(b)
    heads = []
    for part in parts[1:]:
        head = re.split(r"[。；;，,：:]", part, maxsplit=1)[0]
        if 2 <= len(head) <= 16:
            heads.append(head)
    return heads


def slogan(heads: list[str]) -> str:
    """“三抓”-style slogan when every point head has one character in common at the same place
    (counted from the start or from the end), a common 简报 device: 聚民心/暖人心/守初心 -> “三心”."""
    if len(heads) < 2 or len(heads) > 10:
        return ""
    # a shared two-character ending: 思想认识到位/平台建设到位/监督管理到位 -> “三个到位”
    tail = {h[-2:] for h in heads if len(h) >= 4}
    if len(tail) == 1 and all(len(h) >= 4 for h in heads):
        end = tail.pop()
        if all("\u4e00" <= ch <= "\u9fff" for ch in end) and end not in GENERIC_NOUNS:
            return f"“{'两' if len(heads) == 2 else CN_NUM[len(heads)]}个{end}”"
    found = set()
    for pos in range(-4, 4):
        try:
            chars = {h[pos] for h in heads}
        except IndexError:
            continue
        if len(chars) == 1 and not (chars == {"化"} and pos != -1):
            found |= chars  # 化 only as the heads' last character: 集约化/标准化 -> “两化” (not 强化/优化)
    found -= set("的和与及、性一二三四五六七八九十")
    if len(found) != 1:
        return ""
    return f"“{'两' if len(heads) == 2 else CN_NUM[len(heads)]}{found.pop()}”"


BAD_EDGE = set("的和是在等及与了对将把为被从向以于并或也都就其各该该这那个之")
BAD_START = BAD_EDGE | set("一二三四五六七八九十百千万亿年月日号个次项家名余多近共约达")


@lru_cache(maxsize=256)
def _points(body: str) -> tuple[str, ...]:
    """A run-in body's points (一是…, 二是…), white space removed (memoised: the topic and the work
    area of one body both read them)."""
    return tuple(p for p in POINT_SPLIT.split(squash(body)) if p.strip())


def key_topic(body: str, min_count: int = 2, min_len: int = 3, max_len: int = 10) -> str:
    """The most salient repeated phrase of the body (what its points add up to).

    Maximal substrings of 3-10 Chinese characters that recur; longer and more frequent is better.
    """
    text = squash(POINT_SPLIT.sub("。", body))
    for noun in CLASS_NOUNS:
        text = text.replace(noun, "。")
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    counts: Counter[str] = Counter()
    for run in runs:
        seen = set()
        for i in range(len(run)):
            if run[i] in BAD_START:
                continue
            for j in range(i + min_len, min(len(run), i + max_len) + 1):
                sub = run[i:j]
                if sub[-1] in BAD_EDGE or sub in seen:
                    continue
                seen.add(sub)
                counts[sub] += 1
    cands = {s: c for s, c in counts.items() if c >= min_count and s not in GENERIC_NOUNS}
    if not cands:
        return ""
    # keep maximal phrases: drop a phrase contained in a longer one that is nearly as frequent
    keys = sorted(cands, key=len, reverse=True)
    maximal = {}
    for s in keys:
        if any(s in t and cands[t] >= cands[s] * 0.75 for t in maximal):
            continue
        maximal[s] = cands[s]
    # what the points add up to: prefer a phrase that recurs across several points
    points = _points(body)
    spread = {s: sum(s in p for p in points) for s in maximal}
    return max(maximal, key=lambda s: (min(spread[s], 3), maximal[s] * len(s) ** 0.8, len(s)))


TOPIC_VERBS = ("推进", "加强", "强化", "做好", "抓好", "提升", "优化")


@lru_cache(maxsize=1)
def _theme_scorer():
    from ..themes.lexicon import LexiconScorer
    from ..themes.taxonomy import Taxonomy

    return LexiconScorer(Taxonomy.load())


def points_area(body: str, topic: str = "") -> str:
    """The work area a run-in item's points add up to, as the default taxonomy names it for
    headlines (its ``topic``): the best-supported theme of the body, by the lexicon scorer. Empty
    when no theme with a topic is supported, or when ``topic`` (the body's own repeated phrase)
    names that theme and recurs in most points (公物仓 in every point says more than 国有资产管理;
    节水器具 in two of four points does not)."""
    scorer = _theme_scorer()
    scores = scorer.scores(None, body, fallback=False)
    best = max(range(len(scores)), key=lambda i: scores[i])
    theme = scorer.taxonomy.themes[best]
    if scores[best] < float(scorer.settings["threshold"]) or not theme.topic:
        return ""
    if topic and any(term in topic for term, weight in theme.terms.items() if weight >= 1):
        points = _points(body)
        if sum(topic in p for p in points) * 2 > len(points):
            return ""
    return theme.topic


def _strip_verb(phrase: str) -> str:
    return next((phrase[len(v):] for v in TOPIC_VERBS if phrase.startswith(v) and len(phrase) > len(v) + 1), phrase)


def runin_suggestions(body: str, contributor: str | None, k: int = 3, max_chars: int = MAX_CHARS) -> list[str]:
    """Headlines for a run-in item: "{contributor}{slogan or 多措并举}{verb}{topic}", the topic being
    the work area the points add up to (see ``points_area``) or else the body's repeated phrase."""
    who = (contributor or "").strip()
    heads = point_heads(body)
    topic = key_topic(body)
    area = points_area(body, topic)
    tag = slogan(heads)
    lead = tag or "多措并举"
    lines = []
    for phrase in (area, topic):
        if phrase:
            lines.append(f"{who}{lead}{'' if phrase.startswith(TOPIC_VERBS) else '推进'}{phrase}")
    main = area or topic
    if main:
        bare = _strip_verb(main)
        lines.append(f"{who}{lead}强化{bare}")
        lines.append(f"{who}扎实做好{bare}{'' if bare.endswith('工作') else '工作'}")
    if heads:
        lines.append(f"{who}{lead}{heads[0]}")
    lines.append(f"{who}多措并举抓好各项工作")
    return distinct((headline_clean(x, max_chars) for x in lines), k)


AGENCY_ACTS = ("召开", "举行", "举办", "开展", "组织", "出台", "印发", "制定", "启动", "部署", "完成", "建成", "推进",
               "推行", "实施", "成立", "签署", "开通", "上线", "揭牌", "开班", "赴", "到", "调研", "检查", "督导",
               "走访", "考察", "获评", "荣获", "入选", "通过", "发布", "公布", "编制", "修订", "建立", "打造", "率先")
AGENCY_MODIFIERS = ("联合", "共同", "组织", "正式", "专门", "集中", "深入", "扎实", "全面", "近日", "日前", "专题", "认真",
                    "顺利", "成功", "积极", "首次", "再次", "先后", "持续", "及时", "全力", "有序")


def _event_score(sentence: str, index: int) -> float:
    """How likely a lead sentence states the event, judged also on its main clause: a purpose
    clause before it (为进一步…，) does not hide the event that follows."""
    main = _main_clause(sentence)
    return max(sentence_score(sentence, index), sentence_score(main, index) if main else -9.0)


def _agency_end(line: str) -> int | None:
    """Where the agency names heading ``line`` end (one, or several acting together); None when
    the line does not start with an agency."""
    from ..ner.rules import rule_spans

    orgs = {s: e for s, e, label, _ in sorted(rule_spans(line), key=lambda x: x[0] - x[1]) if label == "ORG"}
    end = orgs.get(0)
    if end is None:
        return None
    while line[end:end + 1] in ("、", "和", "与") and end + 1 in orgs:  # several agencies act together
        end = orgs[end + 1]
    m = INTERNAL_BODY.match(line, end)  # the agency's own Party group, committee or union acts
    return m.end() if m else end


# an agency's internal body named right after it: 市局党组理论学习中心组, 局机关党委, 中心工会
INTERNAL_BODY = re.compile(r"(?:党组(?:理论学习)?中心组|党组|机关党委|机关党总支|机关党支部|党委(?:理论学习)?中心组|党委|"
                           r"党总支|党支部|机关工会|工会|团委|机关纪委|纪委|妇委会)")


def _acts(rest: str) -> bool:
    """Whether ``rest`` (what follows the agency) starts with an action on an object: an optional
    place or object phrase, modifiers, then an action verb that is not inside a relative clause."""
    rest = AGENCY_PLACE.sub("", rest, count=1)
    act = next((v for v in AGENCY_ACTS if rest.startswith(v)), None)
    while act is None:
        mod = next((m for m in AGENCY_MODIFIERS if rest.startswith(m)), None)
        if mod is None:
            break
        rest = rest[len(mod):]
        act = next((v for v in AGENCY_ACTS if rest.startswith(v)), None)
    return act is not None and rest[len(act):len(act) + 1] not in ("的", "") and len(rest) >= 6


def agency_event_line(body: str, max_chars: int = MAX_CHARS) -> str:
    """The main clause of the most event-like lead sentence when it reads "{agency} {acts} ..."
    (one or several agency names found by the NER rule layer, an optional place or object, then an action
    verb that is not inside a relative clause): the usual headline of an agency's own news item.
    When the agency's first clause frames the item (县局聚焦…问题，) and the next clause acts
    (在全县开展…行动), the line is the agency plus that clause. Empty when the sentence has neither shape."""
    sents = _lead_sentences(body, 4)
    if not sents:
        return ""
    best = max(range(len(sents)), key=lambda i: _event_score(sents[i], i))
    out = compress_sentence(sents[best], max_chars)
    # the shape is read on the whole clause: a clause too long for one line may have been turned
    # round to put its meeting first (see ``shorten``)
    line = compress_sentence(sents[best], 10 ** 6)
    if not out or "显示" in line:
        return ""
    end = _agency_end(line)
    if end is None:
        return ""
    clauses = _clauses_from_main(sents[best])
    if GENERIC_MEETING.match(line, end) and len(clauses) > 1:
        # a meeting without a name says nothing: what it did does (召开专题会议，传达学习…精神)
        nxt = clauses[1].rstrip("，,。；;")
        if nxt.startswith(MEETING_ACTS):
            return headline_clean(shorten(line[:end] + nxt, max_chars), max_chars)
    if _acts(line[end:]):
        return out
    if len(clauses) > 1 and line[end:].startswith(FRAMING_VERBS):
        nxt = DATE_ANY.sub("", strip_date_prefix(clauses[1])).rstrip("，,。；;")
        if _acts(nxt):
            return headline_clean(shorten(line[:end] + nxt, max_chars), max_chars)
    return ""


LEADER_ACTS = ("到", "赴", "来", "深入", "带队", "带领", "率队", "调研", "检查", "督导", "督查", "慰问", "看望", "出席",
               "主持", "讲授", "作", "为", "会见", "考察", "走访", "参加", "召集", "听取", "专题", "在")
# a visit's place before what the visitor did there (到市机关事务服务中心调研…): the headline keeps the act
_VISIT = re.compile(r"^(?:到|赴|来|深入)[^，。；、“”《]{2,20}?(?=(?:调研|检查|督导|督查|考察|慰问|看望|走访)[^，。；]{4,})")
# a clause that only frames a talk (以《…》为题), before the clause that says what was done
_FRAME = re.compile(r"^以[^，。；]{2,60}?为(?:题|主题|重点)$")


def leader_event(body: str, max_chars: int = MAX_CHARS) -> tuple[str, str]:
    """(name, line) when the lead's main clause reads "{titles} {name} {acts}" (局党组书记、局长宋岩
    为全局党员干部讲授专题党课): the leader's name and what they did, without the titles, as a
    leader-activity item's headline reads; a visit's place gives way to its purpose (到X调研Y ->
    调研Y). ("", "") when the lead has another shape or the line does not fit without a cut."""
    from ..ner.gazetteer import load_gazetteer
    from ..ner.rules import person_spans

    sents = _lead_sentences(body, 1)
    if not sents:
        return "", ""
    clauses = [c.rstrip("，,。；;") for c in _clauses_from_main(sents[0])]
    g = load_gazetteer()
    people = person_spans(clauses[0], g)
    if not people or people[0][0] > 30:
        return "", ""
    start, end = people[0][0], people[0][1]
    head, name = clauses[0][:start], clauses[0][start:end]
    if head and not any(head.endswith(t) for t in g.titles):
        return "", ""
    rest = re.sub(r"^(?:同志|一行|等)", "", clauses[0][end:])
    if _FRAME.match(rest) and len(clauses) > 1:
        rest = clauses[1]
    if not rest.startswith(LEADER_ACTS):
        return "", ""
    line = shorten(name + _VISIT.sub("", rest, count=1), max_chars)
    return (name, headline_clean(line, max_chars)) if len(line) <= max_chars else ("", "")


# a meeting named by its kind only (召开专题会议, 召开党组（扩大）会议, 召开局务会), and what such a meeting does
GENERIC_MEETING = re.compile(r"(?:近日|日前)?(?:组织)?召开(?:了)?(?:专题|党组|党组扩大|党组（扩大）|党组\(扩大\)|局务|局长办公|主任办公|"
                             r"办公|全体干部|干部职工|全体党员|专题学习|(?:党组)?理论学习中心组|中心组|党组理论学习中心组（扩大）)?"
                             r"(?:会议|会|大会|学习会|扩大会议)$")
MEETING_ACTS = ("传达学习", "传达", "学习贯彻", "学习传达", "专题学习", "集中学习", "学习", "研究部署", "专题研究", "研究",
                "部署", "听取", "审议", "通报", "总结")

# verbs with which an agency's first clause frames its item before acting in the next one
FRAMING_VERBS = ("聚焦", "围绕", "坚持", "立足", "针对", "紧扣", "紧盯", "着眼", "结合", "按照", "根据", "以")

# a place or object phrase between the agency and its verb: 在县行政中心…召开, 对市级部门…开展
AGENCY_PLACE = re.compile(r"^(?:在|对|会同|与)[^，。；、“”]{1,20}?(?=(?:联合|共同|组织|正式|专门|集中)?(?:"
                          + "|".join(AGENCY_ACTS) + "))")


@lru_cache(maxsize=256)
def _lead_sentences(body: str, limit: int) -> tuple[str, ...]:
    """The first ``limit`` sentences of at least six characters (memoised per body)."""
    return tuple([s for s in split_sentences(body) if len(squash(s)) >= 6][:limit])


def extractive_suggestions(body: str, k: int = 3, max_chars: int = MAX_CHARS) -> list[str]:
    """Compressed event sentences, best first."""
    sents = _lead_sentences(body, 6)
    scores = [-sentence_score(s, i) for i, s in enumerate(sents)]
    ranked = sorted(range(len(sents)), key=scores.__getitem__)
    lines = [compress_sentence(sents[i], max_chars) for i in ranked]
    lines += [headline_clean(strip_date_prefix(squash(s)), max_chars) for s in sents[:2]]
    return distinct((x for x in lines if len(x) >= 4), k)


# an office inside the issuing bureau (its 处, 科, 室, party branch): it writes the item up, it is not
# the actor a headline names
INTERNAL_OFFICE = re.compile(r"(?:处|科|室|办公室|股|党支部|党总支|机关党委|工会|团委)$")


def with_contributor(lines: list[str], contributor: str | None, max_chars: int = MAX_CHARS) -> list[str]:
    """Items submitted by a unit are headed by that unit, unless the line already names it or
    starts with another agency, or the contributor is an office inside the issuing bureau."""
    who = (contributor or "").strip()
    if not who or INTERNAL_OFFICE.search(who):
        return lines
    out = []
    for line in lines:
        keep = line.startswith(who) or _agency_end(line) is not None
        out.append(line if keep else headline_clean(who + line[_name_overlap(who, line):], max_chars))
    return out


def _name_overlap(who: str, line: str) -> int:
    """How much of ``line``'s start is the end of the unit's name, left over where a compression
    dropped the rest of it (贵阳局 + 局“定量供餐”改革, …服务中心 + 服务中心坚持…): that part is not
    repeated. 局长 after 局 is a title, not the name."""
    for k in range(len(who) - 1, 0, -1):
        if line.startswith(who[-k:]) and line[k:k + 1] != "长":
            return k
    return 0


class ExtractiveBackend:
    """The rule-based backend (no model)."""

    name = "extractive"

    def __init__(self, max_chars: int = MAX_CHARS):
        self.max_chars = max_chars

    def suggest(self, body: str, section: str | None = None, contributor: str | None = None, k: int = 3) -> list[str]:
        if not squash(body):
            return []
        if is_runin(body):
            return runin_suggestions(body, contributor, k, self.max_chars)
        return with_contributor(extractive_suggestions(body, k, self.max_chars), contributor, self.max_chars)

    def info(self) -> dict:
        return {"backend": self.name}

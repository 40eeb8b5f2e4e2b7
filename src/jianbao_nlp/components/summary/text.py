"""Text helpers shared by the summary backends: sentences, clauses, headline clean-up, ROUGE-L.

Nothing here is learned; everything is a small, deterministic function that is easy to test.
"""

from __future__ import annotations

import re
from typing import Iterable

MAX_CHARS = 40

SENT_END = "。！？；!?;"
CLOSERS = "”’」』）)"
OPENERS = "“‘「『（("
PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "【": "】"}
PUNCT = set("，。！？；：、,.!?;:“”‘’「」『』（）()《》【】—…-·～~ ") | set("\n\t")
TRAILING_JUNK = "的和及与并或等、，,：:；;。！？!?—…-·"
_CLOSERS = {v: k for k, v in PAIRS.items()}
_BRACKETS = frozenset(PAIRS) | frozenset(PAIRS.values())
LEADING_JUNK = "，,、。；;：:！？!?）)”’」』—…-· "

_WS = re.compile(r"\s+")
_SENT = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)")


def squash(text: str | None) -> str:
    """Remove every white-space character (the metric ignores them)."""
    return _WS.sub("", text or "")


def split_sentences(text: str) -> list[str]:
    """Split a body into sentences at 。！？； and line breaks (closing quotes stay attached)."""
    out = []
    for m in _SENT.finditer(text or ""):
        s = m.group(0).strip()
        if s and not all(c in PUNCT for c in s):
            out.append(s)
    return out


def lead_sentence(body: str) -> str:
    """The lead-sentence baseline: the body up to its first 。 (or its first line)."""
    body = (body or "").strip()
    first = body.split("\n", 1)[0]
    idx = first.find("。")
    return first[: idx + 1] if idx >= 0 else first


def split_clauses(sentence: str) -> list[str]:
    """Split a sentence at ，、：and sentence punctuation outside brackets/quotes (punctuation kept)."""
    out, cur, depth = [], [], 0
    for ch in sentence:
        cur.append(ch)
        if ch in PAIRS:
            depth += 1
        elif ch in PAIRS.values():
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，,：:" + SENT_END:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return [c for c in out if c.strip()]


def balance_brackets(text: str) -> str:
    """Drop unmatched quote/bracket characters (and empty pairs) so a headline never dangles."""
    if not _BRACKETS.intersection(text):
        return text
    stack: list[int] = []
    drop: set[int] = set()
    closers = _CLOSERS
    for i, ch in enumerate(text):
        if ch in PAIRS and not (ch in closers and stack and text[stack[-1]] == closers[ch]):
            stack.append(i)
        elif ch in closers:
            if stack and text[stack[-1]] == closers[ch]:
                stack.pop()
            else:
                drop.add(i)
    drop.update(stack)
    out = "".join(ch for i, ch in enumerate(text) if i not in drop)
    # empty pairs: （） “”
    prev = None
    while prev != out:
        prev = out
        for o, c in PAIRS.items():
            out = out.replace(o + c, "")
    return out


def headline_clean(text: str, max_chars: int = MAX_CHARS) -> str:
    """Headline style: no white space, no leading/trailing punctuation, no dangling 的/和,
    balanced quotes and brackets, at most ``max_chars`` characters (cut at a clause boundary)."""
    t = squash(text)
    t = balance_brackets(t)
    prev = None
    while prev != t:
        prev = t
        t = t.lstrip(LEADING_JUNK)
        t = t.rstrip(TRAILING_JUNK)
        t = t.replace("，，", "，")
        t = balance_brackets(t)
    if len(t) > max_chars:
        cut = t[:max_chars]
        # prefer a clause boundary
        for i in range(len(cut) - 1, 11, -1):
            if cut[i] in "，；：,;:":
                cut = cut[:i]
                break
        t = headline_clean(cut, max_chars) if cut != t else cut
        t = t[:max_chars]
    return t


def lcs_table(a: str, b: str) -> list[list[int]]:
    n, m = len(a), len(b)
    t = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        ai, ti, tn = a[i], t[i], t[i + 1]
        for j in range(m - 1, -1, -1):
            ti[j] = tn[j + 1] + 1 if ai == b[j] else (tn[j] if tn[j] > ti[j + 1] else ti[j + 1])
    return t


def lcs_len(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[-1]))
        prev = cur
    return prev[-1]


def lcs_align(source: str, target: str) -> list[bool]:
    """Which characters of ``source`` an LCS alignment with ``target`` keeps (greedy-left path)."""
    t = lcs_table(source, target)
    keep = [False] * len(source)
    i = j = 0
    while i < len(source) and j < len(target):
        if source[i] == target[j]:
            keep[i] = True
            i += 1
            j += 1
        elif t[i + 1][j] >= t[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def rouge_l(pred: str, gold: str) -> float:
    """Character ROUGE-L F1, white space ignored (the referee's definition)."""
    p, g = squash(pred), squash(gold)
    if not p or not g:
        return 0.0
    lcs = lcs_len(p, g)
    if not lcs:
        return 0.0
    prec, rec = lcs / len(p), lcs / len(g)
    return 2 * prec * rec / (prec + rec)


def distinct(lines: Iterable[str], k: int) -> list[str]:
    """First ``k`` distinct non-empty lines (white space ignored when comparing)."""
    seen, out = set(), []
    for line in lines:
        key = squash(line)
        if key and key not in seen:
            seen.add(key)
            out.append(line)
            if len(out) >= k:
                break
    return out


# -- leads: dates, purpose clauses --------------------------------------------------------------
_NUM = r"[0-9０-９一二三四五六七八九十〇零两]+"
DATE_PREFIX = re.compile(
    rf"^(?:(?:近日|日前|近期|连日来|近年来|今年以来|前不久|目前|当前|今天|昨天|今年|去年|本周|上周)"
    rf"|(?:{_NUM}年)?(?:{_NUM}月)?(?:{_NUM}[日号])?(?:上午|下午|晚上|晚|早上|凌晨|中午)?"
    rf"(?:至{_NUM}[月日](?:{_NUM}日)?)?)(?:以来)?[，,]?")
DATE_ANY = re.compile(rf"(?:{_NUM}年)?{_NUM}月{_NUM}[日号](?:上午|下午|晚上|晚|早上|凌晨|中午)?|"
                      rf"(?<![0-9])[0-9]{{1,2}}日(?:上午|下午|晚上|晚|凌晨|中午)?|今天（[^）]*）|"
                      rf"(?:今天|昨天|近日|日前)(?:上午|下午|晚上)?")
PURPOSE = re.compile(r"^(?:为(?:了)?|为进一步|按照|根据|围绕|结合|依据|遵照|随着|在[^，]{2,30}(?:下|中|上|期间|之际|前夕))")


def strip_date_prefix(text: str) -> str:
    m = DATE_PREFIX.match(text)
    if m and m.group(0):
        return text[m.end():]
    return text

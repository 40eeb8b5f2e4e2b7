"""Text helpers shared by the summary backends: sentences, clauses, headline clean-up, ROUGE-L.

Nothing here is learned; everything is a small, deterministic function that is easy to test.
"""

from __future__ import annotations

import re
from functools import lru_cache
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
    # str.split() breaks at exactly the characters that the regex class \s matches (str.isspace), and
    # is several times faster than _WS.sub("", text)
    return "".join(text.split()) if text else ""


def split_sentences(text: str) -> list[str]:
    """Split a body into sentences at 。！？； and line breaks (closing quotes stay attached)."""
    return list(_split_sentences(text or ""))


@lru_cache(maxsize=256)
def _split_sentences(text: str) -> tuple[str, ...]:
    # memoised: the summary backends split the same body several times
    out = []
    for s in _SENT.findall(text):
        s = s.strip()
        if s and not PUNCT.issuperset(s):
            out.append(s)
    return tuple(out)


def lead_sentence(body: str) -> str:
    """The lead-sentence baseline: the body up to its first 。 (or its first line)."""
    body = (body or "").strip()
    first = body.split("\n", 1)[0]
    idx = first.find("。")
    return first[: idx + 1] if idx >= 0 else first


_CLAUSE_END = "，,：:" + SENT_END
_CLAUSE = re.compile("[^" + re.escape(_CLAUSE_END) + "]*[" + re.escape(_CLAUSE_END) + "]|[^"
                     + re.escape(_CLAUSE_END) + "]+")
_OPENERS = frozenset(PAIRS)
_CLOSERS_SET = frozenset(PAIRS.values())


def split_clauses(sentence: str) -> list[str]:
    """Split a sentence at ，、：and sentence punctuation outside brackets/quotes (punctuation kept)."""
    return list(_split_clauses(sentence))


@lru_cache(maxsize=4096)
def _split_clauses(sentence: str) -> tuple[str, ...]:
    if _BRACKETS.isdisjoint(sentence):
        # no brackets or quotes: every clause mark ends a clause
        return tuple(c for c in _CLAUSE.findall(sentence) if c.strip())
    out, start, depth = [], 0, 0
    for i, ch in enumerate(sentence):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS_SET:
            if depth:
                depth -= 1
        elif depth == 0 and ch in _CLAUSE_END:
            out.append(sentence[start:i + 1])
            start = i + 1
    if start < len(sentence):
        out.append(sentence[start:])
    return tuple(c for c in out if c.strip())


def balance_brackets(text: str) -> str:
    """Drop unmatched quote/bracket characters (and empty pairs) so a headline never dangles."""
    if _BRACKETS.isdisjoint(text):
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


@lru_cache(maxsize=16384)  # the compression backend cleans the same strings for several candidates
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


def _match_masks(b: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    for j, ch in enumerate(b):
        masks[ch] = masks.get(ch, 0) | (1 << j)
    return masks


def _lcs_rows(a: str, b: str) -> list[int]:
    """Bit-parallel LCS (Hyyrö 2004): ``rows[k]`` encodes the LCS of ``a[:k]`` with every prefix of
    ``b``: LCS(a[:k], b[:j]) is the number of zero bits among the lowest ``j`` bits of ``rows[k]``."""
    full = (1 << len(b)) - 1
    masks = _match_masks(b)
    v = full
    rows = [v]
    get = masks.get
    for ch in a:
        u = v & get(ch, 0)
        v = ((v + u) | (v - u)) & full
        rows.append(v)
    return rows


def lcs_len(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return len(b) - _lcs_rows(a, b)[-1].bit_count()


def lcs_align(source: str, target: str) -> list[bool]:
    """Which characters of ``source`` an LCS alignment with ``target`` keeps (greedy-left path)."""
    n, m = len(source), len(target)
    keep = [False] * n
    if not n or not m:
        return keep
    # the suffix table t[i][j] = LCS(source[i:], target[j:]) of ``lcs_table``, read off bit vectors of
    # the reversed strings: t[i][j] = (m - j) - popcount(rows[n - i] & (2 ** (m - j) - 1))
    rows = _lcs_rows(source[::-1], target[::-1])
    i = j = 0
    while i < n and j < m:
        if source[i] == target[j]:
            keep[i] = True
            i += 1
            j += 1
        else:
            low = (1 << (m - j - 1)) - 1
            # t[i + 1][j] >= t[i][j + 1]
            down = (m - j) - (rows[n - i - 1] & (low | (1 << (m - j - 1)))).bit_count()
            right = (m - j - 1) - (rows[n - i] & low).bit_count()
            if down >= right:
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
    rf"|(?:{_NUM}年)?(?:{_NUM}月(?:上旬|中旬|下旬|初|底|末)?)?(?:{_NUM}[日号])?(?:上午|下午|晚上|晚|早上|凌晨|中午)?"
    rf"(?:至{_NUM}[月日](?:{_NUM}日)?)?)(?:以来|前夕|之际|期间)?[，,]?")
DATE_ANY = re.compile(rf"(?:{_NUM}年)?{_NUM}月{_NUM}[日号](?:上午|下午|晚上|晚|早上|凌晨|中午)?|"
                      rf"(?<![0-9])[0-9]{{1,2}}日(?:上午|下午|晚上|晚|凌晨|中午)?|今天（[^）]*）|"
                      rf"(?:今天|昨天|近日|日前)(?:上午|下午|晚上)?|(?:{_NUM}年)?{_NUM}月(?:上旬|中旬|下旬|初|底|末)")
PURPOSE = re.compile(r"^(?:为(?:了)?|为进一步|按照|根据|围绕|结合|依据|遵照|随着|针对|面对|鉴于|聚焦|立足|着眼|"
                     r"在[^，]{2,30}(?:下|中|上|期间|之际|前夕))")


def strip_date_prefix(text: str) -> str:
    m = DATE_PREFIX.match(text)
    if m and m.group(0):
        return text[m.end():]
    return text

"""Character-level CRF features: character n-grams, jieba word boundaries (plain ``jieba.cut``),
gazetteer matches, surname / title cues and character clusters learned from unlabelled text.

Feature extraction works on per-text arrays computed once (character classes, word-position
tags, gazetteer tags, cluster ids), then joins short strings per position: no per-character dicts.
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

from .gazetteer import Gazetteer

PAD = "#"
# the attribute prefixes of Featurizer's columns, in order (fastcrf.py computes the same columns)
TEMPLATES = ("c0", "c-1", "c1", "c-1c0", "c0c1", "c-2c-1", "c1c2", "c-1c1", "wp", "g", "g3", "k",
             "f-1", "f1", "w", "s")
SUFFIX_CHARS = set("局厅委办部署院校所处科司会社行团队站馆中心组党府")


def char_class(ch: str) -> str:
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF:
        return "H"
    if ch.isdigit() or ch in "０１２３４５６７８９":
        return "D"
    if ch.isascii() and ch.isalpha():
        return "A"
    if ch.isspace():
        return "S"
    if ch in "《》〈〉":
        return "Q"
    if ch in "（）()":
        return "B"
    return "P"


def _jieba():
    import logging

    import jieba

    if not jieba.dt.initialized:
        jieba.setLogLevel(logging.WARNING)
        jieba.dt.check_initialized()
    return jieba


@functools.lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[str, ...]:
    from ...segment import cut  # == jieba.cut(text, HMM=True), several times faster

    return tuple(cut(text, hmm=True))


def word_tags(text: str) -> tuple[list[str], list[str]]:
    """Per-character word-position tag (B/M/E/S + length bucket) and the word itself (len>=2)."""
    pos: list[str] = []
    words: list[str] = []
    for w in _cut(text):
        L = len(w)
        if L == 1:
            pos.append("S")
            words.append("")
            continue
        lb = str(L) if L < 5 else "5"
        pos.append("B" + lb)
        pos.extend(["M" + lb] * (L - 2))
        pos.append("E" + lb)
        words.extend([w] * L)
    return pos, words


class Featurizer:
    """Turns a text into one feature tuple per character (python-crfsuite accepts string tuples)."""

    def __init__(self, gazetteer: Gazetteer, clusters: dict[str, tuple[int, int]] | None = None):
        self.gaz = gazetteer
        self.clusters = clusters or {}
        self._coarse = {c: "c" + str(v[0]) for c, v in self.clusters.items()}
        self._fine = {c: "f" + str(v[1]) for c, v in self.clusters.items()}
        self._cls: dict[str, str] = {}
        # every position where a title word of 2-4 characters starts (zero-width, overlapping)
        words = sorted((t for t in gazetteer.titles if 2 <= len(t) <= 4), key=len, reverse=True)
        self._title_re = re.compile("(?=(?:" + "|".join(map(re.escape, words)) + "))")

    def __call__(self, text: str) -> list[tuple[str, ...]]:
        n = len(text)
        if n == 0:
            return []
        g = self.gaz
        chars = [PAD, PAD] + list(text) + [PAD, PAD]
        clsmap = self._cls
        cls = []
        for c in text:
            t = clsmap.get(c)
            if t is None:
                t = clsmap[c] = char_class(c)
            cls.append(t)
        wpos, words = word_tags(text)
        gtag = g.loc_tags(text)
        cg, fg = self._coarse.get, self._fine.get
        coarse = [cg(c, "cu") for c in chars]
        fine = [fg(c, "fu") for c in chars]
        surn = g.surnames
        # cue: a title word starts at position j (person names sit right before titles)
        tstart = ["0"] * (n + 3)
        for m in self._title_re.finditer(text):
            tstart[m.start()] = "1"
        c0 = chars[2:-2]
        cm1, cp1 = chars[1:-3], chars[3:-1]
        bi = [a + b for a, b in zip(chars, chars[1:])]  # bi[j] = chars[j] + chars[j + 1], made once
        wp_prev = ["^"] + wpos[:-1]
        wp_next = wpos[1:] + ["$"]
        g_prev = ["^"] + gtag[:-1]
        g_next = gtag[1:] + ["$"]
        f_c = fine[2:-2]
        cols = (
            ["c0=" + a for a in c0],
            ["c-1=" + a for a in cm1],
            ["c1=" + a for a in cp1],
            ["c-1c0=" + a for a in bi[1:n + 1]],
            ["c0c1=" + a for a in bi[2:n + 2]],
            ["c-2c-1=" + a for a in bi[:n]],
            ["c1c2=" + a for a in bi[3:n + 3]],
            ["c-1c1=" + a + b for a, b in zip(cm1, cp1)],
            ["wp=" + a + "|" + b + "|" + c for a, b, c in zip(wp_prev, wpos, wp_next)],
            ["g=" + a for a in gtag],
            ["g3=" + a + "|" + b + "|" + c for a, b, c in zip(g_prev, gtag, g_next)],
            ["k=" + a + "|" + b + "|" + c for a, b, c in zip(coarse[1:-3], coarse[2:-2], coarse[3:-1])],
            ["f-1=" + a + "|" + b for a, b in zip(fine[1:-3], f_c)],
            ["f1=" + a + "|" + b for a, b in zip(f_c, fine[3:-1])],
            ["w=" + a for a in words],
            ["s=" + t + ("1" if a in surn else "0") + tstart[i + 1] + tstart[i + 2] + tstart[i + 3]
             for i, (a, t) in enumerate(zip(c0, cls))],
        )
        return list(zip(*cols))

    def batch(self, texts: Sequence[str]) -> list[list[tuple[str, ...]]]:
        return [self(t) for t in texts]

"""Lexicon scoring: weighted terms and patterns per theme, scored sentence by sentence.

A theme needs a full sentence about it, not a passing word. Each sentence gets a score per theme
(the summed weights of the distinct terms and patterns it matches, less negative cues, with matches
in a trailing purpose clause such as "，促进…建设" discounted). A theme is *supported* when the
title, or one sentence, is strongly about it, or when several sentences mention it; its evidence is
the title score (weighted) plus the capped sentence scores, mapped to [0, 1] by a saturating curve
``1 - exp(-evidence / scale)``. Unsupported themes, and themes with a small share of the best
theme's evidence, keep at most half of that score (so they stay under the 0.5 threshold).
Taxonomy options shape this further: ``anchors`` (a theme's generic words count fully only beside
one of its anchor words), ``absorbs`` (vehicle safety belongs to official cars), ``secondary:
false`` (a "none of the above" theme is never a secondary theme) and ``fallback``.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .taxonomy import Taxonomy
from .text import clean, sentences

# A trailing clause that states a purpose rather than an action ("，助力节约型机关创建").
_PURPOSE = re.compile(r"[，,]\s*(?:以|为|从而|进而|努力|着力)?(?:促进|助力|助推|推动|服务|营造|确保|保障|打造|实现|形成|争创|提升)"
                      r"[^，,]*$")


def _context_free(pattern: str) -> bool:
    """True when nothing in ``pattern`` looks outside its match (anchors, word boundaries,
    lookarounds): a match in a piece of a text is then also a match in the text."""
    bare = re.sub(r"(?<!\\)\[\^", "[", pattern.replace("\\\\", ""))  # escaped backslashes, negated classes
    return not any(x in bare for x in ("^", "$", "\\b", "\\B", "\\A", "\\Z", "\\z", "(?=", "(?!", "(?<"))


@dataclass
class ThemeEvidence:
    title: float
    body: float
    max_sentence: float
    n_sentences: int
    evidence: float
    supported: bool
    score: float


class LexiconScorer:
    """Scores articles against a taxonomy; no training needed."""

    #: articles whose evidence ``analyse`` keeps (more than a batch: see there)
    MEMO = 1024

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.labels = taxonomy.labels
        self.settings = taxonomy.settings
        index: dict[str, list[tuple[int, float]]] = {}
        neg: dict[str, list[tuple[int, float]]] = {}
        for k, theme in enumerate(taxonomy.themes):
            for term, w in theme.terms.items():
                if term:
                    index.setdefault(term, []).append((k, w))
            for term, w in theme.negative.items():
                if term:
                    neg.setdefault(term, []).append((k, w))
        self._index = index
        self._neg = neg
        self._terms_re = self._alternation(index)
        self._neg_re = self._alternation(neg)
        self._patterns = [(k, rx, w) for k, t in enumerate(taxonomy.themes) for rx, w in t.compiled]
        #: patterns whose matches depend on nothing outside the matched text: one that finds nothing
        #: in a whole cleaned text finds nothing in any of its sentences (which are pieces of it)
        self._context_free = [_context_free(rx.pattern) for _, rx, _ in self._patterns]
        self._memo: OrderedDict[tuple, tuple[ThemeEvidence, ...]] = OrderedDict()  # see analyse
        ids = {t.id: k for k, t in enumerate(taxonomy.themes)}
        self._absorbs = [(k, ids[a]) for k, t in enumerate(taxonomy.themes) for a in t.absorbs if a in ids]
        self._secondary = np.array([t.secondary for t in taxonomy.themes])
        self._anchors = [(k, t.anchors) for k, t in enumerate(taxonomy.themes) if t.anchors]

    @staticmethod
    def _alternation(terms: dict) -> re.Pattern | None:
        """A regex finding, left to right, the longest term at each match position: what the
        alternation of the terms longest first finds, written as a trie (``党组(?:中心组)?``) so
        that the regex engine does not try every term at every position (twice as fast)."""
        if not terms:
            return None
        root: dict = {}
        for t in terms:
            node = root
            for ch in t:
                node = node.setdefault(ch, {})
            node[""] = True

        def build(node: dict) -> str:
            alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
            if not alts:
                return ""
            body = "(?:" + "|".join(alts) + ")"
            return body + "?" if "" in node else body  # children first: the longer term wins

        return re.compile(build(root))

    @staticmethod
    def _plain_alternation(terms: dict) -> re.Pattern | None:
        """The reference form of ``_alternation``: the terms longest first, one alternation."""
        if not terms:
            return None
        return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))

    # -- per sentence ------------------------------------------------------------------------
    def sentence_scores(self, sentence: str) -> np.ndarray:
        """Per-theme score of one sentence (distinct terms, purpose clause discounted)."""
        return np.array(self._sentence_scores(clean(sentence), self._patterns))

    def _active_patterns(self, *texts: str) -> list:
        """The patterns that can match some sentence of ``texts`` (cleaned texts; searched joined
        by a line break, where a match across two texts only keeps a pattern in)."""
        whole = "\n".join(texts)
        return [pt for pt, free in zip(self._patterns, self._context_free) if not free or pt[1].search(whole)]

    def _sentence_scores(self, s: str, patterns: list) -> list[float]:
        """``sentence_scores`` of a cleaned sentence, as a list, trying only ``patterns``."""
        n = len(self.labels)
        out = [0.0] * n
        if not s:
            return out
        m = _PURPOSE.search(s)
        clause_start = m.start() if m and m.start() > 0 else len(s)
        discount = float(self.settings["clause_discount"])
        best: dict[tuple[int, str], float] = {}
        if self._terms_re is not None:
            for mt in self._terms_re.finditer(s):
                factor = discount if mt.start() >= clause_start else 1.0
                for k, w in self._index[mt.group()]:
                    key = (k, mt.group())
                    best[key] = max(best.get(key, 0.0), w * factor)
        for k, rx, w in patterns:
            mt = rx.search(s)
            if mt:
                factor = discount if mt.start() >= clause_start else 1.0
                key = (k, "re:" + rx.pattern)
                best[key] = max(best.get(key, 0.0), w * factor)
        for (k, _), w in best.items():
            out[k] += w
        if self._neg_re is not None:
            seen = set()
            for mt in self._neg_re.finditer(s):
                for k, w in self._neg[mt.group()]:
                    if (k, mt.group()) not in seen:
                        seen.add((k, mt.group()))
                        out[k] -= w
        out = [x if x >= 0.0 else 0.0 for x in out]
        for k, j in self._absorbs:
            if out[k] > 0:
                out[j] *= discount
        n_list = int(self.settings.get("list_themes", 0))
        # (a "none of the above" theme such as general_work is no work area of a list)
        if n_list and sum(x >= 1.0 for x, sec in zip(out, self._secondary) if sec) >= n_list:
            # a sentence that names several work areas in one breath (做好办公用房、公务用车、节能等
            #工作) lists them: it is not a sentence about any one of them
            f = float(self.settings.get("list_discount", 1.0))
            out = [x * f for x in out]
        return out

    # -- per article -------------------------------------------------------------------------
    def analyse(self, title: str | None, body: str | None) -> list[ThemeEvidence]:
        """Per-theme evidence of one article. The linear backend asks for each article's evidence
        twice, for its features and for the blend, once over the whole batch each (up to the
        pipeline's 256 articles, or a whole issue): the last ``MEMO`` results are kept (keyed by the
        texts; the taxonomy's settings are fixed at load)."""
        key = (title, body)
        memo = self._memo
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = tuple(self._analyse(title, body))
            if len(memo) > self.MEMO:
                memo.popitem(last=False)
        return list(hit)

    def _analyse(self, title: str | None, body: str | None) -> list[ThemeEvidence]:
        st = self.settings
        sents = sentences(body)
        if not (title and title.strip()) and sents:
            # run-in item without a title: its first sentence plays the title's part
            title, sents = sents[0], sents[1:]
        cap = float(st["sentence_cap"])
        t_clean = clean(title)
        patterns = self._active_patterns(t_clean, clean(body))
        t_scores = np.minimum(np.array(self._sentence_scores(t_clean, patterns)), cap)
        if sents:
            S = np.minimum(np.array([self._sentence_scores(clean(x), patterns) for x in sents]), cap)
        else:
            S = np.zeros((1, len(self.labels)))
        strong = float(st["strong_sentence"])
        if self._anchors:
            full = clean(title) + "。" + clean(body)
            for k, anchors in self._anchors:
                if not any(a in full for a in anchors):
                    t_scores[k] *= float(st["clause_discount"])
                    S[:, k] *= float(st["clause_discount"])
        for k, j in self._absorbs:
            if t_scores[k] >= strong:  # the title says what the article is about
                S[:, j] *= float(st["clause_discount"])
        body_e = S.sum(axis=0)
        max_s = S.max(axis=0)
        n_weak = (S >= float(st["weak_sentence"])).sum(axis=0)
        evidence = float(st["title_weight"]) * t_scores + body_e
        supported = (t_scores >= strong) | (max_s >= strong) | (n_weak >= int(st["min_sentences"]))
        top = float(max(evidence[supported].max() if supported.any() else 0.0, 1e-9))
        best = int(np.argmax(np.where(supported, evidence, -1.0)))
        out = []
        for k in range(len(self.labels)):
            p = 1.0 - math.exp(-evidence[k] / float(st["scale"]))
            # a secondary theme needs a fair share of the best theme's evidence
            ok = bool(supported[k]) and evidence[k] >= float(st["secondary_ratio"]) * top
            if not self._secondary[k] and k != best:
                ok = False  # a "none of the above" theme is never a secondary theme
            out.append(ThemeEvidence(title=float(t_scores[k]), body=float(body_e[k]), max_sentence=float(max_s[k]),
                                     n_sentences=int(n_weak[k]), evidence=float(evidence[k]), supported=ok,
                                     score=p if ok else 0.49 * p))
        return out

    def scores(self, title: str | None, body: str | None, fallback: bool = True) -> np.ndarray:
        """Calibrated per-theme scores in [0, 1]; with ``fallback`` the fallback theme gets 0.5
        when nothing reaches the threshold."""
        ev = self.analyse(title, body)
        p = np.array([e.score for e in ev])
        if fallback and not (p >= float(self.settings["threshold"])).any():
            k = self.labels.index(self.taxonomy.fallback)
            p[k] = max(p[k], float(self.settings["threshold"]))
        return p

    def title_scores(self, title: str | None, body: str | None) -> np.ndarray:
        """Title evidence per theme, scaled to [0, 1] (the first sentence stands in for a missing title)."""
        if not (title and title.strip()):
            sents = sentences(body)
            title = sents[0] if sents else ""
        cap = float(self.settings["sentence_cap"])
        return np.minimum(self.sentence_scores(title), cap) / cap

    def features(self, title: str | None, body: str | None) -> np.ndarray:
        """Dense features for the linear backend: calibrated scores and title evidence."""
        ev = self.analyse(title, body)
        cap = float(self.settings["sentence_cap"])
        return np.array([e.score for e in ev] + [e.title / cap for e in ev]
                        + [1.0 - math.exp(-e.body / float(self.settings["scale"])) for e in ev])

    def batch_scores(self, items: Sequence[tuple[str | None, str | None]]) -> np.ndarray:
        return np.stack([self.scores(t, b) for t, b in items]) if items else np.zeros((0, len(self.labels)))

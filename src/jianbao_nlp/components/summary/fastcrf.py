"""Exact fast marginals for the keep/drop tagger: crfsuite's numbers without crfsuite's string traffic.

``tagger.crfsuite`` stays the one model file and the reference. At load time its weights are read
as data (``jianbao_nlp.crfsuite_model``: exact float64 weights, nothing run) and every attribute
name gets its row id in one dict. Per sentence, then:

- the state (emission) score of a word is the float64 sum of the weight rows of its attributes in
  the order the features list them, from 0.0, exactly crfsuite's ``state[l] += w * 1.0`` loop
  (attributes the model does not know are skipped as crfsuite's ``Tagger::set`` skips them; absent
  (attribute, label) cells add 0.0, which changes no sum). The rows of all sentences of an article
  are gathered and summed together, one attribute column at a time (numpy, same order);
- Viterbi is ``crf1dc_viterbi`` (first maximum for each back pointer and for the last label);
- marginals are ``crf1dc_alpha_score`` / ``crf1dc_beta_score`` / ``crf1dc_marginal_point``: exp-space
  scores with a scale factor ``1 / sum`` per position, in the same operation order, with libm's
  ``exp`` and ``log`` (``math.exp`` / ``math.log``, which crfsuite's build also calls), so the
  marginals are the same doubles;
- the probability of a labelling is ``exp(crf1dc_score - log_norm)`` as ``Tagger::probability``.

The forward-backward runs on Python floats: with two labels a position costs a few float
operations, less than a numpy call. Anything the fast path cannot mirror (a NUL or a lone surrogate
in a feature string, scores large enough for ``exp`` to overflow) goes through crfsuite.
"""

from __future__ import annotations

import math
from itertools import chain
from pathlib import Path
from typing import Sequence

import numpy as np

from ...crfsuite_model import read_crfsuite, weight_tables

#: |score| bound for the fast path: exp stays finite and the per-position sums cannot overflow
_SAFE = 300.0


class FastCRF1d:
    """A crfsuite CRF1d model as a weight table plus an attribute -> row dict."""

    def __init__(self, labels: Sequence[str], attrs: Sequence[str], feats: np.ndarray):
        self.labels = list(labels)
        L = self.L = len(self.labels)
        self.lid = {lab: i for i, lab in enumerate(self.labels)}
        # one zero row last, for padding; crf1dc_exp_transition exponentiates all L*L transitions
        self.W, trans = weight_tables(L, len(attrs), feats, extra_rows=1)
        self.zero_row = len(attrs)
        self.aid = {a: i for i, a in enumerate(attrs)}
        self.trans = trans.tolist()
        self.safe = bool(np.all(np.abs(trans) <= _SAFE))
        self.exp_trans = [[math.exp(x) for x in row] for row in self.trans] if self.safe else None
        self.exp_trans_T = [list(col) for col in zip(*self.exp_trans)] if self.safe else None

    @classmethod
    def from_file(cls, path: str | Path) -> "FastCRF1d":
        return cls(*read_crfsuite(path))

    # -- features -> state scores ------------------------------------------------------------------
    def ids(self, feats: Sequence[Sequence[str]]) -> list[list[int]]:
        """Row ids of each word's attributes, unknown ones skipped as crfsuite skips them (names must
        be ``safe_text``)."""
        get = self.aid.get
        return [[i for i in map(get, f) if i is not None] for f in feats]

    def states(self, sentences: Sequence[Sequence[Sequence[int]]]) -> list[np.ndarray]:
        """[T, L] state scores of each sentence (lists of row ids per word), summed in id order
        (``zero_row`` adds nothing)."""
        lens = [len(ids) for s in sentences for ids in s]
        N = len(lens)
        if N == 0:
            return [np.zeros((0, self.L)) for _ in sentences]
        flat = np.array(list(chain.from_iterable(chain.from_iterable(sentences))), dtype=np.intp)
        ln = np.asarray(lens, dtype=np.intp)
        width = max(int(ln.max()), 1)
        word = np.repeat(np.arange(N), ln)
        k = np.arange(len(flat)) - np.repeat(np.cumsum(ln) - ln, ln)
        M = np.full((width, N), self.zero_row, dtype=np.intp)
        M[k, word] = flat
        G = self.W[M]                       # [width, N, L]
        E = G[0].copy()                     # 0.0 + the first attribute's row
        for j in range(1, width):           # then each next attribute, as crfsuite adds them
            E += G[j]
        out, o = [], 0
        for s in sentences:
            out.append(E[o:o + len(s)])
            o += len(s)
        return out

    # -- one sentence ------------------------------------------------------------------------------
    def decode(self, state: np.ndarray) -> "Decoded | None":
        """Viterbi labels, per-position marginals and log-normaliser of one sentence's [T, L] state
        scores; None when the scores are outside the range the fast path mirrors exactly."""
        if not self.safe or not len(state) or not bool(np.all(np.abs(state) <= _SAFE)):
            return None
        return Decoded(self, state.tolist())


class Decoded:
    """crfsuite's tagger context after ``set`` for one sentence: Viterbi, alpha / beta, marginals."""

    __slots__ = ("crf", "state", "alpha", "beta", "scale", "log_norm", "_viterbi")

    def __init__(self, crf: FastCRF1d, state: list[list[float]]):
        self.crf = crf
        self.state = state
        self._viterbi = None
        if crf.L == 2:
            self._forward_backward2()
        else:
            self._forward_backward()

    def _forward_backward2(self) -> None:
        """``_forward_backward`` for two labels, unrolled: the same operations in the same order
        (a sum that starts from 0.0 starts from its first term: every term is >= 0)."""
        (e00, e01), (e10, e11) = self.crf.exp_trans
        exp, log = math.exp, math.log
        es = [(exp(x), exp(y)) for x, y in self.state]
        T = len(es)
        alpha, scale = [], []
        x0, x1 = es[0]
        sm = x0 + x1
        c = 1.0 / sm if sm != 0.0 else 1.0
        p0, p1 = x0 * c, x1 * c
        alpha.append((p0, p1))
        scale.append(c)
        for t in range(1, T):
            s0, s1 = es[t]
            n0 = (p0 * e00 + p1 * e10) * s0
            n1 = (p0 * e01 + p1 * e11) * s1
            sm = n0 + n1
            c = 1.0 / sm if sm != 0.0 else 1.0
            p0, p1 = n0 * c, n1 * c
            alpha.append((p0, p1))
            scale.append(c)
        sm = 0.0
        for c in scale:
            sm += log(c)
        self.log_norm = -sm
        beta = [None] * T
        c = scale[T - 1]
        b0 = b1 = c
        beta[T - 1] = (b0, b1)
        for t in range(T - 2, -1, -1):
            s0, s1 = es[t + 1]
            r0, r1 = b0 * s0, b1 * s1
            c = scale[t]
            b0 = (e00 * r0 + e01 * r1) * c
            b1 = (e10 * r0 + e11 * r1) * c
            beta[t] = (b0, b1)
        self.alpha, self.beta, self.scale = alpha, beta, scale

    def _forward_backward(self) -> None:
        crf = self.crf
        L = crf.L
        et, etT = crf.exp_trans, crf.exp_trans_T
        exp = math.exp
        es = [[exp(x) for x in row] for row in self.state]          # crf1dc_exp_state
        T = len(es)
        alpha, scale = [], []
        # crf1dc_alpha_score
        cur = list(es[0])
        s = 0.0
        for x in cur:
            s += x
        c = 1.0 / s if s != 0.0 else 1.0
        cur = [x * c for x in cur]
        alpha.append(cur)
        scale.append(c)
        for t in range(1, T):
            prev = cur
            st = es[t]
            cur = []
            for j in range(L):              # veczero, then vecaadd for i = 0..L-1, then vecmul
                col = etT[j]
                a = 0.0
                for i in range(L):
                    a += prev[i] * col[i]
                cur.append(a * st[j])
            s = 0.0
            for x in cur:
                s += x
            c = 1.0 / s if s != 0.0 else 1.0
            cur = [x * c for x in cur]
            alpha.append(cur)
            scale.append(c)
        s = 0.0
        for c in scale:                     # vecsumlog
            s += math.log(c)
        self.log_norm = -s
        # crf1dc_beta_score
        beta = [None] * T
        nxt = beta[T - 1] = [scale[T - 1]] * L
        for t in range(T - 2, -1, -1):
            st = es[t + 1]
            row = [b * x for b, x in zip(nxt, st)]
            c = scale[t]
            cur = []
            for i in range(L):              # vecdot(trans[i], row), then vecscale
                tr = et[i]
                d = 0.0
                for j in range(L):
                    d += tr[j] * row[j]
                cur.append(d * c)
            beta[t] = nxt = cur
        self.alpha, self.beta, self.scale = alpha, beta, scale

    def marginals(self, label: int) -> list[float]:
        """crf1dc_marginal_point(label, t) for every position t."""
        return [a[label] * b[label] / c for a, b, c in zip(self.alpha, self.beta, self.scale)]

    def viterbi(self) -> list[int]:
        """crf1dc_viterbi: label ids of the best path (first maxima, as crfsuite breaks ties)."""
        if self._viterbi is not None:
            return self._viterbi
        if self.crf.L == 2:
            return self._viterbi2()
        trans = self.crf.trans
        L = self.crf.L
        state = self.state
        T = len(state)
        cur = list(state[0])
        back = [None] * T
        for t in range(1, T):
            prev = cur
            st = state[t]
            cur, bk = [], []
            for j in range(L):
                best, arg = -math.inf, 0
                for i in range(L):
                    sc = prev[i] + trans[i][j]
                    if best < sc:
                        best, arg = sc, i
                cur.append(best + st[j])
                bk.append(arg)
            back[t] = bk
        best, lab = -math.inf, 0
        for i in range(L):
            if best < cur[i]:
                best, lab = cur[i], i
        path = [0] * T
        path[T - 1] = lab
        for t in range(T - 1, 0, -1):
            lab = back[t][lab]
            path[t - 1] = lab
        self._viterbi = path
        return path

    def _viterbi2(self) -> list[int]:
        """``viterbi`` for two labels, unrolled (``<`` keeps the first maximum)."""
        (t00, t01), (t10, t11) = self.crf.trans
        state = self.state
        T = len(state)
        a0, a1 = state[0]
        back = []
        for t in range(1, T):
            s0, s1 = state[t]
            x, y = a0 + t00, a1 + t10          # into label 0 from 0, from 1
            b0 = 1 if x < y else 0
            u, v = a0 + t01, a1 + t11          # into label 1
            b1 = 1 if u < v else 0
            a0 = (y if b0 else x) + s0
            a1 = (v if b1 else u) + s1
            back.append((b0, b1))
        lab = 1 if a0 < a1 else 0
        path = [0] * T
        path[T - 1] = lab
        for t in range(T - 1, 0, -1):
            lab = back[t - 1][lab]
            path[t - 1] = lab
        self._viterbi = path
        return path

    def probability(self, path: Sequence[int]) -> float:
        """Tagger::probability: exp(crf1dc_score(path) - log_norm)."""
        state, trans = self.state, self.crf.trans
        i = path[0]
        ret = state[0][i]
        for t in range(1, len(path)):
            j = path[t]
            ret += trans[i][j]
            ret += state[t][j]
            i = j
        try:
            return math.exp(ret - self.log_norm)
        except OverflowError:   # pragma: no cover - std::exp gives inf
            return math.inf


def safe_text(text: str) -> bool:
    """Whether attribute names built from ``text`` reach crfsuite as they are: no NUL (a C string ends
    there) and no lone surrogate (not UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

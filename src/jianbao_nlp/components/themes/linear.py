"""The linear backend: TF-IDF over jieba words + character n-grams (+ lexicon scores), one-vs-rest
logistic regression. Trained with scikit-learn, saved as plain arrays (``vocab.json`` +
``weights.npz``) and scored at prediction time by a pure-numpy re-implementation (no unpickling)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ...errors import ModelError
from .lexicon import LexiconScorer
from .text import clean, words

_HAN = re.compile(r"[\u4e00-\u9fff]+")
Item = tuple  # (title, body)


class LinearBackend:
    """Settings only in the constructor; ``fit`` learns vocabulary, idf and weights."""

    name = "linear"

    def __init__(self, labels: Sequence[str], lexicon: LexiconScorer | None = None, char_ngrams: tuple[int, int] = (1, 3),
                 max_features: int = 40000, min_df: int = 2, C: float = 4.0, lexicon_weight: float = 1.0,
                 max_chars: int = 3000, lexicon_blend: float = 0.5):
        self.labels = list(labels)
        self.lexicon = lexicon
        self.char_ngrams = tuple(char_ngrams)
        self.max_features = int(max_features)
        self.min_df = int(min_df)
        self.C = float(C)
        self.lexicon_weight = float(lexicon_weight)
        self.max_chars = int(max_chars)
        #: final score = (1 - b) * classifier probability + b * calibrated lexicon score: the weak
        #: labels come from news, the lexicon from 机关事务 domain knowledge; the blend keeps both
        self.lexicon_blend = float(lexicon_blend) if lexicon is not None else 0.0
        self.vocab_: dict[str, int] | None = None
        self.idf_: np.ndarray | None = None
        self.coef_: np.ndarray | None = None
        self.intercept_: np.ndarray | None = None

    # -- features ----------------------------------------------------------------------------
    def analyse(self, item: Item) -> list[str]:
        """Feature strings of one article: title words (T:), body words (W:), char n-grams (C:)."""
        title, body = item
        body = (body or "")[: self.max_chars]
        feats = ["T:" + w for w in words(title or "") if len(w) > 1 or _HAN.fullmatch(w)]
        feats += ["W:" + w for w in words(body) if len(w) > 1]
        lo, hi = self.char_ngrams
        for run in _HAN.findall(clean((title or "") + "。" + body)):
            for n in range(lo, hi + 1):
                feats += ["C:" + run[i:i + n] for i in range(len(run) - n + 1)]
        return feats

    def _dense(self, items: Sequence[Item]) -> np.ndarray:
        if self.lexicon is None or self.lexicon_weight == 0:
            return np.zeros((len(items), 0))
        return self.lexicon_weight * np.stack([self.lexicon.features(t, b) for t, b in items])

    def transform(self, items: Sequence[Item], analysed: list[list[str]] | None = None) -> np.ndarray:
        """Pure-numpy TF-IDF (sublinear tf, l2 norm) plus dense lexicon features, as a dense matrix."""
        rows, cols, vals = self._tfidf(items, analysed)
        X = np.zeros((len(items), len(self.vocab_)), dtype=np.float32)
        X[rows, cols] = vals
        return np.hstack([X, self._dense(items).astype(np.float32)])

    def _tfidf(self, items: Sequence[Item], analysed: list[list[str]] | None = None):
        """Non-zero TF-IDF entries (row, column, value) of ``items``: articles touch a few hundred
        of the vocabulary's features, so scoring never builds the dense matrix."""
        if self.vocab_ is None:
            raise ModelError("linear theme model is not trained")
        if analysed is None and self._char_index() is not None:
            return self._tfidf_fast(items)
        analysed = analysed if analysed is not None else [self.analyse(it) for it in items]
        rows, cols, vals = [], [], []
        get = self.vocab_.get
        for r, feats in enumerate(analysed):
            js, tf = [], []
            for f, c in Counter(feats).items():
                j = get(f)
                if j is not None:
                    js.append(j)
                    tf.append(1.0 + math.log(c))
            if not js:
                continue
            j = np.asarray(js)
            v = np.asarray(tf, dtype=np.float32) * self.idf_[j]
            norm = np.linalg.norm(v)
            rows.append(np.full(len(js), r))
            cols.append(j)
            vals.append(v / norm if norm else v)
        if not rows:
            return np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0, dtype=np.float32)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    # -- fast feature path (prediction) -------------------------------------------------------
    # ``_tfidf_fast`` gives exactly what ``_tfidf(items, [analyse(it) ...])`` gives: the same
    # (column, tf) entries in the same order (an item's word features in order of first
    # occurrence, then its character n-grams in the order ``analyse`` first lists them), so the
    # float32 idf product, the l2 norm and the later sums are the same operations on the same
    # numbers. The character n-grams are never made as strings: a Han character is 15 bits
    # (code point - 0x4DFF), an n-gram (n <= 3) their packed 45 bits, and an occurrence that key
    # shifted left by 18 bits plus its position in the joined texts; one integer sort groups the
    # occurrences by n-gram and item, and the distinct n-grams are looked up in the vocabulary's
    # sorted key array.
    _HAN_LO, _HAN_HI = 0x4E00, 0x9FFF
    _POS_BITS = 18
    _TF = np.asarray([0.0] + [1.0 + math.log(c) for c in range(1, 4097)], dtype=np.float32)

    def _char_index(self):
        """(sorted n-gram keys, their columns, their n) of the vocabulary's ``C:`` features;
        ``None`` when the settings are outside what the packed keys hold (the string path then)."""
        cache = self.__dict__.get("_char_cache")
        if cache is not None and cache[0] is self.vocab_:
            return cache[1]
        lo, hi = self.char_ngrams
        index = None
        if 1 <= lo <= hi <= 3:
            # the Han n-grams of each length n as an [m, n] array of code points (one encode per n)
            by_n: dict[int, tuple[list[str], list[int]]] = {n: ([], []) for n in range(lo, hi + 1)}
            for f, j in self.vocab_.items():
                if f.startswith("C:") and lo <= len(f) - 2 <= hi and _HAN.fullmatch(f, 2):
                    grams, js = by_n[len(f) - 2]
                    grams.append(f[2:])
                    js.append(j)
            empty = np.zeros(0, dtype=np.int64)
            keys, cols, ns = [empty], [empty], [empty]
            for n, (grams, js) in by_n.items():
                if not grams:
                    continue
                cp = np.frombuffer("".join(grams).encode("utf-32-le"), dtype=np.uint32).reshape(-1, n)
                codes = cp.astype(np.int64) - (self._HAN_LO - 1)
                keys.append(self._pack([codes[:, i] for i in range(n)]))
                cols.append(np.asarray(js, dtype=np.int64))
                ns.append(np.full(len(grams), n, dtype=np.int64))
            keys_a = np.concatenate(keys)
            order = np.argsort(keys_a, kind="stable")   # keys are distinct: the order is the keys'
            index = (keys_a[order], np.concatenate(cols)[order], np.concatenate(ns)[order])
        self.__dict__["_char_cache"] = (self.vocab_, index)
        return index

    @staticmethod
    def _pack(codes: Sequence[np.ndarray]) -> np.ndarray:
        """The keys of n-grams given the codes (code point - 0x4DFF) of their 1st, 2nd, ... character:
        15 bits a character, from bit 30 down."""
        k = codes[0] << 30
        for i in range(1, len(codes)):
            k = k | (codes[i] << (30 - 15 * i))
        return k

    @classmethod
    def _tf(cls, counts: np.ndarray) -> np.ndarray:
        """float32(1 + math.log(c)), rounded as the string path rounds it."""
        if len(counts) and counts.max() >= len(cls._TF):
            return np.asarray([1.0 + math.log(c) for c in counts.tolist()], dtype=np.float32)
        return cls._TF[counts]

    def _char_counts(self, texts: Sequence[str]):
        """(item, column, count) of the vocabulary's character n-grams in ``texts`` (cleaned; all
        together shorter than 2**18 characters): items in order, and within an item the order in
        which ``analyse`` first lists them. The texts are joined by a non-Han separator, so no run
        of Han characters crosses two."""
        vkeys, vcols, vns = self._char_index()
        empty = np.zeros(0, dtype=np.int64)
        joined = "\n".join(texts)
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        han = (cp >= self._HAN_LO) & (cp <= self._HAN_HI)
        pos = np.flatnonzero(han)
        if not len(pos) or not len(vkeys):
            return empty, empty, empty
        c = np.zeros(len(cp) + 3, dtype=np.int64)
        c[pos] = cp[pos].astype(np.int64) - (self._HAN_LO - 1)
        brk = np.empty(len(pos), dtype=bool)
        brk[0] = True
        np.not_equal(pos[1:] - pos[:-1], 1, out=brk[1:])
        first = np.flatnonzero(brk)
        run_start = pos[first]                                   # runs of Han characters
        run_len = np.diff(np.append(first, len(pos)))
        run_of = np.zeros(len(cp), dtype=np.int64)
        run_of[pos] = np.cumsum(brk) - 1
        left = (run_start + run_len)[run_of[pos]] - pos          # characters left in the run
        lo, hi = self.char_ngrams
        occ = []
        for n in range(lo, hi + 1):
            p = pos[left >= n]
            occ.append((self._pack([c[p + i] for i in range(n)]) << self._POS_BITS) | p)
        occ_a = np.sort(np.concatenate(occ))
        ng = occ_a >> self._POS_BITS
        p = occ_a & ((1 << self._POS_BITS) - 1)
        item_of = np.repeat(np.arange(len(texts), dtype=np.int64), [len(t) + 1 for t in texts])
        it = item_of[p]
        new = np.empty(len(occ_a), dtype=bool)
        new[0] = True
        new[1:] = (ng[1:] != ng[:-1]) | (it[1:] != it[:-1])
        starts = np.flatnonzero(new)                             # one group: one n-gram in one item
        counts = np.diff(np.append(starts, len(occ_a)))
        g_ng, g_p, g_it = ng[starts], p[starts], it[starts]      # g_p: its first position
        at = np.searchsorted(vkeys, g_ng)
        at[at == len(vkeys)] = 0
        hit = vkeys[at] == g_ng
        at, g_p, g_it, counts = at[hit], g_p[hit], g_it[hit], counts[hit]
        rs = run_start[run_of[g_p]]
        rl = run_len[run_of[g_p]]
        # analyse lists a run's n-grams by n, then by position: a rank unique to (run, n, position)
        rank = (hi - lo + 1) * rs + (vns[at] - lo) * rl + (g_p - rs)
        order = np.argsort(rank)
        return g_it[order], vcols[at][order], counts[order]

    def _tfidf_fast(self, items: Sequence[Item]):
        get = self.vocab_.get
        texts, wd, wj, wc = [], [], [], []
        for r, (title, body) in enumerate(items):
            body = (body or "")[: self.max_chars]
            feats = ["T:" + w for w in words(title or "") if len(w) > 1 or _HAN.fullmatch(w)]
            feats += ["W:" + w for w in words(body) if len(w) > 1]
            for f, c in Counter(feats).items():
                j = get(f)
                if j is not None:
                    wd.append(r)
                    wj.append(j)
                    wc.append(c)
            texts.append(clean((title or "") + "。" + body))
        limit = (1 << self._POS_BITS) - 1
        if any(len(t) >= limit for t in texts):  # a very long title: the packed positions would overflow
            return self._tfidf(items, [self.analyse(it) for it in items])
        cd, cj, cc = [], [], []
        i = 0
        while i < len(texts):  # chunks of texts whose joined length fits the position bits
            j, size = i, 0
            while j < len(texts) and size + len(texts[j]) + 1 <= limit:
                size += len(texts[j]) + 1
                j += 1
            d, col, cnt = self._char_counts(texts[i:j])
            cd.append(d + i)
            cj.append(col)
            cc.append(cnt)
            i = j
        # per item: its word features, then its character n-grams
        d = np.concatenate([np.asarray(wd, dtype=np.int64)] + cd)
        part = np.concatenate([np.zeros(len(wd), dtype=np.int64), np.ones(len(d) - len(wd), dtype=np.int64)])
        seq = np.argsort(d * 2 + part, kind="stable")
        rows = d[seq]
        if not len(rows):
            return np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0, dtype=np.float32)
        cols = np.concatenate([np.asarray(wj, dtype=np.int64)] + cj)[seq]
        v = self._tf(np.concatenate([np.asarray(wc, dtype=np.int64)] + cc)[seq]) * self.idf_[cols]
        cut = np.flatnonzero(np.diff(rows)) + 1
        vals = np.concatenate([x / n if (n := np.linalg.norm(x)) else x for x in np.split(v, cut)])
        return rows, cols, vals

    # -- training ----------------------------------------------------------------------------
    def fit(self, items: Sequence[Item], Y: np.ndarray, sample_weight: np.ndarray | None = None) -> "LinearBackend":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        analysed = [self.analyse(it) for it in items]
        vec = TfidfVectorizer(analyzer=lambda x: x, min_df=min(self.min_df, max(1, len(items) // 2)),
                              max_features=self.max_features, sublinear_tf=True, dtype=np.float32)
        Xs = vec.fit_transform(analysed)
        self.vocab_ = {f: int(i) for f, i in vec.vocabulary_.items()}
        self.idf_ = vec.idf_.astype(np.float32)
        from scipy.sparse import csr_matrix, hstack

        X = hstack([Xs, csr_matrix(self._dense(items))]).tocsr()
        n_feat = X.shape[1]
        coef = np.zeros((len(self.labels), n_feat), dtype=np.float32)
        intercept = np.full(len(self.labels), -6.0, dtype=np.float32)
        for k in range(len(self.labels)):
            y = Y[:, k].astype(int)
            if y.min() == y.max():  # a label never (or always) seen: constant score
                intercept[k] = 6.0 if y[0] == 1 else -6.0
                continue
            clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, solver="liblinear")
            clf.fit(X, y, sample_weight=sample_weight)
            coef[k] = clf.coef_[0]
            intercept[k] = clf.intercept_[0]
        self.coef_, self.intercept_ = coef, intercept
        self._sk_check = (vec, X[:1])  # for tests only: the sklearn transform of the first item
        return self

    def predict_scores(self, items: Sequence[Item]) -> np.ndarray:
        if not items:
            return np.zeros((0, len(self.labels)))
        rows, cols, vals = self._tfidf(items)
        z = self._row_sums(rows, vals[:, None] * self.coef_[:, cols].T, len(items))
        dense = self._dense(items).astype(np.float32)
        if dense.shape[1]:
            z += dense @ self.coef_[:, len(self.vocab_):].T
        z += self.intercept_[None, :]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        if self.lexicon_blend > 0:
            p = (1.0 - self.lexicon_blend) * p + self.lexicon_blend * self.lexicon.batch_scores(list(items))
        return p

    @staticmethod
    def _row_sums(rows: np.ndarray, terms: np.ndarray, n: int, block: int = 32) -> np.ndarray:
        """``np.add.at(zeros((n, k)), rows, terms)`` for ``rows`` in ascending order, with the same
        float32 additions in the same order (0 + t1 + t2 + ...; a cumulative sum is sequential):
        the terms of a block of rows are laid out in a zero-padded array and summed along it."""
        z = np.zeros((n, terms.shape[1]), dtype=np.float32)
        if not len(rows):
            return z
        starts = np.searchsorted(rows, np.arange(n + 1))
        for a in range(0, n, block):
            b = min(a + block, n)
            lo, hi = starts[a], starts[b]
            if lo == hi:
                continue
            r = rows[lo:hi]
            at = np.arange(lo, hi) - starts[r] + 1           # slot 0 stays zero: the sum starts at 0
            pad = np.zeros((b - a, int(at.max()) + 1, terms.shape[1]), dtype=np.float32)
            pad[r - a, at] = terms[lo:hi]
            z[a:b] = np.cumsum(pad, axis=1)[:, -1]
        return z

    # -- persistence ---------------------------------------------------------------------------
    def save(self, path: Path) -> dict[str, Any]:
        if self.vocab_ is None:
            raise ModelError("linear theme model is not trained")
        vocab = sorted(self.vocab_, key=self.vocab_.get)
        (path / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(path / "weights.npz", idf=self.idf_.astype(np.float32),
                            coef=self.coef_.astype(np.float32), intercept=self.intercept_.astype(np.float32))
        return {"settings": {"char_ngrams": list(self.char_ngrams), "max_features": self.max_features,
                             "min_df": self.min_df, "C": self.C, "lexicon_weight": self.lexicon_weight,
                             "max_chars": self.max_chars, "lexicon_blend": self.lexicon_blend},
                "n_features": len(vocab)}

    @classmethod
    def load(cls, path: Path, labels: Sequence[str], lexicon: LexiconScorer | None, meta: dict) -> "LinearBackend":
        s = dict(meta.get("backend_config", {}).get("settings", {}))
        obj = cls(labels, lexicon, char_ngrams=tuple(s.get("char_ngrams", (1, 3))),
                  max_features=s.get("max_features", 40000), min_df=s.get("min_df", 2), C=s.get("C", 4.0),
                  lexicon_weight=s.get("lexicon_weight", 1.0), max_chars=s.get("max_chars", 3000),
                  lexicon_blend=s.get("lexicon_blend", 0.0))
        try:
            vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
            with np.load(path / "weights.npz", allow_pickle=False) as w:
                obj.idf_, obj.coef_, obj.intercept_ = w["idf"], w["coef"], w["intercept"]
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(f"{path}: incomplete linear theme model ({err})") from None
        obj.vocab_ = {f: i for i, f in enumerate(vocab)}
        if obj.coef_.shape[0] != len(obj.labels):
            raise ModelError(f"{path}: weights do not match the {len(obj.labels)} labels")
        return obj

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
        z = np.zeros((len(items), len(self.labels)), dtype=np.float32)
        np.add.at(z, rows, vals[:, None] * self.coef_[:, cols].T)
        dense = self._dense(items).astype(np.float32)
        if dense.shape[1]:
            z += dense @ self.coef_[:, len(self.vocab_):].T
        z += self.intercept_[None, :]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        if self.lexicon_blend > 0:
            p = (1.0 - self.lexicon_blend) * p + self.lexicon_blend * self.lexicon.batch_scores(list(items))
        return p

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

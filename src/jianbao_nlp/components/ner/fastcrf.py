"""Exact fast prediction for the character CRF: crfsuite's weights in numpy, features as integers.

``model.crfsuite`` stays the one authority: at load time its binary layout (crfsuite's ``crf1dm``
file: a header, the feature array, two CQDB string databases for labels and attributes) is read
directly by ``jianbao_nlp.crfsuite_model``, without running anything from the file. The text dump
that pycrfsuite's ``Tagger.info()`` parses prints weights with six decimals, so it is not used.

Prediction computes the same numbers crfsuite computes, in the same order:

- every feature template of ``features.Featurizer`` (``TEMPLATES``) becomes one integer key per
  character (code points, ``cp1 << 21 | cp2`` for character pairs, small codes for word-position,
  gazetteer, cluster and cue tags) and one vectorised look-up of the attribute's weight row; no
  feature strings are built;
- the emission score of a character is the float64 sum of the weight rows of its attributes in
  template order, starting from the first, exactly crfsuite's ``state[l] += w * 1.0`` loop (absent
  attributes add 0.0, which changes no sum);
- Viterbi is crfsuite's ``crf1dc_viterbi``: ``alpha[t-1, i] + trans[i, j]`` maximised over ``i``,
  then ``+ state[t, j]``; the final label is the first maximum, and each back pointer is the first
  ``i`` reaching the maximum (recomputed from the stored alphas along the chosen path only). It runs
  over a batch of sentences at once (sorted by length, one loop over positions).

Load time: the look-ups are built from what ``derive`` makes of the model's 150k attribute strings
(per template the attribute ids and their integer keys, the gazetteer and cluster token vocabularies,
the word values). ``fastcrf-index.npz`` beside the model file (``INDEX_FILE``, written by
``CRFTagger.save`` through ``write_index``; plain arrays, read with ``allow_pickle=False``) holds
exactly that, with a format version and the sha256 of the model file; where it is present and fresh
the strings are not decoded at all, otherwise (missing, stale, unreadable) they are, as before.
The parts that come from the Featurizer (clusters, surnames, titles) are always computed at load.

Texts the fast path cannot represent the way crfsuite sees them (a NUL character, which crfsuite's
C strings cut; lone surrogates; a word cut that does not cover the text) go through crfsuite.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import zipfile
from itertools import compress, repeat
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Sequence

import numpy as np

from ...crfsuite_model import read_crfsuite, weight_tables
from ...io_utils import write_atomic
from . import features as _features
from .features import PAD, TEMPLATES, Featurizer, char_class

log = logging.getLogger(__name__)

_CLASSES = "HDASQBP"                      # char_class() letters -> 0..6
_WP = ["S"] + [p + str(b) for b in range(2, 6) for p in "BME"] + ["^", "$"]
_WP_ID = {t: i for i, t in enumerate(_WP)}
_WP_CARET, _WP_DOLLAR, _NWP = _WP_ID["^"], _WP_ID["$"], len(_WP)
_SEP = PAD * 3                            # between sentences: +-2 windows see PAD, cues see nothing


# -- key -> weight-row look-ups --------------------------------------------------------------------
class _Dense:
    """Small non-negative integer keys: one table; keys past the end hit the zero row."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, size: int | None = None):
        zero = len(rows)
        size = int(size if size is not None else (keys.max() + 1 if len(keys) else 0))
        self.table = np.full(size + 1, zero, dtype=np.int32)
        self.table[keys] = rows
        self.last = size

    def __call__(self, q: np.ndarray) -> np.ndarray:
        return self.table[np.minimum(q, self.last)]


class _Hashed:
    """Large integer keys (character pairs): open addressing, linear probing, looked up in bulk."""

    _MUL = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, keys: np.ndarray, rows: np.ndarray):
        n = len(keys)
        self.zero = n
        self.bits = max(4, int(np.ceil(np.log2(max(n, 1) * 4))))   # load factor <= 1/4
        size = 1 << self.bits
        slot = self._hash(keys)
        self.keys = np.full(size + n + 1, -1, dtype=np.int64)     # no wrap-around: room at the end
        self.rows = np.full(size + n + 1, n, dtype=np.int32)
        pend = np.arange(n)
        while len(pend):                                           # one round per probe distance
            s = slot[pend]
            free = self.keys[s] == -1
            cand, cs = pend[free], s[free]
            taken, first = np.unique(cs, return_index=True)        # the first claimant of a slot wins
            win = cand[first]
            self.keys[taken] = keys[win]
            self.rows[taken] = rows[win]
            placed = np.zeros(n, dtype=bool)
            placed[win] = True
            pend = pend[~placed[pend]]
            slot[pend] += 1

    def _hash(self, q: np.ndarray) -> np.ndarray:
        return ((q.astype(np.uint64) * self._MUL) >> np.uint64(64 - self.bits)).astype(np.int64)

    def __call__(self, q: np.ndarray) -> np.ndarray:
        s = self._hash(q)
        k = self.keys[s]
        r = self.rows[s]
        miss = k != q
        idx = np.flatnonzero(miss & (k != -1))
        while len(idx):                                            # collisions: probe on
            s[idx] += 1
            k2 = self.keys[s[idx]]
            hit = k2 == q[idx]
            r[idx[hit]] = self.rows[s[idx[hit]]]
            idx = idx[~hit & (k2 != -1)]
        r[miss & (self.keys[s] != q)] = self.zero
        return r


def _index_of(tokens: Sequence[str]) -> dict[str, int]:
    """Token -> its position in ``tokens`` (a vocabulary as ``derive`` lists it)."""
    return {t: i for i, t in enumerate(tokens)}


def _vocab(tokens) -> dict[str, int]:
    return _index_of(sorted(set(tokens)))


def derive(attrs: Sequence[str]) -> dict:
    """What the look-ups need from the model's attribute strings: per template of ``TEMPLATES``
    the attribute ids (``ids``) and their integer keys (``keys``, in the same order; none for "w"),
    the token vocabularies of the gazetteer and cluster templates (sorted lists) and the values of
    the "w" attributes (``words``, in id order). This is what the index file stores."""
    parts = list(map(methodcaller("partition", "="), attrs))
    names = np.array(list(map(itemgetter(0), parts)) or [""])
    has_eq = np.fromiter(map(bool, map(itemgetter(1), parts)), dtype=bool, count=len(parts))
    values = list(map(itemgetter(2), parts))
    by: dict[str, tuple[np.ndarray, list[str]]] = {}     # template -> (attribute ids, values)
    for t in TEMPLATES:
        ids = np.flatnonzero((names[:len(parts)] == t) & has_eq)
        by[t] = (ids, [values[i] for i in ids.tolist()])
    out_ids: dict[str, np.ndarray] = {}
    out_keys: dict[str, np.ndarray] = {}

    if len(parts) >= 1 << 31:
        raise ValueError("too many attributes for int32 ids")

    def keyed(name, keys, ok=None):
        """The attributes of a template (those with ok, as int32 ids) and their keys."""
        out_ids[name] = (by[name][0] if ok is None else by[name][0][ok]).astype(np.int32)
        out_keys[name] = np.asarray(keys, dtype=np.int64)

    def chars(name, n):
        """Attributes whose value is n characters: keys cp (n = 1) or cp1 << 21 | cp2 (n = 2)."""
        vals = by[name][1]
        ok = np.fromiter(map(len, vals), dtype=np.int64, count=len(vals)) == n
        cp = np.frombuffer("".join(compress(vals, ok)).encode("utf-32-le"), dtype=np.uint32)
        cp = cp.astype(np.int64).reshape(-1, n)
        keyed(name, cp[:, 0] if n == 1 else (cp[:, 0] << 21) | cp[:, 1], ok)

    def tokens(name, vocab, n):
        """Attributes whose value is n '|'-separated tokens of vocab: base-(len(vocab)+1) keys."""
        vals = by[name][1]
        ok = np.fromiter(map(methodcaller("count", "|"), vals), dtype=np.int64, count=len(vals)) == n - 1
        toks = "|".join(compress(vals, ok)).split("|") if ok.any() else []
        tid = np.fromiter(map(vocab.get, toks, repeat(-1)), dtype=np.int64, count=len(toks)).reshape(-1, n)
        good = (tid >= 0).all(1)
        ok[ok] = good
        key = np.zeros(int(good.sum()), dtype=np.int64)
        for c in range(n):
            key = key * (len(vocab) + 1) + tid[good, c]
        keyed(name, key, ok)

    for name in ("c0", "c-1", "c1"):
        chars(name, 1)
    for name in ("c-1c0", "c0c1", "c-2c-1", "c1c2", "c-1c1"):
        chars(name, 2)
    tokens("wp", _WP_ID, 3)                                # word position (jieba cut): fixed codes
    # gazetteer tags: tokens as seen in the model (others can match nothing: UNK)
    gvocab = _vocab(set(by["g"][1]) | {t for v in by["g3"][1] for t in v.split("|")} | {"O", "^", "$"})
    tokens("g", gvocab, 1)
    tokens("g3", gvocab, 3)
    # character clusters: token ids (coarse "c<k>" / "cu", fine "f<k>" / "fu")
    kvocab = _vocab(set("|".join(by["k"][1]).split("|")) | {"cu"})
    fvocab = _vocab(set("|".join(by["f-1"][1] + by["f1"][1]).split("|")) | {"fu"})
    tokens("k", kvocab, 3)
    tokens("f-1", fvocab, 2)
    tokens("f1", fvocab, 2)
    keyed("w", [])                                          # word identity: a dict of the values

    # surname / title cue: class letter, surname bit, title starts at +1, +2, +3
    def cue(v):
        if len(v) != 5 or v[0] not in _CLASSES or any(d not in "01" for d in v[1:]):
            return None
        return _CLASSES.index(v[0]) * 16 + int(v[1:], 2)

    cues = [cue(v) for v in by["s"][1]]
    keyed("s", [c for c in cues if c is not None], np.array([c is not None for c in cues], dtype=bool))
    return {"ids": out_ids, "keys": out_keys, "gvocab": list(gvocab), "kvocab": list(kvocab),
            "fvocab": list(fvocab), "words": by["w"][1]}


# -- the index file: derive()'s arrays beside the model, keyed to its sha256 ----------------------
INDEX_FILE = "fastcrf-index.npz"
INDEX_VERSION = 1      # raise it when derive()'s keys or arrays change meaning
# what the stored keys assume besides derive() itself (checked at load)
_LAYOUT = " ".join(TEMPLATES) + " | " + " ".join(_WP) + " | " + _CLASSES


def _strings_array(strings: Sequence[str]) -> np.ndarray:
    """Strings as one uint8 array (UTF-8, each ended by NUL, which attribute strings cannot hold)."""
    return np.frombuffer("".join(s + "\x00" for s in strings).encode("utf-8"), dtype=np.uint8)


def _array_strings(a: np.ndarray) -> list[str]:
    if a.dtype != np.uint8 or a.ndim != 1 or (len(a) and a[-1] != 0):
        raise ValueError("malformed string array")
    return a.tobytes().decode("utf-8").split("\x00")[:-1]


def index_arrays(model: str | Path | bytes) -> dict[str, np.ndarray]:
    """The index of a model file (a path or its bytes): ``derive`` of its attribute strings as plain
    arrays, with the format version, the key layout, the attribute count and the file's sha256."""
    buf = bytes(model) if isinstance(model, (bytes, bytearray, memoryview)) else Path(model).read_bytes()
    _labels, attrs, _feats = read_crfsuite(buf)
    d = derive(attrs)
    return {
        "version": np.array(INDEX_VERSION, dtype=np.int64),
        "layout": _strings_array([_LAYOUT]),
        "sha256": np.frombuffer(hashlib.sha256(buf).digest(), dtype=np.uint8),
        "n_attrs": np.array(len(attrs), dtype=np.int64),
        "counts": np.array([len(d["ids"][t]) for t in TEMPLATES], dtype=np.int64),
        "ids": np.concatenate([d["ids"][t] for t in TEMPLATES]),
        "nkeys": np.array([len(d["keys"][t]) for t in TEMPLATES], dtype=np.int64),
        "keys": np.concatenate([d["keys"][t] for t in TEMPLATES]),
        "gvocab": _strings_array(d["gvocab"]),
        "kvocab": _strings_array(d["kvocab"]),
        "fvocab": _strings_array(d["fvocab"]),
        "words": _strings_array(d["words"]),
    }


def write_index(model_path: str | Path, index_path: str | Path | None = None) -> Path:
    """Write the index of ``model_path`` (default: ``INDEX_FILE`` beside it) atomically."""
    model_path = Path(model_path)
    target = Path(index_path) if index_path is not None else model_path.with_name(INDEX_FILE)
    bio = io.BytesIO()
    # np.savez's format (uncompressed: loads faster), with fixed entry times: the same model gives
    # the same bytes
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_STORED) as zf:
        for key, val in index_arrays(model_path).items():
            with zf.open(zipfile.ZipInfo(key + ".npy", (1980, 1, 1, 0, 0, 0)), "w", force_zip64=True) as f:
                np.lib.format.write_array(f, val, allow_pickle=False)
    write_atomic(target, bio.getvalue())
    os.chmod(target, os.stat(model_path).st_mode & 0o666)   # as readable as the model
    return target


def read_index(path: str | Path, model: bytes, n_attrs: int) -> dict:
    """``derive``'s result from an index file, checked against the model file's bytes and attribute
    count; ValueError (or the reader's error) when it is stale, of another version or malformed."""
    with np.load(path, allow_pickle=False) as z:
        if z["version"].shape != () or int(z["version"]) != INDEX_VERSION:
            raise ValueError(f"format version {z['version']}, not {INDEX_VERSION}")
        if _array_strings(z["layout"]) != [_LAYOUT]:
            raise ValueError("written for other feature templates")
        if z["sha256"].tobytes() != hashlib.sha256(model).digest():
            raise ValueError("stale: written for another model file")
        if int(z["n_attrs"]) != n_attrs:
            raise ValueError("attribute count differs")
        counts, nkeys, ids, keys = z["counts"], z["nkeys"], z["ids"], z["keys"]
        if (counts.shape != (len(TEMPLATES),) or nkeys.shape != counts.shape or ids.ndim != 1 or keys.ndim != 1
                or not np.issubdtype(counts.dtype, np.integer) or not np.issubdtype(nkeys.dtype, np.integer)
                or (counts < 0).any() or (nkeys < 0).any()
                or int(counts.sum()) != len(ids) or int(nkeys.sum()) != len(keys)
                or not np.issubdtype(ids.dtype, np.integer) or keys.dtype != np.int64
                or (len(ids) and (ids.min() < 0 or ids.max() >= n_attrs))):
            raise ValueError("malformed id / key arrays")
        io_, ko = np.cumsum(counts) - counts, np.cumsum(nkeys) - nkeys
        d = {"ids": {t: ids[a:a + n] for t, a, n in zip(TEMPLATES, io_.tolist(), counts.tolist())},
             "keys": {t: keys[a:a + n] for t, a, n in zip(TEMPLATES, ko.tolist(), nkeys.tolist())}}
        for t in TEMPLATES:
            if t != "w" and len(d["keys"][t]) != len(d["ids"][t]):
                raise ValueError(f"template {t}: keys and ids differ in number")
        for name in ("gvocab", "kvocab", "fvocab", "words"):
            d[name] = _array_strings(z[name])
        if len(d["words"]) != len(d["ids"]["w"]):
            raise ValueError("word values and ids differ in number")
    return d


class FastCRF:
    """The CRF's weights as arrays, plus the Featurizer's templates as integer look-ups."""

    CHUNK = 131072                          # characters decoded together
    BLOCK = 2048                            # characters whose emission scores are summed together

    def __init__(self, labels: list[str], attrs: Sequence[str] | int, feats: np.ndarray, featurizer: Featurizer,
                 derived: dict | None = None):
        """attrs: the model's attribute strings, or only their count where ``derived`` (what
        ``derive`` makes of the strings, e.g. read from the index file) is given."""
        self.labels = list(labels)
        n_attrs = attrs if isinstance(attrs, int) else len(attrs)
        # trans[i, j]: from label i to label j
        self.W, self.trans = weight_tables(len(labels), n_attrs, feats)
        self.transT = np.ascontiguousarray(self.trans.T)    # transT[j, i]
        self.fz = featurizer
        self._build(derive(attrs) if derived is None else derived)
        del self.W                                          # kept per template in self.Wt
        self.indexed = False                                # built from an index file (from_file)

    @classmethod
    def from_file(cls, path: str | Path, featurizer: Featurizer, index: str | Path | None = None) -> "FastCRF":
        """From a model file; with ``index``, from that index file where it is fresh (version,
        layout and the model's sha256 match), else (missing, stale, unreadable) from the strings."""
        buf = Path(path).read_bytes()
        if index is not None:
            if not Path(index).is_file():
                log.debug("%s: no fast CRF index; reading the attribute strings", index)
            else:
                try:
                    labels, n_attrs, feats = read_crfsuite(buf, attributes=False)
                    fast = cls(labels, n_attrs, feats, featurizer, read_index(index, buf, n_attrs))
                    fast.indexed = True
                    return fast
                except Exception as err:     # a derived file: never worse than not having it
                    log.info("%s: fast CRF index not used (%s); reading the attribute strings", index, err)
        labels, attrs, feats = read_crfsuite(buf)
        return cls(labels, attrs, feats, featurizer)

    # -- look-up tables from derive()'s arrays -----------------------------------------------------
    def _build(self, d: dict) -> None:
        fz = self.fz
        self.Wt: dict[str, np.ndarray] = {}

        def keyed(name):
            """(keys, local rows) of a template's attributes; their weights go to self.Wt[name],
            with a zero row last."""
            ids = d["ids"][name]
            if len(ids) and (ids.min() < 0 or ids.max() >= len(self.W)):
                raise ValueError(f"template {name}: attribute ids out of range")
            self.Wt[name] = w = np.zeros((len(ids) + 1, self.W.shape[1]))
            np.take(self.W, ids, axis=0, out=w[:-1], mode="clip")   # in range: checked (clip: unbuffered)
            return d["keys"][name], np.arange(len(ids), dtype=np.int32)

        self.look = {}
        for name in ("c0", "c-1", "c1"):
            self.look[name] = _Dense(*keyed(name))
        for name in ("c-1c0", "c0c1", "c-2c-1", "c1c2", "c-1c1"):
            self.look[name] = _Hashed(*keyed(name))

        self.look["wp"] = _Dense(*keyed("wp"), size=(_NWP + 1) ** 3)
        self.gvocab = _index_of(d["gvocab"])
        self.g_unk = len(self.gvocab)
        self.look["g"] = _Dense(*keyed("g"), size=self.g_unk + 1)
        self.look["g3"] = _Dense(*keyed("g3"), size=(self.g_unk + 1) ** 3)
        self._gkind: dict[str, tuple[int, int, int]] = {}
        self.kvocab = _index_of(d["kvocab"])
        self.fvocab = _index_of(d["fvocab"])
        nk, nf = len(self.kvocab) + 1, len(self.fvocab) + 1
        self.look["k"] = _Dense(*keyed("k"), size=nk ** 3)
        self.look["f-1"] = _Dense(*keyed("f-1"), size=nf ** 2)
        self.look["f1"] = _Dense(*keyed("f1"), size=nf ** 2)
        self.nk, self.nf = nk, nf
        top = max([ord(c) for c in fz.clusters] + [ord(PAD)]) + 1
        self.kcp = np.full(top + 1, self.kvocab.get("cu", nk - 1), dtype=np.int64)
        self.fcp = np.full(top + 1, self.fvocab.get("fu", nf - 1), dtype=np.int64)
        for c, (a, b) in fz.clusters.items():
            self.kcp[ord(c)] = self.kvocab.get(fz._coarse[c], nk - 1)
            self.fcp[ord(c)] = self.fvocab.get(fz._fine[c], nf - 1)
        self.cl_last = top
        # word identity: dict look-up per word ("w=" alone for one-character words)
        _, wr = keyed("w")
        wv = d["words"]
        self.words = {v: r for v, r in zip(wv, wr.tolist()) if v}
        self.w_empty = next((r for v, r in zip(wv, wr.tolist()) if not v), len(wr))
        self.w_zero = len(wr)
        # surname / title cue: class letter, surname bit, title starts at +1, +2, +3
        self.look["s"] = _Dense(*keyed("s"), size=len(_CLASSES) * 16)
        sur = [ord(s) for s in fz.gaz.surnames if len(s) == 1]
        self.sur = np.zeros(max(sur + [0]) + 2, dtype=np.int64)
        self.sur[sur] = 8
        self.sur_last = len(self.sur) - 1
        self.sur[-1] = 0
        self.cls = np.full(0x110000, 255, dtype=np.uint8)  # char_class cache by code point
        # title cues: Featurizer._title_re marks every position where a title word of 2-4
        # characters starts; here the first two characters select candidates (a key look-up) and
        # the words are checked there. Done over the joined sentences, valid while no title holds PAD
        tw = [t for t in fz.gaz.titles if 2 <= len(t) <= 4]
        self.title_words = set(tw)
        self.title_lens = sorted({len(t) for t in tw})
        self.title_pre = np.unique(np.array([(ord(t[0]) << 21) | ord(t[1]) for t in tw] + [-1], dtype=np.int64))
        self.joined_titles = bool(tw) and not any(PAD in t for t in fz.gaz.titles)
        # rows of the per-template weight tables as single 8*L-byte items (a faster gather)
        self.Wv = {n: w.view(np.dtype((np.void, w.itemsize * w.shape[1]))).ravel() for n, w in self.Wt.items()}

    # -- features -> emission scores ---------------------------------------------------------------
    def _gkind_ids(self, kind: str) -> tuple[int, int, int]:
        ids = self._gkind.get(kind)
        if ids is None:
            ids = self._gkind[kind] = tuple(self.gvocab.get(p + kind, self.g_unk) for p in "BIE")
        return ids

    def emissions(self, texts: Sequence[str], cuts: Sequence[Sequence[str]]) -> np.ndarray:
        """[sum(len), n_labels] float64 state scores of the concatenated texts (all non-empty)."""
        fz = self.fz
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        N = int(lens.sum())
        B = len(texts)
        S = _SEP + _SEP.join(texts) + _SEP
        cp = np.frombuffer(S.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        seg = np.repeat(np.arange(B), lens)
        pos = np.arange(N) + 3 * (seg + 1)                  # index of each character in S
        starts = np.cumsum(lens) - lens                     # first character of each text (of N)
        first = np.zeros(N, dtype=bool)
        first[starts] = True
        last = np.zeros(N, dtype=bool)
        last[starts + lens - 1] = True

        c0, cm1, cp1, cm2, cp2 = cp[pos], cp[pos - 1], cp[pos + 1], cp[pos - 2], cp[pos + 2]
        lk = self.look
        rows: list[np.ndarray] = [
            lk["c0"](c0), lk["c-1"](cm1), lk["c1"](cp1),
            lk["c-1c0"]((cm1 << 21) | c0), lk["c0c1"]((c0 << 21) | cp1),
            lk["c-2c-1"]((cm2 << 21) | cm1), lk["c1c2"]((cp1 << 21) | cp2),
            lk["c-1c1"]((cm1 << 21) | cp1),
        ]
        # word positions from the cut
        words = [w for ws in cuts for w in ws]
        wl = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        cl = np.repeat(wl, wl)
        wstart = np.repeat(np.cumsum(wl) - wl, wl)
        p = np.arange(N) - wstart
        bucket = np.minimum(cl, 5)
        wp = np.where(cl == 1, 0, 1 + (bucket - 2) * 3 + np.where(p == 0, 0, np.where(p == cl - 1, 2, 1)))
        wprev = np.empty_like(wp)
        wprev[1:] = wp[:-1]
        wprev[first] = _WP_CARET
        wnext = np.empty_like(wp)
        wnext[:-1] = wp[1:]
        wnext[last] = _WP_DOLLAR
        nw = _NWP + 1
        rows.append(lk["wp"]((wprev * nw + wp) * nw + wnext))
        # gazetteer tags
        gv = self.gvocab
        g = np.full(N, gv["O"], dtype=np.int64)
        gaz = fz.gaz
        ms, me, mb, mi, mE = [], [], [], [], []
        for off, t in zip(starts.tolist(), texts):
            for s, e, kind in gaz.matches(t):
                b_, i_, e_ = self._gkind_ids(kind)
                ms.append(off + s)
                me.append(off + e)
                mb.append(b_)
                mi.append(i_)
                mE.append(e_)
        if ms:
            ms_, me_ = np.array(ms), np.array(me)
            inner = me_ - ms_ - 2
            if inner.max() > 0:
                ip = np.repeat(ms_ + 1 - np.cumsum(inner) + inner, inner) + np.arange(int(inner.sum()))
                g[ip] = np.repeat(np.array(mi), inner)
            g[ms_] = mb
            g[me_ - 1] = mE
        ng = self.g_unk + 1
        gprev = np.empty_like(g)
        gprev[1:] = g[:-1]
        gprev[first] = gv["^"]
        gnext = np.empty_like(g)
        gnext[:-1] = g[1:]
        gnext[last] = gv["$"]
        rows.append(lk["g"](g))
        rows.append(lk["g3"]((gprev * ng + g) * ng + gnext))
        # clusters over S (PAD included), then at each character's window
        kc = self.kcp[np.minimum(cp, self.cl_last)]
        fc = self.fcp[np.minimum(cp, self.cl_last)]
        nk, nf = self.nk, self.nf
        rows.append(lk["k"]((kc[pos - 1] * nk + kc[pos]) * nk + kc[pos + 1]))
        rows.append(lk["f-1"](fc[pos - 1] * nf + fc[pos]))
        rows.append(lk["f1"](fc[pos] * nf + fc[pos + 1]))
        # word identity
        wrow = np.fromiter(map(self.words.get, words, repeat(self.w_zero)), dtype=np.int32, count=len(words))
        wrow[wl == 1] = self.w_empty
        rows.append(np.repeat(wrow, wl))
        # class, surname, title cues
        cls = self.cls[c0]
        miss = cls == 255
        if miss.any():
            for u in np.unique(c0[miss]).tolist():
                self.cls[u] = _CLASSES.index(char_class(chr(u)))
            cls = self.cls[c0]
        ts = np.zeros(len(S) + 4, dtype=np.int64)
        if self.joined_titles:
            k01 = (c0 << 21) | cp1
            tp = self.title_pre
            i = np.minimum(np.searchsorted(tp, k01), len(tp) - 1)
            tw, tl = self.title_words, self.title_lens
            ts[[p for p in pos[tp[i] == k01].tolist() if any(S[p:p + n] in tw for n in tl)]] = 1
        else:
            for k, t in enumerate(texts):
                base = 3 * (k + 1) + int(starts[k])
                ts[[base + m.start() for m in fz._title_re.finditer(t)]] = 1
        cue = cls.astype(np.int64) * 16 + self.sur[np.minimum(c0, self.sur_last)] \
            + ts[pos + 1] * 4 + ts[pos + 2] * 2 + ts[pos + 3]
        rows.append(lk["s"](cue))

        # weight rows summed in template order, in blocks that stay in cache
        Wv = [self.Wv[name] for name in TEMPLATES]
        L = self.trans.shape[0]
        E = np.empty((N, L), dtype=np.float64)
        Ev = E.view(Wv[0].dtype).ravel()
        blk = self.BLOCK
        buf = np.empty((blk, L), dtype=np.float64)
        bufv = buf.view(Wv[0].dtype).ravel()
        for b0 in range(0, N, blk):
            b1 = min(N, b0 + blk)
            # every row id is in range (a look-up's misses hit its zero row): mode="clip" gathers
            # straight into the output, where the default mode buffers
            np.take(Wv[0], rows[0][b0:b1], out=Ev[b0:b1], mode="clip")
            e, bv, bb = E[b0:b1], bufv[:b1 - b0], buf[:b1 - b0]
            for w, r in zip(Wv[1:], rows[1:]):
                np.take(w, r[b0:b1], out=bv, mode="clip")
                e += bb
        return E

    # -- decoding ----------------------------------------------------------------------------------
    def viterbi(self, E: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """Label ids of every row of E, each sentence (starts[k], lens[k]) decoded on its own.

        The sentences run side by side, longest first, one loop over positions; scores are kept
        label-major in time-major columns (column block t holds the sentences with a position t).
        """
        B = len(lens)
        if B == 0:
            return np.empty(0, dtype=np.int64)
        order = np.argsort(-lens, kind="stable")
        st, ln = starts[order], lens[order]
        T = int(ln[0])
        L = E.shape[1]
        active = B - np.searchsorted(ln[::-1], np.arange(T), side="right")   # sentences with a position t
        off = np.concatenate([[0], np.cumsum(active)])
        n = int(off[-1])
        t_of = np.repeat(np.arange(T), active)
        idx = st[np.arange(n) - off[:-1][t_of]] + t_of       # time-major column -> row of E
        ET = np.ascontiguousarray(E[idx].T)                   # [L, n]
        A = np.empty_like(ET)                                 # alpha scores, same layout
        A[:, :B] = ET[:, :B]
        transT, trans = self.transT, self.trans
        sc_buf = np.empty((L, B))
        sc3_buf = np.empty(L * L * min(B, 2048))
        transT3 = transT[:, :, None]
        act, offs = active.tolist(), off.tolist()
        for t in range(1, T):
            a, o, p = act[t], offs[t], offs[t - 1]
            prev = A[:, p:p + a]
            best = A[:, o:o + a]
            # crfsuite: max over i of alpha[t-1, i] + trans[i][j], then + state[t, j]; the value of
            # the maximum does not depend on which i holds it (the back pointer is found below)
            if a <= 2048:   # few sentences: one [j, i, b] array, reduced over i
                sc3 = sc3_buf[:L * L * a].reshape(L, L, a)
                np.add(transT3, prev[None, :, :], out=sc3)
                np.maximum.reduce(sc3, axis=1, out=best)
            else:           # many: one i at a time
                sc = sc_buf[:, :a]
                np.add(transT[:, 0, None], prev[0], out=best)
                for i in range(1, L):
                    np.add(transT[:, i, None], prev[i], out=sc)
                    np.maximum(best, sc, out=best)
            best += ET[:, o:o + a]
        # the last position of each sentence: the first label with the largest score
        lab = A[:, off[ln - 1] + np.arange(B)].argmax(0)
        LT = np.empty(n, dtype=np.int64)
        for t in range(T - 1, 0, -1):
            a, o, p = act[t], offs[t], offs[t - 1]
            LT[o:o + a] = lab[:a]
            # crfsuite's back pointer of (t, j): the first i with the largest alpha[t-1, i] + trans[i][j]
            lab[:a] = (A[:, p:p + a] + trans[:, lab[:a]]).argmax(0)
        LT[:B] = lab
        out = np.empty(len(E), dtype=np.int64)
        out[idx] = LT
        return out

    # -- entry point -------------------------------------------------------------------------------
    def tag_ids(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """Label ids per text; None where the text must go through crfsuite (see the module doc)."""
        result: list[np.ndarray | None] = [None] * len(texts)
        keep, cuts = [], []
        cut = _features._cut
        for k, t in enumerate(texts):
            if not t or "\x00" in t:
                continue
            try:
                t.encode("utf-8")
            except UnicodeEncodeError:
                continue
            ws = cut(t)
            if sum(map(len, ws)) != len(t):
                continue
            keep.append(k)
            cuts.append(ws)
        i = 0
        while i < len(keep):                 # chunks of about CHUNK characters (cache-sized arrays)
            j, size = i, 0
            while j < len(keep) and (j == i or size < self.CHUNK):
                size += len(texts[keep[j]])
                j += 1
            sub = [texts[k] for k in keep[i:j]]
            E = self.emissions(sub, cuts[i:j])
            lens = np.fromiter(map(len, sub), dtype=np.int64, count=len(sub))
            starts = np.cumsum(lens) - lens
            ids = self.viterbi(E, starts, lens)
            for k, s, n in zip(keep[i:j], starts.tolist(), lens.tolist()):
                result[k] = ids[s:s + n]
            i = j
        return result

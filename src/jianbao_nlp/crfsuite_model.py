"""A crfsuite CRF1d model file read as data: labels, attributes and exact float64 weights.

crfsuite's ``crf1dm`` layout (a header, the feature array, two CQDB string databases for labels and
attributes) is parsed directly; nothing from the file is run. The text dump that pycrfsuite's
``Tagger.info()`` parses prints weights with six decimals, so it is not used. Shared by the NER
character CRF (``components/ner/fastcrf.py``) and the summary keep/drop tagger
(``components/summary/fastcrf.py``). Decoding the attribute strings is the costly part; with
``attributes=False`` only their count is read (the NER path, when its index file has what it derives
from them).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

_FEATURE_DTYPE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


def _cqdb_header(buf: bytes, off: int) -> tuple[int, int]:
    """(number of keys, offset of the backward array) of the CQDB chunk at ``off``."""
    if buf[off:off + 4] != b"CQDB":
        raise ValueError("not a CQDB chunk")
    _size, _flag, _order, n, bwd = struct.unpack_from("<5I", buf, off + 4)
    return n, bwd


def _cqdb_strings(buf: bytes, off: int, end_to_end: bool = True) -> list[str]:
    """All keys of a CQDB chunk in id order (its backward array: id -> record offset).
    ``end_to_end=False`` gathers the keys byte by byte even where the records lie end to end."""
    n, bwd = _cqdb_header(buf, off)
    if n == 0:
        return []
    rec = np.frombuffer(buf, dtype="<u4", count=n, offset=off + bwd).astype(np.int64) + off
    u32 = np.frombuffer(buf, dtype=np.uint8)
    def at(p):  # little-endian uint32 at byte offsets p
        return (u32[p].astype(np.int64) | (u32[p + 1].astype(np.int64) << 8)
                | (u32[p + 2].astype(np.int64) << 16) | (u32[p + 3].astype(np.int64) << 24))
    if not (at(rec) == np.arange(n)).all():
        raise ValueError("CQDB ids out of order")
    ksize = at(rec + 4)                                  # key bytes with their NUL terminator
    if (ksize < 1).any() or (u32[rec + 8 + ksize - 1] != 0).any():
        raise ValueError("CQDB key without terminator")
    if end_to_end and (rec[1:] == rec[:-1] + 8 + ksize[:-1]).all():
        # records laid end to end in id order, as crfsuite writes them: the keys are that span
        # less each record's 8-byte head (a mask: ~5x faster than gathering every byte by index)
        lo, hi = int(rec[0]), int(rec[-1] + 8 + ksize[-1])
        keep = np.ones(hi - lo, dtype=bool)
        keep[((rec - lo)[:, None] + np.arange(8)).ravel()] = False
        raw = u32[lo:hi][keep].tobytes()
    else:
        first = np.cumsum(ksize) - ksize
        raw = u32[np.repeat(rec + 8 - first, ksize) + np.arange(int(ksize.sum()))].tobytes()
    keys = raw.decode("utf-8").split("\x00")[:-1]   # NUL cannot occur inside UTF-8
    if len(keys) != n:
        raise ValueError("CQDB key with an inner NUL")
    return keys


def read_crfsuite(source: str | Path | bytes, attributes: bool = True) -> tuple[list[str], list[str] | int, np.ndarray]:
    """(labels, attributes, features) of a crfsuite CRF1d model file (a path, or the file's bytes);
    features is a structured array (type 0 = state: src attribute -> dst label, type 1 =
    transition: src label -> dst label, weight). With ``attributes=False`` the attribute strings
    are not decoded and their count (from the header) comes in their place."""
    buf = bytes(source) if isinstance(source, (bytes, bytearray, memoryview)) else Path(source).read_bytes()
    name = "model" if isinstance(source, (bytes, bytearray, memoryview)) else str(source)
    if buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
        raise ValueError(f"{name}: not a crfsuite CRF1d model")
    _ver, _nf, n_labels, n_attrs, off_f, off_l, off_a, _olr, _oar = struct.unpack_from("<9I", buf, 12)
    if buf[off_f:off_f + 4] != b"FEAT":
        raise ValueError(f"{name}: no feature chunk")
    n = struct.unpack_from("<I", buf, off_f + 8)[0]
    feats = np.frombuffer(buf, dtype=_FEATURE_DTYPE, count=n, offset=off_f + 12).copy()
    labels = _cqdb_strings(buf, off_l)
    if not attributes:
        if _cqdb_header(buf, off_a)[0] != n_attrs:
            raise ValueError(f"{name}: the attribute count does not match the header")
        if len(labels) != n_labels:
            raise ValueError(f"{name}: label count does not match the header")
        return labels, n_attrs, feats
    attrs = _cqdb_strings(buf, off_a)
    if len(labels) != n_labels or len(attrs) != n_attrs:
        raise ValueError(f"{name}: label / attribute counts do not match the header")
    return labels, attrs, feats


def weight_tables(n_labels: int, n_attrs: int, feats: np.ndarray, extra_rows: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """State weights ``W[attribute, label]`` (plus ``extra_rows`` zero rows) and transition weights
    ``trans[from, to]`` as crfsuite applies them: every state feature of an attribute is added
    (``state[l] += w``; duplicates in file order), transitions are assigned (``trans[i][j] = w``)."""
    st = feats[feats["type"] == 0]
    tr = feats[feats["type"] == 1]
    # bincount adds each weight to its cell in file order, from 0.0: np.add.at's sums, much faster
    cell = st["src"].astype(np.intp) * n_labels + st["dst"].astype(np.intp)
    W = np.bincount(cell, weights=st["weight"], minlength=n_attrs * n_labels).reshape(n_attrs, n_labels)
    if extra_rows:
        W = np.concatenate([W, np.zeros((extra_rows, n_labels))])
    trans = np.zeros((n_labels, n_labels), dtype=np.float64)
    trans[tr["src"].astype(np.intp), tr["dst"].astype(np.intp)] = tr["weight"]
    return W, trans

"""The fast CRF path (fastcrf.py) must give crfsuite's tags exactly: a tiny CRF trained here on
invented sentences, crfsuite's Viterbi ported line by line on tie-heavy random scores, and the
shipped model when it is installed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jianbao_nlp.components.ner.crf import MODEL_FILE, CRFTagger
from jianbao_nlp.components.ner.fastcrf import FastCRF
from jianbao_nlp.components.ner.features import TEMPLATES
from jianbao_nlp.components.ner.spans import bio_to_spans
from jianbao_nlp.crfsuite_model import read_crfsuite

SHIPPED = Path(__file__).resolve().parents[3] / "models" / "ner-crf"

EXTRA = [
    "王小明",
    "局",
    "##王小明#在#杭州市#",                      # the padding character inside the text
    "李红梅同志在江苏省调研时指出，市财政局要加强管理。" * 14,   # longer than a segment
    "2025年3月，ABC公司（上海）与《人民日报》记者座谈。",
    "省教育厅 召开会议\n赵志刚主持。\t",
    "ｅｆｇ１２３，。！？",
    "陈晓东部长、刘春燕局长和周建华书记在宜宾市机关事务管理局",
    "𠀀𠀁王小明到𪚥𫝀洛阳市",                      # characters outside the BMP
]


@pytest.fixture(scope="module")
def tiny_crf(tiny_dataset, tmp_path_factory):
    clusters = {"王": (1, 10), "李": (1, 11), "局": (2, 20), "市": (3, 30), "省": (3, 31), "#": (4, 40)}
    crf = CRFTagger(max_iterations=30, minfreq=1)
    crf.fit(tiny_dataset, clusters=clusters, work_dir=tmp_path_factory.mktemp("crf"))
    return crf


def test_templates_are_the_featurizers(tiny_crf):
    feats = tiny_crf._featurizer("王小明在杭州市")
    assert all(tuple(f.partition("=")[0] for f in row) == TEMPLATES for row in feats)


def test_model_file_reader_matches_crfsuite(tiny_crf):
    labels, attrs, feats = read_crfsuite(tiny_crf._model_path)
    assert labels == list(tiny_crf._tagger.labels())
    info = tiny_crf._tagger.info()   # its text dump rounds weights to 6 decimals
    state = {(attrs[f["src"]], labels[f["dst"]]): f["weight"] for f in feats if f["type"] == 0}
    trans = {(labels[f["src"]], labels[f["dst"]]): f["weight"] for f in feats if f["type"] == 1}
    assert set(state) == set(info.state_features) and set(trans) == set(info.transitions)
    assert all(abs(state[k] - w) <= 1e-6 for k, w in info.state_features.items())
    assert all(abs(trans[k] - w) <= 1e-6 for k, w in info.transitions.items())


def test_fast_tags_equal_crfsuite_tags(tiny_crf, tiny_records):
    assert tiny_crf._fast is not None
    texts = [r["text"] for r in tiny_records] + EXTRA + [r["text"][::-1] for r in tiny_records[:10]]
    fast = tiny_crf.tag_batch(texts)
    assert all(len(t) == len(x) for t, x in zip(fast, texts))
    assert fast == [tiny_crf.tag_reference(t) for t in texts]
    assert [tiny_crf.tag(t) for t in texts[:5]] == fast[:5]   # one text: crfsuite (cheaper)
    ids = [tiny_crf._fast.tag_ids([t])[0] for t in texts]     # one text through the fast path
    assert [[tiny_crf._fast.labels[i] for i in a.tolist()] for a in ids] == fast
    # one text at a time, several at once, small chunks: the same tags
    tiny_crf._fast.CHUNK = 40
    try:
        assert tiny_crf.tag_batch(texts) == fast
    finally:
        tiny_crf._fast.CHUNK = FastCRF.CHUNK


def test_texts_crfsuite_must_tag(tiny_crf):
    texts = ["王小明\x00在杭州市", "", "李红梅"]
    ids = tiny_crf._fast.tag_ids(texts)
    assert ids[0] is None and ids[1] is None and ids[2] is not None
    assert tiny_crf.tag_batch(texts) == [tiny_crf.tag_reference(t) for t in texts]
    assert tiny_crf.tag("") == []


def test_fast_off_and_spans(tiny_crf, tiny_records):
    slow = CRFTagger(fast=False)
    slow.clusters = tiny_crf.clusters
    slow._open(tiny_crf._model_path)
    assert slow._fast is None
    texts = [r["text"] for r in tiny_records[:16]] + EXTRA
    assert slow.predict_spans(texts) == tiny_crf.predict_spans(texts)


def test_featurizer_change_disables_fast_path(tiny_crf, monkeypatch, caplog):
    import logging

    import jianbao_nlp.components.ner.features as features

    # (an in-process batch worker, in tests/batch, leaves the root logger at ERROR)
    caplog.set_level(logging.WARNING, logger="jianbao_nlp.components.ner.crf")
    monkeypatch.setattr(features, "TEMPLATES", TEMPLATES[:-1] + ("x",))
    other = CRFTagger()
    other.clusters = tiny_crf.clusters
    other._open(tiny_crf._model_path)
    assert other._fast is None and "disabled" in caplog.text
    assert other.tag("王小明") == tiny_crf.tag_reference("王小明")


def _crfsuite_viterbi(state: np.ndarray, trans: np.ndarray) -> list[int]:
    """crf1dc_viterbi of crfsuite 0.12, line by line."""
    T, L = state.shape
    cur = [float(x) for x in state[0]]
    back = [[0] * L for _ in range(T)]
    for t in range(1, T):
        prev, cur = cur, [0.0] * L
        for j in range(L):
            max_score, arg = -np.finfo(float).max, -1
            for i in range(L):
                score = prev[i] + float(trans[i, j])
                if max_score < score:
                    max_score, arg = score, i
            back[t][j] = arg
            cur[j] = max_score + float(state[t, j])
    labels = [0] * T
    max_score = -np.finfo(float).max
    for i in range(L):
        if max_score < cur[i]:
            max_score, labels[T - 1] = cur[i], i
    for t in range(T - 1, 0, -1):
        labels[t - 1] = back[t][labels[t]]
    return labels


@pytest.mark.parametrize("seed", range(4))
def test_batched_viterbi_is_crfsuites_including_ties(seed):
    rng = np.random.default_rng(seed)
    L = 5
    fast = FastCRF.__new__(FastCRF)
    fast.trans = rng.integers(-1, 2, size=(L, L)).astype(float)   # small integers: many ties
    fast.transT = np.ascontiguousarray(fast.trans.T)
    lens = rng.integers(1, 12, size=30)
    E = rng.integers(-2, 3, size=(int(lens.sum()), L)).astype(float)
    starts = np.cumsum(lens) - lens
    got = fast.viterbi(E, starts, lens)
    for s, n in zip(starts, lens):
        assert got[s:s + n].tolist() == _crfsuite_viterbi(E[s:s + n], fast.trans)


@pytest.mark.skipif(not (SHIPPED / MODEL_FILE).is_file(), reason="shipped ner-crf model not installed")
def test_shipped_model_fast_equals_crfsuite(tiny_records):
    crf = CRFTagger.load(SHIPPED)
    assert crf._fast is not None
    texts = [r["text"] for r in tiny_records] + EXTRA
    assert crf.tag_batch(texts) == [crf.tag_reference(t) for t in texts]
    assert crf.predict_spans(texts) == [bio_to_spans(crf.tag_reference(t)) for t in texts]


# -- the derived index file (fastcrf-index.npz) --------------------------------------------------
def _same(a, b, where="") -> None:
    """Deep equality of FastCRF state: arrays by dtype, shape and value, look-ups by their tables."""
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape, where
        assert np.array_equal(a, b), where
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), where
        for k, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{k}]")
    elif hasattr(a, "__dict__") and type(a).__module__ == FastCRF.__module__:
        assert type(a) is type(b), where
        _same(vars(a), vars(b), where)
    else:
        assert type(a) is type(b) and a == b, where


def _assert_same_state(x: FastCRF, y: FastCRF) -> None:
    skip = {"fz", "indexed"}
    assert set(vars(x)) == set(vars(y))
    _same({k: v for k, v in vars(x).items() if k not in skip}, {k: v for k, v in vars(y).items() if k not in skip})
    rng = np.random.default_rng(0)
    for name, look in x.look.items():    # look-up results: the model's keys and random ones
        table = look.keys[look.keys >= 0] if hasattr(look, "keys") else np.flatnonzero(look.table < len(x.Wt[name]) - 1)
        q = np.concatenate([table, rng.integers(0, 1 << 42, 500), rng.integers(0, 4096, 500)]).astype(np.int64)
        assert np.array_equal(look(q.copy()), y.look[name](q.copy())), name


def _write_npz(path: Path, arrays: dict) -> None:
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def test_index_builds_the_same_fastcrf(tiny_crf, tiny_records, tmp_path):
    from jianbao_nlp.components.ner.fastcrf import derive, read_index, write_index

    path = tiny_crf._model_path
    fz = tiny_crf._featurizer
    idx = write_index(path, tmp_path / "idx.npz")
    buf = path.read_bytes()
    _labels, attrs, _feats = read_crfsuite(buf)
    _same(read_index(idx, buf, len(attrs)), derive(attrs))
    from_strings = FastCRF.from_file(path, fz)
    from_index = FastCRF.from_file(path, fz, index=idx)
    assert from_index.indexed and not from_strings.indexed
    _assert_same_state(from_strings, from_index)
    texts = [r["text"] for r in tiny_records[:12]] + EXTRA
    got = [a.tolist() if a is not None else None for a in from_index.tag_ids(texts)]
    assert got == [a.tolist() if a is not None else None for a in from_strings.tag_ids(texts)]
    assert write_index(path, tmp_path / "again.npz").read_bytes() == idx.read_bytes()   # deterministic


def test_save_load_uses_the_index(tiny_crf, tiny_records, tmp_path, monkeypatch):
    import jianbao_nlp.components.ner.fastcrf as fastcrf

    tiny_crf.save(tmp_path)
    assert (tmp_path / fastcrf.INDEX_FILE).is_file()

    def no_strings(attrs):
        raise AssertionError("attribute strings decoded")

    monkeypatch.setattr(fastcrf, "derive", no_strings)
    loaded = CRFTagger.load(tmp_path)
    assert loaded._fast is not None and loaded._fast.indexed
    monkeypatch.undo()
    texts = [r["text"] for r in tiny_records] + EXTRA
    # (save_clusters leaves out "#", so compare with the saved model's own crfsuite tags)
    assert loaded.tag_batch(texts) == [loaded.tag_reference(t) for t in texts]
    (tmp_path / fastcrf.INDEX_FILE).rename(tmp_path / "away.npz")
    plain = CRFTagger.load(tmp_path)
    assert not plain._fast.indexed and plain.tag_batch(texts) == loaded.tag_batch(texts)
    (tmp_path / "away.npz").rename(tmp_path / fastcrf.INDEX_FILE)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    loaded.save(tmp_path)                 # into its own directory: the same files
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def _bad_indexes(model: Path):
    """(what, writer) of index files the loader must ignore."""
    from jianbao_nlp.components.ner.fastcrf import index_arrays

    good = index_arrays(model)

    def changed(**kw):
        return lambda p: _write_npz(p, {**good, **kw})

    yield "wrong sha256", changed(sha256=np.zeros(32, dtype=np.uint8))
    yield "other version", changed(version=np.array(99))
    yield "other layout", changed(layout=np.frombuffer(b"c0 c1\x00", dtype=np.uint8))
    yield "id out of range", changed(ids=np.where(np.arange(len(good["ids"])) == 0, 1 << 30, good["ids"]).astype(np.int32))
    yield "missing array", lambda p: _write_npz(p, {k: v for k, v in good.items() if k != "words"})
    yield "object array", changed(words=np.array([object()], dtype=object))

    def truncated(p):
        _write_npz(p, good)
        p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])

    yield "truncated", truncated
    yield "garbage", lambda p: p.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    yield "a directory", lambda p: p.mkdir()


def test_stale_or_corrupt_index_is_ignored(tiny_crf, tiny_records, tmp_path, caplog):
    import logging

    from jianbao_nlp.components.ner.fastcrf import INDEX_FILE

    texts = [r["text"] for r in tiny_records[:16]] + EXTRA
    tiny_crf.save(tmp_path / "m")
    want = CRFTagger.load(tmp_path / "m").tag_batch(texts)
    model = tmp_path / "m" / MODEL_FILE
    caplog.set_level(logging.INFO, logger="jianbao_nlp.components.ner.fastcrf")
    for k, (what, write) in enumerate(_bad_indexes(model)):
        d = tmp_path / f"bad{k}"
        d.mkdir()
        for f in ("model.crfsuite", "char_clusters.tsv"):
            (d / f).write_bytes((tmp_path / "m" / f).read_bytes())
        write(d / INDEX_FILE)
        caplog.clear()
        crf = CRFTagger.load(d)
        assert crf._fast is not None and not crf._fast.indexed, what
        assert "index not used" in caplog.text or what == "a directory", what
        assert crf.tag_batch(texts) == want, what


def test_index_of_a_changed_model_is_ignored(tiny_crf, tiny_records, tmp_path):
    import struct

    tiny_crf.save(tmp_path)
    model = tmp_path / MODEL_FILE
    buf = bytearray(model.read_bytes())
    off_f = struct.unpack_from("<I", buf, 12 + 16)[0]      # the feature chunk; its first weight
    w = struct.unpack_from("<d", buf, off_f + 12 + 12)[0]
    struct.pack_into("<d", buf, off_f + 12 + 12, w + 0.5)
    model.write_bytes(bytes(buf))                           # the old index stays beside it
    crf = CRFTagger.load(tmp_path)
    assert crf._fast is not None and not crf._fast.indexed
    texts = [r["text"] for r in tiny_records[:16]] + EXTRA
    assert crf.tag_batch(texts) == [crf.tag_reference(t) for t in texts]


@pytest.mark.skipif(not (SHIPPED / MODEL_FILE).is_file(), reason="shipped ner-crf model not installed")
def test_shipped_index_is_fresh():
    from jianbao_nlp.components.ner.fastcrf import INDEX_FILE, index_arrays

    assert (SHIPPED / INDEX_FILE).is_file(), "rebuild: CRFTagger.load(d).save(d)"
    with np.load(SHIPPED / INDEX_FILE, allow_pickle=False) as z:
        shipped = {k: z[k] for k in z.files}
    _same(shipped, index_arrays(SHIPPED / MODEL_FILE))   # same sha256, and what the code derives now
    crf = CRFTagger.load(SHIPPED)
    assert crf._fast is not None and crf._fast.indexed
    fresh = FastCRF.from_file(SHIPPED / MODEL_FILE, crf._featurizer, index=SHIPPED / INDEX_FILE)
    assert fresh.indexed    # (crf._fast has filled its caches on the probe texts)
    _assert_same_state(FastCRF.from_file(SHIPPED / MODEL_FILE, crf._featurizer), fresh)


def test_cqdb_keys_masked_equal_gathered(tiny_crf):
    """The attribute strings read by masking out the record heads (records end to end, as crfsuite
    writes them) are those gathered byte by byte from each record."""
    import struct

    from jianbao_nlp.crfsuite_model import _cqdb_strings

    for path in (tiny_crf._model_path, SHIPPED / MODEL_FILE, SHIPPED.parent / "summary-compression" / "tagger.crfsuite"):
        if not path.is_file():
            continue
        buf = path.read_bytes()
        off_l, off_a = struct.unpack_from("<9I", buf, 12)[5:7]
        for off in (off_l, off_a):
            assert _cqdb_strings(buf, off) == _cqdb_strings(buf, off, end_to_end=False)

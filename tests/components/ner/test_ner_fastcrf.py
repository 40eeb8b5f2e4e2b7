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
    import jianbao_nlp.components.ner.features as features

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

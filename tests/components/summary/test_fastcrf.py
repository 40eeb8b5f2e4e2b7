"""The fast exact tagger path (summary/fastcrf.py) must give crfsuite's numbers: marginals, Viterbi
labels and labelling probabilities as the same doubles, and the same candidates. A tiny CRF is
trained here on invented sentences; the shipped model is checked when it is installed."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pycrfsuite
import pytest

from jianbao_nlp.components.summary.compression import (CompressionModel, _StateTable, _tokenize,
                                                        source_sentences, token_features, token_states)
from jianbao_nlp.components.summary.fastcrf import FastCRF1d

from .test_compression import pairs

SHIPPED = Path(__file__).resolve().parents[3] / "models" / "summary-compression"

BODIES = [
    "4月9日，市机关事务局启动垃圾分类行动，部署全年任务。会议要求各单位认真落实。",
    "近日，县后勤服务中心（原县接待办）举办“公务用车”培训班，五十名驾驶员参加培训。",
    "6月1日上午，省节能办、市财政局和区管理局联合召开节能工作会议；会议指出，要抓好《办法》落实。",
    "日前，ABC公司与市公务用车中心签署协议。2025年3月，双方开展合作，实现节约12.5%。",
    "局",
    "abcdefghijk",  # a body of one word
    "市局召开会议，部署任务，要求各单位认真落实，进一步提升服务水平，" * 6 + "会议结束。",
]


def _bodies():
    return BODIES + [b for b, _ in pairs()] + [h + "。" + b for b, h in pairs()[:8]]


def _check(model: CompressionModel, bodies) -> int:
    """Compare every source sentence's numbers with crfsuite's; returns the sentences checked."""
    fast, tagger = model._fast, model._tagger
    assert fast is not None
    k, d = fast.lid["K"], fast.lid["D"]
    rng = random.Random(5)
    n = 0
    for body in bodies:
        counts: dict[str, int] = {}
        sents = [(si, sent, _tokenize(sent)) for si, sent in enumerate(source_sentences(body, model.max_sentences))]
        sents = [x for x in sents if x[2]]
        # the state scores summed from the (word, tag) slots, for all sentences at once, are the
        # doubles that summing the rows of the string features' names gives
        table = token_states([(tokens, si) for si, _, tokens in sents], body, model._states, counts)
        for (si, sent, tokens), st in zip(sents, table):
            feats = token_features(tokens, si, body, None, counts)
            ref = fast.states([fast.ids(feats)])[0]
            assert st.tolist() == ref.tolist()
            dec = fast.decode(st)
            assert dec is not None
            tagger.set(pycrfsuite.ItemSequence(feats))
            assert [fast.labels[i] for i in dec.viterbi()] == tagger.tag()
            assert dec.marginals(k) == [tagger.marginal("K", i) for i in range(len(feats))]   # the same doubles
            assert dec.marginals(d) == [tagger.marginal("D", i) for i in range(len(feats))]
            for _ in range(4):
                path = [rng.random() < 0.5 for _ in feats]
                assert dec.probability([k if m else d for m in path]) == \
                    tagger.probability(["K" if m else "D" for m in path])
            n += 1
    return n


def _candidates(model, bodies):
    return [[dataclasses.astuple(c) for c in model.candidates(b)] for b in bodies]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    data = pairs()
    model = CompressionModel()
    model.fit_tagger(data[:40], tmp_path_factory.mktemp("sumcrf") / "tagger.crfsuite", max_iterations=40)
    model.fit_reranker(data[40:])
    return model


def test_fast_numbers_equal_crfsuite_tiny(tiny_model):
    assert _check(tiny_model, _bodies()) > 40


def test_generic_forward_backward_equals_two_label_one(tiny_model):
    fast = tiny_model._fast
    body = BODIES[2]
    tokens = _tokenize(source_sentences(body)[0])
    st = fast.states([fast.ids(token_features(tokens, 0, body))])[0]
    a, b = fast.decode(st), fast.decode(st)
    b.alpha = b.beta = b.scale = None
    b._forward_backward()
    b._viterbi = None
    assert [list(x) for x in a.alpha] == b.alpha and [list(x) for x in a.beta] == b.beta
    assert a.log_norm == b.log_norm and a.viterbi() == b.viterbi()


def test_candidates_fast_equal_crfsuite_tiny(tiny_model):
    bodies = _bodies()
    fast = _candidates(tiny_model, bodies)
    saved = tiny_model._fast
    tiny_model._fast = None
    try:
        ref = _candidates(tiny_model, bodies)
    finally:
        tiny_model._fast = saved
    assert fast == ref
    # hidden words (reranker training) go through the string features, same rng draws
    got = tiny_model.candidates(bodies[0], hide_rate=0.5, rng=random.Random(3))
    tiny_model._fast = None
    try:
        want = tiny_model.candidates(bodies[0], hide_rate=0.5, rng=random.Random(3))
    finally:
        tiny_model._fast = saved
    assert got == want


def test_text_crfsuite_sees_differently_goes_through_crfsuite(tiny_model):
    body = "市局召开节\x00能会议，部署任务。会议要求各单位认真落实。"
    got = tiny_model.candidates(body)
    saved = tiny_model._fast
    tiny_model._fast = None
    try:
        assert got == tiny_model.candidates(body)
    finally:
        tiny_model._fast = saved


def test_shipped_model_fast_equals_crfsuite():
    if not (SHIPPED / "tagger.crfsuite").is_file():
        pytest.skip("shipped summary model not present")
    model = CompressionModel.from_dir(SHIPPED)
    assert _check(model, _bodies()) > 40
    bodies = _bodies()[:12]
    fast = _candidates(model, bodies)
    model._fast = None
    assert fast == _candidates(model, bodies)


def test_state_table_generations_keep_memory_flat(tiny_model):
    """Memory stays flat: a full slot table becomes the old generation before an article (its words
    are copied back when seen again), and the numbers stay the same."""
    fast = tiny_model._fast
    table = _StateTable(fast.aid, fast.zero_row, fast.W)
    table.CAP = 8
    table._allocate(8)
    biggest = 8
    for body in _bodies()[:10]:
        sents = [(toks, si) for si, s in enumerate(source_sentences(body)) if (toks := _tokenize(s))]
        biggest = max(biggest, sum(len(toks) for toks, _ in sents))
        got = token_states(sents, body, table)
        assert len(table.slots) <= len(table.shape_of) <= biggest
        assert len(table.old[0]) <= len(table.old[3]) <= biggest
        want = fast.states([fast.ids(token_features(t, si, body)) for t, si in sents])
        assert [g.tolist() for g in got] == [w.tolist() for w in want]

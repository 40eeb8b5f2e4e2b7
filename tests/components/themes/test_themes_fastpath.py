"""The prediction-time fast paths give exactly what the reference (string) paths give: the
linear backend's packed character n-gram TF-IDF against ``analyse``'s feature strings, and the
lexicon's per-article pattern pre-filter against scoring every sentence with every pattern."""

from __future__ import annotations

import numpy as np
import pytest

from jianbao_nlp.pipeline import create_component
from jianbao_nlp.components.themes.lexicon import _context_free

# invented texts: empty and blank titles, whitespace, digits, Latin, full-width forms, non-BMP
# characters (CJK extension B, emoji), a lone surrogate, Han outside the basic block, long runs
TEXTS = [
    ("", "市机关事务局召开公共机构节能工作推进会。会议要求各单位深入实施节约型机关创建行动。"),
    ("   ", "一是全面推行垃圾分类；二是实施办公楼节能改造；三是推广合同能源管理。"),
    (None, "今年全市公共机构人均能耗同比下降3.5%，节约用电120万千瓦时，ABC公司参与改造。"),
    ("区机关事务中心加强公务用车管理", "中心组织全体驾驶员开展安全驾驶培训，对12辆公务用车进行检修和保养。"),
    ("𠀀𠀁测试𪚥标题", "正文里有扩展字符𠀀𠀁𠀂和表情😀😀，还有中文节能节能节能降耗，以及㐀㐁（扩展A）。"),
    ("English title only", "Only Latin text here, DB 51/T 1234 standard, no Han at all."),
    ("", ""),
    ("标题", None),
    ("一一一", "一一一一一一。一一，一。"),
    ("党组会议", "局党组召开理论学习中心组学习会\n\n  传达学习了重要讲话精神 ，强调要坚定不移推进全面从严治党。"
     "\t扎实开展党纪学习教育，组织党员干部观看警示教育片。"),
    ("办公用房", "对各单位办公用房使用面积逐一核查，超标准部分3000平方米全部腾退并统一调配使用。" * 40),
    ("全角ＡＢＣ１２３", "全角数字１２３和字母ＡＢＣ混在机关事务管理的句子里，《机关事务管理规范》正式发布实施。"),
    ("孤立代理\ud800字符", "含有孤立代理项\udfff的文本，公务用车\ud83d管理。"),
]


@pytest.fixture(scope="module")
def shipped():
    return create_component("themes").model_


def test_fast_tfidf_equals_string_path(shipped):
    fast = shipped._tfidf(TEXTS)
    ref = shipped._tfidf(TEXTS, [shipped.analyse(it) for it in TEXTS])
    for a, b in zip(fast, ref):
        assert a.dtype == b.dtype
        assert np.array_equal(a, b)
    for it in TEXTS:  # one at a time as well
        for a, b in zip(shipped._tfidf([it]), shipped._tfidf([it], [shipped.analyse(it)])):
            assert np.array_equal(a, b)


def test_fast_tfidf_chunks_long_batches(shipped, monkeypatch):
    monkeypatch.setattr(type(shipped), "_POS_BITS", 7)  # 127 characters: many chunks, a text over the limit
    items = TEXTS[:6]
    fast = shipped._tfidf(items)
    ref = shipped._tfidf(items, [shipped.analyse(it) for it in items])
    assert all(np.array_equal(a, b) for a, b in zip(fast, ref))
    items = TEXTS  # one text is over the limit: the whole batch takes the string path
    assert all(np.array_equal(a, b) for a, b in zip(shipped._tfidf(items),
                                                     shipped._tfidf(items, [shipped.analyse(it) for it in items])))


def test_lexicon_prefilter_equals_all_patterns(shipped, monkeypatch):
    lex = shipped.lexicon
    fast = [lex._analyse(t, b) for t, b in TEXTS]
    monkeypatch.setattr(lex, "_active_patterns", lambda *texts: lex._patterns)
    ref = [lex._analyse(t, b) for t, b in TEXTS]
    assert fast == ref


def test_context_free_patterns():
    assert _context_free(r"《[^》]{0,40}(规范|指南)》") and _context_free(r"DB\s*\d+\s*/\s*T")
    for p in (r"^标题", r"会议$", r"\bDB", r"节能(?=改造)", r"(?<!不)安全", r"(?!x)y", r"\[^x"):
        assert not _context_free(p)


def test_row_sums_equal_add_at():
    from jianbao_nlp.components.themes.linear import LinearBackend

    rng = np.random.default_rng(7)
    for n in (1, 5, 33, 70):
        counts = rng.integers(0, 400, n)
        counts[rng.random(n) < 0.2] = 0  # rows without features
        rows = np.repeat(np.arange(n), counts)
        terms = (rng.standard_normal((len(rows), 9)) * 10 ** rng.uniform(-4, 2, (len(rows), 1))).astype(np.float32)
        ref = np.zeros((n, 9), dtype=np.float32)
        np.add.at(ref, rows, terms)
        assert np.array_equal(LinearBackend._row_sums(rows, terms, n), ref)


def test_trie_alternation_finds_what_the_plain_alternation_finds(shipped):
    from jianbao_nlp.components.themes.lexicon import LexiconScorer

    lex = shipped.lexicon
    extra = {t: 1 for t in ("节能", "节能改造", "节能改造项目", "改造", "造项", "a", "ab", "abc", "b", "𠀀", "𠀀𠀁", "\\d+", "(x)")}
    texts = [t or "" for pair in TEXTS for t in pair] + ["节能改造项目节能改造项节能改abcabab𠀀𠀁𠀀\\d+(x)"]
    for terms in (lex._index, lex._neg, extra, {**lex._index, **extra}):
        trie, plain = LexiconScorer._alternation(terms), LexiconScorer._plain_alternation(terms)
        for s in texts:
            assert [(m.span(), m.group()) for m in trie.finditer(s)] == [(m.span(), m.group()) for m in plain.finditer(s)]

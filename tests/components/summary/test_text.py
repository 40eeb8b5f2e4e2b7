from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jianbao_nlp.components.summary.text import (balance_brackets, headline_clean, lcs_align, lead_sentence,
                                                 rouge_l, split_sentences, strip_date_prefix)


def test_split_sentences_keeps_closing_quotes():
    s = split_sentences("他说：“要节约。”会议结束。\n第二段没有句号")
    assert s == ["他说：“要节约。”", "会议结束。", "第二段没有句号"]


def test_lead_sentence_baseline():
    assert lead_sentence("5月3日，市局召开会议。会议强调节约。") == "5月3日，市局召开会议。"


def test_strip_date_prefix():
    assert strip_date_prefix("9月24日，省局召开会议") == "省局召开会议"
    assert strip_date_prefix("近日，县局出台办法") == "县局出台办法"
    assert strip_date_prefix("2021年10月9日上午，市局举行仪式") == "市局举行仪式"
    assert strip_date_prefix("市局召开会议") == "市局召开会议"
    assert strip_date_prefix("3月以来，区中心开展试点") == "区中心开展试点"
    assert strip_date_prefix("去年以来，全市推进改革") == "全市推进改革"


def test_headline_clean():
    assert headline_clean("，市局召开会议和。") == "市局召开会议"
    assert headline_clean("市局“节约型机关创建") == "市局节约型机关创建"
    assert headline_clean("市局（扩大会议") == "市局扩大会议"
    long = "市局召开全市会议部署节能工作，" + "要求各单位认真落实节能任务" * 4
    assert len(headline_clean(long)) <= 40
    assert headline_clean(long) == "市局召开全市会议部署节能工作"


def test_lcs_align_and_rouge():
    keep = lcs_align("5日市局召开会议", "市局召开会议")
    assert "".join(c for c, k in zip("5日市局召开会议", keep) if k) == "市局召开会议"
    assert rouge_l("市局召开会议", "市局召开会议") == 1.0
    assert rouge_l("", "市局") == 0.0
    assert 0 < rouge_l("市局召开会议", "县局召开大会") < 1


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="市局召开会议“”（）《》，。的和 ", max_size=60))
def test_headline_clean_properties(text):
    out = headline_clean(text)
    assert len(out) <= 40
    assert not out.endswith(("。", "，", "的", "和"))
    assert out.count("“") == out.count("”") and out.count("（") == out.count("）")
    assert balance_brackets(out) == out


def _lcs_align_by_table(source, target):
    from jianbao_nlp.components.summary.text import lcs_table

    t = lcs_table(source, target)
    keep, i, j = [False] * len(source), 0, 0
    while i < len(source) and j < len(target):
        if source[i] == target[j]:
            keep[i], i, j = True, i + 1, j + 1
        elif t[i + 1][j] >= t[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abc市局", max_size=40), st.text(alphabet="abc市局", max_size=40))
def test_bit_parallel_lcs_matches_the_table(a, b):
    from jianbao_nlp.components.summary.text import lcs_len, lcs_table

    assert lcs_align(a, b) == _lcs_align_by_table(a, b)
    assert lcs_len(a, b) == lcs_table(a, b)[0][0]


def test_split_clauses_outside_brackets():
    from jianbao_nlp.components.summary.text import split_clauses

    assert split_clauses("5日，市局召开会议：部署任务") == ["5日，", "市局召开会议：", "部署任务"]
    assert split_clauses("市局印发《节能，降耗》通知，部署任务。") == ["市局印发《节能，降耗》通知，", "部署任务。"]
    assert split_clauses("他说“好，很好”）。，然后") == ["他说“好，很好”）。", "，", "然后"]
    assert split_clauses("") == [] and split_clauses("，") == ["，"]


def test_squash_removes_every_unicode_space():
    from jianbao_nlp.components.summary.text import squash

    assert squash(" 市局\u3000召开\n会议\t\u2028。\x85") == "市局召开会议。"
    assert squash(None) == "" and squash("") == "" and squash("市局") == "市局"

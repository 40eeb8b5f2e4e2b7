"""segment.cut / posseg / UserDictTokenizer give exactly jieba 0.42.1's output."""

from __future__ import annotations

import gzip
import json
import logging
import os
from itertools import islice
from pathlib import Path

import jieba
import jieba.posseg as pseg
import pytest

from jianbao_nlp import segment

jieba.setLogLevel(logging.WARNING)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JIANBAO_SHARED", ROOT.parent / "shared"))
XWLB = SHARED / "data" / "external" / "headlines" / "cctv_xinwenlianbo" / "xinwenlianbo.jsonl.gz"

# invented sentences covering the places where rjieba and jieba part ways
SENTENCES = [
    "",
    "1-5",
    "第1-3季度完成投资12.5%-13%，同比增长3.5%左右。",
    "TD-LTE网络和e-mail系统在2023年3月上线，版本号3.5.6。",
    "abc-123def与x.y.z以及a_b、a__b--c..d%%e##f++g&&h都是测试串",
    "他说a+-b好，C++和C#语言、AT&T公司、c++程序员。",
    "iPhone12发布会上，5G手机卖了1.5万元，50%的用户选择了T恤和U盘。",
    "办公用房面积达到1,234.56平方米（含附属用房）——详见附件！",
    "张三丰和李四在北京开会，王小明同志在赵家庄调研时说：“要抓好落实。”",
    "欧阳娜娜和司马相如的1.2.3方案获得通过？",
    "你好\r\n世界 ok\n\n  第二段\t制表符\u3000\u3000全角空格",
    "１２３全角数字和Ａｂｃ全角字母，γ射线与㐀字、鿖鿪字。",
    "市机关事务管理局召开2021年度公共机构节能工作会议，部署垃圾分类和光盘行动。",
    "县机关事务服务中心刘某某主任带队赴成都市青羊区考察公务用车平台建设情况",
    "郭晓明局长、谢振华副局长出席会议并讲话；会议由办公室主任周某主持。",
    "A股B股开盘，AA制聚餐后去B超室做检查，CALL机和BP机早已淘汰。",
    "###  ...  ---  %%%",
    "2021-08-15 10:30:00 发布；电话：028-12345678；网址：www.example.gov.cn/a_b.html",
]


def _jieba_pos(text: str) -> list[tuple[str, str]]:
    return [(p.word, p.flag) for p in pseg.cut(text)]


@pytest.mark.parametrize("text", SENTENCES)
def test_cut_identical(text):
    assert segment.cut(text) == list(jieba.cut(text))
    assert segment.cut(text, hmm=False) == list(jieba.cut(text, HMM=False))


@pytest.mark.parametrize("text", SENTENCES)
def test_posseg_identical(text):
    assert segment.posseg(text) == _jieba_pos(text)


def test_hyphen_split_like_jieba():
    assert segment.cut("1-5") == ["1", "-", "5"]
    assert segment.cut("TD-LTE网络")[:3] == ["TD", "-", "LTE"]


def test_user_tokenizer_identical(tmp_path):
    userdict = tmp_path / "userdict.txt"
    # 公共机构 and 垃圾分类 are also in jieba's own dictionary: jieba's total grows anyway
    userdict.write_text("机关事务 2000 n\n公共机构 1500 n\n垃圾分类 1000 n\n光盘行动 500 n\n公务用车 1500\n",
                        encoding="utf-8")
    ours = segment.UserDictTokenizer()
    ours.load_userdict(userdict)
    theirs = jieba.Tokenizer()
    theirs.load_userdict(str(userdict))
    for w, f in (("节约型机关", 200), ("公物仓", 200), ("会议", 200), ("办公用房", None), ("赵家庄", None)):
        ours.add_word(w, f)
        theirs.add_word(w, f)
    assert ours.suggest_freq("青羊区公物仓") == theirs.suggest_freq("青羊区公物仓", False)
    for text in SENTENCES:
        for hmm in (False, True):
            assert ours.lcut(text, HMM=hmm) == theirs.lcut(text, HMM=hmm), (text, hmm)


def test_fallback_without_rjieba(monkeypatch):
    monkeypatch.setattr(segment, "_rjieba", None)
    text = SENTENCES[2]
    assert segment.cut(text) == list(jieba.cut(text))
    assert segment.posseg(text) == _jieba_pos(text)
    tok = segment.UserDictTokenizer()
    tok.add_word("同比增长", 200)
    assert "同比增长" in tok.lcut(text, HMM=False)


@pytest.mark.skipif(not XWLB.is_file(), reason="../shared xinwenlianbo corpus not available")
def test_xwlb_bodies_identical():
    with gzip.open(XWLB, "rt", encoding="utf-8") as f:
        bodies = [json.loads(line).get("body") or "" for line in islice(f, 300)]
    for body in bodies:
        assert segment.cut(body) == list(jieba.cut(body))
        assert segment.posseg(body) == _jieba_pos(body)


def test_pos_viterbi_matches_jieba_on_random_runs():
    """The numpy Viterbi against jieba's own (tie-heavy: characters the model never saw get every
    state with the same emission floor)."""
    import random

    from jieba.posseg import char_state_tab_P

    ref = pseg.dt._POSTokenizer__cut
    hmm = segment._pos_hmm()
    known = sorted(char_state_tab_P)
    unseen = [chr(c) for c in range(0x4E00, 0x9FD6) if chr(c) not in char_state_tab_P][:2000]
    rng = random.Random(7)
    for i in range(150):
        pool, longest = ((known, 10), (unseen, 3), (known[:3000] + unseen[:100], 6))[i % 3]
        run = "".join(rng.choice(pool) for _ in range(rng.randint(1, longest)))
        assert hmm.cut(run) == [(p.word, p.flag) for p in ref(run)], run



def test_pos_viterbi_cache_reset(monkeypatch):
    """The per-character arrays start over past their bound, results unchanged."""
    ref = pseg.dt._POSTokenizer__cut
    hmm = segment._PosHMM()
    monkeypatch.setattr(hmm, "MAX_BYTES", 1)  # a new generation before every new character
    for run in ("旖旎", "饕餮盛宴", "魑魅魍魉", "旖旎", "龘靐齉", "饕餮盛宴", "耄耋之年"):
        assert hmm.cut(run) == [(p.word, p.flag) for p in ref(run)], run
        assert len(hmm._chars) == 1 and len(hmm._old) <= 1


def test_rjieba_dictionary_tags_are_jiebas():
    """posseg takes dictionary tags and membership from rjieba: they must be jieba's."""
    j = segment._default_rjieba()
    tags = pseg.dt.word_tag_tab  # jieba's dict.txt, last line of a word wins
    for w in islice(tags, 0, None, 37):
        assert j.has_word(w), w
        got = j.tag(w, False)
        if len(got) == 1:  # a word whose route alone is itself
            assert got[0][1] == tags[w], w
    assert not any(j.has_word(w[:-1]) for w in islice(tags, 0, None, 37) if len(w) > 2 and w[:-1] not in tags)


# --- the dictionary behind word_freq / UserDictTokenizer, and its cache file -----------------------
def _load_dict(cache):
    return segment._Dict.load(segment._jieba_dir() / "dict.txt", cache)


def _assert_like_jieba_freq(d):
    jieba.dt.check_initialized()
    FREQ = jieba.dt.FREQ  # words with their frequency, and every prefix of a word with 0
    assert d.py_total == jieba.dt.total and 0 < d.rs_total < d.py_total
    for w, f in FREQ.items():
        if f:
            assert d.get(w) == f, w
        else:
            assert d.get(w) is None and d.is_prefix(w), w
    for w in ("", "\0", "中\0", "不存在的词汇甲乙", "中华人民共和国中央人民政府国务院办公厅秘书局", "zz-top"):
        assert (d.get(w) or 0) == (FREQ.get(w) or 0)
        assert d.is_prefix(w) == (w in FREQ or w == ""), w
    assert d.ascii_words == {w for w, f in FREQ.items() if f and w.isascii()}


def test_dictionary_cache_round_trip(tmp_path, monkeypatch):
    cold = _load_dict(tmp_path)
    files = list(tmp_path.glob("jieba-dict-*.npz"))
    assert len(files) == 1
    # the second load reads the file, never dict.txt
    monkeypatch.setattr(segment._Dict, "parse", classmethod(lambda cls, path: pytest.fail("parsed again")))
    warm = _load_dict(tmp_path)
    _assert_like_jieba_freq(warm)
    assert [list(w) for w in warm.words] == [list(w) for w in cold.words]


def test_dictionary_cache_broken_or_unwritable(tmp_path):
    _load_dict(tmp_path)
    (target,) = tmp_path.glob("jieba-dict-*.npz")
    target.write_bytes(b"PK\x03\x04 not a whole zip file")  # a truncated write, a disk error
    assert _load_dict(tmp_path).get("中国") == segment._Dict.parse(segment._jieba_dir() / "dict.txt").get("中国")
    assert _load_dict(tmp_path).get("中国") > 0 and target.stat().st_size > 1_000_000  # written again
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    assert _load_dict(blocked / "cache").get("中国") > 0   # cache dir cannot be made: parsed, no error
    assert _load_dict(None).get("中国") > 0


def test_cache_dir_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("JIANBAO_CACHE_DIR", str(tmp_path))
    assert segment.cache_dir() == tmp_path
    monkeypatch.setenv("JIANBAO_CACHE_DIR", "")
    assert segment.cache_dir() is None
    monkeypatch.delenv("JIANBAO_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert segment.cache_dir() == tmp_path / "jianbao-nlp"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(segment.Path, "home", classmethod(lambda cls: (_ for _ in ()).throw(RuntimeError("no home"))))
    assert segment.cache_dir() is None

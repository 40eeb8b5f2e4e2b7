"""Corpus converters on tiny files written here, in each corpus's format."""

import json

import pytest

from jianbao_nlp.components.ner.corpora import guess_kind, load_corpus
from jianbao_nlp.components.ner.spans import bio_to_spans
from jianbao_nlp.errors import InputError


def spans(row):
    return [(row["text"][s:e], lab) for s, e, lab in bio_to_spans(row["tags"])]


def test_bio(tmp_path):
    p = tmp_path / "x_bio"
    p.write_text("王\tB-PER\n五\tI-PER\n到\tO\n杭\tB-LOC\n州\tI-LOC\n\n市\tB-ORG\n委\tI-ORG\n好\t0\n", encoding="utf-8")
    ds = load_corpus("bio", p)
    assert ds.column_names == ["id", "text", "tags"] and len(ds) == 2
    assert spans(ds[0]) == [("王五", "PER"), ("杭州", "LOC")]
    assert ds[1]["tags"] == ["B-ORG", "I-ORG", "O"]


def test_bmes_resume(tmp_path):
    p = tmp_path / "train.char.bmes"
    p.write_text("高 B-NAME\n勇 E-NAME\n， O\n北 B-EDU\n大 E-EDU\n职 B-TITLE\n员 E-TITLE\n", encoding="utf-8")
    ds = load_corpus(guess_kind(p), p)
    assert spans(ds[0]) == [("高勇", "PER"), ("北大", "ORG")]


def test_cluener_mapping(tmp_path):
    p = tmp_path / "train.json"
    rows = [{"text": "张三在北京银行看电影", "label": {"name": {"张三": [[0, 1]]}, "company": {"北京银行": [[3, 6]]},
                                                  "movie": {"电影": [[8, 9]]}}}]
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    ds = load_corpus(guess_kind(p), p)
    assert spans(ds[0]) == [("张三", "PER"), ("北京银行", "ORG")]


def test_weibo_named_mentions_only(tmp_path):
    p = tmp_path / "weiboNER.train"
    p.write_text("李0\tB-PER.NAM\n雷1\tI-PER.NAM\n在0\tO\n成0\tB-GPE.NAM\n都1\tI-GPE.NAM\n老0\tB-PER.NOM\n师1\tI-PER.NOM\n",
                 encoding="utf-8")
    ds = load_corpus(guess_kind(p), p)
    assert ds[0]["text"] == "李雷在成都老师"
    assert spans(ds[0]) == [("李雷", "PER"), ("成都", "LOC")]


def test_bad_input_names_the_file(tmp_path):
    with pytest.raises(InputError, match="nope"):
        load_corpus("bio", tmp_path / "nope")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.json"):
        load_corpus("cluener", bad)

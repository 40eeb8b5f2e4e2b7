"""Taxonomy loading and the lexicon backend (no training data needed)."""

from __future__ import annotations

import numpy as np
import pytest

from jianbao_nlp.components.themes import LexiconScorer, Taxonomy, create_component
from jianbao_nlp.errors import InputError
from jianbao_nlp.model import Article, Issue

from .conftest import ARTICLES


@pytest.fixture(scope="module")
def lex():
    return LexiconScorer(Taxonomy.load())


def test_default_taxonomy_has_the_documented_themes():
    tax = Taxonomy.load()
    assert tax.labels == ["party_study", "energy_saving", "office_space", "official_vehicles", "standardisation",
                          "logistics_services", "asset_management", "safety_epidemic", "general_work"]
    assert tax.fallback == "general_work"
    assert all(t.name and t.terms for t in tax.themes)


@pytest.mark.parametrize("theme", sorted(ARTICLES))
def test_lexicon_finds_the_main_theme_first(lex, theme):
    tagger = create_component(backend="lexicon")
    title, body = ARTICLES[theme]
    art = tagger(Article(id="x", title=title, body=body))
    assert art.primary_theme == theme == art.themes[0]
    assert set(art.theme_scores) == set(tagger.labels)
    assert all(0.0 <= v <= 1.0 for v in art.theme_scores.values())


def test_passing_purpose_clause_does_not_make_a_theme(lex):
    tagger = create_component(backend="lexicon")
    art = tagger(Article(id="x", title="县局调整机关食堂伙食标准",
                         body="机关食堂根据市场价格调整早餐和午餐价格，并优化菜品供应，助力节约型机关创建。"
                              "物业公司同步加强餐厅保洁。"))
    assert art.themes == ["logistics_services"]


def test_vehicle_safety_is_official_vehicles_not_safety(lex):
    title, body = ARTICLES["official_vehicles"]
    s = dict(zip(lex.labels, lex.scores(title, body)))
    assert s["official_vehicles"] >= 0.5 > s["safety_epidemic"]


def test_fallback_when_nothing_fires_and_missing_title(lex):
    tagger = create_component(backend="lexicon")
    art = tagger(Article(id="x", title=None, body="今天天气晴朗，气温适宜。"))
    assert art.themes == ["general_work"]
    # without a title the first sentence plays its part
    art = tagger(Article(id="y", title=None, body="市局召开理论学习中心组学习会。会议传达学习重要讲话精神。"))
    assert art.primary_theme == "party_study"


def test_secondary_theme_needs_its_own_sentences(lex):
    tagger = create_component(backend="lexicon")
    title, body = ARTICLES["logistics_services"]
    extra = ("同时组织开展消防安全检查和应急演练，排查整改安全隐患五处。"
             "严格落实安全生产责任制，食堂燃气管道全部完成安全检测。")
    art = tagger(Article(id="x", title=title, body=body + extra))
    assert art.themes[0] == "logistics_services" and "safety_epidemic" in art.themes
    # one passing word is not enough
    art = tagger(Article(id="y", title=title, body=body + "注意安全。"))
    assert art.themes == ["logistics_services"]


def test_custom_taxonomy_add_rename_drop(tmp_path):
    tax = Taxonomy.load()
    data = tax.to_dict()
    data["themes"] = [t for t in data["themes"] if t["id"] != "standardisation"]  # drop
    for t in data["themes"]:
        if t["id"] == "party_study":
            t["id"], t["name"] = "party_building", "党的建设"  # rename
    data["themes"].insert(0, {"id": "rural_support", "name": "定点帮扶",
                              "terms": {"定点帮扶": 3, "乡村振兴": 2, "消费帮扶": 2.5}})  # add
    import yaml

    path = tmp_path / "my.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    tagger = create_component(taxonomy=path)
    assert tagger.backend == "lexicon" and "rural_support" in tagger.labels and "standardisation" not in tagger.labels
    issue = Issue(id="t", articles=[
        Article(id="a", title="市局扎实开展定点帮扶工作", body="今年开展消费帮扶，采购帮扶村农产品。助力乡村振兴，选派干部驻村。"),
        Article(id="b", title=ARTICLES["party_study"][0], body=ARTICLES["party_study"][1]),
        Article(id="c", title=ARTICLES["standardisation"][0], body=ARTICLES["standardisation"][1]),
    ])
    tagger.process_issue(issue)
    assert issue.articles[0].primary_theme == "rural_support"
    assert issue.articles[1].primary_theme == "party_building"
    assert all(set(a.themes) <= set(tagger.labels) for a in issue.articles)


@pytest.mark.parametrize("text", ["themes: 3\n", "themes:\n  - {name: x}\n", "[unclosed\n",
                                  "themes:\n  - {id: a, patterns: ['(']}\n"])
def test_bad_taxonomy_is_an_input_error_naming_the_file(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        Taxonomy.load(path)
    assert "bad.yaml" in str(err.value) and "\n" not in str(err.value)


def test_lexicon_model_dir_round_trip(tmp_path):
    from jianbao_nlp.components.themes import ThemeTagger
    from jianbao_nlp.modeldir import read_meta

    tagger = create_component(backend="lexicon")
    tagger.save_pretrained(tmp_path / "lex")
    meta = read_meta(tmp_path / "lex", task="themes")
    assert meta["backend"] == "lexicon" and meta["labels"] == tagger.labels and set(meta["thresholds"]) == set(tagger.labels)
    again = ThemeTagger.from_pretrained(tmp_path / "lex")
    items = [ARTICLES[k] for k in sorted(ARTICLES)]
    assert np.allclose(again.predict_raw(items), tagger.predict_raw(items))


def test_a_sentence_listing_work_areas_is_not_about_each_of_them():
    tax = Taxonomy.load()
    listing = "会议要求，扎实做好办公用房管理、公务用车保障、公共机构节能和国有资产管理等工作。"
    on = LexiconScorer(tax).sentence_scores(listing)
    off = LexiconScorer(Taxonomy(tax.themes, {**tax.settings, "list_themes": 0})).sentence_scores(listing)
    assert (off > 0).sum() >= 3 and np.allclose(on, off * tax.settings["list_discount"])
    # a sentence about one or two areas keeps its evidence
    one = "市局对办公用房开展清理整改，腾退超标办公用房1200平方米。"
    assert np.allclose(LexiconScorer(tax).sentence_scores(one),
                       LexiconScorer(Taxonomy(tax.themes, {**tax.settings, "list_themes": 0})).sentence_scores(one))


def test_the_none_of_the_above_theme_is_no_listed_area():
    tax = Taxonomy.load()
    title = "省机关事务管理局开展省直机关食堂食品安全专项检查"  # two areas and the general one
    on = LexiconScorer(tax).sentence_scores(title)
    off = LexiconScorer(Taxonomy(tax.themes, {**tax.settings, "list_themes": 0})).sentence_scores(title)
    assert np.allclose(on, off)

"""The guideline layer on invented model outputs: repairs, exclusions, longest span."""

from jianbao_nlp.components.ner.postprocess import postprocess
from jianbao_nlp.components.ner.rules import rule_spans


def run(text, model):
    return [(text[s:e], l) for s, e, l in postprocess(text, model, rule_spans(text))]


def span(text, sub, lab, k=0):
    s = text.index(sub, k)
    return (s, s + len(sub), lab)


def test_model_org_made_of_two_rule_names_is_split():
    t = "坚决落实省委省政府决策部署。"
    assert run(t, [span(t, "省委省政府", "ORG")]) == [("省委", "ORG"), ("省政府", "ORG")]


def test_model_org_with_place_and_generic_tail_becomes_the_place():
    t = "江西三省市机关事务管理局联合签署合作备忘录。"
    out = run(t, [span(t, "江西三省市机关事务管理局", "ORG")])
    assert ("江西", "LOC") in out and all(l != "ORG" or "三省市" not in x for x, l in out)


def test_event_names_are_not_organisations():
    t = "湘鄂地区机关事务协同发展推进会在岳阳召开。"
    out = run(t, [span(t, "湘鄂地区机关事务协同发展推进会", "ORG")])
    assert ("湘鄂地区", "LOC") in out
    assert not any(l == "ORG" for _, l in out)


def test_session_number_trimmed_and_book_titles_excluded():
    t = "十四届全国人大代表学习《湖南省节约能源条例》。"
    out = run(t, [span(t, "十四届全国人大", "ORG"), span(t, "湖南省", "LOC")])
    assert ("全国人大", "ORG") in out
    assert ("湖南省", "LOC") not in out


def test_rule_names_fill_gaps_and_longest_wins():
    t = "岳阳局多措并举，王小明在岳阳市财政局调研。"
    model = [span(t, "岳阳局多", "ORG"), span(t, "王小明", "PER"), span(t, "岳阳市", "LOC")]
    out = run(t, model)
    assert ("岳阳局", "ORG") in out            # the word-splitting model span is replaced
    assert ("岳阳市财政局", "ORG") in out      # the longer rule name replaces the contained place
    assert ("岳阳市", "LOC") not in out
    assert ("王小明", "PER") in out


from hypothesis import given, settings, strategies as st  # noqa: E402

from jianbao_nlp.components.ner import NERComponent  # noqa: E402

_ALPHABET = "省市县局委办厅会中心学院王李张刘四川重庆成都湖南岳阳的在和、，。；《》（）“”\n 0123abc党组政府"
_RULES = NERComponent(backend="rules")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_any_text_gives_flat_valid_spans(text):
    spans = _RULES.predict_texts([text])[0]
    last_end = 0
    for s, e, lab in spans:
        assert 0 <= s < e <= len(text) and lab in ("ORG", "PER", "LOC")
        assert s >= last_end  # sorted, no overlap
        assert text[s:e] == text[s:e].strip()
        last_end = e


def test_run_of_names_without_separators_is_split_into_names():
    # names once padded with spaces to align (a PDF's attendance line), squashed together
    t = "出席会议的有陈建国周敏王志刚同志。"
    assert run(t, [span(t, "陈建国周敏王志刚", "PER")]) == [("陈建国", "PER"), ("周敏", "PER"), ("王志刚", "PER")]


def test_transliterated_or_unreadable_runs_stay_whole():
    from jianbao_nlp.components.ner.gazetteer import load_gazetteer
    from jianbao_nlp.components.ner.postprocess import split_name_run

    surnames = load_gazetteer().surname_rank
    assert split_name_run("马尔科维奇", surnames) is None      # a foreign name
    assert split_name_run("欧阳明华", surnames) is None        # one name (four characters)
    assert split_name_run("欧阳明华李强", surnames) == [(0, 4), (4, 6)]
    assert split_name_run("张三李四·王", surnames) is None     # not Han only


def test_model_org_starting_inside_a_word_becomes_the_rule_name():
    t = "各单位要对标国管局工作要求，抓好落实。"
    ends = {1, 3, 4, 6, 9, 11, 13, 14, 16, 18, 19}  # 各|单位|要|对标|国管局|工作|要求|，|抓好|落实|。
    out = [(t[s:e], l) for s, e, l in postprocess(t, [span(t, "标国管局", "ORG")], rule_spans(t), token_ends=ends)]
    assert ("国管局", "ORG") in out and ("标国管局", "ORG") not in out


def test_long_internal_unit_is_part_of_the_agency():
    t = "国管局公共机构节能管理司有关负责同志出席会议。"
    assert ("国管局公共机构节能管理司", "ORG") in [(t[s:e], l) for s, e, l, _ in rule_spans(t)]


def test_swallowed_connective_or_action_is_cut_off():
    t = "三是督导到位。联合县住建局开展专项检查，经县财政局审核后报市财政局备案。"
    out = run(t, [span(t, "联合县住建局", "ORG"), span(t, "经县财政局", "ORG"), span(t, "后报市财政局", "ORG")])
    assert [x for x in out if x[1] == "ORG"] == [("县住建局", "ORG"), ("县财政局", "ORG"), ("市财政局", "ORG")]
    t = "12月5日，西坪市机关事务管理局召开党组会议。"
    assert ("西坪市机关事务管理局", "ORG") in run(t, [span(t, "西坪市机关事务管理局召开党组", "ORG")])


def test_two_organisations_joined_by_a_verb_are_two():
    t = "巴州机关事务管理局联合州公安局交警支队举办驾驶员培训。"
    out = run(t, [span(t, "巴州机关事务管理局联合州公安局交警支队", "ORG")])
    assert [x for x in out if x[1] == "ORG"] == [("巴州机关事务管理局", "ORG"), ("州公安局交警支队", "ORG")]


def test_a_place_then_a_place_inside_it_are_two_places():
    t = "位于长沙市岳麓区的综合办公楼，党员赴邛崃市高何镇参观。"
    out = run(t, [span(t, "长沙市岳麓区", "LOC"), span(t, "邛崃市高何镇", "LOC")])
    assert out == [("长沙市", "LOC"), ("岳麓区", "LOC"), ("邛崃市", "LOC"), ("高何镇", "LOC")]


def test_places_that_begin_like_a_generic_word_still_head_names():
    # 贵 (贵单位), 本 (本单位) and 那 begin generic references, and also 贵州, 贵阳, 本溪, 那曲
    for name in ("贵州省机关事务管理局", "贵阳局", "本溪市机关事务服务中心"):
        t = f"近日，{name}召开会议。"
        assert (name, "ORG") in run(t, [span(t, name, "ORG")]), name
    t = "请贵单位各有关部门抓好落实。"
    assert run(t, [span(t, "贵单位", "ORG"), span(t, "各有关部门", "ORG")]) == []


def test_bare_generic_words_and_whole_area_words_are_not_entities():
    t = "中心负责人表示，全州16个县全部建成。检查组重点查看了玉潭大厦等4处办公区。"
    out = run(t, [span(t, "中心", "ORG"), span(t, "全州", "LOC"), span(t, "检查组", "ORG"),
                  span(t, "玉潭大厦等4处办公区", "LOC")])
    assert out == [("玉潭大厦", "LOC")]

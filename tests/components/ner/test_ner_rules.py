"""The rules backend and the gazetteer on invented sentences."""

import pytest

from jianbao_nlp.components.ner import NERComponent, create_component, split_segments
from jianbao_nlp.components.ner.gazetteer import load_gazetteer
from jianbao_nlp.model import Article, Issue, IssueMeta


@pytest.fixture(scope="module")
def rules():
    return NERComponent(backend="rules")


def found(comp, text):
    return [(text[s:e], lab) for s, e, lab in comp.predict_texts([text])[0]]


def test_gazetteer_divisions_and_short_forms():
    g = load_gazetteer()
    assert g.full_loc("贵州") == "贵州省"
    assert g.full_loc("黔东南州") == "黔东南苗族侗族自治州"
    assert g.full_loc("渝") == "重庆市"
    assert g.city_of("宜宾") == "宜宾市"
    assert g.province_of_name("湖南省机关事务管理局") == "湖南省"
    assert g.city_of_name("湖南省岳阳市机关事务管理局") == "岳阳市"
    assert g.city_of_name("湖南省机关事务管理局") is None


def test_places_agencies_and_party_organs(rules):
    out = found(rules, "市委、市政府高度重视，市财政局和岳阳市公安局参加，湖南省委深改委部署。")
    assert ("市委", "ORG") in out and ("市政府", "ORG") in out
    assert ("市财政局", "ORG") in out
    assert ("岳阳市公安局", "ORG") in out
    assert ("湖南省委深改委", "ORG") in out
    # longest span only: 湖南省 inside the organ name is not annotated
    assert ("湖南省", "LOC") not in out
    # a body ending in 事务 before 中心 (not 机关 + 事务中心)
    out = found(rules, "县机关事务中心和镇机关事务服务中心联合开展检查。")
    assert ("县机关事务中心", "ORG") in out and ("镇机关事务服务中心", "ORG") in out


def test_short_forms_and_abbreviations(rules):
    out = found(rules, "岳阳局召开局党组会议，推动湘鄂地区合作，代表团在京参观。")
    assert ("岳阳局", "ORG") in out
    assert ("局党组", "ORG") in out
    assert ("湘鄂地区", "LOC") in out
    assert ("京", "LOC") in out


def test_generic_references_and_titles_not_annotated(rules):
    out = found(rules, "各有关部门认真学习《湖南省机关事务管理办法》，物业公司配合。")
    assert out == []


def test_org_inside_job_title_and_person(rules):
    out = found(rules, "会议由省政府副秘书长周建华主持，国管局政策法规司来函。")
    assert ("省政府", "ORG") in out
    assert ("国管局政策法规司", "ORG") in out
    assert ("周建华", "PER") in out


def test_segments_cover_text_with_offsets():
    text = "第一句。第二句很长，" * 40 + "末尾"
    segs = split_segments(text, max_len=50)
    assert all(len(s) <= 50 for _, s in segs)
    assert "".join(s for _, s in segs) == text
    assert all(text[o:o + len(s)] == s for o, s in segs)


def test_component_sets_entities_with_canonical_from_context(rules):
    issue = Issue(id="x", issue=IssueMeta(issuer="湖南省机关事务管理局", publication="湖南省机关事务管理局简报"))
    art = Article(id="a1", title="岳阳局推进节约型机关建设", body="省机关事务管理局和市委、国管局联合检查。",
                  contributor="岳阳局")
    issue.articles = [art]
    comp = create_component(model=None, backend="rules")
    comp.process_issue(issue)
    ents = {(e.field, e.text): e for e in art.entities}
    for e in art.entities:
        assert art.text_of(e.field)[e.start:e.end] == e.text
    assert ents[("title", "岳阳局")].canonical == "岳阳市机关事务管理局"
    assert ents[("body", "省机关事务管理局")].canonical == "湖南省机关事务管理局"
    assert ents[("body", "市委")].canonical == "岳阳市委"
    assert ents[("body", "国管局")].canonical == "国家机关事务管理局"


def test_named_office_compounds_are_places():
    from jianbao_nlp.components.ner.rules import compound_spans, token_bounds

    def found(text):
        starts, _ = token_bounds(text)
        return [text[s:e] for s, e, lab, _ in compound_spans(text, starts) if lab == "LOC"]

    assert found("代表团实地参观了海河东岸行政办公区。") == ["海河东岸行政办公区"]
    assert found("首批将在金牛集中办公区试点。") == ["金牛集中办公区"]
    # a verb or a generic word before the compound: no name
    assert found("要加强集中办公区安全管理。") == []
    assert found("省直机关集中办公区完成改造。") == []


def test_newer_and_service_bodies_are_agencies_and_a_bare_data_centre_is_not():
    from jianbao_nlp.components.ner.rules import rule_spans

    def orgs(t):
        return [t[s:e] for s, e, lab, _ in rule_spans(t) if lab == "ORG"]

    t = "调剂给市数据局、区疾控中心和市公务用车服务中心使用，联合市不动产登记中心办证。"
    assert set(orgs(t)) >= {"市数据局", "区疾控中心", "市公务用车服务中心", "市不动产登记中心"}
    assert orgs("实地察看了屋顶光伏、数据中心节能改造") == []


def test_issues_processed_together_resolve_names_in_each_articles_own_issue():
    def issue(k, province):
        meta = IssueMeta(issuer=f"{province}机关事务管理局", publication=f"{province}机关事务管理局简报")
        return Issue(id=f"i{k}", issue=meta, articles=[
            Article(id=f"a{k}", title="省机关事务管理局召开会议", body="省机关事务管理局和国管局联合检查。")])

    comp = create_component(model=None, backend="rules")
    together = [issue(0, "湖南省"), issue(1, "四川省")]
    comp.process_issues(together)
    alone = [issue(0, "湖南省"), issue(1, "四川省")]
    for i in alone:
        comp.process_issue(i)
    assert [i.to_dict() for i in together] == [i.to_dict() for i in alone]
    canon = [{e.canonical for e in i.articles[0].entities if e.text == "省机关事务管理局"} for i in together]
    assert canon == [{"湖南省机关事务管理局"}, {"四川省机关事务管理局"}]

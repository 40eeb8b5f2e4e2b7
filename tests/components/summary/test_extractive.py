from __future__ import annotations

from jianbao_nlp.components.summary import create_component
from jianbao_nlp.components.summary.extractive import (compress_sentence, is_runin, key_topic, point_heads,
                                                       runin_suggestions, slogan)
from jianbao_nlp.model import Article


def test_compress_sentence_drops_date_purpose_and_detail():
    s = "为进一步加强节能管理，5月8日，青山区机关事务局召开节能工作推进会，部署下半年重点任务。"
    assert compress_sentence(s) == "青山区机关事务局召开节能工作推进会"


def test_event_sentence_skips_scene_setting():
    comp = create_component(backend="extractive")
    art = Article(id="x", body="近年来，节约型机关创建工作不断深入，成效明显。6月2日，河东县机关事务中心举办节能宣传周启动仪式，"
                               "各单位代表参加。")
    comp(art)
    assert art.suggested_summary_lines[0] == "河东县机关事务中心举办节能宣传周启动仪式"


def test_runin_items():
    body = ("一是抓制度。制定食堂节约办法，明确食堂节约责任。二是抓宣传。开展食堂节约宣传，张贴食堂节约标语。"
            "三是抓监督。定期检查食堂节约情况。")
    assert is_runin(body)
    assert not is_runin("3月5日，市局召开会议。会议要求，一是提高认识，二是狠抓落实。")
    assert point_heads(body) == ["抓制度", "抓宣传", "抓监督"]
    assert slogan(point_heads(body)) == "“三抓”"
    assert slogan(["强化安全", "优化服务", "深化改革"]) == ""
    assert slogan(["采购集约化", "管理标准化", "服务多样化", "监管智慧化"]) == "“四化”"
    assert slogan(["聚民心", "暖人心", "筑同心", "守初心"]) == "“四心”"
    assert slogan(["思想认识到位", "平台建设到位", "监督管理到位"]) == "“三个到位”"
    assert slogan(["规范采购工作", "加强服务工作"]) == ""  # a generic shared ending is no slogan
    assert key_topic(body) == "食堂节约"
    lines = runin_suggestions(body, "东山局")
    assert lines[0].startswith("东山局“三抓”") and "食堂节约" in lines[0]
    assert len(lines) == len(set(lines)) <= 3


def test_runin_item_is_summed_up_by_the_work_area_its_points_add_up_to():
    from jianbao_nlp.components.summary.extractive import points_area

    # four points on energy saving, none sharing a phrase with most of the others: the work area
    body = ("一是推广节能灯具。机关楼宇更换节能灯具两千余盏，节水器具覆盖率达九成。二是倡导绿色办公。推行无纸化办公，"
            "更换节水器具，减少一次性用品。三是推进垃圾分类。各单位设置分类投放点，开展垃圾分类培训。"
            "四是推进节约型机关创建。组织各单位对照标准开展自查，创建节约型机关八十家。")
    assert points_area(body, key_topic(body)) == "节约型机关创建"
    assert runin_suggestions(body, "北湖局")[0] == "北湖局多措并举推进节约型机关创建"
    # a phrase in every point that names the theme says more than the area
    body2 = ("一是摸清公物仓底数。全面清查公物仓在库资产。二是规范公物仓入库。制定公物仓入库流程。"
             "三是盘活公物仓资产。推动公物仓资产调剂共享。")
    assert points_area(body2, key_topic(body2)) == ""
    assert "公物仓" in runin_suggestions(body2, "西岭局")[0]
    # nothing of the taxonomy: the repeated phrase as before
    assert points_area("一是学习。二是讨论。三是交流。") == ""


def test_taxonomy_topic_round_trips():
    from jianbao_nlp.components.themes.taxonomy import Taxonomy

    tax = Taxonomy.load()
    assert tax["office_space"].topic == "办公用房管理" and not tax["general_work"].topic
    again = Taxonomy.from_dict(tax.to_dict())
    assert [t.topic for t in again.themes] == [t.topic for t in tax.themes]


def test_contributor_heads_every_line():
    comp = create_component(backend="extractive")
    art = Article(id="x", contributor="南岭局", body="近日，出台公务用车管理办法，规范车辆使用。")
    comp(art)
    assert all(line.startswith("南岭局") for line in art.suggested_summary_lines)


def test_shorten_overlong_clause():
    from jianbao_nlp.components.summary.extractive import shorten

    clause = "东城区机关事务管理中心、西城区机关事务管理中心在西城区行政服务大厅联合召开两区机关后勤服务协同发展推进会"
    out = shorten(clause)
    assert len(out) < len(clause) and "在西城区行政服务大厅" not in out and out.endswith("推进会")
    assert shorten("市局召开节能会议") == "市局召开节能会议"


def test_meeting_that_does_not_fit_behind_its_organisers_heads_the_line():
    from jianbao_nlp.components.summary.extractive import agency_event_line, shorten

    clause = ("黄石市机关事务管理局、阳新县机关事务服务中心、西塞山区机关事务管理局在阳新县城组织召开"
              "三地机关事务数字化协同发展现场推进会")
    assert shorten(clause) == "三地机关事务数字化协同发展现场推进会在阳新县城召开"
    # still an agency's own event: the turned-round line is the agency line
    assert agency_event_line("6月3日，" + clause + "，三地签署合作协议。") == \
        "三地机关事务数字化协同发展现场推进会在阳新县城召开"
    # not a meeting: cut to fit as before
    long_act = "南岭市机关事务管理局、北川县机关事务服务中心、东湖区机关事务管理局联合印发三地机关事务数字化协同发展实施方案"
    assert len(shorten(long_act)) > 40 and not shorten(long_act).endswith("召开")


def test_agency_event_line():
    from jianbao_nlp.components.summary.extractive import agency_event_line

    # an agency's own event: the main clause, date and detail dropped
    assert agency_event_line("3月2日，市机关事务管理局召开2025年度节能工作会议，部署全年任务。会议强调……") == \
        "市机关事务管理局召开2025年度节能工作会议"
    # several agencies acting together, with a place before the verb
    assert agency_event_line("5月8日，市机关事务管理局、市财政局在市行政中心联合开展国有资产清查培训，各单位参加。") == \
        "市机关事务管理局、市财政局在市行政中心联合开展国有资产清查培训"
    # an object phrase before the verb, and a scene-setting 以来 opening
    assert agency_event_line("今年以来，市机关事务管理局对市级部门公务用车使用情况开展专项检查，发现问题12个。") == \
        "市机关事务管理局对市级部门公务用车使用情况开展专项检查"
    # the agency verb sits in a relative clause, or the sentence reports statistics: no line
    assert agency_event_line("市财政局举办的采购培训在会议中心召开，百余人参加。") == ""
    assert agency_event_line("市统计局发布的数据显示，一季度增长五个百分点。") == ""
    # a purpose clause before the event does not make another sentence the event
    assert agency_event_line("为进一步提升公共机构节能管理水平，10月28日，省机关事务管理局在武汉举办全省公共机构"
                             "能源管理培训班，业务骨干120余人参加。培训邀请专家围绕能耗统计等内容授课。") == \
        "省机关事务管理局在武汉举办全省公共机构能源管理培训班"
    # an adverb between the agency and its verb
    assert agency_event_line("近日，区机关事务服务中心顺利完成区级行政中心屋顶光伏发电项目建设，年发电量32万千瓦时。") == \
        "区机关事务服务中心顺利完成区级行政中心屋顶光伏发电项目建设"
    # the agency's first clause frames the item, the next one acts
    assert agency_event_line("9月以来，县机关事务中心聚焦公务用车使用管理中的突出问题，在全县范围内开展公务用车专项"
                             "整治行动，共检查车辆156台次。") == "县机关事务中心在全县范围内开展公务用车专项整治行动"
    # ...but not when a person is the subject (国务院总理…签署，公布…)
    assert agency_event_line("国务院总理李强日前签署国务院令，公布《某某管理条例》，自明年起施行。") == ""
    # the agency's own Party group or branch acts
    assert agency_event_line("3月5日，县机关事务中心机关党支部组织开展学雷锋志愿服务活动，党员干部20余人参加。") == \
        "县机关事务中心机关党支部组织开展学雷锋志愿服务活动"
    # no agency at the start
    assert agency_event_line("近日，一场暴雨袭击了沿海地区，多地出现积水。") == ""


def test_compression_backend_puts_the_agency_line_first(monkeypatch):
    from jianbao_nlp.components.summary.component import CompressionBackend

    class Model:  # stands in for a trained model that cut the agency name
        def suggest(self, body, k=3):
            return ["召开节能工作会议部署", "节能工作会议"]

    body = "3月2日，市机关事务管理局召开2025年度节能工作会议，部署全年任务。"
    assert CompressionBackend(Model()).suggest(body)[0] == "市机关事务管理局召开2025年度节能工作会议"
    # without the rule the model's line stays first, and the main clause is always among the lines
    assert CompressionBackend(Model(), agency_first=False).suggest(body) == [
        "召开节能工作会议部署", "市机关事务管理局召开2025年度节能工作会议", "节能工作会议"]
    comp = create_component(agency_first=False)
    assert comp.backend.agency_first is False


def test_contributor_heads_a_line_only_when_it_is_the_actor():
    from jianbao_nlp.components.summary.extractive import with_contributor

    assert with_contributor(["多措并举推进公物仓建设"], "东湖局") == ["东湖局多措并举推进公物仓建设"]
    # an office inside the issuing bureau writes the item up; it is not the actor
    assert with_contributor(["开展消防应急演练"], "安全保卫处") == ["开展消防应急演练"]
    assert with_contributor(["开展节能宣传"], "市机关事务管理局节能科") == ["开展节能宣传"]
    # the line already starts with an agency
    assert with_contributor(["市机关事务管理局召开节能工作会议"], "东湖局") == ["市机关事务管理局召开节能工作会议"]


def test_part_of_month_dates_are_dropped():
    from jianbao_nlp.components.summary.extractive import agency_event_line

    assert agency_event_line("6月上旬，市机关事务管理局组织对集中办公区中央空调进行全面检修，更换老化部件。") == \
        "市机关事务管理局组织对集中办公区中央空调进行全面检修"


def test_leading_purpose_or_situation_clause_is_dropped():
    from jianbao_nlp.components.summary.extractive import agency_event_line

    assert agency_event_line("针对今年第5号台风，市机关事务管理局8月3日召开专题会议，部署集中办公区防台工作。") == \
        "市机关事务管理局部署集中办公区防台工作"


def test_editor_note_is_not_the_lead():
    from jianbao_nlp.components.summary.component import drop_editor_note

    body = "编者按：公物仓是盘活闲置资产的有效载体，现将有关做法刊发，供参考。\n日前，区级机关公物仓投入使用。"
    assert drop_editor_note(body) == "日前，区级机关公物仓投入使用。"
    assert drop_editor_note("【编者按】节水是重要内容。4月，省直机关完成节水改造。") == "4月，省直机关完成节水改造。"
    assert drop_editor_note("编者按：只有按语。") == "编者按：只有按语。"
    assert drop_editor_note("日前，区级机关公物仓投入使用。") == "日前，区级机关公物仓投入使用。"


def test_web_page_lines_are_not_the_lead():
    from jianbao_nlp.components.summary.component import drop_page_lines

    body = "发布时间：2024-05-08　来源：县机关事务中心\n5月7日，县机关事务中心完成节水改造。\n【打印本页】【关闭窗口】"
    assert drop_page_lines(body) == "5月7日，县机关事务中心完成节水改造。"
    assert drop_page_lines("会议要求：各单位抓好落实。") == "会议要求：各单位抓好落实。"


def test_a_meeting_named_by_its_kind_only_gives_way_to_what_it_did():
    from jianbao_nlp.components.summary.extractive import agency_event_line

    body = "6月2日，岳阳市机关事务管理局召开专题会议，传达学习全省机关事务工作会议精神，研究部署下半年工作。"
    assert agency_event_line(body) == "岳阳市机关事务管理局传达学习全省机关事务工作会议精神"
    named = "6月2日，岳阳市机关事务管理局召开节能工作推进会，部署下半年工作。"
    assert agency_event_line(named) == "岳阳市机关事务管理局召开节能工作推进会"


def test_a_contributor_is_not_repeated_where_a_line_kept_the_end_of_its_name():
    from jianbao_nlp.components.summary.extractive import with_contributor

    assert with_contributor(["局“定量供餐”改革成效明显", "召开会议"], "南岭局") == ["南岭局“定量供餐”改革成效明显", "南岭局召开会议"]
    assert with_contributor(["服务中心坚持集约使用原则"], "东川市机关事务服务中心") == ["东川市机关事务服务中心坚持集约使用原则"]
    assert with_contributor(["局长王明出席会议"], "南岭局") == ["南岭局局长王明出席会议"]


def test_leader_activity_lead_gives_the_name_and_the_act():
    from jianbao_nlp.components.summary.extractive import leader_event

    body = "7月1日前夕，局党组书记、局长陈立新以《守初心 当好服务员》为题，为全局党员干部讲授专题党课。"
    assert leader_event(body)[1] == "陈立新为全局党员干部讲授专题党课"
    body = "10月10日，市委常委、秘书长王建军到市机关事务服务中心调研全市重要会议服务保障工作，察看了会场。"
    assert leader_event(body) == ("王建军", "王建军调研全市重要会议服务保障工作")
    assert leader_event("王建军同志长期从事机关事务工作。")[1] == ""  # no title before the name, no act


def test_a_leader_line_leads_only_where_the_model_line_lost_the_name():
    comp = create_component()
    art = Article(id="x", body="7月1日前夕，局党组书记、局长陈立新以《守初心 当好服务员》为题，为全局党员干部讲授专题党课。"
                               "陈立新从三个方面作了阐述。")
    comp(art)
    assert art.suggested_summary_lines[0] == "陈立新为全局党员干部讲授专题党课"

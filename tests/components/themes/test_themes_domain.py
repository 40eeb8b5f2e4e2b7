"""Primary themes of typical 机关事务 news (our own invented items, written from domain knowledge:
none of them comes from the seed or the corpora). The lexicon and the shipped model must get the
main theme of each right."""

from __future__ import annotations

import pytest

from jianbao_nlp.components.themes import create_component
from jianbao_nlp.model import Article

NEWS = [
    ("energy_saving", "省机关事务管理局召开全省公共机构节约能源资源工作会议",
     "会议通报了上年度公共机构能源资源消费情况，全省公共机构单位建筑面积能耗同比下降2.1%。"
     "会议要求深入开展节约型机关创建，推进既有建筑节能改造和新能源汽车充电设施建设。"),
    ("energy_saving", "市机关事务服务中心组织开展节能宣传周和全国低碳日活动",
     "活动期间，中心组织干部职工参加绿色出行、随手关灯等体验活动，发放节水节电宣传册三千余份。"),
    ("logistics_services", "区机关事务局推进机关食堂明厨亮灶改造",
     "今年以来，区机关事务局对机关食堂后厨进行改造，安装视频监控，公开菜品来源和价格。"
     "同时推行预约就餐和按需取餐，干部职工就餐满意度持续提升。"),
    ("official_vehicles", "县公务用车服务平台正式上线运行",
     "平台整合全县各部门公务用车，实行统一调度、网上派车和费用单车核算。"
     "驾驶员通过手机接单，车辆运行轨迹全程可查，有效杜绝公车私用。"),
    ("office_space", "省直机关办公用房维修改造项目通过竣工验收",
     "项目对三栋办公楼进行了屋面防水、电梯更新和消防设施改造，严格执行党政机关办公用房维修标准。"
     "改造后办公用房统一纳入省级集中统一管理。"),
    ("party_study", "市机关事务管理局召开党纪学习教育动员部署会",
     "会议强调，要把党纪学习教育作为当前重要政治任务，组织党员逐章逐条学习党纪处分条例。"
     "局党组书记讲专题党课，各支部开展警示教育。"),
    ("asset_management", "省机关事务管理局开展行政事业性国有资产清查",
     "清查范围包括省直各部门的房屋、车辆、办公设备和家具等资产，核实资产底数，做到账实相符。"
     "对清查中发现的闲置资产，统一纳入公物仓调剂使用。"),
    ("standardisation", "全省机关事务标准化建设培训班举办",
     "培训围绕机关事务标准体系构建、地方标准编制和标准化试点评估验收等内容进行讲解。"
     "各市州机关事务部门负责同志参加培训。"),
    ("safety_epidemic", "机关事务局扎实开展安全生产月活动",
     "活动期间，局领导带队对集中办公区开展安全检查，排查整改消防、用电、燃气等安全隐患二十余处。"
     "组织干部职工开展消防应急疏散演练。"),
    ("general_work", "市机关事务管理局召开年度工作会议",
     "会议总结了过去一年机关事务工作成效，部署今年重点任务。"
     "会议强调，要坚持高质量发展，加强机关事务法治建设，推动信息化平台升级，抓好干部队伍建设。"),
    ("logistics_services", "机关事务中心圆满完成全市两会服务保障任务",
     "中心提前制定会务保障方案，统筹做好会场布置、餐饮住宿、医疗和交通服务。"
     "会议期间累计接待代表委员六百余人次。"),
]


@pytest.fixture(scope="module")
def taggers():
    return {"lexicon": create_component(backend="lexicon"), "shipped": create_component()}


@pytest.mark.parametrize("which", ["lexicon", "shipped"])
def test_typical_news_primary_theme(taggers, which):
    tagger = taggers[which]
    wrong = []
    for theme, title, body in NEWS:
        art = tagger(Article(id="x", title=title, body=body))
        if art.primary_theme != theme:
            wrong.append((title, theme, art.themes))
    assert len(wrong) <= 1, wrong

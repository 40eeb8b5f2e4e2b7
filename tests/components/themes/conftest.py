"""Tiny invented fixtures for the theme tagger (our own sentences; nothing from the shared corpus)."""

from __future__ import annotations

import pytest

from jianbao_nlp.components.themes.data import Example

ARTICLES = {
    "energy_saving": ("市机关事务局召开公共机构节能工作推进会",
                      "会议要求各单位深入实施节约型机关创建行动。一是全面推行垃圾分类；二是实施办公楼节能改造；"
                      "三是推广合同能源管理。今年全市公共机构人均能耗同比下降百分之三。"),
    "official_vehicles": ("区机关事务中心加强公务用车管理和行车安全",
                          "中心组织全体驾驶员开展安全驾驶培训。对全部公务用车进行车辆检修和保养，"
                          "规范用车平台派车流程，严禁公车私用。"),
    "party_study": ("局党组召开理论学习中心组学习会",
                    "会议传达学习了重要讲话精神，强调要坚定不移推进全面从严治党。"
                    "扎实开展党纪学习教育，组织党员干部观看警示教育片。与会同志结合工作开展交流研讨。"),
    "logistics_services": ("县机关食堂推出营养配餐服务",
                           "机关食堂优化菜品结构，推出营养套餐，干部职工就餐满意度明显提升。"
                           "物业服务团队加强办公区保洁和安保工作，会务保障更加规范。"),
    "office_space": ("市局开展党政机关办公用房清理整改",
                     "对各单位办公用房使用面积逐一核查，超标准部分全部腾退并统一调配使用。"
                     "同步推进办公用房权属登记，建立办公用房管理台账。"),
    "standardisation": ("省局推进机关事务标准化试点建设",
                        "今年制定发布三项地方标准，初步构建机关事务标准体系。"
                        "组织开展标准宣贯培训，试点单位对照标准逐项整改。"),
    "asset_management": ("市公物仓盘活闲置资产成效明显",
                         "全年调剂使用闲置办公家具八百余件，依规处置报废资产两千余件。"
                         "组织开展行政事业性国有资产清查，做到账实相符。"),
    "safety_epidemic": ("机关大院开展消防应急演练",
                        "组织干部职工开展消防安全培训和应急演练，现场教授灭火器使用方法。"
                        "全面排查整改安全隐患十二处，落实安全生产责任。"),
    "general_work": ("全市机关事务工作会议召开",
                     "会议总结上一年度工作，部署十四五时期机关事务高质量发展任务。"
                     "要求推进机关事务法治化建设，加快智慧机关信息化平台建设，加强干部队伍自身建设。"),
}


def examples(copies: int = 1) -> list[Example]:
    """The fixture articles, optionally with light variations (for training)."""
    out = []
    suffixes = ["", "各单位认真落实。", "取得良好成效。", "得到广泛好评。"]
    for c in range(copies):
        for theme, (title, body) in ARTICLES.items():
            out.append(Example(f"{theme}-{c}", title, body + suffixes[c % len(suffixes)], [theme], source="fixture"))
    return out


@pytest.fixture
def fixture_examples():
    return examples(3)

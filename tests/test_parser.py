"""The parser on the seed (scored by the independent referee), on our own variant bulletins, and fuzzed."""

from __future__ import annotations

import importlib.util
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SHARED
from jianbao_nlp.errors import InputError
from jianbao_nlp.parser import BulletinParser, parse_file, parse_text, split_list, to_blocks, unit_of
from jianbao_nlp.render import issue_to_markdown
from jianbao_nlp.text import join_broken_paragraphs, parse_int, squash_cjk_spaces

BULLETINS = FIXTURES / "bulletins"


def referee():
    path = SHARED / "checks" / "score.py"
    if not path.is_file():
        pytest.skip("../shared/checks/score.py not available")
    spec = importlib.util.spec_from_file_location("referee_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_seed_meets_every_parse_target(seed_path, gold_path):
    score = referee().score_parse(json.loads(gold_path.read_text(encoding="utf-8")), parse_file(seed_path).to_dict())
    assert score["pred_articles"] == score["gold_articles"] == 10
    assert score["titles_matched"] == 10 and score["sections_correct"] == 10
    assert score["paragraphs_matched"] == 10 and score["summary_lines_matched"] == 10
    assert score["body_similarity_mean"] >= 0.99
    assert score["metadata_correct"] == score["metadata_fields"] == 7


def test_seed_contributors_and_footer(seed_path, gold_path):
    issue = parse_file(seed_path)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert [a.contributor for a in issue.articles] == [a["contributor"] for a in gold["articles"]]
    assert issue.issue.recipients == gold["issue"]["recipients"]
    assert issue.issue.cc == gold["issue"]["cc"]
    assert issue.issue.sections == gold["issue"]["sections"]


def test_sample_bulletin(sample_path):
    issue = parse_file(sample_path)
    m = issue.issue
    assert (m.publication, m.issuer, m.year, m.number, m.total_number) == ("江西省机关事务管理局简报", "江西省机关事务管理局", 2024, 5, 86)
    assert (m.date, m.print_date, m.copies, m.disclosure) == ("2024-06-18", "2024-06-18", 30, "主动公开")
    assert m.sections == ["省局动态", "基层动态"]
    assert [a.contributor for a in issue.articles] == [None, None, None, "赣州局", "九江局"]
    assert issue.articles[1].title == "省机关事务管理局开展党纪学习教育专题党课"  # bold markers + stray space
    assert "工作任务落实落地" in issue.articles[1].body  # page-break split joined
    assert all(a.summary_line for a in issue.articles)
    assert issue.articles[3].summary_line == "赣州局“三个到位”推进公务用车制度改革"
    assert issue.articles[3].body.startswith("一是思想认识到位。")
    assert "warnings" not in issue.extra


@pytest.mark.parametrize("name, sections, titles, contributors", [
    ("numbered-sections.txt", ["工作动态", "经验交流"],
     ["市机关事务管理局召开年度工作总结会", "市机关事务管理局组织开展安全生产大检查",
      "涪城区机关事务中心推行食堂“明厨亮灶”", "游仙区机关事务中心加强公物仓管理"],
     [None, None, "涪城区机关事务中心", "游仙区机关事务中心"]),
    ("single-article.md", [], ["县机关事务中心推进节约型机关创建工作"], [None]),
    ("other-sections-same-contributor.md", ["领导讲话", "信息快递"],
     ["在全市机关事务工作会议上的讲话（摘要）", "宜昌局召开办公用房管理培训会", "宜昌局开展公务用车专项检查",
      "德阳局完成食堂服务社会化采购"], [None, "宜昌局", "宜昌局", "德阳局"]),
    ("no-toc-pdf-artefacts.md", ["工作动态"],
     ["区机关事务服务中心完成办公区节能改造", "区机关事务服务中心开展“公物仓”建设试点"], [None, None]),
    ("plain-contributor-lines.txt", ["工作动态", "基层风采"],
     ["省机关事务管理局召开全省机关事务工作会议", "省直机关集中办公区开展消防应急演练",
      "宜昌市机关事务服务中心推进公物仓建设", "襄阳市机关事务管理局强化公务用车管理"],
     ["省局办公室", "安全保卫处", "宜昌市机关事务服务中心", "襄阳市机关事务管理局"]),
    ("pdf-toc-leaders-page-numbers.md", ["要闻速递", "市县动态"],
     ["省机关事务管理局部署2024年公共机构节能工作", "赣州市机关事务中心完成市直机关食堂提质改造",
      "九江市机关事务管理局开展办公用房使用情况核查"],
     [None, "赣州市机关事务中心", "九江市机关事务管理局"]),  # the issuing bureau's own news: no contributor
])
def test_variant_bulletins(name, sections, titles, contributors):
    issue = parse_file(BULLETINS / name)
    assert issue.issue.sections == sections
    assert [a.title for a in issue.articles] == titles
    assert [a.contributor for a in issue.articles] == contributors
    assert all(a.body for a in issue.articles)
    assert all("**" not in a.body and "#" not in a.body for a in issue.articles)


def test_numbered_sections_cover_and_footer():
    m = parse_file(BULLETINS / "numbered-sections.txt").issue
    assert (m.year, m.number, m.total_number, m.date) == (2023, 12, 140, "2023-12-20")
    assert m.issuer == "绵阳市机关事务管理局" and m.disclosure == "依申请公开" and m.copies == 40
    assert m.recipients == ["市委办公室", "市政府办公室", "各县（市、区）机关事务管理部门"]


def test_plain_cover_flat_toc_and_contributor_lines():
    """第N期 without a year, issuer and date on one line, a flat 要目 list followed by a 【section】,
    a （unit） line after each article, a box-drawing rule before the footer."""
    issue = parse_file(BULLETINS / "plain-contributor-lines.txt")
    m = issue.issue
    assert (m.publication, m.issuer, m.year, m.number, m.date, m.copies) == (
        "机关事务工作简报", "湖北省机关事务管理局办公室", 2024, 5, "2024-05-10", 50)
    assert all(a.summary_line == a.title for a in issue.articles)
    assert not any("─" in a.body or a.body.endswith("）") for a in issue.articles)
    assert not issue.warnings


def test_toc_with_marked_groups_leaders_page_numbers_and_colophon():
    """■-marked groups in a 目录 with dotted leaders and page numbers, "— 2 —" page-number lines,
    a 主办： label before the issuer, two colophon fields on one footer line."""
    issue = parse_file(BULLETINS / "pdf-toc-leaders-page-numbers.md")
    m = issue.issue
    assert (m.issuer, m.year, m.number, m.total_number, m.date) == ("江西省机关事务管理局", 2024, 3, 88, "2024-03-28")
    assert m.extra.get("footer") == {"责任编辑": "张明", "审核": "刘红"}
    assert all(a.summary_line == a.title for a in issue.articles)
    assert not any("—" in a.body or "责任编辑" in a.body for a in issue.articles)
    assert not issue.warnings


def test_pdf_artefacts_are_repaired():
    issue = parse_file(BULLETINS / "no-toc-pdf-artefacts.md")
    first = issue.articles[0].body.split("\n")
    assert len(first) == 2 and "36万千瓦时，节约电费25万余元。" in first[0]
    assert "更换LED灯具1500余盏" in first[0]


def test_toc_alignment_reports_lines_with_no_article():
    text = ("# 测试简报\n\n2020年第1期\n\n## 本期提要\n\n- 甲局召开节能工作会议\n- 完全无关的一行提要文字\n\n"
            "## 工作动态\n\n# 甲局召开节能工作会议\n\n甲局召开节能工作会议，部署全年工作。\n")
    issue = parse_text(text)
    assert issue.articles[0].summary_line == "甲局召开节能工作会议"
    assert issue.extra["unmatched_summary_lines"] == ["完全无关的一行提要文字"]
    assert any("完全无关" in w for w in issue.extra["warnings"])


def test_render_then_parse_keeps_the_structure(sample_path):
    issue = parse_file(sample_path)
    again = parse_text(issue_to_markdown(issue))
    assert [(a.section, a.title, a.contributor, a.summary_line, a.body) for a in again.articles] == \
           [(a.section, a.title, a.contributor, a.summary_line, a.body) for a in issue.articles]
    for key in ("publication", "issuer", "year", "number", "total_number", "date", "copies", "recipients", "cc"):
        assert getattr(again.issue, key) == getattr(issue.issue, key), key


@pytest.mark.parametrize("raw, clean", [("1250 家", "1250家"), ("达 90% 以上", "达90%以上"), ("LED 灯具", "LED灯具"),
                                        ("Windows 10 系统", "Windows 10系统"), ("“ 公物仓 ”", "“公物仓”"),
                                        ("28. 33%", "28.33%")])
def test_stray_spaces(raw, clean):
    assert squash_cjk_spaces(raw) == clean


def test_helpers():
    assert join_broken_paragraphs(["一是抓", "重点。", "二是。"]) == ["一是抓重点。", "二是。"]
    assert parse_int("二〇二一") == 2021 and parse_int("十二") == 12 and parse_int("１０７") == 107
    assert split_list("市委办公室，各县（市、区）机关事务中心、局机关各科室。") == ["市委办公室", "各县（市、区）机关事务中心", "局机关各科室"]
    assert split_list("各市、州、县机关事务管理部门，市委、市政府") == ["各市、州、县机关事务管理部门", "市委", "市政府"]
    assert unit_of("襄阳局“两个强化”推进") == "襄阳局" and unit_of("一是抓重点") is None
    assert unit_of("市机关事务服务中心组织开展演练") == "市机关事务服务中心"
    assert unit_of("省机关事务管理局召开会议") == "省机关事务管理局" and unit_of("该局召开会议") is None


def test_empty_and_bodyless_text_is_an_input_error():
    for text in ["", "   \n\n", "---\n\n---"]:
        with pytest.raises(InputError):
            parse_text(text)


markdownish = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.builds(lambda h, t: "#" * h + " " + t, st.integers(1, 6), st.text(max_size=20)),
        st.builds(lambda t, r: f"**{t}**{r}", st.text(max_size=20), st.text(max_size=30)),
        st.sampled_from(["## 本期提要", "### 工作动态", "- 一行提要", "---", "主送：省政府办公厅。", "（共印10份）",
                         "2021年第3期", "【标题】正文。", "一、工作动态", "信息公开选项：主动公开", "| a | b |"]),
    ), max_size=25).map("\n\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), markdownish))
def test_parser_fuzz_raises_only_input_errors(text):
    try:
        issue = BulletinParser().parse(text)
    except InputError:
        return
    json.dumps(issue.to_dict(), ensure_ascii=False)
    for art in issue.articles:
        assert isinstance(art.body, str)


def test_blocks():
    kinds = [b.kind for b in to_blocks("# 标题\n\n正文\n- 项\n---\n| a | b |\n|---|---|")]
    assert kinds == ["heading", "para", "item", "rule", "table"]


def _strip_markup(text: str, toc: bool = True) -> str:
    import re

    text = re.sub(r"^#+\s*", "", text, flags=re.M).replace("**", "")
    if toc:
        return re.sub(r"^- ", "", text, flags=re.M)
    # drop the 本期提要 block entirely: its heading, its group names and its lines
    head, _, rest = text.partition("本期提要")
    lines = rest.split("\n")
    k = 0
    while k < len(lines) and (not lines[k].strip() or lines[k].startswith("- ") or len(lines[k].strip()) <= 6):
        k += 1
    groups = [ln.strip() for ln in lines[:k] if ln.strip() and not ln.startswith("- ")]
    body = "\n".join(lines[k:])
    return head + (groups[0] + "\n" if groups else "") + body


SEED_VARIANTS = {
    # a .txt export: no headings, no bold, 本期提要 kept (its lines anchor the titles)
    "plain": lambda t: _strip_markup(t),
    # the same with every paragraph on its own line and no blank lines
    "plain-single-newlines": lambda t: __import__("re").sub(r"\n\s*\n+", "\n", _strip_markup(t)),
    # no 本期提要 at all: titles and bold-less run-in items found by their shape
    "plain-no-toc": lambda t: _strip_markup(t, toc=False),
    # 【】 instead of bold for run-in heads and one heading
    "brackets": lambda t: __import__("re").sub(r"\*\*(.+?)\*\*", r"【\1】", t),
}


@pytest.mark.parametrize("variant", sorted(SEED_VARIANTS))
def test_seed_variants_parse_to_the_same_structure(variant, seed_path, gold_path):
    text = SEED_VARIANTS[variant](seed_path.read_text(encoding="utf-8"))
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    score = referee().score_parse(gold, parse_text(text).to_dict())
    assert score["pred_articles"] == 10 and score["titles_matched"] == 10, score
    assert score["sections_correct"] == 10 and score["paragraphs_matched"] == 10, score
    assert score["body_similarity_mean"] >= 0.99, score
    assert score["summary_lines_matched"] == (0 if variant == "plain-no-toc" else 10), score


def test_web_page_article():
    """One news item as saved from a bureau's website: the meta line under the title is metadata,
    the page's controls are not text."""
    text = ("县机关事务中心完成办公区节水改造\n\n发布时间：2024-05-08 09:30　　来源：县机关事务中心　　浏览次数：120\n\n"
            "5月7日，县机关事务中心完成县级行政中心节水改造，更换节水器具600余套。\n\n"
            "改造后办公区月均用水量下降15%。\n\n【打印本页】【关闭窗口】\n")
    issue = parse_text(text)
    (art,) = issue.articles
    assert art.title == "县机关事务中心完成办公区节水改造"
    assert art.body == "5月7日，县机关事务中心完成县级行政中心节水改造，更换节水器具600余套。\n改造后办公区月均用水量下降15%。"
    assert art.extra["source_meta"] == {"发布时间": "2024-05-08 09:30", "来源": "县机关事务中心", "浏览次数": "120"}
    assert art.contributor is None  # 来源 names the publishing bureau itself (no issuer known, level-only name)
    # a body that is only text: one untitled article
    assert parse_text("近日，区机关事务服务中心完成屋顶光伏项目并网发电。").articles[0].title is None

from __future__ import annotations

import json
import re

from jianbao_nlp.components.summary import render_block, toc_lines, write_block_docx
from jianbao_nlp.components.summary.block import normalize_title, write_block
from jianbao_nlp.model import load_issue


def test_normalize_title_rules():
    assert normalize_title("市局召开节能会议。") == "市局召开节能会议"
    assert normalize_title("西河局“三抓”，强化车辆管理。", runin=True) == "西河局“三抓”强化车辆管理"
    # a comma inside quotes survives; outside a run-in head a comma is kept
    assert normalize_title("南岭局推行“早，准，实”工作法", runin=True) == "南岭局推行“早，准，实”工作法"
    assert normalize_title("市局召开会议，部署工作") == "市局召开会议，部署工作"
    assert normalize_title("  市局 召开\u3000会议 ") == "市局 召开 会议"
    assert normalize_title("全省 120 家机关建成节约型机关") == "全省120家机关建成节约型机关"
    assert normalize_title("主标题\n副标题。") == "主标题 副标题"


def test_toc_lines_group_by_section_in_issue_order(tiny_issue):
    lines = toc_lines(tiny_issue)
    assert [s for s, _ in lines] == ["局内动态", "局内动态", "基层动态"]
    assert lines[2] == ("基层动态", "东山局“两抓”推进食堂节约")
    assert all(re.sub(r"\s+", "", line) == re.sub(r"\s+", "", a.summary_line)
               for (_, line), a in zip(lines, [tiny_issue.articles[i] for i in (0, 2, 1)]))


def test_render_md_txt_and_docx(tiny_issue, tmp_path):
    md = render_block(tiny_issue, "md")
    assert md.startswith("## 本期提要") and "**基层动态**" in md and "- 东山局“两抓”推进食堂节约" in md
    assert md.index("局内动态") < md.index("基层动态")
    txt = render_block(tiny_issue, "txt")
    assert "【局内动态】" in txt and "市机关事务局召开年度节能工作会议\n" in txt
    out = write_block_docx(tiny_issue, tmp_path / "toc.docx")
    from docx import Document

    paras = [p.text for p in Document(str(out)).paragraphs]
    assert "东山局“两抓”推进食堂节约" in paras and "【基层动态】" in paras
    write_block(tiny_issue, tmp_path / "toc.txt")
    assert (tmp_path / "toc.txt").read_text(encoding="utf-8") == txt


def test_seed_printed_lines_from_gold_titles(labelled_issue_path):
    issue = load_issue(labelled_issue_path)
    gold = {a.id: a.summary_line for a in issue.articles}
    by_line = toc_lines(issue)
    order = sorted(issue.articles, key=lambda a: (issue.issue.sections.index(a.section), issue.articles.index(a)))
    sq = lambda s: re.sub(r"\s+", "", s or "")  # noqa: E731
    exact = sum(sq(line) == sq(gold[a.id]) for (_, line), a in zip(by_line, order))
    assert len(by_line) == len(issue.articles)
    assert exact >= 9, json.dumps(by_line, ensure_ascii=False)

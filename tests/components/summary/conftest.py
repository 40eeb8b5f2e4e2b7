"""Shared fixtures for the summary tests: tiny invented bulletin items (no shared data)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jianbao_nlp.model import Article, Issue, IssueMeta

REPO = Path(__file__).resolve().parents[3]


def shared_dir() -> Path:
    return Path(os.environ.get("JIANBAO_SHARED") or REPO.parent / "shared")


@pytest.fixture
def labelled_issue_path():
    path = shared_dir() / "data" / "labelled" / "sc-jgswj-2021-08.json"
    if not path.is_file():
        pytest.skip("shared labelled data not available")
    return path


@pytest.fixture
def tiny_issue() -> Issue:
    return Issue(id="t-01", issue=IssueMeta(sections=["局内动态", "基层动态"]), articles=[
        Article(id="a1", section="局内动态", title="市机关事务局召开年度节能工作会议。",
                body="3月5日，市机关事务局召开年度节能工作会议，部署全年节能任务。会议要求各单位认真落实。",
                summary_line="市机关事务局召开年度节能工作会议"),
        Article(id="a2", section="基层动态", contributor="东山局", title="东山局“两抓”，推进食堂节约。",
                body="一是抓制度。制定食堂节约办法，明确食堂节约责任。二是抓宣传。开展食堂节约宣传，张贴食堂节约标语。",
                summary_line="东山局“两抓”推进食堂节约"),
        Article(id="a3", section="局内动态", title="市局  举办  公务用车 培训班",
                body="近日，市局举办公务用车培训班，五十名驾驶员参加培训。",
                summary_line="市局举办公务用车培训班"),
    ])

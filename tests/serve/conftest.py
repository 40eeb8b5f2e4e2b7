"""Fixtures for the web service tests: a small deterministic pipeline and sample files."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao_nlp.model import Entity
from jianbao_nlp.pipeline import Component, Pipeline

ARCHIVE = Path(__file__).resolve().parents[1] / "fixtures" / "archive"


class FakeAnnotator(Component):
    """Deterministic stand-in for themes/summary/ner: two candidate lines, one theme, one entity."""

    name = "fake"

    def __call__(self, article, issue=None):
        first = article.body.split("。")[0][:30]
        article.suggested_summary_lines = [f"建议甲：{first}", f"建议乙：{article.section or ''}{len(article.body)}字"]
        article.themes = ["general_work"]
        article.primary_theme = "general_work"
        i = article.body.find("机关事务")
        if i >= 0:
            article.entities = [Entity(field="body", start=i, end=i + 4, label="ORG", text="机关事务",
                                       canonical="机关事务（规范名）")]
        return article


def fake_pipeline() -> Pipeline:
    return Pipeline(components=[("fake", FakeAnnotator())])


@pytest.fixture
def pipeline() -> Pipeline:
    return fake_pipeline()


@pytest.fixture
def archive() -> Path:
    return ARCHIVE

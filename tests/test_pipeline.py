"""The pipeline: components in order, and one article a component fails on costs only that article."""

from __future__ import annotations

import pytest

from jianbao_nlp.errors import InputError
from jianbao_nlp.model import Article, Issue
from jianbao_nlp.pipeline import Component, Pipeline


class Marker(Component):
    """Writes the body's length as the only suggested line; fails on a body holding ``bad``."""

    name = "marker"

    def __init__(self, bad: str = "坏", error: type[Exception] = ValueError):
        self.bad, self.error = bad, error

    def pipe(self, articles, issue=None, batch_size=64):
        articles = list(articles)  # a batch: one bad article fails the whole call
        for a in articles:
            if self.bad in a.body:
                raise self.error(f"cannot handle {a.id}")
        for a in articles:
            a.suggested_summary_lines = [str(len(a.body))]
            yield a


def _issue(*bodies: str) -> Issue:
    return Issue(id="t", articles=[Article(id=f"a{i}", body=b) for i, b in enumerate(bodies)])


def test_components_run_in_order_on_every_article():
    issue = Pipeline([("marker", Marker())])(_issue("一二三", "四五"))
    assert [a.suggested_summary_lines for a in issue.articles] == [["3"], ["2"]]
    assert not issue.warnings


def test_a_failing_article_keeps_no_label_and_the_others_keep_theirs():
    issue = Pipeline([("marker", Marker())])(_issue("一二三", "坏了", "四五"))
    assert [a.suggested_summary_lines for a in issue.articles] == [["3"], [], ["2"]]
    assert issue.warnings == ["marker failed on article a1: ValueError: cannot handle a1"]


def test_the_projects_own_errors_still_stop_the_issue():
    with pytest.raises(InputError):
        Pipeline([("marker", Marker(error=InputError))])(_issue("坏了"))

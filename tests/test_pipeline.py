"""The pipeline: components in order, and one article a component fails on costs only that article."""

from __future__ import annotations

import pytest

from jianbao_nlp.errors import InputError
from jianbao_nlp.model import Article, Issue
from jianbao_nlp.pipeline import Component, Pipeline, TrainableComponent


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


class Recorder(TrainableComponent):
    """Predicts each article's issue id and body length, and records every ``predict`` call."""

    name = "recorder"
    reads_issue = True

    def __init__(self, bad: str = "坏"):
        self.bad, self.calls = bad, []

    def predict(self, articles, issue=None, owners=None):
        owners = owners if owners is not None else [issue] * len(articles)
        self.calls.append(len(articles))
        if any(self.bad in a.body for a in articles):
            raise ValueError("bad article")
        return [f"{o.id if o else '-'}:{len(a.body)}" for o, a in zip(owners, articles)]

    def set_annotations(self, articles, predictions, issue=None):
        for a, p in zip(articles, predictions):
            a.suggested_summary_lines = [p]


def _issues():
    return [Issue(id=f"i{k}", articles=[Article(id=f"a{k}{j}", body="字" * (k + j + 1)) for j in range(3)])
            for k in range(3)]


def test_process_issues_predicts_all_articles_in_one_call_with_each_articles_own_issue():
    one_by_one, grouped = _issues(), _issues()
    rec_a, rec_b = Recorder(), Recorder()
    for issue in one_by_one:
        Pipeline([("recorder", rec_a)])(issue)
    Pipeline([("recorder", rec_b)]).process_issues(grouped)
    assert [i.to_dict() for i in grouped] == [i.to_dict() for i in one_by_one]
    assert grouped[2].articles[0].suggested_summary_lines == ["i2:3"]
    assert rec_a.calls == [3, 3, 3] and rec_b.calls == [9]


def test_process_issues_falls_back_to_issue_by_issue_when_the_group_fails():
    issues = _issues()
    issues[1].articles[1].body = "坏了"
    Pipeline([("recorder", Recorder())]).process_issues(issues)
    assert [a.suggested_summary_lines for a in issues[0].articles] == [["i0:1"], ["i0:2"], ["i0:3"]]
    assert [a.suggested_summary_lines for a in issues[1].articles] == [["i1:2"], [], ["i1:4"]]
    assert issues[1].warnings == ["recorder failed on article a11: ValueError: bad article"]
    assert not issues[0].warnings and not issues[2].warnings


def test_process_issues_on_a_plain_component_is_issue_by_issue():
    issues = [_issue("一二三"), _issue("坏了", "四五")]
    Pipeline([("marker", Marker())]).process_issues(issues)
    assert [a.suggested_summary_lines for i in issues for a in i.articles] == [["3"], [], ["2"]]

from __future__ import annotations

import pytest

from jianbao_nlp.components.summary import SummaryComponent, create_component
from jianbao_nlp.errors import ModelError
from jianbao_nlp.model import Article
from jianbao_nlp.pipeline import create_component as registry_create


def _suggest(comp, **fields):
    art = Article(id="x", **fields)
    comp(art)
    return art.suggested_summary_lines


@pytest.mark.parametrize("backend", ["extractive", None])
def test_title_and_printed_line_are_never_read(backend):
    comp = create_component(backend=backend)
    body = "为加强节能管理，5月8日，青山区机关事务局召开节能工作推进会，部署下半年重点任务。与会人员进行了交流。"
    a = _suggest(comp, body=body, section="局内动态", title="青山区机关事务局召开节能工作推进会")
    b = _suggest(comp, body=body, section="局内动态", title="完全无关的标题", summary_line="另一个无关的提要")
    c = _suggest(comp, body=body, section="局内动态")
    assert a == b == c and a


def test_registry_and_output_contract(tiny_issue):
    comp = registry_create("summary", backend="extractive")
    assert isinstance(comp, SummaryComponent)
    comp.process_issue(tiny_issue)
    for art in tiny_issue.articles:
        lines = art.suggested_summary_lines
        assert 1 <= len(lines) <= 3
        assert len({x for x in lines}) == len(lines)
        assert all(0 < len(x) <= 40 for x in lines)
    assert tiny_issue.articles[1].suggested_summary_lines[0].startswith("东山局“两抓”")


def test_k_setting_and_empty_body():
    comp = create_component(backend="extractive", k=1)
    assert len(_suggest(comp, body="3月5日，市局召开节能会议。4月2日，市局举办培训班。")) == 1
    assert _suggest(comp, body="") == []


def test_bad_backend_and_missing_model(tmp_path):
    with pytest.raises(ModelError):
        SummaryComponent(backend="nope")
    with pytest.raises(ModelError):
        create_component(model=tmp_path)
    with pytest.raises(ModelError):
        create_component(backend="seq2seq")


def test_default_falls_back_to_extractive(monkeypatch, tmp_path):
    monkeypatch.setenv("JIANBAO_MODELS", str(tmp_path))
    assert create_component().backend_name == "extractive"

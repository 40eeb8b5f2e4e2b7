"""Label Studio JSON and doccano JSONL round trips of theme labels."""

from __future__ import annotations

import json

import pytest

from jianbao_nlp.components.themes import annotation_io as aio
from jianbao_nlp.errors import InputError
from jianbao_nlp.model import Article, Issue


@pytest.fixture
def issue():
    iss = Issue(id="demo-2024-01")
    a = Article(id="a01", section="本局动态", title="市局推进节约型机关建设", body="全面推行垃圾分类。")
    a.themes, a.primary_theme = ["energy_saving", "logistics_services"], "energy_saving"
    b = Article(id="a02", title=None, body="开展消防演练。")
    b.themes, b.primary_theme = ["safety_epidemic"], "safety_epidemic"
    iss.articles = [a, b]
    return iss


def _key(issues):
    return [(i.id, [(a.id, a.title, a.body, a.themes, a.primary_theme) for a in i.articles]) for i in issues]


def test_label_studio_round_trip(issue, tmp_path):
    path = tmp_path / "tasks.json"
    aio.write_label_studio([issue], path)
    tasks = json.loads(path.read_text(encoding="utf-8"))
    assert tasks[0]["annotations"][0]["result"][0]["value"]["choices"] == ["energy_saving", "logistics_services"]
    assert _key(aio.read_label_studio(path)) == _key([issue])
    cfg = aio.label_studio_config()
    assert '<Choices name="themes"' in cfg and 'value="office_space"' in cfg


def test_label_studio_keeps_primary_when_a_tool_sorts_choices(issue):
    tasks = aio.to_label_studio([issue])
    tasks[0]["annotations"][0]["result"][0]["value"]["choices"].sort(reverse=True)
    back = aio.from_label_studio(tasks)
    assert back[0].articles[0].themes[0] == "energy_saving"


def test_doccano_round_trip(issue, tmp_path):
    path = tmp_path / "d.jsonl"
    aio.write_doccano([issue], path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[1])["label"] == ["safety_epidemic"]
    assert _key(aio.read_doccano(path)) == _key([issue])


def test_bad_files_name_the_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl"):
        aio.read_doccano(bad)
    ls = tmp_path / "ls.json"
    ls.write_text('[{"nodata": 1}]', encoding="utf-8")
    with pytest.raises(InputError, match="ls.json"):
        aio.read_label_studio(ls)

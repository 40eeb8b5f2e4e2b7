"""Tiny invented NER fixtures (our own sentences; nothing from ../shared)."""

from __future__ import annotations

import itertools

import pytest

PERSONS = ["王小明", "李红梅", "赵志刚", "陈晓东", "刘春燕", "周建华"]
PLACES = ["江苏省", "杭州市", "宜宾市", "海淀区", "贵州省", "洛阳市"]
ORGS = ["市财政局", "省教育厅", "宜宾市机关事务管理局", "国家统计局", "市水务局", "省卫生健康委"]
TEMPLATES = [
    ("{p}同志在{l}调研时指出，{o}要加强管理。", ("p", "l", "o")),
    ("{o}召开会议，{p}主持。", ("o", "p")),
    ("近日，{p}带队赴{l}考察。", ("p", "l")),
    ("{l}的{o}发布了通知。", ("l", "o")),
]


def _make(k: int):
    p, l, o = PERSONS[k % len(PERSONS)], PLACES[(k * 5) % len(PLACES)], ORGS[(k * 7) % len(ORGS)]
    tpl, slots = TEMPLATES[k % len(TEMPLATES)]
    text = tpl.format(p=p, l=l, o=o)
    spans = []
    for key, val, lab in (("p", p, "PER"), ("l", l, "LOC"), ("o", o, "ORG")):
        if key in slots:
            s = text.index(val)
            spans.append((s, s + len(val), lab))
    tags = ["O"] * len(text)
    for s, e, lab in spans:
        tags[s] = "B-" + lab
        for j in range(s + 1, e):
            tags[j] = "I-" + lab
    return {"id": f"t{k}", "text": text, "tags": tags, "spans": sorted(spans)}


@pytest.fixture(scope="session")
def tiny_records():
    return [_make(k) for k in range(48)]


@pytest.fixture(scope="session")
def tiny_dataset(tiny_records):
    from jianbao_nlp.components.ner.corpora import to_dataset

    return to_dataset(tiny_records)

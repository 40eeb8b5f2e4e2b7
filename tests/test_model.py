"""The issue data model round-trips losslessly through the issue JSON."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from jianbao_nlp.errors import InputError
from jianbao_nlp.model import Article, Entity, Issue, load_issue

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
opt_text = st.none() | text
json_scalar = st.none() | st.booleans() | st.integers(-10**6, 10**6) | text
json_value = st.recursive(json_scalar, lambda c: st.lists(c, max_size=3) | st.dictionaries(text, c, max_size=3),
                          max_leaves=6)
extra_keys = st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: k not in _ALL_KEYS), json_value,
                             max_size=2)
_ALL_KEYS = {"format", "id", "source", "issue", "articles", "field", "start", "end", "label", "text", "canonical",
             "section", "title", "contributor", "body", "summary_line", "suggested_summary_lines", "themes",
             "primary_theme", "theme_scores", "entities", "publication", "issuer", "year", "number",
             "total_number", "date", "print_date", "copies", "disclosure", "sections", "recipients", "cc"}


@st.composite
def entity_dicts(draw):
    d = {"field": draw(st.sampled_from(["title", "body"])), "start": draw(st.integers(0, 50)),
         "end": draw(st.integers(0, 60)), "label": draw(st.sampled_from(["ORG", "PER", "LOC"])), "text": draw(text)}
    if draw(st.booleans()):
        d["canonical"] = draw(opt_text)
    d.update(draw(extra_keys))
    return d


@st.composite
def article_dicts(draw):
    d = {"id": draw(text), "body": draw(text)}
    optional = {
        "section": opt_text, "title": opt_text, "contributor": opt_text, "summary_line": opt_text,
        "suggested_summary_lines": st.lists(text, max_size=3), "themes": st.lists(text, max_size=3),
        "primary_theme": opt_text,
        "theme_scores": st.dictionaries(text, st.floats(0, 1, allow_nan=False), max_size=3),
        "entities": st.lists(entity_dicts(), max_size=3),
    }
    for key, strat in optional.items():
        if draw(st.booleans()):
            d[key] = draw(strat)
    d.update(draw(extra_keys))
    keys = draw(st.permutations(list(d)))
    return {k: d[k] for k in keys}


@st.composite
def issue_dicts(draw):
    meta = {}
    for key, strat in {"publication": opt_text, "issuer": opt_text, "year": st.none() | st.integers(1900, 2100),
                       "number": st.none() | st.integers(0, 99), "date": opt_text, "copies": st.none() | st.integers(0, 999),
                       "sections": st.lists(text, max_size=3), "recipients": st.lists(text, max_size=3)}.items():
        if draw(st.booleans()):
            meta[key] = draw(strat)
    meta.update(draw(extra_keys))
    d = {"format": "jianbao-issue/1", "id": draw(text), "issue": meta, "articles": draw(st.lists(article_dicts(), max_size=3))}
    if draw(st.booleans()):
        d["source"] = {"file": draw(text), "sha256": draw(text)}
    d.update(draw(extra_keys))
    keys = draw(st.permutations(list(d)))
    return {k: d[k] for k in keys}


@settings(max_examples=150, deadline=None)
@given(issue_dicts())
def test_issue_json_round_trip_is_lossless(data):
    issue = Issue.from_json(json.dumps(data, ensure_ascii=False))
    out = issue.to_dict()
    assert out == data
    assert list(out) == list(data)  # key order kept too
    assert Issue.from_dict(out) == issue


def test_gold_file_round_trips_to_the_same_json(gold_path):
    original = gold_path.read_text(encoding="utf-8")
    issue = load_issue(gold_path)
    assert json.loads(issue.to_json()) == json.loads(original)
    assert issue.to_json().strip() == original.strip()


def test_fields_set_by_components_are_written_and_unset_ones_are_not():
    art = Article(id="a01", body="正文。")
    assert set(art.to_dict()) == {"id", "body"}
    art.entities = []
    art.themes = ["energy_saving"]
    d = art.to_dict()
    assert d["entities"] == [] and d["themes"] == ["energy_saving"]
    art.entities.append(Entity("body", 0, 2, "ORG", "正文"))
    assert Article.from_dict(art.to_dict()).entities[0].key == ("body", 0, 2, "ORG")


def test_malformed_issue_json_is_an_input_error(tmp_path):
    for bad in ["{", "[]", '{"format": "other/9"}', '{"articles": 3}', '{"articles": [{"body": 5}]}',
                '{"articles": [{"body": "x", "entities": [{"start": "a"}]}]}', '{"articles": [{"body": "x", "section": 5}]}',
                '{"articles": [{"body": "x", "contributor": {"a": 1}}]}', '{"articles": [{"body": "x", "summary_line": []}]}']:
        p = tmp_path / "bad.json"
        p.write_text(bad, encoding="utf-8")
        try:
            load_issue(p)
        except InputError as err:
            assert "bad.json" in str(err) and "\n" not in str(err)
        else:  # pragma: no cover - the test fails
            raise AssertionError(f"accepted {bad!r}")

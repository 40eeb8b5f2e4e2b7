"""Bulletins written in the many house styles real issues come in (covers, 目录 styles, section
marks, credits, PDF page headers and numbers, fixed-width text) and as PDF/Word-to-Markdown
converters render them (marker, MinerU, pandoc, docling, Adobe: images, HTML, tables, escapes,
LaTeX numbers) or typed in Word (styles, bold runs, merged table cells, captions, numbering), each
with what a careful reader extracts from it (FILE.expected.json, written by
hand). A list value there is a set of readings that are all acceptable; body_includes /
body_excludes name text that must / must not be in an article's body, body_paragraph_starts text
that must begin one of its paragraphs (text glued across a paragraph break is caught)."""

import json
import re

import pytest

from conftest import FIXTURES
from jianbao_nlp.parser import parse_file

VARIANTS = FIXTURES / "bulletins" / "variants"
# the .docx ones are built by build_docx.py (python-docx), kept here so that no test needs Word
FILES = sorted(p for p in VARIANTS.iterdir() if p.suffix in (".md", ".txt", ".docx"))


def sq(x):
    return None if x is None else re.sub(r"\s+", "", str(x))


def accepts(expected, got, same=lambda e, g: sq(e) == sq(g)):
    if isinstance(expected, list) and expected and isinstance(expected[0], list):
        return any(accepts(e, got, same) for e in expected)  # alternatives of a list field
    if isinstance(expected, list) and not isinstance(got, list):
        return any(same(e, got) for e in expected)
    return same(expected, got)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_variant_parses_as_a_careful_reader_would(path):
    exp = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    issue = parse_file(path).to_dict()
    got = issue["issue"]
    for key, want in exp["issue"].items():
        value = got.get(key)
        if key in ("sections", "recipients", "cc"):
            assert accepts(want, value or [], lambda e, g: [sq(x) for x in e] == [sq(x) for x in g]), (key, value)
        else:
            assert accepts(want, value), (key, value)
    arts = issue["articles"]
    assert len(arts) == len(exp["articles"]), [a.get("title") for a in arts]
    for e, g in zip(exp["articles"], arts):
        for key in ("section", "title", "contributor", "summary_line"):
            assert accepts(e.get(key), g.get(key)), (key, e.get(key), g.get(key))
        if "subtitle" in e:
            assert accepts(e["subtitle"], g.get("subtitle")), ("subtitle", g.get("subtitle"))
        body = sq(g["body"])
        assert accepts(e["body_head"], body, lambda x, y: y.startswith(sq(x))), ("body starts", body[:20])
        assert accepts(e["body_tail"], body, lambda x, y: y.endswith(sq(x))), ("body ends", body[-20:])
        starts = [sq(line) for line in g["body"].split("\n")]
        for text in e.get("body_paragraph_starts", []):
            assert any(line.startswith(sq(text)) for line in starts), ("no paragraph starts with", text)
        for text in e.get("body_includes", []):
            assert sq(text) in body, ("body lacks", text)
        for text in e.get("body_excludes", []):
            assert sq(text) not in body, ("body holds", text)
        publication = exp["issue"].get("publication")
        if isinstance(publication, str):
            assert sq(publication) not in body  # no running page header left in the text

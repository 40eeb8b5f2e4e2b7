from hypothesis import given, strategies as st

from jianbao_nlp.components.ner.spans import (bio_to_spans, bioes_to_bio, drop_in_titles, quoted_ranges,
                                              resolve_overlaps, spans_to_tags)


def test_bio_and_bioes_round_trip():
    spans = [(0, 3, "ORG"), (4, 5, "PER"), (7, 9, "LOC")]
    for scheme in ("BIO", "BIOES"):
        assert bio_to_spans(spans_to_tags(10, spans, scheme)) == spans
    assert spans_to_tags(3, [(0, 1, "PER")], "BIOES") == ["S-PER", "O", "O"]
    assert bioes_to_bio(["B-ORG", "E-ORG", "S-LOC"]) == ["B-ORG", "I-ORG", "B-LOC"]


def test_bmes_and_orphan_inside_tags():
    assert bio_to_spans(["B-NAME", "M-NAME", "E-NAME", "O"]) == [(0, 3, "NAME")]
    # an I- with no B- starts a span; a label change splits spans
    assert bio_to_spans(["I-LOC", "I-LOC", "I-ORG"]) == [(0, 2, "LOC"), (2, 3, "ORG")]


@st.composite
def span_sets(draw):
    n = draw(st.integers(1, 30))
    cuts = sorted(draw(st.sets(st.integers(0, n), max_size=8)))
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        if draw(st.booleans()):
            spans.append((a, b, draw(st.sampled_from(["ORG", "PER", "LOC"]))))
    return n, spans


@given(span_sets())
def test_round_trip_property(data):
    n, spans = data
    assert bio_to_spans(spans_to_tags(n, spans, "BIOES")) == spans
    assert bio_to_spans(spans_to_tags(n, spans, "BIO")) == spans


def test_longest_span_wins_and_flat():
    out = resolve_overlaps([(0, 2, "LOC"), (0, 6, "ORG"), (5, 8, "LOC"), (9, 10, "PER")])
    assert out == [(0, 6, "ORG"), (9, 10, "PER")]


def test_titles_in_book_brackets_dropped():
    text = "学习《江苏省节能条例》后，江苏省召开会议"
    assert quoted_ranges(text) == [(2, 11)]
    spans = [(3, 6, "LOC"), (13, 16, "LOC")]
    assert drop_in_titles(text, spans) == [(13, 16, "LOC")]

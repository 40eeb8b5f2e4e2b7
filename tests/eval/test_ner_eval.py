"""eval.ner: strict span scores, cross-checked against seqeval (strict IOB2)."""

import random

import pytest

from jianbao_nlp.components.ner.spans import spans_to_tags
from jianbao_nlp.eval.ner import score, to_html, to_markdown
from jianbao_nlp.model import Article, Entity, Issue


def _issue(texts, spans_per_text, iid="i1"):
    arts = []
    for k, (text, spans) in enumerate(zip(texts, spans_per_text)):
        ents = [Entity(field="body", start=s, end=e, label=l, text=text[s:e]) for s, e, l in spans]
        arts.append(Article(id=f"a{k}", body=text, entities=ents))
    return Issue(id=iid, articles=arts)


def test_hand_computed_example():
    text = "王小明在杭州市财政局工作"
    gold = _issue([text], [[(0, 3, "PER"), (4, 10, "ORG")]])
    pred = _issue([text], [[(0, 3, "PER"), (4, 7, "LOC")]])
    r = score(gold, pred)
    assert r["precision"] == pytest.approx(0.5)
    assert r["recall"] == pytest.approx(0.5)
    assert r["per_label"]["PER"]["f1"] == pytest.approx(1.0)
    assert r["per_label"]["ORG"]["recall"] == 0.0
    assert [x["text"] for x in r["false_negatives"]] == ["杭州市财政局"]
    assert [x["text"] for x in r["false_positives"]] == ["杭州市"]
    md, page = to_markdown(r), to_html(r)
    assert "| all | 0.500 | 0.500 | 0.500 |" in md
    assert "杭州市财政局" in page and "<html" not in page


def _random_spans(rng, n):
    spans, i = [], 0
    while i < n:
        if rng.random() < 0.3:
            L = rng.randint(1, 4)
            if i + L <= n:
                spans.append((i, i + L, rng.choice(["ORG", "PER", "LOC"])))
                i += L + rng.randint(0, 2)
                continue
        i += 1
    return spans


def test_matches_seqeval_strict_iob2():
    seqeval = pytest.importorskip("seqeval.metrics")
    from seqeval.scheme import IOB2

    rng = random.Random(7)
    texts, golds, preds = [], [], []
    for _ in range(60):
        n = rng.randint(5, 25)
        texts.append("字" * n)
        g = _random_spans(rng, n)
        p = [s for s in g if rng.random() < 0.7] + [s for s in _random_spans(rng, n) if rng.random() < 0.3]
        # keep predictions flat (IOB2 cannot express overlaps)
        flat, taken = [], set()
        for s in sorted(p, key=lambda x: x[0]):
            if taken.isdisjoint(range(s[0], s[1])):
                flat.append(s)
                taken.update(range(s[0], s[1]))
        golds.append(g)
        preds.append(flat)
    r = score(_issue(texts, golds), _issue(texts, preds))
    y_true = [spans_to_tags(len(t), g, "BIO") for t, g in zip(texts, golds)]
    y_pred = [spans_to_tags(len(t), p, "BIO") for t, p in zip(texts, preds)]
    kw = {"mode": "strict", "scheme": IOB2}
    assert r["f1"] == pytest.approx(seqeval.f1_score(y_true, y_pred, average="micro", **kw))
    assert r["precision"] == pytest.approx(seqeval.precision_score(y_true, y_pred, average="micro", **kw))
    assert r["recall"] == pytest.approx(seqeval.recall_score(y_true, y_pred, average="micro", **kw))
    per = seqeval.classification_report(y_true, y_pred, output_dict=True, **kw)
    for lab in ("ORG", "PER", "LOC"):
        assert r["per_label"][lab]["f1"] == pytest.approx(per[lab]["f1-score"])


def test_predictions_matched_by_issue_id_and_missing_issue():
    text = "李红梅到访"
    g1, g2 = _issue([text], [[(0, 3, "PER")]], "one"), _issue([text], [[(0, 3, "PER")]], "two")
    p2 = _issue([text], [[(0, 3, "PER")]], "two")
    r = score([g1, g2], [p2])
    assert r["recall"] == pytest.approx(0.5) and r["precision"] == pytest.approx(1.0)
    assert r["missing_issues"] == ["one"]


def test_fields_limit_the_comparison():
    text = "王小明在杭州市财政局工作"
    gold = _issue([text], [[(0, 3, "PER")]])
    pred = _issue([text], [[(0, 3, "PER")]])
    pred.articles[0].title = "杭州市召开会议"
    pred.articles[0].entities.append(Entity(field="title", start=0, end=3, label="LOC", text="杭州市"))
    assert score(gold, pred)["precision"] == pytest.approx(0.5)
    r = score(gold, pred, fields=["body"])
    assert r["precision"] == r["recall"] == 1.0 and r["pred"] == 1

"""Regression check on the real labelled bulletin (read from ../shared at run time; skipped when
absent). The default component (shipped CRF, or the rules fallback) must keep strict F1 >= 0.85."""

from jianbao_nlp.api import clear_labels
from jianbao_nlp.components.ner import create_component
from jianbao_nlp.eval.ner import score
from jianbao_nlp.model import load_issue


def test_seed_entities_strict_f1(gold_path):
    gold = load_issue(gold_path)
    pred = gold.copy()
    clear_labels(pred, ["ner"])
    assert not any(a.entities for a in pred.articles)
    create_component().process_issue(pred)
    res = score(gold, pred)
    assert res["f1"] >= 0.85, (res["f1"], res["false_negatives"][:10], res["false_positives"][:10])
    for art in pred.articles:
        for e in art.entities:
            assert art.text_of(e.field)[e.start:e.end] == e.text
            assert e.canonical

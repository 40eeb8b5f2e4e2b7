"""CRF backend: train -> save -> load -> predict round trip on tiny invented data."""

import json

from jianbao_nlp.components.ner import NERComponent, create_component
from jianbao_nlp.components.ner.crf import MODEL_FILE, CRFTagger
from jianbao_nlp.components.ner.clusters import CLUSTERS_FILE, learn_clusters
from jianbao_nlp.model import Article, Issue


def test_crf_round_trip(tiny_dataset, tiny_records, tmp_path):
    clusters = {"王": (1, 10), "李": (1, 11), "局": (2, 20)}
    comp = NERComponent(backend="crf", rules_layer=False, max_iterations=40, minfreq=1)
    assert comp.model is None  # constructor stores settings only
    comp.fit(tiny_dataset, clusters=clusters)
    out = tmp_path / "ner-crf"
    comp.save_pretrained(out)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["task"] == "ner" and meta["backend"] == "crf"
    assert (out / MODEL_FILE).is_file() and (out / CLUSTERS_FILE).is_file()
    assert not list(out.glob("*.pkl")) and not list(out.glob("*.joblib"))

    loaded = create_component(model=out)
    assert loaded.backend == "crf" and loaded.model.clusters == clusters
    texts = [r["text"] for r in tiny_records[:12]]
    before = comp.predict_texts(texts)
    after = loaded.predict_texts(texts)
    assert before == after
    gold = [r["spans"] for r in tiny_records[:12]]
    hits = sum(len(set(p) & set(g)) for p, g in zip(after, gold))
    assert hits / sum(len(g) for g in gold) > 0.8   # it learned the training data

    art = Article(id="a1", title="市水务局召开会议", body=texts[0])
    issue = Issue(id="t", articles=[art])
    loaded.process_issue(issue)
    assert art.entities, "entities were set"
    for e in art.entities:
        assert art.text_of(e.field)[e.start:e.end] == e.text and e.canonical


def test_untrained_crf_is_an_error():
    import pytest

    from jianbao_nlp.errors import ModelError

    with pytest.raises(ModelError):
        CRFTagger().tag("王小明")


def test_learn_clusters_groups_similar_characters():
    texts = ["甲在北京开会。乙在上海开会。"] * 30 + ["丙到北京参观。丁到上海参观。"] * 30
    table = learn_clusters(texts, n_vocab=50, n_context=50, dim=4, k_coarse=3, k_fine=5)
    assert set(table) >= {"北", "上", "甲", "乙"}
    assert all(0 <= a < 3 and 0 <= b < 5 for a, b in table.values())

"""The shipped default model (models/summary-compression): loads, and beats the lead sentence on the seed."""

from __future__ import annotations

import pytest

from jianbao_nlp.components.summary import DEFAULT_MODEL, create_component
from jianbao_nlp.modeldir import default_model, read_meta


@pytest.fixture
def shipped():
    path = default_model(DEFAULT_MODEL)
    if not (path / "meta.json").is_file():
        pytest.skip("shipped summary model not present")
    return path


def test_model_card_and_meta(shipped):
    meta = read_meta(shipped, task="summary")
    assert meta["backend"] == "compression"
    assert "2026" in meta["training_data"]["split_rule"]
    card = (shipped / "README.md").read_text(encoding="utf-8")
    assert "scripts/train_summary.py" in card
    assert not list(shipped.glob("*.pkl")) and not list(shipped.glob("*.joblib"))
    assert sum(p.stat().st_size for p in shipped.iterdir()) < 40_000_000


def test_default_component_uses_shipped_model(shipped):
    comp = create_component()
    assert comp.backend_name == "compression" and comp.model_path == shipped


def test_seed_beats_lead_sentence(shipped, labelled_issue_path):
    from jianbao_nlp.eval.summary import BASELINE, load_gold, predict_issues, score

    gold = load_gold([labelled_issue_path])
    res = score(gold, predict_issues(gold, create_component()))
    assert res["rougeL"] > res["systems"][BASELINE]["rougeL"] + 0.15

"""The linear backend: train -> save (no pickle) -> load -> predict round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jianbao_nlp.components.themes import ThemeTagger, create_component
from jianbao_nlp.errors import ModelError
from jianbao_nlp.model import Article, Issue
from jianbao_nlp.modeldir import read_meta

from .conftest import ARTICLES, examples


@pytest.fixture(scope="module")
def trained():
    tagger = ThemeTagger(backend="linear", min_df=1, max_features=5000)
    return tagger.fit(examples(4), dev=examples(1))


def test_constructor_stores_settings_only():
    tagger = ThemeTagger(backend="linear", C=2.0)
    assert tagger.model_ is None and tagger.thresholds_ is None
    with pytest.raises(ModelError):
        tagger(Article(id="a", title="x", body="y"))


def test_numpy_scorer_matches_sklearn_transform(trained):
    vec, x_sk = trained.model_._sk_check
    ex = examples(4)[0]
    x_np = trained.model_.transform([(ex.title, ex.body)])
    assert np.allclose(x_np, x_sk.toarray(), atol=1e-5)


def test_round_trip(trained, tmp_path):
    out = tmp_path / "lin"
    trained.save_pretrained(out)
    names = {p.name for p in out.iterdir()}
    assert {"meta.json", "vocab.json", "weights.npz", "taxonomy.yaml"} <= names
    assert not any(n.endswith((".pkl", ".pickle", ".joblib")) for n in names)
    meta = read_meta(out, task="themes")
    assert meta["backend"] == "linear" and meta["labels"] == trained.labels
    assert set(meta["thresholds"]) == set(trained.labels)
    assert meta["training_data"]["fingerprint"].startswith("sha256:") and meta["training_data"]["n_train"] == 36
    assert "scikit-learn" in meta["versions"]
    with np.load(out / "weights.npz", allow_pickle=False) as w:
        assert w["coef"].shape[0] == len(trained.labels)

    loaded = create_component(model=out)
    assert loaded.backend == "linear"
    items = [ARTICLES[k] for k in sorted(ARTICLES)]
    assert np.allclose(loaded.predict_raw(items), trained.predict_raw(items), atol=1e-5)
    issue = Issue(id="t", articles=[Article(id=k, title=t, body=b) for k, (t, b) in sorted(ARTICLES.items())])
    loaded.process_issue(issue)
    for art in issue.articles:
        assert art.themes and art.primary_theme == art.themes[0]
        assert set(art.theme_scores) == set(loaded.labels)
    # it learned the fixtures (its training data): the primary theme is right
    assert sum(a.primary_theme == a.id for a in issue.articles) >= 8


def test_unseen_wording_and_no_title(trained):
    art = trained(Article(id="x", title=None, body="各单位全面推行生活垃圾分类，开展节能改造，能耗明显下降。"))
    assert art.primary_theme == "energy_saving"


def test_incomplete_model_dir_is_a_model_error(trained, tmp_path):
    out = tmp_path / "lin"
    trained.save_pretrained(out)
    (out / "weights.npz").unlink()
    with pytest.raises(ModelError):
        ThemeTagger.from_pretrained(out)
    with pytest.raises(ModelError):
        ThemeTagger.from_pretrained(tmp_path / "nothing")


def test_tune_thresholds_shrinks_towards_default():
    from jianbao_nlp.components.themes import tune_thresholds

    rng = np.random.default_rng(0)
    y = np.r_[np.ones(100), np.zeros(100)].astype(int)
    s = np.where(y == 1, rng.uniform(0.71, 1.0, 200), rng.uniform(0.0, 0.69, 200))
    Y = np.stack([y, np.r_[np.ones(2), np.zeros(198)].astype(int)], axis=1)
    S = np.stack([s, s], axis=1)
    th = tune_thresholds(S, Y, prior=0.0)
    assert th[0] == pytest.approx(0.7) and th[1] == 0.5  # label 2: too little support, default kept
    th = tune_thresholds(S, Y, prior=20.0)
    assert th[0] == pytest.approx((100 * 0.7 + 20 * 0.5) / 120)


def test_empty_article_gets_the_fallback(trained):
    art = trained(Article(id="e", title=None, body=""))
    assert len(art.themes) == 1 and art.primary_theme == art.themes[0]

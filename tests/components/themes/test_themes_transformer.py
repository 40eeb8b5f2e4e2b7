"""The transformer backend end to end with a tiny random-weight BERT built here (nothing downloaded)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from jianbao_nlp.components.themes import ThemeTagger  # noqa: E402
from jianbao_nlp.components.themes.train import train_themes  # noqa: E402
from jianbao_nlp.model import Article  # noqa: E402
from jianbao_nlp.modeldir import read_meta  # noqa: E402

from .conftest import ARTICLES, examples  # noqa: E402


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    path = tmp_path_factory.mktemp("tiny-bert")
    chars = sorted({c for t, b in ARTICLES.values() for c in t + b})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer(str(path / "vocab.txt"), do_lower_case=False).save_pretrained(path)
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64)
    BertForSequenceClassification(config).save_pretrained(path)
    return path


def test_transformer_train_save_load_predict(tiny_bert, tmp_path):
    out = tmp_path / "tf"
    # windows of 48 tokens with stride: every fixture article is split into several chunks
    tagger = ThemeTagger(backend="transformer", base_model=str(tiny_bert), max_length=48, stride=16,
                         max_steps=6, batch_size=8, learning_rate=1e-3)
    tagger.fit(examples(1), dev=examples(1))
    enc, owner = tagger.model_._windows(["".join(ARTICLES["energy_saving"])])
    assert len(owner) > 1  # chunked
    tagger.save_pretrained(out)
    meta = read_meta(out, task="themes")
    assert meta["backend"] == "transformer" and meta["labels"] == tagger.labels
    assert (out / "transformer" / "model.safetensors").is_file()

    loaded = ThemeTagger.from_pretrained(out)
    items = [ARTICLES[k] for k in sorted(ARTICLES)]
    a, b = tagger.predict_raw(items), loaded.predict_raw(items)
    assert a.shape == (len(items), len(tagger.labels)) and np.allclose(a, b, atol=1e-5)
    assert ((a >= 0) & (a <= 1)).all()
    preds = loaded.predict([Article(id="x", title=None, body=items[0][1])])
    assert preds[0]["themes"] and set(preds[0]["scores"]) == set(loaded.labels)


def test_train_themes_needs_a_base_model():
    from jianbao_nlp.errors import InputError

    with pytest.raises(InputError):
        train_themes("transformer", train=[])


def test_train_themes_function_with_transformer_backend(tiny_bert, tmp_path):
    import json

    train = tmp_path / "train.jsonl"
    train.write_text("".join(json.dumps({"id": e.id, "title": e.title, "body": e.body, "themes": e.themes},
                                        ensure_ascii=False) + "\n" for e in examples(1)), encoding="utf-8")
    out = tmp_path / "tf2"
    tagger = train_themes("transformer", out=out, train=[train], base_model=tiny_bert, max_length=48, stride=16,
                          max_steps=2, batch_size=8)
    assert read_meta(out)["backend_config"]["base_model"] == str(tiny_bert)
    assert ThemeTagger.from_pretrained(out).predict_raw([("标题", "正文")]).shape == (1, len(tagger.labels))

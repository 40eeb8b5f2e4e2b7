"""Transformer backend: a tiny random BERT built here (no download), trained a few steps, saved,
reloaded, predicting with sliding windows."""

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from jianbao_nlp.components.ner import NERComponent  # noqa: E402
from jianbao_nlp.components.ner.transformer import TAGS, _windows  # noqa: E402


@pytest.fixture
def tiny_bert(tmp_path, tiny_records):
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    chars = sorted({c for r in tiny_records for c in r["text"]})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars
    d = tmp_path / "tiny-bert"
    d.mkdir()
    (d / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(d / "vocab.txt"), do_lower_case=False)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=128, num_labels=len(TAGS))
    torch.manual_seed(0)
    BertForTokenClassification(cfg).save_pretrained(str(d))
    tok.save_pretrained(str(d))
    return d


def test_windows_cover_text():
    assert _windows(5, 10, 2) == [(0, 5)]
    w = _windows(25, 10, 4)
    assert w[0] == (0, 10) and w[-1][1] == 25
    assert all(b[0] < a[1] for a, b in zip(w, w[1:]))  # overlapping


def test_transformer_round_trip(tiny_bert, tiny_dataset, tiny_records, tmp_path):
    comp = NERComponent(backend="transformer", rules_layer=False, base_model=str(tiny_bert), max_length=16,
                        stride=4, max_steps=8, batch_size=8, learning_rate=1e-3)
    comp.fit(tiny_dataset)
    out = tmp_path / "ner-tf"
    comp.save_pretrained(out)
    assert (out / "model.safetensors").is_file() and (out / "meta.json").is_file()
    loaded = NERComponent.from_pretrained(out)
    texts = [r["text"] for r in tiny_records[:6]] + ["王小明" * 20]  # longer than one window
    a, b = comp.predict_texts(texts), loaded.predict_texts(texts)
    assert a == b
    for text, spans in zip(texts, b):
        for s, e, lab in spans:
            assert 0 <= s < e <= len(text) and lab in ("ORG", "PER", "LOC")

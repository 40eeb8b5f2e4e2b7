"""Transformer backend: ``AutoModelForTokenClassification`` over characters (one word per char,
``is_split_into_words=True``), sliding windows with stride for long texts, trained with ``Trainer``
on a ``datasets.Dataset``. Weights are loaded from a local directory only (``from_pretrained``).

Without ``base_model`` a small BERT is built from scratch over a character vocabulary taken from
the training data (useful where no pretrained Chinese checkpoint is available offline).
"""

from __future__ import annotations

import logging
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from ...errors import ModelError
from .spans import LABELS, bio_to_spans

log = logging.getLogger(__name__)

TAGS = ["O"] + [f"{p}-{l}" for l in LABELS for p in ("B", "I")]


def _windows(n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Window (start, end) pairs covering 0..n; consecutive windows overlap by ``stride`` chars."""
    if n <= size:
        return [(0, n)]
    step = max(1, size - stride)
    out, s = [], 0
    while True:
        e = min(n, s + size)
        out.append((s, e))
        if e == n:
            return out
        s += step


class TransformerTagger:
    def __init__(self, base_model: str | None = None, max_length: int = 128, stride: int = 32,
                 epochs: float = 1.0, learning_rate: float = 5e-5, batch_size: int = 16, max_steps: int = -1,
                 vocab_size: int = 6000, hidden_size: int = 256, num_layers: int = 4, device: str | None = None):
        self.settings = {"base_model": base_model, "max_length": max_length, "stride": stride, "epochs": epochs,
                         "learning_rate": learning_rate, "batch_size": batch_size, "max_steps": max_steps,
                         "vocab_size": vocab_size, "hidden_size": hidden_size, "num_layers": num_layers}
        self.device = device
        self.model = None
        self.tokenizer = None

    # -- building ---------------------------------------------------------------------------
    def _scratch(self, texts: Sequence[str], workdir: Path):
        from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

        freq = Counter(c for t in texts for c in t if not c.isspace())
        vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [c for c, _ in freq.most_common(self.settings["vocab_size"])]
        (workdir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
        tok = BertTokenizerFast(vocab_file=str(workdir / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=True)
        h = self.settings["hidden_size"]
        cfg = BertConfig(vocab_size=len(vocab), hidden_size=h, num_hidden_layers=self.settings["num_layers"],
                         num_attention_heads=max(1, h // 64), intermediate_size=4 * h,
                         max_position_embeddings=max(512, self.settings["max_length"] + 2), num_labels=len(TAGS),
                         id2label=dict(enumerate(TAGS)), label2id={t: i for i, t in enumerate(TAGS)})
        return tok, BertForTokenClassification(cfg)

    def _pretrained(self, path: str):
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        p = Path(path)
        if not p.is_dir():
            raise ModelError(f"{p}: base model must be a local directory")
        tok = AutoTokenizer.from_pretrained(str(p))
        model = AutoModelForTokenClassification.from_pretrained(
            str(p), num_labels=len(TAGS), id2label=dict(enumerate(TAGS)), label2id={t: i for i, t in enumerate(TAGS)},
            ignore_mismatched_sizes=True)
        return tok, model

    def _encode(self, chars: list[list[str]]):
        return self.tokenizer(chars, is_split_into_words=True, truncation=True,
                              max_length=self.settings["max_length"] + 2, padding=False)

    # -- training ---------------------------------------------------------------------------
    def fit(self, dataset, seed: int = 0) -> "TransformerTagger":
        import torch
        from datasets import Dataset
        from transformers import DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed

        set_seed(seed)
        texts = [r["text"] for r in dataset]
        tags = [r["tags"] for r in dataset]
        self._tmp = tempfile.TemporaryDirectory(prefix="jianbao-ner-tf-")
        work = Path(self._tmp.name)
        base = self.settings["base_model"]
        self.tokenizer, self.model = self._pretrained(base) if base else self._scratch(texts, work)
        size, stride = self.settings["max_length"], self.settings["stride"]
        label2id = {t: i for i, t in enumerate(TAGS)}
        win_chars, win_tags = [], []
        for text, tg in zip(texts, tags):
            for s, e in _windows(len(text), size, stride):
                win_chars.append(list(text[s:e]))
                win_tags.append([label2id.get(t, 0) for t in tg[s:e]])
        enc = self._encode(win_chars)
        labels = []
        for i in range(len(win_chars)):
            ids = enc.word_ids(i)
            labels.append([-100 if w is None else win_tags[i][w] for w in ids])
        ds = Dataset.from_dict({"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"],
                                "labels": labels})
        args = TrainingArguments(output_dir=str(work / "out"), num_train_epochs=self.settings["epochs"],
                                 max_steps=self.settings["max_steps"], learning_rate=self.settings["learning_rate"],
                                 per_device_train_batch_size=self.settings["batch_size"], save_strategy="no",
                                 report_to=[], logging_steps=50, seed=seed, disable_tqdm=True,
                                 use_cpu=not torch.cuda.is_available())
        trainer = Trainer(model=self.model, args=args, train_dataset=ds,
                          data_collator=DataCollatorForTokenClassification(self.tokenizer))
        trainer.train()
        self.model.eval()
        return self

    # -- persistence -------------------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        if self.model is None:
            raise ModelError("the transformer NER model has not been trained")
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(str(d), safe_serialization=True)
        self.tokenizer.save_pretrained(str(d))

    @classmethod
    def load(cls, directory: str | Path, device: str | None = None, **settings: Any) -> "TransformerTagger":
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        d = Path(directory)
        if not (d / "config.json").is_file():
            raise ModelError(f"{d}: no transformer weights (config.json)")
        obj = cls(device=device, **{k: v for k, v in settings.items() if k in ("max_length", "stride")})
        obj.tokenizer = AutoTokenizer.from_pretrained(str(d))
        obj.model = AutoModelForTokenClassification.from_pretrained(str(d))
        obj.model.eval()
        if device:
            obj.model.to(device)
        return obj

    # -- prediction --------------------------------------------------------------------------
    def predict_spans(self, texts: Sequence[str], batch_size: int = 32) -> list[list[tuple[int, int, str]]]:
        import torch

        if self.model is None:
            raise ModelError("the transformer NER backend has no model")
        id2label = {int(k): v for k, v in self.model.config.id2label.items()}
        size, stride = self.settings["max_length"], self.settings["stride"]
        jobs = []  # (text index, window start, window end)
        for k, t in enumerate(texts):
            for s, e in _windows(len(t), size, stride):
                jobs.append((k, s, e))
        best: list[list[tuple[int, str]]] = [[(-1, "O")] * len(t) for t in texts]  # (margin, tag) per char
        dev = next(self.model.parameters()).device
        for b in range(0, len(jobs), batch_size):
            chunk = jobs[b:b + batch_size]
            chars = [list(texts[k][s:e]) for k, s, e in chunk]
            enc = self.tokenizer(chars, is_split_into_words=True, truncation=True, max_length=size + 2,
                                 padding=True, return_tensors="pt")
            with torch.no_grad():
                logits = self.model(input_ids=enc["input_ids"].to(dev),
                                    attention_mask=enc["attention_mask"].to(dev)).logits
            pred = logits.argmax(-1).cpu().tolist()
            for i, (k, s, e) in enumerate(chunk):
                for pos, w in enumerate(enc.word_ids(i)):
                    if w is None:
                        continue
                    margin = min(w, (e - s) - 1 - w)  # distance to the window edge
                    j = s + w
                    if margin > best[k][j][0]:
                        best[k][j] = (margin, id2label.get(pred[i][pos], "O"))
        return [bio_to_spans([t for _, t in row]) for row in best]

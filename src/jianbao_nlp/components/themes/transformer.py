"""The transformer backend: ``AutoModelForSequenceClassification`` with
``problem_type="multi_label_classification"``, fine-tuned with ``Trainer`` on a ``datasets.Dataset``
from a local checkpoint (``from_pretrained(local_path)``; nothing is downloaded).

Long articles are cut into windows of ``max_length`` tokens with ``stride`` tokens of overlap; each
window is a training example carrying the article's labels, and at prediction time the window
probabilities are pooled by max over the article's windows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ...errors import ModelError


def _text(item) -> str:
    title, body = item
    return f"{title}。{body or ''}" if title else (body or "")


class TransformerBackend:
    name = "transformer"

    def __init__(self, labels: Sequence[str], lexicon=None, base_model: str | None = None, max_length: int = 512,
                 stride: int = 128, epochs: float = 3.0, learning_rate: float = 3e-5, batch_size: int = 8,
                 max_steps: int = -1, seed: int = 42):
        self.labels = list(labels)
        self.base_model = base_model
        self.max_length = int(max_length)
        self.stride = int(stride)
        self.epochs = float(epochs)
        self.learning_rate = float(learning_rate)
        self.batch_size = int(batch_size)
        self.max_steps = int(max_steps)
        self.seed = int(seed)
        self.model_ = None
        self.tokenizer_ = None

    def _windows(self, texts: Sequence[str]):
        enc = self.tokenizer_(list(texts), truncation=True, max_length=self.max_length, stride=self.stride,
                              return_overflowing_tokens=True, padding=False)
        return enc, list(enc["overflow_to_sample_mapping"])

    def fit(self, items, Y: np.ndarray, sample_weight=None) -> "TransformerBackend":
        import torch
        from datasets import Dataset
        from transformers import (AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding,
                                  Trainer, TrainingArguments)

        if not self.base_model or not Path(self.base_model).is_dir():
            raise ModelError(f"{self.base_model}: the transformer backend needs a local checkpoint directory")
        self.tokenizer_ = AutoTokenizer.from_pretrained(self.base_model)
        n = len(self.labels)
        self.model_ = AutoModelForSequenceClassification.from_pretrained(
            self.base_model, num_labels=n, problem_type="multi_label_classification",
            id2label=dict(enumerate(self.labels)), label2id={l: i for i, l in enumerate(self.labels)},
            ignore_mismatched_sizes=True)
        enc, owner = self._windows([_text(it) for it in items])
        ds = Dataset.from_dict({"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"],
                                "labels": [Y[o].astype(np.float32).tolist() for o in owner]})
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            args = TrainingArguments(output_dir=tmp, num_train_epochs=self.epochs, max_steps=self.max_steps,
                                     learning_rate=self.learning_rate, per_device_train_batch_size=self.batch_size,
                                     save_strategy="no", report_to=[], logging_strategy="no", seed=self.seed,
                                     use_cpu=not torch.cuda.is_available(), disable_tqdm=True)
            trainer = Trainer(model=self.model_, args=args, train_dataset=ds,
                              data_collator=DataCollatorWithPadding(self.tokenizer_))
            trainer.train()
        self.model_.eval()
        return self

    def predict_scores(self, items) -> np.ndarray:
        import torch

        if self.model_ is None:
            raise ModelError("transformer theme model is not trained")
        items = list(items)
        if not items:
            return np.zeros((0, len(self.labels)))
        enc, owner = self._windows([_text(it) for it in items])
        out = np.zeros((len(items), len(self.labels)))
        device = next(self.model_.parameters()).device
        for start in range(0, len(owner), self.batch_size):
            batch = self.tokenizer_.pad({"input_ids": enc["input_ids"][start:start + self.batch_size],
                                         "attention_mask": enc["attention_mask"][start:start + self.batch_size]},
                                        return_tensors="pt")
            with torch.no_grad():
                logits = self.model_(**{k: v.to(device) for k, v in batch.items()}).logits
            probs = torch.sigmoid(logits).cpu().numpy()
            for j, p in enumerate(probs):
                o = owner[start + j]
                out[o] = np.maximum(out[o], p)  # max pooling over an article's windows
        return out

    def save(self, path: Path) -> dict[str, Any]:
        if self.model_ is None:
            raise ModelError("transformer theme model is not trained")
        self.model_.save_pretrained(path / "transformer", safe_serialization=True)
        self.tokenizer_.save_pretrained(path / "transformer")
        return {"settings": {"max_length": self.max_length, "stride": self.stride, "epochs": self.epochs,
                             "learning_rate": self.learning_rate, "batch_size": self.batch_size,
                             "max_steps": self.max_steps, "seed": self.seed},
                "base_model": str(self.base_model), "weights": "transformer/"}

    @classmethod
    def load(cls, path: Path, labels, lexicon, meta: dict) -> "TransformerBackend":
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        s = dict(meta.get("backend_config", {}).get("settings", {}))
        obj = cls(labels, lexicon, base_model=meta.get("backend_config", {}).get("base_model"), **s)
        sub = path / "transformer"
        if not (sub / "config.json").is_file():
            raise ModelError(f"{path}: incomplete transformer theme model (no transformer/config.json)")
        obj.tokenizer_ = AutoTokenizer.from_pretrained(sub)
        obj.model_ = AutoModelForSequenceClassification.from_pretrained(sub)
        obj.model_.eval()
        cfg_labels = [obj.model_.config.id2label[i] for i in range(obj.model_.config.num_labels)]
        if cfg_labels != list(labels):
            raise ModelError(f"{path}: transformer labels {cfg_labels} differ from meta.json labels")
        return obj

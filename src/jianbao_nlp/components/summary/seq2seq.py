"""Seq2seq headline generation (Chinese BART / T5 / Pegasus checkpoints from a local directory).

Fine-tuning uses ``Seq2SeqTrainer`` on a ``datasets.Dataset`` of ``{"source", "target"}``;
generation calls ``model.generate`` with beam search (transformers 5 has no summarization
pipeline). Nothing is fetched: models and tokenizers load with ``from_pretrained(local_path)``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Sequence

from ...errors import ModelError
from ...modeldir import fingerprint, write_meta
from .extractive import is_runin, runin_suggestions, with_contributor
from .text import MAX_CHARS, distinct, headline_clean, split_sentences, squash

log = logging.getLogger(__name__)
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])")


def source_text(body: str, max_chars: int = 300) -> str:
    """The model's input: the first sentences of the body, up to ``max_chars`` characters."""
    out = ""
    for s in split_sentences(body):
        if len(out) + len(s) > max_chars and out:
            break
        out += s
    return out[:max_chars]


def _decode(tokenizer, ids) -> str:
    text = tokenizer.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=True)
    return _SPACE_BETWEEN_CJK.sub("", text).replace("##", "")


class Seq2SeqBackend:
    name = "seq2seq"

    def __init__(self, model, tokenizer, num_beams: int = 4, max_new_tokens: int = 48, max_source_tokens: int = 256,
                 use_runin_rules: bool = True):
        self.model = model
        self.tokenizer = tokenizer
        self.num_beams = num_beams
        self.max_new_tokens = max_new_tokens
        self.max_source_tokens = max_source_tokens
        self.use_runin_rules = use_runin_rules

    @classmethod
    def load(cls, path: str | Path, **settings: Any) -> "Seq2SeqBackend":
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        path = Path(path)
        if not (path / "config.json").is_file():
            raise ModelError(f"{path}: no config.json (not a seq2seq model directory)")
        tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model = AutoModelForSeq2SeqLM.from_pretrained(str(path), local_files_only=True)
        model.eval()
        return cls(model, tok, **settings)

    def save(self, path: str | Path, **meta: Any) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(str(path))
        self.tokenizer.save_pretrained(str(path))
        write_meta(path, task="summary", backend="seq2seq", **meta)

    def generate(self, bodies: Sequence[str], k: int = 3) -> list[list[str]]:
        import torch

        if not bodies:
            return []
        enc = self.tokenizer([source_text(b) for b in bodies], return_tensors="pt", padding=True, truncation=True,
                             max_length=self.max_source_tokens)
        enc.pop("token_type_ids", None)
        n = max(1, k)
        with torch.no_grad():
            out = self.model.generate(**enc, num_beams=max(self.num_beams, n), num_return_sequences=n,
                                      max_new_tokens=self.max_new_tokens, early_stopping=True)
        texts = [_decode(self.tokenizer, ids) for ids in out]
        return [[headline_clean(t, MAX_CHARS) for t in texts[i * n:(i + 1) * n]] for i in range(len(bodies))]

    def suggest(self, body: str, section: str | None = None, contributor: str | None = None, k: int = 3) -> list[str]:
        if not squash(body):
            return []
        if self.use_runin_rules and contributor and is_runin(body):
            return runin_suggestions(body, contributor, k)
        lines = [x for x in self.generate([body], k)[0] if x]
        return distinct(with_contributor(lines, contributor), k)

    def info(self) -> dict:
        return {"backend": self.name, "model": type(self.model).__name__}


def make_dataset(pairs: Sequence[tuple[str, str]]):
    """A ``datasets.Dataset`` with ``source`` (lead sentences) and ``target`` (headline)."""
    from datasets import Dataset

    return Dataset.from_dict({"source": [source_text(b) for b, _ in pairs], "target": [squash(h) for _, h in pairs]})


def train_seq2seq(base_model: str | Path, pairs: Sequence[tuple[str, str]], out_dir: str | Path,
                  epochs: float = 1.0, batch_size: int = 8, learning_rate: float = 5e-5, max_steps: int = -1,
                  max_source_tokens: int = 256, max_target_tokens: int = 48, seed: int = 13,
                  eval_pairs: Sequence[tuple[str, str]] = ()) -> Seq2SeqBackend:
    """Fine-tune a local seq2seq checkpoint on (body, headline) pairs and save a model directory."""
    import tempfile

    from transformers import (AutoModelForSeq2SeqLM, AutoTokenizer, DataCollatorForSeq2Seq, Seq2SeqTrainer,
                              Seq2SeqTrainingArguments)

    base_model = Path(base_model)
    if not (base_model / "config.json").is_file():
        raise ModelError(f"{base_model}: no config.json (give a local seq2seq checkpoint directory)")
    if not pairs:
        raise ModelError("no training pairs")
    tok = AutoTokenizer.from_pretrained(str(base_model), local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(str(base_model), local_files_only=True)

    def encode(batch):
        enc = tok(batch["source"], truncation=True, max_length=max_source_tokens)
        enc["labels"] = tok(text_target=batch["target"], truncation=True, max_length=max_target_tokens)["input_ids"]
        enc.pop("token_type_ids", None)
        return enc

    ds = make_dataset(pairs)
    ds = ds.map(encode, batched=True, remove_columns=["source", "target"])
    with tempfile.TemporaryDirectory(prefix="jianbao-s2s-") as tmp:
        args = Seq2SeqTrainingArguments(
            output_dir=tmp, per_device_train_batch_size=batch_size, num_train_epochs=epochs, max_steps=max_steps,
            learning_rate=learning_rate, save_strategy="no", report_to=[], logging_steps=50, seed=seed,
            use_cpu=not _has_cuda(), disable_tqdm=True)
        trainer = Seq2SeqTrainer(model=model, args=args, train_dataset=ds,
                                 data_collator=DataCollatorForSeq2Seq(tok, model=model), processing_class=tok)
        result = trainer.train()
    model.eval()
    backend = Seq2SeqBackend(model, tok)
    scores: dict[str, Any] = {"train_loss": float(result.training_loss)}
    if eval_pairs:
        from .train import evaluate_pairs

        scores["eval"] = evaluate_pairs(lambda b: backend.suggest(b, k=1), eval_pairs)
    backend.save(out_dir, labels=[], scores=scores, base_model=str(base_model),
                 training_data={"pairs": len(pairs), "fingerprint": fingerprint(h for _, h in pairs)})
    return backend


def _has_cuda() -> bool:
    try:
        import torch

        return torch.cuda.is_available()
    except ImportError:  # pragma: no cover
        return False

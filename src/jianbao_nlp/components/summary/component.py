"""The ``summary`` pipeline component: suggested 提要 lines from the body, behind one of three backends.

The component reads only an article's ``body``, ``section`` and ``contributor`` (and the issue's
metadata) — never its ``title`` or printed ``summary_line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ...errors import ModelError
from ...model import Article, Issue
from ...modeldir import read_meta
from ...pipeline import TrainableComponent
from ...text import EDITOR_NOTE_WORDS
from .extractive import (ExtractiveBackend, agency_event_line, extractive_suggestions, is_runin, leader_event,
                         runin_suggestions, with_contributor)
from .text import MAX_CHARS, distinct, squash

BACKENDS = ("extractive", "compression", "seq2seq")
TASK = "summary"


@dataclass(frozen=True)
class SummaryInput:
    """What a backend may see of an article: never its title or printed summary line."""

    body: str
    section: str | None = None
    contributor: str | None = None

    @classmethod
    def of(cls, article: Article) -> "SummaryInput":
        return cls(body=drop_editor_note(drop_page_lines(article.body or "")), section=article.section,
                   contributor=article.contributor)


def drop_page_lines(body: str) -> str:
    """The body without the lines a web page or a bulletin puts around an item's text (a meta line:
    发布时间：…　来源：…; controls: 【打印本页】; 责任编辑：…), as bodies scraped from websites still hold."""
    from ...text import WEB_CHROME, meta_fields

    if "：" not in body and "【" not in body and ":" not in body:
        return body
    lines = body.split("\n")
    kept = [ln for ln in lines if not (WEB_CHROME.match(ln.strip()) or (len(ln) <= 120 and meta_fields(ln)))]
    return "\n".join(kept) if any(ln.strip() for ln in kept) else body


_EDITOR_NOTE = re.compile(rf"^\s*[【\[]?(?:{EDITOR_NOTE_WORDS})[】\]]?\s*[:：]?")


def drop_editor_note(body: str) -> str:
    """The body without an opening editor's note (编者按：…): the note says why the item is printed,
    not what happened. A note alone in its paragraph goes with it; in one run-on paragraph, its
    first sentence goes. A body that is only a note is kept."""
    if not _EDITOR_NOTE.match(body):
        return body
    head, sep, rest = body.partition("\n")
    if not sep:
        head, sep, rest = body.partition("。")
    return rest.strip() if rest.strip() else body


class CompressionBackend:
    """The trained deletion model (CRF + reranker); run-in items go to the run-in rules.

    ``agency_first``: when the lead's main clause reads "{agency} {acts} ..." (an agency's own news
    item, the common case in bulletins), that clause is the first suggestion. The model, trained on
    national TV news where such subjects are often dropped, tends to drop or cut the agency name."""

    name = "compression"

    def __init__(self, model, agency_first: bool = True):
        self.model = model
        self.agency_first = agency_first

    @classmethod
    def load(cls, path: str | Path, agency_first: bool = True) -> "CompressionBackend":
        from .compression import CompressionModel

        return cls(CompressionModel.from_dir(path), agency_first=agency_first)

    def suggest(self, body: str, section: str | None = None, contributor: str | None = None, k: int = 3) -> list[str]:
        if not squash(body):
            return []
        if is_runin(body):
            return runin_suggestions(body, contributor, k)
        lines = self.model.suggest(body, k=k)
        if self.agency_first:
            first = agency_event_line(body)
            if not first:
                # a leader-activity item: the leader's line leads unless the model's line already
                # starts with the leader's name (national news compresses well: 习近平会见…)
                name, line = leader_event(body)
                if line and not (lines and lines[0].startswith(name)):
                    first = line
            if first:
                lines = distinct([first] + lines, k)
        if not lines:
            lines = ExtractiveBackend().suggest(body, section, None, k)
        elif k > 1:
            # one of the lines is always the event sentence's main clause, which reads as a sentence
            # even when the model's compressions of unfamiliar text do not
            clause = extractive_suggestions(body, 1)
            if clause and clause[0] not in lines:
                lines = distinct(lines[:1] + clause + lines[1:], k)
        return with_contributor(lines, contributor)

    def info(self) -> dict:
        return {"backend": self.name}


def check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ModelError(f"unknown summary backend {backend!r} (choose from {', '.join(BACKENDS)})")


class SummaryComponent(TrainableComponent):
    """Writes ``suggested_summary_lines`` (top ``k``, distinct, ≤ 40 characters, best first)."""

    name = "summary"
    requires = ("body", "section", "contributor")
    assigns = ("suggested_summary_lines",)

    def __init__(self, backend: str = "compression", k: int = 3, max_chars: int = MAX_CHARS, **settings: Any):
        check_backend(backend)
        self.backend_name = backend
        self.k = k
        self.max_chars = max_chars
        self.settings = settings
        self.model_path: Path | None = None
        self.backend: Any = ExtractiveBackend(max_chars) if backend == "extractive" else None

    # -- prediction ---------------------------------------------------------------------------
    def predict(self, articles: Sequence[Article], issue: Issue | None = None) -> list[list[str]]:
        if self.backend is None:
            raise ModelError(f"summary backend {self.backend_name!r} has no model: train it or load a model directory")
        inputs = [SummaryInput.of(a) for a in articles]
        if hasattr(self.backend, "suggest_batch"):
            return self.backend.suggest_batch(inputs, self.k)
        return [self.suggest(x) for x in inputs]

    def suggest(self, x: SummaryInput) -> list[str]:
        lines = self.backend.suggest(x.body, x.section, x.contributor, k=self.k)
        return distinct((line[: self.max_chars] for line in lines), self.k)

    def set_annotations(self, articles: Sequence[Article], predictions: Sequence[list[str]],
                        issue: Issue | None = None) -> None:
        for article, lines in zip(articles, predictions):
            article.suggested_summary_lines = list(lines)

    # -- persistence --------------------------------------------------------------------------
    @classmethod
    def from_pretrained(cls, path, **kwargs) -> "SummaryComponent":
        path = Path(path)
        meta = read_meta(path, task=TASK)
        backend = meta.get("backend")
        comp = cls(backend=backend, **kwargs)
        if backend == "compression":
            comp.backend = CompressionBackend.load(path, agency_first=bool(comp.settings.get("agency_first", True)))
        elif backend == "seq2seq":
            from .seq2seq import Seq2SeqBackend

            comp.backend = Seq2SeqBackend.load(path, **{k: v for k, v in comp.settings.items()
                                                        if k in ("num_beams", "max_new_tokens")})
        elif backend != "extractive":
            raise ModelError(f"{path}: unknown summary backend {backend!r}")
        comp.model_path = path
        return comp

    def save_pretrained(self, path) -> None:
        from ...modeldir import write_meta

        path = Path(path)
        if self.backend_name == "extractive":
            write_meta(path, task=TASK, backend="extractive")
        elif self.backend_name == "compression":
            self.backend.model.save(path)
            if self.model_path and (Path(self.model_path) / "meta.json").is_file():
                meta = read_meta(self.model_path)
                write_meta(path, **{k: v for k, v in meta.items() if k not in ("versions", "created")})
            else:
                write_meta(path, task=TASK, backend="compression", labels=["K", "D"])
        else:
            self.backend.save(path)

    def info(self) -> dict[str, Any]:
        return {"name": self.name, "backend": self.backend_name, "k": self.k,
                "model": str(self.model_path) if self.model_path else None}

"""Named entities (ORG / PER / LOC) over article titles and bodies, with canonical names.

Backends behind one component:

- ``rules``: gazetteer of administrative divisions, agency-name grammar, person names from a
  surname list plus title context; no training.
- ``crf`` (the shipped default, ``models/ner-crf``): character-level CRF (python-crfsuite) with
  character n-gram, jieba word-boundary, gazetteer and character-cluster features.
- ``transformer``: ``AutoModelForTokenClassification`` over characters (local weights only).

Model backends are followed by a guideline layer (``postprocess``): high-precision rule matches the
model missed are added, spans inside 《》 and set phrases are dropped, overlaps resolve to the
longest span. Every entity gets ``canonical`` (alias table + issue / article context).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Sequence

from ...errors import ModelError
from ...model import Article, Entity, Issue
from ...modeldir import default_model, read_meta, write_meta
from ...pipeline import TrainableComponent
from .canonical import canonical, make_context
from .features import _cut
from .gazetteer import load_gazetteer
from .postprocess import postprocess
from .rules import rule_spans
from .spans import LABELS

log = logging.getLogger(__name__)

BACKENDS = ("rules", "crf", "transformer")
DEFAULT_MODEL = "ner-crf"
FIELDS = ("title", "body")
_SENT_END = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]+|[^。！？!?；;\n]+")
MAX_SEGMENT = 300


def split_segments(text: str, max_len: int = MAX_SEGMENT) -> list[tuple[int, str]]:
    """Sentence-sized pieces with their offsets (long sentences cut at a comma, then hard)."""
    out: list[tuple[int, str]] = []
    for m in _SENT_END.finditer(text):
        s, piece = m.start(), m.group()
        while len(piece) > max_len:
            cut = max(piece.rfind("，", 0, max_len), piece.rfind(",", 0, max_len))
            cut = cut + 1 if cut > max_len // 3 else max_len
            out.append((s, piece[:cut]))
            s, piece = s + cut, piece[cut:]
        if piece.strip():
            out.append((s, piece))
    return out


class NERComponent(TrainableComponent):
    """``predict`` returns, per article, a list of ``Entity`` over title and body."""

    name = "ner"
    requires = ("title", "body", "contributor")
    assigns = ("entities",)
    reads_issue = True  # canonical names are resolved in the issue's context

    def __init__(self, backend: str = "crf", rules_layer: bool = True, max_segment: int = MAX_SEGMENT,
                 **backend_settings: Any):
        if backend not in BACKENDS:
            raise ModelError(f"unknown NER backend {backend!r} (choose from {', '.join(BACKENDS)})")
        self.backend = backend
        self.rules_layer = rules_layer
        self.max_segment = max_segment
        self.backend_settings = backend_settings
        self.model = None           # the learned backend (CRFTagger / TransformerTagger)
        self.path: Path | None = None
        self.training_data: dict[str, Any] = {}
        self.scores: dict[str, Any] = {}

    # -- training ---------------------------------------------------------------------------
    def fit(self, dataset, clusters=None, work_dir=None, seed: int = 0) -> "NERComponent":
        if self.backend == "crf":
            from .crf import CRFTagger

            self.model = CRFTagger(**self.backend_settings).fit(dataset, clusters=clusters, work_dir=work_dir)
        elif self.backend == "transformer":
            from .transformer import TransformerTagger

            self.model = TransformerTagger(**self.backend_settings).fit(dataset, seed=seed)
        return self

    # -- prediction -------------------------------------------------------------------------
    def _model_spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        if self.backend == "rules":
            return [[] for _ in texts]
        if self.model is None:
            raise ModelError(f"the {self.backend} NER backend has no model (train it or load one)")
        return self.model.predict_spans(texts)

    def predict_texts(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """Spans (start, end, label) for plain texts, after the guideline layer."""
        pieces: list[tuple[int, int, str]] = []   # (text index, offset, segment)
        for k, text in enumerate(texts):
            for off, seg in split_segments(text or "", self.max_segment):
                pieces.append((k, off, seg))
        seg_spans = self._model_spans([p[2] for p in pieces]) if pieces else []
        model_spans: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        rules: list[list[tuple[int, int, str, str]]] = [[] for _ in texts]
        ends: list[set[int]] = [set() for _ in texts]
        use_rules = self.rules_layer or self.backend == "rules"
        g = load_gazetteer()
        for (k, off, seg), spans in zip(pieces, seg_spans):
            model_spans[k].extend((s + off, e + off, l) for s, e, l in spans)
            if use_rules:  # per sentence, so that jieba's cut is shared with the CRF features
                rules[k].extend((s + off, e + off, l, n) for s, e, l, n in rule_spans(seg, g))
                pos = off
                for tok in _cut(seg):
                    pos += len(tok)
                    ends[k].add(pos)
        return [postprocess(text or "", spans, r, model_backed=self.backend != "rules",
                            token_ends=e if use_rules else None)
                for text, spans, r, e in zip(texts, model_spans, rules, ends)]

    def predict(self, articles: Sequence[Article], issue: Issue | None = None,
                owners: Sequence[Issue | None] | None = None) -> list[list[Entity]]:
        """Entities per article; ``owners`` (one issue per article) overrides ``issue`` as the
        context of canonical names, for articles of several issues predicted together."""
        texts, index = [], []
        for a_i, art in enumerate(articles):
            for fld in FIELDS:
                t = art.text_of(fld)
                if t:
                    texts.append(t)
                    index.append((a_i, fld))
        spans = self.predict_texts(texts)
        g = load_gazetteer()
        result: list[list[Entity]] = [[] for _ in articles]
        owners = owners if owners is not None else [issue] * len(articles)
        contexts = [make_context(owner, art, g) for owner, art in zip(owners, articles)]
        for (a_i, fld), text, sp in zip(index, texts, spans):
            for s, e, lab in sp:
                t = text[s:e]
                result[a_i].append(Entity(field=fld, start=s, end=e, label=lab, text=t,
                                          canonical=canonical(t, lab, contexts[a_i], g)))
        return result

    def set_annotations(self, articles: Sequence[Article], predictions: Sequence[list[Entity]],
                        issue: Issue | None = None) -> None:
        for art, ents in zip(articles, predictions):
            art.entities = list(ents)

    # -- persistence -------------------------------------------------------------------------
    def save_pretrained(self, path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.backend != "rules":
            if self.model is None:
                raise ModelError("nothing to save: the NER model has not been trained")
            self.model.save(path)
        extra = {}
        if self.backend == "crf":
            extra["crf"] = self.model.settings
        elif self.backend == "transformer":
            extra["transformer"] = self.model.settings
        write_meta(path, task="ner", backend=self.backend, labels=list(LABELS), scores=self.scores,
                   training_data=self.training_data,
                   settings={"rules_layer": self.rules_layer, "max_segment": self.max_segment}, **extra)
        self.path = path

    @classmethod
    def from_pretrained(cls, path, **kwargs: Any) -> "NERComponent":
        path = Path(path)
        meta = read_meta(path, task="ner")
        backend = kwargs.pop("backend", None) or meta.get("backend", "crf")
        settings = dict(meta.get("settings") or {})
        settings.update({k: v for k, v in kwargs.items() if k in ("rules_layer", "max_segment")})
        comp = cls(backend=backend, **settings)
        if backend == "crf":
            from .crf import CRFTagger

            comp.model = CRFTagger.load(path, meta.get("crf"))
        elif backend == "transformer":
            from .transformer import TransformerTagger

            comp.model = TransformerTagger.load(path, **{k: v for k, v in kwargs.items() if k == "device"})
        comp.path = path
        comp.scores = meta.get("scores") or {}
        comp.training_data = meta.get("training_data") or {}
        return comp

    def info(self) -> dict[str, Any]:
        return {"name": self.name, "backend": self.backend, "model": str(self.path) if self.path else None,
                "labels": list(LABELS), "rules_layer": self.rules_layer}


def create_component(model: str | Path | None = None, backend: str | None = None, **settings: Any) -> NERComponent:
    """Pipeline factory: a model directory, else the shipped ``ner-crf``, else the rules backend."""
    if model is not None:
        return NERComponent.from_pretrained(model, **({"backend": backend} if backend else {}), **settings)
    if backend in (None, "crf"):
        path = default_model(DEFAULT_MODEL)
        if (path / "meta.json").is_file():
            return NERComponent.from_pretrained(path, **settings)
        if backend == "crf":
            raise ModelError(f"{path}: the default CRF model is not installed")
        log.info("no %s model at %s; using the rules backend", DEFAULT_MODEL, path)
        return NERComponent(backend="rules", **settings)
    if backend == "rules":
        return NERComponent(backend="rules", **settings)
    raise ModelError(f"the {backend} NER backend needs a model directory (model=PATH)")


__all__ = ["NERComponent", "create_component", "split_segments", "BACKENDS"]

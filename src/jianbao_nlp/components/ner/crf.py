"""The character-level CRF backend (python-crfsuite): BIOES tags over ORG / PER / LOC.

The model directory holds crfsuite's own binary model file (``model.crfsuite``, not pickle),
the character-cluster table (``char_clusters.tsv``), ``meta.json`` and ``fastcrf-index.npz``: what
the fast path derives from the model's attribute strings, keyed to the model file's sha256 and
rewritten by ``save`` (optional: without it, or when stale, loading decodes the strings).

Training goes through crfsuite and the string ``Featurizer``. Prediction uses ``fastcrf.FastCRF``
when it can: the same weights, read from ``model.crfsuite`` at load time, integer features and a
numpy Viterbi with crfsuite's arithmetic, so the tags are identical and several times cheaper.
``tag_reference`` is the crfsuite path.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

from ...errors import ModelError
from .clusters import CLUSTERS_FILE, load_clusters, save_clusters
from .features import Featurizer
from .gazetteer import load_gazetteer
from .spans import bio_to_spans, spans_to_tags

log = logging.getLogger(__name__)

MODEL_FILE = "model.crfsuite"
DEFAULTS: dict[str, Any] = {"c1": 0.1, "c2": 0.01, "max_iterations": 120, "minfreq": 2, "algorithm": "lbfgs"}


class CRFTagger:
    """Settings in the constructor; ``fit`` (or ``load``) sets the learned model."""

    def __init__(self, c1: float = DEFAULTS["c1"], c2: float = DEFAULTS["c2"],
                 max_iterations: int = DEFAULTS["max_iterations"], minfreq: float = DEFAULTS["minfreq"],
                 algorithm: str = DEFAULTS["algorithm"], verbose: bool = False, fast: bool = True):
        self.settings = {"c1": c1, "c2": c2, "max_iterations": max_iterations, "minfreq": minfreq,
                         "algorithm": algorithm}
        self.verbose = verbose
        self.fast = fast              # predict with FastCRF where it loads (not a model setting)
        self._fast = None
        self.clusters: dict[str, tuple[int, int]] = {}
        self._tagger = None
        self._featurizer: Featurizer | None = None
        self._model_path: Path | None = None
        self._tmpdir: tempfile.TemporaryDirectory | None = None

    # -- training ---------------------------------------------------------------------------
    def fit(self, dataset, clusters: dict[str, tuple[int, int]] | None = None,
            work_dir: str | Path | None = None) -> "CRFTagger":
        """Train on a ``datasets.Dataset`` (or iterable of dicts) with columns ``text`` and ``tags`` (IOB2)."""
        import pycrfsuite

        self.clusters = dict(clusters or {})
        fz = Featurizer(load_gazetteer(), self.clusters)
        trainer = pycrfsuite.Trainer(algorithm=self.settings["algorithm"], verbose=self.verbose)
        params = {"c1": self.settings["c1"], "c2": self.settings["c2"],
                  "max_iterations": self.settings["max_iterations"],
                  "feature.minfreq": self.settings["minfreq"],
                  "feature.possible_transitions": True}
        if self.settings["algorithm"] != "lbfgs":
            params = {k: v for k, v in params.items() if k not in ("c1", "c2")}
        trainer.set_params(params)
        t0 = time.time()
        n = 0
        for row in dataset:
            text, tags = row["text"], row["tags"]
            if not text or len(text) != len(tags):
                continue
            trainer.append(fz(text), spans_to_tags(len(text), bio_to_spans(tags), "BIOES"))
            n += 1
            if n % 10000 == 0:
                log.info("features for %d sentences (%.0f s)", n, time.time() - t0)
        if n == 0:
            raise ModelError("no training sentences")
        if work_dir is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="jianbao-crf-")
            work_dir = self._tmpdir.name
        path = Path(work_dir) / MODEL_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        trainer.train(str(path))
        self.train_log = trainer.logparser.last_iteration if trainer.logparser else None
        self._open(path)
        return self

    # -- persistence -------------------------------------------------------------------------
    def _open(self, path: Path) -> None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        try:
            tagger.open(str(path))
        except Exception as err:  # crfsuite raises a plain ValueError/OSError on a bad file
            raise ModelError(f"{path}: cannot open CRF model ({err})") from None
        self._tagger = tagger
        self._model_path = path
        self._featurizer = Featurizer(load_gazetteer(), self.clusters)
        self._fast = self._open_fast(path) if self.fast else None

    _PROBE = ("国务院总理李强在北京会见了来访的法国总统马克龙。", "四川省宜宾市机关事务管理局局长王小明主持会议，",
              "新华社#记者：2025年3月，ABC公司（上海）与《人民日报》", "习近平")

    def _open_fast(self, path: Path):
        """FastCRF over the same model file, or None (then crfsuite tags everything)."""
        from .fastcrf import INDEX_FILE, FastCRF
        from .features import TEMPLATES

        fz = self._featurizer
        try:
            if tuple(a.partition("=")[0] for a in fz(self._PROBE[0])[0]) != TEMPLATES:
                raise ValueError("the Featurizer's templates are not fastcrf.TEMPLATES")
            fast = FastCRF.from_file(path, fz, index=path.parent / INDEX_FILE)
            if fast.labels != list(self._tagger.labels()):
                raise ValueError("labels differ from crfsuite's")
            got = fast.tag_ids(list(self._PROBE))
            for text, ids in zip(self._PROBE, got):
                if ids is None or [fast.labels[i] for i in ids.tolist()] != self._tagger.tag(fz(text)):
                    raise ValueError(f"tags differ from crfsuite's on {text!r}")
        except Exception as err:  # a model or featurizer the fast path does not mirror: stay exact
            log.warning("%s: fast CRF prediction disabled (%s); using crfsuite", path, err)
            return None
        return fast

    def save(self, directory: str | Path) -> None:
        if self._model_path is None:
            raise ModelError("the CRF has not been trained")
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        if self._model_path.resolve() != (d / MODEL_FILE).resolve():
            shutil.copyfile(self._model_path, d / MODEL_FILE)
        save_clusters(self.clusters, d / CLUSTERS_FILE)
        from .fastcrf import INDEX_FILE, write_index

        try:    # derived from model.crfsuite alone; loading works (slower) without it
            write_index(d / MODEL_FILE, d / INDEX_FILE)
        except Exception as err:
            log.warning("%s: fast CRF index not written (%s)", d / INDEX_FILE, err)

    @classmethod
    def load(cls, directory: str | Path, settings: dict[str, Any] | None = None) -> "CRFTagger":
        d = Path(directory)
        if not (d / MODEL_FILE).is_file():
            raise ModelError(f"{d}: no {MODEL_FILE}")
        obj = cls(**{k: v for k, v in (settings or {}).items() if k in DEFAULTS})
        obj.clusters = load_clusters(d / CLUSTERS_FILE) if (d / CLUSTERS_FILE).is_file() else {}
        obj._open(d / MODEL_FILE)
        return obj

    # -- prediction --------------------------------------------------------------------------
    def tag_reference(self, text: str) -> list[str]:
        """crfsuite's tags over the string features (the definition the fast path reproduces)."""
        if self._tagger is None:
            raise ModelError("the CRF has no model (train it or load one)")
        if not text:
            return []
        return self._tagger.tag(self._featurizer(text))

    # below this many texts crfsuite is cheaper: the batched Viterbi pays numpy's call overhead at
    # every position (both give the same tags)
    FAST_MIN_TEXTS = 4

    def _use_fast(self, texts: Sequence[str]) -> bool:
        if self._tagger is None:
            raise ModelError("the CRF has no model (train it or load one)")
        return self._fast is not None and len(texts) >= self.FAST_MIN_TEXTS

    def tag_batch(self, texts: Sequence[str]) -> list[list[str]]:
        if not self._use_fast(texts):
            return [self.tag_reference(t) for t in texts]
        labels = self._fast.labels
        return [self.tag_reference(t) if ids is None else [labels[i] for i in ids.tolist()]
                for t, ids in zip(texts, self._fast.tag_ids(texts))]

    def tag(self, text: str) -> list[str]:
        return self.tag_batch([text])[0]

    def predict_spans(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        return [bio_to_spans(tags) for tags in self.tag_batch(texts)]

    def labels(self) -> list[str]:
        return list(self._tagger.labels()) if self._tagger is not None else []

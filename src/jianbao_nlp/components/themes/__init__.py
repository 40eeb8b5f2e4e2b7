"""Theme tagging (multi-label, primary first) for 机关事务 bulletin articles.

``create_component(model=None, backend=None, taxonomy=None, **settings)`` is the pipeline factory:
- ``model``: a model directory (any backend); ``None`` loads the shipped ``themes-linear`` model,
  falling back to the lexicon backend with the shipped taxonomy when that directory is absent;
- ``backend``: build an untrained tagger of that backend instead (``lexicon`` needs no training);
- ``taxonomy``: a taxonomy file (YAML/JSON) replacing the shipped or saved one.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ...modeldir import META, default_model
from .data import Example, read_examples
from .lexicon import LexiconScorer
from .tagger import BACKENDS, ThemeTagger, tune_thresholds
from .taxonomy import Taxonomy

log = logging.getLogger(__name__)

DEFAULT_MODEL = "themes-linear"

__all__ = ["create_component", "ThemeTagger", "Taxonomy", "LexiconScorer", "Example", "read_examples",
           "tune_thresholds", "BACKENDS", "DEFAULT_MODEL"]


def create_component(model: str | Path | None = None, backend: str | None = None,
                     taxonomy: str | Path | Taxonomy | None = None, **settings: Any) -> ThemeTagger:
    if model is not None:
        return ThemeTagger.from_pretrained(model, taxonomy=taxonomy, **settings)
    if backend is not None and backend != "lexicon":
        return ThemeTagger(backend=backend, taxonomy=taxonomy, **settings)
    if backend is None and taxonomy is None:
        path = default_model(DEFAULT_MODEL)
        if (path / META).is_file():
            return ThemeTagger.from_pretrained(path, **settings)
        log.info("no shipped theme model at %s: using the lexicon backend", path)
    # (a user's own taxonomy may change the label set, which the shipped weights cannot follow:
    # it is served by the lexicon backend unless a model trained on it is given)
    return ThemeTagger(backend="lexicon", taxonomy=taxonomy, **settings)

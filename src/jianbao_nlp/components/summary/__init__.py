"""Summary lines (本期提要): the 提要 block from titles, and suggested lines from the body.

``create_component(model=None, backend=None, **settings)`` is the pipeline factory:

- ``model=PATH`` loads a model directory (its ``meta.json`` names the backend);
- ``backend="extractive"`` needs no model;
- otherwise the shipped default ``models/summary-compression`` is loaded, falling back to the
  extractive backend when it is absent.
"""

from __future__ import annotations

import logging
from typing import Any

from ...modeldir import default_model
from .block import render_block, toc_lines, write_block_docx
from .component import BACKENDS, SummaryComponent, SummaryInput, check_backend

log = logging.getLogger(__name__)

DEFAULT_MODEL = "summary-compression"

__all__ = ["create_component", "SummaryComponent", "SummaryInput", "BACKENDS", "toc_lines", "render_block",
           "write_block_docx", "DEFAULT_MODEL"]


def create_component(model: Any = None, backend: str | None = None, **settings: Any) -> SummaryComponent:
    if backend is not None:
        check_backend(backend)
    if model is not None:
        comp = SummaryComponent.from_pretrained(model, **settings)
        if backend and backend != comp.backend_name:
            from ...errors import ModelError

            raise ModelError(f"{model}: a {comp.backend_name!r} model, not {backend!r}")
        return comp
    if backend == "extractive":
        return SummaryComponent(backend="extractive", **settings)
    if backend == "seq2seq":
        from ...errors import ModelError

        raise ModelError("the seq2seq summary backend needs a model directory (model=PATH)")
    path = default_model(DEFAULT_MODEL)
    if (path / "meta.json").is_file():
        return SummaryComponent.from_pretrained(path, **settings)
    log.warning("summary: shipped model %s not found; using the extractive backend", path)
    return SummaryComponent(backend="extractive", **settings)

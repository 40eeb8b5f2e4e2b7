"""Model directories: ``meta.json`` plus plain weights (JSON, npz, safetensors) — never pickle.

Every trainable component saves into a directory with a ``meta.json`` holding at least
``task``, ``backend``, ``labels``, ``scores``, ``training_data`` (with a fingerprint) and the
library versions it was built with, so that a model can be inspected without running code.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from .errors import ModelError
from .io_utils import file_digest  # noqa: F401  (used by the training recipes)

META = "meta.json"


def repo_models_dir() -> Path:
    """Where shipped models live: $JIANBAO_MODELS, else ``models/`` of the source checkout."""
    env = os.environ.get("JIANBAO_MODELS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "models"


def shared_dir() -> Path:
    """The read-only corpora and checks: $JIANBAO_SHARED, else ``../shared`` beside the checkout."""
    env = os.environ.get("JIANBAO_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared"


def default_model(name: str) -> Path:
    """Path of a shipped model directory by name (e.g. ``themes-linear``)."""
    return repo_models_dir() / name


def versions() -> dict[str, str]:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for pkg in ("jianbao-nlp", "scikit-learn", "numpy", "jieba", "sklearn-crfsuite", "torch", "transformers"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def fingerprint(items: Iterable[str | bytes]) -> str:
    """A sha256 over an ordered stream of strings (ids, texts or file digests) of training data."""
    h = hashlib.sha256()
    for item in items:
        h.update(item.encode("utf-8") if isinstance(item, str) else item)
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def write_meta(path: str | Path, task: str, backend: str, labels: list[str] | None = None,
               scores: dict[str, Any] | None = None, training_data: dict[str, Any] | None = None,
               **extra: Any) -> dict[str, Any]:
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    meta = {
        "task": task,
        "backend": backend,
        "labels": labels or [],
        "scores": scores or {},
        "training_data": training_data or {},
        "versions": versions(),
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **extra,
    }
    (path / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return meta


def read_meta(path: str | Path, task: str | None = None) -> dict[str, Any]:
    path = Path(path)
    meta_path = path / META
    if not meta_path.is_file():
        raise ModelError(f"{path}: not a model directory (no {META})")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ModelError(f"{meta_path}: unreadable ({err})") from None
    if task and meta.get("task") != task:
        raise ModelError(f"{path}: a {meta.get('task')!r} model, not a {task!r} model")
    return meta


def update_scores(path: str | Path, scores: dict[str, Any]) -> None:
    """Merge evaluation figures into a saved model's ``meta.json``."""
    meta = read_meta(path)
    meta.setdefault("scores", {}).update(scores)
    (Path(path) / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")

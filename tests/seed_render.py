"""Helpers for tests that need the shared seed bulletin rendered as .docx / .pdf / .html.

The seed is read from ``$JIANBAO_SHARED`` (default ``<repo>/../shared``) at test time; nothing of
it is stored in the repository. The rendering itself lives in ``jianbao_nlp.readers.render``.
"""

from __future__ import annotations

import os
from pathlib import Path

from jianbao_nlp.readers.render import render_docx, render_html, render_pdf

REPO = Path(__file__).resolve().parents[1]
SEED_NAME = "000_19188d08649d884b.txt"


def shared_dir() -> Path:
    return Path(os.environ.get("JIANBAO_SHARED", REPO.parent / "shared"))


def seed_path() -> Path | None:
    """The seed bulletin's path, or None when the shared folder is absent."""
    p = shared_dir() / "data" / "seed" / SEED_NAME
    return p if p.is_file() else None


def seed_text() -> str:
    p = seed_path()
    if p is None:
        raise FileNotFoundError(SEED_NAME)
    return p.read_text(encoding="utf-8")


def seed_docx(out_dir: Path) -> Path:
    return render_docx(seed_text(), Path(out_dir) / "seed.docx")


def seed_pdf(out_dir: Path, **kwargs) -> Path:
    return render_pdf(seed_text(), Path(out_dir) / "seed.pdf", **kwargs)


def seed_html(out_dir: Path) -> Path:
    return render_html(seed_text(), Path(out_dir) / "seed.html")

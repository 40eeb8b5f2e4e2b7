"""``jianbao serve``: the editors' web page and JSON API (FastAPI). See ``app.create_app``."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]

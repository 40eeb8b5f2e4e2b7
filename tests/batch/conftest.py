"""Fixtures for batch tests: small archives built from the project's own invented bulletins."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "archive"
BROKEN = ("broken_issue.json", "broken_not_a_doc.docx", "broken_truncated.pdf")


def make_archive(root: Path, copies: int, name: str = "bulletin_a.md", broken: bool = True) -> Path:
    """``copies`` copies of a bulletin split over two folders with the same file names, plus 3 broken files."""
    arch = root / "archive"
    for i in range(copies):
        folder = arch / ("2023" if i % 2 == 0 else "2024") / "sub"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, folder / f"b{i // 2:03d}{Path(name).suffix}")
    if broken:
        for b in BROKEN:
            shutil.copy(FIXTURES / b, arch / "2024" / b)
    return arch


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES

"""Shared fixtures: paths to ../shared (skipped cleanly when absent) and to our own samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JIANBAO_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "data" / "seed" / "000_19188d08649d884b.txt"
GOLD = SHARED / "data" / "labelled" / "sc-jgswj-2021-08.json"
EXAMPLES = ROOT / "data" / "examples"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip("../shared seed bulletin not available")
    return SEED


@pytest.fixture
def gold_path() -> Path:
    if not GOLD.is_file():
        pytest.skip("../shared gold labels not available")
    return GOLD


@pytest.fixture
def sample_path() -> Path:
    return EXAMPLES / "sample-bulletin.md"

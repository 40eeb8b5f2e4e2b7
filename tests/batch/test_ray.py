"""``--engine ray`` on a local Ray instance gives the same records as the local process pool."""

from __future__ import annotations

import json

import pytest

from jianbao_nlp.batch import errors_path, run_batch

from .conftest import make_archive


def _records(path):
    return sorted(json.dumps(json.loads(x), sort_keys=True, ensure_ascii=False)
                  for x in path.read_text(encoding="utf-8").splitlines() if x.strip())


def test_ray_engine_matches_local(tmp_path):
    ray = pytest.importorskip("ray")
    arch = make_archive(tmp_path, 4)
    local = tmp_path / "local.jsonl"
    run_batch([arch], local, workers=0, components=["parse"], show_progress=False)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        on_ray = tmp_path / "ray.jsonl"
        res = run_batch([arch], on_ray, workers=2, engine="ray", components=["parse"], show_progress=False)
    finally:
        ray.shutdown()
    assert (res.ok, res.failed) == (4, 3)
    assert _records(on_ray) == _records(local)
    assert _records(errors_path(on_ray)) == _records(errors_path(local))

"""Batch: input discovery, unique ids, crash-safe resume, Parquet/SQLite outputs, the CLI."""

from __future__ import annotations

import json
import shutil
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest

from jianbao_nlp.batch import (errors_path, find_inputs, iter_jsonl, parquet_paths, read_done, run_batch,
                               truncate_partial_line)

from .conftest import BROKEN, make_archive

REPO = Path(__file__).resolve().parents[2]


def _lines(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n")
    return [json.loads(x) for x in raw.splitlines() if x.strip()]


def test_find_inputs_walks_folders_and_makes_unique_ids(tmp_path):
    arch = make_archive(tmp_path, 4)
    (arch / "notes.xlsx").write_bytes(b"skip me")
    (arch / ".hidden.md").write_text("skip me")
    jobs = find_inputs([arch])
    names = sorted(Path(j.path).name for j in jobs)
    assert names == sorted(["b000.md", "b000.md", "b001.md", "b001.md", *BROKEN])
    ids = [j.issue_id for j in jobs]
    assert len(set(ids)) == len(ids)
    assert "2023-sub-b000" in ids and "2024-sub-b000" in ids  # same stem: relative path
    assert "broken_issue" in ids                              # unique stem: the stem


def test_batch_records_errors_and_goes_on(tmp_path):
    arch = make_archive(tmp_path, 6)
    out = tmp_path / "out" / "all.jsonl"
    res = run_batch([arch], out, workers=0, components=["parse"], show_progress=False)
    assert (res.ok, res.failed, res.articles) == (6, 3, 18)
    issues = _lines(out)
    errors = _lines(errors_path(out))
    assert sorted(Path(e["file"]).name for e in errors) == sorted(BROKEN)
    assert all(e["error"] and "\n" not in e["error"] for e in errors)
    assert len({i["id"] for i in issues}) == 6
    for i in issues:
        assert i["source"]["file"].startswith(str(arch)) and len(i["source"]["sha256"]) == 64


def test_resume_truncates_torn_line_and_skips_done(tmp_path):
    arch = make_archive(tmp_path, 4, name="issue_c.json")
    out = tmp_path / "o.jsonl"
    run_batch([arch], out, workers=0, components=["parse"], show_progress=False)
    full = out.read_bytes()
    lines = full.splitlines(keepends=True)
    # simulate a kill -9 in the middle of the third record
    out.write_bytes(b"".join(lines[:2]) + lines[2][: len(lines[2]) // 2])
    res = run_batch([arch], out, workers=0, components=["parse"], show_progress=False)
    assert res.skipped == 2 + 3 and res.ok == 2 and res.failed == 0
    recs = _lines(out)
    assert Counter(r["source"]["file"] for r in recs) == Counter(r["source"]["file"] for r in map(json.loads, lines))


def test_truncate_partial_line(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"a":1}\n{"b":')
    assert truncate_partial_line(p) == len(b'{"b":')
    assert p.read_bytes() == b'{"a":1}\n'
    p.write_bytes(b'{"b":')
    truncate_partial_line(p)
    assert p.read_bytes() == b""


def test_changed_file_is_redone_once(tmp_path, fixtures):
    arch = make_archive(tmp_path, 2, broken=False)
    out = tmp_path / "o.jsonl"
    run_batch([arch], out, workers=0, components=["parse"], show_progress=False)
    target = next(arch.rglob("b000.md"))
    target.write_text((fixtures / "bulletin_b.md").read_text(encoding="utf-8"), encoding="utf-8")
    res = run_batch([arch], out, workers=0, components=["parse"], show_progress=False)
    assert res.ok == 1 and res.skipped == 1
    recs = _lines(out)
    assert len(recs) == 2
    changed = [r for r in recs if r["source"]["file"] == target.as_posix()]
    assert len(changed) == 1 and len(changed[0]["articles"]) == 2


def test_parquet_and_sqlite_hold_the_same_records(tmp_path):
    pa = pytest.importorskip("pyarrow.parquet")
    arch = make_archive(tmp_path, 4)
    out = tmp_path / "o.jsonl"
    run_batch([arch], out, workers=0, components=["parse"], show_progress=False,
              parquet=tmp_path / "tables", sqlite=tmp_path / "o.sqlite")
    issues = list(iter_jsonl(out))
    n_articles = sum(len(i["articles"]) for i in issues)
    paths = parquet_paths(tmp_path / "tables")
    assert pa.read_table(paths["issues"]).num_rows == len(issues) == 4
    arts = pa.read_table(paths["articles"]).to_pylist()
    assert len(arts) == n_articles
    assert {a["title"] for a in arts} == {a["title"] for i in issues for a in i["articles"]}
    con = sqlite3.connect(tmp_path / "o.sqlite")
    assert con.execute("select count(*) from issues").fetchone()[0] == 4
    assert con.execute("select count(*) from articles").fetchone()[0] == n_articles
    back = json.loads(con.execute("select json from issues order by id limit 1").fetchone()[0])
    assert back in issues


def _cli(*args: str, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.Popen([sys.executable, "-c", "import sys; from jianbao_nlp.cli import main; main(sys.argv[1:])", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_kill_9_then_rerun_completes_without_loss_or_duplicates(tmp_path):
    """The acceptance check in miniature: SIGKILL mid-run, run again, every bulletin exactly once."""
    copies = 80
    arch = make_archive(tmp_path, copies)
    out = tmp_path / "run" / "out.jsonl"
    args = ("batch", str(arch), "--out", str(out), "--workers", "2", "--components", "parse", "--no-progress")
    proc = _cli(*args)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if out.exists() and out.stat().st_size > 0 and out.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the batch finished before it could be killed"
    children = psutil.Process(proc.pid).children(recursive=True)
    assert children, "no worker processes"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # the workers notice that the batch process is gone and exit (no orphans left working)
    gone, alive = psutil.wait_procs(children, timeout=15)
    for p in alive:  # clean up before failing
        p.kill()
    assert not alive, f"orphaned workers: {[p.pid for p in alive]}"
    n_before = out.read_bytes().count(b"\n")
    assert n_before < copies
    proc = _cli(*args)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    recs = _lines(out)
    errors = _lines(errors_path(out))
    files = Counter(r["source"]["file"] for r in recs)
    assert len(recs) == copies and max(files.values()) == 1
    assert sum(len(r["articles"]) for r in recs) == copies * 3
    assert len({r["id"] for r in recs}) == copies
    assert sorted(Path(e["file"]).name for e in errors) == sorted(BROKEN)
    assert not set(files) & {e["file"] for e in errors}
    assert sum(read_done(out).values()) == copies + 3


def test_cli_bad_source_is_one_line_error(tmp_path):
    proc = _cli("batch", str(tmp_path / "nope"), "--out", str(tmp_path / "o.jsonl"))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "nope" in lines[0] and "Traceback" not in lines[0]


def test_retry_errors_tries_failed_files_again(tmp_path, fixtures):
    arch = make_archive(tmp_path, 2)
    out = tmp_path / "o.jsonl"
    run_batch([arch], out, workers=0, components=["parse"], show_progress=False)
    broken = arch / "2024" / "broken_issue.json"
    shutil.copy(fixtures / "issue_c.json", broken)  # "fixed" in place: same path, new content
    (arch / "2024" / "broken_truncated.pdf").unlink()
    res = run_batch([arch], out, workers=0, components=["parse"], show_progress=False)
    assert res.ok == 1 and res.failed == 0  # the changed file is redone; the others stay recorded
    res = run_batch([arch], out, workers=0, components=["parse"], show_progress=False, retry_errors=True)
    assert res.ok == 0 and res.failed == 1  # the docx is still broken; the deleted pdf keeps its record
    errors = sorted(Path(e["file"]).name for e in _lines(errors_path(out)))
    assert errors == ["broken_not_a_doc.docx", "broken_truncated.pdf"]
    assert len(_lines(out)) == 3


def test_component_settings_reach_the_workers(tmp_path):
    """``settings`` (``--set``) configure the pipeline each worker builds; a bad one stops the run."""
    arch = make_archive(tmp_path, 2)
    out = tmp_path / "s.jsonl"
    res = run_batch([arch], out, workers=1, components=["parse", "summary"], show_progress=False,
                    settings={"summary": {"backend": "extractive", "k": 1}})
    assert res.ok == 2
    arts = [a for i in _lines(out) for a in i["articles"]]
    assert arts and all(len(a["suggested_summary_lines"]) == 1 for a in arts)
    res = subprocess.run([sys.executable, "-m", "jianbao_nlp", "batch", str(arch), "--out",
                          str(tmp_path / "bad.jsonl"), "-w", "0", "--no-progress", "--set", "summary.backend=nope"],
                         capture_output=True, text=True, cwd=REPO)
    assert res.returncode != 0 and "unknown summary backend 'nope'" in res.stderr
    assert "Traceback" not in res.stderr


def test_files_processed_together_give_the_records_of_files_processed_alone(tmp_path):
    from jianbao_nlp.batch import process_job, process_jobs, sha256_file
    from jianbao_nlp.components.ner import create_component
    from jianbao_nlp.pipeline import Pipeline

    arch = make_archive(tmp_path, 4)
    jobs = find_inputs([arch])
    items = [(j, sha256_file(j.path)) for j in jobs]
    assert len(items) == 7
    pipe = Pipeline([("ner", create_component(model=None, backend="rules"))])
    together = process_jobs(items, pipe)
    alone = [process_job(j, s, pipe) for j, s in items]
    assert together == alone
    assert sorted(k for k, _, _ in together) == ["error"] * 3 + ["ok"] * 4
    assert all(json.loads(line)["articles"][0]["entities"] for k, line, _ in together if k == "ok")


def test_files_per_task_leaves_every_worker_several_tasks():
    from jianbao_nlp.batch import FILES_PER_TASK, files_per_task

    assert files_per_task(1000, 2) == FILES_PER_TASK
    assert files_per_task(20, 2) == 1 and files_per_task(0, 4) == 1
    assert files_per_task(48, 2) == 3


def test_grouped_tasks_write_every_file_once(tmp_path):
    arch = make_archive(tmp_path, 40)
    out = tmp_path / "out.jsonl"
    res = run_batch([arch], out, workers=0, components=["parse"], show_progress=False)
    assert (res.ok, res.failed) == (40, 3)
    files = [r["source"]["file"] for r in _lines(out)]
    assert len(files) == len(set(files)) == 40
    assert len(_lines(errors_path(out))) == 3


def test_an_in_process_batch_leaves_the_callers_logging_alone(tmp_path):
    import logging

    root = logging.getLogger()
    before = root.level
    root.setLevel(logging.INFO)
    try:
        run_batch([make_archive(tmp_path, 1, broken=False)], tmp_path / "out.jsonl", workers=0,
                  components=["parse"], show_progress=False)
        assert root.level == logging.INFO
    finally:
        root.setLevel(before)

"""Archive batch processing: many bulletins in, one JSONL (plus Parquet / SQLite) out, resumable.

Crash safety is the design constraint. Every result is one complete line appended with a single
``write()`` and ``fsync``; each record carries ``source.file`` and ``source.sha256``. On restart the
trailing partial line (if a ``kill -9`` cut one) is truncated, every file already recorded (as an
issue or as an error) is skipped, and the run completes the job: nothing lost, nothing twice.

Work runs in N worker processes (spawn context; each loads the pipeline once in its initializer)
with a bounded number of tasks in flight, so memory stays flat however large the archive is.
``engine="ray"`` runs the same per-file function through Ray Data instead.
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .errors import InputError, JianbaoError, one_line
from .io_utils import file_digest

#: File types the batch picks up when walking folders (issue JSON included).
SUPPORTED_SUFFIXES = (".md", ".txt", ".docx", ".pdf", ".html", ".htm", ".json")


# --------------------------------------------------------------------------------------------
# Finding inputs
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """One input file: where it is, how it is named in the output, and the issue id it gets."""

    path: str          # path to open
    file: str          # ``source.file`` in the output (the path as given / found)
    rel: str           # path relative to the SRC it was found under (for ids)
    issue_id: str = ""


def _walk(src: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(root) / name


def find_inputs(sources: Sequence[str | Path], exclude: Iterable[str | Path] = ()) -> list[Job]:
    """All bulletin files under ``sources`` (files or folders, searched recursively), in a stable order,
    each with an issue id that is unique across the set (the stem, or the relative path on a clash)."""
    skip = {os.path.abspath(p) for p in exclude}
    jobs: list[Job] = []
    seen: set[str] = set()
    for src in sources:
        s = Path(src)
        if not s.exists():
            raise InputError("no such file or folder", s)
        found = [(s, s.name)] if s.is_file() else [(p, p.relative_to(s).as_posix()) for p in _walk(s)]
        for p, rel in found:
            key = os.path.abspath(p)
            if key in seen or key in skip:
                continue
            seen.add(key)
            jobs.append(Job(path=str(p), file=p.as_posix() if s.is_dir() else str(src), rel=rel))
    return assign_ids(jobs)


def _slug(text: str) -> str:
    return text.replace("\\", "/").strip("/").replace("/", "-").replace(" ", "_") or "issue"


def assign_ids(jobs: Sequence[Job]) -> list[Job]:
    """Issue ids from file names: the stem when unique, else the relative path, else the full path."""
    def stem(j: Job) -> str:
        return _slug(Path(j.rel).stem)

    def relstem(j: Job) -> str:
        return _slug(str(Path(j.rel).with_suffix("")))

    def filestem(j: Job) -> str:
        return _slug(str(Path(j.file).with_suffix("")))

    ids = [stem(j) for j in jobs]
    for fn in (relstem, filestem):
        counts: dict[str, int] = {}
        for i in ids:
            counts[i] = counts.get(i, 0) + 1
        ids = [fn(j) if counts[i] > 1 else i for j, i in zip(jobs, ids)]
    out, used = [], set()
    for j, i in zip(jobs, ids):
        base, n = i, 2
        while i in used:  # last resort (e.g. a.md and a.txt side by side in the same folder)
            i, n = f"{base}-{n}", n + 1
        used.add(i)
        out.append(Job(j.path, j.file, j.rel, i))
    return out


sha256_file = file_digest  # the record key of a file: (path, sha256 of its bytes)


# --------------------------------------------------------------------------------------------
# The per-file work (runs in worker processes)
# --------------------------------------------------------------------------------------------
_PIPELINE = None
_INIT_ERROR: str | None = None


class PipelineLoadError(JianbaoError):
    """The pipeline could not be built in a worker (fatal for the whole batch)."""


def _watch_parent(parent_pid: int, interval: float = 1.0) -> None:
    """Exit this worker when the batch process is gone (``kill -9`` leaves no orphans working on)."""
    import threading

    def watch() -> None:
        while True:
            time.sleep(interval)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # pragma: no cover - pid reused by another user's process
                os._exit(1)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="jianbao-parent-watch", daemon=True).start()


def _init_worker(components: Sequence[str] | None, models: dict[str, str] | None,
                 parent_pid: int | None = None, settings: dict[str, dict[str, Any]] | None = None,
                 quiet: bool = True) -> None:
    """Worker initializer: load the pipeline once per process (an error is kept and reported per task).
    ``quiet``: only errors are logged (a worker process of its own); off in the caller's process,
    whose logging is the caller's."""
    import logging

    global _PIPELINE, _INIT_ERROR
    _PIPELINE, _INIT_ERROR = None, None
    if parent_pid is not None:
        _watch_parent(parent_pid)
    if quiet:
        logging.getLogger().setLevel(logging.ERROR)
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # pragma: no cover
        pass
    from .pipeline import load_pipeline

    try:
        _PIPELINE = load_pipeline([c for c in components if c != "parse"] if components is not None else None,
                                  models=models, settings=settings)
    except Exception as err:  # reported by the first task, which stops the batch cleanly
        _INIT_ERROR = one_line(f"{type(err).__name__}: {err}")


def _issue_line(job: Job, sha: str, issue) -> str:
    """The output record of a processed file: the issue, its id and source set from the job."""
    original = issue.id
    issue.id = job.issue_id
    source = dict(issue.source or {})
    source["file"] = job.file
    source["sha256"] = sha
    if original and original != job.issue_id:
        source["issue_id"] = original
    issue.source = source
    return json.dumps(issue.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"


def _error_line(job: Job, sha: str, err: BaseException) -> str:
    """The error record of a file that failed: its one-line reason."""
    if isinstance(err, JianbaoError):
        msg = err.problem if isinstance(err, InputError) else str(err)
    elif isinstance(err, MemoryError):
        msg = "out of memory"
    elif isinstance(err, RecursionError):
        msg = "document too deeply nested"
    else:  # a reader bug on one file must not stop the archive
        msg = f"{type(err).__name__}: {err}"
    rec = {"file": job.file, "error": one_line(msg) or "failed", "sha256": sha}
    return json.dumps(rec, ensure_ascii=False) + "\n"


def process_job(job: Job, sha: str, pipeline=None) -> tuple[str, str, int]:
    """Process one file; returns ``("ok", issue JSON line, articles)`` or ``("error", error JSON line, 0)``.

    Never raises for a bad file: the error becomes a record so the batch goes on (a broken
    installation, ImportError, is raised: it is fatal for the batch, not a property of the file).
    """
    from .api import process, read_input

    pipe = pipeline if pipeline is not None else _PIPELINE
    try:
        issue = read_input(job.path)  # issue JSON as it is, any other file parsed
        if pipe is not None:
            process(issue, pipe)
        return "ok", _issue_line(job, sha, issue), len(issue.articles)
    except ImportError:
        raise
    except Exception as err:
        return "error", _error_line(job, sha, err), 0


def process_jobs(items: Sequence[tuple[Job, str]], pipeline=None) -> list[tuple[str, str, int]]:
    """Process several files, as ``process_job`` on each (same records, same order), with the
    files that read well run through the pipeline together: its models work in batches, and
    one call for a few short issues costs less than one per issue. If the group as a whole fails
    (out of memory on a huge file, say), each of its files is processed on its own."""
    from .api import process_many, read_input

    pipe = pipeline if pipeline is not None else _PIPELINE
    if pipe is None or len(items) < 2:
        return [process_job(job, sha, pipeline) for job, sha in items]
    out: list[tuple[str, str, int] | None] = [None] * len(items)
    read = []
    for k, (job, sha) in enumerate(items):
        try:
            read.append((k, read_input(job.path)))
        except ImportError:
            raise
        except Exception as err:
            out[k] = ("error", _error_line(job, sha, err), 0)
    try:
        process_many([issue for _, issue in read], pipe)
        for k, issue in read:
            job, sha = items[k]
            out[k] = ("ok", _issue_line(job, sha, issue), len(issue.articles))
    except ImportError:
        raise
    except Exception:
        for k, _ in read:
            out[k] = process_job(*items[k], pipeline)
    return out  # type: ignore[return-value]


def _run_tasks(items: Sequence[tuple[Job, str]]) -> list[tuple[str, str, str, int, dict[str, str]]]:
    """Worker task over a few files: ``(file, kind, line, articles, missing components)`` each;
    kind "fatal" stops the batch."""
    if _INIT_ERROR is not None:
        return [(job.file, "fatal", _INIT_ERROR, 0, {}) for job, _ in items]
    try:
        results = process_jobs(items)
    except ImportError as err:
        return [(job.file, "fatal", one_line(f"{type(err).__name__}: {err}"), 0, {}) for job, _ in items]
    missing = dict(_PIPELINE.missing) if _PIPELINE is not None else {}
    return [(job.file, kind, line, n, missing) for (job, _), (kind, line, n) in zip(items, results)]


# --------------------------------------------------------------------------------------------
# Crash-safe output
# --------------------------------------------------------------------------------------------
def errors_path(out: str | Path) -> Path:
    """``OUT.jsonl`` -> ``OUT.errors.jsonl``."""
    out = Path(out)
    stem = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return out.with_name(stem + ".errors.jsonl")


def truncate_partial_line(path: str | Path) -> int:
    """Cut a trailing incomplete line (left by a killed writer); returns the bytes removed."""
    p = Path(path)
    if not p.exists():
        return 0
    with open(p, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        pos, block = size, 1 << 16
        while pos > 0:
            start = max(0, pos - block)
            f.seek(start)
            chunk = f.read(pos - start)
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                keep = start + nl + 1
                break
            pos = start
        else:
            keep = 0
        if keep < size:
            f.truncate(keep)
            f.flush()
            os.fsync(f.fileno())
        return size - keep


def _record_key(obj: dict[str, Any]) -> tuple[str, str] | None:
    if "error" in obj and "file" in obj and "articles" not in obj:
        return obj.get("file"), obj.get("sha256") or ""
    src = obj.get("source") or {}
    if src.get("file") is None:
        return None
    return src.get("file"), src.get("sha256") or ""


def read_done(out: str | Path) -> dict[tuple[str, str], int]:
    """Keys (file, sha256) already recorded in OUT.jsonl and OUT.errors.jsonl -> number of records."""
    done: dict[tuple[str, str], int] = {}
    for p in (Path(out), errors_path(out)):
        if not p.exists():
            continue
        with open(p, "rb") as f:
            for raw in f:
                if not raw.strip():
                    continue
                try:
                    key = _record_key(json.loads(raw))
                except ValueError:
                    continue
                if key:
                    done[key] = done.get(key, 0) + 1
    return done


def _compact(path: Path, drop: set[str], keep_first: bool = True) -> None:
    """Rewrite ``path`` without records of the files in ``drop`` and without duplicate keys."""
    if not path.exists():
        return
    tmp = path.with_name(f".{path.name}.compact")
    seen: set[tuple[str, str]] = set()
    with open(path, "rb") as src, open(tmp, "wb") as dst:
        for raw in src:
            try:
                key = _record_key(json.loads(raw))
            except ValueError:
                continue
            if key and (key[0] in drop or (keep_first and key in seen)):
                continue
            if key:
                seen.add(key)
            dst.write(raw)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(tmp, path)


class LineWriter:
    """Append whole lines to a file: one ``os.write`` per line, then ``fsync`` (crash safe)."""

    def __init__(self, path: str | Path, fsync: bool = True):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.fsync = fsync

    def write(self, line: str) -> None:
        data = line.encode("utf-8")
        n = os.write(self.fd, data)
        while n < len(data):  # a short write on a regular file is rare; finish it
            n += os.write(self.fd, data[n:])
        if self.fsync:
            os.fsync(self.fd)

    def close(self) -> None:
        os.close(self.fd)


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------
@dataclass
class BatchResult:
    """What a batch run did (this run only, plus what was already there)."""

    out: str
    total: int = 0
    skipped: int = 0
    ok: int = 0
    failed: int = 0
    articles: int = 0
    seconds: float = 0.0
    missing_components: dict[str, str] = field(default_factory=dict)
    extra_outputs: list[str] = field(default_factory=list)

    def summary(self) -> str:
        rate = f", {self.articles / self.seconds:.1f} articles/s" if self.seconds > 0 and self.articles else ""
        return (f"{self.ok} files ok, {self.failed} failed, {self.skipped} already done; "
                f"{self.articles} articles in {self.seconds:.1f} s{rate}")


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover
        return max(1, os.cpu_count() or 1)


def _pending(jobs: Sequence[Job], done: dict[tuple[str, str], int]) -> Iterator[tuple[Job, str]]:
    for job in jobs:
        try:
            sha = sha256_file(job.path)
        except OSError as err:
            sha = ""
            if (job.file, sha) in done:
                continue
            yield job, f"!{err.strerror}"
            continue
        if (job.file, sha) not in done:
            yield job, sha


def _unreadable(job: Job, sha: str) -> tuple[str, str, str, int, dict[str, str]]:
    rec = {"file": job.file, "error": f"cannot read file ({sha[1:]})", "sha256": ""}
    return job.file, "error", json.dumps(rec, ensure_ascii=False) + "\n", 0, {}


def _groups(todo: Iterable[tuple[Job, str]], size: int) -> Iterator[list[tuple[Job, str]]]:
    """The pending files in groups of up to ``size`` (one task each); an unreadable file alone."""
    group: list[tuple[Job, str]] = []
    for job, sha in todo:
        if sha.startswith("!"):
            yield [(job, sha)]
            continue
        group.append((job, sha))
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def _unreadable_group(group: list[tuple[Job, str]]) -> bool:
    """A group of ``_groups`` that is one file which could not be read (recorded without a worker)."""
    return len(group) == 1 and group[0][1].startswith("!")


#: files a worker task takes at most: their issues go through each model together (a bulletin of ten
#: articles is a small batch), while every worker still gets several tasks to balance the end
FILES_PER_TASK = 4


def files_per_task(n_files: int, workers: int) -> int:
    """Files per task for ``n_files`` pending files: FILES_PER_TASK, fewer when that would leave
    a worker fewer than eight tasks."""
    return max(1, min(FILES_PER_TASK, n_files // (max(workers, 1) * 8)))


def _local_results(todo: Iterable[tuple[Job, str]], workers: int, components, models,
                   max_in_flight: int | None = None, settings=None, per_task: int = 1
                   ) -> Iterator[tuple[str, str, str, int]]:
    """Yield ``(file, kind, line, articles)`` as worker processes finish files (unordered); each
    task takes ``per_task`` files, whose results come back together."""
    import multiprocessing as mp

    groups = _groups(todo, max(1, per_task))
    if workers <= 0:  # in-process (debugging, and the benchmark's single-process reference)
        _init_worker(components, models, settings=settings, quiet=False)
        for group in groups:
            yield from ([_unreadable(*group[0])] if _unreadable_group(group) else _run_tasks(group))
        return
    # spawn: workers are direct children of this process (watched, see _watch_parent) and
    # import the pipeline afresh, never inheriting a half-initialised torch or thread pool.
    ctx = mp.get_context("spawn")
    limit = max_in_flight or workers * 4
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(components, models, os.getpid(), settings)) as pool:
        in_flight: set = set()
        exhausted = False
        while True:
            while not exhausted and len(in_flight) < limit:
                try:
                    group = next(groups)
                except StopIteration:
                    exhausted = True
                    break
                if _unreadable_group(group):
                    yield _unreadable(*group[0])
                    continue
                in_flight.add(pool.submit(_run_tasks, group))
            if not in_flight:
                break
            finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for fut in finished:
                try:
                    yield from fut.result()
                except BrokenProcessPool:
                    raise JianbaoError("a worker process died (out of memory?); run the same command "
                                       "again to resume") from None


class _RayProcessor:
    """Ray Data actor: builds the pipeline once, then processes batches of file rows."""

    def __init__(self, components=None, models=None, settings=None):
        _init_worker(components, models, settings=settings)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        out: dict[str, list] = {"file": [], "kind": [], "line": [], "articles": [], "missing": []}
        items = [(Job(str(batch["path"][i]), str(batch["file"][i]), str(batch["rel"][i]), str(batch["issue_id"][i])),
                  str(batch["sha256"][i])) for i in range(len(batch["path"]))]
        for f, kind, line, n, missing in _run_tasks(items):  # the batch's files processed together
            out["file"].append(f)
            out["kind"].append(kind)
            out["line"].append(line)
            out["articles"].append(n)
            out["missing"].append(json.dumps(missing))
        return out


def _ray_results(todo: Iterable[tuple[Job, str]], workers: int, components, models,
                 ray_address: str | None = None, settings=None) -> Iterator[tuple[str, str, str, int]]:
    """Yield results computed on a Ray cluster through Ray Data (same function as local mode)."""
    try:
        import ray
    except ImportError:
        raise JianbaoError("--engine ray needs Ray: pip install 'jianbao-nlp[ray]'") from None
    items = []
    for job, sha in todo:
        if sha.startswith("!"):
            yield _unreadable(job, sha)
            continue
        items.append({"path": os.path.abspath(job.path), "file": job.file, "rel": job.rel,
                      "issue_id": job.issue_id, "sha256": sha})
    if not items:
        return
    import logging

    for name in ("ray", "ray.data"):  # our own progress bar and summary say enough
        logging.getLogger(name).setLevel(logging.WARNING)
    started_here = False
    if not ray.is_initialized():
        ray.init(address=ray_address, num_cpus=None if ray_address else max(1, workers),
                 include_dashboard=False, log_to_driver=False, ignore_reinit_error=True,
                 logging_level=logging.WARNING)
        started_here = True
    try:
        ray.data.DataContext.get_current().enable_progress_bars = False  # our own bar is enough
        ds = ray.data.from_items(items)
        ds = ds.map_batches(_RayProcessor, fn_constructor_kwargs={"components": components, "models": models,
                                                                  "settings": settings},
                            batch_size=4, concurrency=max(1, workers), batch_format="default")
        for row in ds.iter_rows():
            yield (str(row["file"]), str(row["kind"]), str(row["line"]), int(row["articles"]),
                   json.loads(row["missing"]))
    finally:
        if started_here:
            ray.shutdown()


def run_batch(sources: Sequence[str | Path], out: str | Path, workers: int | None = None,
              engine: str = "local", components: Sequence[str] | None = None,
              models: dict[str, str] | None = None, parquet: str | Path | None = None,
              sqlite: str | Path | None = None, show_progress: bool = True, fsync: bool = True,
              ray_address: str | None = None, retry_errors: bool = False,
              settings: dict[str, dict[str, Any]] | None = None) -> BatchResult:
    """Process every bulletin under ``sources`` into ``out`` (JSONL), resuming a previous run.

    ``components``: names from parse,themes,summary,ner (None: all); ``models`` and ``settings``
    per component name, as for :func:`~jianbao_nlp.pipeline.load_pipeline`. ``workers``: processes
    (None: all cores; 0: in this process). ``engine``: "local" or "ray". ``retry_errors``: drop
    the error records of these inputs and try them again (after a reader fix, say).
    """
    t0 = time.perf_counter()
    if engine not in ("local", "ray"):
        raise JianbaoError(f"unknown engine {engine!r} (local or ray)")
    out = Path(out)
    if out.suffix.lower() != ".jsonl":
        raise InputError("the output must be a .jsonl file", out)
    err_path = errors_path(out)
    jobs = find_inputs(sources, exclude=[out, err_path])
    workers = default_workers() if workers is None else workers
    result = BatchResult(out=str(out), total=len(jobs))

    # Resume: cut torn lines, drop stale records of files whose content changed, skip the rest.
    for p in (out, err_path):
        truncate_partial_line(p)
    done = read_done(out)
    shas = {}
    for key in done:
        shas.setdefault(key[0], set()).add(key[1])
    stale: set[str] = set()
    dup = any(n > 1 for n in done.values()) or any(len(v) > 1 for v in shas.values())
    if done:
        for job in jobs:
            if job.file in shas:
                try:
                    now = sha256_file(job.path)
                except OSError:
                    continue
                if now not in shas[job.file]:
                    stale.add(job.file)
    retry: set[str] = set()
    if retry_errors and err_path.exists():
        current = {j.file for j in jobs}
        retry = {obj.get("file") for obj in iter_jsonl(err_path) if obj.get("file") in current}
    if stale or dup or retry:
        _compact(out, stale)
        _compact(err_path, stale | retry)
        done = read_done(out)
    done_files = {k[0] for k in done}
    result.skipped = sum(1 for j in jobs if j.file in done_files)

    if components is not None:
        from .api import parse_components

        components = parse_components(list(components))

    todo = _pending(jobs, done)
    n_todo = result.total - result.skipped
    results = (_ray_results(todo, workers, components, models, ray_address, settings=settings) if engine == "ray"
               else _local_results(todo, workers, components, models, settings=settings,
                                   per_task=files_per_task(n_todo, workers)))
    bar = None
    if show_progress and n_todo > 0:
        from tqdm import tqdm

        bar = tqdm(total=n_todo, desc="batch", unit="file", file=sys.stderr, dynamic_ncols=True,
                   smoothing=0.1)
    ok_w, err_w = LineWriter(out, fsync), LineWriter(err_path, fsync)
    try:
        for file, kind, line, n_art, missing in results:
            if kind == "fatal":
                raise PipelineLoadError(f"cannot load the pipeline: {line}")
            result.missing_components.update(missing)
            if kind == "ok":
                ok_w.write(line)
                result.ok += 1
                result.articles += n_art
            else:
                err_w.write(line)
                result.failed += 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix(failed=result.failed, refresh=False)
    finally:
        ok_w.close()
        err_w.close()
        if bar is not None:
            bar.close()

    if parquet:
        result.extra_outputs += [str(p) for p in write_parquet(out, parquet)]
    if sqlite:
        write_sqlite(out, sqlite)
        result.extra_outputs.append(str(sqlite))
    result.seconds = time.perf_counter() - t0
    return result


# --------------------------------------------------------------------------------------------
# Tables: issues, articles, entities (for Parquet and SQLite)
# --------------------------------------------------------------------------------------------
ISSUE_COLUMNS = ("id", "file", "sha256", "publication", "issuer", "year", "number", "total_number", "date",
                 "sections", "n_articles", "warnings", "json")
ARTICLE_COLUMNS = ("issue_id", "position", "article_id", "section", "title", "contributor", "body",
                   "summary_line", "suggested_summary_lines", "themes", "primary_theme", "theme_scores")
ENTITY_COLUMNS = ("issue_id", "article_id", "field", "start", "end", "label", "text", "canonical")


def iter_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Issue records of a batch JSONL (whole lines only; a torn last line is ignored)."""
    with open(path, "rb") as f:
        for raw in f:
            if not raw.endswith(b"\n") or not raw.strip():
                continue
            try:
                yield json.loads(raw)
            except ValueError:
                continue


def _as_int(v: Any) -> int | None:
    try:
        return None if v is None else int(v)
    except (TypeError, ValueError):
        return None


def issue_rows(obj: dict[str, Any]) -> tuple[dict, list[dict], list[dict]]:
    """Flatten one issue record into one issue row, its article rows and its entity rows."""
    meta = obj.get("issue") or {}
    src = obj.get("source") or {}
    arts = obj.get("articles") or []
    iid = obj.get("id")
    issue = {
        "id": iid, "file": src.get("file"), "sha256": src.get("sha256"),
        "publication": meta.get("publication"), "issuer": meta.get("issuer"),
        "year": _as_int(meta.get("year")), "number": _as_int(meta.get("number")),
        "total_number": _as_int(meta.get("total_number")), "date": meta.get("date"),
        "sections": json.dumps(meta.get("sections") or [], ensure_ascii=False),
        "n_articles": len(arts), "warnings": json.dumps(obj.get("warnings") or [], ensure_ascii=False),
        "json": json.dumps(obj, ensure_ascii=False),
    }
    articles, entities = [], []
    for i, a in enumerate(arts):
        articles.append({
            "issue_id": iid, "position": i, "article_id": a.get("id"), "section": a.get("section"),
            "title": a.get("title"), "contributor": a.get("contributor"), "body": a.get("body") or "",
            "summary_line": a.get("summary_line"),
            "suggested_summary_lines": [str(s) for s in a.get("suggested_summary_lines") or []],
            "themes": [str(t) for t in a.get("themes") or []], "primary_theme": a.get("primary_theme"),
            "theme_scores": json.dumps(a.get("theme_scores") or {}, ensure_ascii=False),
        })
        for e in a.get("entities") or []:
            entities.append({
                "issue_id": iid, "article_id": a.get("id"), "field": e.get("field"),
                "start": _as_int(e.get("start")), "end": _as_int(e.get("end")), "label": e.get("label"),
                "text": e.get("text"), "canonical": e.get("canonical"),
            })
    return issue, articles, entities


def _arrow_schemas():
    import pyarrow as pa

    s, i, ls = pa.string(), pa.int64(), pa.list_(pa.string())
    issues = pa.schema([("id", s), ("file", s), ("sha256", s), ("publication", s), ("issuer", s), ("year", i),
                        ("number", i), ("total_number", i), ("date", s), ("sections", s), ("n_articles", i),
                        ("warnings", s), ("json", s)])
    articles = pa.schema([("issue_id", s), ("position", i), ("article_id", s), ("section", s), ("title", s),
                          ("contributor", s), ("body", s), ("summary_line", s), ("suggested_summary_lines", ls),
                          ("themes", ls), ("primary_theme", s), ("theme_scores", s)])
    entities = pa.schema([("issue_id", s), ("article_id", s), ("field", s), ("start", i), ("end", i),
                          ("label", s), ("text", s), ("canonical", s)])
    return {"issues": issues, "articles": articles, "entities": entities}


def parquet_paths(target: str | Path) -> dict[str, Path]:
    """``X.parquet`` -> ``X.issues.parquet`` etc. beside it; anything else is a folder of three files."""
    t = Path(target)
    if t.suffix.lower() == ".parquet":
        stem = t.name[: -len(".parquet")]
        return {n: t.with_name(f"{stem}.{n}.parquet") for n in ("issues", "articles", "entities")}
    return {n: t / f"{n}.parquet" for n in ("issues", "articles", "entities")}


def write_parquet(jsonl: str | Path, target: str | Path, row_group: int = 2000) -> list[Path]:
    """Write the issues, articles and entities tables from a batch JSONL, streaming in row groups."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = parquet_paths(target)
    schemas = _arrow_schemas()
    next(iter(paths.values())).parent.mkdir(parents=True, exist_ok=True)
    tmps = {n: p.with_name(f".{p.name}.part") for n, p in paths.items()}
    writers = {n: pq.ParquetWriter(str(tmps[n]), schemas[n], compression="zstd") for n in paths}
    bufs: dict[str, list[dict]] = {n: [] for n in paths}

    def flush(name: str) -> None:
        if bufs[name]:
            writers[name].write_table(pa.Table.from_pylist(bufs[name], schema=schemas[name]))
            bufs[name] = []

    try:
        for obj in iter_jsonl(jsonl):
            issue, arts, ents = issue_rows(obj)
            bufs["issues"].append(issue)
            bufs["articles"].extend(arts)
            bufs["entities"].extend(ents)
            for n in bufs:
                if len(bufs[n]) >= row_group:
                    flush(n)
        for n in bufs:
            flush(n)
    except BaseException:
        for n, w in writers.items():
            w.close()
            tmps[n].unlink(missing_ok=True)
        raise
    for n, w in writers.items():
        w.close()
        os.replace(tmps[n], paths[n])
    return list(paths.values())


def write_sqlite(jsonl: str | Path, target: str | Path, chunk: int = 2000) -> Path:
    """Write the issues, articles and entities tables from a batch JSONL into a new SQLite file."""
    import sqlite3

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(str(tmp))
    try:
        con.executescript("""
            CREATE TABLE issues (id TEXT, file TEXT, sha256 TEXT, publication TEXT, issuer TEXT,
                year INTEGER, number INTEGER, total_number INTEGER, date TEXT, sections TEXT,
                n_articles INTEGER, warnings TEXT, json TEXT);
            CREATE TABLE articles (issue_id TEXT, position INTEGER, article_id TEXT, section TEXT, title TEXT,
                contributor TEXT, body TEXT, summary_line TEXT, suggested_summary_lines TEXT, themes TEXT,
                primary_theme TEXT, theme_scores TEXT);
            CREATE TABLE entities (issue_id TEXT, article_id TEXT, field TEXT, start INTEGER, "end" INTEGER,
                label TEXT, text TEXT, canonical TEXT);
        """)
        ins = {
            "issues": f"INSERT INTO issues VALUES ({','.join('?' * len(ISSUE_COLUMNS))})",
            "articles": f"INSERT INTO articles VALUES ({','.join('?' * len(ARTICLE_COLUMNS))})",
            "entities": f"INSERT INTO entities VALUES ({','.join('?' * len(ENTITY_COLUMNS))})",
        }
        cols = {"issues": ISSUE_COLUMNS, "articles": ARTICLE_COLUMNS, "entities": ENTITY_COLUMNS}
        bufs: dict[str, list[tuple]] = {n: [] for n in ins}

        def row(name: str, r: dict) -> tuple:
            return tuple(json.dumps(r[c], ensure_ascii=False) if isinstance(r[c], list) else r[c] for c in cols[name])

        for obj in iter_jsonl(jsonl):
            issue, arts, ents = issue_rows(obj)
            bufs["issues"].append(row("issues", issue))
            bufs["articles"].extend(row("articles", a) for a in arts)
            bufs["entities"].extend(row("entities", e) for e in ents)
            for n in bufs:
                if len(bufs[n]) >= chunk:
                    con.executemany(ins[n], bufs[n])
                    bufs[n] = []
        for n in bufs:
            if bufs[n]:
                con.executemany(ins[n], bufs[n])
        con.execute("CREATE INDEX issues_id ON issues(id)")
        con.execute("CREATE INDEX articles_issue ON articles(issue_id, position)")
        con.execute("CREATE INDEX entities_issue ON entities(issue_id, article_id)")
        con.commit()
        con.close()
        os.replace(tmp, target)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    return target

"""Training and evaluation data for the theme tagger.

Sources (any mix, by path):
- an issue JSON file (``jianbao-issue/1``) or a folder of them: every article with ``themes``;
- a JSONL file of ``{"id", "themes"}`` lines (ids + labels only, as stored in ``data/themes/``):
  the text is joined at run time from the 新闻联播 corpus under the shared folder
  (``$JIANBAO_SHARED``, default ``<repo>/../shared``); a line may instead carry its own
  ``title``/``body`` (a user's own data), which is used as it is.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ...errors import InputError
from ...io_utils import iter_jsonl
from ...model import Issue, load_issue
from ...modeldir import shared_dir

CORPUS_REL = "data/external/headlines/cctv_xinwenlianbo/xinwenlianbo.jsonl.gz"
#: a second, smaller corpus (2011 procurement-portal news; ids ``eb-...``), also joined by id
PROCUREMENT_REL = "data/external/headlines/procurement_portal_2011/procurement_news_2011.jsonl.gz"
#: 新闻联播 split rule: train on items up to TRAIN_END, tune on TUNE_START..TUNE_END, never 2026+.
TRAIN_END = "2025-06-30"
TUNE_START, TUNE_END = "2025-07-01", "2025-12-31"


@dataclass
class Example:
    id: str
    title: str | None
    body: str
    themes: list[str] = field(default_factory=list)
    source: str = ""




def corpus_path() -> Path:
    return shared_dir() / CORPUS_REL


def corpus_paths() -> list[Path]:
    """The corpora ids are looked up in: 新闻联播 (required) and, when present, the procurement news."""
    extra = shared_dir() / PROCUREMENT_REL
    return [corpus_path()] + ([extra] if extra.is_file() else [])


def iter_corpus(path: str | Path | Sequence[str | Path] | None = None, ids: set[str] | None = None,
                max_date: str | None = None) -> Iterator[dict]:
    """Stream corpus items (``id, date, title, body``); optionally only ``ids`` or dates <= max_date.

    ``path`` None: every default corpus (``corpus_paths()``)."""
    if path is None:
        paths: list = corpus_paths()
    elif isinstance(path, (str, Path)):
        paths = [path]
    else:
        paths = list(path)
    for p in paths:
        yield from _iter_one(Path(p), ids, max_date)


def _iter_one(p: Path, ids: set[str] | None, max_date: str | None) -> Iterator[dict]:
    if not p.is_file():
        raise InputError("corpus not found (set JIANBAO_SHARED to the shared folder)", p)
    opener = gzip.open if p.suffix == ".gz" else open
    with opener(p, "rt", encoding="utf-8") as f:
        for line in f:
            if ids is not None:
                # cheap pre-filter before JSON parsing: the id sits in the first few bytes
                head = line[:60]
                if not any(i in head for i in _id_keys(head, ids)):
                    continue
            d = json.loads(line)
            if ids is not None and d.get("id") not in ids:
                continue
            if max_date and d.get("date", "") > max_date:
                continue
            yield d


def _id_keys(head: str, ids: set[str]) -> Iterable[str]:
    start = head.find('"id": "')
    if start < 0:
        start = head.find('"id":"')
        off = 6
    else:
        off = 7
    if start < 0:
        return ids
    end = head.find('"', start + off)
    key = head[start + off:end]
    return (key,) if key in ids else ()


def read_label_lines(path: str | Path) -> list[dict]:
    p = Path(path)
    rows = []
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise InputError("no such file", p) from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read labels ({err})", p) from None
    for n, d in iter_jsonl(lines, p):
        if not isinstance(d, dict) or not isinstance(d.get("id"), str) or not isinstance(d.get("themes"), list):
            raise InputError(f"line {n}: expected an object with 'id' and a 'themes' list", p)
        rows.append(d)
    return rows


def read_jsonl_examples(path: str | Path, corpus: str | Path | None = None) -> list[Example]:
    rows = read_label_lines(path)
    need = {r["id"] for r in rows if "body" not in r}
    texts = {d["id"]: d for d in iter_corpus(corpus, ids=need)} if need else {}
    out = []
    for r in rows:
        src = r if "body" in r else texts.get(r["id"])
        if src is None:
            continue  # an id the corpus does not hold
        out.append(Example(r["id"], src.get("title"), src.get("body") or "", [str(t) for t in r["themes"]],
                           source=str(path)))
    return out


def issue_examples(issue: Issue, source: str = "") -> list[Example]:
    return [Example(f"{issue.id}/{a.id}", a.title, a.body or "", list(a.themes), source=source)
            for a in issue.articles if a.themes]


def read_examples(paths: Sequence[str | Path], corpus: str | Path | None = None) -> list[Example]:
    """Examples from issue JSON files, folders of them, or id/label JSONL files."""
    out: list[Example] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            files = sorted(x for x in p.rglob("*") if x.suffix.lower() in (".json", ".jsonl"))
            out += read_examples(files, corpus)
        elif not p.exists():
            raise InputError("no such file", p)
        elif p.suffix.lower() == ".jsonl":
            out += read_jsonl_examples(p, corpus)
        else:
            out += issue_examples(load_issue(p), str(p))
    return out


def examples_to_issue(examples: Sequence[Example], issue_id: str = "themes-examples") -> Issue:
    """Wrap examples into one issue (for the pipeline and the evaluator)."""
    from ...model import Article

    issue = Issue(id=issue_id)
    for ex in examples:
        art = Article(id=ex.id, title=ex.title, body=ex.body)
        if ex.themes:
            art.themes = list(ex.themes)
            art.primary_theme = ex.themes[0]
        issue.articles.append(art)
    return issue


def read_gold(paths: Sequence[str | Path], corpus: str | Path | None = None) -> list[Issue]:
    """Gold issues for evaluation: issue JSON files as they are; JSONL label files wrapped in one issue."""
    issues = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            issues += read_gold(sorted(x for x in p.rglob("*") if x.suffix.lower() in (".json", ".jsonl")), corpus)
        elif p.suffix.lower() == ".jsonl":
            issues.append(examples_to_issue(read_jsonl_examples(p, corpus), p.stem))
        else:
            issues.append(load_issue(p))
    return issues

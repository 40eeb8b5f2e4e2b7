"""Entity index over processed issues: canonical entity -> label, issues, articles, counts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from ...errors import InputError
from ...io_utils import iter_jsonl
from ...model import Issue


def iter_issues(paths: Iterable[str | Path]) -> Iterator[Issue]:
    """Issues from issue JSON files (``.json``) or batch output (``.jsonl``: one issue per line;
    error records ``{"file", "error"}`` are skipped)."""
    for path in paths:
        p = Path(path)
        if not p.is_file():
            raise InputError("no such file", p)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read as UTF-8 ({err})", p) from None
        if p.suffix.lower() == ".jsonl":
            for lineno, data in iter_jsonl(text.splitlines(), p):
                if isinstance(data, dict) and "error" in data and "articles" not in data:
                    continue
                yield Issue.from_json_obj(data, f"{p}:{lineno}")
        else:
            yield Issue.from_json(text, p)


def build_index(issues: Iterable[Issue]) -> list[dict[str, Any]]:
    """One row per (canonical name, label), most frequent first."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for k, issue in enumerate(issues):
        iid = issue.id or (issue.source or {}).get("file") or f"issue{k}"
        for art in issue.articles:
            for ent in art.entities or []:
                name = ent.canonical or ent.text
                key = (name, ent.label)
                row = rows.setdefault(key, {"canonical": name, "label": ent.label, "count": 0, "issues": [],
                                            "articles": [], "surface_forms": []})
                row["count"] += 1
                if iid not in row["issues"]:
                    row["issues"].append(iid)
                ref = f"{iid}/{art.id}"
                if ref not in row["articles"]:
                    row["articles"].append(ref)
                if ent.text and ent.text not in row["surface_forms"]:
                    row["surface_forms"].append(ent.text)
    out = sorted(rows.values(), key=lambda r: (-r["count"], r["label"], r["canonical"]))
    for r in out:
        r["n_issues"] = len(r["issues"])
        r["n_articles"] = len(r["articles"])
    return out


def index_to_text(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["canonical", "label", "count", "n_issues", "n_articles", "issues", "articles", "surface_forms"])
        for r in rows:
            w.writerow([r["canonical"], r["label"], r["count"], r["n_issues"], r["n_articles"],
                        ";".join(r["issues"]), ";".join(r["articles"]), ";".join(r["surface_forms"])])
        return buf.getvalue()
    raise InputError(f"unknown index format {fmt!r} (jsonl or csv)")


def write_index(paths: Iterable[str | Path], out: str | Path) -> list[dict[str, Any]]:
    from ...io_utils import write_atomic

    out = Path(out)
    fmt = "csv" if out.suffix.lower() == ".csv" else "jsonl"
    if out.suffix.lower() not in (".csv", ".jsonl", ".json"):
        raise InputError("output must end in .jsonl or .csv", out)
    rows = build_index(iter_issues(paths))
    write_atomic(out, index_to_text(rows, fmt))
    return rows

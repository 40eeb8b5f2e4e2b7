"""Theme annotation exchange: issue JSON <-> Label Studio tasks (JSON) and doccano (JSONL).

Label Studio: one task per article, ``data`` holds the text and ids, the themes are a ``choices``
result (``from_name="themes"``, ``to_name="text"``); ``label_studio_config(taxonomy)`` writes the
matching labelling config. doccano (text classification): one JSON line per article with
``text``, ``label`` (list) and the ids. The primary theme is the first choice / label; it is also
kept as ``primary_theme`` in the task data / line so that a tool that sorts choices cannot lose it.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any, Iterable, Sequence

from ...errors import InputError
from ...model import Article, Issue
from .taxonomy import Taxonomy

FROM_NAME, TO_NAME = "themes", "text"


def _text(a: Article) -> str:
    return a.body or ""


def _ordered(themes: list[str], primary: str | None) -> list[str]:
    if primary and primary in themes:
        return [primary] + [t for t in themes if t != primary]
    return themes


# -- Label Studio -------------------------------------------------------------------------------
def label_studio_config(taxonomy: Taxonomy | None = None) -> str:
    tax = taxonomy or Taxonomy.load()
    choices = "\n".join(f'    <Choice value="{escape(t.id)}" hint="{escape(t.name)}"/>' for t in tax.themes)
    return ("<View>\n  <Header value=\"$title\"/>\n  <Text name=\"text\" value=\"$text\"/>\n"
            f"  <Choices name=\"{FROM_NAME}\" toName=\"{TO_NAME}\" choice=\"multiple\" showInline=\"true\">\n"
            f"{choices}\n  </Choices>\n</View>\n")


def to_label_studio(issues: Iterable[Issue], with_labels: bool = True) -> list[dict[str, Any]]:
    tasks = []
    for issue in issues:
        for a in issue.articles:
            task: dict[str, Any] = {"data": {"text": _text(a), "title": a.title or "", "issue_id": issue.id,
                                             "article_id": a.id, "section": a.section or ""}}
            if with_labels and a.themes:
                themes = _ordered(list(a.themes), a.primary_theme)
                task["data"]["primary_theme"] = themes[0]
                task["annotations"] = [{"result": [{"from_name": FROM_NAME, "to_name": TO_NAME, "type": "choices",
                                                    "value": {"choices": themes}}]}]
            tasks.append(task)
    return tasks


def _choices(task: dict[str, Any]) -> list[str]:
    for key in ("annotations", "completions", "predictions"):
        for ann in task.get(key) or []:
            if ann.get("was_cancelled"):
                continue
            for res in ann.get("result") or []:
                if res.get("type") == "choices" and res.get("from_name", FROM_NAME) == FROM_NAME:
                    return [str(c) for c in res.get("value", {}).get("choices", [])]
    return []


def _group(rows: Iterable[tuple[str | None, Article]], default_id: str) -> list[Issue]:
    issues: dict[str, Issue] = {}
    for issue_id, art in rows:
        key = issue_id or default_id
        issues.setdefault(key, Issue(id=key)).articles.append(art)
    return list(issues.values())


def from_label_studio(tasks: Sequence[dict[str, Any]], default_id: str = "label-studio") -> list[Issue]:
    rows = []
    for n, task in enumerate(tasks):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise InputError(f"Label Studio task {n} has no 'data' object")
        d = task["data"]
        art = Article(id=str(d.get("article_id") or task.get("id") or f"t{n:04d}"), title=d.get("title") or None,
                      body=str(d.get("text") or ""))
        if d.get("section"):
            art.section = d["section"]
        themes = _ordered(_choices(task), d.get("primary_theme"))
        if themes:
            art.themes = themes
            art.primary_theme = themes[0]
        rows.append((d.get("issue_id"), art))
    return _group(rows, default_id)


# -- doccano ------------------------------------------------------------------------------------
def to_doccano(issues: Iterable[Issue]) -> list[dict[str, Any]]:
    lines = []
    for issue in issues:
        for a in issue.articles:
            themes = _ordered(list(a.themes or []), a.primary_theme)
            lines.append({"text": _text(a), "label": themes, "title": a.title or "", "issue_id": issue.id,
                          "article_id": a.id, "primary_theme": themes[0] if themes else None})
    return lines


def from_doccano(lines: Sequence[dict[str, Any]], default_id: str = "doccano") -> list[Issue]:
    rows = []
    for n, d in enumerate(lines):
        if not isinstance(d, dict) or "text" not in d:
            raise InputError(f"doccano line {n + 1} has no 'text'")
        labels = d.get("label", d.get("labels", [])) or []
        labels = [l if isinstance(l, str) else str(l[-1]) for l in labels]  # span labels [s, e, tag] tolerated
        art = Article(id=str(d.get("article_id") or d.get("id") or f"d{n:04d}"), title=d.get("title") or None,
                      body=str(d["text"]))
        themes = _ordered(labels, d.get("primary_theme"))
        if themes:
            art.themes = themes
            art.primary_theme = themes[0]
        rows.append((d.get("issue_id"), art))
    return _group(rows, default_id)


# -- files --------------------------------------------------------------------------------------
def write_label_studio(issues: Iterable[Issue], path: str | Path) -> None:
    Path(path).write_text(json.dumps(to_label_studio(issues), ensure_ascii=False, indent=1), encoding="utf-8")


def read_label_studio(path: str | Path) -> list[Issue]:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"not a Label Studio JSON export ({err})", p) from None
    if isinstance(data, dict):
        data = [data]
    try:
        return from_label_studio(data, default_id=p.stem)
    except InputError as err:
        raise InputError(err.problem, p) from None


def write_doccano(issues: Iterable[Issue], path: str | Path) -> None:
    Path(path).write_text("".join(json.dumps(l, ensure_ascii=False) + "\n" for l in to_doccano(issues)),
                          encoding="utf-8")


def read_doccano(path: str | Path) -> list[Issue]:
    p = Path(path)
    lines = []
    try:
        for n, line in enumerate(p.read_text(encoding="utf-8-sig").splitlines(), 1):
            if line.strip():
                lines.append(json.loads(line))
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read doccano JSONL ({err})", p) from None
    except json.JSONDecodeError as err:
        raise InputError(f"line {n}: malformed JSON ({err.msg})", p) from None
    try:
        return from_doccano(lines, default_id=p.stem)
    except InputError as err:
        raise InputError(err.problem, p) from None

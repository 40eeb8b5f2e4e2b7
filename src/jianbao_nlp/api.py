"""Importable functions behind the CLI verbs ``parse`` and ``process``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable, Sequence

from .errors import InputError
from .model import Issue
from .pipeline import DEFAULT_COMPONENTS, Pipeline, load_pipeline

ALL_COMPONENTS = ("parse",) + DEFAULT_COMPONENTS
#: Which article fields each component writes; cleared before it runs on an issue JSON input.
ASSIGNS = {
    "themes": ("themes", "primary_theme", "theme_scores"),
    "summary": ("suggested_summary_lines",),
    "ner": ("entities",),
}


def is_issue_json(path: Path) -> bool:
    """An input is an issue JSON when it has a .json suffix (anything else is parsed as a bulletin)."""
    return path.suffix.lower() == ".json"


def read_input(path: str | Path) -> Issue:
    """Load an issue JSON as it is, or parse a bulletin file of any supported type."""
    from .model import load_issue
    from .parser import parse_file

    p = Path(path)
    if not p.exists():
        raise InputError("no such file", p)
    if p.is_dir():
        raise InputError("is a directory (use 'jianbao batch' for folders)", p)
    if is_issue_json(p):
        return load_issue(p)
    return parse_file(p)


def read_input_bytes(data: bytes, filename: str) -> Issue:
    """``read_input`` for bytes already in memory (an upload); ``filename`` gives the type and the id."""
    from .parser import parse_document
    from .readers import read_bytes

    name = Path(filename)
    if is_issue_json(name):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("issue JSON is not valid UTF-8", filename) from None
        return Issue.from_json(text, filename)
    return parse_document(read_bytes(data, name.name, path=filename), name)


def parse_components(spec: str | Sequence[str] | None) -> list[str]:
    """Parse ``--components`` (comma-separated subset of parse,themes,summary,ner)."""
    if spec is None:
        return list(ALL_COMPONENTS)
    names = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    bad = [n for n in names if n not in ALL_COMPONENTS]
    if bad:
        raise InputError(f"unknown component(s) {', '.join(bad)} (choose from {','.join(ALL_COMPONENTS)})")
    return names


def clear_labels(issue: Issue, components: Iterable[str]) -> None:
    """Drop labels an input issue carries for the components about to run (model output replaces them)."""
    for article in issue.articles:
        for comp in components:
            for fld in ASSIGNS.get(comp, ()):
                setattr(article, fld, None if fld == "primary_theme" else type(getattr(article, fld))())
                article._set.discard(fld)


def process(issue: Issue, pipeline: Pipeline) -> Issue:
    """Run the pipeline; labels the input carries for every requested component (run or missing) are dropped."""
    clear_labels(issue, list(pipeline.names) + list(pipeline.missing))
    return pipeline(issue)


def process_many(issues: Sequence[Issue], pipeline: Pipeline) -> Sequence[Issue]:
    """``process`` on several issues, each component run on all of them at once (same annotations)."""
    names = list(pipeline.names) + list(pipeline.missing)
    for issue in issues:
        clear_labels(issue, names)
    return pipeline.process_issues(issues)


def run_on_copies(issues: Iterable[Issue], name: str, component) -> list[Issue]:
    """Run one component on copies of (gold) issues, their labels for it dropped first: for evaluation."""
    from .pipeline import Pipeline

    pipeline = Pipeline(components=[(name, component)])
    return [process(issue.copy(), pipeline) for issue in issues]


def predictions_for(gold_issues: Sequence[Issue], pred: str | Path | None, name: str, make_component
                    ) -> list[Issue]:
    """What an evaluator scores: the issue JSON ``pred`` (beside exactly one gold issue), or the
    component ``make_component()`` run on copies of the gold issues."""
    if pred is not None:
        if len(gold_issues) > 1:
            raise InputError("--pred takes one issue JSON: give one --gold file with it", pred)
        from .model import load_issue

        return [load_issue(pred)]
    return run_on_copies(gold_issues, name, make_component())


def process_file(path: str | Path, components: str | Sequence[str] | None = None,
                 models: dict[str, str] | None = None, pipeline: Pipeline | None = None) -> Issue:
    names = parse_components(components)
    issue = read_input(path)
    if pipeline is None:
        pipeline = load_pipeline([n for n in names if n != "parse"], models=models)
    return process(issue, pipeline)


def dump_issue(issue: Issue, fmt: str = "json") -> str:
    if fmt == "json":
        return issue.to_json() + "\n"
    if fmt == "jsonl":
        return json.dumps(issue.to_dict(), ensure_ascii=False) + "\n"
    if fmt == "md":
        from .render import issue_to_markdown

        return issue_to_markdown(issue)
    raise InputError(f"unknown output format {fmt!r} (json, jsonl or md)")


def eprint(*args) -> None:
    print(*args, file=sys.stderr)

"""The 本期提要 block built from the lines editors chose, as Markdown or .docx.

Uses ``jianbao_nlp.components.summary.block`` (``render_block``, ``write_block_docx``) when it is
installed, so the web page and the CLI print the same block; a small local fallback that groups
the lines by section keeps the page usable until then.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Issue


def apply_choices(issue: Issue, chosen: dict[str, str] | list[str | None] | None) -> Issue:
    """Make each article print the editor's chosen line (by article id, or by position).

    The issue is a throwaway copy for rendering: the block renderer prints titles, so a chosen
    line also replaces the title (and the contributor, so no run-in head rule rewrites it).
    """
    if chosen is None:
        return issue
    if isinstance(chosen, list):
        if len(chosen) > len(issue.articles):
            raise InputError(f"{len(chosen)} chosen lines for {len(issue.articles)} articles")
        pairs = list(zip(issue.articles, chosen))
    elif isinstance(chosen, dict):
        by_id = {a.id: a for a in issue.articles}
        unknown = [k for k in chosen if k not in by_id]
        if unknown:
            raise InputError(f"chosen lines for unknown article id(s): {', '.join(map(str, unknown[:5]))}")
        pairs = [(by_id[k], v) for k, v in chosen.items()]
    else:
        raise InputError("'chosen' must be an object {article id: line} or a list of lines")
    for article, line in pairs:
        if line is None:
            continue
        if not isinstance(line, str):
            raise InputError(f"the chosen line of article {article.id} is not a string")
        line = " ".join(line.split())
        article.summary_line = line
        article.title = line
        article.contributor = None
        rest = [s for s in article.suggested_summary_lines if s != line]
        article.suggested_summary_lines = [line] + rest
    return issue


def _line_of(article) -> str:
    if article.summary_line:
        return article.summary_line
    if article.suggested_summary_lines:
        return article.suggested_summary_lines[0]
    return article.title or ""


def toc_lines(issue: Issue) -> list[tuple[str | None, str]]:
    """``(section, line)`` pairs in print order (fallback version)."""
    return [(a.section, _line_of(a)) for a in issue.articles if _line_of(a)]


def _grouped(issue: Issue) -> list[tuple[str | None, list[str]]]:
    groups: list[tuple[str | None, list[str]]] = []
    for section, line in toc_lines(issue):
        if groups and groups[-1][0] == section:
            groups[-1][1].append(line)
        else:
            groups.append((section, [line]))
    return groups


def _fallback_markdown(issue: Issue) -> str:
    out = ["## 本期提要", ""]
    for section, lines in _grouped(issue):
        if section:
            out += [f"### {section}", ""]
        out += [f"- {line}" for line in lines]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _fallback_docx(issue: Issue, path: str | Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading("本期提要", level=2)
    for section, lines in _grouped(issue):
        if section:
            doc.add_heading(section, level=3)
        for line in lines:
            doc.add_paragraph(line, style="List Bullet")
    doc.save(str(path))


def _theirs() -> Any | None:
    try:
        from ..components.summary import block  # type: ignore[attr-defined]
    except ImportError:
        return None
    if hasattr(block, "render_block") and hasattr(block, "write_block_docx"):
        return block
    return None


def block_markdown(issue: Issue) -> str:
    """The block as Markdown (the summary component's renderer when installed)."""
    theirs = _theirs()
    if theirs is not None:
        return theirs.render_block(issue, "md")
    return _fallback_markdown(issue)


def block_docx(issue: Issue) -> bytes:
    """The block as a .docx document (bytes)."""
    theirs = _theirs()
    with tempfile.TemporaryDirectory(prefix="jianbao-block-") as tmp:
        path = Path(tmp) / "block.docx"
        if theirs is not None:
            theirs.write_block_docx(issue, path)
        else:
            _fallback_docx(issue, path)
        return path.read_bytes()

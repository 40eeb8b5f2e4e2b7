"""The 本期提要 block from article titles, as an editor prints it (Markdown, plain text, .docx).

Printed 提要 lines are the titles with a few mechanical changes: white space normalised, the
trailing sentence punctuation removed, and, in a run-in item's head ("X局“三抓”，强化Y。"), the
comma joining its two clauses dropped ("X局“三抓”强化Y"). A title split over two lines (main
title and a second line) prints as one line with a space between the parts.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...model import Article, Issue

BLOCK_TITLE = "本期提要"
_TRAIL = "。．.；;，,、：:！!"
_WS = re.compile(r"[ \t\u3000\xa0]+")


def is_runin_head(article: Article) -> bool:
    """A run-in item (基层动态-style) names its contributor at the head of its title."""
    title = (article.title or "").strip()
    who = (article.contributor or "").strip()
    return bool(who) and (title.startswith(who) or not title)


def normalize_title(title: str, runin: bool = False) -> str:
    """One printed 提要 line from a title (see the module docstring)."""
    parts = [p.strip() for p in (title or "").replace("\r", "\n").split("\n") if p.strip()]
    parts = [_WS.sub(" ", p).strip().rstrip(_TRAIL).strip() for p in parts]
    line = " ".join(p for p in parts if p)
    if runin:
        # an internal comma joining the head's two clauses is dropped; keep commas inside quotes
        out, depth = [], 0
        for ch in line:
            if ch in "“‘《（(":
                depth += 1
            elif ch in "”’》）)":
                depth = max(0, depth - 1)
            if ch in "，," and depth == 0:
                continue
            out.append(ch)
        line = "".join(out)
    # no space between CJK characters and digits (PDF artefacts), keep a space between two parts
    line = re.sub(r"(?<=[\u4e00-\u9fff“”]) (?=[0-9])|(?<=[0-9]) (?=[\u4e00-\u9fff“”])", "", line)
    return line.rstrip(_TRAIL)


def article_line(article: Article) -> str:
    if article.title and article.title.strip():
        return normalize_title(article.title, runin=is_runin_head(article))
    if article.suggested_summary_lines:
        return normalize_title(article.suggested_summary_lines[0])
    return ""


def toc_lines(issue: Issue) -> list[tuple[str, str]]:
    """(section, line) for every article with a title (or a suggestion), sections in issue order."""
    order = list(issue.issue.sections or [])
    for a in issue.articles:
        sec = a.section or ""
        if sec not in order:
            order.append(sec)
    rank = {s: i for i, s in enumerate(order)}
    items = [(a.section or "", article_line(a), i) for i, a in enumerate(issue.articles)]
    items = [x for x in items if x[1]]
    items.sort(key=lambda x: (rank[x[0]], x[2]))
    return [(s, line) for s, line, _ in items]


def _grouped(issue: Issue) -> list[tuple[str, list[str]]]:
    groups: list[tuple[str, list[str]]] = []
    for sec, line in toc_lines(issue):
        if not groups or groups[-1][0] != sec:
            groups.append((sec, []))
        groups[-1][1].append(line)
    return groups


def render_block(issue: Issue, fmt: str = "md") -> str:
    """The block as Markdown (``md``) or plain text (``txt``)."""
    from ...errors import InputError

    groups = _grouped(issue)
    if fmt == "md":
        out = [f"## {BLOCK_TITLE}", ""]
        for sec, lines in groups:
            if sec:
                out += [f"**{sec}**", ""]
            out += [f"- {line}" for line in lines] + [""]
        return "\n".join(out).rstrip("\n") + "\n"
    if fmt == "txt":
        out = [BLOCK_TITLE, ""]
        for sec, lines in groups:
            if sec:
                out.append(f"【{sec}】")
            out += [line for line in lines] + [""]
        return "\n".join(out).rstrip("\n") + "\n"
    raise InputError(f"unknown block format {fmt!r} (md, txt or docx)")


def write_block_docx(issue: Issue, path: str | Path) -> Path:
    """Write the block to a .docx file (python-docx); written atomically."""
    import io

    from docx import Document
    from docx.shared import Pt

    from ...io_utils import write_atomic

    doc = Document()
    doc.add_heading(BLOCK_TITLE, level=2)
    for sec, lines in _grouped(issue):
        if sec:
            run = doc.add_paragraph().add_run(f"【{sec}】")
            run.bold = True
        for line in lines:
            p = doc.add_paragraph(line)
            p.paragraph_format.first_line_indent = Pt(24)
    buf = io.BytesIO()
    doc.save(buf)
    path = Path(path)
    write_atomic(path, buf.getvalue())
    return path


def write_block(issue: Issue, out: str | Path | None = None, fmt: str | None = None) -> str | None:
    """Write the block to ``out`` (format from ``fmt`` or the suffix: .md, .txt, .docx); without
    ``out``, return the text (Markdown unless ``fmt`` says otherwise)."""
    from ...errors import InputError
    from ...io_utils import write_atomic

    if out is None:
        return render_block(issue, fmt or "md")
    out = Path(out)
    fmt = fmt or {".md": "md", ".markdown": "md", ".txt": "txt", ".docx": "docx"}.get(out.suffix.lower())
    if fmt is None:
        raise InputError("unknown output type (use .md, .txt or .docx)", out)
    if fmt == "docx":
        write_block_docx(issue, out)
    else:
        write_atomic(out, render_block(issue, fmt))
    return None

"""Shared Markdown emitters for the readers: bold runs, pipe tables, block joining."""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")


def inline_md(segments: list[tuple[str, bool]]) -> str:
    """Join (text, bold) runs into Markdown, merging adjacent bold runs into one ``**...**``.

    Whitespace-only runs never break a bold span, and leading/trailing spaces are moved outside
    the markers (``** x**`` is not bold in Markdown).
    """
    # whitespace-only runs take the state of the run before them, so they never split a bold span
    merged: list[list] = []
    for text, bold in segments:
        if not text:
            continue
        if not text.strip() and merged:
            bold = merged[-1][1]
        if merged and merged[-1][1] == bold:
            merged[-1][0] += text
        else:
            merged.append([text, bold])
    out = []
    for text, bold in merged:
        if not bold or not text.strip():
            out.append(text)
            continue
        core = text.strip()
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        out.append(f"{lead}**{core}**{trail}")
    return "".join(out)


def cell_text(text: str) -> str:
    """One table cell on one line, with pipes escaped."""
    return _WS.sub(" ", text).strip().replace("|", "\\|")


def pipe_table(rows: list[list[str]]) -> str:
    """A Markdown pipe table; the first row is the header. Rows are padded to the same width."""
    rows = [[cell_text(c) for c in row] for row in rows if any(c.strip() for c in row)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(["---"] * width) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def join_blocks(blocks: list[str]) -> str:
    """Blocks separated by one blank line; empty blocks dropped; one final newline."""
    kept = [b.strip("\n") for b in blocks if b and b.strip()]
    out: list[str] = []
    for i, b in enumerate(kept):
        if i:
            tight = b.startswith("- ") and kept[i - 1].startswith("- ")  # one list stays one list
            out.append("\n" if tight else "\n\n")
        out.append(b)
    return "".join(out) + ("\n" if kept else "")

"""Span <-> tag-sequence conversions (IOB2, BIOES, BMES) and span clean-up following the guidelines."""

from __future__ import annotations

from typing import Iterable, Sequence

LABELS = ("ORG", "PER", "LOC")
Span = tuple  # (start, end, label)


def bio_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """IOB2 / BIOES / BMES tags -> (start, end, label) spans; an I- that changes label starts a span."""
    spans: list[tuple[int, int, str]] = []
    start, lab = None, None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" and start is None:  # the common case, nothing to close or open
            continue
        p, _, l = t.partition("-")
        if p in ("B", "S") or t == "O" or not l or (p in ("I", "M", "E") and l != lab):
            if start is not None:
                spans.append((start, i, lab))
                start, lab = None, None
            if p in ("B", "S", "I", "M", "E") and l:
                start, lab = i, l
            if p in ("S",) and l:
                spans.append((i, i + 1, l))
                start, lab = None, None
        if p == "E" and start is not None and l == lab:
            spans.append((start, i + 1, lab))
            start, lab = None, None
    return spans


def spans_to_tags(n: int, spans: Iterable[tuple[int, int, str]], scheme: str = "BIOES") -> list[str]:
    tags = ["O"] * n
    for s, e, l in spans:
        if s >= e or e > n:
            continue
        if scheme == "BIOES" and e - s == 1:
            tags[s] = "S-" + l
            continue
        tags[s] = "B-" + l
        for j in range(s + 1, e):
            tags[j] = "I-" + l
        if scheme == "BIOES":
            tags[e - 1] = "E-" + l
    return tags


def bioes_to_bio(tags: Sequence[str]) -> list[str]:
    out = []
    for t in tags:
        p, _, l = t.partition("-")
        out.append("B-" + l if p == "S" else "I-" + l if p in ("E", "M") else t)
    return out


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside 《》 (document and publication titles), brackets included."""
    out, stack = [], []
    for i, ch in enumerate(text):
        if ch == "《":
            stack.append(i)
        elif ch == "》" and stack:
            s = stack.pop()
            if not stack:
                out.append((s, i + 1))
    return out


def resolve_overlaps(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Flat, non-overlapping spans: longest first, then leftmost (guideline: longest span only)."""
    chosen: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for s, e, l in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0])):
        if any(j in taken for j in range(s, e)):
            continue
        chosen.append((s, e, l))
        taken.update(range(s, e))
    return sorted(chosen)


def drop_in_titles(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    ranges = quoted_ranges(text)
    if not ranges:
        return list(spans)
    return [(s, e, l) for s, e, l in spans if not any(a <= s and e <= b for a, b in ranges)]

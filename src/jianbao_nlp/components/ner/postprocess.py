"""The guideline layer applied after any backend: add rule matches, drop what is never annotated,
keep flat, non-overlapping, longest spans."""

from __future__ import annotations

from typing import Iterable

from .gazetteer import load_gazetteer
from .rules import GENERIC_HEADS, in_set_phrase
from .spans import quoted_ranges

# rules precise enough to override a shorter model span they contain
STRONG_RULES = {"alias", "organ", "agency", "short_bureau", "party_group", "abbr_combo", "institution", "gaz",
                "unit"}


def _valid(text: str, s: int, e: int, label: str) -> bool:
    if s >= e or e > len(text):
        return False
    t = text[s:e]
    if t != t.strip() or not t.strip():
        return False
    if label == "PER" and e - s < 2 and not t.isascii():
        return False
    if label == "ORG" and any(t.startswith(h) for h in GENERIC_HEADS) and t not in load_gazetteer().aliases:
        return False  # 各有关部门, 全市各单位 (but 全国人大 is a name)
    return True


def postprocess(text: str, model_spans: Iterable[tuple[int, int, str]],
                rule_matches: Iterable[tuple[int, int, str, str]] = (), model_backed: bool = True
                ) -> list[tuple[int, int, str]]:
    """Merge model spans with rule matches and apply the annotation guidelines."""
    titles = quoted_ranges(text)

    def keep(s: int, e: int, lab: str) -> bool:
        if not _valid(text, s, e, lab):
            return False
        if any(a <= s and e <= b for a, b in titles):
            return False
        if lab == "LOC" and in_set_phrase(text, s, e):
            return False
        return True

    chosen = {(s, e, l) for s, e, l in model_spans if keep(s, e, l)}
    rules = sorted({r for r in rule_matches if keep(r[0], r[1], r[2])}, key=lambda r: (-(r[1] - r[0]), r[0]))
    if not model_backed:
        # rules alone: longest first, no overlap
        out: list[tuple[int, int, str]] = []
        taken: set[int] = set()
        for s, e, l, _ in rules:
            if taken.isdisjoint(range(s, e)):
                out.append((s, e, l))
                taken.update(range(s, e))
        return sorted(out)
    for s, e, l, name in rules:
        overl = [c for c in chosen if c[0] < e and s < c[1]]
        if not overl:
            chosen.add((s, e, l))
        elif name in STRONG_RULES and all(s <= c[0] and c[1] <= e for c in overl) and \
                not any((c[0], c[1]) == (s, e) for c in overl):
            chosen.difference_update(overl)
            chosen.add((s, e, l))
    # final: flat, longest first
    out = []
    taken = set()
    for s, e, l in sorted(chosen, key=lambda x: (-(x[1] - x[0]), x[0])):
        if taken.isdisjoint(range(s, e)):
            out.append((s, e, l))
            taken.update(range(s, e))
    return sorted(out)

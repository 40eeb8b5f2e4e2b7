"""Gazetteer and lexicons for NER: administrative divisions, province abbreviations, named regions,
national agency aliases, surnames, titles and agency function words (``resources/ner/``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "ner"


@dataclass
class Division:
    code: str
    name: str
    level: int
    parent: str


def _lines(name: str) -> list[str]:
    out = []
    for line in (RESOURCES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.rstrip("\n"))
    return out


@dataclass(eq=False)
class Gazetteer:
    divisions: dict[str, Division] = field(default_factory=dict)        # code -> division
    loc_names: dict[str, list[str]] = field(default_factory=dict)       # surface -> division codes
    short_names: dict[str, list[str]] = field(default_factory=dict)     # short forms only
    county_short: set[str] = field(default_factory=set)                 # weak county short forms
    abbr: dict[str, str] = field(default_factory=dict)                  # 川 -> 四川省
    regions: dict[str, str] = field(default_factory=dict)               # 长三角 -> 长江三角洲
    aliases: dict[str, str] = field(default_factory=dict)               # 国管局 -> 国家机关事务管理局
    surnames: set[str] = field(default_factory=set)
    surname_rank: dict[str, int] = field(default_factory=dict)          # 0 = most frequent
    titles: set[str] = field(default_factory=set)
    org_bodies: set[str] = field(default_factory=set)
    max_len: int = 1

    @classmethod
    def load(cls) -> "Gazetteer":
        g = cls()
        for line in _lines("divisions.tsv")[1:]:  # header row
            code, name, level, parent, short = (line.split("\t") + [""] * 5)[:5]
            d = Division(code, name, int(level), parent)
            g.divisions[code] = d
            g.loc_names.setdefault(name, []).append(code)
            for s in filter(None, short.split("|")):
                if d.level == 3:
                    g.county_short.add(s)
                    if s.endswith(("县", "州")):
                        g.short_names.setdefault(s, []).append(code)
                else:
                    g.short_names.setdefault(s, []).append(code)
        for line in _lines("province_abbr.tsv"):
            a, full = line.split("\t")[:2]
            g.abbr[a] = full
        for line in _lines("regions.tsv"):
            name, canon = (line.split("\t") + [""])[:2]
            g.regions[name] = canon or name
        for line in _lines("aliases.tsv"):
            alias, canon = line.split("\t")[:2]
            g.aliases[alias] = canon
        ordered = [w for line in _lines("surnames.txt") for w in line.split()]  # most frequent first
        g.surnames = set(ordered)
        g.surname_rank = {w: i for i, w in reversed(list(enumerate(ordered)))}
        g.titles = {w for line in _lines("titles.txt") for w in line.split()}
        g.org_bodies = {w for line in _lines("org_bodies.txt") for w in line.split()}
        g.max_len = max(len(k) for k in list(g.loc_names) + list(g.short_names) + list(g.regions) + list(g.aliases))
        return g

    # -- look-ups ---------------------------------------------------------------------------
    def is_loc(self, s: str) -> bool:
        return s in self.loc_names or s in self.short_names or s in self.regions

    def division_level(self, s: str) -> int:
        """Best (lowest) level of a division surface form, 0 when not a division."""
        codes = self.loc_names.get(s) or self.short_names.get(s)
        if not codes:
            return 0
        return min(self.divisions[c].level for c in codes)

    def full_loc(self, s: str) -> str | None:
        """The official full name of a place when unambiguous (at its best level)."""
        if s in self.regions:
            return self.regions[s]
        if s in self.abbr:
            return self.abbr[s]
        codes = self.loc_names.get(s) or self.short_names.get(s)
        if not codes:
            return None
        best = min(self.divisions[c].level for c in codes)
        names = {self.divisions[c].name for c in codes if self.divisions[c].level == best}
        return names.pop() if len(names) == 1 else None

    def city_of(self, stem: str) -> str | None:
        """Resolve a city stem (自贡, 凉山) to the full prefecture-level (or province-level) name."""
        for s in (stem, stem + "市", stem + "州"):
            codes = self.loc_names.get(s) or self.short_names.get(s)
            if codes:
                lv = sorted(codes, key=lambda c: self.divisions[c].level)
                d = self.divisions[lv[0]]
                if d.level <= 2:
                    return d.name
        return None

    def province_of_name(self, text: str) -> str | None:
        """The province named at the start of an issuer/publication name (四川省机关事务管理局 -> 四川省)."""
        for n in range(2, 9):
            head = text[:n]
            codes = self.loc_names.get(head) or self.short_names.get(head)
            if codes:
                for c in codes:
                    if self.divisions[c].level == 1:
                        return self.divisions[c].name
        return None

    def city_of_name(self, text: str) -> str | None:
        """A prefecture named in an issuer name (自贡市机关事务管理局 -> 自贡市), after any province prefix."""
        rest = text
        for n in range(min(len(text), 9), 1, -1):
            codes = self.loc_names.get(text[:n]) or self.short_names.get(text[:n])
            if codes and any(self.divisions[c].level == 1 for c in codes):
                rest = text[n:]
                break
        for n in range(min(len(rest), 10), 1, -1):
            codes = self.loc_names.get(rest[:n]) or self.short_names.get(rest[:n])
            if codes:
                for c in codes:
                    if self.divisions[c].level == 2:
                        return self.divisions[c].name
        return None

    def _index(self) -> tuple[dict[str, str], set[str]]:
        idx = getattr(self, "_idx", None)
        if idx is None:
            kinds: dict[str, str] = {}
            for s in self.county_short:
                kinds[s] = "c"
            for s in self.aliases:
                kinds[s] = "a"
            for s in self.regions:
                kinds[s] = "r"
            for s, codes in self.short_names.items():
                kinds[s] = "s" + str(min(self.divisions[c].level for c in codes))
            for s, codes in self.loc_names.items():
                kinds[s] = str(min(self.divisions[c].level for c in codes))
            kinds = {k: v for k, v in kinds.items() if len(k) >= 2}
            prefixes = {k[:j] for k in kinds for j in range(2, len(k) + 1)}
            idx = (kinds, prefixes)
            object.__setattr__(self, "_idx", idx)
        return idx

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Forward maximum matching over every gazetteer entry: (start, end, kind) spans."""
        cache = self.__dict__.setdefault("_mcache", {})
        hit = cache.get(text)
        if hit is not None:
            return hit
        if len(cache) > 4096:
            cache.clear()
        out = cache[text] = self._matches(text)
        return out

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        kinds, prefixes = self._index()
        n = len(text)
        out = []
        i = 0
        while i < n - 1:
            best = 0
            L = 2
            while i + L <= n:
                s = text[i:i + L]
                if s not in prefixes:
                    break
                if s in kinds:
                    best = L
                L += 1
            if best:
                out.append((i, i + best, kinds[text[i:i + best]]))
                i += best
            else:
                i += 1
        return out

    def loc_tags(self, text: str) -> list[str]:
        """Per-character gazetteer tags: 'B1','I1','E1' (level 1..3), s* short, r region, a alias, c county short."""
        tags = ["O"] * len(text)
        for s, e, kind in self.matches(text):
            tags[s] = "B" + kind
            for j in range(s + 1, e - 1):
                tags[j] = "I" + kind
            tags[e - 1] = "E" + kind
        return tags


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer.load()

"""The theme taxonomy as data: themes, Chinese names, definitions, weighted lexicons, negative cues.

A taxonomy is a YAML (or JSON) file; the default one ships in ``resources/themes/taxonomy.yaml``.
A user's own file may add, rename or drop themes: every backend takes its label set from it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import InputError, one_line

DEFAULT_SETTINGS: dict[str, float] = {
    "title_weight": 3.0,
    "sentence_cap": 4.0,
    "strong_sentence": 2.0,
    "min_sentences": 2,
    "weak_sentence": 1.0,
    "scale": 4.0,
    "threshold": 0.5,
    "secondary_ratio": 0.3,
    "clause_discount": 0.3,
    "list_themes": 3,        # a sentence with evidence for this many themes lists work areas (0: off)
    "list_discount": 0.3,    # ...and each theme's evidence in it counts this much
}


def default_taxonomy_path() -> Path:
    return Path(str(resources.files("jianbao_nlp").joinpath("resources/themes/taxonomy.yaml")))


def default_userdict_path() -> Path:
    return Path(str(resources.files("jianbao_nlp").joinpath("resources/themes/userdict.txt")))


@dataclass
class Theme:
    id: str
    name: str = ""
    definition: str = ""
    terms: dict[str, float] = field(default_factory=dict)
    patterns: list[tuple[str, float]] = field(default_factory=list)
    negative: dict[str, float] = field(default_factory=dict)
    fallback: bool = False
    #: False: the theme is only given as the primary theme (a "none of the above" theme)
    secondary: bool = True
    #: themes whose evidence in the same sentence (or, from the title, the whole article) belongs
    #: to this theme (vehicle safety is official_vehicles, not safety_epidemic)
    absorbs: list[str] = field(default_factory=list)
    #: when given, the theme's evidence counts fully only if one of these words occurs somewhere
    #: in the article (e.g. generic vehicle words count for official cars only beside 公务用车/公车)
    anchors: list[str] = field(default_factory=list)
    #: the work area as a headline names it (节约型机关创建); a run-in item (一是…二是…) whose points
    #: add up to this theme is summed up as "{contributor}多措并举推进{topic}"
    topic: str = ""

    def __post_init__(self) -> None:
        self.compiled = [(re.compile(p), float(w)) for p, w in self.patterns]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "definition": self.definition,
                               "terms": dict(self.terms),
                               "patterns": [{"pattern": p, "weight": w} for p, w in self.patterns],
                               "negative": dict(self.negative)}
        if self.fallback:
            out["fallback"] = True
        if not self.secondary:
            out["secondary"] = False
        if self.absorbs:
            out["absorbs"] = list(self.absorbs)
        if self.anchors:
            out["anchors"] = list(self.anchors)
        if self.topic:
            out["topic"] = self.topic
        return out


class Taxonomy:
    """An ordered list of themes plus lexicon-scorer settings."""

    def __init__(self, themes: list[Theme], settings: dict[str, float] | None = None,
                 source: str | None = None):
        if not themes:
            raise InputError("taxonomy has no themes", source)
        ids = [t.id for t in themes]
        if len(set(ids)) != len(ids):
            raise InputError(f"taxonomy has duplicate theme ids ({', '.join(sorted({i for i in ids if ids.count(i) > 1}))})",
                             source)
        self.themes = themes
        self.settings = {**DEFAULT_SETTINGS, **(settings or {})}
        self.source = source

    # -- access ------------------------------------------------------------------------------
    @property
    def labels(self) -> list[str]:
        return [t.id for t in self.themes]

    @property
    def fallback(self) -> str:
        """The theme given when nothing fires: the one marked ``fallback`` (else the last)."""
        for t in self.themes:
            if t.fallback:
                return t.id
        return self.themes[-1].id

    def __getitem__(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def __contains__(self, theme_id: object) -> bool:
        return any(t.id == theme_id for t in self.themes)

    def __len__(self) -> int:
        return len(self.themes)

    def names(self) -> dict[str, str]:
        return {t.id: t.name or t.id for t in self.themes}

    def all_terms(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.themes:
            for term in t.terms:
                seen.setdefault(term, None)
        return list(seen)

    # -- (de)serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"settings": dict(self.settings), "themes": [t.to_dict() for t in self.themes]}

    def save(self, path: str | Path) -> None:
        import yaml

        Path(path).write_text(yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False),
                              encoding="utf-8")

    @classmethod
    def from_dict(cls, data: Any, source: str | None = None) -> "Taxonomy":
        if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
            raise InputError("not a taxonomy (expected a mapping with a 'themes' list)", source)
        themes = []
        for i, raw in enumerate(data["themes"]):
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"].strip():
                raise InputError(f"theme {i} has no string 'id'", source)
            try:
                terms = {str(k): float(v) for k, v in (raw.get("terms") or {}).items()}
                negative = {str(k): float(v) for k, v in (raw.get("negative") or {}).items()}
                patterns = []
                for p in raw.get("patterns") or []:
                    if isinstance(p, str):
                        patterns.append((p, 1.0))
                    else:
                        patterns.append((str(p["pattern"]), float(p.get("weight", 1.0))))
                theme = Theme(id=raw["id"].strip(), name=str(raw.get("name") or ""),
                              definition=str(raw.get("definition") or "").strip(), terms=terms,
                              patterns=patterns, negative=negative, fallback=bool(raw.get("fallback")),
                              secondary=bool(raw.get("secondary", True)),
                              absorbs=[str(x) for x in (raw.get("absorbs") or [])],
                              anchors=[str(x) for x in (raw.get("anchors") or [])],
                              topic=str(raw.get("topic") or "").strip())
            except (TypeError, ValueError, KeyError, AttributeError) as err:
                raise InputError(f"theme {raw.get('id')!r}: malformed lexicon ({err})", source) from None
            except re.error as err:
                raise InputError(f"theme {raw.get('id')!r}: bad regular expression ({err})", source) from None
            themes.append(theme)
        settings = data.get("settings") or {}
        if not isinstance(settings, dict):
            raise InputError("'settings' must be a mapping", source)
        try:
            settings = {str(k): float(v) for k, v in settings.items()}
        except (TypeError, ValueError) as err:
            raise InputError(f"'settings' must map names to numbers ({err})", source) from None
        ids = {t.id for t in themes}
        for t in themes:
            t.absorbs = [a for a in t.absorbs if a in ids and a != t.id]  # dropped themes are ignored
        return cls(themes, settings, source)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Taxonomy":
        """Read a taxonomy YAML/JSON file (``None``: the shipped default)."""
        import yaml

        p = Path(path) if path is not None else default_taxonomy_path()
        try:
            text = p.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError("no such taxonomy file", p) from None
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read taxonomy ({err})", p) from None
        try:
            data = json.loads(text) if p.suffix.lower() == ".json" else yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (json.JSONDecodeError, yaml.YAMLError) as err:
            raise InputError(f"malformed taxonomy file ({one_line(err)[:160]})", p) from None
        return cls.from_dict(data, str(p))

    @classmethod
    def coerce(cls, taxonomy: "Taxonomy | str | Path | dict | None") -> "Taxonomy":
        if isinstance(taxonomy, Taxonomy):
            return taxonomy
        if isinstance(taxonomy, dict):
            return cls.from_dict(taxonomy)
        return cls.load(taxonomy)

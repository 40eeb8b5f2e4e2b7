"""The one data model every component reads and annotates: ``Issue`` > ``Article`` > ``Entity``.

It mirrors the ``jianbao-issue/1`` JSON format and round-trips losslessly: unknown keys are kept
in ``extra``, the key order of a loaded file is remembered, and a field that was present (even as
``null`` or ``[]``) is written back while a field never set is left out.
"""

from __future__ import annotations

import copy
import json
import dataclasses
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Iterator

from .errors import InputError

FORMAT = "jianbao-issue/1"

_MISSING = object()


class _Record:
    """Shared machinery: remember which keys were set and in what order; keep unknown keys."""

    _json_fields: ClassVar[tuple[str, ...]] = ()
    _nested: ClassVar[dict[str, Any]] = {}

    def __post_init__(self) -> None:
        object.__setattr__(self, "_set", set())
        object.__setattr__(self, "_order", [])

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name in self._json_fields and hasattr(self, "_set"):
            self._set.add(name)

    # -- (de)serialisation -------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        if not isinstance(data, dict):
            raise TypeError(f"{cls.__name__} expects a JSON object, got {type(data).__name__}")
        known, extra = {}, {}
        for key, value in data.items():
            if key in cls._json_fields:
                known[key] = cls._load_value(key, value)
            else:
                extra[key] = copy.deepcopy(value)
        obj = cls(**known)
        obj.extra = extra
        obj._set.update(known)
        obj._order[:] = list(data)
        return obj

    @classmethod
    def _load_value(cls, key: str, value: Any) -> Any:
        sub = cls._nested.get(key)
        if sub is None or value is None:
            return copy.deepcopy(value)
        if isinstance(value, list):
            return [sub.from_dict(v) for v in value]
        return sub.from_dict(value)

    def _is_default(self, key: str) -> bool:
        value = getattr(self, key)
        return value is None or (isinstance(value, (list, dict)) and not value)

    def to_dict(self) -> dict[str, Any]:
        keys = [k for k in self._order]
        keys += [k for k in self._json_fields if k not in keys]
        keys += [k for k in self.extra if k not in keys]
        out: dict[str, Any] = {}
        for key in keys:
            if key in self._json_fields:
                if key not in self._set and self._is_default(key):
                    continue
                out[key] = _dump(getattr(self, key))
            elif key in self.extra:
                out[key] = copy.deepcopy(self.extra[key])
        return out

    def copy(self):
        return type(self).from_dict(self.to_dict())


_ATOMIC = (str, int, float, bool, type(None))


def _dump(value: Any) -> Any:
    if type(value) in _ATOMIC:  # deepcopy returns these as they are
        return value
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return copy.deepcopy(value)


@dataclass(eq=False)
class Entity(_Record):
    """A flat entity span: character offsets (end exclusive) into the article's ``title`` or ``body``."""

    field: str = "body"
    start: int = 0
    end: int = 0
    label: str = ""
    text: str = ""
    canonical: str | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    _json_fields = ("field", "start", "end", "label", "text", "canonical")

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set.update({"field", "start", "end", "label", "text"})

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.field, self.start, self.end, self.label)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entity) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Entity({self.label} {self.field}[{self.start}:{self.end}] {self.text!r})"


@dataclass(eq=False)
class Article(_Record):
    """One article (or run-in item) of an issue, with every annotation components add to it."""

    id: str | None = None
    section: str | None = None
    title: str | None = None
    contributor: str | None = None
    body: str = ""
    summary_line: str | None = None
    suggested_summary_lines: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    primary_theme: str | None = None
    theme_scores: dict[str, float] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    _json_fields = ("id", "section", "title", "contributor", "body", "summary_line",
                    "suggested_summary_lines", "themes", "primary_theme", "theme_scores", "entities")
    _nested = {"entities": Entity}

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set.update({"id", "body"})

    def text_of(self, field_name: str) -> str:
        """The string an entity's offsets index into (``title`` or ``body``)."""
        return (getattr(self, field_name, None) or "") if field_name in ("title", "body") else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Article) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, section={self.section!r}, title={self.title!r})"


@dataclass(eq=False)
class IssueMeta(_Record):
    """Cover and footer metadata of an issue; every field optional."""

    publication: str | None = None
    issuer: str | None = None
    year: int | None = None
    number: int | None = None
    total_number: int | None = None
    date: str | None = None
    print_date: str | None = None
    copies: int | None = None
    disclosure: str | None = None
    sections: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    _json_fields = ("publication", "issuer", "year", "number", "total_number", "date", "print_date",
                    "copies", "disclosure", "sections", "recipients", "cc")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IssueMeta) and self.to_dict() == other.to_dict()


@dataclass(eq=False)
class Issue(_Record):
    """A whole bulletin: metadata, sections (in ``meta.sections``) and articles in print order."""

    format: str = FORMAT
    id: str | None = None
    source: dict[str, Any] | None = None
    issue: IssueMeta = field(default_factory=IssueMeta)
    articles: list[Article] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    _json_fields = ("format", "id", "source", "issue", "articles")
    _nested = {"issue": IssueMeta, "articles": Article}

    def __post_init__(self) -> None:
        super().__post_init__()
        self._set.update({"format", "issue", "articles"})

    @property
    def meta(self) -> IssueMeta:
        return self.issue

    @property
    def warnings(self) -> list[str]:
        """Parse warnings (kept under the ``warnings`` key, an extension of the format)."""
        return self.extra.setdefault("warnings", [])

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Issue) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Issue(id={self.id!r}, articles={len(self.articles)})"

    # -- JSON I/O ---------------------------------------------------------------------------
    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str, path: object | None = None) -> "Issue":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"malformed JSON ({err.msg} at line {err.lineno} column {err.colno})", path) from None
        return cls.from_json_obj(data, path)

    @classmethod
    def from_json_obj(cls, data: Any, path: object | None = None) -> "Issue":
        if not isinstance(data, dict):
            raise InputError("not an issue JSON object (expected a JSON object at the top level)", path)
        fmt = data.get("format", FORMAT)
        if fmt != FORMAT:
            raise InputError(f"unsupported format {fmt!r} (expected {FORMAT!r})", path)
        if "articles" in data and not isinstance(data["articles"], list):
            raise InputError("'articles' must be a list", path)
        for i, art in enumerate(data.get("articles") or []):
            if not isinstance(art, dict):
                raise InputError(f"article {i} is not a JSON object", path)
            if not isinstance(art.get("body", ""), str) or not isinstance(art.get("title", ""), (str, type(None))):
                raise InputError(f"article {i} has a non-string title or body", path)
            odd = [k for k in ("section", "contributor", "summary_line") if not isinstance(art.get(k, ""), (str, type(None)))]
            if odd:
                raise InputError(f"article {i} has a non-string {' and '.join(odd)}", path)
            for ent in art.get("entities") or []:
                if not isinstance(ent, dict) or not isinstance(ent.get("start"), int) or not isinstance(ent.get("end"), int):
                    raise InputError(f"article {i} has a malformed entity", path)
        if "issue" in data and data["issue"] is not None and not isinstance(data["issue"], dict):
            raise InputError("'issue' must be a JSON object", path)
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError, AttributeError) as err:
            raise InputError(f"not a valid issue JSON ({err})", path) from None


def load_issue(path: str | Path) -> Issue:
    """Read an issue JSON file (``jianbao-issue/1``)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", p) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("issue JSON is not valid UTF-8", p) from None
    return Issue.from_json(text, p)


def field_names(cls: type) -> list[str]:
    """The JSON field names of a record class (for docs and tests)."""
    return [f.name for f in fields(cls) if f.name != "extra"]

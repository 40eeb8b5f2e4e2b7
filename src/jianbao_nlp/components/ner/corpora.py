"""Readers for public Chinese NER corpora into ``datasets.Dataset`` (columns: id, text, tags).

``tags`` are IOB2 tags over our labels ORG / PER / LOC (one per character); every corpus's own
labels are mapped following the annotation guidelines, other types become ``O``.

- BIO files (MSRA, People's Daily): ``char<space|tab>tag`` per line, blank line between sentences.
- BMES files (Resume): ``char tag`` with B-/M-/E-/S- prefixes.
- CLUENER2020 JSON lines: ``{"text", "label": {type: {name: [[start, end_inclusive], ...]}}}``.
- Weibo NER (CoNLL): ``char<tab>tag`` with ``.NAM`` / ``.NOM`` suffixes (only named mentions kept).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ...errors import InputError
from ...io_utils import iter_jsonl
from .spans import bio_to_spans, spans_to_tags

CLUENER_MAP = {"name": "PER", "address": "LOC", "government": "ORG", "organization": "ORG", "company": "ORG"}
WEIBO_MAP = {"PER.NAM": "PER", "LOC.NAM": "LOC", "GPE.NAM": "LOC", "ORG.NAM": "ORG"}
RESUME_MAP = {"NAME": "PER", "ORG": "ORG", "LOC": "LOC", "EDU": "ORG"}
BIO_MAP = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "NR": "PER", "NS": "LOC", "NT": "ORG"}


def _open(path: str | Path):
    p = Path(path)
    if not p.is_file():
        raise InputError("no such corpus file", p)
    return open(p, encoding="utf-8")


def _conll_sentences(path: str | Path) -> Iterator[tuple[list[str], list[str]]]:
    chars: list[str] = []
    tags: list[str] = []
    with _open(path) as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if chars:
                    yield chars, tags
                chars, tags = [], []
                continue
            parts = line.split()
            ch = line[0] if line[0] not in " \t" else " "
            tag = parts[-1] if len(parts) > 1 else "O"
            chars.append(ch)
            tags.append("O" if tag in ("0", "") else tag)
    if chars:
        yield chars, tags


def _map_tags(tags: list[str], mapping: dict[str, str]) -> list[str]:
    spans = []
    for s, e, lab in bio_to_spans(tags):
        if lab in mapping:
            spans.append((s, e, mapping[lab]))
    return spans_to_tags(len(tags), spans, scheme="BIO")


def read_bio(path: str | Path, mapping: dict[str, str] = BIO_MAP, prefix: str = "") -> list[dict]:
    """MSRA / People's Daily style IOB2 files (also reads BMES / BIOES prefixes)."""
    out = []
    for k, (chars, tags) in enumerate(_conll_sentences(path)):
        out.append({"id": f"{prefix}{k:06d}", "text": "".join(chars), "tags": _map_tags(tags, mapping)})
    return out


def read_bmes(path: str | Path, mapping: dict[str, str] = RESUME_MAP, prefix: str = "") -> list[dict]:
    """Resume-style BMES files."""
    return read_bio(path, mapping, prefix)


def read_weibo(path: str | Path, prefix: str = "") -> list[dict]:
    """Weibo NER (CoNLL): the character column carries a segmentation digit (``科0``); dropped here."""
    out = []
    for k, (chars, tags) in enumerate(_conll_sentences(path)):
        out.append({"id": f"{prefix}{k:06d}", "text": "".join(chars), "tags": _map_tags(tags, WEIBO_MAP)})
    return out


def read_cluener(path: str | Path, prefix: str = "") -> list[dict]:
    out = []
    with _open(path) as f:
        for k, d in iter_jsonl(f, path):
            text = d["text"]
            spans = []
            for typ, names in (d.get("label") or {}).items():
                if typ not in CLUENER_MAP:
                    continue
                for offsets in names.values():
                    for s, e in offsets:
                        spans.append((s, e + 1, CLUENER_MAP[typ]))
            out.append({"id": f"{prefix}{k:06d}", "text": text, "tags": spans_to_tags(len(text), spans, "BIO")})
    return out


READERS = {"bio": read_bio, "bmes": read_bmes, "weibo": read_weibo, "cluener": read_cluener}


def to_dataset(records: list[dict]):
    """Rows -> ``datasets.Dataset`` with columns id, text, tags."""
    from datasets import Dataset

    return Dataset.from_dict({
        "id": [r["id"] for r in records],
        "text": [r["text"] for r in records],
        "tags": [r["tags"] for r in records],
    })


def load_corpus(kind: str, path: str | Path, prefix: str = ""):
    """Read one corpus file of a known kind (bio, bmes, weibo, cluener) into a Dataset."""
    if kind not in READERS:
        raise InputError(f"unknown corpus kind {kind!r} (choose from {', '.join(READERS)})")
    return to_dataset(READERS[kind](path, prefix=prefix))


def guess_kind(path: str | Path) -> str:
    p = str(path).lower()
    if p.endswith(".json") or p.endswith(".jsonl"):
        return "cluener"
    if "weibo" in p:
        return "weibo"
    if p.endswith(".bmes"):
        return "bmes"
    return "bio"

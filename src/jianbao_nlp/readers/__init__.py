"""File readers: turn a bulletin file (.md .txt .docx .pdf .html) into Markdown-like text.

``read_document(path)`` is the single entry point used by the parser. Every reader emits the
same conventions as a bulletin typed in Markdown: ``#``/``##``/``###`` headings, ``**bold**``
runs, blank-line separated paragraphs, ``- `` list items, pipe tables and ``---`` rules. The
file type comes from the file's magic bytes first and its extension second, so a PDF saved as
``.docx`` is still read (with a warning). Every failure is an ``InputError`` naming the file.
"""

from __future__ import annotations

import hashlib

import os
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from ..errors import InputError

__all__ = ["ReadResult", "read_document", "read_bytes", "MAX_BYTES", "max_bytes"]

MAX_BYTES = 20 * 1024 * 1024
"""Default size limit; override with the environment variable ``JIANBAO_MAX_BYTES`` (bytes)."""

_MB = 1024 * 1024


@dataclass
class ReadResult:
    """Markdown-like text of one file, the kind it was read as, its text encoding and warnings."""

    text: str
    kind: str
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    sha256: str | None = None  # of the bytes read, so callers need not read the file twice


def max_bytes() -> int:
    """The size limit in force: ``JIANBAO_MAX_BYTES`` when set to a positive integer, else ``MAX_BYTES``."""
    raw = os.environ.get("JIANBAO_MAX_BYTES", "").strip()
    try:
        value = int(float(raw)) if raw else 0
    except ValueError:
        value = 0
    return value if value > 0 else MAX_BYTES


def _fmt_size(n: int, spec: str = ".1f") -> str:
    """1.5 MB / 300.0 KB / 12 bytes (``spec`` ``g`` for round limits: 20 MB)."""
    if n >= _MB:
        return f"{n / _MB:{spec}} MB"
    if n >= 1024:
        return f"{n / 1024:{spec}} KB"
    return f"{n} bytes"


def _check_size(size: int, where: object) -> None:
    limit = max_bytes()
    if size > limit:
        raise InputError(f"file too large ({_fmt_size(size)}; limit {_fmt_size(limit, 'g')})", where)


def sniff(data: bytes) -> str | None:
    """The real type from magic bytes: pdf, docx, zip, odt, ole, rtf, mhtml, html, binary or None (text?)."""
    head = data[:1024]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
            return "docx?"  # a damaged ZIP: most likely a truncated .docx
        if "word/document.xml" in names:
            return "docx"
        return "odt" if "content.xml" in names and "mimetype" in names else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    for magic in (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"\x1f\x8b\x08", b"Rar!\x1a", b"7z\xbc\xaf",
                  b"\x7fELF", b"II*\x00", b"MM\x00*"):
        if head.startswith(magic):
            return "binary"
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith(b"{\\rtf"):
        return "rtf"
    if low.startswith((b"mime-version:", b"from:", b"content-type: multipart/related")) or (
        b"mime-version:" in low[:512] and b"multipart/related" in low
    ):
        return "mhtml"
    if low.startswith((b"<!doctype html", b"<html", b"<?xml version")) and b"<html" in data[:4096].lower():
        return "html"
    return None


def _kind_from_ext(ext: str) -> str:
    ext = ext.lower()
    if ext in (".docx", ".docm", ".dotx"):
        return "docx"
    if ext == ".pdf":
        return "pdf"
    if ext in (".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml"):
        return "html"
    if ext in (".md", ".markdown"):
        return "md"
    return "txt"


def read_document(path: str | Path) -> ReadResult:
    """Read a bulletin file into Markdown-like text; see the module docstring."""
    p = Path(path)
    try:
        if not p.exists():
            raise InputError("no such file", p)
        if p.is_dir():
            raise InputError("is a directory, not a file", p)
        _check_size(p.stat().st_size, p)  # before reading: a huge file is never loaded
        data = p.read_bytes()
    except InputError:
        raise
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror or err})", p) from None
    return read_bytes(data, p.name, path=p)


def read_bytes(data: bytes, filename: str = "", path: object | None = None) -> ReadResult:
    """Read a bulletin given as bytes (e.g. an upload); ``filename`` supplies the extension."""
    where = path if path is not None else (filename or None)
    _check_size(len(data), where)
    if not data.strip():
        raise InputError("empty file", where)
    ext = Path(filename).suffix.lower()
    by_ext = _kind_from_ext(ext)
    real = sniff(data)
    warnings: list[str] = []
    try:
        result = _dispatch(data, ext, by_ext, real, warnings, where)
        if not result.text.strip():
            raise InputError("empty file (no text)", where)
        result.sha256 = hashlib.sha256(data).hexdigest()
        return result
    except InputError:
        raise
    except (MemoryError, RecursionError) as err:
        raise InputError(f"cannot read file ({type(err).__name__})", where) from None
    except Exception as err:  # noqa: BLE001 - library failures surface as one-line InputErrors
        msg = str(err).splitlines()[0][:200] if str(err) else ""
        raise InputError(f"cannot read {by_ext} file ({type(err).__name__}: {msg})", where) from None


def _dispatch(data: bytes, ext: str, by_ext: str, real: str | None, warnings: list[str], where) -> ReadResult:
    def mismatch(actual: str) -> None:
        warnings.append(f"file named {ext or '(no extension)'} is really {actual}; read as {actual}")

    if real == "ole":
        raise InputError("legacy Word/Office 97-2003 file is not supported; save it as .docx", where)
    if real == "binary":
        raise InputError("binary or unknown encoding (an image or archive, not a bulletin)", where)
    if real == "zip":
        raise InputError("a ZIP archive that is not a Word .docx document", where)
    if real == "odt":
        raise InputError("OpenDocument text (.odt) is not supported; save it as .docx", where)
    if real == "rtf":
        raise InputError("RTF is not supported; save it as .docx", where)
    if real == "mhtml":
        if by_ext != "html":
            mismatch("html")
        from .html import read_mhtml

        text, enc = read_mhtml(data, where, warnings)
        return ReadResult(text, "html", enc, warnings)
    if real == "pdf":
        if by_ext != "pdf":
            mismatch("pdf")
        from .pdf import read_pdf

        return ReadResult(read_pdf(data, where, warnings), "pdf", None, warnings)
    if real in ("docx", "docx?"):
        if by_ext != "docx":
            mismatch("docx")
        if real == "docx?":
            raise InputError("truncated or damaged .docx (bad zip file)", where)
        from .docx import read_docx

        return ReadResult(read_docx(data, where, warnings), "docx", None, warnings)
    if by_ext in ("docx", "pdf"):
        from .text import read_text

        try:
            text, enc = read_text(data, where, warnings)
        except InputError:
            sig = "%PDF" if by_ext == "pdf" else "ZIP"
            raise InputError(f"not a .{by_ext} file (no {sig} signature) and not text either", where) from None
        if real == "html" or text.lstrip().lower().startswith(("<!doctype html", "<html")):
            mismatch("html")
            real = by_ext = "html"
        else:
            mismatch("plain text")
            return ReadResult(text, "txt", enc, warnings)
    if by_ext == "html" or real == "html":
        if by_ext != "html":
            mismatch("html")
        from .html import read_html

        text, enc = read_html(data, where, warnings)
        return ReadResult(text, "html", enc, warnings)
    from .text import read_text

    text, enc = read_text(data, where, warnings)
    if not text.strip():
        raise InputError("empty file", where)
    return ReadResult(text, by_ext, enc, warnings)

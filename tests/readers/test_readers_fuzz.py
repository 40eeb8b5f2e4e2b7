"""Fuzz: any bytes under any extension give a ReadResult or an InputError, never another exception."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao_nlp.errors import InputError
from jianbao_nlp.readers import ReadResult, read_document

EXTS = [".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".dat", ""]
PREFIXES = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<!DOCTYPE html><html><body>", b"\xef\xbb\xbf", b"\xff\xfe",
            "简报".encode("gb18030"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


def _check(tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / f"fuzz{name}"
    path.write_bytes(data)
    try:
        result = read_document(path)
    except InputError as err:
        assert "\n" not in str(err) and str(path) in str(err)
        return
    assert isinstance(result, ReadResult)
    assert isinstance(result.text, str) and result.text.strip()
    assert result.kind in {"md", "txt", "docx", "pdf", "html"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ext=st.sampled_from(EXTS), prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=600))
def test_random_bytes(tmp_path, ext, prefix, body):
    _check(tmp_path, ext, prefix + body)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ext=st.sampled_from(EXTS), text=st.text(max_size=300), enc=st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_random_text(tmp_path, ext, text, enc):
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    _check(tmp_path, ext, data)


def _small_docx() -> bytes:
    d = docx.Document()
    d.add_heading("标题", 1)
    d.add_paragraph("正文一段。").add_run("加粗").bold = True
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _small_pdf() -> bytes:
    pytest.importorskip("reportlab")
    from jianbao_nlp.readers.render import render_pdf

    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return render_pdf("# 标题\n\n正文一段，内容简短。\n", Path(tmp) / "s.pdf").read_bytes()


_DOCX = _small_docx()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_docx(tmp_path, data):
    raw = bytearray(_DOCX)
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(raw) // 2, len(raw)))
    _check(tmp_path, ".docx", bytes(raw[:cut]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_pdf(tmp_path, data):
    pdf = _small_pdf_cached()
    raw = bytearray(pdf)
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    _check(tmp_path, ".pdf", bytes(raw))


def test_docx_with_garbage_document_xml(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<<not xml")
    path = tmp_path / "bad.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="docx"):
        read_document(path)


_PDF_CACHE: list[bytes] = []


def _small_pdf_cached() -> bytes:
    if not _PDF_CACHE:
        _PDF_CACHE.append(_small_pdf())
    return _PDF_CACHE[0]

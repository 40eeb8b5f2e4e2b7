"""Plain-text reading: encodings are detected (not assumed), newlines normalised, garbage rejected."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from jianbao_nlp.errors import InputError
from jianbao_nlp.readers import MAX_BYTES, ReadResult, read_bytes, read_document
from jianbao_nlp.readers.text import decode_bytes

SAMPLE = (Path(__file__).parents[1] / "fixtures" / "readers" / "bulletin.md").read_text(encoding="utf-8")

# (how the file is written, the encoding we expect to be reported)
CASES = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),
    ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
    ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"),
    ("utf-16-be+bom", "utf-16-be"),
]


def _encode(text: str, how: str) -> bytes:
    if how == "utf-16-be+bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(how)


@pytest.mark.parametrize("how,expected", CASES)
@pytest.mark.parametrize("ext", [".txt", ".md"])
def test_encoding_round_trip(tmp_path, how, expected, ext):
    path = tmp_path / f"bulletin{ext}"
    path.write_bytes(_encode(SAMPLE, how))
    result = read_document(path)
    assert isinstance(result, ReadResult)
    assert result.text == SAMPLE
    assert result.encoding == expected
    assert result.kind == ext[1:]
    assert result.warnings == []


@pytest.mark.parametrize("how", ["utf-8", "gb18030", "utf-16-le"])
def test_crlf_and_cr_newlines_become_lf(tmp_path, how):
    path = tmp_path / "b.txt"
    path.write_bytes(_encode(SAMPLE.replace("\n", "\r\n"), how))
    assert read_document(path).text == SAMPLE
    path.write_bytes(_encode(SAMPLE.replace("\n", "\r"), how))
    assert read_document(path).text == SAMPLE


def test_unknown_text_extension_is_read_as_text(tmp_path):
    path = tmp_path / "bulletin.log"
    path.write_bytes(SAMPLE.encode("gb18030"))
    result = read_document(path)
    assert result.text == SAMPLE and result.kind == "txt" and result.encoding == "gb18030"


def test_utf16_without_bom_or_ascii_is_detected():
    text = "机关事务管理局推进节约型机关建设" * 4
    assert decode_bytes(text.encode("utf-16-be")) == (text, "utf-16-be")


def test_big5_falls_back_to_statistical_detection():
    text = "機關事務管理局召開公共機構節能工作會議，部署年度重點任務。" * 3
    decoded, enc = decode_bytes(text.encode("big5"))
    assert decoded == text
    assert enc and enc.lower().replace("_", "") in {"big5", "big5hkscs", "cp950"}


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,
        b"\x00\x01\x02\x03\xfe\xff" * 200,
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"\x1f\x8b\x08\x00" + bytes(range(256)),
    ],
    ids=["all-bytes", "control", "png", "gzip"],
)
def test_binary_garbage_is_an_input_error(tmp_path, data):
    path = tmp_path / "garbage.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match="binary or unknown encoding"):
        read_document(path)


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t ", codecs.BOM_UTF8])
def test_empty_file(tmp_path, data):
    path = tmp_path / "empty.md"
    path.write_bytes(data)
    with pytest.raises(InputError, match="empty file") as err:
        read_document(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)


def test_size_limit_default_message(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:  # a sparse file: nothing is read before the size check
        f.truncate(50 * 1024 * 1024)
    assert MAX_BYTES == 20 * 1024 * 1024
    with pytest.raises(InputError) as err:
        read_document(path)
    assert "file too large (50.0 MB; limit 20 MB)" in str(err.value)


def test_size_limit_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "b.md"
    path.write_bytes(SAMPLE.encode("utf-8"))
    monkeypatch.setenv("JIANBAO_MAX_BYTES", str(len(SAMPLE.encode("utf-8")) - 1))
    with pytest.raises(InputError, match="file too large"):
        read_document(path)
    with pytest.raises(InputError, match="file too large"):
        read_bytes(SAMPLE.encode("utf-8"), "b.md")
    monkeypatch.setenv("JIANBAO_MAX_BYTES", str(10 * len(SAMPLE.encode("utf-8"))))
    assert read_document(path).text == SAMPLE


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("<!DOCTYPE html><html><body><h1>标题甲</h1><p>正文一段。</p></body></html>", encoding="utf-8")
    result = read_document(path)
    assert result.kind == "html"
    assert result.text == "# 标题甲\n\n正文一段。\n"
    assert any("html" in w for w in result.warnings)


def test_utf8_cut_inside_the_last_character_is_still_utf8(tmp_path):
    data = SAMPLE.encode("utf-8") + "报".encode("utf-8")[:2]
    path = tmp_path / "cut.md"
    path.write_bytes(data)
    result = read_document(path)
    assert result.encoding == "utf-8"
    assert result.text == SAMPLE + "\ufffd"
    assert result.warnings and "invalid UTF-8" in result.warnings[0]


def test_gbk_is_not_mistaken_for_damaged_utf8(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("ABC 报告 2025".encode("gbk"))
    assert read_document(path).encoding == "gb18030"


def test_form_feed_pages_lose_running_headers_and_page_numbers(tmp_path):
    pages = [
        "示范市机关事务简报\n\n第一段正文，介绍节能工作。\n第二段正文开头，跨页",
        "示范市机关事务简报\n继续第二段正文。\n\n第三段正文。",
        "示范市机关事务简报\n第四段正文，说明下一步安排。",
    ]
    text = "\f".join(f"{p}\n\n- {i + 1} -\n" for i, p in enumerate(pages))
    path = tmp_path / "pdftotext.txt"
    path.write_text(text, encoding="utf-8")
    result = read_document(path)
    assert "- 1 -" not in result.text and "- 3 -" not in result.text
    assert result.text.startswith("示范市机关事务简报\n")  # page one keeps it: it may be the masthead
    assert result.text.count("示范市机关事务简报") == 1
    assert "跨页\n继续第二段正文。" in result.text
    assert result.warnings


def test_stray_control_characters_dropped(tmp_path):
    path = tmp_path / "dos.txt"
    path.write_bytes(SAMPLE.encode("gb18030") + b"\x1a")
    assert read_document(path).text == SAMPLE


def test_big5_without_punctuation_is_not_read_as_gb18030():
    text = "機關事務管理局召開公共機構節能工作會議部署年度重點任務\n"
    assert decode_bytes(text.encode("big5")) == (text, "big5")
    simplified = "机关事务管理局召开公共机构节能工作会议部署年度重点任务\n"
    assert decode_bytes(simplified.encode("gbk")) == (simplified, "gb18030")

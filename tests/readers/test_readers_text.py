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


def test_fixed_width_text_is_unwrapped_and_other_text_is_not():
    from jianbao_nlp.readers.text import unwrap_hard_lines

    para = "    机关事务管理局召开节能工作会议部署全年任务要求各单位"
    wrapped = "\n".join([
        "  市局召开节能工作会议",
        "    3月2日，市机关事务管理局召开全市公共机构节能工作会议，总结去年",
        "工作成效，部署今年重点任务，要求各单位持续推进绿色办公和节约型机",
        "关创建工作，确保完成年度目标。",
        "",
        "    会议还通报了去年各单位能耗统计情况，对先进单位进行了通报表扬，",
        "并对存在问题的单位提出了限期整改要求，督促各单位抓好问题整改落实",
        "工作。",
        "",
        "  区中心完成办公区节水改造",
        "    日前，区机关事务服务中心完成区级行政中心节水改造，更换节水器具",
        "八百余套，安装远传水表三十六块，改造后办公区月均用水量下降百分之",
        "十八，年节约水费约十二万元。",
        "",
        "    下一步，区机关事务服务中心将继续推进公共机构节水型单位建设，力争",
        "年内全部区级机关建成节水型单位，并将经验做法在全区推广应用。",
    ])
    out = unwrap_hard_lines(wrapped)
    assert "总结去年工作成效" in out and "节约型机关创建工作" in out and "整改落实工作。" in out
    assert "\n  市局召开节能工作会议\n" in "\n" + out + "\n"   # the indented title stays its own line
    # one line per paragraph, of any length: not laid out at a fixed width
    plain = "\n".join(["短标题", ""] + [para * (1 + i % 4) + "。" for i in range(14)])
    assert unwrap_hard_lines(plain) == plain


def test_converter_markup_is_undone():
    from jianbao_nlp.text import clean_converter_markup as clean

    assert clean("![](_page_0_Picture_1.jpeg)\n<!-- image -->\n正文") == "\n\n正文"
    assert clean("合格率 $100 \\%$ ，室温不低于 $1 8 ^ { \\circ } \\mathrm { C }$ 。$^ { 1 }$") == "合格率 100% ，室温不低于 18°C 。"
    assert clean("鄂机管发\\[2024\\]12号\\") == "鄂机管发[2024]12号"
    assert clean("[工作动态]{.underline}") == "工作动态"
    assert clean('<span style="color:red">**简报**</span>&nbsp;第1期') == "**简报** 第1期"
    assert clean("## 召开全市系统<br>推进会") == "## 召开全市系统推进会"
    assert clean("报：甲。<br>送：乙") == "报：甲。\n送：乙"
    assert clean("<table><tr><td>单位</td><td>面积</td></tr></table>") == "| 单位 | 面积 |\n"
    assert clean("**粗体**与*斜体*") == "**粗体**与斜体"
    assert clean("普通文本，没有标记。") == "普通文本，没有标记。"

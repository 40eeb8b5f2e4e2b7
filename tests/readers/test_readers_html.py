"""HTML reading: site chrome dropped, main content found, structure mapped to Markdown, charset honoured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jianbao_nlp.errors import InputError
from jianbao_nlp.readers import read_document
from jianbao_nlp.readers.render import render_html

SAMPLE = (Path(__file__).parents[1] / "fixtures" / "readers" / "bulletin.md").read_text(encoding="utf-8")


def _squash_spaces(text: str) -> str:
    return re.sub(r"[ \u3000]+", " ", text)


@pytest.mark.parametrize("encoding", ["utf-8", "gb2312", "gb18030"])
def test_rendered_page_round_trip(tmp_path, encoding):
    path = render_html(SAMPLE, tmp_path / "page.html", encoding=encoding)
    result = read_document(path)
    assert result.kind == "html"
    assert result.encoding in {"utf-8", "gb18030"}
    assert result.text == _squash_spaces(SAMPLE)
    for chrome in ("首页", "版权所有", "相关链接", "siteStats"):
        assert chrome not in result.text


GOV_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>东湖区推进公务用车改革_示范市机关事务管理局</title></head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/about">机构概况</a> | <a href="/news">工作动态</a></div>
<div class="main">
  <div class="title"><h1>东湖区推进公务用车改革</h1><div class="info">发布时间：2025-04-02 来源：东湖区</div></div>
  <div id="zoom">
    <p>&nbsp;&nbsp;&nbsp;&nbsp;近日，东湖区召开公务用车
    管理工作会议，部署平台建设任务。</p>
    <p><strong>一是统一平台调度。</strong>全区公务用车纳入平台统一管理。</p>
    <p>二是<b>规范</b><b>审批</b>流程。<br>三是强化监督检查。</p>
    <ul><li>车辆编制核定</li><li>维修定点管理</li></ul>
    <table><tr><th>指标</th><th>数量</th></tr><tr><td>平台车辆</td><td>126 辆</td></tr></table>
    <table><tr><td><p>布局表格里的一段正文。</p></td></tr></table>
  </div>
</div>
<div class="footer">主办单位：示范市机关事务管理局</div>
<script>alert("x")</script>
</body></html>"""

GOV_EXPECTED = """# 东湖区推进公务用车改革

近日，东湖区召开公务用车管理工作会议，部署平台建设任务。

**一是统一平台调度。**全区公务用车纳入平台统一管理。

二是**规范审批**流程。

三是强化监督检查。

- 车辆编制核定
- 维修定点管理

| 指标 | 数量 |
| --- | --- |
| 平台车辆 | 126 辆 |

布局表格里的一段正文。
"""


def test_gov_style_page_title_outside_content_and_gbk(tmp_path):
    path = tmp_path / "article.htm"
    path.write_bytes(GOV_PAGE.encode("gb18030"))
    result = read_document(path)
    assert result.encoding == "gb18030"
    assert result.text == GOV_EXPECTED


def test_page_without_charset_is_detected(tmp_path):
    path = tmp_path / "nometa.html"
    page = GOV_PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "")
    path.write_bytes(page.encode("gb18030"))
    assert read_document(path).text == GOV_EXPECTED


def test_wrong_meta_charset_falls_back_to_detection(tmp_path):
    path = tmp_path / "lying.html"
    path.write_bytes(GOV_PAGE.encode("utf-8"))  # says gb2312, is UTF-8
    assert read_document(path).text == GOV_EXPECTED


def test_html_without_text(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><body><script>var a=1;</script><nav>首页</nav></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="no text content"):
        read_document(path)


def test_title_from_title_div_or_page_title(tmp_path):
    body = '<div id="zoom"><p>第一段正文，内容足够长，说明具体工作安排。</p><p>第二段正文，继续说明。</p></div>'
    page = f'<html><head><title>公务用车平台上线_示范市</title></head><body><div class="nav"><a href="/">首页</a></div>'
    path = tmp_path / "a.html"
    path.write_text(page + '<div class="article-title">公务用车平台正式上线</div>' + body + "</body></html>", encoding="utf-8")
    assert read_document(path).text.splitlines()[0] == "# 公务用车平台正式上线"
    path.write_text(page + body + "</body></html>", encoding="utf-8")
    assert read_document(path).text.splitlines()[0] == "# 公务用车平台上线"


def test_mhtml_web_archive(tmp_path):
    import quopri

    html = GOV_PAGE.encode("gb18030")
    body = quopri.encodestring(html).decode("ascii")
    archive = (
        "From: <Saved by Windows Internet Explorer>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----=_NextPart_000"\r\n\r\n'
        "------=_NextPart_000\r\nContent-Type: text/html; charset=\"gb2312\"\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body + "\r\n------=_NextPart_000--\r\n"
    )
    path = tmp_path / "saved.mht"
    path.write_bytes(archive.encode("ascii"))
    result = read_document(path)
    assert result.kind == "html" and result.text == GOV_EXPECTED


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("a.rtf", rb"{\rtf1\ansi {\fonttbl\f0 Song;} text}", "RTF is not supported"),
        ("a.txt", rb"{\rtf1\ansi text}", "RTF is not supported"),
    ],
)
def test_rtf_is_refused_clearly(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_document(path)


def test_odt_is_refused_clearly(tmp_path):
    import zipfile

    path = tmp_path / "a.odt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(InputError, match="OpenDocument"):
        read_document(path)


def test_content_found_without_known_selectors(tmp_path):
    links = "".join(f'<li><a href="/n{i}">其他新闻标题第{i}条</a></li>' for i in range(12))
    page = (
        "<html><body><div class='wrap'>"
        f"<div class='left'><h3>热点新闻</h3><ul>{links}</ul></div>"
        "<div class='right'><h2 class='tt'>区局开展节能宣传周活动</h2><div class='con'>"
        "<p>　　六月中旬，区机关事务管理局组织开展节能宣传周活动，发放宣传资料两千余份。</p>"
        "<p>　　活动期间，各单位开展绿色出行和节约用电主题实践，营造浓厚氛围。</p>"
        "</div></div></div></body></html>"
    )
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    assert read_document(path).text == (
        "# 区局开展节能宣传周活动\n\n"
        "六月中旬，区机关事务管理局组织开展节能宣传周活动，发放宣传资料两千余份。\n\n"
        "活动期间，各单位开展绿色出行和节约用电主题实践，营造浓厚氛围。\n"
    )


def test_aspnet_form_wrapper_and_article_header(tmp_path):
    page = (
        "<html><body><form id='form1'><header>站点页眉</header><article><header><h1>市局召开安全生产会议</h1>"
        "</header><p>会议部署了汛期安全生产工作。</p></article><footer>版权所有</footer></form></body></html>"
    )
    path = tmp_path / "f.html"
    path.write_text(page, encoding="utf-8")
    assert read_document(path).text == "# 市局召开安全生产会议\n\n会议部署了汛期安全生产工作。\n"

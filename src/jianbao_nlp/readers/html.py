"""HTML reader (beautifulsoup4, 'html.parser'): a saved page holding one bulletin or one article.

Site chrome (script, style, nav, header, footer, aside, forms) is dropped, the main content is
found (``article``/``main``/common content ids and classes, else the block holding most of the
non-link text) and converted: h1–h6 → ``#`` levels, b/strong → ``**``, p/div/br → paragraphs,
li → ``- ``, data tables → pipe tables, hr → ``---``.
"""

from __future__ import annotations

import re

from ._md import inline_md, join_blocks, pipe_table
from .text import decode_bytes, looks_like_text, normalise_newlines

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-.:]+)""", re.I)
_DROP = ["script", "style", "noscript", "nav", "header", "footer", "aside", "iframe", "svg",
         "template", "button", "select", "input", "textarea", "object", "embed", "head", "title", "meta", "link"]
_CHROME = re.compile(
    r"^(?:nav|navbar|navigation|menu|breadcrumb|crumbs?|sidebar|side|share|bdshare|comments?|copyright|"
    r"footer|header|topbar|top-bar|site-header|site-footer|pagination|pager|related|toolbar)$",
    re.I,
)
_CONTENT_SELECTORS = [
    "article", "main", "[role=main]", "#content", "#article", "#zoom", ".TRS_Editor", ".article",
    ".article-content", ".content", "#main",
]
_BLOCK = {"p", "div", "section", "article", "main", "blockquote", "center", "dl", "dt", "dd", "figure",
          "figcaption", "address", "pre", "ul", "ol", "body", "html", "td", "th", "tr", "tbody", "thead"}
_CONTAINERS = {"div", "section", "article", "main", "td", "table", "tbody", "tr", "center", "form", "span"}
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_NL = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v]*\n\s*(?=[{_CJK}])")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def decode_html(data: bytes, path: object | None = None, warnings: list[str] | None = None) -> tuple[str, str]:
    """Decode a saved page: BOM first, then its ``<meta charset>``, then detection."""
    if data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return decode_bytes(data, path, warnings)
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        enc = _ALIASES.get(declared, declared)
        try:
            text = data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            text = None
        if text is not None and looks_like_text(text):
            return normalise_newlines(text), enc
    return decode_bytes(data, path, warnings)


def _is_chrome(tag) -> bool:
    attrs = getattr(tag, "attrs", None) or {}
    for value in [attrs.get("id", "")] + list(attrs.get("class", []) or []):
        if isinstance(value, str) and _CHROME.match(value.strip()):
            return True
    style = attrs.get("style", "")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


def _text_len(tag) -> int:
    return len(_WS.sub("", tag.get_text()))


def _link_len(tag) -> int:
    return sum(len(_WS.sub("", a.get_text())) for a in tag.find_all("a"))


def _main_content(soup):
    """The element holding the article: a known container, else descend into the dominant child."""
    body = soup.body or soup
    total = _text_len(body)
    for sel in _CONTENT_SELECTORS:
        found = [el for el in body.select(sel) if _text_len(el) >= 0.3 * max(total, 1)]
        if found:
            return max(found, key=_text_len)
    node = body
    while True:
        children = [c for c in node.find_all(recursive=False) if c.name in _CONTAINERS]
        if not children:
            return node
        scored = [(max(0, _text_len(c) - _link_len(c)), c) for c in children]
        total = sum(sc for sc, _ in scored)
        best_score, best = max(scored, key=lambda t: t[0])
        # descend while one container child holds nearly all of the non-link text
        if total and best_score >= 0.8 * total and best_score >= 0.8 * max(0, _text_len(node) - _link_len(node)):
            node = best
        else:
            return node


class _Emitter:
    """Walks the content tree and collects Markdown blocks."""

    def __init__(self):
        self.blocks: list[str] = []
        self.segments: list[tuple[str, bool]] = []

    def flush(self, prefix: str = "") -> None:
        md = inline_md(self.segments)
        md = _WS.sub(" ", md).strip()
        if md:
            self.blocks.append(prefix + md)
        self.segments = []

    def text(self, s: str, bold: bool) -> None:
        s = _CJK_NL.sub("", s)
        if s:
            self.segments.append((s, bold))

    def walk(self, node, bold: bool = False) -> None:
        from bs4 import Comment, NavigableString, Tag

        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.text(str(child), bold)
                continue
            if not isinstance(child, Tag) or _is_chrome(child):
                continue
            name = child.name.lower()
            if name in _DROP and name not in ("header", "footer"):
                continue
            if re.fullmatch(r"h[1-6]", name):
                self.flush()
                text = _WS.sub(" ", _CJK_NL.sub("", child.get_text())).strip()
                if text:
                    self.blocks.append("#" * min(3, int(name[1])) + " " + text)
            elif name == "br":
                self.flush()
            elif name == "hr":
                self.flush()
                self.blocks.append("---")
            elif name == "li":
                self.flush()
                sub = _Emitter()
                sub.walk(child, bold)
                sub.flush()
                for i, b in enumerate(sub.blocks):
                    if b.startswith("- ") or b.startswith("#") or b.startswith("|"):
                        self.blocks.append(b)
                    else:
                        self.blocks.append(("- " if i == 0 else "") + b)
            elif name == "table":
                self.flush()
                self.table(child, bold)
            elif name in ("b", "strong") or (
                isinstance(child.get("style"), str) and _BOLD_STYLE.search(child.get("style"))
            ):
                self.walk(child, True)
            elif name in _BLOCK or name in ("ul", "ol", "table"):
                self.flush()
                self.walk(child, bold)
                self.flush()
            else:
                self.walk(child, bold)

    def table(self, table, bold: bool) -> None:
        rows = []
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue
            rows.append([c for c in tr.find_all(["td", "th"], recursive=False)])
        width = max((len(r) for r in rows), default=0)
        layout = width <= 1 or table.find("table") is not None or any(
            c.find(["p", "div", "br", "h1", "h2", "h3", "ul"]) for r in rows for c in r
        )
        if layout:  # a layout table: read its cells as ordinary content
            self.walk(table, bold)
            self.flush()
            return
        text_rows = [[_WS.sub(" ", _CJK_NL.sub("", c.get_text())).strip() for c in r] for r in rows]
        md = pipe_table(text_rows)
        if md:
            self.blocks.append(md)


_TITLE_ATTR = re.compile(r"title|biaoti|bt\b|headline", re.I)


def _title_before(main) -> str:
    """The article title printed just before the content block: a heading, or an element whose
    class/id says it is the title (gov sites often use ``<div class="title">``)."""
    for head in main.find_all_previous(re.compile(r"^h[1-3]$"), limit=10):
        text = _WS.sub(" ", head.get_text()).strip()
        box = head.parent
        linky = box is not None and _link_len(box) > 0.5 * max(1, _text_len(box))
        if 2 <= len(text) <= 120 and not linky and not head.find("a"):
            return text
    for el in main.find_all_previous(True, limit=200):
        attrs = " ".join([el.get("id") or ""] + list(el.get("class") or []))
        if attrs and _TITLE_ATTR.search(attrs):
            text = _WS.sub(" ", el.get_text()).strip()
            if 4 <= len(text) <= 120 and not el.find("a"):
                return text
    return ""


def _page_title(title: str) -> str:
    """``<title>`` without the site name that CMSs append (``文章_网站名``, ``文章 - 网站名``)."""
    part = re.split(r"\s*(?:_|\|| [-–—] |——)\s*", title.strip())[0].strip() if title else ""
    return part if len(part) >= 4 else ""


def html_to_markdown(text: str) -> str:
    """Markdown-like text of the main content of an HTML page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    page_title = soup.title.get_text(strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP):
        if tag.name in ("header", "footer") and tag.find_parent(["article", "main"]) is not None:
            continue  # an article's own header holds its title; keep it
        tag.decompose()
    for tag in soup.find_all(_is_chrome):
        tag.decompose()
    main = _main_content(soup)
    emitter = _Emitter()
    # a gov page often prints the title outside the body container: keep the nearest heading before it
    if not main.find(re.compile(r"^h[1-3]$")) and main is not (soup.body or soup):
        title = _title_before(main) or _page_title(page_title)
        if title:
            emitter.blocks.append("# " + title)
    emitter.walk(main)
    emitter.flush()
    return join_blocks(emitter.blocks)


def read_html(data: bytes, path: object | None = None, warnings: list[str] | None = None) -> tuple[str, str]:
    """(Markdown-like text, encoding) of a saved HTML page."""
    from ..errors import InputError

    text, enc = decode_html(data, path, warnings)
    md = html_to_markdown(text)
    if not md.strip():
        raise InputError("no text content in HTML page", path)
    return md, enc


def read_mhtml(data: bytes, path: object | None = None, warnings: list[str] | None = None) -> tuple[str, str]:
    """(Markdown-like text, encoding) of a page saved as a single-file web archive (.mht/.mhtml)."""
    import email
    from email import policy

    from ..errors import InputError

    msg = email.message_from_bytes(data, policy=policy.compat32)
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True) or b""
        charset = (part.get_content_charset() or "").lower()
        charset = _ALIASES.get(charset, charset)
        text = None
        if charset:
            try:
                text = payload.decode(charset)
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None or not looks_like_text(text):
            text, charset = decode_html(payload, path, warnings)
        md = html_to_markdown(normalise_newlines(text))
        if md.strip():
            return md, charset
    raise InputError("no HTML part with text in web archive (.mht)", path)

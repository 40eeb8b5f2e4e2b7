"""Canonical names: the alias table plus context from the issue metadata and the article.

- 国管局 -> 国家机关事务管理局 (alias table, ``resources/ner/aliases.tsv``)
- 省机关事务管理局 / 省委 / 省政府 in a bulletin whose issuer or publication names a province
  -> 四川省机关事务管理局 / 四川省委 / 四川省政府
- 市委 / 市政府 / 市X局 in an item contributed by 自贡局 (or issued by a city) -> 自贡市委 ...
- X局 (a city short form) -> X市机关事务管理局 (city resolved through the gazetteer)
- places -> the full official division name when unambiguous (凉山州 -> 凉山彝族自治州, 川 -> 四川省)
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Article, Issue
from .gazetteer import Gazetteer, load_gazetteer

BUREAU = "机关事务管理局"


@dataclass
class Context:
    province: str | None = None      # 四川省
    city: str | None = None          # 自贡市 (from the contributor or a city-level issuer)
    issuer: str | None = None        # 四川省机关事务管理局
    contributor_org: str | None = None


def _city_from_short(g: Gazetteer, short: str) -> str | None:
    """成都局 -> 成都市; 凉山州局 -> 凉山彝族自治州."""
    if not short.endswith("局") or len(short) < 3:
        return None
    stem = short[:-1]
    return g.city_of(stem) if g.city_of(stem) else None


def make_context(issue: Issue | None, article: Article | None, g: Gazetteer | None = None) -> Context:
    g = g or load_gazetteer()
    ctx = Context()
    meta = issue.issue if issue is not None else None
    for name in ((meta.issuer if meta else None), (meta.publication if meta else None)):
        if name:
            ctx.issuer = ctx.issuer or (meta.issuer if meta and meta.issuer else None)
            ctx.province = ctx.province or g.province_of_name(name)
            ctx.city = ctx.city or g.city_of_name(name)
    if ctx.issuer is None and meta is not None and meta.publication and meta.publication.endswith("简报"):
        ctx.issuer = meta.publication[:-2] or None
    if article is not None and article.contributor:
        c = article.contributor.strip()
        city = _city_from_short(g, c) or g.city_of_name(c)
        if city:
            ctx.city = city
            ctx.contributor_org = city + BUREAU if c.endswith("局") and len(c) <= 6 else c
    return ctx


def canonical(text: str, label: str, ctx: Context | None = None, g: Gazetteer | None = None) -> str:
    g = g or load_gazetteer()
    ctx = ctx or Context()
    if label == "PER":
        return text
    if label == "LOC":
        return g.full_loc(text) or text
    # ORG
    if text in g.aliases:
        return g.aliases[text]
    city = _city_from_short(g, text)
    if city and not g.is_loc(text):
        return city + BUREAU
    if text.startswith(("局党组", "局党委")) and (ctx.contributor_org or ctx.issuer):
        return (ctx.contributor_org or ctx.issuer) + text[1:]
    head = text[0]
    if head == "省" and ctx.province:
        return ctx.province + text[1:]
    if head in "市州" and ctx.city:
        if ctx.city.endswith(head) or head == "市":
            return ctx.city + text[1:]
    if head in "市县区" and ctx.city is None and ctx.province is None:
        return text
    # a name that starts with a place short form: 四川省委 stays; 成都市... stays
    return text

"""Render an ``Issue`` back into a bulletin in Markdown (the parser's input conventions).

Used by ``jianbao parse --format md`` and by tests (parse(render(issue)) keeps the structure).
Run-in items (those with a contributor and no printed heading style) are written with a bold head.
"""

from __future__ import annotations

from .model import Issue


def _date_cn(iso: str | None) -> str | None:
    if not iso or len(iso) != 10:
        return None
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def issue_to_markdown(issue: Issue, runin_sections: tuple[str, ...] | None = None) -> str:
    """A bulletin in Markdown: cover, 本期提要, sections with articles, footer."""
    meta = issue.issue
    out: list[str] = []
    if meta.publication:
        out.append(f"# {meta.publication}")
    if meta.year and meta.number:
        out.append(f"{meta.year}年第{meta.number}期" + (f"（总第{meta.total_number}期）" if meta.total_number else ""))
    if meta.issuer:
        out.append(meta.issuer)
    if _date_cn(meta.date):
        out.append(_date_cn(meta.date))
    sections: list[str | None] = list(meta.sections) or []
    for a in issue.articles:
        if a.section not in sections:
            sections.append(a.section)
    if any(a.summary_line for a in issue.articles):
        out.append("## 本期提要")
        for sec in sections:
            lines = [a.summary_line for a in issue.articles if a.section == sec and a.summary_line]
            if not lines:
                continue
            if sec:
                out.append(f"### {sec}")
            out.extend(f"- {line}" for line in lines)
    for sec in sections:
        arts = [a for a in issue.articles if a.section == sec]
        if not arts:
            continue
        if sec:
            out.append(f"## {sec}")
        for a in arts:
            paras = [p for p in (a.body or "").split("\n") if p.strip()]
            runin = bool(a.contributor) and (runin_sections is None or sec in runin_sections)
            if a.title and runin and paras:
                head = a.title if a.title.endswith(("。", "！", "？")) else a.title + "。"
                out.append(f"**{head}**{paras[0]}")
                out.extend(paras[1:])
            else:
                if a.title:
                    out.append(f"# {a.title}")
                out.extend(paras)
    footer = []
    if meta.disclosure:
        footer.append(f"信息公开选项：{meta.disclosure}")
    if meta.recipients:
        footer.append("主送：" + "，".join(meta.recipients) + "。")
    if meta.cc:
        footer.append("抄送：" + "，".join(meta.cc) + "。")
    if meta.print_date:
        footer.append(f"{meta.extra.get('printed_by') or meta.issuer or ''}{_date_cn(meta.print_date)}印发")
    if meta.copies:
        footer.append(f"（共印{meta.copies}份）")
    if footer:
        out.append("---")
        out.extend(footer)
    return "\n\n".join(out) + "\n"


def issue_digest(issue: Issue, max_entities: int = 12) -> str:
    """A short human-readable digest: metadata, then per article its title, themes, suggested lines, entities."""
    m = issue.issue
    head = " ".join(str(x) for x in (m.publication, f"{m.year}年第{m.number}期" if m.year and m.number else None,
                                     m.date) if x)
    out = [head or (issue.id or "issue"), "=" * 60]
    for a in issue.articles:
        out.append(f"[{a.id}] {a.section or '-'} | {a.title or '(untitled)'}"
                   + (f"  ({a.contributor})" if a.contributor else ""))
        if a.summary_line:
            out.append(f"    printed 提要 : {a.summary_line}")
        if a.themes:
            scores = ", ".join(f"{t} {a.theme_scores.get(t, 0):.2f}" for t in a.themes)
            out.append(f"    themes       : {scores}")
        for k, line in enumerate(a.suggested_summary_lines):
            out.append(f"    suggestion {k + 1} : {line}")
        if a.entities:
            ents = [f"{e.text}/{e.label}" + (f"→{e.canonical}" if e.canonical and e.canonical != e.text else "")
                    for e in a.entities[:max_entities]]
            more = f" …(+{len(a.entities) - max_entities})" if len(a.entities) > max_entities else ""
            out.append(f"    entities     : {' '.join(ents)}{more}")
    for w in issue.extra.get("warnings", []):
        out.append(f"warning: {w}")
    return "\n".join(out) + "\n"

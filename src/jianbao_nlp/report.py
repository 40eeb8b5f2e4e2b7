"""HTML reports: an archive overview over batch output, and every task's scores side by side.

``archive_report(paths)`` reads batch JSONL (or issue JSON files) in one streaming pass and
renders themes per issue and per year (stacked bars, matplotlib Agg, PNG embedded as base64),
the most frequent agencies (ORG) and places (LOC) by canonical name, and the issues with parse
warnings. ``evaluate_all(gold_dir)`` processes (or reads) every labelled issue and scores the
parse with a small scorer here plus themes/summary/ner with their own evaluators
(``jianbao_nlp.eval.<task>.score`` / ``to_html``), each imported lazily.
"""

from __future__ import annotations

import base64
import difflib
import html
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .errors import InputError
from .model import Issue

NO_THEME = "(none)"
MAX_ISSUE_BARS = 60


# --------------------------------------------------------------------------------------------
# Reading results
# --------------------------------------------------------------------------------------------
def iter_results(paths: Sequence[str | Path]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(file, issue dict)`` from batch JSONL files, issue JSON files or folders of them."""
    for p in map(Path, paths):
        if not p.exists():
            raise InputError("no such file or folder", p)
        files = sorted(x for x in p.rglob("*") if x.suffix in (".jsonl", ".json") and not x.name.endswith(
            ".errors.jsonl")) if p.is_dir() else [p]
        for f in files:
            if f.suffix == ".jsonl":
                with open(f, "rb") as fh:
                    for n, raw in enumerate(fh, 1):
                        if not raw.strip() or not raw.endswith(b"\n"):
                            continue  # a torn last line (a batch still running) is ignored
                        try:
                            obj = json.loads(raw)
                        except ValueError:
                            raise InputError(f"line {n} is not valid JSON", f) from None
                        if isinstance(obj, dict) and "articles" in obj:
                            yield str(f), obj
            else:
                try:
                    obj = json.loads(f.read_text(encoding="utf-8-sig"))
                except (ValueError, UnicodeDecodeError) as err:
                    raise InputError(f"not valid JSON ({err})", f) from None
                if isinstance(obj, dict) and "articles" in obj:
                    yield str(f), obj


# --------------------------------------------------------------------------------------------
# Archive report
# --------------------------------------------------------------------------------------------
@dataclass
class ArchiveStats:
    """Everything the archive report shows, gathered in one pass (counters only: flat memory)."""

    issues: int = 0
    articles: int = 0
    per_issue: list[tuple[tuple, str, Counter]] = field(default_factory=list)  # (sort key, label, themes)
    per_year: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    themes_all: Counter = field(default_factory=Counter)
    orgs: Counter = field(default_factory=Counter)
    locs: Counter = field(default_factory=Counter)
    pers: Counter = field(default_factory=Counter)
    warnings: list[tuple[str, str, list[str]]] = field(default_factory=list)


def _primary(article: dict[str, Any]) -> str:
    return article.get("primary_theme") or (article.get("themes") or [NO_THEME])[0]


def gather(paths: Sequence[str | Path]) -> ArchiveStats:
    """Count themes, entities and warnings over batch results."""
    st = ArchiveStats()
    for file, obj in iter_results(paths):
        st.issues += 1
        meta = obj.get("issue") or {}
        arts = obj.get("articles") or []
        st.articles += len(arts)
        year = str(meta.get("year") or (str(meta.get("date") or "")[:4]) or "?")
        counts = Counter(_primary(a) for a in arts)
        iid = str(obj.get("id") or (obj.get("source") or {}).get("file") or file)
        key = (str(meta.get("year") or ""), int(meta.get("number") or 0) if str(meta.get("number") or "").isdigit()
               else 0, iid)
        st.per_issue.append((key, iid, counts))
        st.per_year[year].update(counts)
        for a in arts:
            st.themes_all.update(a.get("themes") or [])
            for e in a.get("entities") or []:
                name = e.get("canonical") or e.get("text")
                if not name:
                    continue
                {"ORG": st.orgs, "LOC": st.locs, "PER": st.pers}.get(e.get("label"), Counter()).update([name])
        warns = obj.get("warnings") or []
        if warns:
            st.warnings.append((iid, str((obj.get("source") or {}).get("file") or file), [str(w) for w in warns]))
    return st


def _stacked_png(rows: list[tuple[str, Counter]], title: str, xlabel: str) -> str:
    """A stacked bar chart (one bar per row, one colour per theme) as a base64 PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    themes = sorted({t for _, c in rows for t in c}, key=lambda t: (t == NO_THEME, t))
    width = min(16, max(5, 0.28 * len(rows) + 3))
    fig, ax = plt.subplots(figsize=(width, 4.2), dpi=90)
    bottoms = [0] * len(rows)
    cmap = plt.get_cmap("tab10" if len(themes) <= 10 else "tab20")
    xs = list(range(len(rows)))
    for i, theme in enumerate(themes):
        vals = [c.get(theme, 0) for _, c in rows]
        ax.bar(xs, vals, bottom=bottoms, label=theme, color=cmap(i % cmap.N), width=0.8)
        bottoms = [b + v for b, v in zip(bottoms, vals)]
    ax.set_xticks(xs)
    ax.set_xticklabels([label for label, _ in rows], rotation=60 if len(rows) > 6 else 0, ha="right" if len(
        rows) > 6 else "center", fontsize=7 if len(rows) > 20 else 9)
    ax.set_ylabel("articles (primary theme)")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    if themes:
        ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


_CSS = """
body{font:14px/1.5 "Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;margin:24px auto;max-width:1150px;
color:#1d2330;padding:0 16px} h1{color:#9b1c1c} table{border-collapse:collapse;margin:8px 0 18px}
td,th{border:1px solid #d9dde6;padding:3px 9px;text-align:left;vertical-align:top} th{background:#f2f4f8}
td.num{text-align:right} .muted{color:#687085} img{max-width:100%} .cols{display:flex;gap:28px;flex-wrap:wrap}
section{margin-bottom:26px} .na{color:#8a5a00}
"""


def _e(x: Any) -> str:
    return html.escape(str(x))


def _table(head: Sequence[str], rows: Iterable[Sequence[Any]], num_cols: Sequence[int] = ()) -> str:
    out = ["<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(f'<td class="num">{_e(v)}</td>' if i in num_cols else f"<td>{_e(v)}</td>"
                                    for i, v in enumerate(r)) + "</tr>")
    return "".join(out) + "</table>"


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f"<style>{_CSS}</style></head><body><h1>{_e(title)}</h1>{body}</body></html>\n")


def archive_report_html(stats: ArchiveStats, title: str = "简报档案报告", top: int = 25) -> str:
    """The archive report as one self-contained HTML page."""
    parts = [f'<p class="muted">{stats.issues} issues, {stats.articles} articles.</p>']
    issues = sorted(stats.per_issue)
    shown = issues[-MAX_ISSUE_BARS:]
    parts.append("<section><h2>Themes per issue</h2>")
    if shown:
        note = (f'<p class="muted">The {len(shown)} latest of {len(issues)} issues.</p>'
                if len(shown) < len(issues) else "")
        img = _stacked_png([(label, c) for _, label, c in shown], "Themes per issue", "issue")
        parts.append(f'{note}<img alt="themes per issue" src="data:image/png;base64,{img}">')
    else:
        parts.append('<p class="muted">No issues.</p>')
    parts.append("</section><section><h2>Themes per year</h2>")
    years = sorted(stats.per_year.items())
    if years:
        img = _stacked_png([(y, c) for y, c in years], "Themes per year", "year")
        parts.append(f'<img alt="themes per year" src="data:image/png;base64,{img}">')
        themes = sorted({t for _, c in years for t in c})
        parts.append(_table(["year", *themes, "articles"],
                            [[y, *[c.get(t, 0) for t in themes], sum(c.values())] for y, c in years],
                            num_cols=range(1, len(themes) + 2)))
    parts.append("</section><section><h2>Themes (all labels, multi-label)</h2>")
    parts.append(_table(["theme", "articles"], stats.themes_all.most_common(), num_cols=[1]))
    parts.append('</section><section><h2>Most frequent agencies and places</h2><div class="cols">')
    for label, counter in (("Agencies (ORG)", stats.orgs), ("Places (LOC)", stats.locs), ("People (PER)", stats.pers)):
        rows = counter.most_common(top)
        parts.append(f"<div><h3>{_e(label)}</h3>" + (_table(["name", "mentions"], rows, num_cols=[1]) if rows else
                                                      '<p class="muted">none</p>') + "</div>")
    parts.append("</div></section><section><h2>Issues with parse warnings</h2>")
    if stats.warnings:
        parts.append(_table(["issue", "file", "warnings"],
                            [(i, f, "; ".join(w)) for i, f, w in stats.warnings]))
    else:
        parts.append('<p class="muted">No parse warnings.</p>')
    parts.append("</section>")
    return _page(title, "".join(parts))


def archive_report(paths: Sequence[str | Path], title: str = "简报档案报告") -> str:
    """Gather and render in one call (what ``jianbao report`` runs)."""
    return archive_report_html(gather(paths), title=title)


# --------------------------------------------------------------------------------------------
# Parse scorer (structure against gold)
# --------------------------------------------------------------------------------------------
def _squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def _title_key(s: str | None) -> str:
    return _squash(s).rstrip("。．.；;")


META_FIELDS = ("publication", "issuer", "year", "number", "total_number", "date", "print_date", "copies",
               "disclosure", "sections", "recipients", "cc")


def score_parse(gold: Sequence[Issue], pred: Sequence[Issue]) -> dict[str, Any]:
    """Structure scores: article count, title F1, section accuracy, body similarity, metadata accuracy.

    Articles are aligned by title (exact after white space), then by order for the rest.
    """
    n_gold = n_pred = title_hits = sec_hits = aligned = 0
    body_sims: list[float] = []
    meta_hits = meta_total = 0
    count_exact = 0
    per_issue = []
    for g, p in zip(gold, pred):
        ga, pa = g.articles, p.articles
        n_gold += len(ga)
        n_pred += len(pa)
        count_exact += len(ga) == len(pa)
        pkeys = {}
        for j, a in enumerate(pa):
            pkeys.setdefault(_title_key(a.title), j)
        used: set[int] = set()
        pairs = []
        for i, a in enumerate(ga):
            j = pkeys.get(_title_key(a.title))
            if j is not None and j not in used and _title_key(a.title):
                used.add(j)
                title_hits += 1
                pairs.append((a, pa[j]))
            elif i < len(pa) and i not in used:
                used.add(i)
                pairs.append((a, pa[i]))
        for a, b in pairs:
            aligned += 1
            sec_hits += (a.section or "") == (b.section or "")
            body_sims.append(difflib.SequenceMatcher(None, _squash(a.body), _squash(b.body), autojunk=False).ratio())
        gm, pm = g.issue.to_dict(), p.issue.to_dict()
        hits = 0
        fields = [f for f in META_FIELDS if gm.get(f) not in (None, [], "")]
        for f in fields:
            hits += gm.get(f) == pm.get(f)
        meta_hits += hits
        meta_total += len(fields)
        per_issue.append({"id": g.id, "gold_articles": len(ga), "pred_articles": len(pa),
                          "meta": f"{hits}/{len(fields)}"})
    tp = title_hits
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    return {
        "issues": len(per_issue), "gold_articles": n_gold, "pred_articles": n_pred,
        "article_count_exact": count_exact / len(per_issue) if per_issue else 0.0,
        "title_p": prec, "title_r": rec, "title_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "section_acc": sec_hits / aligned if aligned else 0.0,
        "body_similarity": sum(body_sims) / len(body_sims) if body_sims else 0.0,
        "meta_acc": meta_hits / meta_total if meta_total else 0.0,
        "per_issue": per_issue,
    }


def parse_to_html(result: dict[str, Any]) -> str:
    keys = ["issues", "gold_articles", "pred_articles", "article_count_exact", "title_p", "title_r", "title_f1",
            "section_acc", "body_similarity", "meta_acc"]
    rows = [(k, f"{result[k]:.3f}" if isinstance(result[k], float) else result[k]) for k in keys]
    per = [(r["id"], r["gold_articles"], r["pred_articles"], r["meta"]) for r in result.get("per_issue", [])]
    return _table(["metric", "value"], rows, num_cols=[1]) + _table(
        ["issue", "gold articles", "parsed articles", "metadata"], per, num_cols=[1, 2])


# --------------------------------------------------------------------------------------------
# Every task side by side
# --------------------------------------------------------------------------------------------
TASKS = ("themes", "summary", "ner")


def load_gold(gold_dir: str | Path) -> list[tuple[Path, Issue]]:
    """Every labelled issue (``*.json``) in a folder, sorted by file name."""
    from .model import load_issue

    d = Path(gold_dir)
    if not d.is_dir():
        raise InputError("not a folder of labelled issues", d)
    files = sorted(d.glob("*.json"))
    if not files:
        raise InputError("no labelled issue (*.json) in this folder", d)
    return [(f, load_issue(f)) for f in files]


def find_source(gold_path: Path, issue: Issue, search: Sequence[str | Path] = ()) -> Path | None:
    """The bulletin a gold issue was labelled from (``source.file``), looked up near the gold folder."""
    name = (issue.source or {}).get("file")
    if not name:
        return None
    base = gold_path.parent
    dirs = [Path(s) for s in search] + [base, base.parent, base.parent / "seed", base.parent / "data" / "seed"]
    for d in dirs:
        cand = d / name
        if cand.is_file():
            return cand
    for d in [Path(s) for s in search] + [base.parent]:
        if d.is_dir():
            for cand in d.rglob(Path(name).name):
                if cand.is_file():
                    return cand
    return None


def evaluate_all(gold_dir: str | Path, pred_dir: str | Path | None = None, sources: Sequence[str | Path] = (),
                 components: Sequence[str] | None = None, pipeline=None) -> dict[str, Any]:
    """Score parse, themes, summary and ner on every labelled issue in ``gold_dir``.

    With ``pred_dir``: predictions are read from it (matched by issue id, else file name).
    Without: each gold issue is re-processed (ids, titles, bodies kept, labels replaced by model
    output), and the parse is scored on the bulletin named in ``source.file`` when it is found.
    """
    from .api import process, read_input
    from .model import load_issue

    gold = load_gold(gold_dir)
    tasks = [t for t in (components or ("parse",) + TASKS) if t in ("parse",) + TASKS]
    result: dict[str, Any] = {"gold_dir": str(gold_dir), "pred_dir": str(pred_dir) if pred_dir else None,
                              "issues": [g.id for _, g in gold], "tasks": {}}
    preds: list[Issue] = []
    parsed: list[tuple[Issue, Issue]] = []
    if pred_dir is not None:
        pd = Path(pred_dir)
        if not pd.is_dir():
            raise InputError("not a folder of predicted issues", pd)
        by_id, by_name = {}, {}
        for f in sorted(pd.glob("*.json")):
            iss = load_issue(f)
            by_id.setdefault(iss.id, iss)
            by_name[f.name] = iss
        for f, g in gold:
            p = by_id.get(g.id) or by_name.get(f.name)
            if p is None:
                raise InputError(f"no prediction for gold issue {g.id!r} ({f.name})", pd)
            preds.append(p)
            parsed.append((g, p))
    else:
        if pipeline is None:
            from .pipeline import load_pipeline

            pipeline = load_pipeline([t for t in tasks if t != "parse"])
        result["missing_components"] = dict(pipeline.missing)
        for f, g in gold:
            p = g.copy()
            process(p, pipeline)
            preds.append(p)
            if "parse" in tasks:
                src = find_source(f, g, sources)
                if src is not None:
                    parsed.append((g, read_input(src)))
    if "parse" in tasks:
        if parsed:
            res = score_parse([g for g, _ in parsed], [p for _, p in parsed])
            result["tasks"]["parse"] = {"status": "ok", "result": res, "html": parse_to_html(res)}
        else:
            result["tasks"]["parse"] = {"status": "skipped", "reason": "no source bulletin found for the gold issues"}
    golds = [g for _, g in gold]
    for task in tasks:
        if task == "parse":
            continue
        if task in result.get("missing_components", {}):
            result["tasks"][task] = {"status": "not installed",
                                     "reason": f"component: {result['missing_components'][task]}"}
            continue
        try:
            import importlib

            mod = importlib.import_module(f"jianbao_nlp.eval.{task}")
            score, to_html = mod.score, mod.to_html
        except (ImportError, AttributeError) as err:
            result["tasks"][task] = {"status": "not installed", "reason": f"evaluator: {err}"}
            continue
        try:
            res = score(golds, preds)
            frag = _fragment(to_html, res)
        except Exception as err:  # another task's evaluator failing must not hide the rest
            result["tasks"][task] = {"status": "error", "reason": f"evaluator failed: {type(err).__name__}: {err}"}
            continue
        result["tasks"][task] = {"status": "ok", "result": res, "html": frag}
    return result


def _fragment(to_html, res: dict[str, Any]) -> str:
    """An evaluator's HTML as a fragment (asked for when it supports it, else cut out of the page)."""
    import inspect

    try:
        wants_page = "full_page" in inspect.signature(to_html).parameters
    except (TypeError, ValueError):  # pragma: no cover
        wants_page = False
    text = to_html(res, full_page=False) if wants_page else to_html(res)
    m = re.search(r"<body[^>]*>(.*)</body>", text, flags=re.S | re.I)
    return m.group(1) if m else text


def _headline(task: str, res: dict[str, Any]) -> str:
    """One or two key figures for the overview table (whatever the evaluator reports)."""
    flat = {}
    for k, v in res.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            flat[k] = v
        elif isinstance(v, dict):
            for k2, v2 in v.items():
                if isinstance(v2, (int, float)) and not isinstance(v2, bool):
                    flat[f"{k}.{k2}"] = v2
    prefer = {"parse": ["title_f1", "body_similarity", "section_acc"],
              "themes": ["micro_f1", "micro.f1", "macro_f1", "macro.f1", "primary_acc"],
              "summary": ["rouge1", "rougeL", "rouge.rouge1", "rouge.rougeL"],
              "ner": ["f1", "micro.f1", "micro_f1", "overall.f1"]}
    keys = [k for k in prefer.get(task, []) if k in flat] or [k for k in flat if isinstance(flat[k], float)][:3]
    return ", ".join(f"{k} {flat[k]:.3f}" if isinstance(flat[k], float) else f"{k} {flat[k]}" for k in keys[:3])


def evaluation_html(result: dict[str, Any], title: str = "jianbao evaluate: all tasks") -> str:
    """Every task's scores side by side (overview table), then each evaluator's own section."""
    rows = []
    for task, r in result["tasks"].items():
        rows.append((task, r["status"], _headline(task, r["result"]) if r["status"] == "ok" else r.get("reason", "")))
    src = f"gold: {result['gold_dir']}" + (f"; predictions: {result['pred_dir']}" if result.get("pred_dir") else
                                           "; predictions: this pipeline")
    parts = [f'<p class="muted">{_e(src)}; {len(result["issues"])} issue(s).</p>',
             "<section><h2>Overview</h2>", _table(["task", "status", "key figures"], rows), "</section>"]
    for task, r in result["tasks"].items():
        parts.append(f"<section><h2>{_e(task)}</h2>")
        parts.append(r["html"] if r["status"] == "ok" else f'<p class="na">{_e(r["status"])}: '
                                                          f'{_e(r.get("reason", ""))}</p>')
        parts.append("</section>")
    return _page(title, "".join(parts))

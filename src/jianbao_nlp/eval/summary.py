"""Evaluation of suggested 提要 lines: character ROUGE-1/2/L F1, exact match, lengths.

The metric is the referee's: the FIRST suggested line of each article against its printed
``summary_line``, white space ignored, averaged over the gold articles that have one (a missing
suggestion scores 0). The lead-sentence baseline (the body up to its first 。) is always reported.

- ``score(gold_issues, pred_issues)`` -> result dict for one system plus the baseline
- ``score_systems(gold_issues, {name: pred_issues})`` -> the same for several systems
- ``to_markdown(result)`` / ``to_html(result)`` -> a report with a per-article table
- ``evaluate(gold_paths, systems)`` runs components on title-less copies of the gold issues
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..components.summary.text import lcs_len, lead_sentence, squash
from ..errors import InputError
from ..model import Issue, load_issue

BASELINE = "lead-sentence"


def rouge(pred: str, gold: str) -> dict[str, float]:
    """Character ROUGE-1/2/L F1 of one line against another (white space ignored)."""
    p, g = squash(pred), squash(gold)
    out = {}
    for n in (1, 2):
        pg = Counter(p[i:i + n] for i in range(len(p) - n + 1))
        gg = Counter(g[i:i + n] for i in range(len(g) - n + 1))
        out[f"rouge{n}"] = _f1(sum((pg & gg).values()), sum(pg.values()), sum(gg.values()))
    out["rougeL"] = _f1(lcs_len(p, g) if p and g else 0, len(p), len(g))
    return out


def _f1(overlap: int, n_pred: int, n_gold: int) -> float:
    if not overlap or not n_pred or not n_gold:
        return 0.0
    p, r = overlap / n_pred, overlap / n_gold
    return 2 * p * r / (p + r)


def _articles(issues: Iterable[Issue]) -> dict[tuple[str, str], Any]:
    out = {}
    for k, issue in enumerate(issues):
        for j, a in enumerate(issue.articles):
            out[(issue.id or str(k), a.id or str(j))] = a
    return out


def _metrics(firsts: Sequence[str], golds: Sequence[str]) -> dict[str, Any]:
    n = len(golds)
    sums: Counter[str] = Counter()
    for p, g in zip(firsts, golds):
        for k, v in rouge(p, g).items():
            sums[k] += v
    lens = [len(squash(p)) for p in firsts if squash(p)]
    return {
        "articles": n,
        **{k: (sums[k] / n if n else 0.0) for k in ("rouge1", "rouge2", "rougeL")},
        "exact_match": (sum(squash(p) == squash(g) for p, g in zip(firsts, golds)) / n) if n else 0.0,
        "coverage": (len(lens) / n) if n else 0.0,
        "length": {"pred_mean": sum(lens) / len(lens) if lens else 0.0, "pred_max": max(lens) if lens else 0,
                   "gold_mean": sum(len(squash(g)) for g in golds) / n if n else 0.0},
    }


def score_systems(gold_issues: Sequence[Issue], systems: Mapping[str, Sequence[Issue]],
                  baseline: bool = True) -> dict[str, Any]:
    """Score several systems' suggestions against the gold printed lines (plus the baseline)."""
    gold = {k: a for k, a in _articles(gold_issues).items() if squash(a.summary_line)}
    keys = list(gold)
    golds = [gold[k].summary_line for k in keys]
    preds = {name: _articles(issues) for name, issues in systems.items()}
    firsts: dict[str, list[str]] = {}
    suggestions: dict[str, list[list[str]]] = {}
    for name, arts in preds.items():
        sug = [list((arts.get(k).suggested_summary_lines if arts.get(k) is not None else None) or []) for k in keys]
        suggestions[name] = sug
        firsts[name] = [s[0] if s else "" for s in sug]
    if baseline:
        firsts[BASELINE] = [lead_sentence(gold[k].body) for k in keys]
        suggestions[BASELINE] = [[x] for x in firsts[BASELINE]]
    result: dict[str, Any] = {
        "systems": {name: _metrics(f, golds) for name, f in firsts.items()},
        "per_article": [
            {"issue": k[0], "id": k[1], "section": gold[k].section, "gold": golds[i],
             "suggestions": {name: suggestions[name][i] for name in firsts},
             "rougeL": {name: rouge(firsts[name][i], golds[i])["rougeL"] for name in firsts}}
            for i, k in enumerate(keys)],
    }
    return result


def score(gold_issues: Sequence[Issue], pred_issues: Sequence[Issue], name: str = "model") -> dict[str, Any]:
    """One system against the gold lines, with the lead-sentence baseline beside it."""
    res = score_systems(gold_issues, {name: pred_issues})
    res.update(res["systems"][name])  # the system's own figures at the top level too
    return res


def _summary_rows(result: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name, m in result["systems"].items():
        rows.append([name, str(m["articles"]), f"{m['rouge1']:.3f}", f"{m['rouge2']:.3f}", f"{m['rougeL']:.3f}",
                     f"{m['exact_match']:.3f}", f"{m['length']['pred_mean']:.1f}", f"{m['length']['gold_mean']:.1f}"])
    return rows


SUMMARY_HEAD = ["system", "articles", "ROUGE-1", "ROUGE-2", "ROUGE-L", "exact", "len (pred)", "len (gold)"]


def _md_cell(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def to_markdown(result: dict[str, Any], max_articles: int | None = 200) -> str:
    """The result as a Markdown report: a table per system and a per-article table."""
    out = ["# Summary lines (本期提要): evaluation", "",
           "Character ROUGE F1 of the first suggested line against the printed line (white space ignored).", "",
           "| " + " | ".join(SUMMARY_HEAD) + " |", "|" + "---|" * len(SUMMARY_HEAD)]
    out += ["| " + " | ".join(r) + " |" for r in _summary_rows(result)]
    names = list(result["systems"])
    arts = result["per_article"][:max_articles] if max_articles else result["per_article"]
    out += ["", "## Per article", "", "| id | gold | " + " | ".join(names) + " |", "|" + "---|" * (len(names) + 2)]
    for a in arts:
        cells = [f"{a['issue']}/{a['id']}", _md_cell(a["gold"])]
        for n in names:
            sug = a["suggestions"][n]
            first = _md_cell(sug[0]) if sug else "—"
            rest = "".join(f"<br>{_md_cell(s)}" for s in sug[1:])
            cells.append(f"{first} ({a['rougeL'][n]:.2f}){rest}")
        out.append("| " + " | ".join(cells) + " |")
    if max_articles and len(result["per_article"]) > max_articles:
        out.append(f"\n({len(result['per_article']) - max_articles} more articles not shown)")
    return "\n".join(out) + "\n"


def to_html(result: dict[str, Any], max_articles: int | None = 200, full_page: bool = True) -> str:
    """The result as HTML (a fragment when ``full_page`` is False, for the all-tasks report)."""
    e = html.escape
    parts = ["<section class='summary-eval'><h2>Summary lines (本期提要)</h2>",
             "<p>Character ROUGE F1 of the first suggested line against the printed line.</p>",
             "<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in SUMMARY_HEAD) + "</tr></thead><tbody>"]
    for r in _summary_rows(result):
        parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>")
    parts.append("</tbody></table>")
    names = list(result["systems"])
    arts = result["per_article"][:max_articles] if max_articles else result["per_article"]
    parts.append("<h3>Per article</h3><table><thead><tr><th>id</th><th>gold</th>"
                 + "".join(f"<th>{e(n)}</th>" for n in names) + "</tr></thead><tbody>")
    for a in arts:
        row = f"<tr><td>{e(a['issue'])}/{e(a['id'])}</td><td>{e(a['gold'])}</td>"
        for n in names:
            sug = a["suggestions"][n]
            items = "<br>".join(e(s) for s in sug) or "—"
            row += f"<td>{items} <small>({a['rougeL'][n]:.2f})</small></td>"
        parts.append(row + "</tr>")
    parts.append("</tbody></table></section>")
    body = "\n".join(parts)
    if not full_page:
        return body
    return ("<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>Summary evaluation</title>"
            "<style>table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
            "vertical-align:top}</style></head><body>\n" + body + "\n</body></html>\n")


# -- running systems on gold issues ---------------------------------------------------------------
def load_gold(paths: Sequence[str | Path]) -> list[Issue]:
    """Issue JSON files, or folders of them (searched recursively)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.rglob("*.json"))
        elif p.exists():
            files.append(p)
        else:
            raise InputError("no such file", p)
    if not files:
        raise InputError("no issue JSON files found", ", ".join(map(str, paths)))
    return [load_issue(f) for f in files]


def blind_copy(issue: Issue) -> Issue:
    """A copy without titles, printed lines or suggestions: what a system may see."""
    c = issue.copy()
    for a in c.articles:
        a.title = None
        a.summary_line = None
        a.suggested_summary_lines = []
    return c


def predict_issues(gold_issues: Sequence[Issue], component) -> list[Issue]:
    out = []
    for issue in gold_issues:
        c = blind_copy(issue)
        component.process_issue(c)
        out.append(c)
    return out


def evaluate(gold_paths: Sequence[str | Path], backends: Sequence[str] = (), models: Sequence[str | Path] = (),
             k: int = 3) -> dict[str, Any]:
    """Run each backend / model directory on the gold issues and score them all with the baseline."""
    from ..components.summary import create_component

    gold = load_gold(gold_paths)
    systems: dict[str, list[Issue]] = {}
    if not backends and not models:
        backends = ("extractive", "default")
    for b in backends:
        comp = create_component() if b == "default" else create_component(backend=b)
        name = b if b != "default" else f"{comp.backend_name} (shipped)"
        systems[name] = predict_issues(gold, comp)
    for m in models:
        comp = create_component(model=m, k=k)
        systems[f"{comp.backend_name} ({Path(m).name})"] = predict_issues(gold, comp)
    return score_systems(gold, systems)

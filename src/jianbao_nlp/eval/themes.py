"""Theme evaluation: micro/macro F1, per-label P/R/F1 with support, primary-theme accuracy, a
primary-theme confusion matrix, and a report listing each wrong article.

Articles are matched by issue id and article id (as ``checks/score.py`` does within one issue).
``score(gold_issues, pred_issues) -> dict``; ``to_markdown(result)``; ``to_html(result)``;
``confusion_png(result, path)``.
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..model import Issue

NONE = "(none)"


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def _as_list(x: Issue | Sequence[Issue]) -> list[Issue]:
    return [x] if isinstance(x, Issue) else list(x)


def score(gold_issues: Issue | Sequence[Issue], pred_issues: Issue | Sequence[Issue],
          labels: Iterable[str] | None = None) -> dict[str, Any]:
    """Compare gold and predicted themes on articles that carry gold themes."""
    golds, preds = _as_list(gold_issues), _as_list(pred_issues)
    pred_by = {}
    for k, issue in enumerate(preds):
        for a in issue.articles:
            pred_by[(issue.id, a.id)] = a
            pred_by.setdefault((None, k, a.id), a)
    label_set = set(labels or [])
    rows = []
    for k, issue in enumerate(golds):
        for ga in issue.articles:
            if not ga.themes:
                continue
            pa = pred_by.get((issue.id, ga.id)) or pred_by.get((None, k, ga.id))
            p_themes = list(pa.themes or []) if pa is not None else []
            p_primary = (pa.primary_theme or (p_themes[0] if p_themes else None)) if pa is not None else None
            g_primary = ga.primary_theme or ga.themes[0]
            rows.append({"issue": issue.id, "id": ga.id, "title": ga.title, "gold": list(ga.themes),
                         "pred": p_themes, "gold_primary": g_primary, "pred_primary": p_primary,
                         "scores": dict(pa.theme_scores or {}) if pa is not None else {},
                         "missing": pa is None})
            label_set |= set(ga.themes) | set(p_themes)
    labels_sorted = sorted(label_set)
    tp, fp, fn = Counter(), Counter(), Counter()
    primary_ok = 0
    confusion: dict[str, Counter] = {}
    for r in rows:
        g, p = set(r["gold"]), set(r["pred"])
        for t in labels_sorted:
            tp[t] += (t in g) and (t in p)
            fp[t] += (t not in g) and (t in p)
            fn[t] += (t in g) and (t not in p)
        primary_ok += r["pred_primary"] == r["gold_primary"]
        confusion.setdefault(r["gold_primary"], Counter())[r["pred_primary"] or NONE] += 1
        r["correct"] = g == p and r["pred_primary"] == r["gold_primary"]
    per_label = {}
    for t in labels_sorted:
        per_label[t] = {**_prf(tp[t], fp[t], fn[t]), "support": tp[t] + fn[t], "predicted": tp[t] + fp[t]}
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    supported = [v["f1"] for v in per_label.values() if v["support"]]
    n = len(rows)
    return {
        "n_articles": n,
        "n_missing": sum(r["missing"] for r in rows),
        "micro_precision": micro["precision"], "micro_recall": micro["recall"], "micro_f1": micro["f1"],
        "macro_f1": sum(supported) / len(supported) if supported else 0.0,
        "primary_accuracy": primary_ok / n if n else 0.0,
        "exact_match": sum(r["correct"] for r in rows) / n if n else 0.0,
        "per_label": per_label,
        "confusion": {g: dict(c) for g, c in confusion.items()},
        "labels": labels_sorted,
        "errors": [r for r in rows if not r["correct"]],
    }


def summary_line(result: dict[str, Any]) -> str:
    return (f"themes: n={result['n_articles']} micro-F1 {result['micro_f1']:.3f} macro-F1 {result['macro_f1']:.3f} "
            f"primary accuracy {result['primary_accuracy']:.3f}")


def to_markdown(result: dict[str, Any], title: str = "Theme tagging") -> str:
    r = result
    out = [f"## {title}", "",
           f"- articles: {r['n_articles']}" + (f" ({r['n_missing']} without a prediction)" if r["n_missing"] else ""),
           f"- micro P/R/F1: {r['micro_precision']:.3f} / {r['micro_recall']:.3f} / {r['micro_f1']:.3f}",
           f"- macro F1: {r['macro_f1']:.3f}",
           f"- primary-theme accuracy: {r['primary_accuracy']:.3f}",
           f"- exact match (set and primary): {r['exact_match']:.3f}", "",
           "| label | precision | recall | F1 | support | predicted |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for t, v in r["per_label"].items():
        out.append(f"| {t} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} | {v['predicted']} |")
    out += ["", "### Primary theme: gold (rows) vs predicted (columns)", ""]
    cols = sorted({c for row in r["confusion"].values() for c in row} | set(r["confusion"]))
    out.append("| gold \\ pred | " + " | ".join(cols) + " |")
    out.append("| --- |" + " ---: |" * len(cols))
    for g in sorted(r["confusion"]):
        out.append(f"| {g} | " + " | ".join(str(r["confusion"][g].get(c, 0)) for c in cols) + " |")
    out += ["", f"### Wrong articles ({len(r['errors'])})", ""]
    if r["errors"]:
        out += ["| issue | article | title | gold | predicted |", "| --- | --- | --- | --- | --- |"]
        for e in r["errors"]:
            title = (e["title"] or "").replace("|", "\\|")[:60]
            out.append(f"| {e['issue']} | {e['id']} | {title} | {', '.join(e['gold'])} | "
                       f"{', '.join(e['pred']) or NONE} |")
    return "\n".join(out) + "\n"


def to_html(result: dict[str, Any], title: str = "Theme tagging") -> str:
    r = result
    esc = html.escape
    parts = [f"<section class='themes-eval'><h2>{esc(title)}</h2><ul>",
             f"<li>articles: {r['n_articles']}</li>",
             f"<li>micro P/R/F1: {r['micro_precision']:.3f} / {r['micro_recall']:.3f} / {r['micro_f1']:.3f}</li>",
             f"<li>macro F1: {r['macro_f1']:.3f}</li>",
             f"<li>primary-theme accuracy: {r['primary_accuracy']:.3f}</li></ul>",
             "<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>"]
    for t, v in r["per_label"].items():
        parts.append(f"<tr><td>{esc(t)}</td><td>{v['precision']:.3f}</td><td>{v['recall']:.3f}</td>"
                     f"<td>{v['f1']:.3f}</td><td>{v['support']}</td></tr>")
    parts.append("</table>")
    cols = sorted({c for row in r["confusion"].values() for c in row} | set(r["confusion"]))
    parts.append("<h3>Primary theme: gold (rows) vs predicted (columns)</h3><table><tr><th></th>"
                 + "".join(f"<th>{esc(c)}</th>" for c in cols) + "</tr>")
    for g in sorted(r["confusion"]):
        parts.append(f"<tr><th>{esc(g)}</th>" + "".join(f"<td>{r['confusion'][g].get(c, 0)}</td>" for c in cols) + "</tr>")
    parts.append(f"</table><h3>Wrong articles ({len(r['errors'])})</h3><table>"
                 "<tr><th>issue</th><th>article</th><th>title</th><th>gold</th><th>predicted</th></tr>")
    for e in r["errors"]:
        parts.append(f"<tr><td>{esc(str(e['issue']))}</td><td>{esc(str(e['id']))}</td><td>{esc(e['title'] or '')}</td>"
                     f"<td>{esc(', '.join(e['gold']))}</td><td>{esc(', '.join(e['pred']) or NONE)}</td></tr>")
    parts.append("</table></section>")
    return "\n".join(parts) + "\n"


def to_html_page(result: dict[str, Any], title: str = "Theme tagging") -> str:
    return (f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style></head>"
            f"<body>{to_html(result, title)}</body></html>\n")


def confusion_png(result: dict[str, Any], path: str | Path) -> Path:
    """Draw the primary-theme confusion matrix (gold rows, predicted columns) to a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    conf = result["confusion"]
    rows = sorted(conf)
    cols = sorted({c for row in conf.values() for c in row} | set(rows))
    M = np.array([[conf.get(g, {}).get(c, 0) for c in cols] for g in rows], dtype=int).reshape(len(rows), len(cols))
    fig, ax = plt.subplots(figsize=(1.2 + 0.7 * max(len(cols), 1), 1.0 + 0.6 * max(len(rows), 1)))
    ax.imshow(M if M.size else np.zeros((1, 1)), cmap="Blues")
    ax.set_xticks(range(len(cols)), cols, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    for i in range(M.shape[0]):
        for j in range(M.shape[1]):
            if M[i, j]:
                ax.text(j, i, str(M[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if M[i, j] > M.max() / 2 else "black")
    ax.set_xlabel("predicted primary theme")
    ax.set_ylabel("gold primary theme")
    ax.set_title(f"primary accuracy {result['primary_accuracy']:.3f} (n={result['n_articles']})", fontsize=9)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path

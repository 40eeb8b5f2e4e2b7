"""Entity evaluation: strict span match on (issue, article id, field, start, end, label).

Micro precision / recall / F1 over all labels and per label (ORG, PER, LOC), the same figures
seqeval computes in strict IOB2 mode (cross-checked in the tests), plus the lists of missed and
spurious entities for the report.

``score(gold_issues, pred_issues) -> dict``; ``to_markdown(result)``; ``to_html(result)``.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any, Sequence

from ..model import Issue

LABELS = ("ORG", "PER", "LOC")
MAX_LISTED = 200


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "pred": n_pred, "gold": n_gold}


def _as_list(x: Issue | Sequence[Issue]) -> list[Issue]:
    return [x] if isinstance(x, Issue) else list(x)


def entity_keys(issue: Issue, key: Any) -> dict[tuple, str]:
    """{(issue key, article id, field, start, end, label): text} for one issue."""
    out = {}
    for a in issue.articles:
        for e in a.entities or []:
            out[(key, a.id, e.field, e.start, e.end, e.label)] = e.text or a.text_of(e.field)[e.start:e.end]
    return out


def score(gold_issues: Issue | Sequence[Issue], pred_issues: Issue | Sequence[Issue],
          fields: Sequence[str] | None = None) -> dict[str, Any]:
    """Compare predicted entities with gold ones; predictions are matched to gold issues by id, else by order.
    ``fields`` (title, body) limits the comparison to those fields, for gold annotated in some only."""
    golds, preds = _as_list(gold_issues), _as_list(pred_issues)
    pred_by_id = {p.id: p for p in preds if p.id is not None}
    gold_keys: dict[tuple, str] = {}
    pred_keys: dict[tuple, str] = {}
    missing_issues = []
    gold_ids = {g.id for g in golds}
    for k, g in enumerate(golds):
        p = pred_by_id.get(g.id) if g.id is not None else None
        if p is None and k < len(preds) and (preds[k].id is None or preds[k].id not in gold_ids):
            p = preds[k]  # an unnamed (or differently named) prediction in the same position
        gold_keys.update(entity_keys(g, k))
        if p is None:
            missing_issues.append(g.id)
            continue
        gold_ids = {a.id for a in g.articles}
        pred_keys.update({kk: v for kk, v in entity_keys(p, k).items() if kk[1] in gold_ids})
    if fields:
        gold_keys = {k: v for k, v in gold_keys.items() if k[2] in fields}
        pred_keys = {k: v for k, v in pred_keys.items() if k[2] in fields}
    gset, pset = set(gold_keys), set(pred_keys)
    res: dict[str, Any] = dict(_prf(len(gset & pset), len(pset), len(gset)))
    res["per_label"] = {}
    for lab in sorted(set(LABELS) | {x[5] for x in gset | pset}):
        gl = {x for x in gset if x[5] == lab}
        pl = {x for x in pset if x[5] == lab}
        res["per_label"][lab] = _prf(len(gl & pl), len(pl), len(gl))
    res["issues"] = len(golds)
    res["articles"] = sum(len(g.articles) for g in golds)
    res["missing_issues"] = missing_issues
    fn = sorted(gset - pset, key=str)
    fp = sorted(pset - gset, key=str)
    res["false_negatives"] = [_row(x, gold_keys[x]) for x in fn[:MAX_LISTED]]
    res["false_positives"] = [_row(x, pred_keys[x]) for x in fp[:MAX_LISTED]]
    res["errors_listed"] = {"false_negatives": len(fn), "false_positives": len(fp)}
    res["confusions"] = _confusions(gset - pset, pset - gset)
    return res


def _row(key: tuple, text: str) -> dict[str, Any]:
    return {"issue": key[0], "article": key[1], "field": key[2], "start": key[3], "end": key[4],
            "label": key[5], "text": text}


def _confusions(fn: set, fp: set) -> dict[str, int]:
    """Same span, wrong label: 'GOLD->PRED' counts."""
    by_span = {x[:5]: x[5] for x in fp}
    c = Counter(f"{x[5]}->{by_span[x[:5]]}" for x in fn if x[:5] in by_span)
    return dict(c)


def _fmt(v: float) -> str:
    return f"{v:.3f}"


def to_markdown(result: dict[str, Any]) -> str:
    lines = ["## Entities (strict span match)", "",
             "| label | precision | recall | F1 | gold | predicted |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    rows = [("all", result)] + list(result.get("per_label", {}).items())
    for lab, r in rows:
        lines.append(f"| {lab} | {_fmt(r['precision'])} | {_fmt(r['recall'])} | {_fmt(r['f1'])} | {r['gold']} | {r['pred']} |")
    lines.append("")
    if result.get("confusions"):
        lines.append("Label confusions (same span): " + ", ".join(f"{k} {v}" for k, v in sorted(result["confusions"].items())))
        lines.append("")
    for name, title in (("false_negatives", "Missed (in gold, not predicted)"),
                        ("false_positives", "Spurious (predicted, not in gold)")):
        items = result.get(name) or []
        if not items:
            continue
        total = result.get("errors_listed", {}).get(name, len(items))
        lines.append(f"### {title}: {total}" + (f" (first {len(items)} listed)" if total > len(items) else ""))
        lines.append("")
        lines.append("| article | field | span | label | text |")
        lines.append("| --- | --- | --- | --- | --- |")
        for x in items:
            text = str(x["text"]).replace("|", "\\|")
            lines.append(f"| {x['article']} | {x['field']} | {x['start']}-{x['end']} | {x['label']} | {text} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def to_html(result: dict[str, Any]) -> str:
    """An HTML fragment (no <html>/<body>) for the all-tasks report."""
    e = html.escape
    parts = ["<div class=\"ner-eval\">", "<h3>Entities (strict span match)</h3>",
             "<table><thead><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>gold</th>"
             "<th>predicted</th></tr></thead><tbody>"]
    rows = [("all", result)] + list(result.get("per_label", {}).items())
    for lab, r in rows:
        parts.append(f"<tr><td>{e(lab)}</td><td>{_fmt(r['precision'])}</td><td>{_fmt(r['recall'])}</td>"
                     f"<td>{_fmt(r['f1'])}</td><td>{r['gold']}</td><td>{r['pred']}</td></tr>")
    parts.append("</tbody></table>")
    for name, title in (("false_negatives", "Missed"), ("false_positives", "Spurious")):
        items = result.get(name) or []
        if not items:
            continue
        total = result.get("errors_listed", {}).get(name, len(items))
        parts.append(f"<details><summary>{e(title)}: {total}</summary><table><thead><tr><th>article</th>"
                     "<th>field</th><th>span</th><th>label</th><th>text</th></tr></thead><tbody>")
        for x in items:
            parts.append(f"<tr><td>{e(str(x['article']))}</td><td>{e(x['field'])}</td><td>{x['start']}-{x['end']}</td>"
                         f"<td>{e(x['label'])}</td><td>{e(str(x['text']))}</td></tr>")
        parts.append("</tbody></table></details>")
    parts.append("</div>")
    return "\n".join(parts)

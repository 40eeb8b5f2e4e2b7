"""The compression backend: train -> save -> load -> predict on tiny invented pairs."""

from __future__ import annotations

import json

from jianbao_nlp.components.summary import SummaryComponent, create_component
from jianbao_nlp.components.summary.compression import (FEATURE_NAMES, CompressionModel, align_labels, best_source,
                                                        candidate_features)
from jianbao_nlp.modeldir import read_meta, write_meta
from jianbao_nlp.model import Article

ORGS = ["市机关事务局", "县后勤服务中心", "区管理局", "省节能办", "市公务用车中心", "县财政局"]
ACTS = ["召开节能工作会议", "开展食堂安全检查", "举办公务用车培训班", "组织干部学习新规", "启动垃圾分类行动",
        "出台办公用房管理办法"]
DATES = ["3月5日，", "近日，", "6月1日上午，", "日前，"]
TAILS = ["，部署全年任务。", "，各单位代表参加。", "，进一步提升服务水平。", "。"]


def pairs(n=48):
    out = []
    for i in range(n):
        org, act = ORGS[i % len(ORGS)], ACTS[(i * 5) % len(ACTS)]
        body = f"{DATES[i % 4]}{org}{act}{TAILS[(i // 2) % 4]}会议要求各单位认真落实。"
        out.append((body, org + act))
    return out


def test_alignment_labels():
    from jianbao_nlp.components.summary.compression import _tokenize

    idx, sent, cov = best_source("近日，天气晴好。5日，市局召开节能会议，部署任务。", "市局召开节能会议")
    assert idx == 1 and cov == 1.0
    toks = _tokenize(sent)
    labels = align_labels(toks, "市局召开节能会议")
    kept = "".join(w for (w, _), lab in zip(toks, labels) if lab == "K")
    assert kept == "市局召开节能会议"


def test_train_save_load_predict(tmp_path):
    data = pairs()
    model = CompressionModel()
    stats = model.fit_tagger(data[:40], tmp_path / "tagger.crfsuite", max_iterations=40)
    assert stats["pairs_used"] == 40
    model.fit_reranker(data[40:])
    assert model.weights is not None and len(model.weights) == len(FEATURE_NAMES)
    out = tmp_path / "model"
    model.save(out)
    write_meta(out, task="summary", backend="compression", labels=["K", "D"])
    rr = json.loads((out / "reranker.json").read_text(encoding="utf-8"))
    assert rr["features"] == list(FEATURE_NAMES) and rr["max_spans"] >= 1
    assert read_meta(out)["backend"] == "compression"
    assert not list(out.glob("*.pkl"))

    comp = create_component(model=out)
    assert isinstance(comp, SummaryComponent) and comp.backend_name == "compression"
    art = Article(id="t", body="4月9日，市机关事务局启动垃圾分类行动，部署全年任务。会议要求各单位认真落实。")
    comp(art)
    lines = art.suggested_summary_lines
    assert 1 <= len(lines) <= 3 and len(set(lines)) == len(lines)
    assert all(len(x) <= 40 for x in lines)
    assert lines[0] == "市机关事务局启动垃圾分类行动"
    # the reloaded model predicts what the in-memory model predicts
    assert model.suggest(art.body, k=3) == lines
    # and it can be saved again through the component
    comp.save_pretrained(tmp_path / "again")
    assert create_component(model=tmp_path / "again").backend.model.suggest(art.body) == lines


def test_candidate_features_match_names():
    from jianbao_nlp.components.summary.compression import Candidate

    c = Candidate("市局召开会议", 0, "thr", 0.5, 0.9, 0.1, 0.8, 0.5, 20, 0.3, 0.5)
    assert len(candidate_features(c)) == len(FEATURE_NAMES)


def test_salience_is_the_bigram_overlap():
    from jianbao_nlp.components.summary.compression import _bigrams, _salience
    from jianbao_nlp.components.summary.text import squash

    body = "3月5日，市机关事务局召开节能工作会议。会议要求各单位（部门）认真落实节能任务，部署全年工作。"
    rest = squash(body.replace("会议要求各单位（部门）认真落实节能任务，部署全年工作。", "", 1))
    for text in ("召开节能工作会议", "节能任务，部署", "（部门）落实", "市局", "x"):
        bi = _bigrams(text)
        assert _salience(text, rest) == len(bi & _bigrams(rest)) / max(len(bi), 1)


def test_token_features_with_shared_counts():
    from jianbao_nlp.components.summary.compression import token_features

    body = "市局召开节能会议。市局部署节能任务，各单位参加。"
    toks = [("市局", "nt"), ("部署", "v"), ("节能", "vn"), ("任务", "n"), ("，", "x"), ("各", "r"), ("单位", "n")]
    counts: dict[str, int] = {}
    plain = token_features(toks, 1, body)
    assert token_features(toks, 1, body, None, counts) == plain and counts["市局"] == 2
    assert "cnt=1" in plain[0] and "w=市局" in plain[0] and "w-2=<s>" in plain[0] and "w2=节能" in plain[0]
    hidden = token_features(toks, 1, body, [True] + [False] * 6)
    assert "w=市局" not in hidden[0] and "w-1=<unk>" in hidden[1]

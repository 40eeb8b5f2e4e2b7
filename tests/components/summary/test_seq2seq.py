"""The seq2seq backend end to end with a tiny random-weight BART built here (nothing downloaded)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from jianbao_nlp.components.summary import SummaryComponent, create_component  # noqa: E402
from jianbao_nlp.components.summary.seq2seq import train_seq2seq  # noqa: E402
from jianbao_nlp.model import Article  # noqa: E402

PAIRS = [
    ("3月5日，市机关事务局召开节能工作会议，部署全年任务。会议要求各单位认真落实。", "市机关事务局召开节能工作会议"),
    ("近日，县后勤服务中心开展食堂安全检查，发现问题十项。", "县后勤服务中心开展食堂安全检查"),
    ("6月1日，区管理局举办公务用车培训班，学员五十人参加。", "区管理局举办公务用车培训班"),
    ("4月8日，市局组织干部学习新规，大家表示收获很大。", "市局组织干部学习新规"),
]


def _tiny_checkpoint(path):
    from transformers import BartConfig, BartForConditionalGeneration, BertTokenizer

    chars = sorted({c for body, head in PAIRS for c in body + head})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars
    path.mkdir()
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizer(str(path / "vocab.txt"), do_lower_case=False)
    config = BartConfig(vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
                        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
                        max_position_embeddings=256, pad_token_id=0, bos_token_id=2, eos_token_id=3,
                        decoder_start_token_id=2, forced_eos_token_id=3)
    torch.manual_seed(0)
    BartForConditionalGeneration(config).save_pretrained(str(path))
    tok.save_pretrained(str(path))
    return path


def test_train_save_load_generate(tmp_path):
    base = _tiny_checkpoint(tmp_path / "base")
    out = tmp_path / "model"
    backend = train_seq2seq(base, PAIRS, out, max_steps=3, batch_size=2, learning_rate=1e-3)
    assert (out / "meta.json").is_file() and (out / "config.json").is_file()
    assert not list(out.glob("*.bin")) and not list(out.glob("*.pkl"))
    before = backend.generate([PAIRS[0][0]], k=2)[0]

    comp = create_component(model=out, k=2)
    assert isinstance(comp, SummaryComponent) and comp.backend_name == "seq2seq"
    art = Article(id="x", body=PAIRS[0][0])
    comp(art)
    lines = art.suggested_summary_lines
    assert len(lines) <= 2 and all(len(x) <= 40 for x in lines)
    assert len(set(lines)) == len(lines)
    # the reloaded model generates what the trained one generated
    assert comp.backend.generate([PAIRS[0][0]], k=2)[0] == before


def test_cli_train_seq2seq(tmp_path):
    import gzip
    import json

    from typer.testing import CliRunner

    from jianbao_nlp.cli import app
    from jianbao_nlp.modeldir import read_meta

    base = _tiny_checkpoint(tmp_path / "base")
    corpus = tmp_path / "c.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        for i, (body, head) in enumerate(PAIRS * 3):
            date = ["2024-05-01", "2025-08-01", "2026-03-01"][i % 3]
            f.write(json.dumps({"id": f"x-{i}-1", "date": date, "title": head, "body": body}, ensure_ascii=False) + "\n")
    out = tmp_path / "s2s"
    r = CliRunner().invoke(app, ["train", "summary", "--backend", "seq2seq", "--base-model", str(base), "--out", str(out),
                                 "--corpus", str(corpus), "--max-steps", "2", "--batch-size", "2"])
    assert r.exit_code == 0, r.output
    meta = read_meta(out, task="summary")
    assert meta["backend"] == "seq2seq" and meta["training_data"]["pairs"] == 4  # 2026 items never used
    r = CliRunner().invoke(app, ["train", "summary", "--backend", "seq2seq", "--out", str(tmp_path / "x")])
    assert r.exit_code != 0 and "--base-model" in r.output

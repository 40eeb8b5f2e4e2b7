"""Text helpers shared by the theme backends: sentence splitting and jieba with the domain dictionary."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Iterable

# sentence ends, line breaks, and numbered points run on after a comma ("…，二是…", "…，其次…")
_SENT_END = re.compile(r"(?<=[。！？；!?;])|\n|(?<=[，,])(?=(?:[二三四五六七八九十]是|其次|再次|此外|最后)[，,]?)")
_WS = re.compile(r"\s+")

_jieba_lock = threading.Lock()
_jieba_ready: set[str] = set()
_tok = None


def sentences(text: str | None) -> list[str]:
    """Split a body into sentences (。！？； and line breaks); blank pieces are dropped."""
    if not text:
        return []
    return [s.strip() for s in _SENT_END.split(text) if s and s.strip()]


def clean(text: str | None) -> str:
    return _WS.sub("", text or "")


def tokenizer(extra_words: Iterable[str] = ()):
    """A private jieba ``Tokenizer`` (the global one is left alone) with the shipped domain
    dictionary plus ``extra_words``."""
    global _tok
    import jieba

    from ...segment import UserDictTokenizer
    from .taxonomy import default_userdict_path

    with _jieba_lock:
        if _tok is None:
            import logging

            jieba.setLogLevel(logging.WARNING)
            tok = UserDictTokenizer()  # cuts exactly like jieba.Tokenizer(), several times faster
            path = default_userdict_path()
            if Path(path).is_file():
                tok.load_userdict(str(path))
            _tok = tok
        tok = _tok
        for w in extra_words:
            if len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w) and ("w:" + w) not in _jieba_ready:
                tok.add_word(w, 200)
                _jieba_ready.add("w:" + w)
    return tok


def words(text: str, extra_words: Iterable[str] = ()) -> list[str]:
    tok = tokenizer(extra_words)
    return [w for w in tok.lcut(clean(text), HMM=False) if w.strip()]

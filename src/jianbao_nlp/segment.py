"""Fast word segmentation and POS tagging with output identical to jieba 0.42.1.

The models were trained on jieba's output, so the fast path must reproduce it token for token:

* ``cut(text, hmm)`` == ``list(jieba.cut(text, HMM=hmm))``
* ``posseg(text)`` == ``[(p.word, p.flag) for p in jieba.posseg.cut(text)]``
* ``UserDictTokenizer`` == a private ``jieba.Tokenizer`` with ``load_userdict`` / ``add_word``

How: jieba's own block splitting (its regular expressions) is done here in Python; the
dictionary route (DAG + max-probability path, and for ``cut`` the HMM of ``finalseg``) comes from
``rjieba`` (the Rust port, same dictionary) called on each block; what rjieba does differently is
repaired:

* rjieba's top-level block regex is wider (``_``, Han characters past U+9FD5): blocks are split here
  with jieba's regex, rjieba only sees jieba's blocks;
* rjieba's HMM keeps ASCII runs joined across ``-`` / ``.`` (``1-5``, ``TD-LTE``, ``3.5.6``) where
  jieba's ``finalseg`` splits them with ``([a-zA-Z0-9]+(?:\\.\\d+)?%?)``: the non-Han run of an HMM
  buffer is re-split with that regex (no dictionary word contains ``-``, ``.``, ``%`` or ``_``; the
  only dictionary words made of ASCII alone are AT&T, c#, C#, c++, C++, kept as route words);
* rjieba's dictionary total drops the frequencies of duplicated lines of dict.txt, jieba's adds
  them (60101964 vs 60101967) and jieba's ``add_word`` never subtracts the frequency it replaces:
  a private rjieba instance carries a dummy word (a private-use character, which jieba's block
  regex never passes on) whose frequency makes the two totals equal, so every log probability is
  the same float;
* ``posseg`` takes the route and the dictionary tags from ``rjieba.tag(block, hmm=False)``
  (rjieba's built-in dictionary has the same words, frequencies and tags as jieba's dict.txt once
  its duplicated line is dropped; ASCII-joined single characters are split back: no dictionary
  word is made of ASCII letters and digits alone), and runs jieba's (BMES, POS) Viterbi for
  unknown single-character buffers in numpy over the same restricted state sets, with jieba's
  tie-breaking (on equal probability ``max((prob, state))`` takes the largest state tuple),
  cached per buffer.

Without rjieba every function calls jieba itself (same results, slower).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import logging
import os
import re
from pathlib import Path
from typing import Iterable, Sequence

from .io_utils import write_atomic

try:  # pragma: no cover - exercised by the fallback test through monkeypatching
    import rjieba as _rjieba
except Exception:  # noqa: BLE001 - any import failure means: use jieba
    _rjieba = None

__all__ = ["cut", "posseg", "UserDictTokenizer", "HAVE_RJIEBA"]

HAVE_RJIEBA = _rjieba is not None

# --- jieba 0.42.1's regular expressions (jieba/__init__.py, finalseg, posseg) -----------------
RE_HAN_DEFAULT = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
RE_SKIP_DEFAULT = re.compile("(\r\n|\\s)", re.U)
RE_SKIP_FINALSEG = re.compile("([a-zA-Z0-9]+(?:\\.\\d+)?%?)")
RE_HAN_DETAIL = re.compile("([\u4E00-\u9FD5]+)")
RE_SKIP_DETAIL = re.compile("([\\.0-9]+|[a-zA-Z0-9]+)")
RE_HAN_INTERNAL = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")
RE_SKIP_INTERNAL = re.compile("(\r\n|\\s)")
RE_ENG = re.compile("[a-zA-Z0-9]+")
RE_NUM = re.compile("[\\.0-9]+")
# an HMM buffer's ASCII run is split differently by rjieba only when it holds one of these
_RE_ASCII_PUNCT = re.compile("[+#&._%\\-]")

_DUMMY = "\ue000"  # never inside a jieba block: carries the total-frequency correction


# --- dictionary -------------------------------------------------------------------------------
def _jieba_dir() -> Path:
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin
    return Path(spec.origin).parent


class _Dict:
    """jieba's dict.txt as jieba reads it: last frequency of a duplicated word wins, the Python
    total counts every line, rjieba's total only the last line of a word. The tags are not kept:
    ``posseg`` reads them from rjieba, whose dictionary holds the same words, frequencies and tags.

    Held as one sorted numpy string array per word length with the frequencies beside it, looked up
    by binary search: ~5 MB read from a cache file (``load``) in a few milliseconds, where parsing
    dict.txt into a 350k-entry dict cost every worker process ~0.2 s and ~40 MB."""

    def __init__(self, words: Sequence, freqs: Sequence, py_total: int, rs_total: int,
                 ascii_words: Iterable[str]) -> None:
        # words[k] / freqs[k]: the words of k characters, sorted, and their frequencies (k >= 1)
        self.words, self.freqs = list(words), list(freqs)
        self.py_total, self.rs_total = int(py_total), int(rs_total)
        # dictionary words (freq > 0) made of ASCII only: route words inside an ASCII run
        self.ascii_words = frozenset(ascii_words)

    @classmethod
    def parse(cls, path: Path) -> "_Dict":
        import numpy as np

        # every line is "word freq tag" (no word holds white space): one split, then slices
        data = path.read_text(encoding="utf-8").split()
        if len(data) % 3:
            raise ValueError("jieba's dict.txt: a line without three fields")
        words, counts = data[0::3], list(map(int, data[1::3]))
        del data
        freq = dict(zip(words, counts))  # a duplicated word: the last line wins, as in jieba
        by_len: list[list[str]] = [[] for _ in range(max(map(len, freq), default=0) + 1)]
        for w in sorted(freq):
            by_len[len(w)].append(w)
        return cls([np.array(ws, dtype=f"<U{k}") for k, ws in enumerate(by_len)],
                   [np.array([freq[w] for w in ws], dtype=np.int64) for ws in by_len],
                   sum(counts), sum(freq.values()), (w for w in filter(str.isascii, freq) if freq[w]))

    @classmethod
    def load(cls, path: Path, cache: Path | None) -> "_Dict":
        """From the cache file for this dict.txt (its path, size and mtime) when it is there and
        whole, else parsed and written there (atomically; an unwritable cache is left alone)."""
        if cache is None:
            return cls.parse(path)
        import numpy as np

        st = path.stat()
        key = hashlib.sha1(f"{_CACHE_FORMAT}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()
        target = cache / f"jieba-dict-{key[:16]}.npz"
        try:
            with np.load(target, allow_pickle=False) as z:
                n = int(z["n"][0])
                words = [z[f"w{k}"] for k in range(n)]
                freqs = [z[f"f{k}"] for k in range(n)]
                totals = z["totals"]
                ascii_words = z["ascii"].tolist()
            if any(w.dtype.kind != "U" or f.dtype != np.int64 or w.shape != f.shape
                   for w, f in zip(words, freqs)):
                raise ValueError("cache arrays do not match")
            return cls(words, freqs, int(totals[0]), int(totals[1]), ascii_words)
        except Exception:  # noqa: BLE001 - missing, stale, truncated or foreign: build it again
            pass
        d = cls.parse(path)
        arrays = {f"w{k}": w for k, w in enumerate(d.words)} | {f"f{k}": f for k, f in enumerate(d.freqs)}
        arrays |= {"n": np.array([len(d.words)]), "totals": np.array([d.py_total, d.rs_total], dtype=np.int64),
                   "ascii": np.array(sorted(d.ascii_words), dtype=str)}
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        try:
            write_atomic(target, buf.getvalue())
        except OSError as e:
            logging.getLogger(__name__).debug("jieba dictionary cache not written: %s", e)
        return d

    def get(self, word: str) -> int | None:
        """The word's frequency, None when it is not a dictionary word."""
        k = len(word)
        # numpy drops a trailing NUL: no dictionary word holds one
        if not 0 < k < len(self.words) or "\0" in word:
            return None
        arr = self.words[k]
        i = int(arr.searchsorted(word))
        return int(self.freqs[k][i]) if i < len(arr) and arr[i] == word else None

    def is_prefix(self, s: str) -> bool:
        """Whether ``s`` begins some dictionary word (jieba keeps such prefixes in FREQ with 0)."""
        if "\0" in s:
            return False
        for arr in self.words[max(len(s), 1):]:
            # s padded with NULs sorts before every longer word it begins
            i = int(arr.searchsorted(s))
            if i < len(arr) and arr[i].startswith(s):
                return True
        return False


_CACHE_FORMAT = 1


def cache_dir() -> Path | None:
    """Where derived data files are cached: ``JIANBAO_CACHE_DIR`` (empty: no cache), else
    ``$XDG_CACHE_HOME/jianbao-nlp``, else ``~/.cache/jianbao-nlp``."""
    env = os.environ.get("JIANBAO_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "jianbao-nlp"
    try:
        return Path.home() / ".cache" / "jianbao-nlp"
    except RuntimeError:  # no home directory to be found (a bare service account): no cache
        return None


@functools.lru_cache(maxsize=1)
def _dict() -> _Dict:
    return _Dict.load(_jieba_dir() / "dict.txt", cache_dir())


def word_freq(word: str) -> int:
    """The frequency of ``word`` in jieba's dictionary (0 if absent), as ``jieba.dt.FREQ.get``,
    without loading jieba's own prefix dictionary."""
    return _dict().get(word) or 0


def _is_prefix(s: str) -> bool:
    """Whether ``s`` begins some dictionary word (jieba keeps such prefixes in FREQ with 0)."""
    return _dict().is_prefix(s)


def _new_rjieba(delta: int):
    j = _rjieba.Jieba()
    if delta:
        j.add_word(_DUMMY, delta, None)
    return j


@functools.lru_cache(maxsize=1)
def _default_rjieba():
    """The rjieba instance ``cut`` and ``posseg`` use: rjieba's own module-level instance (built when
    rjieba is imported; building another costs ~0.1 s in every process) with the dummy word that
    makes its total jieba's. That word is a private-use character, which no text jieba splits into
    blocks can hold, so the only change others calling ``rjieba.cut`` see is the total, now jieba's.
    Words are never added to it (``UserDictTokenizer`` builds its own instance)."""
    d = _dict()
    delta = d.py_total - d.rs_total
    shared = getattr(_rjieba, "_DEFAULT_JIEBA", None)
    if shared is None or not hasattr(shared, "add_word") or delta < 0:
        return _new_rjieba(delta)
    if delta:
        shared.add_word(_DUMMY, delta, None)
    return shared


@functools.lru_cache(maxsize=1)
def _ascii_char_tags() -> dict[str, str]:
    """jieba's tag of a lone ASCII letter or digit (its dictionary tag, else ``x``) where rjieba's
    ``tag`` says ``eng`` / ``m`` for a character outside the dictionary."""
    j = _default_rjieba()
    chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return {c: j.tag(c, False)[0][1] if j.has_word(c) else "x" for c in chars}


# --- cut ------------------------------------------------------------------------------------
def _fix_hmm_ascii(toks: list[str], ascii_words: frozenset[str]) -> list[str]:
    """Re-split the ASCII runs of rjieba's HMM output the way jieba's ``finalseg`` does."""
    out: list[str] = []
    run: list[str] = []
    for t in toks:
        if t.isascii() and t not in ascii_words:
            run.append(t)
            continue
        if run:
            out.extend(x for x in RE_SKIP_FINALSEG.split("".join(run)) if x)
            run = []
        out.append(t)
    if run:
        out.extend(x for x in RE_SKIP_FINALSEG.split("".join(run)) if x)
    return out


def _cut_with(j, ascii_words: frozenset[str], text: str, hmm: bool) -> list[str]:
    out: list[str] = []
    blocks = RE_HAN_DEFAULT.split(text)
    for i, blk in enumerate(blocks):
        if not blk:
            continue
        if i & 1:  # a jieba block
            toks = j.cut(blk, hmm)
            if hmm and _RE_ASCII_PUNCT.search(blk):
                toks = _fix_hmm_ascii(toks, ascii_words)
            out.extend(toks)
        elif len(blk) == 1:
            out.append(blk)
        else:
            for k, x in enumerate(RE_SKIP_DEFAULT.split(blk)):
                if k & 1:
                    out.append(x)
                else:
                    out.extend(x)
    return out


def _jieba_dt():
    import jieba

    if not jieba.dt.initialized:
        jieba.setLogLevel(logging.WARNING)
        jieba.dt.check_initialized()
    return jieba


def cut(text: str, hmm: bool = True) -> list[str]:
    """``list(jieba.cut(text, HMM=hmm))``."""
    if _rjieba is None:
        return list(_jieba_dt().cut(text, HMM=hmm))
    return _cut_with(_default_rjieba(), _dict().ascii_words, text, hmm)


# --- posseg ---------------------------------------------------------------------------------
def _load_table(name: str):
    spec = importlib.util.spec_from_file_location(f"_jianbao_jieba_posseg_{name}",
                                                  _jieba_dir() / "posseg" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.P


class _PosHMM:
    """jieba.posseg.viterbi in numpy over the same restricted state sets. States are indexed in
    sorted tuple order, so the largest index is the largest state tuple (jieba's tie-break). The
    runs are 2-8 characters long and their steps rarely repeat: each step is a dozen small array
    operations, what depends on one character alone is kept per character."""

    MIN_FLOAT = -3.14e100
    #: bytes of per-character arrays in the young generation (about 3 KB a character): past this it
    #: becomes the old one, whose characters move back into the young one when seen again; at most
    #: twice this is held, so memory stays flat (2 MB: ~700 characters, which covers most of the
    #: unknown-character runs of news text; twice as much held 4 MB more per worker for ~0.1% speed)
    MAX_BYTES = 2 << 20

    def __init__(self) -> None:
        import numpy as np

        self.np = np
        start_p = _load_table("prob_start")
        trans_p = _load_table("prob_trans")
        emit_p = _load_table("prob_emit")
        char_state = _load_table("char_state_tab")
        states = sorted(trans_p.keys())
        idx = {s: i for i, s in enumerate(states)}
        n = len(states)
        self.start = [start_p[s] for s in states]
        trans = np.full((n, n), -np.inf)  # jieba's trans_p[y0].get(y, MIN_INF)
        for s, row in trans_p.items():
            for y, p in row.items():
                trans[idx[s], idx[y]] = p
        self.trans = trans
        self.succ = trans > -np.inf
        self.has_trans = self.succ.any(axis=1)
        self.emit_p = [emit_p[s] for s in states]
        # jieba's char_state_tab: a character's states, indexed per character when first seen (most of
        # its 6,000 characters never are, and indexing them all costs a tenth of a second at start-up)
        self.char_state, self.state_idx = char_state, idx
        self.all_idx = list(range(n))
        self.pos = [s[0] for s in states]
        self.tag = [s[1] for s in states]
        self._chars: dict[str, tuple] = {}
        self._old: dict[str, tuple] = {}
        self._bytes = 0

    def _char(self, ch: str) -> tuple:
        """Per character: its states as a mask, its emissions, and jieba's V[0] were it first
        (the states, start + emission, and the prev_states of the next step)."""
        got = self._chars.get(ch)
        if got is None:
            got = self._old.get(ch)
            if got is None:
                got = self._build(ch)
            if self._bytes >= self.MAX_BYTES:  # a new generation: the young one becomes the old one
                self._old, self._chars, self._bytes = self._chars, {}, 0
            self._chars[ch] = got
            self._bytes += sum(a.nbytes for a in got[:4]) + sum(a.nbytes for a in got[4])
        return got

    def _build(self, ch: str) -> tuple:
        np = self.np
        mf = self.MIN_FLOAT
        emit = np.array([d.get(ch, mf) for d in self.emit_p])
        ss = self.char_state.get(ch)
        cur = self.all_idx if ss is None else sorted(self.state_idx[s] for s in ss)
        mask = np.zeros(len(self.all_idx), dtype=bool)
        mask[cur] = True
        cur = np.array(cur)
        v0 = np.array([self.start[y] for y in cur]) + emit[cur]
        return mask, emit, cur, v0, self._prev_states(cur)

    def _prev_states(self, cur) -> tuple:
        """jieba's prev_states (the states with a transition), reversed so that argmax (first
        maximum) takes the largest state on a tie: their positions in ``cur``, the states, and the
        states they lead to (jieba's expected next states). Their transition block is gathered per
        step: kept per character it would be most of 20 KB a character."""
        np = self.np
        sel = np.flatnonzero(self.has_trans[cur])[::-1]
        if not len(sel):  # jieba: max() of an empty sequence
            raise ValueError("no state with a transition")
        prev = cur[sel]
        return sel, prev, np.flatnonzero(self.succ[prev].any(axis=0))

    def viterbi(self, obs: str) -> list[int]:
        """The state route of jieba.posseg.viterbi: the same sums ``(V[y0] + trans) + emit`` and
        the same choice among equal ones."""
        np = self.np
        _, _, cur, v, prev = self._char(obs[0])
        back = []
        last = len(obs) - 1
        for t in range(1, last + 1):
            mask, emit, _, _, _ = self._char(obs[t])
            sel, prev_states, expect = prev
            # the expected states this character can take, else all expected states
            got = expect[mask[expect]]
            nxt = got if len(got) else expect
            m = v[sel][:, None] + self.trans[np.ix_(prev_states, nxt)]
            m += emit[nxt]
            k = m.argmax(axis=0)
            v = m.max(axis=0)
            back.append((cur, sel, k))
            cur = nxt
            if t < last:
                prev = self._prev_states(cur)
        # the last state: the largest (prob, state)
        pos = len(v) - 1 - int(v[::-1].argmax())
        route = [int(cur[pos])]
        for cur, sel, k in reversed(back):
            pos = int(sel[k[pos]])
            route.append(int(cur[pos]))
        route.reverse()
        return route

    def cut(self, sentence: str) -> list[tuple[str, str]]:
        """jieba.posseg.POSTokenizer.__cut on a run of Han characters."""
        route = self.viterbi(sentence)
        pos, tag = self.pos, self.tag
        out = []
        begin = nexti = 0
        for i, char in enumerate(sentence):
            p = pos[route[i]]
            if p == "B":
                begin = i
            elif p == "E":
                out.append((sentence[begin:i + 1], tag[route[i]]))
                nexti = i + 1
            elif p == "S":
                out.append((char, tag[route[i]]))
                nexti = i + 1
        if nexti < len(sentence):
            out.append((sentence[nexti:], tag[route[nexti]]))
        return out


@functools.lru_cache(maxsize=1)
def _pos_hmm() -> _PosHMM:
    return _PosHMM()


@functools.lru_cache(maxsize=4096)
def _hmm_pos_cut(sentence: str) -> tuple[tuple[str, str], ...]:
    return tuple(_pos_hmm().cut(sentence))


def _cut_detail(buf: str, out: list) -> None:
    """jieba.posseg.POSTokenizer.__cut_detail."""
    for i, blk in enumerate(RE_HAN_DETAIL.split(buf)):
        if i & 1:
            out.extend(_hmm_pos_cut(blk))
        elif blk:
            for x in RE_SKIP_DETAIL.split(blk):
                if x:
                    if RE_NUM.match(x):
                        out.append((x, "m"))
                    elif RE_ENG.match(x):
                        out.append((x, "eng"))
                    else:
                        out.append((x, "x"))


def _flush(j, buf: list[tuple[str, str]], out: list) -> None:
    if len(buf) == 1:
        out.append(buf[0])
        return
    s = "".join([c for c, _ in buf])
    if not j.has_word(s):  # not jieba.dt.FREQ.get(buf): every dictionary word has a frequency > 0
        _cut_detail(s, out)
    else:
        out.extend(buf)


def _posseg_block(j, blk: str, out: list) -> None:
    """jieba.posseg.POSTokenizer.__cut_DAG on one block. ``rjieba.tag(blk, False)`` gives the
    route with each dictionary word's tag; a character outside the dictionary is tagged ``x`` by
    jieba, by rjieba too unless it is an ASCII letter / digit (``eng`` / ``m``)."""
    ascii_tags = _ascii_char_tags()
    buf: list[tuple[str, str]] = []  # single characters with jieba's tag
    for w, t in j.tag(blk, False):
        if len(w) == 1:
            buf.append((w, ascii_tags.get(w, t) if t == "eng" or t == "m" else t))
        elif w.isascii() and w.isalnum():
            buf.extend([(c, ascii_tags[c]) for c in w])  # lone ASCII letters / digits, joined by rjieba
        else:
            if buf:
                _flush(j, buf, out)
                buf = []
            out.append((w, t))
    if buf:
        _flush(j, buf, out)


def posseg(text: str) -> list[tuple[str, str]]:
    """``[(p.word, p.flag) for p in jieba.posseg.cut(text)]`` (HMM on)."""
    if _rjieba is None:
        _jieba_dt()
        import jieba.posseg as pseg

        return [(p.word, p.flag) for p in pseg.cut(text)]
    j = _default_rjieba()
    out: list[tuple[str, str]] = []
    for i, blk in enumerate(RE_HAN_INTERNAL.split(text)):
        if i & 1:
            _posseg_block(j, blk, out)
        elif blk:
            for k, x in enumerate(RE_SKIP_INTERNAL.split(blk)):
                if k & 1:
                    out.append((x, "x"))
                else:
                    for xx in x:
                        if RE_NUM.match(xx):
                            out.append((xx, "m"))
                        elif RE_ENG.match(x):
                            out.append((xx, "eng"))
                        else:
                            out.append((xx, "x"))
    return out


# --- a private tokenizer with user words --------------------------------------------------------
class UserDictTokenizer:
    """A private ``jieba.Tokenizer()`` equivalent (default dictionary + user words) whose ``cut``
    equals jieba's. ``add_word`` / ``load_userdict`` follow jieba 0.42.1: a missing frequency is
    ``suggest_freq(word)``; the total frequency grows by every added frequency, even when a word
    is replaced (rjieba subtracts the replaced one: made up through the dummy word)."""

    def __init__(self) -> None:
        self._jieba = None
        self._rj = None
        self._added: dict[str, int] = {}
        self._ascii_words: frozenset[str] = frozenset()
        self._delta = 0
        self._total = 0
        if _rjieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            self._jieba = jieba.Tokenizer()
            self._jieba.check_initialized()
        else:
            d = _dict()
            self._delta = d.py_total - d.rs_total
            self._total = d.py_total
            self._ascii_words = d.ascii_words  # rjieba instance: the shared one until a word is added

    def _freq(self, word: str, prefixes: bool = True) -> int | None:
        """jieba's ``FREQ.get(word)``: the frequency, 0 for a mere prefix of a word, else None
        (``prefixes=False``: None for a prefix too, without the prefix search)."""
        if word in self._added:
            return self._added[word]
        f = _dict().get(word)
        if f is not None:
            return f
        if prefixes and (_is_prefix(word) or any(w.startswith(word) for w in self._added)):
            return 0
        return None

    def suggest_freq(self, word: str) -> int:
        """jieba's ``suggest_freq(word, tune=False)`` for a string."""
        if self._jieba is not None:
            return self._jieba.suggest_freq(word, False)
        ftotal = float(self._total)
        freq = 1
        for seg in self.cut(word, hmm=False):
            f = self._freq(seg)
            freq *= (1 if f is None else f) / ftotal
        f = self._freq(word)
        return max(int(freq * self._total) + 1, 1 if f is None else f)

    def add_word(self, word: str, freq: int | str | None = None, tag: str | None = None) -> None:
        if self._jieba is not None:
            self._jieba.add_word(word, freq, tag)
            return
        freq = int(freq) if freq is not None else self.suggest_freq(word)
        # the frequency replaced (rjieba takes it off its total, jieba does not); a mere prefix
        # counts 0 as an absent word does, so no prefix search
        old = self._freq(word, prefixes=False) or 0
        self._delta += old
        self._total += freq
        self._added[word] = freq
        if self._rj is None:
            self._rj = _new_rjieba(_dict().py_total - _dict().rs_total)
        self._rj.add_word(word, freq, tag)
        self._rj.add_word(_DUMMY, self._delta, None)
        if word.isascii():
            self._ascii_words = (self._ascii_words | {word}) if freq else (self._ascii_words - {word})

    def load_userdict(self, path: str | Path) -> None:
        if self._jieba is not None:
            self._jieba.load_userdict(str(path))
            return
        re_userdict = re.compile("^(.+?)( [0-9]+)?( [a-z]+)?$", re.U)
        with open(path, "rb") as f:
            for ln in f:
                line = ln.strip().decode("utf-8").lstrip("\ufeff")
                if not line:
                    continue
                word, freq, tag = re_userdict.match(line).groups()
                if freq is not None:
                    freq = freq.strip()
                if tag is not None:
                    tag = tag.strip()
                self.add_word(word, freq, tag)

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        if self._jieba is not None:
            return list(self._jieba.cut(text, HMM=hmm))
        return _cut_with(self._rj or _default_rjieba(), self._ascii_words, text, hmm)

    def lcut(self, text: str, HMM: bool = True) -> list[str]:  # noqa: N803 - jieba's keyword
        return self.cut(text, hmm=HMM)


def user_tokenizer(userdict: str | Path | None = None, words: Iterable[tuple[str, int]] = ()
                   ) -> UserDictTokenizer:
    tok = UserDictTokenizer()
    if userdict is not None and Path(userdict).is_file():
        tok.load_userdict(userdict)
    for w, f in words:
        tok.add_word(w, f)
    return tok

"""Character clusters learned from unlabelled text (PPMI over left/right neighbours, SVD, k-means).

The table is plain TSV (``char<TAB>coarse<TAB>fine``) stored inside the CRF model directory, so
the CRF can back off from a rare character to the class of characters used like it.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

CLUSTERS_FILE = "char_clusters.tsv"


def xinwenlianbo_texts(path: str | Path, until: str = "2025-06-30", limit: int | None = None) -> Iterator[str]:
    """Bodies and titles of 新闻联播 items dated on or before ``until`` (the corpus's training split)."""
    n = 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("date", "9999") > until:
                continue
            yield (d.get("title") or "") + "\n" + (d.get("body") or "")
            n += 1
            if limit and n >= limit:
                return


def learn_clusters(texts: Iterable[str], n_vocab: int = 6000, n_context: int = 3000, dim: int = 64,
                   k_coarse: int = 48, k_fine: int = 256, seed: int = 0) -> dict[str, tuple[int, int]]:
    """Return ``{char: (coarse_cluster, fine_cluster)}`` for the ``n_vocab`` most frequent characters."""
    import numpy as np
    from scipy import sparse
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD

    texts = list(texts)
    freq = Counter()
    for t in texts:
        freq.update(t)
    freq.pop("\n", None)
    vocab = [c for c, _ in freq.most_common(n_vocab) if not c.isspace()]
    ctx = [c for c, _ in freq.most_common(n_context) if not c.isspace()]
    vi = {c: i for i, c in enumerate(vocab)}
    ci = {c: i for i, c in enumerate(ctx)}
    nctx = len(ctx)
    pairs: Counter = Counter()
    for t in texts:
        for a, b in zip(t, t[1:]):
            ia, ib = vi.get(a), vi.get(b)
            if ia is not None and b in ci:
                pairs[(ia, ci[b])] += 1          # right neighbour of a
            if ib is not None and a in ci:
                pairs[(ib, nctx + ci[a])] += 1   # left neighbour of b
    rows, cols, vals = zip(*((r, c, v) for (r, c), v in pairs.items()))
    m = sparse.csr_matrix((np.array(vals, dtype=np.float64), (rows, cols)), shape=(len(vocab), 2 * nctx))
    total = m.sum()
    row = np.asarray(m.sum(axis=1)).ravel()
    col = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    col = col / col.sum() * total
    m = m.tocoo()
    pmi = np.log(m.data * total / (row[m.row] * col[m.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    vec = TruncatedSVD(n_components=dim, random_state=seed).fit_transform(ppmi)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    coarse = MiniBatchKMeans(n_clusters=k_coarse, random_state=seed, n_init=3, batch_size=2048).fit_predict(vec)
    fine = MiniBatchKMeans(n_clusters=k_fine, random_state=seed, n_init=3, batch_size=2048).fit_predict(vec)
    return {c: (int(coarse[i]), int(fine[i])) for i, c in enumerate(vocab)}


def save_clusters(table: dict[str, tuple[int, int]], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write("# char\tcoarse\tfine (learned from unlabelled text; see clusters.py)\n")
        for ch, (a, b) in sorted(table.items()):
            if ch in "\t\n\r#":
                continue
            f.write(f"{ch}\t{a}\t{b}\n")


def load_clusters(path: str | Path) -> dict[str, tuple[int, int]]:
    table: dict[str, tuple[int, int]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and len(parts[0]) == 1:
                table[parts[0]] = (int(parts[1]), int(parts[2]))
    return table

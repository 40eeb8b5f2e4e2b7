#!/usr/bin/env python
"""Render Markdown bulletins as .docx, .pdf and .html (what editors actually send), for demos and tests.

    python scripts/make_sample_formats.py data/examples/*.md --out-dir out/samples
    python scripts/make_sample_formats.py data/examples/sample-bulletin.md --out-dir out/samples --formats pdf \
        --page-numbers "第 {n} 页" --header "示范简报"

Each INPUT.md gives OUT_DIR/INPUT.docx, INPUT.pdf and INPUT.html. The PDF has a running header
(default: the first heading) and page numbers, so it exercises the PDF reader's clean-up.
Needs reportlab for PDF output (a test dependency).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jianbao_nlp.readers.render import render_docx, render_html, render_pdf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", type=Path, help="Markdown bulletins")
    ap.add_argument("--out-dir", type=Path, required=True)
    ap.add_argument("--formats", default="docx,pdf,html", help="comma-separated subset of docx,pdf,html")
    ap.add_argument("--header", default=None, help="PDF running header (default: the first heading)")
    ap.add_argument("--page-numbers", default="- {n} -", help="PDF page-number format; '' for none")
    ap.add_argument("--html-encoding", default="utf-8", help="encoding of the HTML page (e.g. gb2312)")
    args = ap.parse_args(argv)

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = set(formats) - {"docx", "pdf", "html"}
    if unknown:
        ap.error(f"unknown format(s): {', '.join(sorted(unknown))}")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for src in args.inputs:
        try:
            text = src.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            print(f"make_sample_formats: {src}: {err}", file=sys.stderr)
            return 1
        stem = args.out_dir / src.stem
        if "docx" in formats:
            print(render_docx(text, stem.with_suffix(".docx")))
        if "pdf" in formats:
            print(render_pdf(text, stem.with_suffix(".pdf"), running_header=args.header,
                             page_number_format=args.page_numbers))
        if "html" in formats:
            print(render_html(text, stem.with_suffix(".html"), encoding=args.html_encoding))
    return 0


if __name__ == "__main__":
    sys.exit(main())

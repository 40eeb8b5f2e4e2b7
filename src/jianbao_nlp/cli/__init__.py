"""The ``jianbao`` command line. Each verb lives in its own module as a thin typer wrapper over an
importable function; modules register themselves on the apps in ``_app``."""

from __future__ import annotations

import importlib
import importlib.util
import sys

from ._app import app, evaluate_app, fail, handle_errors, train_app  # noqa: F401

# Verb modules, imported in this order when present (a module is absent until its feature lands).
VERB_MODULES = ("parse", "process", "info", "show", "themes", "summary", "ner", "batch", "serve", "report", "evaluate_all")

for _name in VERB_MODULES:
    if importlib.util.find_spec(f"{__name__}.{_name}") is not None:
        importlib.import_module(f"{__name__}.{_name}")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    import logging
    import os

    logging.basicConfig(level=os.environ.get("JIANBAO_LOG", "WARNING"), format="jianbao: %(levelname)s: %(message)s")
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # pragma: no cover
        pass
    app(args=argv, prog_name="jianbao")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

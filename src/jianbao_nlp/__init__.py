"""jianbao-nlp: parse Chinese office-administration bulletins (简报) and annotate their articles.

Quick use::

    from jianbao_nlp import parse_file, load_pipeline
    issue = parse_file("bulletin.docx")
    load_pipeline()(issue)           # themes, summary lines, entities
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import InputError, JianbaoError, ModelError
from .model import Article, Entity, Issue, IssueMeta, load_issue
from .pipeline import Component, Pipeline, TrainableComponent, create_component, load_pipeline


def parse_file(path, **kwargs) -> Issue:
    """Read and parse a bulletin file of any supported type into an ``Issue``."""
    from .parser import parse_file as _parse_file

    return _parse_file(path, **kwargs)


def parse_text(text: str, **kwargs) -> Issue:
    """Parse bulletin text (Markdown or plain) into an ``Issue``."""
    from .parser import parse_text as _parse_text

    return _parse_text(text, **kwargs)


__all__ = [
    "__version__", "Article", "Component", "Entity", "InputError", "Issue", "IssueMeta",
    "JianbaoError", "ModelError", "Pipeline", "TrainableComponent", "create_component",
    "load_issue", "load_pipeline", "parse_file", "parse_text",
]

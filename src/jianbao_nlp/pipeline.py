"""Components and pipelines (spaCy-style): a pipeline is an ordered list of named components.

Every component is called on one article (``component(article, issue)``) or on a stream
(``component.pipe(articles, issue)``) and writes its annotations onto the ``Article`` objects.
Trainable components split ``predict`` (pure, batchable) from ``set_annotations`` (writes).
Components are registered by name with a lazily imported factory, so that ``jianbao info`` and a
pipeline without torch stay fast, and a component whose code or model is absent is reported
rather than crashing the run.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, ClassVar, Collection, Iterable, Iterator, Sequence

from .errors import JianbaoError, ModelError, one_line
from .model import Article, Issue

log = logging.getLogger(__name__)

#: The pipeline order used by ``jianbao process`` when no component list is given.
DEFAULT_COMPONENTS: tuple[str, ...] = ("themes", "summary", "ner")

#: name -> "module:factory"; a factory takes ``model`` (a path or None) and keyword settings.
FACTORIES: dict[str, str] = {
    "themes": "jianbao_nlp.components.themes:create_component",
    "summary": "jianbao_nlp.components.summary:create_component",
    "ner": "jianbao_nlp.components.ner:create_component",
}


def register_component(name: str, target: str | Callable[..., "Component"]) -> None:
    """Register (or replace) a component factory under ``name``; ``target`` is callable or 'module:attr'."""
    FACTORIES[name] = target  # type: ignore[assignment]


def _resolve(target: str | Callable[..., "Component"]) -> Callable[..., "Component"]:
    if callable(target):
        return target
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Component:
    """Base class: subclasses implement ``__call__`` or ``pipe`` (each defaults to the other)."""

    name: ClassVar[str] = "component"
    #: Article fields this component reads and writes (documentation and pipeline analysis).
    requires: ClassVar[tuple[str, ...]] = ("body",)
    assigns: ClassVar[tuple[str, ...]] = ()

    def __call__(self, article: Article, issue: Issue | None = None) -> Article:
        return next(iter(self.pipe([article], issue=issue)))

    def pipe(self, articles: Iterable[Article], issue: Issue | None = None,
             batch_size: int = 64) -> Iterator[Article]:
        for article in articles:
            yield self(article, issue)

    def process_issue(self, issue: Issue) -> Issue:
        issue.articles = list(self.pipe(issue.articles, issue=issue))
        return issue

    def process_issues(self, issues: Sequence[Issue]) -> Sequence[Issue]:
        """Annotate several issues: the same annotations as ``process_issue`` on each (components
        that batch across issues override this)."""
        for issue in issues:
            self.process_issue(issue)
        return issues

    def info(self) -> dict[str, Any]:
        """A short description for ``jianbao info`` (backend, model path, labels...)."""
        return {"name": self.name}


class TrainableComponent(Component):
    """A component with learned state: ``predict`` computes, ``set_annotations`` writes."""

    #: whether ``predict`` reads the issue; such a component takes ``owners`` (each article's own
    #: issue) so that ``process_issues`` can predict the articles of several issues in one call
    reads_issue: ClassVar[bool] = False

    def predict(self, articles: Sequence[Article], issue: Issue | None = None) -> list[Any]:
        raise NotImplementedError

    def process_issues(self, issues: Sequence[Issue], batch_size: int = 256) -> Sequence[Issue]:
        """The articles of several issues predicted together (one model call for many short issues
        is cheaper than one per issue: the batched Viterbi and TF-IDF pay per call); the annotations
        are those of ``process_issue`` on each issue."""
        if len(issues) < 2:
            return super().process_issues(issues)
        pairs = [(issue, article) for issue in issues for article in issue.articles]
        for batch in batched(pairs, batch_size):
            articles = [a for _, a in batch]
            if self.reads_issue:
                preds = self.predict(articles, owners=[i for i, _ in batch])  # type: ignore[call-arg]
            else:
                preds = self.predict(articles)
            self.set_annotations(articles, preds)
        return issues

    def set_annotations(self, articles: Sequence[Article], predictions: Sequence[Any],
                        issue: Issue | None = None) -> None:
        raise NotImplementedError

    def pipe(self, articles: Iterable[Article], issue: Issue | None = None,
             batch_size: int = 64) -> Iterator[Article]:
        for batch in batched(articles, batch_size):
            self.set_annotations(batch, self.predict(batch, issue=issue), issue=issue)
            yield from batch

    def save_pretrained(self, path) -> None:
        raise NotImplementedError

    @classmethod
    def from_pretrained(cls, path, **kwargs) -> "TrainableComponent":
        raise NotImplementedError


#: what stops a pipeline run rather than being contained to one article: the project's own errors
#: (bad input, a missing model) and the machine running out of memory or stack
_NOT_A_BUG = (JianbaoError, MemoryError, RecursionError)


@dataclass
class Pipeline:
    """An ordered list of (name, component); ``missing`` lists requested names that could not load."""

    components: list[tuple[str, Component]] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.components]

    def get(self, name: str) -> Component:
        for n, c in self.components:
            if n == name:
                return c
        raise KeyError(name)

    def __call__(self, issue: Issue) -> Issue:
        for name, component in self.components:
            self._run(name, component, issue)
        return issue

    def process_issues(self, issues: Sequence[Issue]) -> Sequence[Issue]:
        """Run the pipeline on several issues, each component on all of them at once (what
        ``jianbao batch`` does with a few files per task); the same annotations as calling the
        pipeline on each issue. A component that fails on the group is re-run issue by issue."""
        for name, component in self.components:
            try:
                component.process_issues(issues)
            except _NOT_A_BUG:
                raise
            except Exception:
                for issue in issues:
                    self._run(name, component, issue)
        return issues

    def _run(self, name: str, component: Component, issue: Issue) -> None:
        try:
            component.process_issue(issue)
        except _NOT_A_BUG:
            raise
        except Exception:  # a bug met on some article: label the others all the same
            self._article_by_article(name, component, issue)

    @staticmethod
    def _article_by_article(name: str, component: Component, issue: Issue) -> None:
        """Run a component that failed on an issue on each article alone: an article it still
        fails on keeps no annotation from it, and the issue gets a warning naming both (one odd
        article must not cost a whole issue its labels, in an archive or an evaluation)."""
        for article in issue.articles:
            try:
                component(article, issue)
            except _NOT_A_BUG:
                raise
            except Exception as err:
                msg = f"{name} failed on article {article.id}: {type(err).__name__}: {one_line(err)[:200]}"
                log.warning("%s", msg)
                issue.warnings.append(msg)

    def pipe(self, issues: Iterable[Issue]) -> Iterator[Issue]:
        for issue in issues:
            yield self(issue)

    @classmethod
    def from_config(cls, config: dict[str, Any], strict: bool | Collection[str] = False) -> "Pipeline":
        """Build from ``{"components": [...], "<name>": {settings}}``.

        With ``strict=False`` a component that cannot be created (code or model not installed) is
        recorded in ``missing`` with the reason; with ``strict=True`` the error is raised; a
        collection of names makes only those components strict.
        """
        pipeline = cls()
        for name in config.get("components", DEFAULT_COMPONENTS):
            settings = dict(config.get(name) or {})
            try:
                pipeline.components.append((name, create_component(name, **settings)))
            except (ImportError, AttributeError, ModelError, OSError, ValueError) as err:
                # the component's code or model is absent or incomplete: report it, run the rest
                if strict is True or (strict and name in strict):
                    raise
                reason = f"{type(err).__name__}: {err}"
                log.info("component %s not available (%s)", name, reason)
                pipeline.missing[name] = reason
        return pipeline


def create_component(name: str, **settings: Any) -> Component:
    """Create a registered component by name (``model=PATH`` selects a model directory)."""
    if name not in FACTORIES:
        raise JianbaoError(f"unknown component {name!r} (known: {', '.join(FACTORIES)})")
    return _resolve(FACTORIES[name])(**settings)


def load_pipeline(components: Sequence[str] | None = None, models: dict[str, str] | None = None,
                  settings: dict[str, dict[str, Any]] | None = None, strict: bool | None = None) -> Pipeline:
    """The usual entry point: components by name, with optional model paths and settings per name.

    By default a component given an explicit model or settings must load (a typo is an error);
    the others are recorded in ``missing`` when their code or model is absent."""
    names = list(components) if components is not None else list(DEFAULT_COMPONENTS)
    config: dict[str, Any] = {"components": [n for n in names if n != "parse"]}
    for name in config["components"]:
        cfg = dict((settings or {}).get(name) or {})
        if models and models.get(name):
            cfg["model"] = models[name]
        config[name] = cfg
    if strict is None:
        return Pipeline.from_config(config, strict={n for n in config["components"] if config[n]})
    return Pipeline.from_config(config, strict=strict)

"""The typer application and sub-apps every verb module registers on, plus shared CLI helpers."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable

import typer

from ..errors import JianbaoError, one_line

app = typer.Typer(
    name="jianbao",
    help="Parse, tag, summarise and extract entities from 机关事务 bulletins (简报).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
train_app = typer.Typer(help="Train a component's model.", no_args_is_help=True, pretty_exceptions_enable=False)
evaluate_app = typer.Typer(help="Score a component against labelled issues.", pretty_exceptions_enable=False,
                           invoke_without_command=True)
app.add_typer(train_app, name="train")
app.add_typer(evaluate_app, name="evaluate")


def fail(message: str, code: int = 1) -> None:
    """Print one line to stderr and exit non-zero (no traceback)."""
    typer.echo(f"jianbao: error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(code)


def model_options(opts: list[str]) -> dict[str, str]:
    """Parse repeated ``--model NAME=PATH`` options into {component: model directory}."""
    models = {}
    for opt in opts:
        name, sep, path = opt.partition("=")
        if not sep:
            fail(f"--model expects NAME=PATH, got {opt!r}")
        models[name.strip()] = path.strip()
    return models


def setting_options(opts: list[str], base: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Parse repeated ``--set NAME.KEY=VALUE`` options into {component: {key: value}}; a value that
    reads as JSON (numbers, true/false, lists) is taken as such, anything else as a string."""
    import json

    settings = {k: dict(v) for k, v in (base or {}).items()}
    for opt in opts:
        key, sep, raw = opt.partition("=")
        name, dot, field = key.strip().partition(".")
        if not sep or not dot or not name or not field:
            fail(f"--set expects NAME.KEY=VALUE (e.g. summary.backend=extractive), got {opt!r}")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw.strip()
        settings.setdefault(name, {})[field.strip()] = value
    return settings


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's own errors (and a few OS errors) into a one-line message and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except JianbaoError as err:
            fail(str(err))
        except (FileNotFoundError, IsADirectoryError, PermissionError) as err:
            fail(f"{err.filename}: {err.strerror}")
        except MemoryError:
            fail("out of memory")
        except KeyboardInterrupt:
            typer.echo("jianbao: interrupted", err=True)
            raise typer.Exit(130)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as err:  # a bug: one line for the user, the traceback on request
            if os.environ.get("JIANBAO_DEBUG"):
                raise
            fail(f"{type(err).__name__}: {one_line(err)[:300]} "
                 "(an internal error; set JIANBAO_DEBUG=1 for the traceback)")

    return wrapper


def progress(iterable, total: int | None = None, desc: str = "", enabled: bool | None = None, unit: str = "file"):
    """A tqdm progress bar on stderr when there is more than one item (and stderr is a terminal or forced)."""
    if enabled is None:
        enabled = (total or 0) > 1
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)

"""``jianbao info``: version, components and the models found."""

from __future__ import annotations

import json

import typer

from .. import __version__
from ..modeldir import read_meta, repo_models_dir
from ..pipeline import FACTORIES
from ._app import app, handle_errors


def gather_info() -> dict:
    import importlib.util

    models = []
    root = repo_models_dir()
    if root.is_dir():
        for d in sorted(p for p in root.iterdir() if p.is_dir()):
            try:
                meta = read_meta(d)
            except Exception as err:  # a broken directory is reported, not fatal
                models.append({"path": str(d), "error": str(err)})
                continue
            models.append({"path": str(d), "task": meta.get("task"), "backend": meta.get("backend"),
                           "labels": len(meta.get("labels") or []), "scores": meta.get("scores", {})})
    comps = {}
    for name, target in FACTORIES.items():
        module = target.partition(":")[0] if isinstance(target, str) else target.__module__
        comps[name] = "installed" if importlib.util.find_spec(module) is not None else "not installed"
    return {"version": __version__, "components": {"parse": "installed", **comps},
            "models_dir": str(root), "models": models}


@app.command("info")
@handle_errors
def info_cli(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the version, the components and the model directories found."""
    info = gather_info()
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=1))
        return
    typer.echo(f"jianbao-nlp {info['version']}")
    typer.echo("components:")
    for name, state in info["components"].items():
        typer.echo(f"  {name:<10} {state}")
    typer.echo(f"models ({info['models_dir']}):")
    for m in info["models"] or [{"path": "(none)"}]:
        extra = f"  task={m.get('task')} backend={m.get('backend')} labels={m.get('labels')}" if "task" in m else ""
        typer.echo(f"  {m['path']}{extra}{'  ' + m['error'] if 'error' in m else ''}")

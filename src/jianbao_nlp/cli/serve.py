"""``jianbao serve``: run the editors' page and JSON API with uvicorn."""

from __future__ import annotations

from typing import Optional

import typer

from ._app import app, handle_errors


@app.command("serve")
@handle_errors
def serve_cli(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", "-p", help="Port."),
    components: Optional[str] = typer.Option(None, "--components", "-c",
                                             help="Comma-separated subset of parse,themes,summary,ner."),
    max_upload_mb: float = typer.Option(10.0, "--max-upload-mb", help="Largest accepted upload (MB)."),
) -> None:
    """Serve the editors' page (GET /) and the JSON API (POST /api/process; docs at /docs)."""
    import uvicorn

    from ..api import parse_components
    from ..serve import create_app

    names = parse_components(components) if components is not None else None
    web = create_app(components=names, max_upload=int(max_upload_mb * 1024 * 1024))
    typer.echo(f"jianbao: serving on http://{host}:{port}/ (API docs at /docs)", err=True)
    uvicorn.run(web, host=host, port=port, log_level="warning")

"""The editors' web service (FastAPI): one static page plus a small JSON API.

``create_app(pipeline=None)`` builds the app; the pipeline is loaded once at startup (or injected
by tests). Every error comes back as JSON ``{"error": ...}`` with a 4xx status: 413 for a too
large upload, 415 for an unsupported file type, 422 for a file the readers cannot read.
"""

from __future__ import annotations

import re
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, Optional, Sequence, Union

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, JianbaoError, one_line
from ..model import Issue

#: Upload types the page accepts (issue JSON too, so a processed issue can be re-opened).
UPLOAD_SUFFIXES = (".docx", ".md", ".txt", ".pdf", ".html", ".htm", ".json")
DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024
STATIC = Path(__file__).with_name("static")


class TextIn(BaseModel):
    """Pasted bulletin text (Markdown or plain)."""

    text: str = Field(..., description="The whole bulletin, as pasted.")
    name: Optional[str] = Field(None, description="A file name for the issue id (e.g. draft.md).")


class BlockIn(BaseModel):
    """A processed issue plus the 提要 line the editor chose for each article."""

    issue: dict[str, Any] = Field(..., description="The issue JSON as returned by /api/process.")
    chosen: Union[dict[str, Optional[str]], list[Optional[str]], None] = Field(
        None, description="{article id: line} or a list of lines in article order.")
    format: Literal["md", "docx"] = "md"


class ApiError(Exception):
    """An error answered as ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = one_line(message)


def _safe_name(name: str | None) -> str:
    base = Path(name or "upload").name
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", base).strip("._") or "upload"
    return base[:120]


def create_app(pipeline=None, components: Sequence[str] | None = None,
               max_upload: int = DEFAULT_MAX_UPLOAD) -> FastAPI:
    """Build the app. ``pipeline``: a ready ``Pipeline`` (tests); else one is loaded at startup
    from ``components`` (default: all)."""

    state: dict[str, Any] = {"pipeline": pipeline}
    lock = threading.Lock()  # components are not guaranteed thread safe; one issue at a time

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if state["pipeline"] is None:
            from ..pipeline import load_pipeline

            names = [c for c in components if c != "parse"] if components is not None else None
            state["pipeline"] = load_pipeline(names)
        yield

    app = FastAPI(title="jianbao-nlp", version=_version(), lifespan=lifespan,
                  description="Process 机关事务 bulletins: structure, themes, suggested 提要 lines, entities.")
    app.state.jianbao = state

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return JSONResponse({"error": exc.message}, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            parts.append(f"{where or 'request'}: {e.get('msg')}")
        return JSONResponse({"error": "invalid request: " + "; ".join(parts)}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):  # pragma: no cover - last resort
        return JSONResponse({"error": f"internal error: {type(exc).__name__}: {exc}"}, status_code=500)

    @app.middleware("http")
    async def _limit_size(request: Request, call_next):
        """Refuse a body announced as too large before reading it."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_upload + 64 * 1024:
            return JSONResponse({"error": f"upload too large ({int(length)} bytes; limit {max_upload} bytes)"},
                                status_code=413)
        return await call_next(request)

    def run_pipeline(issue: Issue) -> dict[str, Any]:
        from ..api import process

        with lock:
            process(issue, state["pipeline"])
        return issue.to_dict()

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    @app.get("/api/info", summary="Components loaded and missing")
    def info() -> dict[str, Any]:
        pipe = state["pipeline"]
        return {"version": _version(), "components": list(pipe.names) if pipe else [],
                "missing": dict(pipe.missing) if pipe else {}, "max_upload": max_upload,
                "types": list(UPLOAD_SUFFIXES)}

    @app.post("/api/process", summary="Process an uploaded bulletin (multipart field 'file')")
    def process_upload(file: UploadFile = File(..., description="A bulletin: .docx .md .txt .pdf .html")):
        name = _safe_name(file.filename)
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise ApiError(415, f"{file.filename}: unsupported file type {suffix or '(none)'} "
                                f"(accepted: {' '.join(UPLOAD_SUFFIXES)})")
        data = file.file.read(max_upload + 1)
        if len(data) > max_upload:
            raise ApiError(413, f"{file.filename}: upload too large (limit {max_upload} bytes)")
        if not data:
            raise ApiError(422, f"{file.filename}: empty file")
        from ..api import read_input_bytes

        try:
            issue = read_input_bytes(data, name)
        except InputError as err:
            raise ApiError(422, f"{file.filename}: {err.problem}") from None
        except JianbaoError as err:
            raise ApiError(422, f"{file.filename}: {err}") from None
        except ImportError:
            raise
        except Exception as err:  # a reader that did not wrap its own error
            raise ApiError(422, f"{file.filename}: cannot read ({type(err).__name__}: {err})") from None
        if issue.source is not None:
            issue.source = {**issue.source, "file": file.filename}
        return run_pipeline(issue)

    @app.post("/api/process-text", summary="Process pasted bulletin text: {\"text\": ...}")
    def process_text(payload: TextIn):
        text = payload.text
        if not text.strip():
            raise ApiError(422, "'text' must be a non-empty string")
        if len(text.encode("utf-8")) > max_upload:
            raise ApiError(413, f"text too large (limit {max_upload} bytes)")
        name = _safe_name(payload.name) if payload.name else None
        issue = _parse_text(text, Path(name).stem if name else None)
        if name:
            issue.source = {**(issue.source or {}), "file": name}
        return run_pipeline(issue)

    @app.post("/api/block", summary="The 本期提要 block from chosen lines, as .md or .docx")
    def block(payload: BlockIn):
        from .block import apply_choices, block_docx, block_markdown

        fmt = payload.format
        try:
            issue = Issue.from_json_obj(payload.issue, "issue")
            apply_choices(issue, payload.chosen)
        except InputError as err:
            raise ApiError(422, str(err)) from None
        stem = re.sub(r"[^\w\-]+", "_", issue.id or "issue", flags=re.ASCII).strip("_") or "issue"
        if fmt == "md":
            return Response(block_markdown(issue), media_type="text/markdown; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{stem}-tiyao.md"'})
        return Response(block_docx(issue),
                        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        headers={"Content-Disposition": f'attachment; filename="{stem}-tiyao.docx"'})

    return app


def _parse_text(text: str, issue_id: str | None = None) -> Issue:
    """Parse pasted text (``issue_id``: from the name the editor gave it); errors become 422 JSON."""
    from ..parser import parse_text

    try:
        return parse_text(text, issue_id=issue_id)
    except InputError as err:
        raise ApiError(422, f"pasted text: {err.problem}") from None
    except JianbaoError as err:
        raise ApiError(422, f"pasted text: {err}") from None


def _version() -> str:
    from .. import __version__

    return __version__

"""The HTML document Streamlit serves, made this app's own before the browser reads it (ASGI middleware, serve.py).

Streamlit sends the same small ``index.html`` for every page address; all content arrives later over the
websocket. Four things are better said in that document itself than by the app once it runs:

- **Where the server is.** Streamlit's browser code finds its server by trying the page's path first and its
  parent second: loaded at ``/massnahmenarten`` it asks ``/massnahmenarten/_stcore/health`` (404), waits 100 ms
  and then asks ``/_stcore/health``. Every first view and reload of a page other than the start page paid
  ~80–110 ms for that (streamlit/streamlit#7074, open; benchmarks/bench_first_view.py). The code reads a base
  URL from ``window.__streamlit.BACKEND_BASE_URL`` before it probes, so a small script sets it. It works the
  base out in the browser from the path: a path one segment below the base URL path is a page, so its last
  segment goes; the base URL path itself stays. So it holds behind a proxy that serves the app under a prefix
  of its own. Deeper paths get no hint and Streamlit probes as before; so does a Streamlit release that stops
  reading ``window.__streamlit``.
- **The language.** ``<html lang="de">`` (Streamlit serves ``lang="en"``; screen readers pick their voice by it).
- **The app's styles** (aqb/app/styles.css) in the ``<head>``: known before the first element is drawn, instead
  of style sheets the app inserted into the page on every run, each one making the browser restyle it.
- **plotly.js.** Every analysis and meeting page draws Plotly charts, but Streamlit fetches its 4,7 MB Plotly
  chunk only when the first chart arrives, and the browser parses it again then whenever its memory cache let
  it go (a garbage collection after the last visit is enough). A ``modulepreload`` link starts that fetch and
  parse while the page still waits for its server, on a background thread (benchmarks/bench_first_view.py).

Plus one script that makes the sidebar's scrolling region reachable by keyboard (WCAG 2.1.1, axe
scrollable-region-focusable): Streamlit draws that element later, so the script waits for it.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

APP_CSS = Path(__file__).with_name("styles.css").read_text(encoding="utf-8")
# Streamlit's own routes, its assets and the app's static folder: never a page document.
_NOT_PAGES = ("_stcore", "static", "app", "media", "component", "auth", "oauth2callback")
# Request headers that would give a compressed body or a 304 without one: the document is small and never cached.
_DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
# Marks Streamlit's sidebar content as a named region with a tab stop, once it is there.
MARK_SIDEBAR_JS = """(function(){var s=document.querySelector('[data-testid="stSidebarContent"]');
if(s&&!s.hasAttribute("tabindex")){s.tabIndex=0;s.setAttribute("role","region");
s.setAttribute("aria-label","Navigation und Filter");}})();"""
# In the document's head the sidebar does not exist yet: the mark is set whenever the page changes and it lacks it.
SIDEBAR_REGION_JS = f"new MutationObserver(function(){{{MARK_SIDEBAR_JS}}}).observe(document.documentElement," \
                    "{childList:true,subtree:true});"
_served = False


def served() -> bool:
    """Whether this process serves its pages through the middleware (serve.py): then the document carries the
    styles and the language, and the app need not send them."""
    return _served


def middleware() -> Middleware:
    """The middleware for ``st.App(..., middleware=[...])``; from then on the app leaves the styles to the document."""
    global _served
    _served = True
    return Middleware(HtmlDocument)


def plotly_chunk() -> str | None:
    """The file name of Streamlit's Plotly chunk in this release (None if it has none under that name)."""
    import streamlit

    found = sorted((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    return found[0].name if found else None


def hint_script(strip_last_segment: bool) -> bytes:
    """The script: ``window.__streamlit.BACKEND_BASE_URL`` from ``location``, without the page's segment."""
    strip = json.dumps(strip_last_segment)
    return ("<script>(function(){var p=location.pathname.replace(/\\/+$/,'');"
            f"if({strip})p=p.slice(0,p.lastIndexOf('/'));"
            "window.__streamlit=Object.assign({BACKEND_BASE_URL:location.origin+p+'/'},window.__streamlit||{});"
            "})()</script>").encode()


def head_additions(depth: int | None, chunk: str | None) -> bytes:
    """What goes at the start of ``<head>``: the base URL (pages at depth 0 or 1), styles, sidebar script, preload."""
    parts = [hint_script(depth == 1)] if depth is not None else []
    parts.append(f"<style>{APP_CSS}</style><script>{SIDEBAR_REGION_JS}</script>".encode())
    if chunk:  # relative like Streamlit's own script tags, so it holds under a base URL path
        parts.append(f'<link rel="modulepreload" crossorigin href="./static/js/{chunk}">'.encode())
    return b"".join(parts)


def rewrite(body: bytes, additions: bytes) -> bytes:
    """The document with German as its language and ``additions`` first in its head."""
    body = body.replace(b'<html lang="en">', b'<html lang="de">', 1)
    return body.replace(b"<head>", b"<head>" + additions, 1)


def page_depth(path: str, base_url_path: str) -> int | None:
    """0 for the base URL path, 1 for a page below it, None for anything else (no base URL hint)."""
    rest = _below_base(path, base_url_path)
    return len(rest) if rest is not None and len(rest) <= 1 and is_document_path(rest) else None


def _below_base(path: str, base_url_path: str) -> list[str] | None:
    """The path's segments below the base URL path; None for a path outside it."""
    base = [s for s in base_url_path.split("/") if s]
    parts = [s for s in path.split("/") if s]
    return parts[len(base):] if parts[: len(base)] == base else None


def is_document_path(parts: list[str]) -> bool:
    """A path Streamlit answers with its index.html: not one of its routes or assets, not a file name."""
    return not parts or (parts[0] not in _NOT_PAGES and "." not in parts[-1])


class HtmlDocument:
    """ASGI middleware: Streamlit's HTML document gets lang="de" and :func:`head_additions` at the start of ``<head>``."""

    def __init__(self, app: ASGIApp, base_url_path: str | None = None, chunk: str | None = "auto") -> None:
        self.app = app
        self._base_url_path = base_url_path
        self._chunk = plotly_chunk() if chunk == "auto" else chunk

    def _base(self) -> str:
        if self._base_url_path is not None:
            return self._base_url_path
        from streamlit import config

        return config.get_option("server.baseUrlPath") or ""

    def _document_depth(self, scope: Scope) -> tuple[bool, int | None]:
        """Whether the request asks for a page document and, if so, its depth for the base URL hint."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return False, None
        rest = _below_base(scope.get("path", ""), self._base())
        if rest is None or not is_document_path(rest):
            return False, None
        return True, (len(rest) if len(rest) <= 1 else None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        is_document, depth = self._document_depth(scope)
        if not is_document:
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in _DROPPED_REQUEST_HEADERS],
                 "extensions": {k: v for k, v in scope.get("extensions", {}).items() if k != "http.response.pathsend"}}
        additions = head_additions(depth, self._chunk)
        start: Message | None = None
        chunks: list[bytes] = []

        async def respond(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = MutableHeaders(raw=list(start["headers"]))
            is_html = headers.get("content-type", "").startswith("text/html")
            if start["status"] == 200 and is_html and "content-encoding" not in headers and b"<head>" in body:
                body = rewrite(body, additions)
                headers["content-length"] = str(len(body))
                if "etag" in headers:
                    del headers["etag"]  # the file's tag no longer names this body
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, respond)

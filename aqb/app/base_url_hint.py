"""The server's address for the browser, written into the page so a page's URL does not send it looking.

Streamlit's browser code finds its server by trying the page's path first and its parent second:
loaded at ``/massnahmenarten`` it asks ``/massnahmenarten/_stcore/health`` (404), waits 100 ms and
then asks ``/_stcore/health``. Every first view and reload of a page other than the start page paid
~80–110 ms for that (streamlit/streamlit#7074, open; benchmarks/bench_first_view.py). The code reads
a base URL from ``window.__streamlit.BACKEND_BASE_URL`` before it probes, so this ASGI middleware puts
one small script into the HTML document that sets it.

The script works the base out in the browser from the path the server saw: a path one segment below
the base URL path is a page, so its last segment goes; the base URL path itself stays. So it holds
behind a proxy that serves the app under a prefix of its own. Other paths (two segments or more, an
unknown address) get no script and Streamlit probes as before. If a Streamlit release stops reading
``window.__streamlit``, the script does nothing and the browser probes as before.
"""

from __future__ import annotations

import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Not a page: Streamlit's own routes, its assets and the app's static folder.
_NOT_PAGES = ("_stcore", "static", "app", "media", "component", "auth", "oauth2callback")
# Request headers that would give a compressed body or a 304 without one: this document is small and never cached.
_DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since"}


def hint_script(strip_last_segment: bool) -> bytes:
    """The script: ``window.__streamlit.BACKEND_BASE_URL`` from ``location``, without the page's segment."""
    strip = json.dumps(strip_last_segment)
    return ("<script>(function(){var p=location.pathname.replace(/\\/+$/,'');"
            f"if({strip})p=p.slice(0,p.lastIndexOf('/'));"
            "window.__streamlit=Object.assign({BACKEND_BASE_URL:location.origin+p+'/'},window.__streamlit||{});"
            "})()</script>").encode()


def page_depth(path: str, base_url_path: str) -> int | None:
    """0 for the base URL path, 1 for a page below it, None for anything else (no hint)."""
    base = [s for s in base_url_path.split("/") if s]
    parts = [s for s in path.split("/") if s]
    if parts[: len(base)] != base:
        return None
    rest = parts[len(base):]
    if not rest:
        return 0
    if len(rest) == 1 and rest[0] not in _NOT_PAGES and "." not in rest[0]:
        return 1
    return None


class BackendBaseUrlHint:
    """ASGI middleware: the app's HTML document gets the hint script at the start of ``<head>``."""

    def __init__(self, app: ASGIApp, base_url_path: str | None = None) -> None:
        self.app = app
        self._base_url_path = base_url_path

    def _base(self) -> str:
        if self._base_url_path is not None:
            return self._base_url_path
        from streamlit import config

        return config.get_option("server.baseUrlPath") or ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        depth = None
        if scope["type"] == "http" and scope["method"] == "GET":
            depth = page_depth(scope.get("path", ""), self._base())
        if depth is None:
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in _DROPPED_REQUEST_HEADERS],
                 "extensions": {k: v for k, v in scope.get("extensions", {}).items() if k != "http.response.pathsend"}}
        script = hint_script(depth == 1)
        start: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
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
                body = body.replace(b"<head>", b"<head>" + script, 1)
                headers["content-length"] = str(len(body))
                if "etag" in headers:
                    del headers["etag"]  # the file's tag no longer names this body
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)

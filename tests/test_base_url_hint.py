"""The server's address in the HTML document (aqb.app.base_url_hint): which paths get it and what the ASGI
exchange then carries. In a browser (the script behind a prefix, the served dashboard): tests/test_browser.py."""

from __future__ import annotations

import asyncio

import pytest
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Route

from aqb.app.base_url_hint import BackendBaseUrlHint, hint_script, page_depth

INDEX = "<!doctype html><html><head><title>AQB</title></head><body>" + "<p>Inhalt</p>" * 200 + "</body></html>"


@pytest.mark.parametrize(("path", "base", "depth"), [
    ("/", "", 0),
    ("/massnahmenarten", "", 1),
    ("/massnahmenarten/", "", 1),
    ("/aqb", "aqb", 0),
    ("/aqb/karte", "/aqb/", 1),
    ("/karte", "aqb", None),  # outside the base URL path
    ("/a/b", "", None),  # two segments: Streamlit probes as before
    ("/_stcore/health", "", None),
    ("/_stcore", "", None),
    ("/static", "", None),
    ("/favicon.png", "", None),
    ("/aqb/static/js/index.js", "aqb", None),
])
def test_which_paths_are_pages(path, base, depth):
    assert page_depth(path, base) == depth


def _app(tmp_path, base: str = ""):
    index = tmp_path / "index.html"
    index.write_text(INDEX, encoding="utf-8")

    async def document(request):
        return FileResponse(index)  # with etag and last-modified, as Streamlit's static files

    async def health(request):
        return PlainTextResponse("ok")

    routes = [Route("/_stcore/health", health), Route("/{page}", document), Route("/", document)]
    if base:
        routes = [Route(f"/{base}/_stcore/health", health), Route(f"/{base}/{{page}}", document),
                  Route(f"/{base}", document)]
    # Streamlit's own middleware (gzip) sits inside the hint, as st.App places user middleware outside.
    return BackendBaseUrlHint(GZipMiddleware(Starlette(routes=routes), minimum_size=100), base_url_path=base)


def _get(app, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One GET through the ASGI app, as uvicorn would send it."""
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": raw,
             "server": ("testserver", 80), "client": ("127.0.0.1", 1234), "extensions": {"http.response.pathsend": {}}}
    sent: list[dict] = []

    requested = False

    async def receive():  # the request once; then, like a client that stays, nothing until the response is done
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def test_a_page_document_gets_the_script_uncompressed_with_its_length(tmp_path):
    app = _app(tmp_path)
    status, headers, body = _get(app, "/massnahmenarten",
                                 {"accept-encoding": "gzip", "if-none-match": '"alt"', "accept": "text/html"})
    assert status == 200
    assert body.startswith(b"<!doctype html><html><head><script>")
    assert hint_script(True) in body and body.count(b"<script>") == 1
    assert body.endswith(INDEX.split("<head>", 1)[1].encode())  # the rest of the document untouched
    assert "content-encoding" not in headers and int(headers["content-length"]) == len(body)
    assert "etag" not in headers  # the file's tag would name the unchanged file
    # The start page: the base stays as it is.
    status, _, body = _get(app, "/", {"accept-encoding": "gzip"})
    assert status == 200 and hint_script(False) in body


def test_other_paths_pass_through_unchanged(tmp_path):
    app = _app(tmp_path)
    status, headers, body = _get(app, "/_stcore/health", {"accept-encoding": "gzip"})
    assert (status, body) == (200, b"ok")
    status, headers, body = _get(app, "/a/b", {"accept-encoding": "gzip"})  # no route: Starlette's 404
    assert status == 404 and b"<script>" not in body
    # Outside the middleware's paths, gzip still compresses a document as before.
    app = _app(tmp_path, base="aqb")
    status, headers, body = _get(app, "/aqb/karte", {"accept-encoding": "gzip"})
    assert status == 200 and hint_script(True) in body
    status, headers, body = _get(app, "/aqb/x/y", {"accept-encoding": "gzip"})
    assert status == 404


def test_the_app_behind_is_asked_for_a_plain_full_document():
    """No compressed body and no 304 to rewrite: the app behind sees neither Accept-Encoding nor a cache tag."""
    seen: list[dict] = []

    async def inner(scope, receive, send):
        seen.append(dict(scope["headers"]))
        await PlainTextResponse("<html><head></head></html>", media_type="text/html")(scope, receive, send)

    status, _, body = _get(BackendBaseUrlHint(inner, base_url_path=""), "/karte",
                           {"accept-encoding": "gzip", "if-none-match": '"alt"', "if-modified-since": "x",
                            "accept": "text/html"})
    assert status == 200 and hint_script(True) in body
    assert seen == [{b"accept": b"text/html"}]

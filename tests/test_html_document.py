"""The HTML document made the app's own (aqb.app.html_document): which paths get the server's address, what every
page document carries (German, styles, the Plotly preload) and what the ASGI exchange then looks like. In a browser
(the script behind a prefix, the served dashboard): tests/test_browser.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Route

from aqb.app.html_document import APP_CSS, HtmlDocument, hint_script, page_depth, plotly_chunk

INDEX = '<!doctype html><html lang="en"><head><title>AQB</title></head><body>' + "<p>Inhalt</p>" * 200 + "</body></html>"
CHUNK = "PlotlyChart.Test1234.js"


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
    script = tmp_path / "index.js"
    script.write_text("console.log('Streamlit');" * 200, encoding="utf-8")

    async def document(request):
        return FileResponse(index)  # with etag and last-modified, as Streamlit's static files

    async def asset(request):
        return FileResponse(script)

    async def health(request):
        return PlainTextResponse("ok")

    # As Streamlit: its own routes and assets, and index.html for any other path.
    prefix = f"/{base}" if base else ""
    routes = [Route(f"{prefix}/_stcore/health", health), Route(f"{prefix}/static/js/index.js", asset),
              Route(f"{prefix}/{{page}}", document), Route(f"{prefix}/{{a}}/{{b}}", document),
              Route(prefix or "/", document)]
    # Streamlit's own middleware (gzip) sits inside, as st.App places user middleware outside.
    return HtmlDocument(GZipMiddleware(Starlette(routes=routes), minimum_size=100), base_url_path=base, chunk=CHUNK)


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


def test_a_page_document_is_german_and_carries_address_styles_and_preload(tmp_path):
    app = _app(tmp_path)
    status, headers, body = _get(app, "/massnahmenarten",
                                 {"accept-encoding": "gzip", "if-none-match": '"alt"', "accept": "text/html"})
    assert status == 200
    assert body.startswith(b'<!doctype html><html lang="de"><head>' + hint_script(True))
    head = body.split(b"</head>", 1)[0]
    assert f"<style>{APP_CSS}</style>".encode() in head
    assert f'<link rel="modulepreload" crossorigin href="./static/js/{CHUNK}">'.encode() in head
    assert b"aria-label" in head and b"MutationObserver" in head  # the sidebar's region, once Streamlit draws it
    assert body.endswith(INDEX.split("<head>", 1)[1].encode())  # the rest of the document untouched
    assert "content-encoding" not in headers and int(headers["content-length"]) == len(body)
    assert "etag" not in headers  # the file's tag would name the unchanged file
    # The start page: the base stays as it is.
    status, _, body = _get(app, "/", {"accept-encoding": "gzip"})
    assert status == 200 and hint_script(False) in body and b'lang="de"' in body


def test_a_deeper_address_is_german_too_but_gets_no_base_url(tmp_path):
    """Streamlit answers any address with its document; only where the base is known does the page say it."""
    status, _, body = _get(_app(tmp_path), "/a/b", {"accept-encoding": "gzip"})
    assert status == 200 and b'<html lang="de">' in body and APP_CSS.encode() in body
    assert b"BACKEND_BASE_URL" not in body
    status, _, body = _get(_app(tmp_path, base="aqb"), "/aqb/karte", {"accept-encoding": "gzip"})
    assert status == 200 and hint_script(True) in body


def test_routes_and_assets_pass_through_unchanged(tmp_path):
    status, headers, body = _get(_app(tmp_path), "/_stcore/health", {"accept-encoding": "gzip"})
    assert (status, body) == (200, b"ok")
    # Routes, assets and files reach Streamlit as the browser asked for them (compressed, revalidated).
    seen: dict[str, dict] = {}

    async def inner(scope, receive, send):
        seen[scope["path"]] = dict(scope["headers"])
        await PlainTextResponse("x")(scope, receive, send)

    asked = {"accept-encoding": "gzip", "if-none-match": '"alt"'}
    for base, path in [("", "/_stcore/health"), ("", "/static/js/index.js"), ("", "/app/static/topojson/x.json"),
                       ("", "/favicon.png"), ("aqb", "/aqb/static/js/index.js"), ("aqb", "/anderswo/karte")]:
        status, _, body = _get(HtmlDocument(inner, base_url_path=base, chunk=CHUNK), path, asked)
        assert (status, body) == (200, b"x"), path
        assert seen[path] == {k.encode(): v.encode() for k, v in asked.items()}, path


def test_the_preload_names_the_chunk_streamlit_serves():
    """The Plotly chunk's name changes with every Streamlit release: it is read from the installed one."""
    import streamlit

    name = plotly_chunk()
    assert name is not None and name.startswith("PlotlyChart.")
    assert (Path(streamlit.__file__).parent / "static" / "static" / "js" / name).stat().st_size > 1_000_000


def test_the_app_behind_is_asked_for_a_plain_full_document():
    """No compressed body and no 304 to rewrite: the app behind sees neither Accept-Encoding nor a cache tag."""
    seen: list[dict] = []

    async def inner(scope, receive, send):
        seen.append(dict(scope["headers"]))
        await PlainTextResponse("<html><head></head></html>", media_type="text/html")(scope, receive, send)

    status, _, body = _get(HtmlDocument(inner, base_url_path="", chunk=None), "/karte",
                           {"accept-encoding": "gzip", "if-none-match": '"alt"', "if-modified-since": "x",
                            "accept": "text/html"})
    assert status == 200 and hint_script(True) in body and b"modulepreload" not in body  # no chunk: no preload
    assert seen == [{b"accept": b"text/html"}]

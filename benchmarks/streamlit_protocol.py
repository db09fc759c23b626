"""A load client that speaks Streamlit's own websocket protocol instead of driving a browser.

Why: on a 2-core machine, K headless Chromium sessions burn about 15–20 CPU seconds each on layout and
plotly.js drawing, so a browser-driven load test measures the browser, not the server. In production the
drawing happens on the users' machines; what a replica must carry is the script runs and the messages.
This client does exactly what Streamlit's frontend does on the wire, with the protobuf classes that
ship with Streamlit:

- one HTTP GET of the page first (as a browser loads index.html), which also gets nginx's route cookie,
  so the websocket lands on the same replica (sticky sessions);
- a websocket to ``/_stcore/stream`` with subprotocol ``streamlit``, an Origin header and that cookie;
- ``BackMsg.rerun_script`` with the query string and the widget states, like the frontend's first run
  and every widget change; the widget ids and their options come from the server's own ``Delta``
  messages (so a change of the app's widgets cannot make the client send stale ids);
- a view counts as settled when the server says ``script_finished`` for that run; when the run mounted
  the app's trigger for what waits below the first chart (aqb.app.later), the client fires it as the
  browser does once the chart is drawn, and the view is settled after that run too.

It leaves out what happens only in the browser (parsing the bundle, drawing charts): the browser-side
cost per page is what ``bench_first_view.py`` measures.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.components.v2.bidi_component.main import _make_trigger_id

TRIGGER_KEY = "aqb_nachladen"  # aqb.app.later.TRIGGER_KEY (not imported: the client needs no app code)

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class ProtocolError(RuntimeError):
    """The server answered differently from what a browser would get (exception element, early end)."""


@dataclass
class Widget:
    id: str
    kind: str  # "radio", "checkbox", "selectbox", ...
    label: str
    options: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    seconds: float
    elements: int
    charts: int
    bytes_received: int
    digest: str  # of every element the run sent: a filter that changes the figures changes it


class StreamlitSession:
    """One browser tab's session, over Streamlit's websocket protocol."""

    def __init__(self, base_url: str, *, timeout_s: float = 120) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.widgets: dict[str, Widget] = {}
        self.states: dict[str, WidgetState] = {}
        self.page_script_hash = ""
        self.cookie = ""
        self._ws = None

    async def __aenter__(self) -> "StreamlitSession":
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    def _get_page(self, path: str) -> None:
        request = urllib.request.Request(self.base_url + path, headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
            response.read()
            cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        if cookies:
            self.cookie = "; ".join(cookies)

    async def connect(self, path: str = "/") -> None:
        await asyncio.to_thread(self._get_page, path)
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        headers = {"Origin": f"{parts.scheme}://{parts.netloc}"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self._ws = await websockets.connect(
            f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream", subprotocols=["streamlit"],
            additional_headers=headers, max_size=None, open_timeout=self.timeout_s, ping_interval=None)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def run(self, query_string: str = "") -> RunResult:
        """One view with the current widget states: the script run and, when it mounted the trigger for what
        waits below the first chart, the run that trigger starts; returns when the server has finished."""
        result, trigger = await self._run_once(query_string, self.states.values())
        if trigger is None:
            return result
        fired = WidgetState(id=_make_trigger_id(trigger, "events"),
                            json_trigger_value=json.dumps([{"event": "bereit", "value": True}]))
        more, _ = await self._run_once(query_string, [*self.states.values(), fired])
        return RunResult(result.seconds + more.seconds, more.elements, more.charts,
                         result.bytes_received + more.bytes_received, more.digest)

    async def _run_once(self, query_string: str, states) -> tuple[RunResult, str | None]:
        msg = BackMsg()
        msg.rerun_script.query_string = query_string
        msg.rerun_script.page_script_hash = self.page_script_hash
        msg.rerun_script.widget_states.widgets.extend(states)
        trigger = None
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        elements = charts = received = 0
        content = hashlib.sha256()
        deadline = time.monotonic() + self.timeout_s
        while True:
            raw = await asyncio.wait_for(self._ws.recv(), max(0.1, deadline - time.monotonic()))
            received += len(raw)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = forward.new_session.page_script_hash or self.page_script_hash
            elif kind == "page_info_changed" or kind == "navigation":
                if kind == "navigation" and forward.navigation.page_script_hash:
                    self.page_script_hash = forward.navigation.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                elements += 1
                element = forward.delta.new_element
                content.update(element.SerializeToString())
                which = element.WhichOneof("type")
                if which == "exception":
                    raise ProtocolError(f"Ausnahme der App: {element.exception.type}: {element.exception.message[:120]}")
                if which == "plotly_chart":
                    charts += 1
                if which == "bidi_component" and TRIGGER_KEY in element.bidi_component.id:
                    trigger = element.bidi_component.id
                self._remember_widget(which, element)
            elif kind == "script_finished":
                if forward.script_finished in FINISHED:
                    return (RunResult(time.perf_counter() - start, elements, charts, received, content.hexdigest()),
                            trigger)
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app itself asked for another run (st.rerun, query-param sync): wait for it
                raise ProtocolError(f"Skriptlauf endete mit Status {forward.script_finished}")

    def _remember_widget(self, which: str | None, element) -> None:
        if which not in ("radio", "checkbox", "selectbox", "toggle"):
            return
        proto = getattr(element, which)
        kind = "checkbox" if which == "toggle" else which
        self.widgets[proto.id] = Widget(proto.id, kind, proto.label, list(getattr(proto, "options", [])))

    def find(self, kind: str, label: str) -> Widget:
        for widget in self.widgets.values():
            if widget.kind == kind and widget.label == label:
                return widget
        seen = ", ".join(f"{w.kind} „{w.label}“" for w in self.widgets.values())
        raise ProtocolError(f"kein {kind} mit der Beschriftung „{label}“ (gesehen: {seen})")

    def choose(self, label: str, option: str) -> None:
        """Pick an option of a radio or selectbox, as a click would (the value is the option's text)."""
        widget = next((w for w in self.widgets.values() if w.label == label and w.kind in ("radio", "selectbox")),
                      None) or self.find("radio", label)
        if option not in widget.options:
            raise ProtocolError(f"„{label}“ hat keine Option „{option}“ ({', '.join(widget.options)})")
        self.states[widget.id] = WidgetState(id=widget.id, string_value=option)

    def tick(self, label: str, value: bool = True) -> None:
        widget = self.find("checkbox", label)
        self.states[widget.id] = WidgetState(id=widget.id, bool_value=value)

"""What lies below a page's first chart is sent once the browser has drawn that chart.

Why: Streamlit's frontend builds every element of a run before it paints, and plotly.js draws all
charts of a page in the same React commit, so a page with three charts showed its first one only
after all three (and their headings, captions and table expanders) were built
(benchmarks/bench_first_view.py --profile). On the first view of a page, a block after the first
chart is a placeholder of the same place; a tiny component that runs in the page (no iframe) waits
until the first chart is drawn and painted, then reruns only those blocks (one keyed fragment), so
the rest arrives a moment later. Further runs of the same page (a filter changed) draw everything at
once: the browser already has plotly.js ready and the charts are being replaced, not added.

Widgets above the first chart wait too when their value is known without them: on a page's first view
in a new session whose URL does not set them, a widget takes its default. That covers the sidebar (page
links and filters; aqb.app.ui.default_filters) and the choice of Gebietskörperschaft: their select boxes,
slider and radios were most of what the browser still built before the first chart (December 2026:
~100–150 ms of main-thread work on a warm reload). Once the chart is drawn, the trigger then reruns the
whole page instead of the fragment, because these widgets lie outside it; they are created for the first
time and take their defaults, the values the page already used. With the value in the URL or in the
session (a shared link, a page change), a widget never waits: it decides, as without this module. A widget's
placeholder keeps its room, so the chart does not move when the widget comes. When the whole page runs again
anyway, the blocks below the chart need no fragment each: one placeholder holds their place.

Everything that waits is one plain HTML element (no container, no Markdown): on a warm reload the browser's
time to the first chart grew with every element it had to build before it (benchmarks/bench_first_view.py).

Switched off with AQB_DEFER_BELOW_FOLD=0 (then every block comes with the first run, as in AppTest runs
that do not execute the page's JavaScript).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from aqb.present.escape import html_text
from aqb.settings import Settings

FRAGMENT_KEY = "nachladen"
PLACEHOLDER_KEY_PREFIX = "nachladen_"  # CSS class st-key-nachladen_<key>
PLACEHOLDER_SELECTOR = f'[class*="st-key-{PLACEHOLDER_KEY_PREFIX}"]'
# What browser tests and benchmarks wait for: every chart drawn and no block still waiting for its run.
PAGE_COMPLETE_JS = ("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]"""
                    f""".every(c => c.querySelector('.main-svg')) && !document.querySelector('{PLACEHOLDER_SELECTOR}')""")
PLACEHOLDER_PX = 320
WIDGET_PX = 68  # a labelled select box or text field (label and field): the page does not jump when it comes
TRIGGER_KEY = "aqb_nachladen"  # + the run's number: a new trigger (its script runs anew) for each run that waits
_SHOWN = "_aqb_page_drawn"  # the page view whose blocks are all drawn
_VIEW = "_aqb_page_view"  # the page of the current run
_DEFER = "_aqb_defer_below_fold"  # the setting, read once per run
_WAITING = "_aqb_blocks_waiting"
_CHARTS_FIRST = "_aqb_charts_before"
_RUNS = "_aqb_waiting_runs"
_WHOLE = "_aqb_widgets_waiting"  # a widget of this run is a placeholder: the trigger reruns the whole page
_REST = "_aqb_rest_waiting"  # the one placeholder for all deferred blocks of a whole-page rerun is drawn
REST_KEY = "rest"
SIDEBAR_KEY = "sidebar"
# Fired once the first chart is drawn (or there is none to wait for) and a frame has been painted; a
# fallback timer covers a chart that never draws and a background tab, which gets no animation frames.
TRIGGER_JS = """
export default function ({ data, setTriggerValue }) {
  const started = performance.now();
  let sent = false;
  const send = () => { if (!sent) { sent = true; setTriggerValue("bereit", true); } };
  const drawn = () => [...document.querySelectorAll(".js-plotly-plot")].some(p =>
    p.querySelector(".main-svg .trace, .main-svg .hm, .main-svg .layer-above .shapelayer path"));
  const check = () => {
    if (sent) { return; }
    if (!(data && data.charts) || drawn() || performance.now() - started > 15000) {
      requestAnimationFrame(() => setTimeout(send, 0));
      setTimeout(send, 250);
    } else {
      setTimeout(check, 40);
    }
  };
  check();
}
"""
_trigger = st.components.v2.component("aqb.nachladen", js=TRIGGER_JS)


def begin(view: str) -> None:
    """Called before a page runs: which page view this run draws."""
    st.session_state[_VIEW] = view
    st.session_state[_DEFER] = Settings.from_env().defer_below_fold
    st.session_state[_WAITING] = 0
    st.session_state[_CHARTS_FIRST] = 0
    st.session_state[_WHOLE] = False
    st.session_state[_REST] = False


def chart_drawn() -> None:
    """A chart of this run that is drawn at once (the trigger waits for it)."""
    st.session_state[_CHARTS_FIRST] = st.session_state.get(_CHARTS_FIRST, 0) + 1


def _waiting_now() -> bool:
    if not st.session_state.get(_DEFER) or _VIEW not in st.session_state:
        return False
    return st.session_state.get(_SHOWN) != st.session_state[_VIEW]


def should_wait() -> bool:
    """Whether a block after the first chart is, in this run, a placeholder that is drawn a moment later."""
    return _waiting_now() and st.session_state.get(_CHARTS_FIRST, 0) > 0


def widgets_wait(keys: tuple[str, ...]) -> bool:
    """Whether the widgets with these keys are placeholders in this run: the page's first view, and neither
    the URL nor the session holds a value for any of them (so each would take its default)."""
    if not _waiting_now():
        return False
    return not any(k in st.session_state or k in st.query_params for k in keys)


def widget_placeholder(key: str, text: str = "Wird geladen …", height: int | None = WIDGET_PX,
                       beside: str | None = None) -> None:
    """Where widgets come once the first chart is drawn (a whole-page run, see the module); ``text`` says
    what they hold meanwhile, ``height`` keeps their room (None: as high as the text).

    ``beside``: the HTML that stands right of the widget in a row of ``st.columns([1, 2],
    vertical_alignment="bottom")``; placeholder and it are then one element in the same layout (CSS class
    aqb-widget-row), not the three blocks of the columns with an element in each."""
    st.session_state[_WHOLE] = True
    if beside is None:
        _placeholder(key, text, height)
    else:
        _count_waiting()
        st.html(f'<div class="aqb-widget-row">{_placeholder_html(key, text, height)}<div>{beside}</div></div>')


def _count_waiting() -> None:
    st.session_state[_WAITING] = st.session_state.get(_WAITING, 0) + 1


def _placeholder_html(key: str, text: str, height: int | None) -> str:
    size = f' style="min-height: {height}px"' if height else ""
    return (f'<div class="st-key-{PLACEHOLDER_KEY_PREFIX}{key}" data-testid="aqb-waiting"{size}>'
            f'<p class="aqb-quiet">{html_text(text)}</p></div>')


def _placeholder(key: str, text: str, height: int | None) -> None:
    # One plain HTML element: a container with a caption in it was three elements and a Markdown text for the
    # browser to build before the first chart, on every page's first view. The class keeps PLACEHOLDER_SELECTOR.
    _count_waiting()
    st.html(_placeholder_html(key, text, height))


def sidebar_placeholder() -> None:
    """Where navigation and filters come once the first chart is drawn."""
    with st.sidebar:
        widget_placeholder(SIDEBAR_KEY, height=None)


@st.fragment(key=FRAGMENT_KEY)
def block(key: str, draw: Callable[[], None]) -> None:
    """``draw`` in this place; on a page's first view only after the browser has drawn the first chart."""
    if not _waiting_now():
        draw()
        return
    _placeholder(key, "Wird geladen …", PLACEHOLDER_PX)


def after_first_chart(key: str, draw: Callable[[], None]) -> None:
    """``draw`` now, or, below the first chart of a page's first view, once the browser has drawn that chart."""
    if not should_wait():
        draw()
    elif not st.session_state.get(_WHOLE):
        block(key, draw)  # only these blocks run again: each holds its place in a fragment
    elif not st.session_state.get(_REST):
        # Widgets wait too, so the whole page runs again once the chart is drawn: one placeholder, no fragment,
        # holds the place of everything deferred below (a fragment and a placeholder each were ~16 elements more).
        st.session_state[_REST] = True
        _placeholder(REST_KEY, "Wird geladen …", PLACEHOLDER_PX)


def _all_drawn() -> None:
    st.session_state[_SHOWN] = st.session_state.get(_VIEW)
    if not st.session_state.get(_WHOLE):
        st.rerun(FRAGMENT_KEY)  # only the waiting blocks, not the page
    # else the callback returns: a whole-page run, which draws the sidebar outside any fragment


def finish() -> None:
    """Called after the page ran: mounts the trigger when a block is waiting."""
    if st.session_state.get(_WAITING):
        st.session_state[_RUNS] = st.session_state.get(_RUNS, 0) + 1
        _trigger(key=f"{TRIGGER_KEY}_{st.session_state[_RUNS]}", data={"charts": st.session_state.get(_CHARTS_FIRST, 0)},
                 on_bereit_change=_all_drawn)

"""The blocks below a page's first chart: placeholders on its first view, everything at once afterwards.

In-process (AppTest runs no JavaScript, so the trigger that fires in a browser is represented by what its
callback records); the real path — the browser drawing the first chart, the trigger, the fragment run — is
tests/test_browser.py::test_first_view_draws_the_first_chart_before_the_rest.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from aqb.app import later, ui
from dashboard_fixtures import DASHBOARD, PAGES, built_store, key_figures, store_env  # noqa: F401

WAITING = "Wird geladen …"


def charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def is_placeholder(element) -> bool:
    """A block that waits: one plain HTML element with the placeholder's class and its German line."""
    return element.type == "html" and 'data-testid="aqb-waiting"' in element.value


def placeholders(at: AppTest) -> int:
    return sum(is_placeholder(h) for h in at.get("html"))


def triggers(at: AppTest) -> int:
    return len(at.get("bidi_component"))


@pytest.fixture
def deferring(store_env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("AQB_DEFER_BELOW_FOLD", "1")
    return store_env


def sidebar_widgets(at: AppTest) -> int:
    return sum(len(at.sidebar.get(kind)) for kind in ("selectbox", "select_slider", "multiselect", "radio", "toggle"))


def test_first_view_sends_the_first_chart_and_placeholders(deferring):
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert not at.exception
    # Überblick: the yearly sums are drawn; their table expander, ranking and mix wait (headings still to come),
    # and so does the sidebar: a new session with no filter in the URL shows the filters' defaults. The whole page
    # runs again then, so one placeholder holds the place of all three blocks (no fragment each).
    assert charts(at) == 1
    assert placeholders(at) == 1 + 1
    assert sum(WAITING in h.value for h in at.get("html") if is_placeholder(h)) == 2  # each says so, in German
    assert sidebar_widgets(at) == 0 and not at.sidebar.get("page_link")
    assert not at.expander
    assert [h.value for h in at.main.header] == ["Summe über die Jahre"]
    assert triggers(at) == 1
    # A rerun before the browser said it has drawn the first chart waits again, with a new trigger.
    at.run()
    assert (charts(at), placeholders(at), triggers(at)) == (1, 2, 1)


def test_once_drawn_the_page_reruns_whole(deferring):
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    # What the trigger's callback records when the browser has drawn the first chart.
    at.session_state[later._SHOWN] = at.session_state[later._VIEW]
    at.run()
    assert not at.exception
    assert charts(at) == 3
    assert placeholders(at) == 0 and triggers(at) == 0
    assert sidebar_widgets(at) == 7 and len(at.sidebar.get("page_link")) == 14
    # Every filter widget is one the first view checks the URL and the session for (ui.FILTER_KEYS).
    assert sorted(w.key for kind in ("selectbox", "select_slider", "multiselect", "radio", "toggle")
                  for w in at.sidebar.get(kind)) == sorted(ui.FILTER_KEYS)
    assert len(at.expander) == 3
    assert [h.value for h in at.main.header] == ["Summe über die Jahre", "Alle Gebietskörperschaften 2025 nach Budget",
                                            "Maßnahmenarten 2025"]
    # Another page is a new first view: its blocks wait again, the sidebar not (the filters are in the session).
    at.switch_page("pages/jahresvergleich.py").run()
    assert (charts(at), placeholders(at), triggers(at)) == (1, 3, 1)
    assert sidebar_widgets(at) == 7


def test_a_filter_in_the_url_is_decided_by_its_widget(deferring):
    """A shared link sets a filter: the sidebar does not wait, its widgets decide as without deferral."""
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["darstellung"] = "je Einwohner"
    at.run()
    assert not at.exception
    assert sidebar_widgets(at) == 7 and placeholders(at) == 3
    assert at.sidebar.radio(key="darstellung").value == "je Einwohner"
    assert key_figures(at)[0].label.startswith("€ je Einwohner")
    # The same for the partner of Gebietskörperschaft: a link that names it gets its select box at once.
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["partner"] = "Offenbach am Main"
    at.switch_page("pages/gebietskoerperschaft.py").run()
    assert at.selectbox(key="partner").value == "Offenbach am Main"
    assert key_figures(at)[0].value.removesuffix(" *") == "1.011.410 €"


def test_projekte_search_and_choice_wait_unless_the_url_sets_them(deferring):
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.switch_page("pages/projekte.py").run()
    assert not at.exception and not at.text_input and not at.multiselect
    waiting = [h.value for h in at.get("html") if is_placeholder(h)]
    assert any("Suche im Projektnamen: –" in w for w in waiting) and any("Gebietskörperschaften: alle" in w for w in waiting)
    assert all('style="min-height: 68px"' in w for w in waiting if "Suche" in w or "alle" in w)  # their room kept
    at.session_state[later._SHOWN] = at.session_state[later._VIEW]  # the browser has drawn the first chart
    at.run()
    assert at.text_input(key="suche").value == "" and at.multiselect(key="partner_liste").value == []
    assert placeholders(at) == 0
    # A link with a search gets its field at once, and the hits are those of the search.
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["suche"] = "Coaching"
    at.switch_page("pages/projekte.py").run()
    assert at.text_input(key="suche").value == "Coaching"
    assert "mit „Coaching“" in at.markdown[0].value.replace("\\", "")


WIDGETS = {"selectbox", "select_slider", "multiselect", "radio", "toggle", "checkbox", "text_input", "page_link",
           "bidi_component"}


def above_first_chart(at: AppTest) -> list:
    """What the main area shows down to its first chart, widgets and placeholders left out, as protobuf bytes."""
    shown = []

    def walk(node) -> bool:
        for child in node.children.values():
            if isinstance(child, Block):
                if walk(child):
                    return True
            elif child.type == "plotly_chart":
                shown.append(("plotly_chart", child.proto.SerializeToString()))
                return True
            elif child.type == "html" and 'class="aqb-widget-row"' in child.value:
                # a waiting widget's placeholder and what stands beside it (later.widget_placeholder(beside=…))
                placeholder_end = "</p></div><div>"
                assert placeholder_end in child.value and child.value.endswith("</div></div>")
                shown.append(("html", child.value.split(placeholder_end, 1)[1][:-len("</div></div>")]))
            elif child.type == "html" and not is_placeholder(child):
                shown.append(("html", child.value))
            elif child.type not in WIDGETS and not is_placeholder(child):
                shown.append((child.type, child.proto.SerializeToString()))
        return False

    walk(at.main)
    return shown


@pytest.mark.parametrize("demo", ["1", "0"])
@pytest.mark.parametrize("script", list(PAGES))
def test_the_first_view_shows_what_the_widgets_decide(deferring, monkeypatch, script, demo):
    """The figures of a first view (sidebar and partner choice still waiting, their defaults used) are exactly
    those of the whole page once the widgets are there: headline, key figures, captions and the first chart."""
    monkeypatch.setenv("AQB_DEMO", demo)
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.switch_page(script).run()
    assert not at.exception
    assert sidebar_widgets(at) == 0, "a new session without filters in the URL: the sidebar waits"
    first = above_first_chart(at)
    assert first[-1][0] == "plotly_chart" and len(first) >= 3  # title, page statement, …, the chart
    at.session_state[later._SHOWN] = at.session_state[later._VIEW]  # the browser has drawn the first chart
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="jahr") and placeholders(at) == 0  # (one year only without demo data: no slider)
    assert above_first_chart(at) == first


def test_switched_off_every_block_comes_with_the_first_run(store_env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("AQB_DEFER_BELOW_FOLD", "0")
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert (charts(at), placeholders(at), triggers(at)) == (3, 0, 0)


def test_a_page_without_a_first_chart_waits_for_nothing(deferring):
    """Gesprächsunterlage draws no chart_frame chart first: nothing is held back, no trigger is mounted."""
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.switch_page("pages/briefing.py").run()
    assert not at.exception
    assert placeholders(at) == 0 and triggers(at) == 0

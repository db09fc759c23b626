"""The blocks below a page's first chart: placeholders on its first view, everything at once afterwards.

In-process (AppTest runs no JavaScript, so the trigger that fires in a browser is represented by what its
callback records); the real path — the browser drawing the first chart, the trigger, the fragment run — is
tests/test_browser.py::test_first_view_draws_the_first_chart_before_the_rest.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from aqb.app import later
from dashboard_fixtures import DASHBOARD, built_store, store_env  # noqa: F401

WAITING = "Wird geladen …"


def charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def placeholders(at: AppTest) -> int:
    return sum(c.value == WAITING for c in at.caption)


def triggers(at: AppTest) -> int:
    return len(at.get("bidi_component"))


@pytest.fixture
def deferring(store_env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("AQB_DEFER_BELOW_FOLD", "1")
    return store_env


def test_first_view_sends_the_first_chart_and_placeholders(deferring):
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert not at.exception
    # Überblick: the yearly sums are drawn; their table expander, ranking and mix wait (headings still to come).
    assert charts(at) == 1
    assert placeholders(at) == 3
    assert not at.expander
    assert [h.value for h in at.main.header] == ["Summe über die Jahre"]
    assert triggers(at) == 1
    # A rerun before the browser said it has drawn the first chart waits again, with a new trigger.
    at.run()
    assert (charts(at), placeholders(at), triggers(at)) == (1, 3, 1)


def test_once_drawn_the_page_reruns_whole(deferring):
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    # What the trigger's callback records when the browser has drawn the first chart.
    at.session_state[later._SHOWN] = at.session_state[later._VIEW]
    at.run()
    assert not at.exception
    assert charts(at) == 3
    assert placeholders(at) == 0 and triggers(at) == 0
    assert len(at.expander) == 3
    assert [h.value for h in at.main.header] == ["Summe über die Jahre", "Alle Gebietskörperschaften 2025 nach Budget",
                                            "Maßnahmenarten 2025"]
    # Another page is a new first view: it waits again.
    at.switch_page("pages/jahresvergleich.py").run()
    assert (charts(at), placeholders(at), triggers(at)) == (1, 3, 1)


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

"""Bounded memory per replica: every Streamlit cache has a size limit, and a session keeps little state."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from aqb.settings import PROJECT_ROOT
from dashboard_fixtures import DASHBOARD, built_store, store_env  # noqa: F401 - session fixtures

SOURCES = sorted([*(PROJECT_ROOT / "aqb").rglob("*.py"), *(PROJECT_ROOT / "pages").glob("*.py"),
                  PROJECT_ROOT / "dashboard.py"])
LIMITS = {"cache_data": 256, "cache_resource": 8}  # entries; a resource is a connection or a renderer
SESSION_STATE_BYTES = 64 * 1024


def cache_decorators() -> list[tuple[str, str, dict]]:
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for decorator in node.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                target = call.func if call else decorator
                if isinstance(target, ast.Attribute) and target.attr in LIMITS:
                    keywords = {k.arg: k.value for k in call.keywords} if call else {}
                    found.append((f"{path.relative_to(PROJECT_ROOT)}:{node.name}", target.attr, keywords))
    return found


def test_every_streamlit_cache_is_bounded():
    decorators = cache_decorators()
    assert len(decorators) >= 5  # the scan sees the dashboard's caches
    unbounded = []
    for where, kind, keywords in decorators:
        limit = keywords.get("max_entries")
        if not (isinstance(limit, ast.Constant) and isinstance(limit.value, int) and limit.value <= LIMITS[kind]):
            unbounded.append(where)
    assert unbounded == [], f"st.cache_* ohne max_entries (≤ {LIMITS}): {unbounded}"


def test_every_streamlit_cache_expires():
    from aqb.settings import CACHE_TTL_S

    without_ttl = [where for where, _, keywords in cache_decorators()
                   if not (isinstance(keywords.get("ttl"), ast.Name) and keywords["ttl"].id == "CACHE_TTL_S")]
    assert without_ttl == [], f"st.cache_* ohne ttl=CACHE_TTL_S: {without_ttl}"
    assert 60 <= CACHE_TTL_S <= 24 * 3600  # long enough to serve a meeting, short enough to free old snapshots


@pytest.mark.slow
def test_a_session_keeps_little_state(store_env):  # noqa: F811
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.run()
    at.sidebar.toggle(key="amtlich").set_value(True).run()
    at.switch_page("pages/gebietskoerperschaft.py").run()
    assert not at.exception
    state = {key: at.session_state[key] for key in at.session_state}
    assert state.get("amtlich") is True  # the scan sees the session's widget values
    size = len(pickle.dumps(state))
    # Widget values and the login only: the data lives in the (bounded) process caches, not per session.
    assert size <= SESSION_STATE_BYTES, (size, sorted(state))

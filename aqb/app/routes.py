"""German routes: aliases for the pages' own names (/ueberblick) and a German page for unknown addresses.

Streamlit answers an unknown path with an English "Page not found" dialog and no way to translate
it. So the entry script looks at the path the browser asked for before ``st.navigation`` resolves
it and, when no page has it, adds a hidden page under exactly that path that says so in German.
"""

from __future__ import annotations

import re

import streamlit as st

STAFF_PATHS = {"upload", "audit", "briefing", "umsetzung"}


def requested_path() -> str:
    """The page path of this rerun's request ('' for the root); Streamlit keeps it on the script context."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None) if ctx is not None else None
    name = getattr(manager, "intended_page_name", None) if manager is not None else None
    if getattr(manager, "intended_page_script_hash", None):
        return ""  # a click in the navigation names its page by hash: nothing to resolve here
    return (name or "").strip().strip("/")


def with_german_routes(sections: dict[str, list], *, default, alias: str, public_mode: bool) -> dict[str, list]:
    """``sections`` plus hidden pages: the default page also under ``alias`` and a German not-found page.

    Streamlit serves the default page only at the root, and its page id comes from its url_path, so
    the alias is a separate hidden page that forwards to the root with the same query parameters.
    """
    pages = [p for section in sections.values() for p in section]
    known = {p.url_path for p in pages} | {alias}
    hidden = [st.Page(lambda: st.switch_page(default, query_params=st.query_params.to_dict()), title=default.title,
                      url_path=alias, visibility="hidden")]
    path = requested_path()
    if path and path not in known and re.fullmatch(r"[0-9A-Za-z_\-äöüÄÖÜß]+", path):
        staff = public_mode and path in STAFF_PATHS
        hidden.append(st.Page(lambda: not_found(path, staff=staff, home=default), title="Seite nicht gefunden",
                              url_path=path, visibility="hidden"))
    return {**sections, "": list(sections.get("", [])) + hidden}


def not_found(path: str, *, staff: bool, home) -> None:
    st.title("Seite nicht gefunden")
    if staff:
        st.warning(f"Die Seite „/{path}“ gehört zu den internen Werkzeugen und ist in dieser öffentlichen "
                   "Ausgabe nicht verfügbar.")
    else:
        st.warning(f"Unter „/{path}“ gibt es keine Seite. Bitte die Adresse prüfen oder eine Seite aus der "
                   "Navigation wählen.")
    st.page_link(home, label="Zum Überblick", icon=":material/dashboard:")

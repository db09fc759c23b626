"""The app's own page navigation and document-wide accessibility settings (language, visible focus).

Streamlit's sidebar navigation renders its entries as ``<li>`` without a list around them (axe:
``listitem``/``list``, serious), so dashboard.py hides it (``position="hidden"``) and the sidebar shows
one ``st.page_link`` per page instead — same pages, same URLs, plain links a screen reader reads as such.
"""

from __future__ import annotations

import streamlit as st

A11Y_PAGE_TITLE = "Erklärung zur Barrierefreiheit"
# Streamlit serves <html lang="en"> and has no setting for it; screen readers need the document language to
# pick the German voice. The script runs on every page (the sidebar is always mounted, also when collapsed).
# A sidebar with many filters scrolls: WCAG 2.1.1 (axe scrollable-region-focusable) wants the scrolling region
# itself reachable by keyboard, so it becomes a named region with a tab stop.
DOCUMENT_SETUP = """<script>
document.documentElement.lang = "de";
const sidebar = document.querySelector('[data-testid="stSidebarContent"]');
if (sidebar && !sidebar.hasAttribute("tabindex")) {
  sidebar.tabIndex = 0;
  sidebar.setAttribute("role", "region");
  sidebar.setAttribute("aria-label", "Navigation und Filter");
}
</script>
<style>
/* WCAG 2.4.7: a clearly visible keyboard focus on every control (Streamlit's own ring is faint or absent) */
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible,
summary:focus-visible, [role="button"]:focus-visible, [role="tab"]:focus-visible, [role="slider"]:focus-visible,
[role="switch"]:focus-visible, [role="combobox"]:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid #0072B2 !important; outline-offset: 2px !important;
}
/* WCAG 1.4.3: Streamlit draws captions and help text at ~60 % opacity (about 3.6:1); #595959 is 7:1 on white */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small, [data-testid="stMetricDelta"] {color: #595959 !important; opacity: 1 !important;}
/* chart titles are h2 (one level below the page title) but keep the size of a Streamlit subheader */
[data-testid="stMain"] [data-testid="stHeading"] h2 {font-size: 1.75rem; padding: 1rem 0 0.5rem 0;}
.aqb-sr-only {position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;}
.aqb-nav-section {font-size: 0.85rem; font-weight: 600; color: #31333F; margin: 0.6rem 0 0.1rem 0;}
</style>"""


def document_setup() -> None:
    """Set lang="de" on the document and the visible focus style; call once per rerun."""
    st.sidebar.html(DOCUMENT_SETUP, unsafe_allow_javascript=True)


def visible_pages(sections: dict[str, list]) -> dict[str, list]:
    """The sections and pages a person can pick (hidden alias/not-found pages left out)."""
    shown = {}
    for section, pages in sections.items():
        pages = [p for p in pages if getattr(p, "visibility", "visible") != "hidden"]
        if section and pages:
            shown[section] = pages
    return shown


def sidebar_navigation(sections: dict[str, list]) -> None:
    """One link per page under its section name, at the top of the sidebar."""
    with st.sidebar:
        for section, pages in visible_pages(sections).items():
            st.html(f'<p class="aqb-nav-section">{section}</p>')
            for page in pages:
                st.page_link(page, label=page.title, icon=page.icon or None)

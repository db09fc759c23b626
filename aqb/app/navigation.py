"""The app's own page navigation and document-wide accessibility settings (language, visible focus).

Streamlit's sidebar navigation renders its entries as ``<li>`` without a list around them (axe:
``listitem``/``list``, serious), so dashboard.py hides it (``position="hidden"``) and the sidebar shows
one ``st.page_link`` per page instead — same pages, same URLs, plain links a screen reader reads as such.
"""

from __future__ import annotations

import streamlit as st

from aqb.app import html_document

A11Y_PAGE_TITLE = "Erklärung zur Barrierefreiheit"


def document_setup() -> None:
    """Without serve.py only (AppTest, ``streamlit run dashboard.py``): what the served HTML document otherwise
    says itself (aqb.app.html_document) — lang="de" for screen readers, and the sidebar as a named scrolling
    region with a tab stop (WCAG 2.1.1, axe scrollable-region-focusable). Call once per rerun."""
    if not html_document.served():
        st.sidebar.html(f'<script>document.documentElement.lang = "de";{html_document.MARK_SIDEBAR_JS}</script>',
                        unsafe_allow_javascript=True)


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

"""The server of the AQB-Dashboard: ``streamlit run serve.py`` serves dashboard.py with Streamlit's own server.

``st.App`` is Streamlit's ASGI application; this launcher adds one middleware to it, which makes the HTML
document the app's own before the browser reads it: where the server is, the German language, the app's
styles and the Plotly preload (aqb.app.html_document). Everything else — pages, settings in
.streamlit/config.toml, command-line options such as --server.port — is what ``streamlit run dashboard.py`` gives.
"""

from pathlib import Path

import streamlit as st

from aqb.app import html_document

app = st.App(Path(__file__).resolve().parent / "dashboard.py", middleware=[html_document.middleware()])

"""The server of the AQB-Dashboard: ``streamlit run serve.py`` serves dashboard.py with Streamlit's own server.

``st.App`` is Streamlit's ASGI application; this launcher adds one middleware to it: the HTML document
tells the browser where the server is, so a page's first view does not probe its own path first
(aqb.app.base_url_hint). Everything else — pages, settings in .streamlit/config.toml, command-line
options such as --server.port — is what ``streamlit run dashboard.py`` gives.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from aqb.app.base_url_hint import BackendBaseUrlHint

app = st.App(Path(__file__).resolve().parent / "dashboard.py", middleware=[Middleware(BackendBaseUrlHint)])

"""Über das AQB: Programm, Stand der Veröffentlichung, veröffentlichte Beträge mit Quellen, Glossar (öffentliche Startseite)."""

from aqb.app import frames as data
from aqb.app import landing
from aqb.app.ui import leave_legacy_navigation
from aqb.errors import AqbError
from aqb.settings import Settings

leave_legacy_navigation()  # a first deep link must run through dashboard.py (navigation, lang="de", contrast CSS)
try:
    store = data.current_store(Settings.from_env())
except AqbError:
    store = None
landing.render(store, heading=True)

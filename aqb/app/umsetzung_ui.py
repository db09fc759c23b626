"""Streamlit pieces for the Umsetzungsstand and the briefing pages: store access, status table, upload.

Kept apart from the pages so the partner page can show the same Umsetzungsstand section
(``status_section``) and the briefing and statewide pages share one upload (``upload_section``).
"""

from __future__ import annotations


import duckdb
import pandas as pd
import streamlit as st

from aqb.store import snapshots
from aqb.errors import AqbError
from aqb.fmt import euro_from_cents, german_date, number, percent
from aqb.settings import CACHE_TTL_S, Settings
from aqb.app.chrome import PLOTLY_GERMAN as _DE

DEMO_MARK = "Demodaten — nicht amtlich"
OFFICIAL_KEY = "amtlich"  # the dashboard's shared "nur amtliche Quellen" toggle, when the entry script drew it


@st.cache_resource(max_entries=8, ttl=CACHE_TTL_S, show_spinner=False)
def _connection(snapshot: str, _settings: Settings, flags: tuple[bool, bool, bool]) -> duckdb.DuckDBPyConnection:
    # aqb.store.reader's views enforce demo-off and public mode for these pages as for the dashboard.
    from aqb.store.reader import connect

    opened = connect(_settings)
    if opened is None:
        raise AqbError("Kein Datenbestand vorhanden.")
    return opened[0]


def reader(settings: Settings):
    """A read-only connection to the current snapshot (cached per snapshot file), or None without store."""
    flags = (settings.demo_enabled, settings.public_mode, settings.public_demo)
    try:
        current = snapshots.resolve(settings)
        if current.snapshot is None:
            return None
        cursor = _connection(str(current.snapshot), settings, flags).cursor()
    except Exception as exc:  # noqa: BLE001 - a corrupt store: one German line, no server paths
        import logging

        from aqb.errors import operational_message

        logging.getLogger("aqb.app").error("Bestand nicht lesbar: %r", exc)
        st.error(f"Der Datenbestand ist nicht lesbar: {exc if isinstance(exc, AqbError) else operational_message(exc)}")
        st.stop()
    if current.notice:
        st.warning(current.notice)
    return cursor


def demo_layer(settings: Settings) -> bool:
    """Whether demo rows may be shown at all (AQB_DEMO; in public mode only with AQB_PUBLIC_DEMO)."""
    if settings.public_mode:
        return settings.demo_enabled and getattr(settings, "public_demo", False)
    return settings.demo_enabled


def internal_page(settings: Settings) -> None:
    """Briefings and the Umsetzungsstand are internal: only for logged-in staff in public mode or with AQB_MEETINGS_LOGIN=1."""
    if settings.public_mode or settings.meetings_login:
        from aqb.app.login import require_staff

        require_staff(settings)


def official_toggle(settings: Settings, key: str) -> bool:
    """The page's "nur amtliche Quellen" switch (starts as the dashboard's shared one); True = official only."""
    if not demo_layer(settings):
        st.caption("Demodaten sind ausgeschaltet – es zählen nur amtliche Quellen.")
        return True
    return st.toggle("nur amtliche Quellen", value=bool(st.session_state.get(OFFICIAL_KEY, False)), key=key,
                     help="blendet Demodaten aus allen Zahlen, Grafiken und Downloads aus")


def demo_notice(subject: str) -> None:
    """One quiet line, not a banner: the values themselves carry the * of the one provenance rule."""
    st.caption(f"{DEMO_MARK}: in {subject} fließen erzeugte Beispieldaten ein (mit * markiert); "
               "„nur amtliche Quellen“ blendet sie aus.")


def status_table(implementation: pd.DataFrame) -> pd.DataFrame:
    """The Umsetzungsstand per project as German display strings (demo rows starred)."""
    rows = []
    for r in implementation.to_dict("records"):
        star = " *" if r.get("is_demo") else ""
        if not r.get("has_status", True):
            rows.append({"Projekt": r["project_name"], "Bewilligt": "nicht gemeldet", "Ausgezahlt": "", "Abfluss": "",
                         "Plätze": "", "Teilnehmende": "", "Quote": "", "Stand": ""})
            continue
        rows.append({
            "Projekt": f"{r['project_name']}{star}",
            "Bewilligt": euro_from_cents(int(r["approved_cents"])),
            "Ausgezahlt": euro_from_cents(int(r["spent_cents"])),
            "Abfluss": percent(r["spent_ratio"], 0) if pd.notna(r["spent_ratio"]) else "–",
            "Plätze": number(int(r["planned_places"])) if pd.notna(r["planned_places"]) else "–",
            "Teilnehmende": number(int(r["participants"])) if pd.notna(r["participants"]) else "–",
            "Quote": percent(r["participant_ratio"], 0) if pd.notna(r["participant_ratio"]) else "–",
            "Stand": german_date(r["as_of_date"]),
        })
    return pd.DataFrame(rows)


@st.cache_data(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def _cached_briefing(store_key: tuple, partner_ags: str, year: int, include_demo: bool, _con):
    # Keyed on the snapshot: a click on an unchanged store does not run the briefing queries again.
    from aqb.analysis.briefing import load_briefing

    return load_briefing(_con, partner_ags, year, include_demo=include_demo)


def briefing(con, partner_ags: str, year: int, *, include_demo: bool):
    """The Gesprächsunterlage data of one partner and year, cached on the current snapshot."""
    settings = Settings.from_env()
    key = (str(snapshots.current_snapshot(settings)), settings.demo_enabled, settings.public_mode, settings.public_demo)
    return _cached_briefing(key, partner_ags, year, include_demo, con)


def status_section(con, partner_ags: str, year: int, *, include_demo: bool) -> None:
    """Mittelabfluss and participant fulfilment of one partner and year (for the partner and briefing pages)."""
    from aqb.analysis.chart_views import implementation_view
    from aqb.present.figures import view_figure

    b = briefing(con, partner_ags, year, include_demo=include_demo)
    totals = b.implementation_totals
    if not totals:
        st.info(f"Kein Umsetzungsstand {year} für {b.partner_name} eingelesen.")
        return
    if totals["is_demo"]:
        demo_notice("den Umsetzungsstand")
    cols = st.columns(3)
    cols[0].metric("Mittelabfluss", percent(totals["spent_ratio"], 0),
                   help=f"{euro_from_cents(totals['spent_cents'])} von {euro_from_cents(totals['approved_cents'])}")
    cols[1].metric("Teilnehmende / Plätze", percent(totals["participant_ratio"], 0)
                   if totals["participant_ratio"] is not None else "–")
    cols[2].metric("Gemeldete Projekte", f"{totals['reported_count']} von {totals['project_count']}")
    view = implementation_view(b.reported, "project_name", view_id="umsetzung", source_line=b.source_line("implementation"))
    st.plotly_chart(view_figure(view, projector=False), width="stretch", key=f"status_chart_{partner_ags}_{year}",
                    config={**_DE, "displaylogo": False})
    st.dataframe(status_table(b.implementation), hide_index=True, width="stretch")
    st.caption(b.source_line("implementation"))


def _upload_user(settings: Settings) -> tuple[str | None, str]:
    """(staff name, "") when this session may import, else (None, why not)."""
    if settings.public_mode:
        return None, "Im öffentlichen Modus ist das Einlesen abgeschaltet."
    try:
        from aqb.app.login import logged_in_user
    except ImportError:  # no staff logins in this installation: an internal tool
        return "dashboard", ""
    user = logged_in_user(settings)
    if user is None:
        return None, ("Einlesen im Dashboard nur für angemeldete Mitarbeiterinnen und Mitarbeiter (Anmeldung auf "
                      "der Seite „Daten hochladen“); sonst mit `aqb import-umsetzung DATEI`.")
    return user, ""


def upload_section(settings: Settings, year: int, *, key: str) -> None:
    """Upload of a filled Umsetzungsstand sheet: all rows valid or nothing is taken over."""
    from aqb.ingest.umsetzung_sheet import SheetRefused
    from aqb.store.umsetzung_import import import_sheets
    from aqb.store.upload import safe_file_name

    user, reason = _upload_user(settings)
    if user is None:
        st.caption(reason)
        return
    result_key = f"{key}_result"
    if st.session_state.get(result_key):
        kind, text = st.session_state.pop(result_key)
        (st.success if kind == "ok" else st.error)(text)
    upload = st.file_uploader("Ausgefüllte Vorlage (XLSX) einlesen", type=["xlsx"], key=f"{key}_file",
                              max_upload_size=settings.upload_widget_mb)
    if upload is None or not st.button("Umsetzungsstand einlesen", key=f"{key}_go", type="primary"):
        return
    try:
        report = import_sheets([(upload.name, upload.getvalue())], settings, actor=user,
                               expected_year=year)[0]
    except SheetRefused as exc:
        st.session_state[result_key] = ("error", refusal_markdown(exc))
    except AqbError as exc:
        st.session_state[result_key] = ("error", f"Nicht übernommen: {exc}")
    else:
        from aqb.store import inbox

        # Kept as a file once accepted, so `aqb build --fresh` replays it (the snapshot is derived data).
        note = ""
        try:
            inbox.keep(settings, inbox.STATUS, [(safe_file_name(upload.name), upload.getvalue())])
        except AqbError as exc:
            note = f"\n\nAchtung: {plain(exc)} – bei einem Neuaufbau fehlt diese Tabelle."
        lines = "\n".join(f"- {plain(o.message)}" for o in report.outcomes)
        st.session_state[result_key] = ("ok", f"Übernommen – {plain(report.summary())}\n\n{lines}{note}")
    st.rerun()


def plain(text: object) -> str:
    """Text with ASCII punctuation escaped, so file names and cell values never render as Markdown."""
    from aqb.present import escape

    return escape.markdown(text)


def refusal_markdown(exc) -> str:
    """The refusal as a Markdown list, one bad row per line; text from the file is escaped."""
    head = f"**{plain(exc.file_name)}: nichts übernommen.** Bitte korrigieren und erneut einlesen:"
    return head + "\n\n" + "\n".join(f"- {plain(e)}" for e in exc.errors[:200])

"""Shared Streamlit widgets: the sidebar filters (bound to the URL), the chart frame, demo and empty-store notices."""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from aqb.present import escape
from aqb.analysis import provenance
from aqb import fmt, reference
from aqb.present import html_table, theme
from aqb.present.key_figures import key_figures_html
from aqb.app import frames as data
from aqb.app.chrome import PLOTLY_GERMAN
from aqb.app import later, warmup
from aqb.errors import AqbError, operational_message
from aqb.store import snapshots
from aqb.present.export import people_csv_bytes, people_xlsx_bytes
from aqb.present.people_export import people_frame
from aqb.settings import CACHE_TTL_S, Settings

PLOTLY_CONFIG = {
    **PLOTLY_GERMAN,
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
    # Geo charts load a base map; an empty one is served from static/ (see .streamlit/config.toml), so the
    # choropleth draws without internet access. Relative, so it also works under a base URL path.
    "topojsonURL": "app/static/topojson/",
}
CONTEXT_KEY = "_aqb_context"
MIN_COMPARED = 3  # a rank, median or average over fewer values is not shown but explained
CACHE_TABLES_FROM_ROWS = 300
SCREEN_ROWS = 2000  # a longer table slows every page load; the downloads always hold all rows
URL = "query-params"  # bind every filter to the URL, so each view is a shareable link


@dataclass
class Context:
    """What every page needs: the store of this rerun, the filter options and the chosen filters."""

    settings: Settings | None
    store: data.StoreRef | None
    options: data.Options | None = None
    filters: data.Filters | None = None
    problem: str | None = None
    notice: str | None = None  # the store fell back to an older snapshot (German, no paths)


def _session_settings(settings: Settings) -> Settings:
    """With AQB_MEETINGS_LOGIN=1 a session without staff login sees no drafts (the reader's views drop them)."""
    if settings.meetings_login and not settings.public_mode:
        from aqb.app.login import logged_in_user

        if logged_in_user(settings) is None:
            return dataclasses.replace(settings, drafts_hidden=True)
    return settings


def _resolve() -> Context:
    try:
        settings = _session_settings(Settings.from_env())
        store = data.current_store(settings)
    except AqbError as exc:
        return Context(None, None, problem=str(exc))
    if store is None:
        return Context(settings, None)
    try:
        options = data.options(store, data.demo_layer(settings))
    except Exception as exc:  # a half-written or foreign file must not become a traceback
        # The user gets one German line without server paths; the operator the detail in the log.
        logging.getLogger("aqb.app").error("Snapshot %s nicht lesbar: %r", store.snapshot, exc)
        snapshots.mark_unreadable(Path(store.snapshot))  # the next resolve falls back past it
        try:
            store = data.current_store(settings)
            options = data.options(store, data.demo_layer(settings)) if store is not None else None
        except Exception as again:  # noqa: BLE001 - no readable snapshot left
            logging.getLogger("aqb.app").error("Kein lesbarer Snapshot: %r", again)
            return Context(settings, None, problem=f"Der Datenbestand ist nicht lesbar: {operational_message(again)}")
        if store is None:
            return Context(settings, None)
    notice = snapshots.resolve(settings).notice
    if not options.years:
        problem = ("Öffentlicher Modus: noch keine veröffentlichte Zielvereinbarung im Bestand." if settings.public_mode
                   else "Der Datenbestand enthält noch keine Zielvereinbarung.")
        return Context(settings, store, options, problem=problem, notice=notice)
    return Context(settings, store, options, notice=notice)


def app_frame(navigation: Callable[[], None] | None = None) -> Context:
    """Resolve the store and draw the shared sidebar (``navigation`` first); called by dashboard.py on every rerun.

    On the first view of a page in a new session with no filter in the URL, the sidebar waits like the
    blocks below the first chart (aqb.app.later): its widgets are most of what the browser builds
    before that chart, and the page's figures are those of the filters' defaults, known without them.
    """
    ctx = _resolve()
    if ctx.options is not None and ctx.problem is None:
        demo_layer = data.demo_layer(ctx.settings)
        if later.widgets_wait(FILTER_KEYS):
            ctx.filters = default_filters(ctx.options, demo_layer)
            later.sidebar_placeholder()
        else:
            if navigation is not None:
                navigation()
            ctx.filters = sidebar_filters(ctx.options, demo_layer)
            _sidebar_status(ctx)
        warmup.start_once(ctx.store, ctx.options, demo_layer)
    elif navigation is not None:
        navigation()
    st.session_state[CONTEXT_KEY] = ctx
    return ctx


@dataclass(frozen=True)
class FilterChoice:
    """What the sidebar's widgets hold, as their own values (labels of radios, the year as int)."""

    year: int
    period: tuple[int, int]
    bezirke: tuple[str, ...]
    kind: str
    codes: tuple[int, ...]
    display: str
    official_only: bool


FILTER_KEYS = ("jahr", "zeitraum", "bezirk", "art", "massnahmenart", "darstellung", "amtlich")  # widget keys = URL keys


def default_choice(options: data.Options, demo_layer: bool) -> FilterChoice:
    """The widgets' values before anybody touched them: the widgets are built from these, too."""
    years = options.years
    return FilterChoice(
        year=options.default_year if options.default_year in years else years[-1],
        period=(years[0], years[-1]), bezirke=(), kind=next(iter(theme.KIND_OPTIONS)), codes=(),
        display=theme.DISPLAY_OPTIONS[0], official_only=not demo_layer)


def default_filters(options: data.Options, demo_layer: bool) -> data.Filters:
    return _filters(default_choice(options, demo_layer), demo_layer)


def _filters(c: FilterChoice, demo_layer: bool) -> data.Filters:
    return data.Filters(
        year=int(c.year), year_from=int(c.period[0]), year_to=int(c.period[1]),
        regierungsbezirke=tuple(c.bezirke), partner_kinds=theme.KIND_OPTIONS[c.kind],
        measure_type_codes=tuple(int(code) for code in c.codes), per_inhabitant=c.display == "je Einwohner",
        include_demo=demo_layer and not c.official_only, official_only=c.official_only,
    )


def sidebar_filters(options: data.Options, demo_layer: bool) -> data.Filters:
    years = options.years
    labels = dict(zip(options.measure_types["measure_type_code"], options.measure_types["measure_type_label"]))
    start = default_choice(options, demo_layer)
    with st.sidebar:
        st.header("Filter")
        newest_first = years[::-1]
        year = st.selectbox("Jahr", newest_first, index=newest_first.index(start.year), key="jahr", bind=URL,
                            help="Jahr für Kennzahlen, Rangfolge und Karte; zu Beginn das letzte Jahr mit "
                                 "unterzeichneten Vereinbarungen")
        if len(years) > 1:
            period = st.select_slider(
                "Zeitraum", options=years, value=start.period, key="zeitraum", bind=URL,
                help="Zeitraum für Verläufe; im Jahresvergleich die beiden verglichenen Jahre",
            )
        else:
            period = start.period
        bezirke = st.multiselect("Regierungsbezirk", options.regierungsbezirke, key="bezirk", select_all=False, bind=URL,
                                 placeholder="alle")
        kinds = list(theme.KIND_OPTIONS)
        kind = st.radio("Art", kinds, index=kinds.index(start.kind), key="art", bind=URL, horizontal=True)
        codes = st.multiselect("Maßnahmenart", list(labels), format_func=lambda c: labels[c], key="massnahmenart", select_all=False,
                               bind=URL, placeholder="alle", help="wirkt auf Projekte; Budgets sind nicht nach Maßnahmenart aufgeteilt")
        display = st.radio("Darstellung", theme.DISPLAY_OPTIONS, index=theme.DISPLAY_OPTIONS.index(start.display),
                           key="darstellung", bind=URL, horizontal=True)
        if demo_layer:
            official_only = st.toggle(theme.OFFICIAL_ONLY_LABEL, value=start.official_only, key="amtlich", bind=URL,
                                      help="blendet Demodaten aus allen Zahlen, Grafiken und Tabellen aus")
        else:
            official_only = True
            st.caption("Demodaten sind ausgeschaltet (AQB_DEMO=0 bzw. öffentlicher Modus): es zählen nur amtliche Quellen.")
    return _filters(FilterChoice(year, tuple(period), tuple(bezirke), kind, tuple(codes), display, official_only),
                    demo_layer)


def _sidebar_status(ctx: Context) -> None:
    status = ctx.options.status
    built = status.get("built_at")
    with st.sidebar:
        st.divider()
        st.caption(f"{fmt.stand(built)} · Bestandsversion {ctx.store.name}")  # plain text: no HTML parser shipped to the browser


def per_capita_label(frame: pd.DataFrame, year: int | None = None, unit: str = "€ je Einwohner") -> str:
    """'€ je Einwohner (Stand 31.12.2019)' from the population_stichtag of the frame's (year's) rows."""
    if "population_stichtag" not in frame:
        return unit
    rows = frame if year is None else frame[frame["agreement_year"] == year]
    return fmt.per_inhabitant_label(rows["population_stichtag"], unit)


def stichtag_caption(frame: pd.DataFrame) -> str:
    """The footnote of a per-capita series: which Stichtag (and Zensus basis) each budget year uses."""
    if "population_stichtag" not in frame or frame.empty:
        return ""
    days = [None if d != d or d is None else pd.Timestamp(d).date() for d in frame["population_stichtag"]]
    bases = (frame["population_basis"] if "population_basis" in frame
             else [reference.expected_basis(d) if d else None for d in days])
    return fmt.stichtag_note(zip(frame["agreement_year"].astype(int), days, bases))


def _split_names(split: reference.TerritorySplit, partners: pd.DataFrame) -> tuple[str, str]:
    names = dict(zip(partners["partner_ags"], partners["partner_name"]))
    return names.get(split.partner_ags, split.partner_ags), names.get(split.split_off_ags, split.split_off_name)


def territory_view(split: reference.TerritorySplit | None, partners: pd.DataFrame) -> str | None:
    """For a partner of a territorial split, a choice of series; the combined series' name when chosen."""
    if split is None:
        return None
    kreis, city = _split_names(split, partners)
    combined = f"{kreis} mit {city}"
    choice = st.radio("Zeitreihe", ["Gebietsstand des Jahres", combined], key="gebietsstand", bind=URL,
                      horizontal=True,
                      help=f"{city} ist ab {split.effective_year} kreisfrei. „{combined}“ zählt ab "
                           f"{split.effective_year} beide zusammen, damit {split.effective_year - 1} → "
                           f"{split.effective_year} vergleichbar bleibt.")
    return combined if choice == combined else None


def territory_note(split: reference.TerritorySplit, partners: pd.DataFrame) -> str:
    kreis, city = _split_names(split, partners)
    return (f"Ansicht: {kreis} mit {city} – bis {split.effective_year - 1} der Kreis einschließlich {city}, ab "
            f"{split.effective_year} {kreis} und die kreisfreie Stadt {city} zusammen (Budgets und Einwohner "
            "summiert). Landessummen sind davon nicht berührt.")


def sidebar_stand() -> None:
    """'Stand: 1.12.2026, 22:41 MEZ · Bestandsversion …' in the sidebar of a page without the shared filters."""
    store = data.current_store()
    if store is not None:
        built = data.query(store, "store_status").iloc[0]["built_at"]
        st.sidebar.caption(f"{fmt.stand(built)} · Bestandsversion {store.name}")


def coverage_sentence(store: data.StoreRef, f: data.Filters) -> str:
    """Partner-years of the selection (Zeitraum, Regierungsbezirk, Art) that rest on a real agreement."""
    counts = data.coverage_counts(store, f)
    span = f"{f.year_from}–{f.year_to}" if f.year_from != f.year_to else str(f.year_from)
    return (
        f"{fmt.number(counts['real'])} von {fmt.number(counts['partner_years'])} Partner-Jahren ({span}"
        f"{selection_words(f)}) sind durch eine amtliche Zielvereinbarung belegt"
    )


def selection_words(f: data.Filters) -> str:
    """', RB Kassel, Landkreise' — the partner filters a count honours, for its sentence."""
    parts = []
    if f.regierungsbezirke:
        parts.append("RB " + ", ".join(f.regierungsbezirke))
    if f.partner_kinds:
        parts.append(", ".join(theme.KIND_PLURAL.get(k, k) for k in f.partner_kinds))
    return "".join(", " + p for p in parts)


def page_statement(store: data.StoreRef, f: data.Filters) -> str:
    """The one statement per page of what its numbers rest on (replaces a demo banner per block)."""
    counts = data.coverage_counts(store, f, f.year, f.year)
    text = provenance.page_statement(counts["real"], counts["partner_years"], f.year,
                                     demo_shown=f.include_demo and counts["demo"] > 0)
    return text[0].upper() + text[1:] + (f" (Auswahl{selection_words(f)})" if not f.is_statewide else "") + "."


def leave_legacy_navigation() -> None:
    """Rerun through dashboard.py when Streamlit ran a page file directly.

    Because pages/ exists, a fresh server answers the very first deep link (e.g. /karte) with
    Streamlit's old folder-based navigation, which runs the page without dashboard.py. Switching
    that mode off and rerunning lets st.navigation in dashboard.py pick the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_context(title: str, intro: str | None = None) -> Context:
    """Title of the page plus the rerun's context; stops the page with a clear message when there is no data."""
    ctx = st.session_state.pop(CONTEXT_KEY, None)
    if ctx is None:
        leave_legacy_navigation()
        ctx = app_frame()
        st.session_state.pop(CONTEXT_KEY, None)
    st.title(title)
    if ctx.notice:
        st.warning(ctx.notice)
    if ctx.problem and ctx.settings is not None and ctx.settings.public_mode and ctx.store is not None:
        st.info(ctx.problem)  # a public visitor gets the programme, the published amounts and the glossary instead
        from aqb.app import landing

        landing.render(ctx.store)
        st.stop()
    if ctx.problem:
        (st.info if ctx.store is not None else st.error)(ctx.problem)
        st.stop()
    if ctx.store is None:
        st.info(
            "Noch kein Datenbestand vorhanden. Mit `aqb build` (oder `make run`) wird er aus `data/` "
            "gebaut; danach zeigt das Dashboard die Daten ohne Neustart."
        )
        st.stop()
    statement = page_statement(ctx.store, ctx.filters)
    if ctx.filters.official_only:
        statement += f" {coverage_sentence(ctx.store, ctx.filters)}."
    quiet_lines([intro, statement] if intro else [statement], "aqb-statement")
    return ctx


def quiet_lines(lines: list[str], testid: str) -> None:
    """Lines in the look of a caption, as one plain HTML element: above a page's first chart the browser builds
    one element instead of a Markdown text per line (benchmarks/bench_first_view.py). Shown literally."""
    st.html(quiet_lines_html(lines, testid))


def quiet_lines_html(lines: list[str], testid: str) -> str:
    return (f'<div data-testid="{testid}">'
            + "".join(f'<p class="aqb-quiet">{escape.html_text(line)}</p>' for line in lines) + "</div>")


def demo_badge(subject: str = "diese Darstellung") -> None:
    """A quiet line where a single block (a document, a source) is demo; the page statement says the rest."""
    # Plain HTML: as Markdown the leading "* " became a list bullet instead of the demo mark.
    quiet_lines([f"{provenance.DEMO_MARK} {theme.DEMO_LABEL} — {subject} ist ein erzeugtes Beispiel."], "aqb-demo-badge")


def official_badge(signed_date, source: str | None) -> None:
    """The clear badge on a real agreement: 'amtlich · unterzeichnet am 11.8.2025 · Quelle: …'."""
    st.badge(provenance.official_badge(signed_date, source), icon=":material/verified:", color="green")


@st.cache_data(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def _display(frame: pd.DataFrame, columns: tuple[str, ...], kinds: tuple) -> pd.DataFrame:
    return theme.display_table(frame, list(columns), dict(kinds))


def export_frame(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Exactly the rows and columns of the table, plus the provenance column (people_frame adds the exact cents)."""
    columns = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    # A per-capita value travels with its Stichtag, so the file names it in the header and in each row.
    for source in [s for c in columns for s in theme.STICHTAG_SOURCES.get(c, ())]:
        if source in frame.columns and source not in columns:
            columns.append(source)
    if "provenance" in frame.columns and "provenance" not in columns:
        columns.append("provenance")
    return frame[columns].reset_index(drop=True)


def _file_stem(title: str) -> str:
    stem = re.sub(r"[^0-9A-Za-zÄÖÜäöüß]+", "_", title).strip("_").lower()
    return stem[:60] or "daten"


def download_buttons(key: str, title: str, frame: pd.DataFrame | Callable[[], pd.DataFrame], columns: list[str],
                     notes: list[str], kinds: dict[str, str] | None = None) -> None:
    """CSV and XLSX of every row of what the view shows (``frame`` may be a callable: read on click), built on click."""
    stem = _file_stem(title)
    rows = frame if callable(frame) else (lambda: frame)
    store = data.current_store()
    if store is not None:  # every export says which state of the data it is
        notes = [*notes, fmt.stand(data.query(store, "store_status").iloc[0]["built_at"])]
    left, right = st.columns(2)
    base_url = Settings.from_env().base_url

    def people():
        return people_frame(export_frame(rows(), columns), kinds=kinds, base_url=base_url)

    left.download_button("CSV herunterladen", data=lambda: people_csv_bytes(*people()),
                         file_name=f"{stem}.csv", mime="text/csv", key=f"csv_{key}", on_click="ignore",
                         icon=":material/download:")
    right.download_button(
        "Excel herunterladen", data=lambda: people_xlsx_bytes({"Daten": people()}, notes),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{key}",
        on_click="ignore", icon=":material/download:",
    )


def chart_frame(
    key: str,
    title: str,
    summary: str,
    frame: pd.DataFrame,
    *,
    figure: go.Figure | None = None,
    columns: list[str] | None = None,
    kinds: dict[str, str] | None = None,
    has_demo: bool = False,
    notes: list[str] | None = None,
    column_config: dict | None = None,
    display: pd.DataFrame | None = None,
    table_open: bool = False,
    all_rows: Callable[[], pd.DataFrame] | None = None,
    total_rows: int | None = None,
) -> None:
    """Title, one-line summary, the chart, the table behind it and CSV/XLSX downloads of every row of it.

    ``frame`` may hold only the first rows of a long result: then ``all_rows`` reads all of them (on click)
    for the downloads and ``total_rows`` says how many there are, so the table can say it shows fewer.
    A table (a chart's text equivalent, or the table beside a summary line) and its downloads are built
    when its expander is opened, not on every run, unless ``table_open``: they are most of what a page
    would otherwise send and draw (benchmarks/bench_first_view.py).
    """
    def draw() -> None:
        _chart_block(key, title, summary, frame, figure, columns, kinds, has_demo, notes, column_config, display,
                     table_open, all_rows, total_rows)

    # Below the page's first chart: drawn once the browser has painted that one (aqb.app.later).
    later.after_first_chart(key, draw)


def _chart_block(key, title, summary, frame, figure, columns, kinds, has_demo, notes, column_config, display,
                 table_open, all_rows, total_rows) -> None:
    st.header(title)  # h2 under the page's h1 (WCAG 1.3.1); navigation.py keeps the smaller look
    # Summaries quote document text (names, roles, places): shown literally, never as Markdown; the
    # page statement at the top explains the * on demo-derived values.
    st.markdown(escape.markdown(summary))
    if figure is not None:
        st.plotly_chart(figure, config=PLOTLY_CONFIG, key=f"chart_{key}", width="stretch")
        later.chart_drawn()
    notes = [f"{title}: {summary}"] + list(notes or [])
    if has_demo:
        notes.append(theme.DEMO_NOTE + f" Zeilen mit Herkunft „{theme.PROVENANCE_LABELS['demo']}“ sind Demodaten; "
                     "„gemischt“ heißt: amtliche und Demodaten zusammengezählt.")
    table = _Table(key, title, summary, frame, [c for c in (columns or list(frame.columns)) if c in frame.columns],
                   kinds, notes, column_config, display, figure is not None, all_rows, total_rows)
    # Under a page's first chart, its table (or the expander that opens it) comes with the blocks below.
    if table_open:  # the table is the content (search hits, changed versions)
        later.after_first_chart(f"{key}_tabelle", lambda: _table(table))
    else:  # a table beside a summary line, too: a data grid costs the first view most (bench_first_view --profile)
        later.after_first_chart(f"{key}_tabelle", lambda: _table_on_demand(table))


@dataclass
class _Table:
    """What the table under a chart needs, kept for the fragment that draws it when its expander opens."""

    key: str
    title: str
    summary: str
    frame: pd.DataFrame
    columns: list[str]
    kinds: dict[str, str] | None
    notes: list[str]
    column_config: dict | None
    display: pd.DataFrame | None
    as_html: bool
    all_rows: Callable[[], pd.DataFrame] | None
    total_rows: int | None


@st.fragment
def _table_on_demand(table: _Table) -> None:
    # A fragment: opening the expander reruns only this table, not the page.
    box = st.expander(f"Daten als Tabelle: {table.title}", key=f"tabelle_{table.key}", on_change="rerun")
    if box.open:
        with box:
            _table(table)


def _table(t: _Table) -> None:
    head = t.frame.head(SCREEN_ROWS)
    if t.display is not None:
        shown = t.display.head(SCREEN_ROWS)
    elif len(head) > CACHE_TABLES_FROM_ROWS:
        shown = _display(head, tuple(t.columns), tuple(sorted((t.kinds or {}).items())))
    else:  # formatting a small table is cheaper than hashing it for the cache
        shown = theme.display_table(head, t.columns, t.kinds)
    if not t.as_html:
        st.dataframe(shown, hide_index=True, width="stretch", column_config=t.column_config)
    else:  # the chart's text equivalent: every row as a real HTML table a screen reader can walk (WCAG 1.1.1)
        st.html(html_table.TABLE_CSS + html_table.accessible_table(shown, f"{t.title} – {t.summary}"))
    total = max(t.total_rows or 0, len(t.frame))
    if total > len(shown):
        st.caption(f"Angezeigt: die ersten {fmt.number(len(shown))} von {fmt.number(total)} Zeilen; "
                   "die Downloads enthalten alle.")
    download_buttons(t.key, t.title, t.all_rows or t.frame, t.columns, t.notes, t.kinds)


def metric_row(metrics: list[tuple[str, str, str | None, str | None]]) -> None:
    """The key figures, (label, value, change, explanation) each, side by side as one HTML element
    (aqb.present.key_figures: not st.metric, see there); a change of None shows none. Changes are grey:
    more money is not "good" per se."""
    st.html(key_figures_html(metrics))


def partner_link(partner_name: str, year: int) -> str:
    """Relative link to the partner page with partner and year in the URL."""
    from urllib.parse import urlencode

    return "gebietskoerperschaft?" + urlencode({"partner": partner_name, "jahr": int(year)})


def value_formatter(per_inhabitant: bool) -> Callable[[float | None], str]:
    if per_inhabitant:
        return lambda v: "–" if v is None or pd.isna(v) else f"{fmt.number(v, 2)} €"
    return lambda v: "–" if v is None or pd.isna(v) else theme.euro_short(v * 100)


def overview_metrics(ov: data.Overview, f: data.Filters) -> None:
    """The year's key figures: sum, agreements signed (x of N), projects, change to the year before."""
    row, prev = ov.year_row, ov.previous_row
    has_year = row is not None and row["agreements_count"] > 0
    has_prev = prev is not None and prev["agreements_count"] > 0
    complete = has_year and row["agreements_count"] == row["partners_valid_count"]
    scope = ("Landessumme" if complete else "Summe der vorliegenden Vereinbarungen") if f.is_statewide \
        else "Summe der Auswahl"
    # The one rule: a figure is marked when a demo agreement is in it; the change also when the previous year's is.
    demo_now = has_year and provenance.is_demo_derived(row["real_agreements_count"], row["demo_agreements_count"])
    demo_prev = has_prev and provenance.is_demo_derived(prev["real_agreements_count"], prev["demo_agreements_count"])
    coverage = (f"{fmt.number(int(row['agreements_count']))} von {fmt.number(int(row['partners_valid_count']))} "
                "Gebietskörperschaften") if has_year else ""
    if f.per_inhabitant:
        stichtag = row.get("population_stichtag") if has_year else None
        total = (fmt.per_inhabitant_label([stichtag], f"€ je Einwohner {f.year}"),
                 provenance.mark(fmt.per_inhabitant(row["budget_per_inhabitant_eur"], unit="€"), demo_now) if has_year else "–",
                 None, f"Summe der Budgets geteilt durch die Einwohner ({fmt.german_date(stichtag)}) der Partner mit "
                 "Vereinbarung"
                 + (f"; {coverage}" if coverage else ""))
    else:
        total = (f"{scope} {f.year}",
                 provenance.mark(fmt.euro_from_cents(int(row["budget_cents"])), demo_now) if has_year else "–", None,
                 "Summe der Budgets (§ 4) aller aktuellen Vereinbarungen der Auswahl" + (f"; {coverage}" if coverage else ""))
    change = row["budget_cents"] / prev["budget_cents"] - 1 if has_year and has_prev else None
    comparable = change is not None and row["agreements_count"] == prev["agreements_count"]
    projects, projects_prev = ov.projects.get(f.year), ov.projects.get(f.year - 1)
    metric_row([
        total,
        ("Vereinbarungen unterzeichnet",
         f"{row['signed_count']} von {row['partners_valid_count']}" if row is not None else "–", None,
         "unterzeichnete Zielvereinbarungen von den in diesem Jahr gültigen Gebietskörperschaften"),
        ("Projekte", provenance.mark(fmt.number(projects[0]), projects[1] > 0) if has_year and projects else
         ("0" if has_year else "–"),
         fmt.number(projects[0] - projects_prev[0], signed=True) if has_year and has_prev and projects and projects_prev
         else None,
         "Projekte nach § 5" + (" der gewählten Maßnahmenarten" if f.measure_type_codes else "")),
        (f"Veränderung zu {f.year - 1}",
         provenance.mark(fmt.percent(change, signed=True), demo_now or demo_prev) if change is not None else "–", None,
         "kein Vorjahr im Bestand" if change is None else "gleiche Zahl an Vereinbarungen in beiden Jahren"
         if comparable else "unterschiedliche Zahl an Vereinbarungen in beiden Jahren – nur eingeschränkt vergleichbar"),
    ])
    if has_year and not complete:
        st.caption(f"{scope} {f.year}: {coverage}.")
    if change is not None and not comparable:
        st.caption(f"Vorjahresvergleich eingeschränkt: {f.year} {row['agreements_count']} Vereinbarungen, "
                   f"{f.year - 1} {prev['agreements_count']}.")


def partner_metrics(profile: data.PartnerProfile, f: data.Filters) -> bool:
    """Budget, € je Einwohner against Hessen, projects and status of the chosen year; False if there is none."""
    history = profile.history
    this_year = history[(history["agreement_year"] == f.year) & history["budget_cents"].notna()]
    name = profile.partner["partner_name"]
    if this_year.empty:
        years = ", ".join(str(int(y)) for y in history.loc[history["budget_cents"].notna(), "agreement_year"]) or "keine"
        st.warning(f"Für {name} liegt für {f.year} keine Zielvereinbarung im Bestand vor"
                   f"{' (amtliche Quellen)' if f.official_only else ''}. Jahre mit Vereinbarung: {years}.")
        return False
    y = this_year.iloc[0]
    # A real budget stays unmarked beside a demo Hessen-Durchschnitt: only the comparison carries the mark.
    own_demo, hessen_demo = bool(y["is_demo"]), bool(y["hessen_demo_count"])
    if own_demo:
        demo_badge(f"die Vereinbarung {f.year}")
    else:
        signed = profile.signatures.loc[profile.signatures["agreement_year"] == f.year, "signed_date"].dropna()
        source = profile.sources.loc[profile.sources["agreement_year"] == f.year, "source_file"]
        official_badge(signed.max() if len(signed) else None, source.iloc[0] if len(source) else None)
    projects = profile.projects
    current = projects["agreement_year"].eq(f.year) & projects["change_status"].ne("ended")
    if f.measure_type_codes:
        current &= projects["measure_type_code"].isin(f.measure_type_codes)
    count = int(current.sum())
    compared = int(y["hessen_agreements_count"] or 0)
    if compared >= MIN_COMPARED:
        delta = provenance.mark(
            f"{fmt.number(y['budget_per_inhabitant_eur'] - y['hessen_per_inhabitant_eur'], 2, signed=True)} € "
            "zum Hessen-Durchschnitt", hessen_demo)
        delta_help = (f"Hessen-Durchschnitt {fmt.number(y['hessen_per_inhabitant_eur'], 2)} € je Einwohner "
                      f"zum {fmt.german_date(y.get('population_stichtag'))} "
                      f"({fmt.count(compared, 'Vereinbarung', 'Vereinbarungen')})")
    else:
        delta = None
        delta_help = (f"Kein Hessen-Vergleich: nur {fmt.count(compared, 'Vereinbarung', 'Vereinbarungen')} im Bestand, "
                      f"ein Durchschnitt braucht mindestens {MIN_COMPARED}.")
    metric_row([
        (f"Budget {f.year}", provenance.mark(fmt.euro_from_cents(int(y["budget_cents"])), own_demo), None,
         theme.PROVENANCE_LABELS[y["provenance"]]),
        (fmt.per_inhabitant_label([y.get("population_stichtag")]),
         provenance.mark(f"{fmt.number(y['budget_per_inhabitant_eur'], 2)} €", own_demo),
         delta, delta_help),
        ("Projekte", provenance.mark(fmt.number(count), own_demo), None,
         "Projekte nach § 5" + (" der gewählten Maßnahmenarten" if f.measure_type_codes else "")),
        ("Status", theme.STATUS_LABELS.get(y["status"], y["status"]), None, None),
    ])
    return True


def source_section(store: data.StoreRef, profile: data.PartnerProfile, year: int) -> None:
    """The budget sentence of § 4 with page and line, and the original document to download."""
    st.subheader(f"Quelle {year}")
    source = profile.sources[profile.sources["agreement_year"] == year]
    if source.empty:
        st.info(f"Für {year} gibt es kein Quelldokument im Bestand.")
        return
    s = source.iloc[0]
    if s["is_demo"]:
        demo_badge("dieses Dokument")
    st.markdown(f"**Satz mit dem Budget** (§ 4, Seite {s['budget_source_page']}, Zeile {s['budget_source_line']}):")
    st.markdown(f"> {escape.markdown(s['budget_source_snippet'])}")
    size = fmt.number(int(s["byte_size"])) if pd.notna(s["byte_size"]) else "–"
    st.caption(f"Datei {escape.markdown(s['source_file'])} ({s['file_format'].upper()}, {size} Bytes) · "
               f"eingelesen {fmt.german_datetime(s['ingested_at'].to_pydatetime())} · Parser {s['parser_version']} · "
               f"SHA-256 {s['source_sha256'][:16]}…")
    sha = s["source_sha256"]
    st.download_button("Originaldokument herunterladen", data=lambda: data.document_bytes(store, sha),
                       file_name=s["source_file"], key="original", on_click="ignore", icon=":material/description:")
    if s.get("is_ocr"):
        confirmed = f", Werte bestätigt von {s['confirmed_by']}" if s.get("confirmed_by") else ", noch nicht bestätigt"
        st.caption(f"per Texterkennung gelesen (gescanntes Dokument{escape.markdown(confirmed)})")
    if s.get("amended_by_file"):
        when = f" vom {fmt.german_date(s['amended_date'])}" if pd.notna(s.get("amended_date")) else ""
        st.caption(f"geändert durch {escape.markdown(s['amended_by_file'])}{when}")
    if s["warnings"]:
        st.caption(f"Hinweise beim Einlesen: {escape.markdown(s['warnings'])}")


def change_summary(year_projects: pd.DataFrame, year: int) -> str:
    """'1 neu · 8 fortgeführt · 1 beendet (Vergleich mit 2024)' for one partner-year."""
    if year_projects.empty:
        return f"Keine Projekte für {year} im Bestand."
    counts = year_projects["change_status"].value_counts()
    parts = [f"{int(counts[k])} {theme.CHANGE_STATUS_LABELS[k]}" for k in theme.CHANGE_STATUS_LABELS if counts.get(k, 0)]
    compared = "" if counts.get("no_previous_year", 0) else f" (Vergleich mit {year - 1})"
    renamed = year_projects[year_projects["renamed_from"].notna()] if "renamed_from" in year_projects else []
    notes = "; ".join(f"„{r.project_name}“ {r.renamed_from}" for r in renamed.itertuples()) if len(renamed) else ""
    return " · ".join(parts) + compared + "." + (f" {notes}." if notes else "")


def comparison_summary(comparison: pd.DataFrame, year_a: int, year_b: int, per_inhabitant: bool) -> str:
    """One sentence on the comparison of two years: how many partners, which changed most."""
    if year_a == year_b:
        return "Für einen Vergleich im Zeitraum zwei verschiedene Jahre wählen."
    if comparison.empty:
        return f"Keine Gebietskörperschaft hat in {year_a} und {year_b} eine Vereinbarung im Bestand."
    top = comparison.iloc[0]
    change = (f"{fmt.number(top['change_value'], 2)} € je Einwohner" if per_inhabitant
              else fmt.euro_from_cents(int(top["change_cents"])))
    return (f"{len(comparison)} Gebietskörperschaften mit Vereinbarung in beiden Jahren; größte Veränderung: "
            f"{top['partner_name']} {change} ({fmt.percent(top['change_ratio'], signed=True)}).")

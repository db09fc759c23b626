"""Daten & Quellen: Abdeckung Partner × Jahr, Hinweise zur Datenqualität, Quelldokumente, Stand, Glossar und Methode."""

import dataclasses

import pandas as pd
import streamlit as st

from aqb.analysis import chart_views as cv
from aqb.present.figures import view_figure
from aqb import fmt
from aqb.present import theme
from aqb.app import chrome, later, ui
from aqb.present import headlines
from aqb.app import frames as data

ctx = ui.page_context("Daten & Quellen")
f, store = ctx.filters, ctx.store
status = ctx.options.status
coverage = data.coverage_matrix(store, f)  # honours Regierungsbezirk and Art like every figure of the page
chrome.headline(headlines.coverage(coverage))

built = pd.Timestamp(status["built_at"]) if status.get("built_at") else None
ingested = status["latest_ingested_at"] if pd.notna(status["latest_ingested_at"]) else None
ui.metric_row([
    ("Stand des Bestands", fmt.german_date(fmt.berlin_time(built).date()) if built is not None else "–", None,
     f"gebaut {fmt.berlin_datetime(built)}, Snapshot {store.name}" if built is not None else None),
    ("Zuletzt eingelesen", fmt.german_date(ingested.date()) if ingested is not None else "–", None,
     fmt.german_datetime(ingested.to_pydatetime()) if ingested is not None else None),
    ("Vereinbarungen amtlich", fmt.number(int(status["real_agreements_count"])), None, "aus echten Zielvereinbarungen"),
    ("Demodaten", fmt.number(int(status["demo_agreements_count"])), None, theme.DEMO_LABEL),
])

counts = coverage["coverage_status"].value_counts()
coverage_summary = f"{fmt.number(len(coverage))} Partner-Jahre: " + " · ".join(
    f"{fmt.number(int(counts.get(k, 0)))} {theme.COVERAGE_LABELS[k]}" for k in theme.COVERAGE_COLOURS) + "."
coverage_columns = ["partner_name", "agreement_year", "coverage_status", "budget_cents", "published_count", "provenance"]
# Message first: the matrix summed per year fits the first screen; the 26-row matrix follows further down.
ui.chart_frame(
    "abdeckung_jahre", f"Abdeckung je Jahr {f.year_from}–{f.year_to}", coverage_summary,
    coverage, figure=view_figure(cv.coverage_by_year_view(coverage, theme.COVERAGE_LABELS), projector=False),
    columns=coverage_columns, has_demo=bool(coverage["is_demo"].any()),
)


def whats_new() -> None:
    st.header("Was ist neu")  # h2 like the chart titles
    news = data.whats_new(store)
    if news is None:
        st.caption("Erster Stand des Bestands – es gibt noch keinen früheren Snapshot zum Vergleich.")
    else:
        shown = [c for c in news.changes if f.include_demo or not c.is_demo]
        st.caption(f"{news.before.name} ({fmt.stand(news.before_built_at)}) → {news.after.name} "
                   f"({fmt.stand(news.after_built_at)}): " + dataclasses.replace(news, changes=shown).summary())
        if shown:
            st.dataframe(pd.DataFrame({
                "Art": [c.kind for c in shown], "Gebietskörperschaft": [c.partner_name for c in shown],
                "Jahr": [str(c.agreement_year) for c in shown], "Was sich geändert hat": ["; ".join(c.details) for c in shown],
                "Herkunft": [theme.DEMO_LABEL if c.is_demo else "amtlich" for c in shown],
            }), hide_index=True, width="stretch")
        if len(news.audit_entries):
            with st.expander(f"Protokoll dazwischen ({len(news.audit_entries)} Einträge)"):
                st.dataframe(pd.DataFrame({
                    "Zeit": [fmt.berlin_datetime(t) for t in news.audit_entries["logged_at"]],
                    "Wer": news.audit_entries["actor"], "Ergebnis": news.audit_entries["outcome"],
                    "Meldung": news.audit_entries["message"],
                }), hide_index=True, width="stretch")


later.after_first_chart("was_ist_neu", whats_new)
ui.chart_frame(
    "abdeckung", f"Abdeckung {f.year_from}–{f.year_to} je Gebietskörperschaft",
    "Eine Zeile je Gebietskörperschaft, eine Spalte je Jahr; die Farbe sagt, was der Bestand für das Partner-Jahr hält.",
    coverage, figure=view_figure(cv.coverage_matrix_view(coverage, theme.COVERAGE_LABELS), projector=False),
    columns=coverage_columns, has_demo=bool(coverage["is_demo"].any()),
)

notes = data.quality_notes(store, f)
kinds = notes["note_kind"].value_counts()
ui.chart_frame(
    "hinweise", "Hinweise zur Datenqualität",
    " · ".join(f"{int(kinds.get(k, 0))} × {label}" for k, label in theme.NOTE_KIND_LABELS.items())
    + f" (Sprung = mehr als {fmt.percent(data.JUMP_THRESHOLD, 0)} zum Vorjahr).",
    notes, columns=["note_kind", "agreement_year", "partner_name", "detail", "budget_cents", "compare_cents",
                    "change_ratio", "amount_precision", "source_url", "source_file", "provenance"],
    has_demo=bool(notes["is_demo"].any()),
    column_config={theme.label("source_url"): st.column_config.LinkColumn(theme.label("source_url"))},
)

published = data.published(store)
ui.chart_frame(
    "veroeffentlicht", "Veröffentlichte Beträge (Presse, Gremien)",
    f"{len(published)} Beträge mit Quelle – Fakten über Budgets, keine Vereinbarungen; sie fließen in keine Summe ein.",
    published, columns=["agreement_year", "scope", "programme", "amount_cents", "amount_precision", "note", "source_url"],
    column_config={theme.label("source_url"): st.column_config.LinkColumn(theme.label("source_url"))},
)

documents = data.query(store, "source_documents_list", include_demo=f.include_demo)
ui.chart_frame(
    "dokumente", "Quelldokumente",
    f"{len(documents)} Dokumente im Bestand (aktuelle und ersetzte Fassungen); jedes lässt sich auf der Seite "
    "„Gebietskörperschaft“ herunterladen.",
    documents, columns=["agreement_year", "partner_name", "source_file", "file_format", "byte_size", "is_current",
                        "first_ingested_at", "reading_method", "provenance"],
    has_demo=bool(documents["is_demo"].any()),
)


def glossary() -> None:
    st.subheader("Glossar und Methode")
    st.markdown(theme.GLOSSARY_AND_METHOD)


later.after_first_chart("glossar", glossary)

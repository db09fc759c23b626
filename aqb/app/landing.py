"""The public landing page: what the AQB is, what is published so far, the published amounts with sources, the glossary.

Shown as its own page in public mode and in place of every analysis page while no agreement is
published yet, so a public visitor never meets a page that is only one info line.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from aqb import fmt
from aqb.app import frames as data
from aqb.present import theme

PROGRAMME = """
Mit dem **Ausbildungs- und Qualifizierungsbudget (AQB)** stellt das Land Hessen den 21 Landkreisen und
5 kreisfreien Städten jedes Jahr Landesmittel für regionale Arbeitsmarktförderung bereit. Ziel ist, die
Ausbildungsfähigkeit benachteiligter Menschen zu steigern, ihnen Ausbildungsabschlüsse zu ermöglichen und sie
durch längerfristige, arbeitsmarktnahe Qualifizierung zu einer eigenständigen Existenzsicherung zu befähigen.

Jede Gebietskörperschaft schließt dazu mit dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales
eine jährliche **Zielvereinbarung**: § 4 nennt das Budget, § 5 die Projekte in vier Maßnahmenarten
(Ausbildungsvorbereitung; Ausbildung und Ausbildungscoaching; Qualifizierungsprojekte; Weiterbildung für Personal).
Dieses Dashboard wertet die Vereinbarungen aus — jede Zahl mit dem Satz der Vereinbarung, aus dem sie stammt.
"""


def _status(store: data.StoreRef | None) -> pd.DataFrame:
    if store is None:
        return pd.DataFrame()
    try:
        return data.query(store, "publication_status")
    except Exception:  # a store from before this query must not take the landing page down
        return pd.DataFrame()


def render(store: data.StoreRef | None, *, heading: bool = False) -> None:
    """Programme, publication status, published amounts with sources and glossary (works without any agreement)."""
    if heading:
        st.title("Ausbildungs- und Qualifizierungsbudget Hessen")
    st.markdown(PROGRAMME)

    st.subheader("Stand der Veröffentlichung")
    status = _status(store)
    if status.empty:
        st.markdown("Noch ist keine Zielvereinbarung veröffentlicht. Sobald das Ministerium eine Vereinbarung "
                    "freigibt, erscheinen ihre Zahlen auf den Seiten dieses Dashboards.")
    else:
        latest = status.iloc[0]
        published = int(latest["published_count"])
        sentence = (f"Veröffentlicht: {fmt.number(published)} von {fmt.number(int(latest['partners_valid_count']))} "
                    f"Zielvereinbarungen {int(latest['agreement_year'])}")
        if published:
            sentence += f" ({latest['published_partners']}; zuletzt am {fmt.german_date(latest['last_published_date'])})"
        st.markdown(sentence + ".")
        if not int(status["published_count"].sum()):
            st.markdown("Bisher ist keine Zielvereinbarung veröffentlicht; die Auswertungsseiten füllen sich, sobald "
                        "eine freigegeben ist. Bis dahin zeigt diese Seite die öffentlich bekannten Beträge.")

    st.subheader("Veröffentlichte Beträge")
    amounts = data.published(store) if store is not None else pd.DataFrame()
    if amounts.empty:
        st.markdown("Es sind noch keine veröffentlichten Beträge erfasst.")
    else:
        aqb = amounts[amounts["is_aqb"] & amounts["partner_ags"].isna()]
        if len(aqb):
            newest = aqb.sort_values("agreement_year").iloc[-1]
            st.markdown(f"Landessumme AQB {int(newest['agreement_year'])} laut Veröffentlichung: "
                        f"**{fmt.euro_from_cents(int(newest['amount_cents']))}** "
                        f"({newest['amount_precision']}; [Quelle]({newest['source_url']})).")
        partners = data.query(store, "partners_list")[["partner_ags", "partner_name"]].drop_duplicates("partner_ags")
        shown = amounts.merge(partners, on="partner_ags", how="left")
        shown["partner_name"] = shown["partner_name"].fillna("Hessen (Land)")
        columns = ["agreement_year", "partner_name", "programme", "amount_cents", "amount_precision", "note",
                   "source_url"]
        table = theme.display_table(shown, columns)
        table[theme.label("source_url")] = shown["source_url"].tolist()
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            theme.label("source_url"): st.column_config.LinkColumn(theme.label("source_url"), display_text="Quelle"),
        })
        st.caption("Beträge aus Pressemitteilungen und Gremienunterlagen, jeweils mit Quelle und Genauigkeit; "
                   "sie ersetzen keine Zielvereinbarung.")

    st.subheader("Glossar und Methode")
    st.markdown(theme.GLOSSARY_AND_METHOD)

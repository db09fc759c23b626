"""Gebietskörperschaft: Budget über die Jahre, € je Einwohner im Vergleich, Projekte, Unterschriften, Quelle."""

import streamlit as st

from aqb import fmt
from aqb.analysis import chart_views as cv
from aqb.present.figures import view_figure
from aqb.present import theme
from aqb.app import chrome, later, ui
from aqb.present import headlines
from aqb.app import frames as data
from aqb.app import umsetzung_ui as uu
from aqb import reference
from aqb.analysis import versions
from aqb.settings import Settings

FIRST_CHART_PX = 340
ctx = ui.page_context("Gebietskörperschaft")
f, store = ctx.filters, ctx.store
partners = ctx.options.partners
names = partners["partner_name"].tolist()


def facts_line(partner: dict) -> str:
    return ui.quiet_lines_html([f"{partner['official_name']} · {partner['partner_kind']} · Regierungsbezirk "
                                f"{partner['regierungsbezirk']} · AGS {partner['partner_ags']} · "
                                f"{fmt.number(int(partner['population']))} Einwohner "
                                f"(Stand {fmt.german_date(partner['population_date'])})"], "aqb-partner-facts")


def partner_named(name: str) -> dict:
    return partners[partners["partner_name"] == name].iloc[0].to_dict()


# The choice and its facts side by side, and a lower first chart: headline, key figures and the whole
# chart fit a 1440×900 screen (message first).
if later.widgets_wait(("partner",)):  # the select box comes once the first chart is drawn (aqb.app.later)
    name = names[0]  # what the select box starts with
    partner = partner_named(name)
    later.widget_placeholder("partner", f"Gebietskörperschaft: {name}", beside=facts_line(partner))
else:
    choice, facts = st.columns([1, 2], vertical_alignment="bottom")
    name = choice.selectbox("Gebietskörperschaft", names, key="partner", bind=ui.URL)
    partner = partner_named(name)
    with facts:
        st.html(facts_line(partner))

profile = data.partner_profile(store, f, partner)
chrome.headline(headlines.partner(name, f.year, profile.history))
history = profile.history
ui.partner_metrics(profile, f)

rows = profile.budget_rows
split = reference.split_for(partner["partner_ags"])
combined = ui.territory_view(split, partners)
if combined:
    rows = data.group_budget_rows(store, f, split)
ui.chart_frame(
    "partner_budget", f"Budget {combined or name} über die Jahre",
    (ui.territory_note(split, partners) if combined else
     "Balken: Budget laut Zielvereinbarung (§ 4). Rauten: veröffentlichte Beträge aus Presse/Gremien mit Quelle – "
     "eigene Werte, nicht eingerechnet." + (" Ansicht: Gebietsstand des jeweiligen Jahres." if split else "")),
    rows, figure=view_figure(cv.history_view(rows.dropna(subset=["budget_cents"]), combined or name, partner["partner_ags"],
                                        published=rows.dropna(subset=["amount_cents"]),
                                        per_inhabitant=f.per_inhabitant), projector=False, height=FIRST_CHART_PX),
    columns=["agreement_year", "budget_cents", "budget_per_inhabitant_eur", "provenance", "amount_cents",
             "amount_precision", "source_url", "note"],
    has_demo=bool(rows["is_demo"].any()),
    column_config={theme.label("source_url"): st.column_config.LinkColumn(theme.label("source_url"))},
)
other = profile.published[~profile.published["is_aqb"]]
if len(other):
    later.after_first_chart("andere_programme", lambda: st.caption(
        f"Weitere veröffentlichte Beträge anderer Programme (Ausbildungs-/Arbeitsmarktbudget): {len(other)} – "
        "siehe Seite „Daten & Quellen“."))

budget_lines = data.partner_budget_lines(store, f, partner["partner_ags"])
if len(budget_lines) and (budget_lines["line_role"] != "gesamt").any():  # a single total says nothing new
    ui.chart_frame(
        "partner_haushaltszeilen", "Haushaltsmittel nach Programm (§ 4)",
        "Alle Beträge, die § 4 nennt. Zum Budget zählen Gesamt-, Teil- und zusätzliche Beträge; "
        "„davon“-Zeilen schlüsseln es nur auf und werden nicht noch einmal addiert.",
        budget_lines, columns=["agreement_year", "programme_label", "line_role_label", "amount_cents",
                               "is_part_of_budget", "source_snippet", "provenance"],
        has_demo=bool(budget_lines["is_demo"].any()),
    )

peers = int(history["peers_count"].max()) if len(history) else 0
bezirk = partner["regierungsbezirk"]
ui.chart_frame(
    "partner_je_einwohner", "€ je Einwohner im Vergleich",
    f"{name} gegen den Hessen-Durchschnitt (Summe der Budgets / Einwohner der Partner mit Vereinbarung) und "
    + (f"gegen {peers} weitere {theme.KIND_PLURAL[partner['partner_kind']]} im Regierungsbezirk {bezirk}." if peers
       else f"keine weitere Gebietskörperschaft gleicher Art im Regierungsbezirk {bezirk}.")
    + (f" {ui.stichtag_caption(history)}." if len(history) else ""),
    history, figure=view_figure(cv.per_inhabitant_comparison_view(history, name), projector=False),
    columns=["agreement_year", "budget_per_inhabitant_eur", "hessen_per_inhabitant_eur", "peers_per_inhabitant_eur",
             "peers_count", "provenance"],
    has_demo=bool(history["is_demo"].any() or history["hessen_demo_count"].sum() or history["peers_demo_count"].sum()),
)

projects = profile.projects
if f.measure_type_codes:  # the sidebar's Maßnahmenart narrows every project figure of the page
    projects = projects[projects["measure_type_code"].isin(f.measure_type_codes)]
running = projects[projects["change_status"] != "ended"]
ui.chart_frame(
    "partner_projekte", "Projekte nach Maßnahmenart",
    f"{fmt.number(len(running))} Projekte in {running['agreement_year'].nunique()} Jahren.",
    running, figure=view_figure(cv.partner_projects_view(projects), projector=False),
    columns=["agreement_year", "measure_type_label", "project_position", "project_name", "provenance"],
    has_demo=bool(running["is_demo"].any()),
)

year_projects = projects[projects["agreement_year"] == f.year]
ui.chart_frame(
    "partner_projekte_jahr", f"Projekte {f.year}: neu, fortgeführt, beendet", ui.change_summary(year_projects, f.year),
    year_projects, columns=["measure_type_label", "project_position", "project_name", "change_status", "renamed_from",
                            "provenance", "is_comparison_demo"],
    has_demo=bool((year_projects["is_demo"] | year_projects["is_comparison_demo"]).any()), table_open=True,
)

sig = profile.signatures[profile.signatures["agreement_year"] == f.year]
ui.chart_frame(
    "unterschriften", f"Unterschriften {f.year}",
    "; ".join(f"{theme.SIDE_LABELS[r.side]}: {r.signer_name} ({r.signer_role}), {r.signed_place}, "
              f"{fmt.german_date(r.signed_date) if r.signed_date is not None else '–'}"
              for r in sig.itertuples()) or "Keine Unterschriften im Bestand.",
    sig, columns=["side", "signer_name", "signer_role", "signed_place", "signed_date", "provenance"],
    has_demo=bool(sig["is_demo"].any()),
)

later.after_first_chart("quelle", lambda: ui.source_section(store, profile, f.year))

version_rows = data.agreement_versions(store, f, partner["partner_ags"])
changed = versions.changed_years(version_rows)
ui.chart_frame(
    "fassungen", "Fassungen und Änderungen",
    (f"Ersetzt oder geändert in {', '.join(str(y) for y in changed)}; je Fassung Datei, Budget und was sie "
     "gegenüber der vorigen geändert hat." if changed else
     "Keine Vereinbarung dieser Gebietskörperschaft wurde bisher ersetzt oder geändert."),
    version_rows, columns=["agreement_year", "version_number", "version_kind", "source_file", "status_date",
                           "ingested_at_text", "budget_cents", "changes"],
    has_demo=bool(version_rows["is_demo"].any()), table_open=bool(changed),
)


def implementation_status() -> None:
    st.subheader(f"Umsetzungsstand {f.year}")
    status_con = uu.reader(Settings.from_env())
    if status_con is not None:
        uu.status_section(status_con, partner["partner_ags"], f.year, include_demo=f.include_demo)


later.after_first_chart("umsetzungsstand", implementation_status)

"""The figure layer's craft rules and the page headlines, on small inline frames (issue 11, items 5 and 9)."""

from __future__ import annotations

import pandas as pd

from aqb.present import headlines
from aqb.present.figures import slope_figure, spread_labels

NNBSP = "\u202f"


def test_end_labels_of_the_slope_chart_do_not_overlap():
    ys = [10.0, 10.1, 10.2, 50.0]
    placed = spread_labels(ys, 0, 100, 440, gap_px=20)
    gap = 100 * 20 / 440
    ordered = sorted(placed)
    assert all(b - a >= gap - 1e-9 for a, b in zip(ordered, ordered[1:]))
    assert placed[0] == 10.0 and placed[3] == 50.0  # labels with room stay at their points
    top = spread_labels([99.0, 99.5, 100.0], 0, 100, 440)
    assert max(top) <= 105.0 + 1e-9  # pushed back inside the padded axis, not off the chart


def test_slope_figure_uses_the_spread_positions():
    comparison = pd.DataFrame({
        "partner_name": ["A", "B", "C"], "regierungsbezirk": ["Kassel"] * 3, "is_demo": [False] * 3,
        "value_a": [100_000.0, 100_000.0, 200_000.0], "value_b": [500_000.0, 501_000.0, 502_000.0],
        "change_value": [400_000.0, 401_000.0, 302_000.0],
    })
    fig = slope_figure(comparison, 2019, 2025, False)
    labels = fig.data[-1]
    assert list(labels.text) == ["A", "B", "C"]
    ys = sorted(labels.y)
    assert all(b - a > 10 for a, b in zip(ys, ys[1:]))  # 1.000 € apart in the data, readable apart on screen


def test_overview_headline_states_the_finding_in_numbers():
    ranking = pd.DataFrame({"partner_name": ["Kassel", "Fulda"], "budget_cents": [2_600_000_00, 1_000_000_00],
                            "budget_per_inhabitant_eur": [4.37, 9.8]})
    row = {"agreements_count": 26, "budget_cents": 27_450_000_00}
    prev = {"agreements_count": 26, "budget_cents": 26_900_000_00}
    assert headlines.overview(2025, row, prev, ranking) == (
        f"2025: 26 Vereinbarungen über zusammen 27,5 Mio. € (+2,0{NNBSP}% zu 2024); "
        "größtes Budget: Kassel (2,6 Mio. €).")
    one = {"agreements_count": 1, "budget_cents": 1_011_410_00}
    assert headlines.overview(2025, one, None, ranking.head(1)) == "2025: 1 Vereinbarung über zusammen 1,0 Mio. €."
    assert headlines.overview(2025, None, None, ranking) == "Für 2025 liegt in der Auswahl keine Zielvereinbarung vor."


def test_other_headlines():
    history = pd.DataFrame({"agreement_year": [2025], "budget_cents": [1_011_410_00],
                            "budget_per_inhabitant_eur": [7.7634], "hessen_per_inhabitant_eur": [6.5],
                            "hessen_agreements_count": [26]})
    assert headlines.partner("Offenbach am Main", 2025, history) == (
        "Offenbach am Main erhält 2025 1.011.410 € – 7,76 € je Einwohner, 1,26 € über dem Hessen-Durchschnitt.")
    alone = history.assign(hessen_agreements_count=1)  # no comparison over fewer than 3 values
    assert headlines.partner("Offenbach am Main", 2025, alone) == (
        "Offenbach am Main erhält 2025 1.011.410 € – 7,76 € je Einwohner.")
    mix = pd.DataFrame({"measure_type_label": ["Qualifizierung", "Ausbildung", "Qualifizierung"],
                        "project_count": [5, 4, 3]})
    assert headlines.measure_types(2025, mix) == (
        f"2025: Qualifizierung ist die häufigste Maßnahmenart – 8 von 12 Projekten (66,7{NNBSP}%).")
    counts = pd.DataFrame({"agreement_year": [2024, 2025], "project_count": [1, 0]})
    assert headlines.projects_found(counts, "Coaching") == "1 Projekt mit „Coaching“ in der Auswahl, die meisten 2024 (1)."
    coverage = pd.DataFrame({"coverage_status": ["agreement"] + ["demo"] * 181})
    assert headlines.coverage(coverage) == (
        "1 von 182 Partner-Jahren ist durch eine amtliche Zielvereinbarung belegt, 181 nur durch Demodaten.")

"""A page's key figures side by side as one plain HTML element (label, value, change, explanation).

Why not ``st.metric``: each one is two Markdown texts and a tooltip component for the browser to build, and
four of them were most of what Überblick, Gebietskörperschaft and Daten & Quellen drew before their first
chart (benchmarks/bench_first_view.py); its help button is also labelled in English ("Help for …").
Here the explanation sits on a small German button: its name says it to a screen reader, and it shows as a
tooltip on hover and on keyboard focus (aqb/app/styles.css). Every text is escaped: labels and values may
quote document text.
"""

from __future__ import annotations

from aqb import fmt
from aqb.present.escape import html_text

ARROWS = {"up": "↑", "down": "↓"}  # beside a signed change, by fmt.delta_arrow; none for "±0" or no sign


def key_figures_html(figures: list[tuple[str, str, str | None, str | None]]) -> str:
    """(label, value, change or None, explanation or None) per figure, in this order."""
    cells = []
    for label, value, delta, help_ in figures:
        parts = [f'<p class="aqb-kpi-label"><span data-testid="aqb-kpi-label">{html_text(label)}</span>']
        if help_:
            parts.append(f'<button type="button" class="aqb-help" aria-label="{html_text(f"Erläuterung zu {label}: {help_}")}"'
                         f' data-tip="{html_text(help_)}">?</button>')
        parts.append(f'</p><p class="aqb-kpi-value" data-testid="aqb-kpi-value">{html_text(value)}</p>')
        if delta:
            arrow = ARROWS.get(fmt.delta_arrow(delta), "")
            shown = f'<span aria-hidden="true">{arrow}</span> ' if arrow else ""
            parts.append(f'<p class="aqb-kpi-delta">{shown}<span data-testid="aqb-kpi-delta">{html_text(delta)}</span></p>')
        cells.append('<div class="aqb-kpi" data-testid="aqb-kpi">' + "".join(parts) + "</div>")
    return '<div class="aqb-kpis" data-testid="aqb-kpis">' + "".join(cells) + "</div>"

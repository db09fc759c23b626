"""The one provenance rule: when a value is demo-derived, and the words every output uses to say so.

A value is demo-derived when at least one of the agreements it is computed from is a demo document;
it is real (amtlich) when every one of them is a real agreement. A comparison (Hessen-Durchschnitt,
Vorjahr, peers) is a value of its own: a real value beside a demo comparison stays real and only the
comparison carries the mark. Web, PDF, PPTX, CSV and XLSX take the decision from here and render it
the same way: a quiet ``*`` on the value, one statement per page or document, and a badge on real
agreements.
"""

from __future__ import annotations

from datetime import date

from aqb import fmt

DEMO_MARK = "*"
DEMO_WORD = "Demodaten"
EXPORT_COLUMN = "provenance"
PROVENANCE_LABELS = {"vereinbarung": "amtlich", "demo": "Demodaten", "gemischt": "gemischt (amtlich + Demodaten)"}
MARK_LEGEND = f"{DEMO_MARK} = aus Demodaten abgeleitet (nicht amtlich)"


def provenance_of(real_count: int, demo_count: int) -> str | None:
    """'vereinbarung', 'demo' or 'gemischt' for a value built from that many real and demo agreements (None: nothing)."""
    real_count, demo_count = int(real_count or 0), int(demo_count or 0)
    if real_count and demo_count:
        return "gemischt"
    if demo_count:
        return "demo"
    return "vereinbarung" if real_count else None


def is_demo_derived(real_count: int = 0, demo_count: int = 0) -> bool:
    """True when any agreement behind the value is demo (a mixed sum is demo-derived, too)."""
    return provenance_of(real_count, demo_count) in ("demo", "gemischt")


def mark(text: str, demo: bool) -> str:
    """The quiet mark of a demo-derived value: '1,2 Mio. € *'."""
    return f"{text} {DEMO_MARK}" if demo and text not in ("", "–") else text


def label(provenance: str | None) -> str:
    """German word for a provenance code (exports and tables)."""
    return PROVENANCE_LABELS.get(provenance, "–") if provenance else "–"


def page_statement(real_count: int, partners_count: int, year: int, *, demo_shown: bool) -> str:
    """One sentence for the top of a page or document: what its numbers rest on.

    'amtlich: 1 von 26 Vereinbarungen 2025; übrige Werte: Demodaten (mit * markiert)'.
    """
    head = f"amtlich: {fmt.number(real_count)} von {fmt.number(partners_count)} Vereinbarungen {year}"
    if demo_shown:
        return f"{head}; übrige Werte: {DEMO_WORD} (mit {DEMO_MARK} markiert, nicht amtlich)"
    return f"{head}; nur amtliche Quellen — Werte ohne amtliche Vereinbarung bleiben leer"


def official_badge(signed_date: date | None, source: str | None = None) -> str:
    """'amtlich · unterzeichnet am 11.8.2025 · Quelle: <file>' for a real agreement."""
    parts = ["amtlich"]
    if signed_date is not None:
        parts.append(f"unterzeichnet am {fmt.german_date(signed_date)}")
    if source:
        parts.append(f"Quelle: {source}")
    return " · ".join(parts)

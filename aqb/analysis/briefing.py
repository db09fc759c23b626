"""Gesprächsunterlage: what the autumn Umsetzungsbesprechung (§ 6) needs about one partner and year.

Assembled from the store with the ``queries/briefing_*.sql`` files; the PDF (aqb.present.briefing_pdf),
the PPTX (aqb.present.slides) and the dashboard page only lay it out. Every part knows whether demo rows
went into it, so each can carry the "Demodaten — nicht amtlich" mark; with ``include_demo=False``
demo rows contribute nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from aqb.errors import AqbError
from aqb.analysis import versions
from aqb.fmt import euro_from_cents, german_date, number, per_inhabitant_label, percent, stand
from aqb.store.queries import run_query
from aqb.store.umsetzung_import import status_available

DEMO_MARK = "Demodaten — nicht amtlich"
JUMP_THRESHOLD = 0.25  # a change of more than 25 % against last year is worth a question
MIN_PEERS = 3
MIN_COMPARED = 3  # a rank or median over fewer agreements is not shown but explained
CHANGE_LABELS = {"neu": "neu", "fortgeführt": "fortgeführt", "beendet": "beendet"}


@dataclass
class KeyFigures:
    budget_cents: int
    previous_budget_cents: int | None
    per_inhabitant_eur: Decimal | None  # None when the year has no common population Stichtag
    population: int | None
    budget_rank: int
    per_inhabitant_rank: int | None
    ranked_count: int
    project_count: int
    status: str
    status_date: date | None
    is_demo: bool
    previous_is_demo: bool
    ranks_use_demo: bool
    population_stichtag: date | None = None
    population_basis: str | None = None

    @property
    def per_inhabitant_label(self) -> str:
        """'€ je Einwohner (Stand 31.12.2023)' – every per-capita figure names its Stichtag."""
        return per_inhabitant_label([self.population_stichtag])

    @property
    def change_cents(self) -> int | None:
        return None if self.previous_budget_cents is None else self.budget_cents - self.previous_budget_cents

    @property
    def is_ranked(self) -> bool:
        return self.ranked_count >= MIN_COMPARED

    def rank_text(self, rank: int | None) -> str:
        """'3 von 26', or why there is no rank ('kein Rang: nur 1 Vereinbarung im Bestand')."""
        if rank is None:
            return "–"
        if not self.is_ranked:
            return f"kein Rang: nur {self.ranked_count} {'Vereinbarung' if self.ranked_count == 1 else 'Vereinbarungen'} im Bestand"
        return f"{rank} von {self.ranked_count}"

    @property
    def change_ratio(self) -> float | None:
        if not self.previous_budget_cents:
            return None
        return self.budget_cents / self.previous_budget_cents - 1


@dataclass
class PeerGroup:
    label: str
    frame: pd.DataFrame  # partner rows with budget, € je Einwohner, change; is_self marks the partner
    has_demo: bool


@dataclass
class QualityPoint:
    text: str
    is_demo: bool = False


@dataclass
class Briefing:
    partner: dict
    year: int
    include_demo: bool
    key: KeyFigures | None
    history: pd.DataFrame
    projects: pd.DataFrame  # this year's projects with project_change (neu / fortgeführt / None)
    ended: pd.DataFrame  # last year's projects that are not continued
    peers: PeerGroup
    peer_context: list[tuple[str, Decimal | None, int, bool]]  # (label, median € je EW, count, has demo)
    implementation: pd.DataFrame
    quality: list[QualityPoint]
    source: dict | None
    signatures: pd.DataFrame
    published: pd.DataFrame
    status_loaded: bool = field(default=False)
    versions: pd.DataFrame = field(default_factory=pd.DataFrame)  # this year's versions (aqb.analysis.versions)
    built_at: str | None = None  # when the store was built (meta), for the Stand line
    budget_lines: pd.DataFrame = field(default_factory=pd.DataFrame)  # this year's § 4 lines (partner_budget_lines)

    @property
    def stand_text(self) -> str:
        """'Stand: 1.12.2026, 22:41 MEZ' – the moment of the data (store build) in Europe/Berlin."""
        return stand(self.built_at)

    # -- identity ---------------------------------------------------------------------------------

    @property
    def partner_name(self) -> str:
        return self.partner["partner_name"]

    @property
    def title(self) -> str:
        return f"Gesprächsunterlage {self.partner_name} {self.year}"

    @property
    def subtitle(self) -> str:
        return (f"Umsetzungsbesprechung (§ 6 der Zielvereinbarung) · {self.partner['partner_kind']}, "
                f"Regierungsbezirk {self.partner['regierungsbezirk']} · AGS {self.partner['partner_ags']}")

    @property
    def file_stem(self) -> str:
        return f"gespraechsunterlage_{self.year}_{self.partner['partner_ags']}_{slug(self.partner_name)}"

    # -- demo flags per part ------------------------------------------------------------------------

    @property
    def key_has_demo(self) -> bool:
        k = self.key
        return bool(k and (k.is_demo or k.previous_is_demo or k.ranks_use_demo))

    @property
    def history_has_demo(self) -> bool:
        return bool(len(self.history) and self.history["is_demo"].any())

    @property
    def projects_has_demo(self) -> bool:
        parts = [self.projects, self.ended]
        return any(len(p) and p["is_demo"].any() for p in parts)

    @property
    def implementation_has_demo(self) -> bool:
        reported = self.reported
        return bool(len(reported) and reported["is_demo"].any())

    @property
    def has_demo(self) -> bool:
        return (self.key_has_demo or self.history_has_demo or self.projects_has_demo or self.peers.has_demo
                or self.implementation_has_demo or any(q.is_demo for q in self.quality))

    # -- derived figures ----------------------------------------------------------------------------

    @property
    def reported(self) -> pd.DataFrame:
        """Implementation rows with a reported status."""
        if self.implementation.empty:
            return self.implementation
        return self.implementation[self.implementation["has_status"]]

    @property
    def implementation_totals(self) -> dict | None:
        reported = self.reported
        if reported.empty:
            return None
        approved = int(reported["approved_cents"].sum())
        spent = int(reported["spent_cents"].sum())
        with_plan = reported[reported["planned_places"].notna()]
        planned = int(with_plan["planned_places"].sum()) if len(with_plan) else None
        participants = int(with_plan["participants"].fillna(0).sum()) if len(with_plan) else None
        return {
            "approved_cents": approved,
            "spent_cents": spent,
            "spent_ratio": spent / approved if approved else None,
            "planned_places": planned,
            "participants": participants,
            "participant_ratio": participants / planned if planned else None,
            "as_of_date": max(_as_date(d) for d in reported["as_of_date"]),
            "reported_count": len(reported),
            "project_count": int(self.implementation["is_in_agreement"].sum()),
            "source_files": sorted(set(reported["source_file"].dropna())),
            "is_demo": bool(reported["is_demo"].any()),
        }

    def change_counts(self) -> dict[str, int]:
        counts = {"neu": 0, "fortgeführt": 0, "beendet": len(self.ended)}
        for change in self.projects["project_change"].dropna():
            counts[change] = counts.get(change, 0) + 1
        return counts

    def by_measure_type(self) -> pd.DataFrame:
        """Projects per Maßnahmenart this year: count, of which new; plus approved/spent where reported."""
        rows = []
        reported = self.reported
        labels = dict(zip(self.projects["measure_type_code"], self.projects["measure_type_label"]))
        for code in sorted(set(self.projects["measure_type_code"].dropna().astype(int))):
            part = self.projects[self.projects["measure_type_code"] == code]
            status = reported[reported["measure_type_code"] == code] if len(reported) else reported
            rows.append({
                "measure_type_code": code,
                "measure_type_label": labels.get(code, str(code)),
                "project_count": len(part),
                "new_count": int((part["project_change"] == "neu").sum()),
                "approved_cents": int(status["approved_cents"].sum()) if len(status) else None,
                "spent_cents": int(status["spent_cents"].sum()) if len(status) else None,
                "is_demo": bool(part["is_demo"].any()),
            })
        return pd.DataFrame(rows)

    # -- text the exports share ----------------------------------------------------------------------

    @property
    def stand(self) -> date | None:
        """The date the shown data is as of: the latest signature, and the Umsetzungsstand date when loaded."""
        dates = []
        if self.key and self.key.status_date:
            dates.append(self.key.status_date)
        totals = self.implementation_totals
        if totals:
            dates.append(totals["as_of_date"])
        return max(dates) if dates else None

    def _budget_breakdown(self) -> list[tuple[str, str]]:
        """('Haushaltsmittel nach § 4', 'Ausbildungs- und Qualifizierungsbudget 1.200.000 € + …') when § 4
        names more than one amount; davon-lines are shown as a breakdown, not added."""
        rows = self.budget_lines
        if rows is None or len(rows) < 2:
            return []
        added = [f"{r.programme_label} {euro_from_cents(int(r.amount_cents))}" for r in rows.itertuples()
                 if r.is_part_of_budget and r.line_role != "gesamt"]
        parts = [f"{r.programme_label} {euro_from_cents(int(r.amount_cents))}" for r in rows.itertuples()
                 if r.line_role == "davon"]
        text = " + ".join(added) if added else "Gesamtbetrag"
        if parts:
            text += " (davon " + ", ".join(parts) + ")"
        return [("Haushaltsmittel nach § 4", text)]

    def key_lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs of the key figures, German formats."""
        k = self.key
        if k is None:
            return [("Vereinbarung", self.missing_text)]
        lines = [
            (f"Budget {self.year}", euro_from_cents(k.budget_cents)),
            *self._budget_breakdown(),
            ("Veränderung zum Vorjahr", change_text(k.change_cents, k.change_ratio)
             if k.change_cents is not None else f"keine Vereinbarung {self.year - 1}"),
            (k.per_inhabitant_label, f"{number(k.per_inhabitant_eur, 2)} €" if k.per_inhabitant_eur is not None
             else "– (kein gemeinsamer Einwohner-Stichtag für alle Partner)"),
            ("Rang nach Budget", k.rank_text(k.budget_rank)),
            ("Rang nach € je Einwohner", k.rank_text(k.per_inhabitant_rank)
             if k.per_inhabitant_rank is not None else "–"),
        ]
        counts = self.change_counts()
        detail = (f" ({counts['neu']} neu, {counts['fortgeführt']} fortgeführt, {counts['beendet']} beendet)"
                  if self.projects["project_change"].notna().any() else "")
        lines.append(("Projekte", f"{k.project_count}{detail}"))
        status = k.status + (f" am {german_date(k.status_date)}" if k.status_date else "")
        lines.append(("Status", status))
        totals = self.implementation_totals
        if totals:
            lines.append(("Mittelabfluss", f"{percent(totals['spent_ratio'], 0)} ({euro_from_cents(totals['spent_cents'])}"
                                           f" von {euro_from_cents(totals['approved_cents'])}), Stand "
                                           f"{german_date(totals['as_of_date'])}"))
            if totals["planned_places"]:
                lines.append(("Teilnehmende", f"{number(totals['participants'])} von {number(totals['planned_places'])}"
                                              f" geplanten Plätzen ({percent(totals['participant_ratio'], 0)})"))
        return lines

    @property
    def missing_text(self) -> str:
        kind = "amtliche " if not self.include_demo else ""
        return f"Für {self.partner_name} liegt für {self.year} keine {kind}Vereinbarung im Bestand vor."

    def source_line(self, part: str) -> str:
        """'Quelle: … · Stand: 6.8.2025' for a part: agreement, history, peers or implementation."""
        if part == "implementation":
            totals = self.implementation_totals
            if not totals:
                return "Quelle: kein Umsetzungsstand eingelesen"
            return (f"Quelle: Umsetzungsstand {', '.join(totals['source_files'])} · "
                    f"Stand: {german_date(totals['as_of_date'])}")
        if part == "history":
            from aqb.fmt import documents_text, years_text

            years = self.history["agreement_year"].astype(int).tolist()
            latest = max((_as_date(d) for d in self.history["status_date"].dropna()), default=None)
            return (f"Quelle: Zielvereinbarungen AQB {years_text(years) or self.year} "
                    f"({documents_text(len(years), int(self.history['is_demo'].sum()))}) · Stand: {german_date(latest)}")
        if part == "peers":
            k = self.key
            population = german_date(k.population_stichtag if k else None)
            basis = f", Basis {k.population_basis}" if k and k.population_basis else ""
            return (f"Quelle: Zielvereinbarungen AQB {self.year}; Einwohner: Fortschreibung des Bevölkerungsstandes "
                    f"(Statistik 12411), gemeinsamer Stichtag {population}{basis} · "
                    f"Stand: {german_date(k.status_date if k else None)}")
        file_name = self.source["source_file"] if self.source else "–"
        stand = self.key.status_date if self.key else None
        return f"Quelle: Zielvereinbarung AQB {self.year}, {file_name} · Stand: {german_date(stand)}"


def change_text(change_cents: int | None, ratio: float | None) -> str:
    """'+31.410 € (+3,2 %)' / '−5.000 € (−0,5 %)'."""
    if change_cents is None:
        return "–"
    sign = "+" if change_cents > 0 else "−" if change_cents < 0 else "±"
    text = f"{sign}{euro_from_cents(abs(change_cents))}"
    return text + (f" ({percent(ratio, 1, signed=True)})" if ratio is not None else "")


def slug(text: str) -> str:
    """'Offenbach am Main' -> 'offenbach_am_main' (file names)."""
    text = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _as_date(value) -> date | None:
    if value is None or (not isinstance(value, (str, date)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _opt_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


# ---------------------------------------------------------------------------------------------
# Assembly


def load_briefing(con, partner_ags: str, year: int, *, include_demo: bool = True) -> Briefing:
    """Everything for one partner and year; raises AqbError for an unknown partner."""
    params = {"partner_ags": partner_ags, "agreement_year": year, "include_demo": include_demo}
    partner_rows = run_query(con, "briefing_partner", partner_ags=partner_ags, agreement_year=year)
    if partner_rows.empty:
        raise AqbError(f"Gebietskörperschaft {partner_ags} ist nicht im Bestand.")
    partner = partner_rows.iloc[0].to_dict()
    history = run_query(con, "briefing_budget_history", partner_ags=partner_ags, include_demo=include_demo)
    history = history[history["agreement_year"] <= year].reset_index(drop=True)
    project_rows = run_query(con, "briefing_projects", **params)
    if len(project_rows):
        project_rows = _own_provenance(project_rows, history, year)
    else:
        project_rows = project_rows.assign(is_comparison_demo=pd.Series(dtype=bool))
    projects = project_rows[project_rows["agreement_year"] == year].reset_index(drop=True)
    ended = project_rows[project_rows["project_change"] == "beendet"].reset_index(drop=True)
    peers_all = run_query(con, "briefing_peers", **params)
    loaded = status_available(con)
    implementation = run_query(con, "briefing_implementation", **params) if loaded else pd.DataFrame(
        columns=["measure_type_code", "project_name", "is_in_agreement", "has_status", "is_demo"])
    sources = run_query(con, "briefing_sources", **params)
    source = sources.iloc[0].to_dict() if len(sources) else None
    if source is not None:
        source["warnings"] = [str(w) for w in (source.get("warnings") if source.get("warnings") is not None else [])]

    key = _key_figures(history, year)
    briefing = Briefing(
        partner=partner, year=year, include_demo=include_demo, key=key, history=history, projects=projects,
        ended=ended, peers=_peer_group(peers_all, partner), peer_context=_peer_context(peers_all, partner),
        implementation=implementation, quality=[], source=source,
        signatures=run_query(con, "briefing_signatures", **params),
        published=run_query(con, "briefing_published", partner_ags=partner_ags),
        status_loaded=loaded,
        versions=_versions(con, partner_ags, year, include_demo),
        built_at=run_query(con, "store_status").iloc[0]["built_at"],
        budget_lines=_year_rows(run_query(con, "partner_budget_lines", partner_ags=partner_ags,
                                          include_demo=include_demo), year),
    )
    briefing.quality = quality_points(briefing)
    return briefing


def _year_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["agreement_year"] == year].reset_index(drop=True)


def _versions(con, partner_ags: str, year: int, include_demo: bool) -> pd.DataFrame:
    rows = versions.version_rows(run_query(con, "agreement_versions", partner_ags=partner_ags,
                                           include_demo=include_demo))
    return rows[rows["agreement_year"] == year].reset_index(drop=True)


def _key_figures(history: pd.DataFrame, year: int) -> KeyFigures | None:
    rows = {int(r["agreement_year"]): r for r in history.to_dict("records")}
    current = rows.get(year)
    if current is None:
        return None
    previous = rows.get(year - 1)
    population = _opt_int(current.get("population"))
    return KeyFigures(
        budget_cents=int(current["budget_cents"]),
        previous_budget_cents=int(previous["budget_cents"]) if previous else None,
        per_inhabitant_eur=Decimal(int(current["budget_cents"])) / 100 / population if population else None,
        population=population,
        budget_rank=int(current["budget_rank"]),
        per_inhabitant_rank=_opt_int(current["per_inhabitant_rank"]) if population else None,
        ranked_count=int(current["ranked_count"]),
        project_count=int(current["project_count"]),
        status=current["status"],
        status_date=_as_date(current["status_date"]),
        is_demo=bool(current["is_demo"]),
        previous_is_demo=bool(previous["is_demo"]) if previous else False,
        ranks_use_demo=int(current["ranked_demo_count"]) > 0,
        population_stichtag=_as_date(current.get("population_stichtag")),
        population_basis=current.get("population_basis") if population else None,
    )


def _peer_frame(rows: pd.DataFrame) -> pd.DataFrame:
    frame = rows.copy()
    frame["change_ratio"] = [
        None if pd.isna(cur) or pd.isna(prev) or not prev else int(cur) / int(prev) - 1
        for cur, prev in zip(frame["budget_cents"], frame["previous_budget_cents"])
    ]
    return frame.reset_index(drop=True)


def _peer_group(peers: pd.DataFrame, partner: dict) -> PeerGroup:
    """Same kind and same Regierungsbezirk; widened to the same kind statewide when that is too few."""
    same_both = peers[peers["is_same_kind"] & peers["is_same_region"]]
    kind_plural = "Landkreise" if partner["partner_kind"] == "Landkreis" else "kreisfreie Städte"
    if len(same_both) >= MIN_PEERS:
        label = f"{kind_plural} im Regierungsbezirk {partner['regierungsbezirk']}"
        chosen = same_both
    else:
        label = f"alle {kind_plural} in Hessen"
        chosen = peers[peers["is_same_kind"]]
    frame = _peer_frame(chosen)
    has_demo = bool((frame["is_demo"] | (frame["previous_is_demo"] & frame["change_ratio"].notna())).any())
    return PeerGroup(label, frame, has_demo)


def _median(values) -> Decimal | None:
    ordered = sorted(Decimal(str(v)) for v in values if v is not None and not pd.isna(v))
    if not ordered:
        return None
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _peer_context(peers: pd.DataFrame, partner: dict) -> list[tuple[str, Decimal | None, int, bool]]:
    kind_genitive = "Landkreise" if partner["partner_kind"] == "Landkreis" else "kreisfreien Städte"
    groups = [
        (f"Median aller {kind_genitive}", peers[peers["is_same_kind"]]),
        (f"Median Regierungsbezirk {partner['regierungsbezirk']}", peers[peers["is_same_region"]]),
        ("Median Hessen", peers),
    ]
    out = []
    for label, rows in groups:
        with_agreement = rows[rows["has_agreement"]]
        # A median of one or two values compares the partner with itself or one other: left out (None).
        median = _median(with_agreement["budget_per_inhabitant_eur"]) if len(with_agreement) >= MIN_COMPARED else None
        out.append((label, median, len(with_agreement), bool(with_agreement["is_demo"].any())))
    return out


def _own_provenance(rows: pd.DataFrame, history: pd.DataFrame, year: int) -> pd.DataFrame:
    """A project is demo only when its own agreement is; a demo comparison year marks its status instead.

    The query flags a real project as demo when last year's list (which decides neu/fortgeführt) is demo;
    the one provenance rule keeps the real value unmarked and moves the mark to the comparison.
    """
    demo_years = {int(y): bool(d) for y, d in zip(history["agreement_year"], history["is_demo"])}
    rows = rows.copy()
    own_year = [year - 1 if change == "beendet" else year for change in rows["project_change"]]
    own = [demo_years.get(int(y), bool(d)) for y, d in zip(own_year, rows["is_demo"])]
    rows["is_comparison_demo"] = [bool(d) and not o for d, o in zip(rows["is_demo"], own)]
    rows["is_demo"] = own
    return rows


def quality_points(b: Briefing) -> list[QualityPoint]:
    """Open data-quality points: things to check before or in the talk."""
    points: list[QualityPoint] = []
    k = b.key
    if k is None:
        points.append(QualityPoint(b.missing_text))
        return points
    if k.is_demo:
        points.append(QualityPoint(f"Die Vereinbarung {b.year} ist ein Demodokument ({DEMO_MARK}); "
                                   "die amtliche Fassung fehlt im Bestand.", True))
    if b.source:
        for warning in b.source["warnings"]:
            points.append(QualityPoint(f"Hinweis beim Einlesen: {warning}", k.is_demo))
    if k.status != "unterzeichnet":
        points.append(QualityPoint("Vereinbarung ist nicht von beiden Seiten mit Datum unterzeichnet (Status "
                                   f"„{k.status}“).", k.is_demo))
    published = b.published[(b.published["agreement_year"] == b.year) & b.published["is_aqb"]]
    for row in published.to_dict("records"):
        if int(row["amount_cents"]) != k.budget_cents:
            points.append(QualityPoint(
                f"Veröffentlichter Betrag {euro_from_cents(int(row['amount_cents']))} ({row['amount_precision']}) "
                f"weicht vom Budget der Vereinbarung ({euro_from_cents(k.budget_cents)}) ab: {row['source_url']}",
                k.is_demo))
    if k.change_ratio is not None and abs(k.change_ratio) > JUMP_THRESHOLD:
        points.append(QualityPoint(f"Budget ändert sich gegenüber {b.year - 1} um "
                                   f"{percent(k.change_ratio, 1, signed=True)} – Grund klären.",
                                   k.is_demo or k.previous_is_demo))
    if k.previous_budget_cents is None:
        points.append(QualityPoint(f"Keine Vereinbarung {b.year - 1} im Bestand: kein Vorjahresvergleich "
                                   "(neu / fortgeführt / beendet) möglich."))
    stichtag = k.population_stichtag
    if stichtag is None:
        points.append(QualityPoint(f"Für {b.year} gibt es keinen Einwohner-Stichtag mit Zahlen für alle Partner: "
                                   "kein € je Einwohner (Einwohnerzahlen in den Referenzdaten ergänzen)."))
    elif stichtag.year < b.year - 1:
        points.append(QualityPoint(f"€ je Einwohner beruht auf der Einwohnerzahl zum {german_date(stichtag)} "
                                   f"({number(k.population)}): neuere Zahlen fehlen für mindestens einen Partner."))
    totals = b.implementation_totals
    if not b.status_loaded or totals is None:
        points.append(QualityPoint(f"Kein Umsetzungsstand {b.year} eingelesen – die Vorlage gibt es auf der Seite "
                                   "„Umsetzungsstand“ des Dashboards."))
    else:
        missing = b.implementation[b.implementation["is_in_agreement"] & ~b.implementation["has_status"]]
        if len(missing):
            names = ", ".join(f"„{n}“" for n in missing["project_name"])
            points.append(QualityPoint(f"{len(missing)} Projekt(e) ohne gemeldeten Umsetzungsstand: {names}.",
                                       totals["is_demo"]))
        orphan = b.implementation[~b.implementation["is_in_agreement"]]
        if len(orphan):
            names = ", ".join(f"„{n}“" for n in orphan["project_name"])
            points.append(QualityPoint(f"Gemeldet, aber nicht (mehr) in der Vereinbarung: {names}.", totals["is_demo"]))
        if totals["approved_cents"] != k.budget_cents:
            points.append(QualityPoint(
                f"Summe bewilligt ({euro_from_cents(totals['approved_cents'])}) weicht vom Budget laut § 4 "
                f"({euro_from_cents(k.budget_cents)}) ab.", totals["is_demo"] or k.is_demo))
    return points


def partner_keys(con, year: int) -> list[str]:
    """AGS of every partner valid in ``year`` (those without agreement too), sorted by name."""
    return run_query(con, "briefing_partners_in_year", agreement_year=year)["partner_ags"].tolist()


def overview_frame(briefings: list[Briefing]) -> pd.DataFrame:
    """One row per briefing for the overview of a batch (sorted by partner name)."""
    rows = []
    for b in sorted(briefings, key=lambda x: x.partner_name):
        k, totals = b.key, b.implementation_totals
        counts = b.change_counts()
        rows.append({
            "partner_ags": b.partner["partner_ags"],
            "partner_name": b.partner_name,
            "budget_cents": k.budget_cents if k else None,
            "change_cents": k.change_cents if k else None,
            "change_ratio": k.change_ratio if k else None,
            "per_inhabitant_eur": k.per_inhabitant_eur if k else None,
            "population_stichtag": k.population_stichtag if k else None,
            "budget_rank": k.budget_rank if k else None,
            "ranked_count": k.ranked_count if k else None,
            "project_count": k.project_count if k else 0,
            "new_count": counts["neu"],
            "ended_count": counts["beendet"],
            "spent_ratio": totals["spent_ratio"] if totals else None,
            "participant_ratio": totals["participant_ratio"] if totals else None,
            "quality_count": len(b.quality),
            "stand": b.stand,
            # The one provenance rule: the row is demo when the partner's own agreement is; a comparison
            # (Vorjahr, Rang über alle, Vorjahresliste, Umsetzungsstand) marks only its own cell.
            "is_demo": bool(k and k.is_demo),
            "change_is_demo": bool(k and (k.is_demo or k.previous_is_demo)),
            "rank_is_demo": bool(k and (k.is_demo or k.ranks_use_demo)),
            "projects_is_demo": bool(b.projects_has_demo or (len(b.projects) and b.projects["is_comparison_demo"].any())),
            "status_is_demo": b.implementation_has_demo,
            "file_stem": b.file_stem,
        })
    return pd.DataFrame(rows)

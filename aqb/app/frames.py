"""Cached, read-only data access for the dashboard: one connection per snapshot, results keyed on it.

Each rerun resolves the store symlink (a readlink, cheap). The snapshot file it points at is
immutable, so its path is the cache key: one reader connection per snapshot (``aqb.store.reader``: the
snapshot attached read-only behind views that already drop the demo layer when AQB_DEMO=0 and
unpublished agreements in public mode; ``st.cache_resource``) and query results per (snapshot,
settings, query, parameters) (``st.cache_data``).
When an ingest publishes a new snapshot the next rerun sees a new path, so new data shows up
without a restart and a click on an unchanged store is served from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from aqb.analysis import provenance, versions
from aqb import reference
from aqb.errors import AqbError
from aqb.store import diff, reader
from aqb.store import snapshots
from aqb.store.queries import run_query
from aqb.settings import CACHE_TTL_S, Settings

SEARCH_ROW_LIMIT = 1000
JUMP_THRESHOLD = 0.25


@dataclass(frozen=True)
class StoreRef:
    """The snapshot file a rerun reads from, and the settings that decide what of it is visible."""

    snapshot: str
    settings: Settings

    @property
    def name(self) -> str:
        return Path(self.snapshot).name


@dataclass(frozen=True)
class Filters:
    """The shared sidebar filters of one rerun (empty tuples mean: all)."""

    year: int
    year_from: int
    year_to: int
    regierungsbezirke: tuple[str, ...] = ()
    partner_kinds: tuple[str, ...] = ()
    measure_type_codes: tuple[int, ...] = ()
    per_inhabitant: bool = False
    include_demo: bool = True
    official_only: bool = False

    @property
    def partner_params(self) -> dict:
        return {
            "include_demo": self.include_demo,
            "regierungsbezirke": list(self.regierungsbezirke),
            "partner_kinds": list(self.partner_kinds),
        }

    @property
    def is_statewide(self) -> bool:
        return not self.regierungsbezirke and not self.partner_kinds


def current_store(settings: Settings | None = None) -> StoreRef | None:
    """The current snapshot, or None when no store was built yet (raises StoreError on a broken link)."""
    settings = settings or Settings.from_env()
    snapshot = snapshots.current_snapshot(settings)
    return None if snapshot is None else StoreRef(str(snapshot), settings)


def demo_layer(settings: Settings) -> bool:
    """Whether demo rows may be shown at all: AQB_DEMO, and in public mode only with AQB_PUBLIC_DEMO."""
    if settings.public_mode:
        return settings.demo_enabled and settings.public_demo
    return settings.demo_enabled


@st.cache_resource(max_entries=4, ttl=CACHE_TTL_S, show_spinner=False)
def _connection(snapshot: str, settings: Settings) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    reader.switch(con, Path(snapshot), settings)  # attaches exactly this snapshot, read-only, behind the views
    return con


def _as_param(value):
    return list(value) if isinstance(value, tuple) else value


@st.cache_data(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def _cached_query(store: StoreRef, name: str, params: tuple) -> pd.DataFrame:
    return run_query(_connection(store.snapshot, store.settings), name, **{k: _as_param(v) for k, v in params})


def query(store: StoreRef, name: str, **params) -> pd.DataFrame:
    """queries/<name>.sql on the store's snapshot, cached on (snapshot, settings, name, params)."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _cached_query(store, name, key)


def document_bytes(store: StoreRef, source_sha256: str) -> bytes:
    """The original document (read on click, not on every rerun)."""
    frame = run_query(_connection(store.snapshot, store.settings), "source_document_content", source_sha256=source_sha256)
    return bytes(frame["content"].iloc[0]) if len(frame) else b""


provenance_of = provenance.provenance_of  # the one rule (aqb.analysis.provenance), re-exported for pages


# --- options for the sidebar -------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    years: list[int]
    regierungsbezirke: list[str]
    measure_types: pd.DataFrame
    partners: pd.DataFrame
    status: dict
    default_year: int | None = None  # the latest year with a signed agreement (else the latest year)


def options(store: StoreRef, demo_layer: bool) -> Options:
    partners = query(store, "partners_list")
    status = query(store, "store_status").iloc[0].to_dict()
    years = query(store, "agreement_years", include_demo=demo_layer)
    signed = years[years["has_signed"]]["agreement_year"]
    return Options(
        years=[int(y) for y in years["agreement_year"]],
        default_year=int(signed.max()) if len(signed) else (int(years["agreement_year"].max()) if len(years) else None),
        regierungsbezirke=sorted(partners["regierungsbezirk"].unique().tolist()),
        measure_types=query(store, "measure_types"),
        partners=partners,
        status=status,
    )


def coverage_matrix(store: StoreRef, f: Filters) -> pd.DataFrame:
    """Partner x year of the range and the selection (Regierungsbezirk, Art): agreement, demo, published or nothing."""
    frame = query(store, "coverage_matrix", include_demo=f.include_demo, year_from=f.year_from, year_to=f.year_to)
    if f.regierungsbezirke:
        frame = frame[frame["regierungsbezirk"].isin(f.regierungsbezirke)]
    if f.partner_kinds:
        frame = frame[frame["partner_kind"].isin(f.partner_kinds)]
    return frame.reset_index(drop=True)


def coverage_counts(store: StoreRef, f: Filters, year_from: int | None = None, year_to: int | None = None) -> dict:
    """How many partner-years of the selection (Regierungsbezirk, Art) rest on a real agreement, on demo data, on nothing.

    Maßnahmenart does not narrow it: whether an agreement exists does not depend on its project types.
    """
    year_from = f.year_from if year_from is None else year_from
    year_to = f.year_to if year_to is None else year_to
    frame = query(store, "coverage_matrix", include_demo=True, year_from=year_from, year_to=year_to)
    if f.regierungsbezirke:
        frame = frame[frame["regierungsbezirk"].isin(f.regierungsbezirke)]
    if f.partner_kinds:
        frame = frame[frame["partner_kind"].isin(f.partner_kinds)]
    return {
        "partner_years": len(frame),
        "real": int((frame["coverage_status"] == "agreement").sum()),
        "demo": int((frame["coverage_status"] == "demo").sum()),
    }


# --- Überblick ----------------------------------------------------------------------------------


@dataclass
class Overview:
    year_row: dict | None
    previous_row: dict | None
    totals: pd.DataFrame
    ranking: pd.DataFrame
    mix: pd.DataFrame
    published_statewide: pd.DataFrame
    projects: dict[int, tuple[int, int]] = field(default_factory=dict)  # year -> (projects, demo projects) of the selection


def project_counts(store: StoreRef, f: Filters, year_from: int, year_to: int) -> pd.DataFrame:
    """Projects per partner and year of the chosen Maßnahmenarten: the one project count every figure uses."""
    return query(store, "project_counts_by_partner_year", year_from=year_from, year_to=year_to,
                 measure_type_codes=list(f.measure_type_codes), **f.partner_params)


def totals(store: StoreRef, f: Filters, year_from: int, year_to: int) -> pd.DataFrame:
    frame = query(store, "budget_total_by_year", year_from=year_from, year_to=year_to, **f.partner_params)
    per_year = project_counts(store, f, year_from, year_to).groupby("agreement_year")["project_count"].sum()
    frame = frame.copy()
    frame["project_count"] = frame["agreement_year"].map(per_year).fillna(0).astype("int64")
    frame["provenance"] = [
        provenance_of(r, d) if r or d else None
        for r, d in zip(frame["real_agreements_count"], frame["demo_agreements_count"])
    ]
    return frame


def partner_years(store: StoreRef, f: Filters, year_from: int, year_to: int) -> pd.DataFrame:
    frame = query(store, "budget_by_partner_year", year_from=year_from, year_to=year_to, **f.partner_params)
    counts = project_counts(store, f, year_from, year_to)[["partner_ags", "agreement_year", "project_count"]]
    frame = frame.drop(columns="project_count").merge(counts, on=["partner_ags", "agreement_year"], how="left")
    frame["project_count"] = frame["project_count"].fillna(0).astype("int64")
    return frame


def ranking(store: StoreRef, f: Filters, year: int) -> pd.DataFrame:
    """Partners with an agreement in ``year``, best first by budget or € je Einwohner; with rank."""
    frame = partner_years(store, f, year, year)
    frame = frame[frame["has_agreement"]].copy()
    key = "budget_per_inhabitant_eur" if f.per_inhabitant else "budget_cents"
    frame = frame.sort_values([key, "partner_name"], ascending=[False, True]).reset_index(drop=True)
    frame.insert(0, "budget_rank", range(1, len(frame) + 1))
    return frame


def published(store: StoreRef) -> pd.DataFrame:
    return query(store, "published_amounts_export")


@st.cache_data(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def overview(store: StoreRef, f: Filters, all_years: list[int]) -> Overview:
    first = min(all_years[0], f.year - 1)
    frame = totals(store, f, first, max(all_years[-1], f.year))
    by_year = {int(r["agreement_year"]): r for r in frame.to_dict("records")}
    pub = published(store)
    statewide = pub[pub["partner_ags"].isna() & pub["is_aqb"]] if f.is_statewide else pub.iloc[0:0]
    # Project counts come from the Maßnahmenart-aware query, so the KPI and the mix chart always agree.
    per_year = measure_mix(store, f, f.year - 1, f.year).groupby("agreement_year")[["project_count", "demo_project_count"]].sum()
    return Overview(
        projects={int(y): (int(r.project_count), int(r.demo_project_count)) for y, r in per_year.iterrows()},
        year_row=by_year.get(f.year),
        previous_row=by_year.get(f.year - 1),
        totals=frame[(frame["agreement_year"] >= f.year_from) & (frame["agreement_year"] <= f.year_to)].reset_index(drop=True),
        ranking=ranking(store, f, f.year),
        mix=measure_mix(store, f, f.year, f.year),
        published_statewide=statewide[
            (statewide["agreement_year"] >= f.year_from) & (statewide["agreement_year"] <= f.year_to)
        ].reset_index(drop=True),
    )


def _with_provenance(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["provenance"] = [
        provenance_of(n - d, d) if n else None for n, d in zip(frame["project_count"], frame["demo_project_count"])
    ]
    return frame


def measure_mix(store: StoreRef, f: Filters, year_from: int, year_to: int) -> pd.DataFrame:
    return _with_provenance(query(
        store, "projects_by_measure_type_year", year_from=year_from, year_to=year_to,
        measure_type_codes=list(f.measure_type_codes), **f.partner_params,
    ))


def measures_by_partner(store: StoreRef, f: Filters, year_from: int, year_to: int) -> pd.DataFrame:
    return _with_provenance(query(
        store, "projects_by_partner_measure_type", year_from=year_from, year_to=year_to,
        measure_type_codes=list(f.measure_type_codes), **f.partner_params,
    ))


# --- Gebietskörperschaft ------------------------------------------------------------------------


@dataclass
class PartnerProfile:
    partner: dict
    history: pd.DataFrame
    published: pd.DataFrame
    projects: pd.DataFrame
    signatures: pd.DataFrame
    sources: pd.DataFrame
    budget_rows: pd.DataFrame = field(default_factory=pd.DataFrame)


def rename_note(renamed_from, link_kind) -> str | None:
    """'umbenannt aus BaE Teilzeit' / 'zusammengelegt aus A, B' / 'geteilt aus A' (None: same name or new)."""
    if link_kind is None or link_kind != link_kind:
        return None
    source = renamed_from if isinstance(renamed_from, str) and renamed_from else ""
    return f"{link_kind} aus {source}".strip() if source else link_kind


def with_rename_notes(projects: pd.DataFrame) -> pd.DataFrame:
    # rename_note is not cached: a cache lookup per project row (hashing, copying) cost more than the note
    out = projects.copy()
    out["renamed_from"] = [rename_note(r, k) for r, k in zip(out["renamed_from"], out["link_kind"])]
    return out


def partner_profile(store: StoreRef, f: Filters, partner: dict) -> PartnerProfile:
    return _partner_profile(store, f.include_demo, partner)


# Cached as a whole, on what it depends on (not every filter): one copy out of the cache instead of six query
# results and the merges on every run of Gebietskörperschaft (~13 ms, benchmarks/bench_first_view.py).
@st.cache_data(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def _partner_profile(store: StoreRef, include_demo: bool, partner: dict) -> PartnerProfile:
    ags = partner["partner_ags"]
    history = query(store, "partner_budget_history", partner_ags=ags, include_demo=include_demo)
    pub = published(store)
    pub = pub[pub["partner_ags"] == ags].reset_index(drop=True)
    aqb = pub[pub["is_aqb"]][["agreement_year", "amount_cents", "amount_precision", "source_url", "note"]]
    budget_rows = history[["agreement_year", "budget_cents", "budget_per_inhabitant_eur", "population_stichtag",
                           "provenance", "is_demo"]]
    budget_rows = budget_rows.merge(aqb, on="agreement_year", how="outer").sort_values("agreement_year")
    budget_rows["is_demo"] = budget_rows["is_demo"].fillna(False).astype(bool)
    return PartnerProfile(
        partner=partner,
        history=history,
        published=pub,
        projects=with_rename_notes(query(store, "partner_projects_by_year", partner_ags=ags,
                                         include_demo=include_demo)),
        signatures=query(store, "partner_signatures", partner_ags=ags, include_demo=include_demo),
        sources=query(store, "partner_sources", partner_ags=ags, include_demo=include_demo),
        budget_rows=budget_rows.reset_index(drop=True),
    )


def partner_budget_lines(store: StoreRef, f: Filters, partner_ags: str) -> pd.DataFrame:
    """The § 4 budget lines (programme, role, amount, source) of one partner's agreements by year."""
    return query(store, "partner_budget_lines", partner_ags=partner_ags, include_demo=f.include_demo)


# --- Jahresvergleich ----------------------------------------------------------------------------


@st.cache_data(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def year_comparison(frame: pd.DataFrame, year_a: int, year_b: int, per_inhabitant: bool) -> pd.DataFrame:
    """Partners with an agreement in both years: value in A and B and the change (biggest first)."""
    value = "budget_per_inhabitant_eur" if per_inhabitant else "budget_cents"
    cols = ["partner_ags", "partner_name", "partner_kind", "regierungsbezirk", "is_demo", "budget_cents"]
    cols += [value] if value not in cols else []
    cols += ["population_stichtag"] if per_inhabitant and "population_stichtag" in frame.columns else []
    a = frame[(frame["agreement_year"] == year_a) & frame["has_agreement"]][cols]
    b = frame[(frame["agreement_year"] == year_b) & frame["has_agreement"]][cols]
    both = a.merge(b, on=["partner_ags", "partner_name", "partner_kind", "regierungsbezirk"], suffixes=("_a", "_b"))
    out = pd.DataFrame({
        "partner_ags": both["partner_ags"],
        "partner_name": both["partner_name"],
        "partner_kind": both["partner_kind"],
        "regierungsbezirk": both["regierungsbezirk"],
        "budget_a_cents": both["budget_cents_a"],
        "budget_b_cents": both["budget_cents_b"],
        "change_cents": both["budget_cents_b"] - both["budget_cents_a"],
        "change_ratio": both["budget_cents_b"] / both["budget_cents_a"] - 1,
        "is_demo": both["is_demo_a"] | both["is_demo_b"],
    })
    if per_inhabitant:
        out["value_a"] = both[f"{value}_a"]
        out["value_b"] = both[f"{value}_b"]
        if "population_stichtag_a" in both:  # each year's Stichtag, named in the table's headers
            out["population_stichtag_a"] = both["population_stichtag_a"]
            out["population_stichtag_b"] = both["population_stichtag_b"]
    else:
        out["value_a"] = both[f"{value}_a"] / 100
        out["value_b"] = both[f"{value}_b"] / 100
    out["change_value"] = out["value_b"] - out["value_a"]
    out["provenance"] = ["demo" if d else "vereinbarung" for d in out["is_demo"]]
    order = out["change_value"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


# --- Karte --------------------------------------------------------------------------------------

MAP_MEASURES = ("Budget", "Projekte", "Veränderung zum Vorjahr")
SHARE_PREFIX = "Anteil: "


@st.cache_data(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def map_values(store: StoreRef, f: Filters, measure: str) -> pd.DataFrame:
    """One row per partner valid in the year with ``map_value`` for the chosen measure (NaN when missing)."""
    frame = partner_years(store, f, f.year - 1, f.year)
    current = frame[frame["agreement_year"] == f.year].copy().reset_index(drop=True)
    if measure == "Budget":
        current["map_value"] = current["budget_per_inhabitant_eur"] if f.per_inhabitant else current["budget_cents"] / 100
        if f.per_inhabitant:  # a per-capita value: its header names the Stichtag (theme.STICHTAG_SOURCES)
            current["map_stichtag"] = current["population_stichtag"]
    elif measure == "Projekte":
        # partner_years counts the chosen Maßnahmenarten; partners without agreement stay empty, not 0.
        current["map_value"] = current["project_count"].astype("Float64").where(current["has_agreement"])
    elif measure == "Veränderung zum Vorjahr":
        previous = frame[frame["agreement_year"] == f.year - 1][["partner_ags", "budget_cents", "is_demo"]]
        merged = current.merge(previous, on="partner_ags", how="left", suffixes=("", "_previous"))
        current["map_value"] = (merged["budget_cents"] / merged["budget_cents_previous"] - 1).astype("Float64")
        current["is_demo"] = merged["is_demo"] | merged["is_demo_previous"].fillna(False).astype(bool)
    elif measure.startswith(SHARE_PREFIX):
        label = measure[len(SHARE_PREFIX):]
        mix = query(
            store, "projects_by_partner_measure_type", year_from=f.year, year_to=f.year,
            measure_type_codes=[], **f.partner_params,
        )
        totals_ = mix.groupby("partner_ags")["project_count"].sum()
        chosen = mix[mix["measure_type_label"] == label].set_index("partner_ags")["project_count"]
        share = (chosen / totals_.where(totals_ > 0)).rename("map_value")
        current = current.merge(share, left_on="partner_ags", right_index=True, how="left")
        current.loc[~current["has_agreement"], "map_value"] = pd.NA
    else:
        raise ValueError(f"Unbekannte Kennzahl {measure!r}")
    current["map_value"] = pd.to_numeric(current["map_value"], errors="coerce").astype(float)
    return current


# --- Daten & Quellen ----------------------------------------------------------------------------


def quality_notes(store: StoreRef, f: Filters) -> pd.DataFrame:
    return query(store, "data_quality_notes", include_demo=f.include_demo, jump_threshold=JUMP_THRESHOLD)


# --- what changed between snapshots, versions of an agreement ---------------------------------


@st.cache_data(max_entries=8, ttl=CACHE_TTL_S, show_spinner=False)
def whats_new(store: StoreRef) -> diff.SnapshotDiff | None:
    """The snapshot before this one against this one („Was ist neu“); None for the first snapshot."""
    try:
        before, after = diff.resolve(store.settings, None, store.snapshot)
    except AqbError:
        return None
    return diff.compare(store.settings, before, after)


def agreement_versions(store: StoreRef, f: Filters, partner_ags: str) -> pd.DataFrame:
    """Every version of the partner's agreements with what each changed (staff only: history is internal)."""
    return _agreement_versions(store, f.include_demo, partner_ags)


@st.cache_data(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)  # the version diff: ~10 ms per run uncached
def _agreement_versions(store: StoreRef, include_demo: bool, partner_ags: str) -> pd.DataFrame:
    frame = query(store, "agreement_versions", partner_ags=partner_ags, include_demo=include_demo)
    return versions.version_rows(frame)


def group_budget_rows(store: StoreRef, f: Filters, split: reference.TerritorySplit) -> pd.DataFrame:
    """A split partner's series "mit" the split-off partner, in the shape of PartnerProfile.budget_rows."""
    rows = query(store, "partner_group_budget_history", partner_ags_list=split.partner_keys,
                 include_demo=f.include_demo)
    rows = rows.assign(amount_cents=pd.NA, amount_precision=None, source_url=None, note=None)
    return rows

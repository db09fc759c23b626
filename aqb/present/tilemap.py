"""Hessen's partners on a map: equal tiles in a hand-made layout, or a choropleth from a boundary file.

The tile layout (``data/reference/tile_layout.csv``: ags,row,col,tile_label) places the 27
Gebietskörperschaften roughly like the real geography, one equal tile each, so small cities
(Offenbach, Darmstadt) are as visible as large Landkreise. If an official boundary file is put
into ``data/geo/`` (GeoJSON in WGS84 with an AGS property per Kreis, e.g. BKG VG250/VG5000), a
true choropleth is drawn from it instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from aqb.present import theme
from aqb import fmt
from aqb.present.figures import figure
from aqb.errors import AqbError
from aqb.settings import PROJECT_ROOT

LAYOUT_FILE = "tile_layout.csv"
AGS_KEYS = ("AGS", "ags", "AGS_0", "ARS", "RS", "rs", "krs_code", "KRS", "id")


def layout_path(reference_dir: Path) -> Path:
    path = reference_dir / LAYOUT_FILE
    return path if path.is_file() else PROJECT_ROOT / "data" / "reference" / LAYOUT_FILE


def load_layout(path: Path) -> pd.DataFrame:
    """The tile positions; raises AqbError when a key or a position is used twice."""
    frame = pd.read_csv(path, dtype={"ags": str, "row": int, "col": int, "tile_label": str})
    if frame["ags"].duplicated().any() or frame[["row", "col"]].duplicated().any():
        raise AqbError(f"{path}: AGS oder Kachelposition doppelt vergeben.")
    return frame


def _text_colour(fill: str) -> str:
    """Black or white, whichever reads better on the tile colour (WCAG contrast, not a YIQ guess)."""
    return theme.text_on(fill)


@dataclass(frozen=True)
class Scale:
    colorscale: object
    zmin: float
    zmax: float
    title: str
    tickformat: str = ",.0f"


def scale_for(values: pd.Series, title: str, diverging: bool, tickformat: str = ",.0f") -> Scale:
    """Colour scale over the values: sequential from 0, or diverging around 0 for changes."""
    finite = values.dropna()
    if finite.empty:
        return Scale(theme.SEQUENTIAL_SCALE, 0.0, 1.0, title, tickformat)
    if diverging:
        bound = float(max(abs(finite.min()), abs(finite.max()))) or 1.0
        return Scale(theme.DIVERGING_SCALE, -bound, bound, title, tickformat)
    low, high = float(min(finite.min(), 0)), float(finite.max())
    return Scale(theme.SEQUENTIAL_SCALE, low, high if high > low else low + 1, title, tickformat)


def _label_colour(value, scale: Scale) -> str:
    if value is None or pd.isna(value):
        return "#333333"
    span = (scale.zmax - scale.zmin) or 1.0
    return _text_colour(sample_colorscale(scale.colorscale, [min(max((float(value) - scale.zmin) / span, 0), 1)])[0])


# Tiles as wide as the page allows and low enough that headline and the whole map fit a 1440×900 screen:
# two name lines and a value still fit each tile.
TILE_PX = 56


def tile_figure(values: pd.DataFrame, layout: pd.DataFrame, value_text: Callable[[float], str], scale: Scale) -> go.Figure:
    """Equal tiles coloured by ``map_value``; names and values written on each tile (a star marks demo)."""
    tiles = layout.merge(values, left_on="ags", right_on="partner_ags", how="inner")
    n_rows, n_cols = int(layout["row"].max()) + 1, int(layout["col"].max()) + 1
    base = [[None] * n_cols for _ in range(n_rows)]
    grid = [[None] * n_cols for _ in range(n_rows)]
    hover = [[""] * n_cols for _ in range(n_rows)]
    annotations = []
    for t in tiles.itertuples():
        value = None if pd.isna(t.map_value) else float(t.map_value)
        base[t.row][t.col] = 0
        grid[t.row][t.col] = value
        status = "keine Vereinbarung" if not t.has_agreement else theme.PROVENANCE_LABELS.get(t.provenance, t.provenance)
        hover[t.row][t.col] = f"<b>{t.partner_name}</b><br>{value_text(value)}<br>{status}"
        colour = _label_colour(value, scale)
        text = "–" if value is None else value_text(value) + ("*" if t.is_demo else "")
        annotations.append({"x": t.col, "y": t.row, "text": f"<b>{t.tile_label}</b><br>{text}", "showarrow": False,
                            "font": {"color": colour, "size": theme.FONT_SIZE - 3}})
    traces = [
        {"type": "heatmap", "z": base, "colorscale": [[0, "#E6E6E6"], [1, "#E6E6E6"]], "showscale": False,
         "xgap": 4, "ygap": 4, "hoverinfo": "skip"},
        {"type": "heatmap", "z": grid, "customdata": hover, "colorscale": scale.colorscale, "zmin": scale.zmin,
         "zmax": scale.zmax, "xgap": 4, "ygap": 4, "hovertemplate": "%{customdata}<extra></extra>",
         "colorbar": {"title": {"text": scale.title}, "separatethousands": True, "exponentformat": "none",
                      "tickformat": scale.tickformat}},
    ]
    return figure(traces, {
        "annotations": annotations,
        "xaxis": {"visible": False, "range": [-0.5, n_cols - 0.5]},
        "yaxis": {"visible": False, "autorange": "reversed"},
        "margin": {"t": 10, "b": 10},
    }, height=TILE_PX * n_rows + 20, legend=False)


# --- true choropleth from an official boundary file --------------------------------------------


def find_boundary_file(geo_dir: Path) -> Path | None:
    """The first *.geojson / *.json in data/geo/, or None."""
    if not geo_dir.is_dir():
        return None
    found = sorted(p for p in geo_dir.iterdir() if p.suffix.lower() in {".geojson", ".json"} and p.is_file())
    return found[0] if found else None


def _ags_of(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.isdigit() and len(text) < 5:
        text = text.zfill(5)
    return text[:5] if len(text) >= 5 and text[:5].isdigit() else None


def _polygons(geometry: dict) -> list:
    if geometry is None:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def load_boundaries(path: Path, partner_ags: set[str]) -> dict:
    """A FeatureCollection with one MultiPolygon per partner AGS (property ``aqb_ags``).

    Raises AqbError when no AGS property matches or coordinates are not longitude/latitude.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AqbError(f"{path.name}: keine lesbare GeoJSON-Datei ({exc}).") from None
    features = data.get("features", []) if isinstance(data, dict) else []
    best_key, best_hits = None, 0
    for key in AGS_KEYS:
        hits = sum(1 for f in features if _ags_of((f.get("properties") or {}).get(key)) in partner_ags)
        if hits > best_hits:
            best_key, best_hits = key, hits
    if best_key is None:
        raise AqbError(f"{path.name}: keine Eigenschaft mit AGS der Gebietskörperschaften ({', '.join(AGS_KEYS)}).")
    merged: dict[str, list] = {}
    for feature in features:
        ags = _ags_of((feature.get("properties") or {}).get(best_key))
        if ags in partner_ags:
            merged.setdefault(ags, []).extend(_polygons(feature.get("geometry")))
    for polygons in merged.values():
        for polygon in polygons:
            for ring in polygon:
                for lon, lat, *_ in ring:
                    if abs(lon) > 180 or abs(lat) > 90:
                        raise AqbError(
                            f"{path.name}: Koordinaten sind nicht Länge/Breite (WGS84). "
                            "Umrechnen, z. B. `ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`."
                        )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"aqb_ags": ags}, "geometry": {"type": "MultiPolygon", "coordinates": polys}}
            for ags, polys in sorted(merged.items())
        ],
    }


def _label_point(polygons: list) -> tuple[float, float]:
    """Mean of the outer ring of the largest polygon: good enough to place a label."""
    ring = max((p[0] for p in polygons), key=len)
    if len(ring) > 1 and list(ring[0]) == list(ring[-1]):
        ring = ring[:-1]  # a closed ring repeats its first point
    return sum(pt[0] for pt in ring) / len(ring), sum(pt[1] for pt in ring) / len(ring)


def choropleth_figure(values: pd.DataFrame, boundaries: dict, value_text: Callable[[float], str], scale: Scale,
                      short_names: dict[str, str]) -> go.Figure:
    """Plotly choropleth over the boundary file, fitted to Hessen, with names and values as labels."""
    shown = values[values["partner_ags"].isin({f["properties"]["aqb_ags"] for f in boundaries["features"]})]
    texts = [value_text(None if pd.isna(v) else float(v)) for v in shown["map_value"]]
    points = {f["properties"]["aqb_ags"]: _label_point(f["geometry"]["coordinates"]) for f in boundaries["features"]}
    traces = [
        {"type": "choropleth", "geojson": boundaries, "locations": shown["partner_ags"].tolist(),
         "featureidkey": "properties.aqb_ags", "z": [None if pd.isna(v) else float(v) for v in shown["map_value"]],
         "colorscale": scale.colorscale, "zmin": scale.zmin, "zmax": scale.zmax,
         "marker": {"line": {"color": "white", "width": 1}},
         "customdata": [f"<b>{n}</b><br>{t}" for n, t in zip(shown["partner_name"], texts)],
         "hovertemplate": "%{customdata}<extra></extra>",
         "colorbar": {"title": {"text": scale.title}, "exponentformat": "none", "tickformat": scale.tickformat}},
        {"type": "scattergeo", "mode": "text", "hoverinfo": "skip", "showlegend": False,
         "lon": [points[a][0] for a in shown["partner_ags"]], "lat": [points[a][1] for a in shown["partner_ags"]],
         "text": [f"{short_names.get(a, n)}<br>{t}{'*' if d else ''}"
                  for a, n, t, d in zip(shown["partner_ags"], shown["partner_name"], texts, shown["is_demo"])],
         "textfont": {"size": theme.FONT_SIZE - 4, "color": [_label_colour(v, scale) for v in shown["map_value"]]}},
    ]
    return figure(traces, {"geo": {"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"}}},
                  height=760, legend=False)


# --- what the Karte page draws ------------------------------------------------------------------


@dataclass(frozen=True)
class MapStyle:
    kind: str  # formatter in theme.FORMATTERS for tile labels and the table
    title: str
    diverging: bool
    tickformat: str


def measure_style(measure: str, per_inhabitant: bool) -> MapStyle:
    """Label format and colour scale for a map measure ('Budget', 'Projekte', 'Veränderung …', 'Anteil: …')."""
    if measure == "Budget":
        return MapStyle("eur2", "€ je Einw.", False, ",.2f") if per_inhabitant else MapStyle("euro_short", "Euro", False, ",.0f")
    if measure == "Projekte":
        return MapStyle("number", "Projekte", False, ",d")
    if measure.startswith("Veränderung"):
        return MapStyle("pct_signed", "Veränderung", True, "+.0%")
    return MapStyle("pct0", "Anteil", False, ".0%")


def map_figure(values: pd.DataFrame, data_dir: Path, reference_dir: Path, style: MapStyle) -> tuple[go.Figure, str, str | None]:
    """The choropleth if data/geo/ holds a usable boundary file, else the tiles; with a note and a problem text."""
    value_text = theme.FORMATTERS[style.kind]
    title = style.title
    if style.kind == "eur2" and "population_stichtag" in values:  # a per-capita colour bar names its Stichtag
        title = fmt.per_inhabitant_label(values["population_stichtag"], unit=style.title)
    scale = scale_for(values["map_value"], title, style.diverging, style.tickformat)
    layout = load_layout(layout_path(reference_dir))
    boundary = find_boundary_file(data_dir / "geo")
    problem = None
    if boundary is not None:
        try:
            shapes = load_boundaries(boundary, set(values["partner_ags"]))
            short = dict(zip(layout["ags"], layout["tile_label"]))
            return choropleth_figure(values, shapes, value_text, scale, short), f" Grenzen: {boundary.name}.", None
        except AqbError as exc:  # a broken boundary file falls back to the tiles
            problem = f"Grenzdatei nicht verwendbar ({exc}); es werden Kacheln gezeigt."
    missing = set(values["partner_ags"]) - set(layout["ags"])
    note = " Eine Kachel je Gebietskörperschaft, ungefähr nach Lage angeordnet." + (
        f" {len(missing)} Partner ohne Kachelposition (nur in der Tabelle)." if missing else "")
    return tile_figure(values, layout, value_text, scale), note, problem

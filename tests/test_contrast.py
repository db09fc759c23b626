"""WCAG 2.1 contrast of every theme colour, computed from the relative-luminance formula (1.4.3 text, 1.4.11 graphics)."""

from __future__ import annotations

import tomllib

import pytest
from plotly.colors import sample_colorscale

from aqb.present import figures, theme, tilemap
from aqb.settings import PROJECT_ROOT

TEXT, GRAPHIC = 4.5, 3.0
WHITE, BLACK = "#FFFFFF", "#000000"
SIDEBAR = "#F0F2F6"  # Streamlit's light secondary background (sidebar, code, expander header)


def _blend(colour: str, alpha: float, under: str = WHITE) -> str:
    top = [int(colour.lstrip("#")[i: i + 2], 16) for i in (0, 2, 4)]
    bottom = [int(under.lstrip("#")[i: i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(alpha * t + (1 - alpha) * b):02X}" for t, b in zip(top, bottom))


def test_formula_matches_the_wcag_reference_values():
    assert theme.contrast_ratio(BLACK, WHITE) == pytest.approx(21.0)
    assert theme.contrast_ratio(WHITE, WHITE) == pytest.approx(1.0)
    assert round(theme.contrast_ratio("#767676", WHITE), 2) == 4.54  # the well-known lightest AA grey on white
    assert round(theme.contrast_ratio("#FF4B4B", WHITE), 1) == 3.3  # Streamlit's default accent: fails AA text
    assert theme.relative_luminance("rgb(255, 255, 255)") == pytest.approx(1.0)


PALETTE = {
    **{f"Maßnahmenart {code}": c for code, c in theme.MEASURE_TYPE_COLOURS.items()},
    **{f"Regierungsbezirk {name}": c for name, c in theme.REGIERUNGSBEZIRK_COLOURS.items()},
    **{f"Reihe {i}": c for i, c in enumerate(theme.SERIES_COLOURS)},
    "Partner": theme.PARTNER_COLOUR, "Hessen": theme.HESSEN_COLOUR, "Vergleichsgruppe": theme.PEERS_COLOUR,
    "veröffentlicht": theme.PUBLISHED_COLOUR, "sonstige": theme.FALLBACK_COLOUR,
    "Titel": theme.TITLE_COLOUR, "gedämpfter Text": theme.MUTED_COLOUR, "Demo-Text": theme.DEMO_TEXT_COLOUR,
}


@pytest.mark.parametrize("name", list(PALETTE))
def test_palette_reads_as_text_on_white_and_on_the_sidebar_grey(name):
    colour = PALETTE[name]
    assert theme.contrast_ratio(colour, theme.BACKGROUND_COLOUR) >= TEXT, (name, colour)
    assert theme.contrast_ratio(colour, SIDEBAR) >= GRAPHIC, (name, colour)


@pytest.mark.parametrize("name", list(theme.COVERAGE_COLOURS))
def test_coverage_cells_are_visible_graphics(name):
    assert theme.contrast_ratio(theme.COVERAGE_COLOURS[name], WHITE) >= GRAPHIC


@pytest.mark.parametrize("name", [n for n in PALETTE if n.startswith(("Maßnahmenart", "Regierungsbezirk", "Reihe", "Partner"))])
def test_demo_marking_keeps_the_bar_visible_and_the_hatching_readable(name):
    colour = PALETTE[name]
    # the lighter demo fill and its hatch stripes (bar colour on white) are still 3:1 graphics
    assert theme.contrast_ratio(_blend(colour, theme.DEMO_OPACITY), WHITE) >= GRAPHIC, name
    assert figures.DEMO_OPACITY == theme.DEMO_OPACITY


@pytest.mark.parametrize("scale", ["SEQUENTIAL_SCALE", "SHARE_SCALE", "DIVERGING_SCALE"])
def test_labels_on_tiles_reach_text_contrast_everywhere_on_the_scale(scale):
    colours = sample_colorscale(getattr(theme, scale), [i / 50 for i in range(51)])
    worst = min(theme.contrast_ratio(tilemap._text_colour(c), c) for c in colours)
    assert worst >= TEXT, (scale, worst)


def test_colour_choice_for_labels_takes_the_better_of_black_and_white():
    assert theme.text_on("#FDE725") == BLACK  # Viridis yellow
    assert theme.text_on("#440154") == WHITE  # Viridis purple
    assert theme.text_on("#21918C") == BLACK  # mid teal: the old YIQ rule picked white (3.6:1)


def test_streamlit_accent_and_text_colours_pass_aa():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    assert config["base"] == "light"
    for background in (WHITE, SIDEBAR):
        assert theme.contrast_ratio(config["primaryColor"], background) >= TEXT
    # the accent fills buttons/toggles with white text on it
    assert theme.contrast_ratio(config["primaryColor"], WHITE) >= TEXT

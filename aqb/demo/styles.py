"""Demo document styles: the markers every demo document carries and the layout variants the renderer draws from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


DEMO_NOTICE = "DEMODATEN – nicht amtlich. Erzeugt vom AQB-Dashboard, keine echte Zielvereinbarung."
# PDF furniture is stripped by repetition; the body banner must differ from it to survive.
DEMO_FOOTER = "DEMODATEN – nicht amtlich"
DEMO_BANNER = ("DEMODATEN – Dieses Dokument wurde vom AQB-Dashboard erzeugt. Es ist keine echte "
               "Zielvereinbarung und nicht amtlich.")
NBSP = "\u00a0"
PAGE_COUNT_TEXT = 3
BUDGET_FORMATS = ("euro_suffix", "cents_symbol", "eur_prefix", "split", "inline")
BULLETS = ("-", "–", "•", "*")
NUMBERINGS = ("1.", "1)")
TEXT_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")

# The agreements spell out Maßnahmenart 4 in full; the reference file keeps the short name.
LONG_MEASURE_NAMES = {
    4: "Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der fachlichen "
    "Verantwortung für Benachteiligte im Kontext der Arbeitsmarktförderung",
}
# The 2025 agreement still abbreviates the renamed ministry as HMSI, so both names keep it.
MINISTRY_ABBREVIATIONS = {
    "Hessisches Ministerium für Soziales und Integration": "HMSI",
    "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales": "HMSI",
}
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_DOC_TIME = datetime(2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class TextStyle:
    """Variants of the plain-text rendering (the parser has to read all of them)."""

    bullet: str = "-"
    numbering: str = "1."
    budget_format: str = "euro_suffix"
    wrap: int | None = None
    emphasis: bool = True
    long_dates: bool = False
    page_furniture: bool = False
    drop_blank_lines: bool = False
    signature_marks: bool = True  # the handwritten line above the typed name, as in the scan

    def __post_init__(self) -> None:
        if self.bullet not in BULLETS:
            raise ValueError(f"bullet must be one of {BULLETS}")
        if self.numbering not in NUMBERINGS:
            raise ValueError(f"numbering must be one of {NUMBERINGS}")
        if self.budget_format not in BUDGET_FORMATS:
            raise ValueError(f"budget_format must be one of {BUDGET_FORMATS}")
        if self.wrap is not None and self.wrap < 20:
            raise ValueError("wrap must be None or at least 20 columns")


@dataclass(frozen=True)
class PdfStyle:
    font_size: float = 10.5
    bullet: str = "•"
    # "inline": bullet drawn with the item paragraph (extracts as "• text"); "list": a ListFlowable
    # (pypdf then gives the bullet on a line of its own, the text on the next)
    bullet_layout: str = "inline"
    running_header: bool = True
    page_numbers: bool = True
    signature_marks: bool = True

    def __post_init__(self) -> None:
        if self.bullet not in BULLETS:
            raise ValueError(f"bullet must be one of {BULLETS}")
        if self.bullet_layout not in ("list", "inline"):
            raise ValueError("bullet_layout must be 'list' or 'inline'")

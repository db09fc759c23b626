"""German wording of the demo documents: partner and ministry forms, amounts, dates, page furniture."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date
from aqb.model import AgreementSpec
from aqb.reference import Partner
from aqb.demo.styles import MINISTRY_ABBREVIATIONS, MONTHS, TextStyle


# German wording


@dataclass(frozen=True)
class PartnerForms:
    """The partner's name in each case the agreement needs, article included (lower case)."""

    title: str  # official name, no article
    nominative: str
    accusative: str
    dative: str
    genitive: str
    von: str  # "von der Stadt …" / "vom Landkreis …"
    signature_lines: tuple[str, ...]  # genitive split as under the partner's signature


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def partner_forms(official_name: str, kind: str) -> PartnerForms:
    """Declension of a Gebietskörperschaft name ("Stadt X", "Landkreis X", "Kreis X", "…kreis")."""
    name = official_name.strip()
    head, _, rest = name.partition(" ")
    if head.endswith("stadt") or head == "Stadt":
        return PartnerForms(name, f"die {name}", f"die {name}", f"der {name}", f"der {name}",
                            f"von der {name}", (f"der {head}", rest) if rest else (f"der {name}",))
    if head in ("Landkreis", "Kreis") and rest:
        return PartnerForms(name, f"der {name}", f"den {name}", f"dem {name}", f"des {head}es {rest}",
                            f"vom {name}", (f"des {head}es", rest))
    if name.lower().endswith("kreis"):
        return PartnerForms(name, f"der {name}", f"den {name}", f"dem {name}", f"des {name}es",
                            f"vom {name}", (f"des {name}es",))
    # A name without the usual head noun: fall back to the kind, which fixes the gender.
    if kind == "kreisfreie Stadt":
        return partner_forms(f"Stadt {name}", kind)
    return partner_forms(f"Landkreis {name}", kind)


@dataclass(frozen=True)
class MinistryForms:
    name: str
    nominative: str
    dative: str
    genitive: str
    abbreviation: str
    signature_lines: tuple[str, ...]


def ministry_forms(name: str) -> MinistryForms:
    name = name.strip()
    abbreviation = MINISTRY_ABBREVIATIONS.get(name) or "HM" + "".join(
        w[0] for w in re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]+", name.split(" für ", 1)[-1])
    )
    prefix = "Hessisches Ministerium "
    if name.startswith(prefix):
        rest = name[len(prefix):]
        lines = ("Hessisches Ministerium", *textwrap.wrap(rest, 28, break_on_hyphens=False))
        return MinistryForms(name, f"das Hessische Ministerium {rest}", f"dem Hessischen Ministerium {rest}",
                             f"des Hessischen Ministeriums {rest}", abbreviation, lines)
    return MinistryForms(name, f"das {name}", f"dem {name}", f"des {name}", abbreviation,
                         tuple(textwrap.wrap(name, 28, break_on_hyphens=False)))


def format_euro(cents: int) -> str:
    """1011410_00 -> '1.011.410'; cents only when there are some ('1.011.410,50')."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError("money is integer cents")
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    text = f"{euros:,}".replace(",", ".")
    return f"{sign}{text},{rest:02d}" if rest else f"{sign}{text}"


def format_budget(cents: int, budget_format: str | TextStyle = "euro_suffix") -> str:
    """The § 4 amount as printed; 'split' gives two lines joined by '\\n'."""
    fmt = budget_format.budget_format if isinstance(budget_format, TextStyle) else budget_format
    amount = format_euro(cents)
    if fmt in ("euro_suffix", "inline"):
        return f"{amount} Euro"
    if fmt == "cents_symbol":
        euros, rest = divmod(abs(cents), 100)
        return f"{'-' if cents < 0 else ''}{format_euro(euros * 100)},{rest:02d} €"
    if fmt == "eur_prefix":
        return f"EUR {amount}"
    if fmt == "split":
        return f"{amount}\nEuro"
    raise ValueError(f"unknown budget format {fmt!r}")


def format_date(value: date, long: bool = False) -> str:
    if long:
        return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
    return f"{value.day}.{value.month}.{value.year}"


def initials(name: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s-]+", name) if part and part[0].isupper())


def running_header(spec: AgreementSpec, partner: Partner) -> str:
    return f"Zielvereinbarung AQB {spec.year} – {partner.official_name}"


def page_footer(page: int, total: int) -> str:
    return f"Seite {page} von {total}"

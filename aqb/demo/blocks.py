"""The demo document model shared by the three writers: an agreement as a list of typed blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from aqb.errors import AqbError
from aqb.model import AgreementSpec, SignatureSpec
from aqb.reference import Partner, load_measure_types, load_partners
from aqb.demo.styles import DEMO_NOTICE, LONG_MEASURE_NAMES
from aqb.demo.wording import _cap, format_budget, format_date, initials, ministry_forms, partner_forms


# Document model shared by all three writers


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit. ``text`` may hold ``**bold**`` spans; ``tight`` = no gap after."""

    kind: str  # notice, title, heading, subheading, para, amount, measure, item, sigplace, sigmark, sigline
    text: str
    number: int = 0  # Maßnahmenart code for "measure" and "item"
    tight: bool = False
    signed: date | None = None  # for "sigplace": text is the place, the date is formatted per output

    def place_and_date(self, long_dates: bool = False) -> str:
        return f"{self.text}, den {format_date(self.signed, long_dates)}"


def partner_for(spec: AgreementSpec, reference_dir: Path) -> Partner:
    rows = [p for p in load_partners(Path(reference_dir)) if p.ags == spec.partner_ags]
    if not rows:
        raise AqbError(f"Gebietskörperschaft {spec.partner_ags} ist in den Referenzdaten unbekannt.")
    in_year = [p for p in rows if p.is_partner_in(spec.year)]
    return (in_year or rows)[0]


def _measure_names(reference_dir: Path) -> dict[int, str]:
    names = {t.code: t.name for t in load_measure_types(Path(reference_dir))}
    names.update(LONG_MEASURE_NAMES)
    return names


def _buendnis_period(year: int) -> str:
    # The Hessian "Bündnis Ausbildung" runs in five-year periods (2015–2019, 2020–2024, 2025–2029).
    start = 2015 + 5 * ((year - 2015) // 5)
    return f"{start} bis {start + 4}"


def build_blocks(spec: AgreementSpec, reference_dir: Path, budget_format: str = "euro_suffix") -> list[Block]:
    """The agreement as a list of blocks, in the wording of the real Zielvereinbarung."""
    partner = partner_for(spec, reference_dir)
    p = partner_forms(partner.official_name, partner.kind)
    m = ministry_forms(spec.ministry_name)
    y = spec.year
    abbr = m.abbreviation
    measure_names = _measure_names(reference_dir)
    unknown = sorted({code for code, _ in spec.projects} - set(measure_names))
    if unknown:
        raise AqbError(f"Unbekannte Maßnahmenart(en) {unknown} in der Zielvereinbarung {y} {spec.partner_ags}.")

    b: list[Block] = []
    if spec.is_demo:
        b.append(Block("notice", DEMO_NOTICE))
    b += [
        Block("title", "Zielvereinbarung"),
        Block("title", str(y)),
        Block("title", "zwischen"),
        Block("title", m.dative),
        Block("title", f"und {p.dative}"),
        Block("title", "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets"),
        Block("subheading", "Präambel"),
        Block("para",
              "Erfolgreiche Arbeitsmarktpolitik bindet die regionalen Akteure des Arbeitsmarktes in eine gemeinsame, "
              "auf die Zukunftsanforderungen fokussierte Strategie ein. "
              f"Dafür will {m.nominative} ({abbr}) regionale Handlungs- und Entscheidungsspielräume eröffnen und "
              "vereinbart dazu Ziele mit den Kreisen und kreisfreien Städten. Bei allen Maßnahmen und Angeboten, die "
              f"über das Ausbildungs- und Qualifizierungsbudget umgesetzt werden, orientiert sich das {abbr} an den "
              "landespolitischen Zielsetzungen der Arbeitsmarktpolitik, dem „Bündnis für Ausbildung für die Jahre "
              f"{_buendnis_period(y)}“, dem Fachkonzept „Arbeitswelt Hessen“ des {abbr} sowie an der regionalen "
              f"Arbeitsmarkt- und Ausbildungsstrategie {p.genitive}. Die Maßnahmen sind grundsätzlich genderadäquat, "
              "ohne Altersbegrenzungen und inklusiv angelegt und überdies den Leitlinien der "
              "UN-Behindertenrechtskonvention verpflichtet."),
        Block("heading", "§ 1"),
        Block("heading", "Ausbildungs- und Qualifizierungsbudget"),
        Block("subheading", "Ziele des Landes"),
        Block("para",
              f"Das {abbr} verfolgt mit dem Ausbildungs- und Qualifizierungsbudget {y} das Ziel, die "
              "Ausbildungsfähigkeit von benachteiligten Menschen zu steigern, ihre Beschäftigungsfähigkeit zu "
              "sichern, ihnen Ausbildungsabschlüsse zu ermöglichen und sie durch längerfristige, flexible und "
              "arbeitsmarktnahe Qualifizierung zu einer eigenständigen Existenzsicherung zu befähigen. Der flexible "
              "und ganzheitliche Handlungsansatz des Budgets bietet den Kreisen und kreisfreien Städten die "
              "Möglichkeit, bedarfsorientierte berufliche und qualifikatorische Angebote für unterschiedliche "
              "Zielgruppen auf Basis der regional entwickelten Arbeitsmarkt- und Ausbildungsstrategie umzusetzen. "
              "Menschen mit ihren jeweiligen Bedürfnissen und Herausforderungen ernst zu nehmen und bei ihrem Weg in "
              f"Ausbildung und Beschäftigung zu unterstützen, betrachtet das {abbr} als zentralen Baustein für eine "
              "erfolgversprechende und nachhaltige Integration in unsere Gesellschaft."),
        Block("para",
              f"Bei der Erreichung dieses Ziels setzt das {abbr} auf einen rechtskreisübergreifenden Förderansatz in "
              "den hessischen Kreisen und kreisfreien Städten. Nur wenn die einzelnen Rechtskreise SGB II, III, VIII, "
              "XII und AsylbLG sinnvoll zusammenwirken, alle Zielgruppen – inklusive der sog. Stillen Reserve – und "
              "weitere regionale Akteure aus Arbeitsmarkt und Wirtschaft potenziell einbezogen sind, können "
              "Unterstützungsstrukturen geschaffen werden, die ein selbstbestimmtes Leben auch in herausfordernden "
              "Lebenslagen ermöglichen."),
        Block("para",
              "Dem Land Hessen ist es wichtig, Menschen mit familiensorgenden Tätigkeiten einen vollqualifizierenden "
              "Berufsabschluss zu ermöglichen. Daher werden spezifisch Mittel für Maßnahmen zur Ermöglichung von "
              "Teilzeitausbildungen bereitgestellt. Über die im Rahmen des ESF Hessen geförderte „Servicestelle "
              f"Teilzeit-Ausbildung“ unterstützt das {abbr} die Zusammenarbeit aller regionalen Akteure am Übergang "
              "Schule-Beruf."),
        Block("para",
              "Schwerpunkte im Ausbildungs- und Qualifizierungsbudget sind Maßnahmen zur Ausbildungs- und "
              "Qualifizierungsvorbereitung, zu Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen, "
              "Qualifizierungsprojekte zur Arbeitsmarktintegration und Fachkräftesicherung sowie Weiterbildungen für "
              "Fachpersonal der Gebietskörperschaften mit Bezug zu Teilnehmenden des AQB."),
        Block("heading", "§ 2"),
        Block("heading", "Verpflichtungen der Vereinbarungspartner"),
        Block("para",
              f"{_cap(m.nominative)} und {p.nominative} setzen die ihnen zur Verfügung stehenden Kompetenzen dafür "
              "ein, dass die in § 5 vereinbarten Ziele erreicht werden. Die Entscheidung über den Mitteleinsatz "
              f"erfolgt im Kontext der {p.von} bereits erarbeiteten und regelmäßig zu aktualisierenden regionalen "
              "Ausbildungs- und Arbeitsmarktstrategie, die mit den regionalen Akteuren der Rechtskreise SGB II, III, "
              "VIII, XII und AsylbLG, der Wirtschaft und – für den Bereich des Übergangs von der Schule in den "
              "Beruf – mit den regionalen OloV-Steuerungsgruppen abgestimmt ist."),
        Block("para",
              f"Im Jahr {y} werden im Rahmen des AQB erneut Landesmittel für spezifische Angebote zur Integration "
              "von Menschen mit Migrationshintergrund zur Verfügung gestellt. Die geförderten Angebote sind durch "
              "eine hohe Individualität und Vielfalt gekennzeichnet."),
        Block("heading", "§ 3"),
        Block("heading", "Umsetzung der UN-Behindertenrechtskonvention"),
        Block("para",
              f"Die Integration in das Erwerbsleben stellt aus der Sicht {m.genitive} eine der vordringlichsten "
              "Maßnahmen zur Förderung der Teilhabe von Menschen mit Behinderungen dar. Auch angesichts der "
              "demografischen Entwicklung und eines damit verbundenen aktuellen und zukünftigen "
              "Fachkräftemangels kommt der nachhaltigen Förderung von Maßnahmen zur Integration von Menschen mit "
              "Behinderungen in den Arbeitsprozess eine große Bedeutung zu."),
        Block("heading", "§ 4"),
        Block("heading", "Haushaltsmittel und Eckdaten"),
    ]
    lead = f"Das {abbr} stellt {p.dative} im Jahr {y} Haushaltsmittel in Höhe von insgesamt"
    tail = f"aus dem Ausbildungs- und Qualifizierungsbudget {y} zur Verfügung."
    if budget_format == "inline":
        b.append(Block("para", f"{lead} {format_budget(spec.budget_cents, 'inline')} {tail}"))
    else:
        amount_lines = format_budget(spec.budget_cents, budget_format).split("\n")
        b.append(Block("para", lead))
        for i, line in enumerate(amount_lines):
            b.append(Block("amount", line, tight=i < len(amount_lines) - 1))
        b.append(Block("para", tail))
    b += [
        Block("heading", "§ 5"),
        Block("heading", f"Ziele für die Umsetzung {p.genitive}"),
        Block("para",
              f"{_cap(p.nominative)} finanziert mit den Mitteln des **Ausbildungs- und Qualifizierungsbudgets "
              f"{y}** in den jeweiligen Maßnahmenarten folgende Projekte:"),
    ]
    list_blocks: list[Block] = []
    for code in sorted(measure_names):
        list_blocks.append(Block("measure", measure_names[code], number=code, tight=True))
        list_blocks += [Block("item", name, number=code, tight=True) for c, name in spec.projects if c == code]
    list_blocks[-1] = Block(list_blocks[-1].kind, list_blocks[-1].text, list_blocks[-1].number, tight=False)
    b += list_blocks
    b += [
        Block("para",
              f"Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach "
              f"Antragstellung durch {p.accusative} vom Regierungspräsidium Kassel erlassenen – Bescheides."),
        Block("heading", "§ 6 **Zielsteuerung**"),
        Block("para",
              f"{_cap(p.nominative)} und das {abbr} bleiben über die Entwicklung des Budgets {y} im engen "
              "Austausch. Dazu wird unter anderem eine Umsetzungsbesprechung im Herbst angesetzt."),
        Block("para",
              "Unterjährige Abweichungen von den in § 4 genannten Haushaltsmitteln und Eckdaten werden bei der "
              "Beurteilung der Zielerreichung berücksichtigt."),
        Block("heading", "§ 7 **Kontinuierlicher Verbesserungsprozess**"),
        Block("para",
              f"{_cap(p.nominative)} beteiligt sich an Umfragen und Tagungen des {abbr} mit dem Ziel, Erfahrungen "
              "auszutauschen, gute Praxis zu identifizieren und neue Impulse für die regionale Arbeitsmarkt- und "
              "Ausbildungspolitik zu setzen."),
        Block("para",
              f"Die Zielvereinbarungen werden auf dem Internetportal des {abbr} „Arbeitswelt Hessen“ veröffentlicht."),
    ]
    for index, sig in enumerate(spec.signatures):
        institution = m.signature_lines if index == 0 else p.signature_lines
        b += _signature_blocks(sig, institution, ministry_side=index == 0)
    return b


def _signature_blocks(sig: SignatureSpec, institution: tuple[str, ...], ministry_side: bool) -> list[Block]:
    # The scan shows the minister's written-out name but only the partner's initials.
    mark = sig.name if ministry_side else initials(sig.name)
    lines = [sig.name, sig.role, *institution]
    return [
        Block("sigplace", sig.place, signed=sig.signed_date),
        Block("sigmark", mark),
        *[Block("sigline", line, tight=i < len(lines) - 1) for i, line in enumerate(lines)],
    ]

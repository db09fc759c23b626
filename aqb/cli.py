"""The `aqb` command line: a thin face over the library; errors become one German line."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from aqb.store import snapshots
from aqb.errors import AqbError, DocumentRefused

EXAMPLES = {
    "parse": "aqb parse data/agreements/zielvereinbarung_2025_offenbach_am_main.txt --json",
    "ingest": "aqb ingest data/agreements/ neue_vereinbarung.pdf",
    "build": "aqb build            # Bestand aus data/ (Vereinbarungen, Referenzdaten, Demodaten)",
    "demo": "aqb demo --out /tmp/demo   # Demokorpus schreiben (ohne einzulesen: --no-ingest)",
    "list": "aqb list --year 2025",
    "export": "aqb export --format csv --out exports/",
    "snapshots": "aqb snapshots",
    "rollback": "aqb rollback",
    "diff": "aqb diff              # voriger gegen aktuellen Snapshot; oder: aqb diff 12 14",
    "check": "aqb check            # Datenprüfungen (Schlüssel, Codes, Zuordnungen) auf dem Bestand",
    "briefing": 'aqb briefing --year 2025 --all --out unterlagen/   # oder --partner 06413 / "Offenbach am Main"',
    "template": "aqb template umsetzung --year 2025 --out umsetzung_2025.xlsx",
    "import-umsetzung": "aqb import-umsetzung umsetzung_2025.xlsx",
    "slides": "aqb slides --year 2025 --out aqb_2025.pptx --official",
    "publish": "aqb publish zielvereinbarung_2025_offenbach_am_main.txt --date 2025-09-01 --url https://…",
    "confirm": "aqb confirm zielvereinbarung_2025_offenbach_scan.pdf --by anna",
    "hash-password": "aqb hash-password < passwort.txt   # ohne Umleitung: Passwort verdeckt eingeben",
    "open-data": "aqb open-data --out offene_daten/ --base-url https://daten.example.de/aqb/",
}


def _settings():
    from aqb.settings import Settings

    return Settings.from_env()


def agreement_json(agreement) -> dict:
    """The JSON shape of `aqb parse --json` (budget also as exact cents)."""
    return {
        "file": agreement.file_name,
        "sha256": agreement.sha256,
        "format": agreement.file_format,
        "year": agreement.agreement_year,
        "district": {"ags": agreement.partner_ags, "name": agreement.partner_name, "kind": agreement.partner_kind},
        "budget_eur": agreement.budget_cents / 100,
        "budget_cents": agreement.budget_cents,
        "ministry": agreement.ministry_name,
        "status": agreement.status,
        "is_demo": agreement.is_demo,
        "document_kind": agreement.document_kind,
        "amendment": agreement.amendment_label,
        "is_ocr": agreement.is_ocr,
        "budget_lines": [
            {"programme": b.programme, "role": b.role, "amount_cents": b.amount_cents,
             "is_part_of_budget": b.is_part_of_budget, "source": dataclasses.asdict(b.source)}
            for b in agreement.budget_lines
        ],
        "projects": [
            {"category": p.measure_type_code, "name": p.name, "position": p.position,
             "amount_cents": p.amount_cents, "provider": p.provider, "source": dataclasses.asdict(p.source)}
            for p in agreement.projects
        ],
        "signatures": [
            {"side": s.side, "place": s.place, "date": s.signed_date.isoformat() if s.signed_date else None,
             "name": s.name, "role": s.role, "source": dataclasses.asdict(s.source)}
            for s in agreement.signatures
        ],
        "sources": {k: dataclasses.asdict(v) for k, v in agreement.sources.items()},
        "confidence": {k: dataclasses.asdict(v) for k, v in agreement.confidence.items()},
        "blocking": list(agreement.blocking),
        "warnings": list(agreement.warnings),
        "parser_version": agreement.parser_version,
    }


def cmd_parse(args) -> int:
    from aqb.ingest.parser import parse_file
    from aqb.fmt import euro_from_cents

    settings = _settings()
    agreement = parse_file(Path(args.file), settings.reference_dir, settings.max_file_bytes)
    if args.json:
        print(json.dumps(agreement_json(agreement), ensure_ascii=False, indent=2))
        return 0
    print(f"{agreement.file_name}: {agreement.partner_name} ({agreement.partner_ags}) {agreement.agreement_year}"
          + (f" – {agreement.amendment_label}" if agreement.amendment_label else ""))
    print(f"  Budget: {euro_from_cents(agreement.budget_cents) if agreement.has_budget else 'unverändert'}"
          f"   Status: {agreement.status}" + ("   DEMODATEN" if agreement.is_demo else "")
          + ("   per Texterkennung gelesen" if agreement.is_ocr else ""))
    if len(agreement.budget_lines) > 1:
        for b in agreement.budget_lines:
            print(f"    {b.programme} ({b.role}): {euro_from_cents(b.amount_cents)}")
    for p in agreement.projects:
        extra = "".join(f" – {x}" for x in (p.provider, euro_from_cents(p.amount_cents) if p.amount_cents else None) if x)
        print(f"  [{p.measure_type_code}] {p.name}{extra}")
    for s in agreement.signatures:
        print(f"  {s.side}: {s.place}, {s.signed_date} – {s.name} ({s.role})")
    for w in agreement.warnings:
        print(f"  Warnung: {w}", file=sys.stderr)
    for w in agreement.blocking:
        print(f"  Zu prüfen (aqb ingest lehnt ab): {w}", file=sys.stderr)
    return 0


def _print_report(report) -> int:
    demo_warnings = 0
    for outcome in report.outcomes:
        stream = sys.stderr if outcome.outcome == "abgelehnt" else sys.stdout
        print(f"{outcome.outcome:>12}  {outcome.file_name}: {outcome.message}", file=stream)
        if outcome.agreement is not None and outcome.outcome in ("neu", "ersetzt"):
            if outcome.agreement.is_demo:
                demo_warnings += len(outcome.agreement.warnings)
                continue
            for w in outcome.agreement.warnings:
                print(f"{'Warnung':>12}  {outcome.file_name}: {w}", file=sys.stderr)
    if demo_warnings:
        print(f"{demo_warnings} Warnungen in Demodokumenten (siehe Dashboard „Daten & Quellen“).")
    print(f"Zusammenfassung: {report.summary()}" + (f" – Snapshot {report.snapshot.name}" if report.snapshot else ""))
    return 1 if report.refused else 0


def cmd_ingest(args) -> int:
    from aqb.store.write import ingest_paths

    settings = _settings()
    report = ingest_paths([Path(p) for p in args.paths], settings, force_demo=args.demo)
    return _print_report(report)


def cmd_build(args) -> int:
    from aqb.build import build_store

    settings = _settings()
    report = build_store(settings, fresh=args.fresh, with_demo=settings.demo_enabled and not args.no_demo)
    return _print_report(report)


def cmd_demo(args) -> int:
    from aqb.build import write_demo

    settings = _settings()
    out = Path(args.out) if args.out else settings.demo_dir
    files = write_demo(out, settings)
    print(f"{len(files)} Demodokumente in {out} geschrieben (DEMODATEN – nicht amtlich).")
    if args.no_ingest:
        return 0
    from aqb.store.write import ingest_paths

    return _print_report(ingest_paths([out], settings, force_demo=True))


def cmd_list(args) -> int:
    from aqb.fmt import euro_from_cents
    from aqb.store.queries import run_query
    from aqb.store.write import open_reader

    settings = _settings()
    con = open_reader(settings)
    if con is None:
        print("Noch kein Bestand: `aqb build` baut ihn aus data/.")
        return 0
    frame = run_query(con, "agreements_export", include_demo=not args.official)
    if args.year:
        frame = frame[frame["agreement_year"] == args.year]
    for row in frame.itertuples():
        mark = "  DEMO" if row.is_demo else ""
        print(f"{row.agreement_year}  {row.partner_ags}  {row.partner_name:<24} {euro_from_cents(row.budget_cents):>14}"
              f"  {row.project_count:>2} Projekte  {row.status:<13}{mark}")
    print(f"{len(frame)} Vereinbarungen, Summe {euro_from_cents(int(frame['budget_cents'].sum()))}"
          f" – Snapshot {snapshots.current_snapshot(settings).name}")
    return 0


def cmd_export(args) -> int:
    from aqb.present.export import export_store
    from aqb.store.write import open_reader

    settings = _settings()
    con = open_reader(settings)
    if con is None:
        raise AqbError("Noch kein Bestand zum Exportieren: zuerst `aqb build`.")
    files = export_store(con, Path(args.out), args.format, include_demo=not args.official, machine=args.roh)
    for f in files:
        print(f)
    return 0


def cmd_snapshots(args) -> int:
    settings = _settings()
    current = snapshots.current_snapshot(settings)
    for snap in snapshots.list_snapshots(settings):
        print(("* " if snap == current else "  ") + snap.name)
    return 0


def cmd_check(args) -> int:
    from aqb.fmt import count
    from aqb.store.checks import run_checks, run_warnings
    from aqb.store.write import open_reader

    settings = _settings()
    con = open_reader(settings)
    if con is None:
        raise AqbError("Noch kein Bestand: zuerst `aqb build`.")
    failures = run_checks(con)
    for name, rows in failures.items():
        print(f"verletzt: {name} ({len(rows)} Zeilen), z. B. {rows[:3]}", file=sys.stderr)
    warnings = run_warnings(con, settings.reference_dir)
    for line in warnings:  # worth fixing in data/reference/, but no inconsistency: the exit code stays 0
        print(f"Hinweis: {line}")
    print(("Alle Datenprüfungen bestanden" if not failures else f"{len(failures)} Datenprüfungen verletzt")
          + (f", {count(len(warnings), 'Hinweis', 'Hinweise')}." if warnings else "."))
    return 1 if failures else 0


def cmd_diff(args) -> int:
    from aqb.store import diff

    settings = _settings()
    before, after = diff.resolve(settings, args.snapshot_a, args.snapshot_b)
    print("\n".join(diff.compare(settings, before, after).lines()))
    return 0


def cmd_rollback(args) -> int:
    old, new = snapshots.rollback(_settings())
    print(f"Bestand zurückgesetzt: {old.name} → {new.name}")
    return 0


def cmd_publish(args) -> int:
    from datetime import date

    from aqb.store.write import publish

    try:
        published = date.fromisoformat(args.date)
    except ValueError:
        raise AqbError(f"--date {args.date!r} ist kein Datum (JJJJ-MM-TT).") from None
    report = publish(_settings(), Path(args.file_name).name, published, args.url or "")
    return _print_report(report)


def cmd_confirm(args) -> int:
    from aqb.store.confirmations import confirm_ocr

    print(f"{Path(args.file_name).name}: {confirm_ocr(_settings(), Path(args.file_name).name, args.by)}")
    return 0


def cmd_hash_password(args) -> int:
    import getpass

    from aqb.app.auth import MIN_PASSWORD_CHARS, hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Passwort: ")
        if getpass.getpass("Passwort wiederholen: ") != password:
            raise AqbError("Die beiden Eingaben stimmen nicht überein.")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AqbError(f"Passwort zu kurz: mindestens {MIN_PASSWORD_CHARS} Zeichen.")
    print(hash_password(password))
    return 0


def _reader(settings):
    from aqb.store.write import open_reader

    con = open_reader(settings)
    if con is None:
        raise AqbError("Noch kein Bestand: zuerst `aqb build`.")
    return con


def cmd_briefing(args) -> int:
    from aqb.analysis.briefing import partner_keys
    from aqb.present.briefing_files import write_briefings
    from aqb.store.umsetzung_import import find_partner

    settings = _settings()
    con = _reader(settings)
    if args.all:
        keys = partner_keys(con, args.year)
    else:
        keys = [find_partner(settings.reference_dir, args.partner, args.year).ags]
    formats = ("pdf", "pptx") if args.format == "both" else (args.format,)
    files = write_briefings(con, args.year, keys, Path(args.out), formats=formats,
                            include_demo=settings.demo_enabled and not args.official, with_overview=args.all)
    for f in files:
        print(f)
    print(f"{len(files)} Datei{'en' if len(files) != 1 else ''} für {len(keys)} Gebietskörperschaft(en) geschrieben.")
    return 0


def cmd_template(args) -> int:
    from aqb.store.umsetzung_import import find_partner
    from aqb.present.umsetzung_template import template_bytes

    settings = _settings()
    con = _reader(settings)
    ags = find_partner(settings.reference_dir, args.partner, args.year).ags if args.partner else ""
    data = template_bytes(con, args.year, partner_ags=ags, include_demo=settings.demo_enabled and not args.official)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"Vorlage Umsetzungsstand {args.year} geschrieben: {out}")
    return 0


def cmd_import_umsetzung(args) -> int:
    from aqb.ingest.umsetzung_sheet import SheetRefused
    from aqb.store.umsetzung_import import import_file

    try:
        report = import_file(Path(args.file), _settings(), expected_year=args.year)
    except SheetRefused as exc:
        print(f"Abgelehnt: {exc}", file=sys.stderr)
        return 1
    for o in report.outcomes:
        print(f"{o.outcome:>12}  {o.message}")
    print(f"Zusammenfassung: {report.summary()}" + (f" – Snapshot {report.snapshot.name}" if report.snapshot else ""))
    return 0


def _stand(con) -> str:
    from aqb.fmt import stand
    from aqb.store.queries import run_query

    return stand(run_query(con, "store_status").iloc[0]["built_at"])


def cmd_slides(args) -> int:
    from aqb.present.slides import ImageRenderer, deck_bytes
    from aqb.store.umsetzung_import import find_partner
    from aqb.analysis.catalogue import DEFAULT_DECK, VIEW_SPECS, build_view, for_meeting, parse_view_ids

    settings = _settings()
    con = _reader(settings)
    include_demo = settings.demo_enabled and not args.official
    ids = parse_view_ids(args.charts) if args.charts else list(DEFAULT_DECK)
    partner = find_partner(settings.reference_dir, args.partner, args.year).ags if args.partner else None
    needs = [s.view_id for s in VIEW_SPECS if s.needs_partner and s.view_id in ids]
    if needs and not partner:
        raise AqbError(f"Ansicht(en) {', '.join(needs)} brauchen --partner.")
    views = [build_view(con, i, year=args.year, include_demo=include_demo, partner_ags=partner) for i in ids]
    views = for_meeting(con, views, year=args.year, include_demo=include_demo)  # no empty or one-bar slides
    try:
        data = deck_bytes(views, title=f"Ausbildungs- und Qualifizierungsbudget Hessen {args.year}",
                          subtitle="nur amtliche Quellen" if not include_demo else "mit gekennzeichneten Demodaten",
                          stand=_stand(con))
    finally:
        ImageRenderer.stop()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out}: {len(views) + 1} Folien (16:9).")
    return 0


def cmd_open_data(args) -> int:
    from aqb.present.open_data import write_open_data

    report = write_open_data(_settings(), Path(args.out), base_url=args.base_url or "", publisher=args.publisher)
    for f in report.files:
        print(f)
    print(report.summary())
    return 0


class GermanHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help layout with German headings ("Aufruf:")."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="Aufruf: " if prefix is None else prefix)


# argparse's own messages (Python 3.11) in German; anything not listed is shown as argparse wrote it.
ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"Diese Angaben fehlen: \1"),
    (r"unrecognized arguments: (.*)", r"Unbekannte Angaben: \1"),
    (r"argument (.*?): invalid choice: (.*) \(choose from (.*)\)", r"Angabe \1: ungültige Wahl \2 (möglich: \3)"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"Angabe \1: ungültiger Wert \3"),
    (r"argument (.*?): expected one argument", r"Angabe \1: erwartet einen Wert"),
    (r"argument (.*?): expected at least one argument", r"Angabe \1: erwartet mindestens einen Wert"),
    (r"argument (.*?): not allowed with argument (.*)", r"Angabe \1: nicht zusammen mit \2"),
    (r"one of the arguments (.*) is required", r"Eine dieser Angaben ist nötig: \1"),
    (r"ambiguous option: (.*) could match (.*)", r"Mehrdeutige Option \1 (passt zu \2)"),
)


class GermanArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and error messages are German (argparse itself speaks only English)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", GermanHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "Argumente"
        self._optionals.title = "Optionen"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="diese Hilfe zeigen und beenden")

    def error(self, message: str):
        import re

        for pattern, german in ARGPARSE_MESSAGES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, german, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Fehler: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = GermanArgumentParser(
        prog="aqb",
        description="AQB-Dashboard: Zielvereinbarungen einlesen, speichern, exportieren.",
        epilog="Beispiele:\n  " + "\n  ".join(EXAMPLES.values()),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL", title="Befehle")

    def add(name, help_text, func):
        p = sub.add_parser(name, help=help_text, description=help_text, epilog="Beispiel:\n  " + EXAMPLES[name])
        p.set_defaults(func=func)
        return p

    p = add("parse", "Ein Dokument lesen und die erkannten Werte zeigen.", cmd_parse)
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="ein JSON-Objekt auf stdout")
    p = add("ingest", "Dateien/Ordner in den Bestand übernehmen (neuer Snapshot).", cmd_ingest)
    p.add_argument("paths", nargs="+")
    p.add_argument("--demo", action="store_true", help="als Demodaten kennzeichnen")
    p = add("build", "Bestand aus data/ aufbauen: Referenzdaten, Vereinbarungen, Demodaten.", cmd_build)
    p.add_argument("--fresh", action="store_true", help="von leerem Bestand aus neu aufbauen")
    p.add_argument("--no-demo", action="store_true", help="ohne Demodaten")
    p = add("demo", "Demokorpus (Dokumente aller 26 Partner, 2019–2025) schreiben und einlesen.", cmd_demo)
    p.add_argument("--out", help="Zielordner (Standard: data/demo)")
    p.add_argument("--no-ingest", action="store_true")
    p = add("list", "Vereinbarungen im Bestand auflisten.", cmd_list)
    p.add_argument("--year", type=int)
    p.add_argument("--official", action="store_true", help="nur amtliche Quellen (ohne Demodaten)")
    p = add("export", "Bestand exportieren (CSV mit ; und BOM, XLSX, Parquet). CSV und XLSX tragen die deutschen "
            "Spaltennamen und Werte des Dashboards (Beträge gerundet wie angezeigt, exakte Cent in eigener Spalte, "
            "Erläuterung jeder Spalte in spalten.csv bzw. im Blatt „Spalten“); Parquet ist immer die "
            "Maschinenform.", cmd_export)
    p.add_argument("--format", choices=["csv", "xlsx", "parquet"], required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--official", action="store_true", help="nur amtliche Quellen (ohne Demodaten)")
    p.add_argument("--roh", action="store_true",
                   help="Maschinenform für Skripte: interne Spaltennamen (budget_cents, …) und Codes (continued, True)")
    add("snapshots", "Snapshots des Bestands zeigen (* = aktuell).", cmd_snapshots)
    add("rollback", "Auf den vorigen Snapshot zurückschalten.", cmd_rollback)
    p = add("diff", "Was sich zwischen zwei Snapshots geändert hat (Vereinbarungen, Umsetzungsstand, Protokoll).",
            cmd_diff)
    p.add_argument("snapshot_a", nargs="?", metavar="SNAPSHOT_A", help="früherer Snapshot (Standard: der vorige)")
    p.add_argument("snapshot_b", nargs="?", metavar="SNAPSHOT_B", help="späterer Snapshot (Standard: der aktuelle)")
    add("check", "Datenprüfungen auf dem aktuellen Bestand ausführen; Hinweise zu fehlenden Einwohner-Stichtagen "
        "und veralteten Projekt-Aliassen.", cmd_check)
    p = add("publish", "Vereinbarung als veröffentlicht eintragen (veroeffentlichungen.csv) und Status übernehmen.",
            cmd_publish)
    p.add_argument("file_name", metavar="DATEINAME", help="Dateiname der Vereinbarung im Bestand (source_file)")
    p.add_argument("--date", required=True, help="Tag der Veröffentlichung, JJJJ-MM-TT")
    p.add_argument("--url", help="wo sie veröffentlicht ist")
    p = add("confirm", "Per Texterkennung gelesene Vereinbarung nach Prüfung als bestätigt eintragen (zählt dann amtlich).",
            cmd_confirm)
    p.add_argument("file_name", metavar="DATEINAME", help="Dateiname der Vereinbarung im Bestand (source_file)")
    p.add_argument("--by", required=True, help="Name der prüfenden Person (Protokoll)")
    add("hash-password", "Passwort-Hash für einen Mitarbeiterzugang ausgeben (AQB_STAFF_USERS oder secrets.toml).",
        cmd_hash_password)
    p = add("briefing", "Gesprächsunterlage(n) für die Umsetzungsbesprechung als PDF/PPTX schreiben.", cmd_briefing)
    p.add_argument("--year", type=int, required=True)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--all", action="store_true", help="alle Gebietskörperschaften, dazu eine Übersicht")
    who.add_argument("--partner", help="AGS oder Name, z. B. 06413 oder \"Offenbach am Main\"")
    p.add_argument("--format", choices=["pdf", "pptx", "both"], default="both")
    p.add_argument("--out", required=True, help="Zielordner")
    p.add_argument("--official", action="store_true", help="nur amtliche Quellen (ohne Demodaten)")
    p = add("template", "Vorlage (XLSX) für den Umsetzungsstand schreiben, Projekte vorausgefüllt.", cmd_template)
    p.add_argument("kind", choices=["umsetzung"])
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--partner", help="nur diese Gebietskörperschaft (AGS oder Name)")
    p.add_argument("--out", required=True, help="Zieldatei .xlsx")
    p.add_argument("--official", action="store_true", help="nur amtliche Vereinbarungen")
    p = add("import-umsetzung", "Umsetzungsstand (XLSX) prüfen und ganz oder gar nicht übernehmen.",
            cmd_import_umsetzung)
    p.add_argument("file")
    p.add_argument("--year", type=int, help="nur Zeilen dieses Jahres zulassen")
    p = add("slides", "Foliensatz (16:9 PPTX) aus Diagrammen und Ansichten schreiben.", cmd_slides)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--charts", help="Ansichten, kommagetrennt (Standard: gesamt,rangfolge,pro_kopf,mix,abfluss,heatmap)")
    p.add_argument("--partner", help="Gebietskörperschaft für die Ansicht „entwicklung“")
    p.add_argument("--official", action="store_true", help="nur amtliche Quellen (ohne Demodaten)")
    p = add("open-data", "Offene Daten schreiben: veröffentlichte Vereinbarungen als CSV/Parquet mit datapackage.json "
            "und DCAT-AP.de (ohne Entwürfe und Demodaten).", cmd_open_data)
    p.add_argument("--out", required=True, help="Zielordner (leer oder ein früheres Paket; wird ganz ersetzt)")
    p.add_argument("--base-url", help="Adresse, unter der die Dateien bereitstehen (für die DCAT-Distributionen)")
    p.add_argument("--publisher", help="herausgebende Stelle (Standard: das Ministerium aus den Vereinbarungen)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DocumentRefused as exc:
        print(f"Abgelehnt: {exc}", file=sys.stderr)
        return 1
    except AqbError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if not (isinstance(exc, OSError) or type(exc).__module__.startswith(("duckdb", "_duckdb"))):
            raise
        # Disk full, no permission, a corrupt file: one German line, the detail for the operator's log.
        import logging

        from aqb.errors import operational_message

        logging.getLogger("aqb").error("Betriebsfehler: %r", exc)
        print(f"Fehler: {operational_message(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""Staff upload: parse each file in isolation, show every value beside its source, then write what was kept."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath, PureWindowsPath

import pandas as pd

from aqb.errors import AqbError, DocumentRefused
from aqb.fmt import euro_from_cents, german_date
from aqb.model import ParsedAgreement, SourceRef
from aqb.ingest.sandbox import parse_isolated
from aqb.settings import Settings
from aqb.store import inbox
from aqb.store.write import REFUSED, FileOutcome, IngestReport, open_reader, write_agreements

MAX_UPLOAD_FILES = 20
MAX_NAME_CHARS = 120
DISCARDED = "verworfen"
REVIEW_COLUMNS = ["Feld", "Wert", "Sicherheit", "Seite", "Zeile", "Fundstelle im Dokument"]
OCR_MARK = "per Texterkennung gelesen"
_SIDES = {"ministry": "Ministerium", "partner": "Partner"}


@dataclass(frozen=True)
class ReviewItem:
    """One uploaded file after parsing: the agreement and its review rows, or why it was refused."""

    file_name: str
    sha256: str
    byte_size: int
    agreement: ParsedAgreement | None
    refusal: str | None
    rows: tuple[tuple[str, str, str, int | None, int | None, str], ...] = ()
    warnings: tuple[str, ...] = ()
    store_note: str = ""  # what confirming would do to the store
    data: bytes = field(default=b"", repr=False)

    @property
    def ok(self) -> bool:
        return self.agreement is not None

    @property
    def needs_check(self) -> tuple[str, ...]:
        """Why staff must tick that they looked at the values before this file can be kept:
        cross-checks that do not hold, and OCR (a scan counts as official only once confirmed)."""
        if self.agreement is None:
            return ()
        reasons = list(self.agreement.blocking)
        if self.agreement.is_ocr:
            reasons.append(f"Alle Werte wurden {OCR_MARK} und müssen mit dem Dokument verglichen werden.")
        return tuple(reasons)

    def frame(self) -> pd.DataFrame:
        """Every extracted value next to the page, line and sentence it was read from."""
        return pd.DataFrame(list(self.rows), columns=REVIEW_COLUMNS).astype({"Seite": "Int64", "Zeile": "Int64"})


def safe_file_name(name: str) -> str:
    """The last path part of a browser-supplied name, without control characters, at most 120 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"\s+", " ", base).strip().lstrip(".")
    if len(base) > MAX_NAME_CHARS:
        stem, dot, suffix = base.rpartition(".")
        keep_suffix = dot and len(suffix) <= 5
        base = stem[: MAX_NAME_CHARS - len(suffix) - 1] + dot + suffix if keep_suffix else base[:MAX_NAME_CHARS]
    return base or "ohne_namen"


def _row(label: str, value: str, source: SourceRef | None, sure: str = "sicher"):
    if source is None:
        return (label, value, sure, None, None, "")
    return (label, value, sure, source.page, source.line, source.snippet)


def _sureness(a: ParsedAgreement, field_name: str) -> str:
    c = a.confidence.get(field_name)
    if c is None:
        return "zu prüfen – per Texterkennung gelesen" if a.is_ocr else "sicher"
    return c.level + (f" – {c.reason}" if c.reason else "")


def review_rows(a: ParsedAgreement) -> tuple[tuple[str, str, str, int | None, int | None, str], ...]:
    """(Feld, Wert, Sicherheit, Seite, Zeile, Fundstelle) for every value the parser extracted."""
    kind = "Zielvereinbarung" if a.document_kind == "zielvereinbarung" else (a.amendment_label or "Änderung")
    rows = [
        _row("Dokumentart", kind, None),
        _row("Jahr", str(a.agreement_year), a.sources.get("year"), _sureness(a, "year")),
        _row("Partner", f"{a.partner_name} ({a.partner_ags}, {a.partner_kind})", a.sources.get("partner"),
             _sureness(a, "partner")),
    ]
    if a.has_budget:
        rows.append(_row("Budget", euro_from_cents(a.budget_cents, with_cents=True), a.sources.get("budget"),
                         _sureness(a, "budget")))
    for b in a.budget_lines:
        rows.append(_row(f"Haushaltszeile {b.programme} ({b.role})", euro_from_cents(b.amount_cents, with_cents=True),
                         b.source, _sureness(a, "budget")))
    rows.append(_row("Ministerium", a.ministry_name or "–", a.sources.get("ministry"), _sureness(a, "ministry")))
    last = max((s for s in a.signatures if s.signed_date), key=lambda s: s.signed_date, default=None)
    status = a.status + (f" am {german_date(a.status_date)}" if a.status_date else "")
    rows.append(_row("Status", status, last.source if last else None))
    if a.is_demo:
        rows.append(_row("Demodaten", "ja – nicht amtlich", None))
    for p in a.projects:
        extra = "".join(f" – {x}" for x in (p.provider, euro_from_cents(p.amount_cents) if p.amount_cents is not None else None) if x)
        rows.append(_row(f"Projekt {p.position} (Maßnahmenart {p.measure_type_code})", p.name + extra, p.source,
                         _sureness(a, "projects")))
    for s in a.signatures:
        who = ", ".join(x for x in (s.name, s.role) if x) or "ohne Namen"
        rows.append(_row(f"Unterschrift {_SIDES.get(s.side, s.side)}",
                         f"{s.place or '–'}, {german_date(s.signed_date)} – {who}", s.source,
                         _sureness(a, f"signed_date_{s.side}")))
    return tuple(rows)


def review_uploads(files: list[tuple[str, bytes]], settings: Settings, *, timeout_s: float | None = None) -> list[ReviewItem]:
    """Parse each (name, bytes) in a sandboxed child process into a ReviewItem (nothing is written).

    Limits follow from each file's size (aqb.ingest.sandbox.limits_for) unless ``timeout_s`` is given.
    Raises AqbError when more than MAX_UPLOAD_FILES files come at once.
    """
    if len(files) > MAX_UPLOAD_FILES:
        raise AqbError(f"Zu viele Dateien auf einmal ({len(files)}): höchstens {MAX_UPLOAD_FILES} je Upload.")
    items: list[ReviewItem] = []
    seen: dict[str, str] = {}
    for raw_name, data in files:
        name = safe_file_name(raw_name)
        sha = hashlib.sha256(data).hexdigest()
        base = {"file_name": name, "sha256": sha, "byte_size": len(data), "data": data}
        if sha in seen:
            duplicate = f"dieselbe Datei wie {seen[sha]} in diesem Upload."
            items.append(ReviewItem(**base, agreement=None, refusal=duplicate))
            continue
        seen[sha] = name
        try:
            agreement = parse_isolated(name, data, settings.reference_dir, settings.max_file_bytes, timeout_s=timeout_s)
        except DocumentRefused as exc:
            items.append(ReviewItem(**base, agreement=None, refusal=exc.reason))
            continue
        items.append(ReviewItem(**base, agreement=agreement, refusal=None, rows=review_rows(agreement),
                                warnings=agreement.warnings))
    return _with_store_notes(items, settings)


def _with_store_notes(items: list[ReviewItem], settings: Settings) -> list[ReviewItem]:
    """Say per file whether confirming adds, replaces or changes nothing (read-only look at the store)."""
    con = open_reader(settings)
    if con is None:
        return [_note(i, "neu (noch kein Bestand)") if i.ok else i for i in items]
    try:
        out = []
        for item in items:
            if not item.ok:
                out.append(item)
                continue
            a = item.agreement
            known = con.execute(
                "select source_file from agreements where agreement_id = $id"
                " union all select source_file from agreements_history where agreement_id = $id",
                {"id": a.sha256},
            ).fetchall()
            current = con.execute(
                "select source_file, budget_cents, is_demo from agreements"
                " where partner_ags = $ags and agreement_year = $year",
                {"ags": a.partner_ags, "year": a.agreement_year},
            ).fetchone()
            if known:
                note = f"bereits im Bestand (als {known[0][0]}) – ändert nichts."
            elif current is None:
                note = f"neu: {a.partner_name} {a.agreement_year}."
            elif a.is_demo and not current[2]:
                note = "wird übersprungen: eine amtliche Vereinbarung ist vorhanden, Demodaten ersetzen sie nicht."
            else:
                note = (f"ersetzt {current[0]} ({euro_from_cents(current[1])}); "
                        "die bisherige Fassung bleibt in der Historie.")
            out.append(_note(item, note))
        return out
    finally:
        con.close()


def _note(item: ReviewItem, note: str) -> ReviewItem:
    return replace(item, store_note=note)


def confirm(
    items_to_keep: list[ReviewItem], actor: str, settings: Settings, *, discarded: list[ReviewItem] = (),
    checked: frozenset[str] | set[str] = frozenset(),
) -> IngestReport:
    """Write the kept agreements in one new snapshot; log kept, refused and discarded files as ``actor``.

    A kept item with ``needs_check`` must have its SHA-256 in ``checked`` (staff ticked that they
    looked at the values marked „zu prüfen“); it is then stored as confirmed by ``actor``.
    Raises AqbError without a staff name or with an unticked item; refused items passed as kept
    are logged as refused.
    """
    if not actor or not actor.strip():
        raise AqbError("Übernehmen nur mit angemeldetem Namen (für das Protokoll).")
    unticked = [i.file_name for i in items_to_keep if i.ok and i.needs_check and i.sha256 not in checked]
    if unticked:
        raise AqbError(
            f"{', '.join(unticked)}: Werte sind als „zu prüfen“ markiert – erst nach dem Häkchen "
            "„Werte im Dokument nachgesehen“ übernehmen."
        )
    kept = [_confirmed(i, actor.strip()) for i in items_to_keep if i.ok]
    inbox.keep(settings, inbox.AGREEMENTS, [(i.file_name, i.data) for i in kept])  # before the store: a rebuild restores it
    outcomes = [FileOutcome(i.file_name, REFUSED, i.refusal or "") for i in [*items_to_keep, *discarded] if not i.ok]
    outcomes += [FileOutcome(i.file_name, DISCARDED, "bei der Prüfung verworfen.") for i in discarded if i.ok]
    return write_agreements(
        [i.agreement for i in kept], settings, refused=outcomes, documents={i.sha256: i.data for i in kept},
        actor=actor.strip(), persist_log=True,
    )


def _confirmed(item: ReviewItem, actor: str) -> ReviewItem:
    if not item.needs_check:
        return item
    a = item.agreement
    # The reasons stay with the stored version, so the check remains visible after confirming.
    kept = replace(a, confirmed_by=actor, warnings=a.warnings + tuple(f"geprüft ({actor}): {r}" for r in item.needs_check))
    return replace(item, agreement=kept)


def report_frame(report: IngestReport) -> pd.DataFrame:
    """The outcome of confirm() per file, for display."""
    return pd.DataFrame(
        [(o.file_name, o.outcome, o.message) for o in report.outcomes], columns=["Datei", "Ergebnis", "Meldung"]
    )

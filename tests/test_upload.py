"""Staff upload: review every value beside its source, confirm into the store, audit log; the pages."""

from __future__ import annotations

import io
import textwrap

import docx
import duckdb
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from streamlit.testing.v1 import AppTest

from aqb.app import auth
from aqb.store import snapshots
from aqb.errors import AqbError
from aqb.settings import PROJECT_ROOT, Settings
from aqb.store.write import open_reader
from aqb.store.upload import MAX_UPLOAD_FILES, confirm, report_frame, review_uploads, safe_file_name

PASSWORD = "korrekt-pferd-batterie"
_SOURCE_ROWS = [
    ("Jahr", "2025", 1, 7, "2025"),
    ("Partner", "Offenbach am Main (06413, kreisfreie Stadt)", 1, 13, "und der Stadt Offenbach am Main"),
    ("Budget", "1.011.410,00 €", 1, 57, "Das HMSI stellt der Stadt Offenbach am Main im Jahr 2025 Haushaltsmittel in "
     "Höhe von insgesamt 1.011.410 Euro aus dem Ausbildungs- und Qualifizierungsbudget 2025 zur Verfügung."),
    ("Ministerium", "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales", 1, 11,
     "dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales"),
    ("Status", "unterzeichnet am 11.8.2025", 1, 105, "Offenbach am Main, den 11.8.2025"),
    ("Projekt 1 (Maßnahmenart 1)", "Berufsvorbereitung Elektro", 1, 68, "- Berufsvorbereitung Elektro"),
    ("Projekt 2 (Maßnahmenart 2)", "BaE Teilzeit", 1, 70, "- BaE Teilzeit"),
    ("Projekt 3 (Maßnahmenart 2)", "Coaching und Unterrichtshilfen (CUBA)", 1, 71,
     "- Coaching und Unterrichtshilfen (CUBA)"),
    ("Projekt 4 (Maßnahmenart 3)", "Jobcoach", 1, 73, "- Jobcoach"),
    ("Projekt 5 (Maßnahmenart 3)", "Interkulturelle Gruppe", 1, 74, "- Interkulturelle Gruppe"),
    ("Projekt 6 (Maßnahmenart 3)", "Coaching von jungen Wohnungssuchenden", 1, 75,
     "- Coaching von jungen Wohnungssuchenden"),
    ("Projekt 7 (Maßnahmenart 3)", "Fallmanagement für Erziehende", 1, 76, "- Fallmanagement für Erziehende"),
    ("Projekt 8 (Maßnahmenart 3)",
     "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen", 1, 77,
     "- Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen"),
    ("Projekt 9 (Maßnahmenart 4)", "Schulungen für Mitarbeiter/innen", 1, 79, "- Schulungen für Mitarbeiter/innen"),
    ("Unterschrift Ministerium", "Wiesbaden, 6.8.2025 – Heike Hofmann, Staatsministerin", 1, 95,
     "Wiesbaden, den 6.8.2025"),
    ("Unterschrift Partner", "Offenbach am Main, 11.8.2025 – Martin Wilhelm, Stadtrat/Stadtkämmerer", 1, 105,
     "Offenbach am Main, den 11.8.2025"),
]
# (Feld, Wert, Sicherheit, Seite, Zeile, Fundstelle): every value of the seed is "sicher".
SEED_ROWS = (
    [("Dokumentart", "Zielvereinbarung", "sicher", None, None, "")]
    + [(f, v, "sicher", p, ln, snip) for f, v, p, ln, snip in _SOURCE_ROWS[:3]]
    + [("Haushaltszeile AQB (gesamt)", "1.011.410,00 €", "sicher", *_SOURCE_ROWS[2][2:])]
    + [(f, v, "sicher", p, ln, snip) for f, v, p, ln, snip in _SOURCE_ROWS[3:]]
)


def seed_pdf(text: str) -> bytes:
    """The agreement as a text PDF: one drawn line per line, wrapped at 95 characters."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    y = 800
    for paragraph in text.split("\n"):
        for line in textwrap.wrap(paragraph, 95) or [""]:
            if y < 60:
                page.showPage()
                y = 800
            page.setFont("Helvetica", 9)
            page.drawString(40 + 6 * (len(line) - len(line.lstrip())), y, line.strip())
            y -= 12
    page.save()
    return buffer.getvalue()


def seed_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def log_rows(settings):
    con = open_reader(settings)
    try:
        return con.execute("select actor, source_file, outcome, message from ingest_log order by source_file").fetchall()
    finally:
        con.close()


def test_review_shows_every_value_beside_its_source(settings, seed_text):
    [item] = review_uploads([("zv.txt", seed_text.encode())], settings)
    assert (item.ok, item.refusal, item.warnings, item.store_note) == (True, None, (), "neu (noch kein Bestand)")
    assert list(item.rows) == SEED_ROWS
    assert item.frame().columns.tolist() == ["Feld", "Wert", "Sicherheit", "Seite", "Zeile", "Fundstelle im Dokument"]
    assert snapshots.current_snapshot(settings) is None  # reviewing writes nothing


def test_review_of_real_formats_and_refusals(settings, seed_text):
    amended = seed_text.replace("1.011.410 Euro", "1.050.000 Euro").replace("11.8.2025", "20.9.2025")
    items = review_uploads([
        ("zv.pdf", seed_pdf(seed_text)),
        ("zv_aenderung.docx", seed_docx(amended)),
        ("kaputt.pdf", b"%PDF-1.7\n kaputt"),
        ("zv_kopie.pdf", seed_pdf(seed_text)),
        ("bild.png", b"\x89PNG"),
    ], settings)
    assert [(i.file_name, i.ok, i.refusal) for i in items] == [
        ("zv.pdf", True, None),
        ("zv_aenderung.docx", True, None),
        ("kaputt.pdf", False, "PDF nicht lesbar (beschädigt oder kein gültiges PDF)."),
        ("zv_kopie.pdf", False, "dieselbe Datei wie zv.pdf in diesem Upload."),
        ("bild.png", False, "Dateityp „.png“ wird nicht unterstützt (erlaubt: PDF, DOCX, TXT, MD)."),
    ]
    pdf, word = items[0].agreement, items[1].agreement
    assert (pdf.file_format, pdf.page_count, pdf.budget_cents, len(pdf.projects)) == ("pdf", 3, 101141000, 9)
    assert (word.file_format, word.budget_cents, word.status_date.isoformat()) == ("docx", 105000000, "2025-09-20")


def test_confirm_writes_kept_files_and_audits_every_decision(settings, seed_text):
    other = seed_text.replace("der Stadt Offenbach am Main", "dem Kreis Offenbach")
    items = review_uploads([
        ("zv.txt", seed_text.encode()), ("kreis.txt", other.encode()), ("leer.txt", b"  "),
    ], settings)
    report = confirm([items[0]], "anna", settings, discarded=[items[1], items[2]])
    assert report_frame(report).values.tolist() == [
        ["leer.txt", "abgelehnt", "Datei ist leer."],
        ["kreis.txt", "verworfen", "bei der Prüfung verworfen."],
        ["zv.txt", "neu", "Offenbach am Main 2025: 1.011.410 €, 9 Projekte."],
    ]
    con = open_reader(settings)
    try:
        assert con.execute("select partner_ags, source_file from agreements").fetchall() == [("06413", "zv.txt")]
        assert con.execute("select content from source_documents").fetchall() == [(seed_text.encode(),)]
    finally:
        con.close()
    assert log_rows(settings) == [
        ("anna", "kreis.txt", "verworfen", "bei der Prüfung verworfen."),
        ("anna", "leer.txt", "abgelehnt", "Datei ist leer."),
        ("anna", "zv.txt", "neu", "Offenbach am Main 2025: 1.011.410 €, 9 Projekte."),
    ]

    # A second upload: the review says what confirming would do, and a refusal alone is still audited.
    amended = seed_text.replace("1.011.410 Euro", "1.050.000 Euro").replace("11.8.2025", "20.9.2025")
    again = review_uploads([("zv.txt", seed_text.encode()), ("neu.txt", amended.encode()), ("x.pdf", b"x")], settings)
    assert [i.store_note for i in again] == [
        "bereits im Bestand (als zv.txt) – ändert nichts.",
        "ersetzt zv.txt (1.011.410 €); die bisherige Fassung bleibt in der Historie.",
        "",
    ]
    before = snapshots.current_snapshot(settings)
    confirm([], "bert", settings, discarded=[again[2]])
    assert snapshots.current_snapshot(settings) != before
    assert ("bert", "x.pdf", "abgelehnt", "Endung .pdf, aber der Inhalt ist keine PDF-Datei.") in log_rows(settings)


def test_confirm_needs_a_name(settings, seed_text):
    items = review_uploads([("zv.txt", seed_text.encode())], settings)
    with pytest.raises(AqbError, match="nur mit angemeldetem Namen"):
        confirm(items, " ", settings)
    assert snapshots.current_snapshot(settings) is None


def test_upload_count_limit(settings):
    with pytest.raises(AqbError) as caught:
        review_uploads([(f"{n}.txt", b"x") for n in range(MAX_UPLOAD_FILES + 1)], settings)
    assert str(caught.value) == "Zu viele Dateien auf einmal (21): höchstens 20 je Upload."


@pytest.mark.parametrize(("raw", "safe"), [
    ("zv.pdf", "zv.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\anna\\zv 2025.docx", "zv 2025.docx"),
    ("zv\x00\x1b[31m.txt", "zv[31m.txt"),
    (".versteckt.txt", "versteckt.txt"),
    ("", "ohne_namen"),
    ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
])
def test_safe_file_name(raw, safe):
    assert safe_file_name(raw) == safe


# -- the pages -----------------------------------------------------------------------------------

def page(name: str) -> AppTest:
    return AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=60)


@pytest.fixture
def staff_env(data_dir, monkeypatch):
    monkeypatch.setenv("AQB_STAFF_USERS", f"anna:{auth.hash_password(PASSWORD, iterations=auth.MIN_ITERATIONS)}")
    return data_dir


def log_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="staff_name").input("anna")
    at.text_input(key="staff_password").input(password)
    return at.button(key="staff_login_submit").click().run()


@pytest.mark.parametrize("name", ["upload.py", "audit.py"])
def test_staff_pages_are_off_without_logins(data_dir, monkeypatch, name):
    monkeypatch.delenv("AQB_STAFF_USERS", raising=False)
    at = page(name).run()
    assert not at.exception
    assert [i.value for i in at.info] == [auth.HOW_TO_ENABLE]
    assert not at.file_uploader and not at.text_input


@pytest.mark.parametrize("name", ["upload.py", "audit.py"])
def test_staff_pages_are_off_in_public_mode(staff_env, monkeypatch, name):
    monkeypatch.setenv("AQB_PUBLIC", "1")
    at = page(name).run()
    assert [i.value for i in at.info] == [auth.PUBLIC_MODE_OFF]
    assert not at.file_uploader and not at.text_input


def test_upload_page_refuses_without_login(staff_env):
    at = page("upload.py").run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Nur für Mitarbeiterinnen und Mitarbeiter: bitte anmelden."]
    assert not at.file_uploader
    log_in(at, "falsch-falsch-falsch")
    assert [e.value for e in at.error] == ["Anmeldung fehlgeschlagen: Name oder Passwort stimmt nicht."]
    assert not at.file_uploader


def test_upload_page_review_confirm_and_audit(staff_env, seed_text):
    at = log_in(page("upload.py").run())
    assert [c.value for c in at.caption] == ["Angemeldet als anna"]
    at.file_uploader[0].set_value([
        ("zv.txt", seed_text.encode(), "text/plain"), ("**fett**.pdf", b"kein pdf", "application/pdf"),
    ]).run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["zv\\.txt", "\\*\\*fett\\*\\*\\.pdf"]
    assert [t.value for t in at.text] == [
        "Beim Übernehmen: neu (noch kein Bestand)", "Endung .pdf, aber der Inhalt ist keine PDF-Datei."
    ]
    review = at.dataframe[0].value
    assert review["Wert"].tolist() == [row[1] for row in SEED_ROWS]
    assert review["Fundstelle im Dokument"].tolist() == [row[5] for row in SEED_ROWS]

    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Gespeichert: 1 neu, 0 ersetzt, 0 unverändert, 0 übersprungen, 1 abgelehnt."]
    settings = Settings.from_env()
    assert log_rows(settings) == [
        ("anna", "**fett**.pdf", "abgelehnt", "Endung .pdf, aber der Inhalt ist keine PDF-Datei."),
        ("anna", "zv.txt", "neu", "Offenbach am Main 2025: 1.011.410 €, 9 Projekte."),
    ]

    audit = page("audit.py")
    audit.session_state["aqb_staff_user"] = "anna"
    audit.run()
    assert not audit.exception
    assert audit.dataframe[0].value[["actor", "source_file", "outcome"]].values.tolist() == [
        ["anna", "**fett**.pdf", "abgelehnt"], ["anna", "zv.txt", "neu"],
    ]


def test_upload_page_discard_writes_nothing_but_the_log(staff_env, seed_text):
    at = log_in(page("upload.py").run())
    at.file_uploader[0].set_value(("zv.txt", seed_text.encode(), "text/plain")).run()
    at.radio(key="decide_0_0").set_value("verwerfen")
    at.button(key="upload_confirm").click().run()
    settings = Settings.from_env()
    assert log_rows(settings) == [("anna", "zv.txt", "verworfen", "bei der Prüfung verworfen.")]
    con = open_reader(settings)
    try:
        assert con.execute("select count(*) from agreements").fetchall() == [(0,)]
    finally:
        con.close()


def test_logins_from_streamlit_secrets(data_dir, monkeypatch):
    monkeypatch.delenv("AQB_STAFF_USERS", raising=False)
    at = page("audit.py")
    at.secrets["staff_users"] = {"cora": auth.hash_password(PASSWORD, iterations=auth.MIN_ITERATIONS)}
    at.run()
    at.text_input(key="staff_name").input("cora")
    at.text_input(key="staff_password").input(PASSWORD)
    at.button(key="staff_login_submit").click().run()
    assert not at.exception
    assert [c.value for c in at.caption] == ["Angemeldet als cora"]
    assert [i.value for i in at.info] == ["Noch keine Einträge im Protokoll."]


def test_a_value_that_does_not_hold_is_zu_pruefen_and_needs_the_tick(settings, seed_text):
    wrong_year = seed_text.replace("im Jahr 2025 Haushaltsmittel", "im Jahr 2024 Haushaltsmittel")
    [item] = review_uploads([("zv.txt", wrong_year.encode())], settings)
    assert item.needs_check == ("Jahr im Titel (2025) und in § 4 (2024) unterscheiden sich.",)
    assert [r[2] for r in item.rows if r[0] == "Jahr"] == [
        "zu prüfen – Jahr im Titel (2025) und in § 4 (2024) unterscheiden sich."]
    with pytest.raises(AqbError) as info:
        confirm([item], "anna", settings)
    assert str(info.value) == ("zv.txt: Werte sind als „zu prüfen“ markiert – erst nach dem Häkchen "
                               "„Werte im Dokument nachgesehen“ übernehmen.")
    assert snapshots.current_snapshot(settings) is None  # nothing written
    confirm([item], "anna", settings, checked={item.sha256})
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        assert con.execute("select confirmed_by, warnings from agreements").fetchall() == [
            ("anna", ["geprüft (anna): Jahr im Titel (2025) und in § 4 (2024) unterscheiden sich."])]
    finally:
        con.close()

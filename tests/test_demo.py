"""The seeded demo corpus: plausible, deterministic, consistent with published figures."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from aqb.demo.corpus import generate_specs, manifest_entry, write_demo_corpus
from aqb.demo.projects import REAL_2025_OFFENBACH_PROJECTS
from aqb.demo.signatories import LAST_NAMES
from aqb.errors import AqbError
from aqb.reference import load_partners
from aqb.demo.styles import DEMO_NOTICE

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "data" / "reference"
YEARS = range(2019, 2026)
EURO = 100


@pytest.fixture(scope="module")
def specs():
    return generate_specs(REF)


@pytest.fixture(scope="module")
def partners():
    return {p.ags: p for p in load_partners(REF)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("demo")
    first = write_demo_corpus(base / "one", REF)
    write_demo_corpus(base / "two", REF)
    return base, first


def test_one_spec_per_partner_and_year(specs):
    assert len(specs) == 182
    assert Counter(s.year for s in specs) == {y: 26 for y in YEARS}
    assert len({(s.year, s.partner_ags) for s in specs}) == 182
    assert all(s.is_demo for s in specs)


def test_deterministic(specs):
    assert generate_specs(REF) == specs
    assert generate_specs(REF, seed=7) != specs


def test_statewide_sum_and_bounds(specs, partners):
    for year in YEARS:
        total = sum(s.budget_cents for s in specs if s.year == year)
        assert 25_000_000 * EURO <= total <= 30_000_000 * EURO, year
    for s in specs:
        assert 300_000 * EURO <= s.budget_cents <= 3_000_000 * EURO, (s.year, s.partner_ags)
        assert s.budget_cents % (10 * EURO) == 0
    round_hundreds = sum(1 for s in specs if s.budget_cents % (100 * EURO) == 0)
    assert round_hundreds >= 0.85 * len(specs)


def test_cities_get_more_per_inhabitant(specs, partners):
    for year in YEARS:
        per_head = {}
        for kind in ("kreisfreie Stadt", "Landkreis"):
            rows = [s for s in specs if s.year == year and partners[s.partner_ags].kind == kind]
            per_head[kind] = sum(s.budget_cents for s in rows) / sum(partners[s.partner_ags].population for s in rows)
        assert per_head["kreisfreie Stadt"] > per_head["Landkreis"], year


def test_year_to_year_changes_mostly_small(specs):
    series = defaultdict(dict)
    for s in specs:
        series[s.partner_ags][s.year] = s.budget_cents
    changes = [
        by_year[y] / by_year[y - 1] - 1 for by_year in series.values() for y in YEARS if y - 1 in by_year
    ]
    assert len(changes) == 26 * 6
    assert sum(abs(c) <= 0.10 for c in changes) >= 0.8 * len(changes)


def test_published_figures_honoured(specs):
    by_key = {(s.partner_ags, s.year): s.budget_cents for s in specs}
    checked = 0
    with (REF / "published_amounts.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["ags"], int(row["year"]))
            if row["programme"] != "AQB" or key not in by_key:
                continue
            published = int(row["amount_eur"]) * EURO
            if row["precision"] == "exakt":
                assert by_key[key] == published, key
            else:
                assert abs(by_key[key] - published) <= 0.03 * published, key
            checked += 1
    assert checked == 4
    assert by_key[("06440", 2024)] == 1_140_300 * EURO
    assert by_key[("06413", 2020)] == 1_056_700 * EURO
    assert by_key[("06413", 2025)] == 1_011_410 * EURO


def test_projects(specs):
    codes = Counter()
    empty_type = 0
    for s in specs:
        assert 3 <= len(s.projects) <= 12
        assert len({name for _, name in s.projects}) == len(s.projects)
        assert [c for c, _ in s.projects] == sorted(c for c, _ in s.projects)
        assert {c for c, _ in s.projects} <= {1, 2, 3, 4}
        codes.update(c for c, _ in s.projects)
        empty_type += len({1, 2, 3, 4} - {c for c, _ in s.projects}) > 0
    assert codes.most_common()[0][0] == 3 and codes.most_common()[-1][0] == 4
    assert empty_type > 0
    assert len({name for s in specs for _, name in s.projects}) >= 60


def test_projects_continue_year_to_year(specs):
    by_key = {(s.partner_ags, s.year): {name for _, name in s.projects} for s in specs}
    kept = total = 0
    for (ags, year), names in by_key.items():
        if (ags, year + 1) in by_key:
            kept += len(names & by_key[(ags, year + 1)])
            total += len(names)
    assert 0.6 <= kept / total < 1.0


def test_offenbach_continuity_with_the_real_agreement(specs):
    offenbach = {s.year: s for s in specs if s.partner_ags == "06413"}
    assert offenbach[2025].projects == REAL_2025_OFFENBACH_PROJECTS
    real = set(REAL_2025_OFFENBACH_PROJECTS)
    assert len(real & set(offenbach[2024].projects)) >= 6


def test_signatures(specs, partners):
    signers = defaultdict(set)
    for s in specs:
        ministry, partner = s.signatures
        expected = ("Max Mustermann", "Staatsminister") if s.year <= 2023 else ("Erika Mustermann", "Staatsministerin")
        assert (ministry.place, ministry.name, ministry.role) == ("Wiesbaden", *expected)
        if s.year <= 2023:
            assert s.ministry_name == "Hessisches Ministerium für Soziales und Integration"
        else:
            assert s.ministry_name == "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
        assert partner.place == partners[s.partner_ags].seat
        for sig in s.signatures:
            assert date(s.year, 3, 1) <= sig.signed_date <= date(s.year, 9, 30)
        assert abs((partner.signed_date - ministry.signed_date).days) <= 21
        signers[s.partner_ags].add(partner.name)
    assert all(1 <= len(names) <= 4 for names in signers.values())
    firsts = sum(s.signatures[0].signed_date <= s.signatures[1].signed_date for s in specs)
    assert firsts >= 0.8 * len(specs)


# Office holders who signed real AQB agreements (ministers since 2014, Offenbach's 2025 signatory).
REAL_OFFICE_HOLDERS = {"Stefan Grüttner", "Kai Klose", "Heike Hofmann", "Martin Wilhelm"}


def test_demo_signatories_are_clearly_fictitious(specs):
    names = {sig.name for s in specs for sig in s.signatures}
    assert not names & REAL_OFFICE_HOLDERS
    surnames = {name.split()[-1] for name in names}
    assert surnames <= set(LAST_NAMES) | {"Mustermann"}
    assert {s.signatures[0].name for s in specs} == {"Max Mustermann", "Erika Mustermann"}


def test_corpus_files_and_manifest(corpus, specs):
    base, written = corpus
    one, two = base / "one", base / "two"
    assert (one / "manifest.json").read_bytes() == (two / "manifest.json").read_bytes()
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    for name in names:  # text, PDF and DOCX alike
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    formats = Counter(name.rsplit(".", 1)[1] for name in names if name != "manifest.json")
    assert formats == {"txt": 146, "pdf": 18, "docx": 18}
    manifest = json.loads((one / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest) == sorted(n for n in names if n != "manifest.json")
    assert [spec for _, spec in written] == specs
    for path, spec in written:
        assert path.parent == one and path.exists()
        assert path.name == f"zielvereinbarung_{spec.year}_{spec.partner_ags}_demo.{path.suffix[1:]}"
        assert manifest[path.name] == manifest_entry(spec, path.suffix[1:])
    offenbach_2025 = next(p for p, s in written if (s.partner_ags, s.year) == ("06413", 2025))
    sample = manifest[offenbach_2025.name]
    assert sample["budget_cents"] == 101_141_000
    assert sample["signatures"][0] == {
        "side": "ministry", "place": "Wiesbaden", "date": "2025-08-06", "name": "Erika Mustermann", "role": "Staatsministerin",
    }
    text_file = next(p for p, _ in written if p.suffix == ".txt")
    assert text_file.read_text(encoding="utf-8").split("\n")[0] == DEMO_NOTICE


def test_corpus_replaces_only_its_own_folder(corpus, tmp_path):
    base, _ = corpus
    before = sorted(p.name for p in base.iterdir())
    write_demo_corpus(base / "one", REF)
    assert sorted(p.name for p in base.iterdir()) == before  # no staging or retired folders left
    foreign = tmp_path / "mixed"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(AqbError):
        write_demo_corpus(foreign, REF)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]

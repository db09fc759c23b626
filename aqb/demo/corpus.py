"""Seeded demo corpus: plausible Zielvereinbarungen for every partner and year, written as documents."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from aqb.errors import AqbError
from aqb.model import AgreementSpec, SignatureSpec
from aqb.reference import partners_in
from aqb.demo.docx_writer import write_docx
from aqb.demo.pdf_writer import write_pdf
from aqb.demo.text_writer import write_text
from aqb.demo.budgets import demo_budgets
from aqb.demo.projects import project_lists
from aqb.demo.seeds import DEFAULT_SEED, DEFAULT_YEARS, seeded_rng
from aqb.demo.signatories import MINISTRY_PLACE, ministry_for_year, signers_by_year, signing_dates


MANIFEST_NAME = "manifest.json"


FILE_NAME_RE = re.compile(r"^zielvereinbarung_\d{4}_\d{5}_demo\.(?:txt|pdf|docx)$")


PDF_SHARE = DOCX_SHARE = 0.10


def generate_specs(reference_dir: Path, years=DEFAULT_YEARS, seed: int = DEFAULT_SEED) -> list[AgreementSpec]:
    """One demo AgreementSpec per partner and year, ordered by year then AGS; same seed, same list."""
    reference_dir = Path(reference_dir)
    years = sorted(set(int(y) for y in years))
    if not years:
        return []
    budgets = demo_budgets(reference_dir, years, seed)
    specs: list[AgreementSpec] = []
    per_partner: dict[str, tuple[dict, dict]] = {}
    for partner in sorted({p.ags: p for y in years for p in partners_in(reference_dir, y)}.values(),
                          key=lambda p: p.ags):
        active = [y for y in years if partner.is_partner_in(y)]
        per_partner[partner.ags] = (project_lists(partner.ags, active, seed), signers_by_year(partner, active, seed))
    for year in years:
        ministry_name, minister, minister_role = ministry_for_year(year)
        for partner in sorted(partners_in(reference_dir, year), key=lambda p: p.ags):
            projects, signers = per_partner[partner.ags]
            ministry_date, partner_date = signing_dates(partner.ags, year, seed)
            name, role = signers[year]
            specs.append(AgreementSpec(
                year=year,
                partner_ags=partner.ags,
                budget_cents=budgets[(partner.ags, year)],
                ministry_name=ministry_name,
                projects=projects[year],
                signatures=(
                    SignatureSpec(MINISTRY_PLACE, ministry_date, minister, minister_role),
                    SignatureSpec(partner.seat, partner_date, name, role),
                ),
                is_demo=True,
            ))
    return specs


def file_name(spec: AgreementSpec, ext: str) -> str:
    return f"zielvereinbarung_{spec.year}_{spec.partner_ags}_demo.{ext}"


def manifest_entry(spec: AgreementSpec, file_format: str) -> dict:
    """What the document is meant to say, in JSON types (dates ISO, money in cents)."""
    sides = ("ministry", "partner")
    return {
        "year": spec.year,
        "ags": spec.partner_ags,
        "format": file_format,
        "budget_cents": spec.budget_cents,
        "ministry_name": spec.ministry_name,
        "projects": [[code, name] for code, name in spec.projects],
        "signatures": [
            {"side": sides[i] if i < 2 else "other", "place": s.place, "date": s.signed_date.isoformat(),
             "name": s.name, "role": s.role}
            for i, s in enumerate(spec.signatures)
        ],
        "is_demo": spec.is_demo,
    }


def _formats(count: int, seed: int) -> list[str]:
    rng = seeded_rng(seed, "formats")
    n_pdf, n_docx = round(count * PDF_SHARE), round(count * DOCX_SHARE)
    chosen = rng.sample(range(count), n_pdf + n_docx)
    formats = ["txt"] * count
    for i in chosen[:n_pdf]:
        formats[i] = "pdf"
    for i in chosen[n_pdf:]:
        formats[i] = "docx"
    return formats


def _check_replaceable(out_dir: Path) -> None:
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise AqbError(f"{out_dir} ist kein Ordner; der Demo-Bestand braucht einen eigenen Ordner.")
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name != MANIFEST_NAME and not FILE_NAME_RE.match(p.name))
    if foreign:
        raise AqbError(f"{out_dir} enthält fremde Dateien ({', '.join(foreign[:3])}); "
                       "der Demo-Bestand ersetzt nur einen eigenen Ordner.")


def write_demo_corpus(out_dir: Path, reference_dir: Path, seed: int = DEFAULT_SEED) -> list[tuple[Path, AgreementSpec]]:
    """Write all demo documents and manifest.json into ``out_dir``, replacing it as a whole.

    The corpus is built in a temporary sibling folder and swapped in by rename, so readers see
    either the old or the new corpus, never a half-written one.
    """
    out_dir = Path(out_dir).absolute()
    reference_dir = Path(reference_dir)
    _check_replaceable(out_dir)
    specs = generate_specs(reference_dir, seed=seed)
    formats = _formats(len(specs), seed)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    written: list[tuple[Path, AgreementSpec]] = []
    try:
        manifest: dict[str, dict] = {}
        for spec, fmt in zip(specs, formats):
            name = file_name(spec, fmt)
            target = staging / name
            if fmt == "pdf":
                write_pdf(spec, target, reference_dir)
            elif fmt == "docx":
                write_docx(spec, target, reference_dir)
            else:
                write_text(spec, target, reference_dir)
            manifest[name] = manifest_entry(spec, fmt)
            written.append((out_dir / name, spec))
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        (staging / MANIFEST_NAME).write_text(text, encoding="utf-8", newline="\n")
        os.chmod(staging, 0o755)  # mkdtemp makes it private; the corpus is meant to be read
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _swap_in(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()
    os.rename(out_dir, retired)
    try:
        os.rename(staging, out_dir)
    except OSError:
        os.rename(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from aqb.settings import PROJECT_ROOT

    parser = argparse.ArgumentParser(prog="python -m aqb.demo.corpus", description="Demo-Zielvereinbarungen erzeugen.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--reference", type=Path, default=PROJECT_ROOT / "data" / "reference")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    try:
        written = write_demo_corpus(args.out_dir, args.reference, seed=args.seed)
    except AqbError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    print(f"{len(written)} Demo-Dokumente in {args.out_dir} geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

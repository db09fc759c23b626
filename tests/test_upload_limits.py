"""Upload limits: one size limit in MiB for widget and backend, sandbox limits from size and load (issue 10, 8 and 11)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from aqb.errors import DocumentRefused
from aqb.ingest import sandbox
from aqb.settings import MIB, PROJECT_ROOT
from aqb.store.upload import review_uploads

SEED = PROJECT_ROOT / "data" / "agreements" / "zielvereinbarung_2025_offenbach_am_main.txt"
FILLER = "Die Vertragsparteien arbeiten im Rahmen dieser Vereinbarung vertrauensvoll zusammen und informieren einander.\n"


def padded_agreement(byte_size: int) -> bytes:
    """The real agreement with neutral sentences before § 6 up to about ``byte_size`` bytes (still valid)."""
    seed = SEED.read_text(encoding="utf-8")
    head, sep, tail = seed.partition("§ 6")
    repeat = (byte_size - len(seed.encode())) // len(FILLER.encode())
    return (head + FILLER * repeat + sep + tail).encode("utf-8")


def test_widget_and_backend_count_the_same_limit(settings):
    assert settings.max_file_bytes == 20 * MIB and settings.max_file_mib == 20
    # st.file_uploader counts decimal MB: every size the backend takes must pass the widget, too.
    assert settings.upload_widget_mb * 1_000_000 >= settings.max_file_bytes
    assert (settings.upload_widget_mb - 1) * 1_000_000 < settings.max_file_bytes
    # 20.500.000 bytes: over 20 decimal MB, under 20 MiB -> not refused for its size.
    with pytest.raises(DocumentRefused) as caught:
        sandbox.parse_isolated("gross.pdf", b"%PDF-1.7\n" + b"x" * 20_499_991, settings.reference_dir,
                               settings.max_file_bytes)
    assert "groß" not in caught.value.reason
    with pytest.raises(DocumentRefused) as caught:
        sandbox.parse_isolated("zu_gross.pdf", b"x" * (20 * MIB + 1), settings.reference_dir, settings.max_file_bytes)
    assert "groß" in caught.value.reason


def test_limits_follow_size_type_and_load():
    small, large = sandbox.limits_for("a.txt", 10_000, load=1), sandbox.limits_for("a.txt", 19 * MIB, load=1)
    assert small.cpu_s == sandbox.BASE_CPU_S and large.cpu_s > 19 * sandbox.TEXT_CPU_S_PER_MIB * 2
    assert large.memory_mb > small.memory_mb
    assert sandbox.limits_for("a.pdf", 19 * MIB, load=1).cpu_s > large.cpu_s
    busy = sandbox.limits_for("a.txt", 19 * MIB, load=6)
    assert busy.cpu_s == large.cpu_s and busy.wall_s > 3 * large.wall_s


@pytest.mark.slow
def test_three_concurrent_19_mb_uploads_are_accepted(settings):
    data = padded_agreement(19 * 1_000_000)
    assert len(data) > 18_900_000
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda n: review_uploads([(f"zv_{n}.txt", data)], settings)[0], range(3)))
    assert [(r.refusal, r.agreement.budget_cents if r.agreement else None) for r in results] == [(None, 101141000)] * 3

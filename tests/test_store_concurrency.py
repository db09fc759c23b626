"""A killed writer leaves the old state; readers during an ingest see old or new, never an error."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from aqb.store import snapshots
from aqb.store.checks import run_checks
from aqb.reference import partners_in
from aqb.store.write import ingest_paths
from conftest import REFERENCE

pytestmark = pytest.mark.slow

INGEST = "import sys; from pathlib import Path; from aqb.settings import Settings; from aqb.store.write import ingest_paths; " \
         "ingest_paths([Path(sys.argv[1])], Settings.from_env())"


def write_corpus(folder, seed_text, budget_suffix: str) -> None:
    """One document per partner and year 2019-2025 (182), budgets varied by ``budget_suffix``."""
    folder.mkdir(parents=True, exist_ok=True)
    for year in range(2019, 2026):
        for partner in partners_in(REFERENCE, year):
            text = seed_text.replace("2025", str(year)).replace(
                "und der Stadt Offenbach am Main", f"und der {partner.official_name}", 1
            ).replace(  # § 4 names the partner, too: the parser refuses a document contradicting its title
                "HMSI stellt der Stadt Offenbach am Main", f"HMSI stellt der {partner.official_name}", 1
            ).replace("1.011.410 Euro", f"{partner.population * 5 + int(budget_suffix):,} Euro".replace(",", "."))
            (folder / f"zv_{year}_{partner.ags}.txt").write_text(text, encoding="utf-8")


def state(settings) -> tuple[int, int]:
    con = duckdb.connect(str(snapshots.current_snapshot(settings)), read_only=True)
    try:
        assert run_checks(con) == {}
        return con.execute("select count(*), sum(budget_cents)::bigint from agreements").fetchone()
    finally:
        con.close()


def test_killed_ingest_leaves_previous_state(settings, seed_text, tmp_path):
    write_corpus(tmp_path / "a", seed_text, "100")
    write_corpus(tmp_path / "b", seed_text, "200")
    ingest_paths([tmp_path / "a"], settings)
    states = {state(settings)}
    rng = random.Random(7)
    kills = 0
    for attempt in range(8):
        folder = tmp_path / ("b" if attempt % 2 == 0 else "a")
        proc = subprocess.Popen([sys.executable, "-c", INGEST, str(folder)], env=os.environ.copy())
        time.sleep(rng.uniform(0.2, 2.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        observed = state(settings)
        assert observed[0] == 182
        states.add(observed)
        assert len(states) <= 2  # only ever corpus a or corpus b, never a mix
    assert kills >= 3
    # The next writer cleans up after the killed ones and completes.
    ingest_paths([tmp_path / "b"], settings)
    assert not list(settings.snapshot_dir.glob("*.tmp"))


def test_reader_during_ingest_sees_old_or_new(settings, seed_text, tmp_path):
    write_corpus(tmp_path / "a", seed_text, "100")
    write_corpus(tmp_path / "b", seed_text, "200")
    ingest_paths([tmp_path / "a"], settings)
    valid = {state(settings)}
    seen, errors = [], []
    stop = threading.Event()

    def read_loop():
        while not stop.is_set():
            try:
                con = duckdb.connect(str(snapshots.current_snapshot(settings)), read_only=True)
                seen.append(con.execute("select count(*), sum(budget_cents)::bigint from agreements").fetchone())
                con.close()
            except Exception as exc:  # any error at all is a failure of the store design
                errors.append(repr(exc))

    thread = threading.Thread(target=read_loop)
    thread.start()
    for folder in ("b", "a", "b"):
        subprocess.run([sys.executable, "-c", INGEST, str(tmp_path / folder)], check=True, env=os.environ.copy())
        valid.add(state(settings))
    stop.set()
    thread.join()
    assert errors == []
    assert len(valid) == 2
    assert len(seen) > 20
    assert set(seen) <= valid
